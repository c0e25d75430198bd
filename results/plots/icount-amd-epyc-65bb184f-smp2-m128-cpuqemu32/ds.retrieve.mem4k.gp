set terminal pngcairo size 1100,640 font "sans,11" noenhanced
set output "ds.retrieve.mem4k.png"
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
set title "ds.retrieve.mem4k: DS_RETRIEVE of a 4 KiB memory entry: a grant made, the store's safecopy into it, the grant revoked\ninstructions (icount) per operation  |  series icount  |  machine amd-epyc-65bb184f  |  config smp2-m128-cpuqemu32"
set ylabel "instructions (icount) per operation"
set xrange [-0.5:36.500000]
set arrow from 1, graph 0 to 1, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 2, graph 0 to 2, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 3, graph 0 to 3, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 4, graph 0 to 4, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 5, graph 0 to 5, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 6, graph 0 to 6, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 7, graph 0 to 7, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 8, graph 0 to 8, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 9, graph 0 to 9, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 10, graph 0 to 10, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 11, graph 0 to 11, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 12, graph 0 to 12, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 13, graph 0 to 13, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 14, graph 0 to 14, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 15, graph 0 to 15, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 16, graph 0 to 16, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 17, graph 0 to 17, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 18, graph 0 to 18, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 19, graph 0 to 19, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 20, graph 0 to 20, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 21, graph 0 to 21, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 22, graph 0 to 22, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 24, graph 0 to 24, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 26, graph 0 to 26, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 28, graph 0 to 28, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 29, graph 0 to 29, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 30, graph 0 to 30, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 32, graph 0 to 32, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 34, graph 0 to 34, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 35, graph 0 to 35, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
plot "ds.retrieve.mem4k.dat" using 1:3:10:11:xtic(2) with yerrorbars ls 1 title "median, bars: 95% CI of the median", \
     '' using 1:3 with lines ls 1 notitle, \
     '' using 1:6 with points ls 2 title "min / max sample", \
     '' using 1:7 with points ls 2 notitle
unset output
set terminal svg size 1100,640 dynamic noenhanced font "sans,12"
set output "ds.retrieve.mem4k.svg"
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
set title "ds.retrieve.mem4k: DS_RETRIEVE of a 4 KiB memory entry: a grant made, the store's safecopy into it, the grant revoked\ninstructions (icount) per operation  |  series icount  |  machine amd-epyc-65bb184f  |  config smp2-m128-cpuqemu32"
set ylabel "instructions (icount) per operation"
set xrange [-0.5:36.500000]
set arrow from 1, graph 0 to 1, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 2, graph 0 to 2, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 3, graph 0 to 3, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 4, graph 0 to 4, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 5, graph 0 to 5, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 6, graph 0 to 6, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 7, graph 0 to 7, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 8, graph 0 to 8, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 9, graph 0 to 9, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 10, graph 0 to 10, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 11, graph 0 to 11, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 12, graph 0 to 12, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 13, graph 0 to 13, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 14, graph 0 to 14, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 15, graph 0 to 15, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 16, graph 0 to 16, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 17, graph 0 to 17, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 18, graph 0 to 18, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 19, graph 0 to 19, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 20, graph 0 to 20, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 21, graph 0 to 21, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 22, graph 0 to 22, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 24, graph 0 to 24, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 26, graph 0 to 26, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 28, graph 0 to 28, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 29, graph 0 to 29, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 30, graph 0 to 30, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 32, graph 0 to 32, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 34, graph 0 to 34, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 35, graph 0 to 35, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
plot "ds.retrieve.mem4k.dat" using 1:3:10:11:xtic(2) with yerrorbars ls 1 title "median, bars: 95% CI of the median", \
     '' using 1:3 with lines ls 1 notitle, \
     '' using 1:6 with points ls 2 title "min / max sample", \
     '' using 1:7 with points ls 2 notitle
unset output
