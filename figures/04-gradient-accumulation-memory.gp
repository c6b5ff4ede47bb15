# Lesson 04: measured peak memory of one step (effective batch 32) against the micro-batch size,
# with the k-fold ideal and the floor that never shrinks (the parameters' gradients). Reads memory.csv.
load 'figures/style.gp'
set title 'Peak memory of one step, measured by the MemoryLedger'
set xlabel 'micro-batch size (accumulation steps = 32 / size)'
set ylabel 'peak memory (KiB)'
set logscale xy 2
set xrange [0.8:40]
set yrange [16:4096]
set xtics (1, 2, 4, 8, 16, 32)
set format y '%g'
set key top left
stats csv('memory.csv') using 'peak_kib' nooutput
full = STATS_max
plot csv('memory.csv') using 'micro_batch_size':'peak_kib'     title 'measured peak'                 with linespoints lt train_lt ps 1.2, \
     csv('memory.csv') using 'micro_batch_size':(full * column('micro_batch_size') / 32) title 'k-fold (peak at 32 / k)' lt 5 dt 2, \
     csv('memory.csv') using 'micro_batch_size':'gradient_kib' title 'gradients of the parameters' lt 3 dt 3
