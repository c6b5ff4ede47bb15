# mk/book.mk — `make book`: run every lesson, render its figures, build the HTML book.
# Included by the main Makefile, whose `build` (the one debug build, see there) first runs `deps`
# (apt packages: gnuplot-nox, pandoc, ...). `make test` runs book-check through `test-extra`.
#
#   make book         build, run the lessons that changed, render figures, write book/html
#   make figures      render every figures/NN-slug-*.gp whose lesson has run (SVG and PNG)
#   make book-check   make book; check every link and image, and that every include is on its page
#                     as one highlighted code block equal to its source region; run the tests that
#                     read the book's own runs (BOOK_RUNS=1, Tests/LessonTests/BookRuns); screenshot
#                     every page with headless Chromium into book/build/screenshots
#   make book-clean   remove book/build and book/html
#
# The book runs every lesson itself, always with `--out book/build/NN-slug` and the lesson's
# defaults: a learner's own runs go to runs/NN-slug (the lessons' default --out), so no run with
# other flags can end up in the book. A book run lands in book/build/NN-slug/ (CSVs,
# cells/<name>.txt, run.log) and leaves a .stamp holding its flags; it runs again when
# Lessons/NN-slug/*, Sources/MiniTorch or Sources/Workbook changed, when its flags here changed,
# or when anything else wrote into its folder after it (see book_stale).

BOOK_TOOL     ?= $(BUILD)/book
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

# Lessons that time themselves on every core (13: two BLAS threads; 15: two MPI ranks) run alone,
# 13 first since 14 starts from its model (named again in the second step, which a pattern rule
# needs to see 14's prerequisite as a target); the others, one core each, BOOK_JOBS at a time, the
# longest first (so none is left running alone at the end).
BOOK_JOBS  ?= 2
BOOK_ALONE := 13-gpt-pretraining 15-data-parallel
BOOK_LONG  := 14-instruction-tuning 06-masked-language-modeling 07-lora
BOOK_SHARED = $(filter $(BOOK_LONG),$(BOOK_LESSONS)) $(filter-out $(BOOK_ALONE) $(BOOK_LONG),$(BOOK_LESSONS))

book-lessons:
	@$(MAKE) -s --no-print-directory $(patsubst %,book/build/%/.stamp,$(filter $(firstword $(BOOK_ALONE)),$(BOOK_LESSONS)))
	@$(MAKE) -s --no-print-directory -j$(BOOK_JOBS) $(patsubst %,book/build/%/.stamp,$(BOOK_SHARED) $(filter $(firstword $(BOOK_ALONE)),$(BOOK_LESSONS)))
	@$(MAKE) -s --no-print-directory $(BOOK_LESSONS:%=book/build/%/.stamp)

# Lessons 07 and 08 fine-tune lesson 06's pretrained model: the book's own run of 06, not
# whatever a learner left in runs/06-masked-language-modeling (their default --pretrained-dir).
BOOK_USES_07-lora  := 06-masked-language-modeling
BOOK_USES_08-qlora := 06-masked-language-modeling
BOOK_USES_11-monitoring := 06-masked-language-modeling
# Lesson 14 fine-tunes lesson 13's GPT: the book's run of 13, named by its model folder.
BOOK_USES_14-instruction-tuning := 13-gpt-pretraining
BOOK_BASE_14-instruction-tuning := book/build/13-gpt-pretraining/model
book_flags = --out book/build/$(1)$(if $(BOOK_BASE_$(1)), --base-model $(BOOK_BASE_$(1)),$(foreach u,$(BOOK_USES_$(1)), --pretrained-dir book/build/$(u)))

# A book run is done again, whatever changed, when its .stamp holds other flags than these, or
# when a file in its folder is newer than its .stamp: something else wrote there after it (a
# learner's run with --out book/build/...). `book-rerun` is a target that never exists.
book_stale = $(or $(if $(findstring x$(call book_flags,$(1))x,x$(shell cat book/build/$(1)/.stamp 2>/dev/null)x),,flags),$(shell find book/build/$(1) -newer book/build/$(1)/.stamp ! -name .stamp -print -quit 2>/dev/null))
.PHONY: book-rerun
book-rerun:

.SECONDEXPANSION:

# Run one lesson with its default flags (again only when its Swift or the library changed:
# editing chapter.md does not re-run it). Its terminal output goes to run.log (shown on failure);
# the folder is emptied first so a renamed cell cannot linger and hide a broken {{#output}}.
book/build/%/.stamp: $$(filter-out Lessons/$$*/chapter.md,$$(wildcard Lessons/$$*/*)) $(BOOK_LIBRARY) \
                     $$(foreach u,$$(BOOK_USES_$$*),book/build/$$(u)/.stamp) \
                     $$(if $$(wildcard book/build/$$*/.stamp),$$(if $$(call book_stale,$$*),book-rerun))
	@rm -rf book/build/$* && mkdir -p book/build/$*
	@echo "book: running lesson-$* $(call book_flags,$*) ..."
	@start=$$(date +%s); \
	if $(BUILD)/lesson-$* $(call book_flags,$*) > book/build/$*/run.log 2>&1; then \
	  echo "book: lesson-$* done in $$(( $$(date +%s) - start ))s"; \
	else \
	  tail -n 20 book/build/$*/run.log; \
	  echo "book: lesson-$* failed (full output in book/build/$*/run.log)"; exit 1; \
	fi
	@echo "$(call book_flags,$*)" > $@

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

# Screenshots land in book/build/screenshots: every page whole at laptop width, and the top of the
# first chapter at phone width (scripts/book-screenshots.sh). Chromium is installed on the way
# when it can be (as `make deps` installs the rest); without it the screenshots are skipped.
BOOK_SHOTS_DIR := book/build/screenshots

book-check: book
	@$(BOOK_TOOL) check
	@echo "book-check: the chapters' claims about the book's own runs (Tests/LessonTests/BookRuns)"
	@BOOK_RUNS=1 $(SWIFT) test --skip-build --filter BookRunTests 2>&1 | grep -E '✘|Test run with' ; exit $${PIPESTATUS[0]}
	@command -v chromium >/dev/null 2>&1 || $(MAKE) --no-print-directory deps APT_PACKAGES=chromium >/dev/null 2>&1 || true
	@if command -v chromium >/dev/null 2>&1; then \
	  rm -rf $(BOOK_SHOTS_DIR); scripts/book-screenshots.sh book/html $(BOOK_SHOTS_DIR); \
	else \
	  echo "book-check: chromium is not installed and could not be (apt-get install chromium); skipping the screenshots"; \
	fi

test-extra: book-check

book-clean:
	rm -rf book/build book/html

