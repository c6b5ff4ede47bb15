# mk/interop-gpt2.mk — the GPT of lesson 13 and the adapter of lesson 14, as the book's runs saved
# them, opened by Hugging Face's own libraries (part of `make interop`, see mk/interop.mk):
#
#   make interop-gpt2      lesson 13's model/ as transformers' GPT2LMHeadModel: the same greedy tokens
#                          as MiniTorch (greedy.json)
#   make interop-lesson14  lesson 14's adapter/ with PeftModel.from_pretrained on lesson 13's model/:
#                          MiniTorch's logits (reference_logits.json) within 1e-4
#
# Both run in the environment `make interop` installs (torch, transformers, peft; a few GB, so
# `make test` never does), and run the lessons first if the book has not.

INTEROP_PYTHON ?= .venv-interop/bin/python
GPT_OUT        := book/build/13-gpt-pretraining
L14_OUT        := book/build/14-instruction-tuning

.PHONY: interop interop-gpt2 interop-lesson14

interop: interop-gpt2 interop-lesson14

interop-gpt2:
	@$(MAKE) --no-print-directory $(INTEROP_VENV)/.installed build
	@$(MAKE) --no-print-directory $(GPT_OUT)/.stamp
	$(INTEROP_PYTHON) scripts/check_gpt2_transformers.py $(GPT_OUT)

interop-lesson14:
	@$(MAKE) --no-print-directory $(INTEROP_VENV)/.installed build
	@$(MAKE) --no-print-directory $(L14_OUT)/.stamp
	$(INTEROP_PYTHON) scripts/check_lesson14_peft.py $(GPT_OUT)/model $(L14_OUT)/adapter
