# Lesson 11: the run's dashboard, eight small panels from evaluations.csv (every logging_steps),
# metrics.csv (every step) and timing.csv (wall clock, differs from run to run).
load 'figures/style.gp'

if (term eq 'svg') { set terminal svg size 1200,620 font 'DejaVu Sans,13' linewidth 1 background rgb 'white' enhanced }
if (term eq 'png') { set terminal pngcairo size 2400,1240 font 'DejaVu Sans,22' linewidth 2 background rgb 'white' enhanced }
if (outfile ne '') set output outfile

set key top right samplen 1.5 spacing 1.0
set xlabel 'step'
set xtics 200
set ylabel ''
set offsets 0, 0, graph 0.08, graph 0.08

set multiplot layout 2,4 title 'One run, everything a practitioner watches'

set title 'loss'
plot csv('evaluations.csv') using 'step':'train_loss' title 'train' lt train_lt, \
     csv('evaluations.csv') using 'step':'eval_loss' title 'validation' lt valid_lt

set title 'validation accuracy'
set key off
plot csv('evaluations.csv') using 'step':'accuracy' notitle lt valid_lt

set title 'validation macro-F1'
plot csv('evaluations.csv') using 'step':'macro_f1' notitle lt valid_lt

set title 'validation perplexity, e^{loss}'
plot csv('evaluations.csv') using 'step':'perplexity' notitle lt valid_lt

set title 'learning rate (x 10^{-3})'
plot csv('metrics.csv') using 'step':(column('lr') * 1000) notitle lt 4

set title 'gradient norm (before clipping)'
plot csv('metrics.csv') using 'step':'grad_norm' notitle lt train_lt lw 1, 1 notitle lt 5 dt 2

set title 'samples / s (wall clock)'
set yrange [0:*]
plot csv('timing.csv') using 'step':'samples_per_second' notitle lt 5 lw 1

set title 'peak tensor memory per step (KiB)'
set yrange [0:*]
plot csv('metrics.csv') using 'step':(column('peak_mb') * 1024) notitle lt 6
unset multiplot
