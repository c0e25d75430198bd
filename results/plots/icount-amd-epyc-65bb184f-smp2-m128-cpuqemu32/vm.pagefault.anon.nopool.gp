set terminal pngcairo size 1100,640 font "sans,11" noenhanced
set output "vm.pagefault.anon.nopool.png"
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
set title "vm.pagefault.anon.nopool: as vm.pagefault.anon with VM's pool of zeroed frames empty: the fault zeroes its frame\ninstructions (icount) per operation  |  series icount  |  machine amd-epyc-65bb184f  |  config smp2-m128-cpuqemu32"
set ylabel "instructions (icount) per operation"
set xrange [-0.5:2.500000]
set arrow from 1, graph 0 to 1, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set object rect from 0.500000, graph 0 to 1.500000, graph 1 fc rgb "#2e7d32" fs transparent solid 0.08 noborder behind
set arrow from 1.000000, graph 0 to 1.000000, graph 1 nohead lc rgb "#2e7d32" dt 2 lw 1.5
set label "-1.7%" at 1.000000, graph 0.97 right offset -0.3,0 tc rgb "#2e7d32"
plot "vm.pagefault.anon.nopool.dat" using 1:3:10:11:xtic(2) with yerrorbars ls 1 title "median, bars: 95% CI of the median", \
     '' using 1:3 with lines ls 1 notitle, \
     '' using 1:6 with points ls 2 title "min / max sample", \
     '' using 1:7 with points ls 2 notitle, \
     '' using 1:(strcol(13) eq "I" ? $3 : NaN) with points ls 4 title "improvement starts (green line)"
unset output
set terminal svg size 1100,640 dynamic noenhanced font "sans,12"
set output "vm.pagefault.anon.nopool.svg"
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
set title "vm.pagefault.anon.nopool: as vm.pagefault.anon with VM's pool of zeroed frames empty: the fault zeroes its frame\ninstructions (icount) per operation  |  series icount  |  machine amd-epyc-65bb184f  |  config smp2-m128-cpuqemu32"
set ylabel "instructions (icount) per operation"
set xrange [-0.5:2.500000]
set arrow from 1, graph 0 to 1, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set object rect from 0.500000, graph 0 to 1.500000, graph 1 fc rgb "#2e7d32" fs transparent solid 0.08 noborder behind
set arrow from 1.000000, graph 0 to 1.000000, graph 1 nohead lc rgb "#2e7d32" dt 2 lw 1.5
set label "-1.7%" at 1.000000, graph 0.97 right offset -0.3,0 tc rgb "#2e7d32"
plot "vm.pagefault.anon.nopool.dat" using 1:3:10:11:xtic(2) with yerrorbars ls 1 title "median, bars: 95% CI of the median", \
     '' using 1:3 with lines ls 1 notitle, \
     '' using 1:6 with points ls 2 title "min / max sample", \
     '' using 1:7 with points ls 2 notitle, \
     '' using 1:(strcol(13) eq "I" ? $3 : NaN) with points ls 4 title "improvement starts (green line)"
unset output
