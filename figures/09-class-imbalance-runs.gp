# Lesson 09's five runs, per epoch on the validation set: recall of the negative (minority)
# class on the left, macro-F1 on the right. From epochs.csv (one row per run and epoch).
load 'figures/style.gp'

on(name, col) = (strcol('run') eq name) ? column(col) : NaN

set multiplot layout 1,2 title 'Five runs on the same 80/20 reviews'
set xlabel 'epoch'
set yrange [0:1]
set ytics 0.2
set key off

set title 'negative (minority) recall'
set ylabel 'recall'
plot csv('epochs.csv') using 'epoch':(on('baseline', 'minority_recall')) notitle lt 5 lw 3, \
     csv('epochs.csv') using 'epoch':(on('class weights', 'minority_recall')) notitle lt 6, \
     csv('epochs.csv') using 'epoch':(on('higher lr', 'minority_recall')) notitle lt 1, \
     csv('epochs.csv') using 'epoch':(on('higher lr + weights', 'minority_recall')) notitle lt 2, \
     csv('epochs.csv') using 'epoch':(on('higher lr + oversampling', 'minority_recall')) notitle lt 3

set title 'macro-F1'
set ylabel 'macro-F1'
set key bottom right samplen 1.5 spacing 1.0
plot csv('epochs.csv') using 'epoch':(on('baseline', 'macro_f1')) title 'baseline, 1e-5 (= always positive)' lt 5 lw 3, \
     csv('epochs.csv') using 'epoch':(on('class weights', 'macro_f1')) title '+ weights, 1e-5' lt 6, \
     csv('epochs.csv') using 'epoch':(on('higher lr', 'macro_f1')) title '1e-3' lt 1, \
     csv('epochs.csv') using 'epoch':(on('higher lr + weights', 'macro_f1')) title '1e-3 + weights' lt 2, \
     csv('epochs.csv') using 'epoch':(on('higher lr + oversampling', 'macro_f1')) title '1e-3 + oversampling' lt 3
unset multiplot
