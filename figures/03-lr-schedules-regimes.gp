# Training loss per batch at three of the sweep's constant learning rates, from regimes.csv (step,run,lr,loss).
# A run that diverged stops at the step where it did; its last point is marked.
load 'figures/style.gp'
pick(name) = (strcol('run') eq name ? column('loss') : NaN)
set title 'Too low, tuned, too high: training loss at constant rates'
set xlabel 'step'
set ylabel 'cross-entropy loss (log scale)'
set logscale y
set yrange [0.02:1000]
set key top right
plot csv('regimes.csv') using 'step':(pick('lr 1e-5')) title 'lr 1e-5 (too low)' lt 5, \
     csv('regimes.csv') using 'step':(pick('lr 1e-2')) title 'lr 1e-2 (tuned)' lt 1, \
     csv('regimes.csv') using 'step':(pick('lr 1')) title 'lr 1 (too high: diverged)' with linespoints lt 6 pt 2 ps 1.5
