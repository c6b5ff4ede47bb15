# The four canonical learning curves of lesson 05, one panel each: training loss (blue) and
# validation loss (orange) per epoch, from metrics.csv (one row per run and epoch). Dots mark
# each panel's lowest validation loss where it matters (landmarks.csv). The well-fit panel marks
# where early stopping stopped; its dotted lines are the same settings trained on without early
# stopping (the "regularized" run), to show what stopping would have cost or saved.
load 'figures/style.gp'

# on(name, col): the column's value on rows of that run, NaN elsewhere (gnuplot skips NaN).
on(name, col) = (strcol('run') eq name) ? column(col) : NaN

stats csv('landmarks.csv') using (on('overfit', 'best_epoch')) nooutput
over_best = STATS_max
stats csv('landmarks.csv') using (on('overfit', 'best_valid_loss')) nooutput
over_best_loss = STATS_max
stats csv('landmarks.csv') using (on('well-fit', 'best_epoch')) nooutput
well_best = STATS_max
stats csv('landmarks.csv') using (on('well-fit', 'best_valid_loss')) nooutput
well_best_loss = STATS_max
stats csv('landmarks.csv') using (on('well-fit', 'stopped_epoch')) nooutput
stopped = STATS_max

set multiplot layout 2,2 title 'One noisy data set, four runs: cross-entropy loss per epoch'
set yrange [0.35:0.95]
set ytics 0.1
set key top right maxrows 1 samplen 1.5
set xlabel 'epoch'
set ylabel 'loss'

set title 'overfit: validation turns up'
set label 1 sprintf('lowest at %d', over_best) at over_best, over_best_loss offset -0.5, 1.4 left textcolor rgb valid_color
plot csv('metrics.csv') using 'epoch':(on('overfit', 'train_loss')) title 'train' lt train_lt, \
     csv('metrics.csv') using 'epoch':(on('overfit', 'valid_loss')) title 'validation' lt valid_lt, \
     '+' using (over_best):(over_best_loss) every ::0::0 notitle with points pt 7 ps 1.3 lc rgb '#222222'
unset label 1

set title 'underfit: rate too low, both stay high'
plot csv('metrics.csv') using 'epoch':(on('underfit', 'train_loss')) title 'train' lt train_lt, \
     csv('metrics.csv') using 'epoch':(on('underfit', 'valid_loss')) title 'validation' lt valid_lt

set title 'erratic: rate too high, batch too small'
plot csv('metrics.csv') using 'epoch':(on('erratic', 'train_loss')) title 'train' lt train_lt, \
     csv('metrics.csv') using 'epoch':(on('erratic', 'valid_loss')) title 'validation' lt valid_lt

set title sprintf('well-fit: stopped at %d, kept %d', stopped, well_best)
set key bottom right
set xrange [0:40]
set arrow 1 from stopped, graph 0 to stopped, graph 0.62 nohead dt 2 lc rgb '#444444'
set label 2 sprintf('stopped %d', stopped) at stopped, graph 0.62 offset 0.5, 0 left textcolor rgb '#444444'
set label 3 sprintf('best %d', well_best) at well_best, well_best_loss offset 0.5, 1.3 right textcolor rgb valid_color
plot csv('metrics.csv') using 'epoch':(on('regularized', 'train_loss')) notitle lt train_lt dt 3 lw 1, \
     csv('metrics.csv') using 'epoch':(on('regularized', 'valid_loss')) notitle lt valid_lt dt 3 lw 1, \
     csv('metrics.csv') using 'epoch':(on('well-fit', 'train_loss')) title 'train' lt train_lt, \
     csv('metrics.csv') using 'epoch':(on('well-fit', 'valid_loss')) title 'validation' lt valid_lt, \
     '+' using (well_best):(well_best_loss) every ::0::0 notitle with points pt 7 ps 1.3 lc rgb '#222222'
unset multiplot
