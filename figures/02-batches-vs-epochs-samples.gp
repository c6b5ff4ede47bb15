# Lesson 02: whole-set training loss of the three runs against samples seen (log scale).
load 'figures/style.gp'
set title 'Loss against samples seen: the cost in computation'
set xlabel 'samples seen (log scale)'
set ylabel 'cross-entropy on all 200 samples'
set logscale x
set autoscale xfix
set yrange [0.2:1.7]
set key top right
plot csv('curve-sgd.csv')        using 'samples_seen':'train_loss' title 'SGD (batch 1)'        lt 5 lw 1, \
     csv('curve-mini-batch.csv') using 'samples_seen':'train_loss' title 'mini-batch'           lt 6, \
     csv('curve-batch-gd.csv')   using 'samples_seen':'train_loss' title 'batch GD (batch 200)' lt 4
