# Lesson 02: whole-set training loss of the three runs against epochs (passes over the data).
load 'figures/style.gp'
set title 'Loss against epochs: small batches need far fewer passes'
set xlabel 'epoch'
set autoscale xfix
set ylabel 'cross-entropy on all 200 samples'
set yrange [0.2:1.7]
set key top right
plot csv('curve-sgd.csv')        using 'epoch':'train_loss' title 'SGD (batch 1)'        lt 5 lw 1, \
     csv('curve-mini-batch.csv') using 'epoch':'train_loss' title 'mini-batch'           lt 6, \
     csv('curve-batch-gd.csv')   using 'epoch':'train_loss' title 'batch GD (batch 200)' lt 4
