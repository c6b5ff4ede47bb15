# Lesson 10: the same SGD run at learning rate 0.2 without and with clipping to max norm 1.0.
# Left: the loss (log scale); right: the gradient norm before clipping. From clipping.csv.
load 'figures/style.gp'

set multiplot layout 1,2 title 'Same seed, same learning rate: without and with clipping'
set xlabel 'step'
set xtics 100
set logscale y
set format y '10^{%L}'

set title 'training loss'
set ylabel 'MSE loss'
set key top right
plot csv('clipping.csv') using 'step':'loss_unclipped' title 'no clipping' lt 6, \
     csv('clipping.csv') using 'step':'loss_clipped' title 'clipped to 1.0' lt 1

set title 'gradient norm before clipping'
set ylabel 'total L2 norm'
set key off
plot csv('clipping.csv') using 'step':'grad_norm_unclipped' notitle lt 6, \
     csv('clipping.csv') using 'step':'grad_norm_clipped' notitle lt 1, \
     1 notitle lt 5 dt 2
unset multiplot
