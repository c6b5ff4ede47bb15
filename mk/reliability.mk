# Reliability checks beyond `make test`.
#   make fuzz                   the safetensors reader on 1,000,000 hostile files (FUZZ_COUNT, FUZZ_SEED)
#   make safetensors-python     files MiniTorch writes, loaded by the reference Python `safetensors`

FUZZ_COUNT ?= 1000000
FUZZ_SEED  ?= 10
SAMPLE_DIR := .build/safetensors-sample

.PHONY: fuzz safetensors-python

fuzz: deps
	MINITORCH_FUZZ_COUNT=$(FUZZ_COUNT) MINITORCH_FUZZ_SEED=$(FUZZ_SEED) \
	  $(SWIFT) test --filter 'SafetensorsFuzzTests/hostileFilesAreRejected' 2>&1 | grep -E '(fuzz:|✘|✔ Test run|error:)'; \
	  exit $${PIPESTATUS[0]}

safetensors-python: deps
	@python3 -c 'import safetensors, numpy' 2>/dev/null || { echo "error: needs Python packages safetensors and numpy: pip install safetensors numpy" >&2; exit 1; }
	rm -rf $(SAMPLE_DIR)
	MINITORCH_SAMPLE_DIR=$(CURDIR)/$(SAMPLE_DIR) $(SWIFT) test --filter 'SafetensorsInteropTests' 2>&1 | grep -E '(✘|✔ Test run|error:)'; \
	  status=$${PIPESTATUS[0]}; [ $$status = 0 ] || exit $$status
	python3 scripts/check_safetensors_python.py $(SAMPLE_DIR)
