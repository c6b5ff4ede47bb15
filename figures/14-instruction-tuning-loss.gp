# Lesson 14: training loss (response tokens only, except the run with loss on every token) of
# each fine-tune against the step. From loss.csv.
load 'figures/style.gp'

set title 'Instruction fine-tuning: training loss'
set xlabel 'step'
set ylabel 'cross-entropy (nats per token)'
set key top right
plot csv('loss.csv') using 1:2 with lines title columnheader(2) lt 1, \
     csv('loss.csv') using 1:3 with lines title columnheader(3) lt 2, \
     csv('loss.csv') using 1:4 with lines title columnheader(4) lt 3, \
     csv('loss.csv') using 1:5 with lines title columnheader(5) lt 4
