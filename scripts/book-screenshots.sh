#!/usr/bin/env bash
# Screenshots of every page of the book, whole pages top to bottom, for a person to look at:
#   scripts/book-screenshots.sh book/html book/build/screenshots
# writes <out>/<page>.png at laptop width (1200 px) for every <html>/<page>.html, and
# <out>/<first chapter>-phone.png, the top of the first chapter at phone width (420 px).
# Headless Chromium only draws its window, so a first run loads every page in a frame and
# reads its height; each page is then drawn in a window that tall. Exits 1 with one line
# when Chromium cannot draw a page.
set -u
html=$(cd "$1" && pwd) || exit 1
mkdir -p "$2" && out=$(cd "$2" && pwd) || exit 1
width=1200
pages=$(cd "$html" && ls *.html | sed 's/\.html$//' | sort)
[ -n "$pages" ] || { echo "book-screenshots: no pages in $html" >&2; exit 1; }

chromium_run() {   # chromium_run LOG ARGS...: one headless Chromium with a throwaway profile
  local log=$1; shift
  local profile; profile=$(mktemp -d)
  timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --user-data-dir="$profile" "$@" 2>"$log"
  local status=$?
  rm -rf "$profile"
  return $status
}

# One page with every book page in a frame $width wide; its title becomes "name:height ...".
{
  echo '<!doctype html><html><body>'
  for page in $pages; do
    echo "<iframe data-page=\"$page\" style=\"width:${width}px;height:100px;border:0\" src=\"file://$html/$page.html\"></iframe>"
  done
  cat <<'SCRIPT'
<script>
// The window's load event waits for every frame (a frame's own onload may come before this runs).
window.addEventListener('load', function () {
  document.title = Array.from(document.querySelectorAll('iframe')).map(function (f) {
    return f.dataset.page + ':' + f.contentDocument.documentElement.scrollHeight;
  }).join(' ');
});
</script></body></html>
SCRIPT
} > "$out/measure.html"
heights=$(chromium_run "$out/measure.log" --allow-file-access-from-files --virtual-time-budget=20000 \
  --dump-dom "file://$out/measure.html" | sed -n 's:.*<title>\(.*\)</title>.*:\1:p')
[ -n "$heights" ] || { echo "book-screenshots: chromium could not measure the pages (see $out/measure.log)" >&2; exit 1; }

shoot() {   # shoot PAGE NAME WIDTH HEIGHT
  local png="$out/$2.png"
  rm -f "$png"
  if ! chromium_run "$out/$2.log" --screenshot="$png" --window-size="$3,$4" "file://$html/$1.html" >/dev/null \
     || [ ! -s "$png" ]; then
    echo "book-screenshots: chromium could not render $html/$1.html (see $out/$2.log)" >&2
    exit 1
  fi
  echo "book-screenshots: $1.html -> $png (${3} x ${4})"
}

# Two Chromiums at a time (one a core); the first that fails stops the script.
running=0
reap() {   # reap N: wait until at most N shots are still running
  while [ "$running" -gt "$1" ]; do
    wait -n || { wait; exit 1; }
    running=$((running - 1))
  done
}
for entry in $heights; do
  page=${entry%%:*}; height=${entry#*:}
  [ "$height" -gt 0 ] 2>/dev/null && height=$((height + 40)) || height=1600
  shoot "$page" "$page" "$width" "$height" &
  running=$((running + 1)); reap 1
done
first=$(echo "$pages" | grep -v '^index$' | head -n 1)
[ -z "$first" ] || { shoot "$first" "$first-phone" 420 900 & running=$((running + 1)); }
reap 0
