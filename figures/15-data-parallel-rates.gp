# Lesson 15: the same number of sequences, one rank at the base learning rate against two ranks
# (twice the batch, half the steps) at the same, the linearly and the square-root scaled rate.
# From lr-*.csv.
load 'figures/style.gp'

set title 'Twice the batch: which learning rate?'
set xlabel 'sequences seen'
set ylabel 'training loss (nats per token)'
set key top right
plot csv('lr-one-rank.csv') using 'sequences_seen':'train_loss' with lines lt 1 title '1 rank, base rate', \
     csv('lr-same-rate.csv') using 'sequences_seen':'train_loss' with lines lt 2 title '2 ranks, same rate', \
     csv('lr-linear.csv') using 'sequences_seen':'train_loss' with lines lt 3 title '2 ranks, rate x 2', \
     csv('lr-square-root.csv') using 'sequences_seen':'train_loss' with lines lt 4 title '2 ranks, rate x sqrt 2'
