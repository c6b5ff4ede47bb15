# Lesson 10: gradients stored in 16 bits. Left: the share of nonzero gradient elements that
# became 0, per step, for each way of storing them; right: the GradScaler's scale and the steps
# it skipped. From precision.csv.
load 'figures/style.gp'

set multiplot layout 1,2 title 'Gradients in 16 bits: what becomes zero, and the loss scale'
set xlabel 'step'
set xtics 100

set title 'gradient elements flushed to 0'
set ylabel 'share of nonzero elements'
set yrange [0:0.7]
set key top left samplen 1.5 spacing 1.0
plot csv('precision.csv') using 'step':'zero_share_fp16' title 'fp16' lt 6, \
     csv('precision.csv') using 'step':'zero_share_fp16_static' title 'fp16 x 2^{16}' lt 4, \
     csv('precision.csv') using 'step':'zero_share_fp16_dynamic' title 'fp16, GradScaler' lt 3, \
     csv('precision.csv') using 'step':'zero_share_bf16' title 'bf16' lt 1

set title 'GradScaler: scale and skipped steps'
set ylabel 'loss scale'
set autoscale y
set logscale y 2
set format y '2^{%L}'
set key bottom right
plot csv('precision.csv') using 'step':'scale_dynamic' title 'scale' lt 3, \
     csv('precision.csv') using 'step':(column('skipped_dynamic') > 0 ? column('scale_dynamic') : NaN) \
        title 'overflow: step skipped' with points lt 2 pt 7 ps 1.5
unset multiplot
