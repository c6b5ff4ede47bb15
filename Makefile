# The workbook's only entry points. `make book` is the main job, `make test` the test suite.
# Each installs the Debian packages it needs first (as root directly, otherwise through sudo).

SWIFT       ?= swift
# The one build that `make test`, `make book` and a learner's plain `swift run lesson-NN-...` share:
# SwiftPM's debug configuration, in which MiniTorch, Workbook and the lessons are optimised
# (Package.swift's optimizedInDebug) and testability is on by default.
BUILD       := .build/debug
APT_PACKAGES = libopenblas-dev pkg-config gnuplot-nox pandoc openmpi-bin libopenmpi-dev

# The lessons' matrices are small: one OpenBLAS thread is faster than two fighting over two cores
# with the test runner, and a fixed count keeps every run's sums in the same order.
export OPENBLAS_NUM_THREADS ?= 1
# OpenBLAS picks its kernels by CPU, and the kernels sum in different orders: the chapters' numbers
# were measured with the Haswell kernels (Zen's give the same bits), while a Cooper Lake CPU gets
# its own (lesson 03's warmup run then ends at 0.166 instead of 0.163, lesson 06 at perplexity
# 2.78 instead of 2.97). Pin them, so every x86-64 machine with AVX2 reproduces the book.
export OPENBLAS_CORETYPE ?= Haswell

.PHONY: deps build test test-swift clean bench
.DEFAULT_GOAL := help

help:
	@echo "make book    run every lesson and build the illustrated guide into book/html"
	@echo "make test    build (the debug configuration, optimised) and run every test"
	@echo "make bench   speed of MiniTorch against raw OpenBLAS and plain loops"
	@echo "make deps    install the Debian packages the workbook needs"

deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; \
	  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"; \
	  else echo "error: missing Debian packages:$$missing. Install them as root: apt-get install$$missing" >&2; exit 1; fi; \
	  echo "installing$$missing"; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null \
	    || { echo "error: apt-get could not install$$missing" >&2; exit 1; }; \
	fi

# One build for the tests, the lessons and the book: `swift build --build-tests` (debug, the
# configuration of a plain `swift run` and `swift test`) builds the tests and every executable.
build: deps
	@mkdir -p .build
	@$(SWIFT) build --build-tests

test-swift: build
	mkdir -p .build; $(SWIFT) test 2>&1 | tee .build/test.log | grep -vE '^(\[[0-9]+/[0-9]+\]|Test Case .* (started|passed)|◇ |✔ (Test|Suite) |↳ )'; \
	  status=$${PIPESTATUS[0]}; grep -E '^(✔|✘) Test run' .build/test.log | tail -n 1; exit $$status

# The Swift tests leave about a quarter of two cores idle; the exercise validation (two builds of
# the package) fills it, so the two run side by side, each printing its output whole when it ends
# (make -O). Then the book and what reads it (test-extra).
test: build
	@echo "test: the Swift tests and the exercise validation side by side (each prints when it ends)"
	@$(MAKE) --no-print-directory -j2 -Otarget test-swift validate-exercises VALIDATE_BOOK=
	@$(MAKE) --no-print-directory test-extra

# Later parts of the workbook hook further checks in here (see mk/*.mk).
test-extra:

# The benchmark builds in release, in its own folder, without testability.
bench: deps
	$(SWIFT) build -c release --scratch-path .build-bench
	.build-bench/release/bench

clean:
	rm -rf .build .build-bench .build-grade book/build book/html dist grades

SHELL := /bin/bash
-include mk/*.mk
