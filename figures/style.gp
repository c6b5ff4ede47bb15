# figures/style.gp — the one style every figure of the book loads.
#
# HOW TO WRITE A FIGURE (the convention; read this first)
#
#   A figure is a script figures/NN-slug-<name>.gp, named after its lesson's folder, e.g.
#   figures/05-overfitting-curves.gp for Lessons/05-overfitting. It reads the CSVs that the
#   lesson's run wrote to book/build/NN-slug/, through csv('file.csv'):
#
#       load 'figures/style.gp'
#       set title 'Training and validation loss'
#       set xlabel 'epoch'
#       set ylabel 'cross-entropy loss'
#       plot csv('metrics.csv') using 'epoch':'train_loss' title 'train'      lt train_lt, \
#            csv('metrics.csv') using 'epoch':'valid_loss' title 'validation' lt valid_lt
#
#   Columns are named by the CSV's header line. Do not set a terminal or an output: make does it.
#   The chapter shows the figure with ![caption](figures/05-overfitting-curves.svg).
#
#   make (mk/book.mk) renders each script twice, to SVG for the HTML and PNG for everything else:
#       gnuplot -e "builddir='book/build'; lesson='05-overfitting'; term='svg'; \
#                   outfile='book/build/figures/05-overfitting-curves.svg'" figures/05-overfitting-curves.gp
#   and the same with term='png' and .png. By hand, after `make book` has run the lesson,
#       gnuplot -e "lesson='05-overfitting'" figures/05-overfitting-curves.gp
#   draws the figure in the terminal (term defaults to 'dumb').
#
# COLOURS, the same across the book:
#   train_lt = 1 (blue) for anything measured on training data,
#   valid_lt = 2 (orange) for validation, test_lt = 3 (green) for test or a reference;
#   line types 4, 5, 6 (purple, grey, pink) for further series such as several learning rates.
#   The colours are also named (train_color, valid_color, ...) for `lc rgb train_color`.
#   Lines are the default style; write `with points` or `with linespoints` when needed.

# --- variables make passes (defaults for running by hand) ---
if (!exists("builddir")) builddir = 'book/build'
if (!exists("term")) term = 'dumb'
if (!exists("outfile")) outfile = ''

# csv('metrics.csv') is book/build/<lesson>/metrics.csv; `lesson` must be set (make sets it).
csv(name) = builddir . '/' . lesson . '/' . name

# --- terminal ---
set encoding utf8
if (term eq 'svg') {
    set terminal svg size 800,450 font 'DejaVu Sans,16' linewidth 1 background rgb 'white' enhanced
} else {
    if (term eq 'png') {
        set terminal pngcairo size 1600,900 font 'DejaVu Sans,24' linewidth 2 background rgb 'white' enhanced
    } else {
        set terminal dumb size 100,30 enhanced
    }
}
if (outfile ne '') set output outfile

# --- data: CSV files with a header line naming the columns ---
set datafile separator comma
set datafile columnheaders
set datafile missing 'nan'

# --- colours ---
train_color = '#1f77b4'
valid_color = '#e6711b'
test_color  = '#2ca02c'
train_lt = 1
valid_lt = 2
test_lt  = 3
set linetype 1 lc rgb train_color lw 2 pt 7 ps 0.6
set linetype 2 lc rgb valid_color lw 2 pt 5 ps 0.6
set linetype 3 lc rgb test_color  lw 2 pt 9 ps 0.6
set linetype 4 lc rgb '#7b3294'   lw 2 pt 11 ps 0.6
set linetype 5 lc rgb '#7f7f7f'   lw 2 pt 13 ps 0.6
set linetype 6 lc rgb '#d6338a'   lw 2 pt 15 ps 0.6
set linetype cycle 6

# --- frame, grid, key ---
set style data lines
set border 3 lc rgb '#444444' lw 1
set tics nomirror out scale 0.6 textcolor rgb '#333333'
set style line 100 lc rgb '#e6e6e6' lw 1 dt 1
set grid xtics ytics ls 100, ls 100
set key top right noopaque nobox samplen 2.5 spacing 1.2 textcolor rgb '#222222'
set title textcolor rgb '#111111'
set xlabel textcolor rgb '#222222'
set ylabel textcolor rgb '#222222'
set offsets 0, 0, graph 0.05, graph 0.05
