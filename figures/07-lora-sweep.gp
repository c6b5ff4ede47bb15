# Lesson 07: the rank sweep of LoRA on query/value (alpha = 2r): task accuracy and MLM
# perplexity after the same 300 updates at the same rate (2e-3, dropout 0.1). From sweep.csv.
load 'figures/style.gp'

set multiplot layout 1,2 title 'LoRA on query/value, alpha = 2r, lr 2e-3, dropout 0.1'
set xlabel 'rank r'
set logscale x 2
set xrange [0.8:20]
set xtics (1, 2, 4, 8, 16)
set key off

set title 'task accuracy'
set ylabel 'validation accuracy'
set yrange [0.4:0.8]
plot csv('sweep.csv') using 'r':'accuracy' with linespoints lt 2 pt 7

set title 'forgetting'
set ylabel 'MLM perplexity (pretrained 2.97)'
set yrange [*:*]
plot csv('sweep.csv') using 'r':'perplexity' with linespoints lt 4 pt 7
unset multiplot
