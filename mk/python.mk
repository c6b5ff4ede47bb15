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

.PHONY: venv venv-clean python-deps

deps: venv

# python3 with pip and venv (Debian splits them into python3-pip and python3-venv): installed
# the way `make deps` installs the other Debian packages, as root directly or through sudo.
python-deps:
	@if ! python3 -m pip --version >/dev/null 2>&1 || ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then \
	  missing="python3 python3-pip python3-venv"; \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; \
	  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"; \
	  else echo "error: python3 with pip and venv is missing. Install it as root: apt-get install $$missing" >&2; exit 1; fi; \
	  echo "installing $$missing"; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null \
	    || { echo "error: apt-get could not install $$missing" >&2; exit 1; }; \
	fi

venv: $(VENV)/.complete-$(shell echo '$(VENV_PACKAGES)' | cksum | cut -d' ' -f1)

$(VENV)/.complete-%: | python-deps
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
