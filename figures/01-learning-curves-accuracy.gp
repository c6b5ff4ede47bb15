# Lesson 01: training and validation accuracy after every optimizer step, from metrics.csv.
# Drawn as steps: accuracy on N examples can only be 0/N, 1/N, ..., N/N. The left panel shows
# the whole climb; the right one zooms in on the plateau, where the steps are a point or less.
load 'figures/style.gp'
set multiplot layout 1,2 title 'Accuracy moves in steps'
set xlabel 'optimizer step'
set xtics 150
set title 'all steps'
set ylabel 'accuracy (%)'
set yrange [0:100]
set key bottom right
plot csv('metrics.csv') using 'step':(100 * column('train_accuracy')) title 'train' with steps lt train_lt, \
     csv('metrics.csv') using 'step':(100 * column('valid_accuracy')) title 'validation' with steps lt valid_lt, \
     25 title 'chance' lt test_lt dt 2 lw 1.5
set yrange [80:90]
set ylabel ''
set key top left
set title 'zoomed in on 80-90%'
plot csv('metrics.csv') using 'step':(100 * column('train_accuracy')) title 'train' with steps lt train_lt, \
     csv('metrics.csv') using 'step':(100 * column('valid_accuracy')) title 'validation' with steps lt valid_lt
unset multiplot
