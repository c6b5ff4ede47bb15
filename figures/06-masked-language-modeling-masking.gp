# Dynamic against static masking in lesson 06, from masking.csv: the same 400 training
# sentences, 30 epochs, the same seed, batches and schedule. Solid: validation loss (orange
# shades); dotted: training loss (blue shades). Static masks are drawn once, so by epoch 30 the
# model has seen each sentence's blanks 30 times: training loss falls far, validation turns up.
load 'figures/style.gp'

set title 'Dynamic vs static masking: 400 sentences, 30 epochs'
set xlabel 'epoch'
set ylabel 'masked-LM cross-entropy'
set yrange [0:*]
set key top right
plot csv('masking.csv') using 'epoch':'dynamic_valid_loss' title 'dynamic, validation' lt valid_lt, \
     csv('masking.csv') using 'epoch':'static_valid_loss' title 'static, validation' lt 4, \
     csv('masking.csv') using 'epoch':'dynamic_train_loss' title 'dynamic, train' lt train_lt dt 3, \
     csv('masking.csv') using 'epoch':'static_train_loss' title 'static, train' lt 5 dt 3
