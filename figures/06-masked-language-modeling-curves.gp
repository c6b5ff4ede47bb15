# Lesson 06's pretraining run, from metrics.csv (one row per evaluation, every 100 updates):
# left, masked-LM cross-entropy on training batches (blue, mean since the previous row) and on
# the fixed validation masks (orange), with ln V dotted; right, the same as perplexity = exp(loss)
# on a log scale.
load 'figures/style.gp'

stats csv('metrics.csv') using 'valid_loss' nooutput
lnv_guess = STATS_max   # the first row, before training, is the largest

set multiplot layout 1,2 title 'A tiny RoBERTa learns to fill in blanks (20 epochs, 2,260 updates)'
set xlabel 'update step'
set key top right

set title 'cross-entropy on masked tokens'
set key at graph 1, graph 0.7 right top
set ylabel 'loss'
set yrange [0:*]
set label 1 '← before training ≈ ln V' at 120, lnv_guess - 0.15 left textcolor rgb '#444444'
plot csv('metrics.csv') using 'step':'train_loss' title 'train' lt train_lt, \
     csv('metrics.csv') using 'step':'valid_loss' title 'validation' lt valid_lt with linespoints
unset label 1

set title 'perplexity = exp(loss)'
set key top right
set ylabel 'perplexity (log scale)'
set logscale y
set yrange [1:300]
plot csv('metrics.csv') using 'step':'train_perplexity' title 'train' lt train_lt, \
     csv('metrics.csv') using 'step':'valid_perplexity' title 'validation' lt valid_lt with linespoints
unset multiplot
