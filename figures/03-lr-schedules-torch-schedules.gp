# PyTorch's StepLR, OneCycleLR and CyclicLR (triangular) over the same run, from
# torch_schedules.csv (step,schedule,lr).
load 'figures/style.gp'
pick(name) = (strcol('schedule') eq name ? column('lr') : NaN)
set title 'PyTorch schedulers over the same run'
set xlabel 'step'
set ylabel 'learning rate'
stats csv('torch_schedules.csv') using 'lr' nooutput
set yrange [0:1.45 * STATS_max]
set format y '%g'
set key top right
plot csv('torch_schedules.csv') using 'step':(pick('StepLR')) title 'StepLR (halve every 25 steps)' lt 1, \
     csv('torch_schedules.csv') using 'step':(pick('OneCycleLR')) title 'OneCycleLR' lt 2, \
     csv('torch_schedules.csv') using 'step':(pick('CyclicLR')) title 'CyclicLR (triangular)' lt 4
