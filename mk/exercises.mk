# mk/exercises.mk — exercises graded by tests (issue 7). Included by the main Makefile.
#
#   make student                   write dist/student/: solutions stubbed, hidden tests removed
#   make grade                     grade this folder: table on screen, grade.json
#   make grade SUBMISSION=path     grade a student's copy, with the teacher's tests laid over it
#   make validate-exercises        every exercise fails in the student edition and passes here
#   make exercises-check           the manifest against regions, suites and chapters (no build)
#   make exercises-chapters        rewrite each chapter's generated list of exercises
#
# The grade tool builds in its own folder (.build-grade/tool), so making it never disturbs the
# test build. Grading builds with `swift test list -c release`, the configuration `make test`
# uses, so after `make test` the solution edition is already built. The student edition builds
# in .build-student (kept: reruns are incremental); a submission in .build-grade/submission.

GRADE_TOOL      := .build-grade/tool/release/grade
GRADE_SCRATCH   ?= .build
STUDENT_SCRATCH ?= .build-student
GRADE_TIMEOUT   ?= 120
SUBMISSION      ?=
GRADE_SOURCES   := $(wildcard Sources/Grader/*.swift Sources/grade/*.swift)

.PHONY: student grade validate-exercises exercises-check exercises-chapters

$(GRADE_TOOL): $(GRADE_SOURCES) Package.swift
	@$(MAKE) --no-print-directory deps
	@echo "grade: building the grade tool"
	@mkdir -p .build-grade
	@$(SWIFT) build -c release --product grade --scratch-path .build-grade/tool > .build-grade/tool.log 2>&1 \
	  || { grep -E 'error' .build-grade/tool.log || tail -n 20 .build-grade/tool.log; exit 1; }
	@touch $@

student: $(GRADE_TOOL)
	@$(GRADE_TOOL) student

grade: $(GRADE_TOOL)
	@$(GRADE_TOOL) run --scratch-path $(GRADE_SCRATCH) --timeout $(GRADE_TIMEOUT) $(if $(SUBMISSION),--submission $(SUBMISSION))

exercises-check: $(GRADE_TOOL)
	@$(GRADE_TOOL) check

exercises-chapters: $(GRADE_TOOL)
	@$(GRADE_TOOL) chapters

# A student edition (exercises/STUDENT_EDITION) has no solutions to validate.
ifeq ($(wildcard exercises/STUDENT_EDITION),)
validate-exercises: $(GRADE_TOOL)
	@$(GRADE_TOOL) validate --scratch-path $(GRADE_SCRATCH) --student-scratch-path $(STUDENT_SCRATCH) --timeout $(GRADE_TIMEOUT)
else
validate-exercises:
	@echo "validate-exercises: this is the student edition; nothing to validate"
endif

test-extra: validate-exercises
