# mk/interop-gpt2.mk — `make interop-gpt2`: lesson 13's saved model opens in Hugging Face
# `transformers` and greedy-decodes the same tokens as MiniTorch. Needs an environment with torch
# and transformers (INTEROP_PYTHON, by default .venv-interop/bin/python; never part of make test).

INTEROP_PYTHON ?= .venv-interop/bin/python
GPT_OUT        := book/build/13-gpt-pretraining

.PHONY: interop interop-gpt2

interop: interop-gpt2

interop-gpt2:
	@[ -f $(GPT_OUT)/greedy.json ] || $(SWIFT) run lesson-13-gpt-pretraining --quiet
	@$(INTEROP_PYTHON) -c 'import torch, transformers' 2>/dev/null || { echo "error: make interop-gpt2 needs torch and transformers in $(INTEROP_PYTHON): python3 -m venv .venv-interop && .venv-interop/bin/pip install torch transformers (CPU wheels)" >&2; exit 1; }
	$(INTEROP_PYTHON) scripts/check_gpt2_transformers.py $(GPT_OUT)

# `make interop-lesson14`: lesson 14's LoRA adapter (PEFT's layout) loads with
# PeftModel.from_pretrained on lesson 13's saved model and reproduces MiniTorch's logits.
L14_OUT := runs/14-instruction-tuning

.PHONY: interop-lesson14
interop-lesson14:
	@[ -f $(L14_OUT)/adapter/reference_logits.json ] || $(SWIFT) run lesson-14-instruction-tuning --quiet --method lora --out $(L14_OUT)
	@$(INTEROP_PYTHON) -c 'import torch, transformers, peft' 2>/dev/null || { echo "error: make interop-lesson14 needs torch, transformers and peft in $(INTEROP_PYTHON) (make interop installs them)" >&2; exit 1; }
	$(INTEROP_PYTHON) scripts/check_lesson14_peft.py runs/13-gpt-pretraining/model $(L14_OUT)/adapter
