# Lesson 09's baseline (80/20 reviews, AdamW at 1e-5, no class weights), per epoch on the
# validation set: accuracy climbs to the positive share (0.8) while recall of the negative
# (minority) class falls to 0 and macro-F1 stays where the untrained model was. From epochs.csv.
load 'figures/style.gp'

on(name, col) = (strcol('run') eq name) ? column(col) : NaN

set title 'Baseline at learning rate 1e-5: accuracy rises, the minority vanishes'
set xlabel 'epoch'
set ylabel 'validation score'
set yrange [0:1]
set ytics 0.2
set key at graph 0.98, graph 0.7 right top
set arrow 1 from graph 0, first 0.8 to graph 1, first 0.8 nohead dt 3 lc rgb '#7f7f7f'
set label 1 'share of positive reviews (always answering "positive")' at graph 0.02, first 0.84 left textcolor rgb '#555555'
plot csv('epochs.csv') using 'epoch':(on('baseline', 'accuracy')) title 'accuracy' lt 1 with linespoints, \
     csv('epochs.csv') using 'epoch':(on('baseline', 'macro_f1')) title 'macro-F1' lt 4 with linespoints, \
     csv('epochs.csv') using 'epoch':(on('baseline', 'minority_recall')) title 'negative recall' lt 2 with linespoints
