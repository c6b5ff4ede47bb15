# Lesson 01: training and validation loss after every optimizer step, from metrics.csv.
load 'figures/style.gp'
set title 'Cross-entropy loss falls smoothly'
set xlabel 'optimizer step (15 steps = 1 epoch)'
set ylabel 'mean cross-entropy (nats)'
set yrange [0:1.6]
set key center right
plot csv('metrics.csv') using 'step':'train_loss' title 'train' lt train_lt, \
     csv('metrics.csv') using 'step':'valid_loss' title 'validation' lt valid_lt, \
     log(4) title 'ln 4 (uniform guess)' lt test_lt dt 2 lw 1.5
