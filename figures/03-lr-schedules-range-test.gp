# The LR range test: loss against an exponentially growing rate, from range_test.csv
# (step,lr,loss,smoothed_loss), with the rates of range_test_marks.csv (mark,lr,smoothed_loss).
load 'figures/style.gp'
set title 'LR range test: 100 steps, lr from 1e-6 to 1'
set xlabel 'learning rate (log scale)'
set ylabel 'cross-entropy loss'
set logscale x
set format x '10^{%L}'
set key top left
set yrange [0:3]
mark(name) = (strcol('mark') eq name ? column('lr') : NaN)
markloss(name) = (strcol('mark') eq name ? column('smoothed_loss') : NaN)
plot csv('range_test.csv') using 'lr':'loss' title 'loss per batch' lt 5 lw 1, \
     csv('range_test.csv') using 'lr':'smoothed_loss' title 'smoothed loss' lt 1, \
     csv('range_test_marks.csv') using (mark('minimum')):(markloss('minimum')) title 'minimum' with points lt 2 pt 7 ps 1.5, \
     csv('range_test_marks.csv') using (mark('suggested')):(markloss('suggested')) title 'suggested (minimum / 10)' with points lt 3 pt 9 ps 2, \
     csv('range_test_marks.csv') using (mark('tuned')):(markloss('tuned')) title 'tuned by the sweep' with points lt 4 pt 5 ps 1.5
