# Lesson 13: the first sanity check, one batch of 4 x 64 tokens trained on again and again.
# From overfit.csv.
load 'figures/style.gp'

set title 'One batch, learnt by heart'
set xlabel 'step'
set ylabel 'cross-entropy (nats per token)'
set logscale y
set key off
plot csv('overfit.csv') using 'step':'loss' with lines lt 1
