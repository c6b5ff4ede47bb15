# Every Hugging Face schedule (--lr-scheduler-type), one panel each, from schedules.csv
# (step,schedule,lr), as a fraction of the peak rate; "with options" shows two of them with an
# option set, and the last two panels the schedules that need options to exist
# (schedule_options.csv).
load 'figures/style.gp'
stats csv('schedules.csv') using 'lr' nooutput
peak = STATS_max
stats csv('schedules.csv') using 'step' nooutput
last = STATS_max
pick(file_name, name) = (strcol('schedule') eq name ? column('lr') / peak : NaN)
set multiplot layout 2,5 title 'Hugging Face schedules: the rate as a fraction of the peak, against the step'
set xrange [0:last]
set yrange [0:1.05]
set xtics last / 2
set ytics 0.5
set format y '%.1f'
set offsets 0, 0, 0, 0
unset key
names = 'linear cosine cosine_with_restarts polynomial constant constant_with_warmup inverse_sqrt'
do for [i = 1:7] {
    n = word(names, i)
    set title n noenhanced
    plot csv('schedules.csv') using 'step':(pick('', n)) lt 1
}
set title 'with options' noenhanced
plot csv('schedule_options.csv') using 'step':(pick('', 'cosine_with_restarts_3_cycles')) lt 2, \
     csv('schedule_options.csv') using 'step':(pick('', 'polynomial_power_2')) lt 4
# Two lines for the long names, so neighbouring titles do not run into each other.
set title "cosine_with_\nmin_lr" noenhanced
plot csv('schedule_options.csv') using 'step':(pick('', 'cosine_with_min_lr')) lt 1
set title "warmup_\nstable_decay" noenhanced
plot csv('schedule_options.csv') using 'step':(pick('', 'warmup_stable_decay')) lt 1
unset multiplot
