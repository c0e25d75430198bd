set terminal pngcairo size 1100,640 font "sans,11" noenhanced
set output "vm.zeropool.refill.png"
set xlabel "commit (oldest left, history order; grey ticks: not measured)"
set key tmargin center horizontal
set xtics rotate by 45 right nomirror
set ytics nomirror
set format y "%.6g"
set offsets 0, 0, graph 0.12, graph 0.08
set grid ytics lc rgb "#dddddd"
set style line 1 lc rgb "#1f5fbf" lw 2 pt 7 ps 0.8
set style line 2 lc rgb "#999999" pt 1 ps 1.1
set style line 3 lc rgb "#c62828" pt 7 ps 2.0
set style line 4 lc rgb "#2e7d32" pt 7 ps 2.0
set style line 5 lc rgb "#777777" dt 2 lw 1
set bars 1.5
unset arrow
unset label
unset object
set title "vm.zeropool.refill: VM zeroing frames into its pool, per frame: one request for an idle refill's batch (16)\ninstructions (icount) per operation  |  series icount  |  machine amd-epyc-65bb184f  |  config smp2-m128-cpuqemu32"
set ylabel "instructions (icount) per operation"
set xrange [-0.5:2.500000]
set arrow from 1, graph 0 to 1, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
plot "vm.zeropool.refill.dat" using 1:3:10:11:xtic(2) with yerrorbars ls 1 title "median, bars: 95% CI of the median", \
     '' using 1:3 with lines ls 1 notitle, \
     '' using 1:6 with points ls 2 title "min / max sample", \
     '' using 1:7 with points ls 2 notitle
unset output
set terminal svg size 1100,640 dynamic noenhanced font "sans,12"
set output "vm.zeropool.refill.svg"
set xlabel "commit (oldest left, history order; grey ticks: not measured)"
set key tmargin center horizontal
set xtics rotate by 45 right nomirror
set ytics nomirror
set format y "%.6g"
set offsets 0, 0, graph 0.12, graph 0.08
set grid ytics lc rgb "#dddddd"
set style line 1 lc rgb "#1f5fbf" lw 2 pt 7 ps 0.8
set style line 2 lc rgb "#999999" pt 1 ps 1.1
set style line 3 lc rgb "#c62828" pt 7 ps 2.0
set style line 4 lc rgb "#2e7d32" pt 7 ps 2.0
set style line 5 lc rgb "#777777" dt 2 lw 1
set bars 1.5
unset arrow
unset label
unset object
set title "vm.zeropool.refill: VM zeroing frames into its pool, per frame: one request for an idle refill's batch (16)\ninstructions (icount) per operation  |  series icount  |  machine amd-epyc-65bb184f  |  config smp2-m128-cpuqemu32"
set ylabel "instructions (icount) per operation"
set xrange [-0.5:2.500000]
set arrow from 1, graph 0 to 1, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
plot "vm.zeropool.refill.dat" using 1:3:10:11:xtic(2) with yerrorbars ls 1 title "median, bars: 95% CI of the median", \
     '' using 1:3 with lines ls 1 notitle, \
     '' using 1:6 with points ls 2 title "min / max sample", \
     '' using 1:7 with points ls 2 notitle
unset output
