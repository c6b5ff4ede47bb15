# Lesson 04: the per-token loss of each effective batch, for a real batch of 32 and for 4
# accumulated micro-batches of 8 (normalised by tokens, and divided by steps). Reads losses.csv.
load 'figures/style.gp'
set title 'Same seed, same data order: loss per optimizer step'
set xlabel 'optimizer step'
set ylabel 'per-token cross-entropy'
set key top right
plot csv('losses.csv') using 'step':'big_batch'   title 'big batch (32)'             lt train_lt lw 5, \
     csv('losses.csv') using 'step':'accumulated' title '8 x 4, weighted by tokens' lt 3 dt 2, \
     csv('losses.csv') using 'step':'naive'       title '8 x 4, divided by steps'   lt 4
