# Lesson 04: how far each accumulated run's loss curve is from the big batch's, on a log scale.
# Float rounding (about 1e-6) for the token-weighted run; a real difference for the other.
load 'figures/style.gp'
set title 'Distance from the big-batch curve'
set xlabel 'optimizer step'
set ylabel '|loss - big-batch loss|'
set logscale y
set format y '10^{%L}'
set yrange [1e-9:1]
set key right center
plot csv('losses.csv') using 'step':'gap_naive'       title '8 x 4, divided by steps'   with linespoints lt 4, \
     csv('losses.csv') using 'step':'gap_accumulated' title '8 x 4, weighted by tokens' with linespoints lt 3
