# mk/python.mk — the ignored Python environment the interop checks run in (never PyTorch).
#
#   make venv     create .venv/ with the reference libraries: `tokenizers` (Hugging Face's Rust
#                 tokenizer), `safetensors` and `numpy`; `make deps` runs it.
#
# Tests call .venv/bin/python on the small scripts under scripts/ to check that files MiniTorch
# writes open in the reference libraries with the same results. Add a package to VENV_PACKAGES and
# the next `make deps` installs it (the stamp remembers the list).

VENV          := .venv
VENV_PACKAGES := tokenizers safetensors numpy

.PHONY: venv venv-clean

deps: venv

venv: $(VENV)/.complete-$(shell echo '$(VENV_PACKAGES)' | cksum | cut -d' ' -f1)

$(VENV)/.complete-%:
	@command -v python3 >/dev/null 2>&1 || { echo "error: make venv needs python3 (3.9 or newer, with the venv module); install it and run make deps again" >&2; exit 1; }
	@echo "venv: installing $(VENV_PACKAGES) into $(VENV)/"
	@{ [ -x $(VENV)/bin/python ] || python3 -m venv $(VENV); } > .venv.log 2>&1 \
	  || { echo "error: make venv: python3 -m venv failed (see .venv.log; on Debian: apt-get install python3-venv), then run make deps again" >&2; exit 1; }
	@$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check $(VENV_PACKAGES) >> .venv.log 2>&1 \
	  || { echo "error: make venv: pip could not install $(VENV_PACKAGES) ($$(grep -m1 -iE 'error' .venv.log | cut -c1-120)); check the network and run make deps again" >&2; exit 1; }
	@rm -f $(VENV)/.complete-* && touch $@ && rm -f .venv.log
	@echo "venv: $$($(VENV)/bin/python -c 'import tokenizers, safetensors, numpy; print("tokenizers", tokenizers.__version__, "safetensors", safetensors.__version__, "numpy", numpy.__version__)')"

venv-clean:
	rm -rf $(VENV)
