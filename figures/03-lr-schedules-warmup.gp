# The same high peak rate with linear decay, with and without warmup, from warmup.csv
# (step,run,lr,loss).
load 'figures/style.gp'
pick(name) = (strcol('run') eq name ? column('loss') : NaN)
set title 'Peak rate 0.25 with and without warmup'
set xlabel 'step'
set ylabel 'cross-entropy loss (log scale)'
set logscale y
set yrange [0.02:30]
set key top right
plot csv('warmup.csv') using 'step':(pick('no warmup')) title 'no warmup (diverged)' with linespoints lt 6 pt 2 ps 1.5, \
     csv('warmup.csv') using 'step':(pick('warmup 20')) title 'warmup 20 steps' lt 1
