# mk/book.mk — `make book`: run every lesson, render its figures, build the HTML book.
# Included by the main Makefile, whose `build` (swift build -c release) first runs `deps`
# (apt packages: gnuplot-nox, pandoc, ...). `make test` runs book-check through `test-extra`.
#
#   make book         build in release, run the lessons that changed, render figures, write book/html
#   make figures      render every figures/NN-slug-*.gp whose lesson has run (SVG and PNG)
#   make book-check   make book, check every link and image, screenshot pages with headless Chromium
#   make book-clean   remove book/build and book/html
#
# A lesson run lands in book/build/NN-slug/ (CSVs, cells/<name>.txt, run.log) and leaves a
# .stamp; it runs again only when Lessons/NN-slug/*, Sources/MiniTorch or Sources/Workbook changed.

BOOK_TOOL     ?= .build/release/book
comma         := ,
BOOK_LESSONS  := $(patsubst Lessons/%/main.swift,%,$(sort $(wildcard Lessons/*/main.swift)))
BOOK_LIBRARY  := $(shell find Sources/MiniTorch Sources/Workbook -type f 2>/dev/null)
BOOK_SCRIPTS  := $(filter-out figures/style.gp,$(sort $(wildcard figures/*.gp)))

# The lesson a figure belongs to: the lesson folder its name starts with
# (05-overfitting-curves -> 05-overfitting), or nothing when that lesson does not exist yet.
book_lesson_of = $(firstword $(foreach l,$(BOOK_LESSONS),$(if $(filter $(l)-%,$(1)),$(l))))
book_name      = $(basename $(notdir $(1)))

# Figures whose lesson has run; the others are skipped with a notice.
BOOK_READY    := $(foreach s,$(BOOK_SCRIPTS),$(if $(wildcard book/build/$(call book_lesson_of,$(call book_name,$(s)))/.stamp),$(s)))
BOOK_WAITING  := $(filter-out $(BOOK_READY),$(BOOK_SCRIPTS))
BOOK_FIGURES  := $(foreach s,$(BOOK_READY),book/build/figures/$(call book_name,$(s)).svg book/build/figures/$(call book_name,$(s)).png)

.PHONY: book book-lessons figures book-check book-clean

book:
	@$(MAKE) --no-print-directory build
	@$(MAKE) --no-print-directory book-lessons
	@$(MAKE) --no-print-directory figures
	@$(BOOK_TOOL) build

book-lessons: $(BOOK_LESSONS:%=book/build/%/.stamp)
	@:

.SECONDEXPANSION:

# Run one lesson with its default flags (again only when its Swift or the library changed:
# editing chapter.md does not re-run it). Its terminal output goes to run.log (shown on failure);
# the folder is emptied first so a renamed cell cannot linger and hide a broken {{#output}}.
book/build/%/.stamp: $$(filter-out Lessons/$$*/chapter.md,$$(wildcard Lessons/$$*/*)) $(BOOK_LIBRARY)
	@rm -rf book/build/$* && mkdir -p book/build/$*
	@echo "book: running lesson-$* ..."
	@start=$$(date +%s); \
	if .build/release/lesson-$* --out book/build/$* > book/build/$*/run.log 2>&1; then \
	  echo "book: lesson-$* done in $$(( $$(date +%s) - start ))s"; \
	else \
	  tail -n 20 book/build/$*/run.log; \
	  echo "book: lesson-$* failed (full output in book/build/$*/run.log)"; exit 1; \
	fi
	@touch $@

figures: $(BOOK_FIGURES)
	@$(foreach s,$(BOOK_WAITING),echo "figures: skipping $(s) (its lesson has not run: make book)";)

# Render to a temporary file, then rename, so a failed script never leaves a half figure.
book/build/figures/%.svg: figures/%.gp figures/style.gp $$(wildcard book/build/$$(call book_lesson_of,$$*)/*.csv)
	@mkdir -p $(@D)
	@echo "figures: $@"
	@gnuplot -e "builddir='book/build'; lesson='$(call book_lesson_of,$*)'; term='svg'; outfile='$@.tmp'" $< \
	  && mv $@.tmp $@ || { rm -f $@.tmp; exit 1; }

book/build/figures/%.png: figures/%.gp figures/style.gp $$(wildcard book/build/$$(call book_lesson_of,$$*)/*.csv)
	@mkdir -p $(@D)
	@gnuplot -e "builddir='book/build'; lesson='$(call book_lesson_of,$*)'; term='png'; outfile='$@.tmp'" $< \
	  && mv $@.tmp $@ || { rm -f $@.tmp; exit 1; }

# Screenshots land in book/build/screenshots: the index and the first chapter at laptop width,
# the first chapter again at phone width.
BOOK_SHOTS_DIR := book/build/screenshots
BOOK_FIRST     := $(firstword $(BOOK_LESSONS))

book-check: book
	@$(BOOK_TOOL) check
	@if command -v chromium >/dev/null 2>&1; then \
	  mkdir -p $(BOOK_SHOTS_DIR); \
	  for shot in index:index:1200,1600 $(if $(BOOK_FIRST),$(BOOK_FIRST):$(BOOK_FIRST):1200$(comma)1600 $(BOOK_FIRST):$(BOOK_FIRST)-phone:420$(comma)900); do \
	    page=$${shot%%:*}; rest=$${shot#*:}; name=$${rest%%:*}; size=$${rest#*:}; \
	    png=$(BOOK_SHOTS_DIR)/$$name.png; rm -f $$png; profile=$$(mktemp -d); \
	    timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
	      --user-data-dir=$$profile --screenshot=$(CURDIR)/$$png --window-size=$$size \
	      file://$(CURDIR)/book/html/$$page.html > $(BOOK_SHOTS_DIR)/$$name.log 2>&1; \
	    status=$$?; rm -rf $$profile; \
	    if [ $$status -ne 0 ] || [ ! -s $$png ]; then \
	      echo "book-check: chromium could not render book/html/$$page.html (see $(BOOK_SHOTS_DIR)/$$name.log)"; exit 1; \
	    fi; \
	    echo "book-check: rendered book/html/$$page.html to $$png"; \
	  done; \
	else \
	  echo "book-check: chromium is not installed; skipping the screenshot check"; \
	fi

test-extra: book-check

book-clean:
	rm -rf book/build book/html

