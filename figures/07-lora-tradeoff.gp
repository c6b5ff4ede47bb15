# Lesson 07: task accuracy against forgetting. Every evaluation of every fine-tune is a point
# (validation accuracy, MLM perplexity of lesson 06's validation set); lower is less forgotten.
# From trace.csv (one row per run and evaluation).
load 'figures/style.gp'

on(name, col) = (strcol('run') eq name) ? column(col) : NaN

set title 'What each fine-tune learned and forgot'
set xlabel 'task accuracy (validation)'
set ylabel 'MLM perplexity (pretrained 2.97)'
set xrange [0.4:1]
set key top left samplen 1.5 spacing 1.0
plot csv('trace.csv') using (on('full 1e-04', 'accuracy')):'perplexity' title 'full, lr 1e-4' with linespoints lt 1 pt 7, \
     csv('trace.csv') using (on('full 3e-04', 'accuracy')):'perplexity' title 'full, lr 3e-4' with linespoints lt 1 dt 2 pt 7, \
     csv('trace.csv') using (on('LoRA r=1 q/v', 'accuracy')):'perplexity' title 'LoRA q/v r=1' with linespoints lt 3 pt 5, \
     csv('trace.csv') using (on('LoRA r=8 q/v', 'accuracy')):'perplexity' title 'LoRA q/v r=8' with linespoints lt 2 pt 5, \
     csv('trace.csv') using (on('LoRA r=16 q/v', 'accuracy')):'perplexity' title 'LoRA q/v r=16' with linespoints lt 6 pt 5, \
     csv('trace.csv') using (on('LoRA r=1 all', 'accuracy')):'perplexity' title 'LoRA all r=1' with linespoints lt 4 pt 9, \
     csv('trace.csv') using (on('LoRA r=8 all', 'accuracy')):'perplexity' title 'LoRA all r=8' with linespoints lt 5 pt 9
