# Lesson 13: training and held-out loss of the GPT against tokens seen, in bits per byte, with
# the unigram and bigram models of the same tokens as floors. From curves.csv.
load 'figures/style.gp'

set title 'Pretraining a GPT on Shakespeare'
set xlabel 'tokens seen (millions)'
set ylabel 'bits per byte'
set format x '%.1f'
set key top right
plot csv('curves.csv') using (column('tokens_seen') / 1e6):'train_bits_per_byte' with linespoints title 'training' lt 1, \
     csv('curves.csv') using (column('tokens_seen') / 1e6):'eval_bits_per_byte' with linespoints title 'held out' lt 2, \
     csv('curves.csv') using (column('tokens_seen') / 1e6):'unigram_bits_per_byte' with lines title 'unigram floor' lt 5 dt 2, \
     csv('curves.csv') using (column('tokens_seen') / 1e6):'bigram_bits_per_byte' with lines title 'bigram floor' lt 6 dt 2
