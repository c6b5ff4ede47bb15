# mk/exercises.mk — exercises graded by tests. Included by the main Makefile.
#
#   make student                          dist/student/: solutions stubbed, hidden tests out, its
#                                         own README/Makefile/.ci; its book in dist/student/book/html
#   make grade SUBMISSIONS='submissions/*'  grade each folder: grades/<name>.json, <name>-feedback.md,
#                                         grades/gradebook.csv (SUBMISSION=path: one folder)
#   make grade                            grade this folder itself (full marks)
#   make validate-exercises               the whole flow, checked (part of make test)
#   make validate-book                    the student book of the edition it wrote, checked
#   make exercises-check                  the manifest against regions, suites and chapters (no build)
#   make exercises-chapters               rewrite each chapter's generated list of exercises
#
# The grade tool builds in its own folder (.build-grade/tool); validation (in make test) uses the
# one in the workbook's own build instead. Grading builds one tree holding every submission's
# answers beside the teacher's code (.build-grade/tree, kept: the next grading is incremental;
# only its test product, as grading runs nothing else); validation keeps its own
# (.build-grade/validate), so make test and make grade do not undo each other's builds. The
# student edition builds in its own .build, while validation builds its grading tree.

GRADE_TOOL      := .build-grade/tool/release/grade
GRADE_TREE      ?= .build-grade/tree
VALIDATE_TREE   ?= .build-grade/validate
GRADE_TIMEOUT   ?= 120
GRADES          ?= grades
SUBMISSION      ?=
SUBMISSIONS     ?=
GRADE_SOURCES   := $(wildcard Sources/Grader/*.swift Sources/grade/*.swift)
BOOK_TOOL       ?= $(BUILD)/book

.PHONY: student grade validate-exercises validate-book exercises-check exercises-chapters

$(GRADE_TOOL): $(GRADE_SOURCES) Package.swift
	@$(MAKE) --no-print-directory deps
	@echo "grade: building the grade tool"
	@mkdir -p .build-grade
	@$(SWIFT) build -c release --product grade --scratch-path .build-grade/tool > .build-grade/tool.log 2>&1 \
	  || { grep -A8 'error:' .build-grade/tool.log || tail -n 20 .build-grade/tool.log; exit 1; }
	@touch $@

# The student book is the teacher's book (its lesson runs and figures) rebuilt from the stubs.
student: $(GRADE_TOOL)
	@$(MAKE) --no-print-directory book
	@$(GRADE_TOOL) student --book-tool $(BOOK_TOOL)

# SUBMISSIONS is a shell pattern: the recipe's shell expands it.
grade: $(GRADE_TOOL)
	@$(GRADE_TOOL) run --tree $(GRADE_TREE) --timeout $(GRADE_TIMEOUT) --out $(GRADES) $(SUBMISSION) $(SUBMISSIONS)

exercises-check: $(GRADE_TOOL)
	@$(GRADE_TOOL) check

exercises-chapters: $(GRADE_TOOL)
	@$(GRADE_TOOL) chapters

# With the teacher's book built, the student book is checked too (VALIDATE_BOOK empty: not).
# The grade tool is the one in the workbook's own build (`make build` makes every product): no
# release build of the tool for validation. make test runs the validation beside the Swift tests,
# before the book exists, and the student book (validate-book) after it.
VALIDATE_BOOK ?= $(if $(wildcard book/build/figures),yes)

validate-exercises: build
	@$(BUILD)/grade validate --tree $(VALIDATE_TREE) --timeout $(GRADE_TIMEOUT) \
	  $(if $(VALIDATE_BOOK),--book-tool $(BOOK_TOOL))

validate-book: book
	@$(BUILD)/grade validate-book --book-tool $(BOOK_TOOL)

test-extra: validate-book
