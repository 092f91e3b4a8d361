# Per-path throughput of the demo through the failover and the failback
# (tests/demo.sh). Variables, given with gnuplot -e: data (the throughput
# file: seconds, MB/s of the optimized path, MB/s of the other), out (the
# PNG), fault, restore, failback (seconds), stall (ms), fast and slow (line
# titles), title.
set terminal pngcairo size 1100,560 font "sans,11"
set output out
set title title
set xlabel "seconds since fio started"
set ylabel "MB/s (reads + writes)"
set grid
set autoscale xfix
set key below horizontal
stats data using 2:3 nooutput
set yrange [0:(STATS_max_x > STATS_max_y ? STATS_max_x : STATS_max_y) * 1.2 + 0.1]
set style rect fc rgb "#f2d0d0" fs solid 0.5 noborder
set object 1 rect from fault, graph 0 to restore, graph 1 behind
set arrow 1 from fault, graph 0 to fault, graph 1 nohead lc rgb "#c00000" lw 2
set arrow 2 from restore, graph 0 to restore, graph 1 nohead lc rgb "#008000" lw 2
set arrow 3 from failback, graph 0 to failback, graph 1 nohead lc rgb "#0050c0" lw 1 dt 2
set label 1 sprintf("fault %.1f s", fault) at fault, graph 0.95 offset 0.5, 0 tc rgb "#c00000"
set label 2 sprintf("restore %.1f s", restore) at restore, graph 0.95 offset 0.5, 0 tc rgb "#008000"
set label 3 sprintf("failback %.1f s", failback) at failback, graph 0.88 offset 0.5, 0 tc rgb "#0050c0"
set label 4 sprintf("stall %d ms", stall) at fault, graph 0.88 offset 0.5, 0 tc rgb "#c00000"
plot data using 1:2 with lines lw 2 lc rgb "#1f77b4" title fast, \
     data using 1:3 with lines lw 2 lc rgb "#ff7f0e" title slow
