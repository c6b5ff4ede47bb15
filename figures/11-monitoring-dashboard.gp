# Lesson 11: the run's dashboard, twelve small panels from evaluations.csv (every logging_steps),
# metrics.csv (every step) and timing.csv (wall clock, differs from run to run).
load 'figures/style.gp'

if (term eq 'svg') { set terminal svg size 1300,900 font 'DejaVu Sans,13' linewidth 1 background rgb 'white' enhanced }
if (term eq 'png') { set terminal pngcairo size 2600,1800 font 'DejaVu Sans,22' linewidth 2 background rgb 'white' enhanced }
if (outfile ne '') set output outfile

set datafile missing ''
set key top right samplen 1.5 spacing 1.0
set xlabel 'step'
set xtics 100
set ylabel ''
set offsets 0, 0, graph 0.08, graph 0.08

set multiplot layout 3,4 title 'One fine-tune of a tiny RoBERTa, everything a practitioner watches'

set title 'loss'
plot csv('evaluations.csv') using 'step':'train_loss' title 'train' lt train_lt, \
     csv('evaluations.csv') using 'step':'eval_loss' title 'validation' lt valid_lt

set title 'validation accuracy and macro-F1'
set key bottom right
plot csv('evaluations.csv') using 'step':'accuracy' title 'accuracy' lt valid_lt, \
     csv('evaluations.csv') using 'step':'macro_f1' title 'macro-F1' lt 4

set title 'validation perplexity, e^{loss}'
set key off
plot csv('evaluations.csv') using 'step':'perplexity' notitle lt valid_lt

set title 'encoder: MLM pseudo-perplexity'
plot csv('evaluations.csv') using 'step':'mlm_perplexity' notitle lt 6

set title 'learning rate (x 10^{-4})'
plot csv('metrics.csv') using 'step':(column('lr') * 1e4) notitle lt 4

# A skipped step's norm is inf (an overflowed gradient): left out here, marked in the loss-scale panel.
set title 'gradient norm (before clipping)'
plot csv('metrics.csv') using 'step':(column('skipped') == 1 ? NaN : column('grad_norm')) notitle lt train_lt lw 1, \
     1 notitle lt 5 dt 2

set title 'update / weight per layer (log)'
set logscale y
set format y '10^{%L}'
set yrange [1e-5:1e-1]
set key bottom left
plot csv('metrics.csv') using 'step':(column('skipped') == 1 ? NaN : column('update_ratio/embeddings')) title 'embeddings' lt 5 lw 1, \
     csv('metrics.csv') using 'step':(column('skipped') == 1 ? NaN : column('update_ratio/layer.0')) title 'layer 0' lt train_lt lw 1, \
     csv('metrics.csv') using 'step':(column('skipped') == 1 ? NaN : column('update_ratio/layer.1')) title 'layer 1' lt valid_lt lw 1, \
     csv('metrics.csv') using 'step':(column('skipped') == 1 ? NaN : column('update_ratio/classifier')) title 'head' lt 4 lw 1, \
     1e-3 notitle lt 5 dt 2

set title 'loss scale (log_2), skipped steps'
set autoscale y
set logscale y 2
set format y '2^{%L}'
set key bottom right
plot csv('metrics.csv') using 'step':'loss_scale' title 'scale' lt 4, \
     csv('metrics.csv') using 'step':(column('skipped') == 1 ? column('loss_scale') : NaN) title 'skipped' with points pt 7 ps 0.6 lt valid_lt
unset logscale y
set format y '%g'
set key off

set title 'fill-mask: p(expected word)'
set yrange [0:*]
plot csv('evaluations.csv') using 'step':'fill_mask_p' notitle with linespoints lt 6 pt 7 ps 0.5

set title 'samples / s (wall clock)'
plot csv('timing.csv') using 'step':'samples_per_second' notitle lt 5 lw 1

set title 'tokens / s (wall clock)'
plot csv('timing.csv') using 'step':'tokens_per_second' notitle lt 4 lw 1

set title 'tensor memory, MiB'
set yrange [0:*]
set key center right
plot csv('metrics.csv') using 'step':'peak_mb' title 'peak in the step' lt valid_lt, \
     csv('metrics.csv') using 'step':'resident_mb' title 'resident' lt train_lt
unset multiplot
