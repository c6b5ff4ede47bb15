/// The files a student edition gets in place of the teacher's: README, Makefile, CI, ignores.
public enum StudentFiles {
    /// The student's README: what to do, one exercise at a time, the book, the score, handing in,
    /// how grading works, and the list of exercises.
    public static func readme(_ manifest: Manifest) -> String {
        var text = """
        # MiniTorch workbook: the student edition

        A Swift course on how language models are trained: MiniTorch (tensors, autograd, a small
        transformer), one lesson per chapter under `Lessons/`, and exercises graded by tests. Some
        functions have their middle cut out; each is an exercise. Where the code was you find

        ```swift
        // EXERCISE ex03_2: the cosine schedule with warmup. Replace the next line with your code.
        // Read Lessons/03-lr-schedules/chapter.md. Hint: ...
        exerciseNotSolved("ex03_2", ...)
        ```

        and anything that reaches that line stops with a message naming the exercise, the chapter
        that explains it and the file to fill in.

        ## Set up

        Debian or Ubuntu with Swift 6 installed. `make deps` installs OpenBLAS (it asks for sudo
        when it is missing). The first `make check` builds the tests and the code they use: a few
        minutes, once; after that only the files you change (and what uses them) are rebuilt.

        ## Read the book

        Open `book/html/index.html`: every chapter with its figures and the outputs of the
        lessons' default runs. Its code excerpts show each exercise as the stub above, never the
        answer. The chapters' Markdown is in `Lessons/NN-slug/chapter.md`; `exercises/00-minitorch.md`
        explains the exercises in MiniTorch itself.

        ## Work on one exercise

        1. Find its stub: `grep -rn "EXERCISE ex03_2" Sources Lessons` (the table below names the
           chapter; the stub names the file).
        2. Replace the `exerciseNotSolved(...)` line with your code. Write only there: grading
           takes the lines between the code just above the stub and the code just below it, and
           the rest of every file from the teacher's copy. A helper you need goes inside that
           space (a nested function is fine).
        3. Test it: `make check EX=ex03_2` builds what changed and runs that exercise's tests,
           showing each failing expectation. It ends with one line: passes, or what failed.
        4. See it at work: `make lesson L=03` runs lesson 03 with its default settings (outputs in
           `runs/`), once every exercise it uses is solved.

        `make test` (also `.ci/run`) prints your score: every exercise's tests, each in a process of
        its own, as a table. Unsolved exercises score 0; it fails only when the package does not
        build.

        ## Hand in

        Hand in this folder as it is (without the `.build*` folders), for example
        `tar czf ../my-name.tar.gz --exclude='.build*' .` or a push of this repository.

        ## How grading works

        Your teacher grades each exercise on its own: your lines for that exercise go into the
        teacher's copy of the package, where every other exercise holds the teacher's solution.
        So an exercise that does not compile, crashes or loops forever (there is a time limit)
        costs only its own points, with the compiler's error at your file and line, and a wrong
        answer in one exercise never fails another. The tests are the teacher's copy of
        `Tests/ExerciseTests/` plus some you do not see. An exercise earns its points when all
        its tests pass. You get a short feedback file with every failing expectation.

        Some exercises build on another (the column "builds on"): their tests run through that
        exercise's code, so in your copy they pass only once that one is solved too. When grading,
        the teacher's version of it is used.

        ## The exercises

        | exercise | title | points | builds on | read |
        |---|---|---:|---|---|

        """
        for e in manifest.exercises {
            text += "| \(e.id) | \(e.title) | \(e.points) | \(e.buildsOn.joined(separator: ", ")) | \(e.chapter) |\n"
        }
        text += "\nTotal: \(manifest.totalPoints) points.\n"
        return text
    }

    /// The student's Makefile; its `deps` recipe is the teacher's (`deps:` up to the next blank
    /// line of the teacher's Makefile), so the two install the same way.
    public static func makefile(teacherMakefile: String) -> String {
        let lines = teacherMakefile.split(separator: "\n", omittingEmptySubsequences: false)
        var deps = "deps:\n\t@true"
        if let start = lines.firstIndex(where: { $0.hasPrefix("deps:") }) {
            deps = lines[start...].prefix { !$0.trimmingWhitespace().isEmpty }.map { $0.hasPrefix("deps:") ? "deps:" : String($0) }.joined(separator: "\n")
        }
        return makefileTemplate.replacingOccurrences(of: "<DEPS>", with: deps)
    }

    static let makefileTemplate = #"""
    # The student edition of the MiniTorch workbook (written by the teacher's `make student`).
    #
    #   make check EX=ex03_2   build what changed, run one exercise's tests with every failure shown
    #   make test              your score: each exercise's tests in a process of its own, one table
    #   make lesson L=03       run lesson 03 with its default settings (outputs in runs/)
    #   make deps              install the Debian packages the workbook needs
    #
    # The package builds into .build/debug, MiniTorch and the lessons optimised (Package.swift):
    # tests, lessons and a plain `swift run` share that build. The small grade tool that runs the
    # tests builds once into .build-grade, unoptimised: it only starts processes, and so it compiles
    # in a fraction of a release build's time.

    SWIFT      ?= swift
    GRADE_TOOL := .build-grade/debug/grade
    APT_PACKAGES = libopenblas-dev pkg-config
    SHELL      := /bin/bash

    # One OpenBLAS thread: the lessons' matrices are small, and sums keep one order.
    export OPENBLAS_NUM_THREADS ?= 1

    .PHONY: help deps check test lesson clean
    .DEFAULT_GOAL := help

    help:
    	@echo "make check EX=ex03_2   test one exercise (the list is in README.md)"
    	@echo "make test              your score over every exercise"
    	@echo "make lesson L=03       run a lesson once the exercises it uses are solved"
    	@echo "make deps              install the Debian packages the workbook needs"

    <DEPS>

    $(GRADE_TOOL): $(wildcard Sources/Grader/*.swift Sources/grade/*.swift) Package.swift
    	@$(MAKE) --no-print-directory deps
    	@echo "building the grade tool (once) ..."
    	@mkdir -p .build-grade
    	@$(SWIFT) build --product grade --scratch-path .build-grade > .build-grade/tool.log 2>&1 \
    	  || { grep -A8 'error:' .build-grade/tool.log || tail -n 20 .build-grade/tool.log; exit 1; }
    	@touch $@

    check: $(GRADE_TOOL)
    	@if [ -z "$(EX)" ]; then echo "error: name an exercise: make check EX=ex03_2 (the list is in README.md)" >&2; exit 2; fi
    	@$(GRADE_TOOL) exercise $(EX)

    test: $(GRADE_TOOL)
    	@$(GRADE_TOOL) score

    lesson: $(GRADE_TOOL)
    	@if [ -z "$(L)" ]; then echo "error: name a lesson: make lesson L=03 (the folders are in Lessons/)" >&2; exit 2; fi
    	@folder=$$(ls -d Lessons/$(L)*/ 2>/dev/null | head -n 1); \
    	if [ -z "$$folder" ]; then echo "error: no lesson $(L) in Lessons/" >&2; exit 2; fi; \
    	name=$$(basename $$folder); \
    	$(GRADE_TOOL) build && mkdir -p runs/$$name && .build/debug/lesson-$$name --out runs/$$name

    clean:
    	rm -rf .build .build-grade runs

    """#

    public static let ciRun = """
    #!/usr/bin/env bash
    # CI for the student edition: build the package and print the score. Unsolved exercises
    # score 0 and do not fail the run; a package that does not build does.
    set -euo pipefail
    cd "$(dirname "$0")/.."
    make test

    """

    public static let gitignore = """
    .build*/
    Package.resolved
    /runs/
    *.swp
    .DS_Store

    """
}
