# mk/interop.mk — the lessons' saved folders opened by Hugging Face's own libraries.
#
#   make interop   install PyTorch, transformers, PEFT, tokenizers and safetensors into
#                  .venv-interop (ignored by git; a few GB, so `make test` leaves it out), then:
#                  lesson 06's model/ through pipeline("fill-mask"), lessons 07 and 08's adapter/
#                  through PeftModel.from_pretrained, each against the lesson's own numbers; and
#                  folders written by transformers' save_pretrained (random weights: masked LM,
#                  classifier, bare encoder) loaded by MiniTorch, against transformers' outputs;
#                  and the bare encoder saved again by MiniTorch, opened by transformers; and
#                  lesson 13's GPT and lesson 14's adapter (mk/interop-gpt2.mk).

INTEROP_VENV     := .venv-interop
INTEROP_OUT      := .build/interop
INTEROP_PACKAGES := torch transformers peft safetensors tokenizers numpy
INTEROP_LESSONS  := 06-masked-language-modeling 07-lora 08-qlora

.PHONY: interop

$(INTEROP_VENV)/.installed:
	@echo "interop: installing $(INTEROP_PACKAGES) into $(INTEROP_VENV) (once; PyTorch is large)"
	@python3 -m venv $(INTEROP_VENV) || { echo "error: python3 -m venv failed; install python3-venv (apt-get install python3-venv) and retry" >&2; exit 1; }
	@$(INTEROP_VENV)/bin/pip install -q $(INTEROP_PACKAGES) \
	  || { echo "error: pip could not install $(INTEROP_PACKAGES) into $(INTEROP_VENV); check the network and run make interop again" >&2; exit 1; }
	@touch $@

interop: $(INTEROP_VENV)/.installed
	@$(MAKE) --no-print-directory build
	@$(MAKE) --no-print-directory $(INTEROP_LESSONS:%=book/build/%/.stamp)
	@rm -rf $(INTEROP_OUT)
	$(INTEROP_VENV)/bin/python scripts/interop.py book/build $(INTEROP_OUT)
	@MINITORCH_HF_FOLDER=$(CURDIR)/$(INTEROP_OUT) $(SWIFT) test --filter PretrainedFolderTests 2>&1 \
	  | grep -E '(interop:|✘|✔ Test run|error:)'; exit $${PIPESTATUS[0]}
	$(INTEROP_VENV)/bin/python scripts/interop.py --minitorch-folders $(INTEROP_OUT)

# The light part, in `make test`: every file the book's lesson runs saved opens with the
# `safetensors` and `tokenizers` packages of $(VENV) (mk/python.mk, made by `make deps`).
.PHONY: saved-files-check
saved-files-check: book
	@$(VENV)/bin/python scripts/check_saved_files.py book/build

test-extra: saved-files-check
