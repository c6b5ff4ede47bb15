# Lesson 12: what a larger BPE vocabulary buys and costs. Left: bytes of held-out Shakespeare per
# token (longer tokens, shorter sequences); right: the embedding's parameters (grow with the
# vocabulary) and the attention scores a 1,024-byte text needs (shrink with the sequence). From sweep.csv.
load 'figures/style.gp'

set multiplot layout 1,2 title 'Vocabulary size: shorter sequences, bigger embeddings'
set xlabel 'vocabulary size'
set logscale x 2
set xtics (256, 512, 1024, 2048, 4096, 8192)
set key off

set title 'bytes per token (held-out works)'
set ylabel 'bytes / token'
set yrange [0:*]
plot csv('sweep.csv') using 'vocab_size':'bytes_per_token' with linespoints lt train_lt pt 7

set title 'cost (relative to 256 bytes)'
set ylabel 'x the byte tokenizer'
set logscale y 10
set yrange [*:*]
set key top left
plot csv('sweep.csv') using 'vocab_size':(column('embedding_parameters') / (259.0 * 384)) with linespoints title 'embedding parameters' lt valid_lt pt 7, \
     csv('sweep.csv') using 'vocab_size':(column('attention_scores') / 1048576.0) with linespoints title 'attention scores per text' lt test_lt pt 5
unset multiplot
