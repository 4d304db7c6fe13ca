# bench/plot.gp: stateguard's cost as a multiple of git's for each bench case, with the target
# of each case, from the data bench/run.sh writes (name, stateguard/git, target; 0 = none).
# gnuplot -e "datafile='...'; outfile='...'" bench/plot.gp
set terminal pngcairo size 1100,650 font "sans,10"
set output outfile
set title "stateguard time / git time for the same work (lower is better; no orange bar: shown for context)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.8
set yrange [0:2.5]
set ylabel "multiple of git's time"
set xtics rotate by 25 right scale 0 noenhanced
set bmargin 14
set lmargin 30
set key inside top center horizontal noenhanced
set grid ytics
set datafile separator "\t"
plot datafile using 2:xtic(1) title "stateguard / git (median)" lc rgb "#3b75af", \
     '' using 3 title "target" lc rgb "#e0a030"
