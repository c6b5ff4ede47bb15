# Lesson 08: where each 4-bit code book puts its 16 values on [-1, 1] (x), and how often each
# value was chosen when a million normal samples were quantised in blocks of 64 (y), from
# codes.csv. NF4's values follow the normal distribution's quantiles, so its bars are the most
# level; int4's even grid crowds the samples into its middle codes; fp4's +-0.0052 takes
# everything near zero (its exact 0 almost nothing) and it has no value up to +-0.167.
load 'figures/style.gp'
set title 'Share of normal samples stored under each 4-bit code'
set xlabel 'code value (w / block absmax)'
set ylabel 'share of samples'
set xrange [-1.08:1.08]
set yrange [0:*]
set format y '%.0f%%'
set key top left
set style fill solid 0.6 noborder
plot csv('codes.csv') using ($2-0.012):(100*$5) title 'nf4'  with impulses lw 4 lt 1, \
     csv('codes.csv') using ($3):(100*$6)       title 'fp4'  with impulses lw 4 lt 4, \
     csv('codes.csv') using ($4+0.012):(100*$7) title 'int4' with impulses lw 4 lt 5
