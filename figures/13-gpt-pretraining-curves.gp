# Lesson 13: training and held-out loss of the GPT against tokens seen, in bits per byte, with
# the unigram and bigram models of the same tokens as floors. From curves.csv.
load 'figures/style.gp'

set title 'Pretraining a 4-layer GPT on Shakespeare'
set xlabel 'tokens seen'
set ylabel 'bits per byte'
set format x '%.0s%c'
set key top right
plot csv('curves.csv') using 'tokens_seen':'train_bits_per_byte' with linespoints title 'training' lt 1, \
     csv('curves.csv') using 'tokens_seen':'eval_bits_per_byte' with linespoints title 'held out' lt 2, \
     csv('curves.csv') using 'tokens_seen':'unigram_bits_per_byte' with lines title 'unigram floor' lt 5 dt 2, \
     csv('curves.csv') using 'tokens_seen':'bigram_bits_per_byte' with lines title 'bigram floor' lt 6 dt 2
