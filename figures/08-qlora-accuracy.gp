# Lesson 08: validation accuracy of the continent task after each epoch of LoRA fine-tuning,
# with the pretrained encoder's linear layers in Float32 (green, the reference) and in NF4
# with double quantisation (orange), from accuracy.csv. Both runs use the same adapters,
# data order and schedule; only the frozen base differs. Each point is the mean of the
# runs with fine-tuning seeds 42, 43 and 44.
load 'figures/style.gp'
set title 'LoRA on a Float32 vs a 4-bit (NF4) base, mean of 3 seeds'
set xlabel 'epoch'
set ylabel 'validation accuracy'
set yrange [0:1]
set key bottom right
plot csv('accuracy.csv') using 'epoch':'float32_base' title 'float32 base' with linespoints lt test_lt pt 7, \
     csv('accuracy.csv') using 'epoch':'nf4_base'     title 'nf4 base'     with linespoints lt valid_lt pt 5
