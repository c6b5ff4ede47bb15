# mk/reference.mk — runs that do not fit the time of `make test` or `make book`, made once by the
# commands below and committed under reference/; the chapters quote them, and
# Tests/LessonTests/ReferenceRunTests checks every quote against the files.
#
#   make reference-13-long      lesson 13 for 16,000 steps instead of 1,600 (about 11 minutes on two
#                               cores): reference/13-gpt-pretraining/long-run/ (its curves and final table)
#   make reference-13-sizes     lesson 13 with 1, 2 and 4 layers, each for the steps a minute and a
#                               quarter holds (about 4 minutes): reference/13-gpt-pretraining/sizes/
#   make reference-13-pytorch   lesson 13's default run again in PyTorch + transformers, from the
#                               book's tokenizer (the interop environment; about 2 minutes):
#                               reference/13-gpt-pretraining/pytorch.csv
#   make reference-14-packing   lesson 14's full fine-tune with packed rows (about 30 seconds):
#                               reference/14-instruction-tuning/packed-results.csv

REF_13 := reference/13-gpt-pretraining

.PHONY: reference-13-long reference-13-sizes reference-13-pytorch

reference-13-long: build
	@rm -rf .build/reference-13-long
	$(BUILD)/lesson-13-gpt-pretraining --max-steps 16000 --eval-steps 800 --quiet --out .build/reference-13-long
	@mkdir -p $(REF_13)/long-run
	@cp .build/reference-13-long/curves.csv .build/reference-13-long/cells/final.txt $(REF_13)/long-run/
	@echo "wrote $(REF_13)/long-run/ (curves.csv, final.txt)"

# The same minute spent on models of three depths: fewer layers, cheaper steps, more of them
# (layers:steps; the default run is 2:1600). Each final table and scale table is kept.
REF_13_SIZES := 1:1900 2:1600 4:1150

reference-13-sizes: build
	@rm -rf .build/reference-13-sizes && mkdir -p $(REF_13)/sizes
	@set -e; for size in $(REF_13_SIZES); do \
	  layers=$${size%%:*}; steps=$${size##*:}; out=.build/reference-13-sizes/$$layers-layers; \
	  echo "lesson 13 with $$layers layers for $$steps steps"; \
	  $(BUILD)/lesson-13-gpt-pretraining --n-layer $$layers --max-steps $$steps --quiet --out $$out; \
	  cat $$out/cells/final.txt $$out/cells/scale.txt > $(REF_13)/sizes/$$layers-layers.txt; \
	done
	@echo "wrote $(REF_13)/sizes/ (final and scale tables of each depth)"

reference-13-pytorch:
	@$(MAKE) --no-print-directory $(INTEROP_VENV)/.installed build
	@$(MAKE) --no-print-directory $(GPT_OUT)/.stamp
	@mkdir -p $(REF_13)
	$(INTEROP_PYTHON) scripts/torch_gpt_pretraining.py $(GPT_OUT)/model/tokenizer.json $(REF_13)/pytorch.csv

# Lesson 14's full fine-tune again with packed rows, from the book's lesson 13 model: the accuracy
# packing gets (the default run measures its speed on 20 steps only).
REF_14 := reference/14-instruction-tuning

.PHONY: reference-14-packing

reference-14-packing: build
	@$(MAKE) --no-print-directory $(GPT_OUT)/.stamp
	@rm -rf .build/reference-14-packing
	$(BUILD)/lesson-14-instruction-tuning --method full --packing --base-model $(GPT_OUT)/model --quiet --out .build/reference-14-packing
	@mkdir -p $(REF_14)
	@cp .build/reference-14-packing/results.csv $(REF_14)/packed-results.csv
	@echo "wrote $(REF_14)/packed-results.csv"
