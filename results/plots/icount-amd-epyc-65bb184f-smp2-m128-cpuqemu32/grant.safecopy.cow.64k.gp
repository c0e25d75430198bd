set terminal pngcairo size 1100,640 font "sans,11" noenhanced
set output "grant.safecopy.cow.64k.png"
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
set title "grant.safecopy.cow.64k: VM_COWCOPY (pages shared copy-on-write) of 64 KiB from a granter on the same CPU into present memory\ninstructions (icount) per operation  |  series icount  |  machine amd-epyc-65bb184f  |  config smp2-m128-cpuqemu32"
set ylabel "instructions (icount) per operation"
set xrange [-0.5:80.500000]
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
set arrow from 37, graph 0 to 37, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 38, graph 0 to 38, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 39, graph 0 to 39, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 40, graph 0 to 40, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 41, graph 0 to 41, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 42, graph 0 to 42, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 43, graph 0 to 43, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 44, graph 0 to 44, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 45, graph 0 to 45, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 46, graph 0 to 46, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 47, graph 0 to 47, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 48, graph 0 to 48, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 49, graph 0 to 49, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 50, graph 0 to 50, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 51, graph 0 to 51, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 52, graph 0 to 52, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 53, graph 0 to 53, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 54, graph 0 to 54, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 55, graph 0 to 55, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 56, graph 0 to 56, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 57, graph 0 to 57, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 58, graph 0 to 58, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 59, graph 0 to 59, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 60, graph 0 to 60, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 61, graph 0 to 61, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 62, graph 0 to 62, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 63, graph 0 to 63, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 64, graph 0 to 64, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 65, graph 0 to 65, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 66, graph 0 to 66, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 67, graph 0 to 67, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 68, graph 0 to 68, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 69, graph 0 to 69, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 70, graph 0 to 70, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 71, graph 0 to 71, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 72, graph 0 to 72, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 73, graph 0 to 73, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 74, graph 0 to 74, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 75, graph 0 to 75, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 76, graph 0 to 76, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 77, graph 0 to 77, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 79, graph 0 to 79, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set object rect from 23.500000, graph 0 to 24.500000, graph 1 fc rgb "#2e7d32" fs transparent solid 0.08 noborder behind
set arrow from 24.000000, graph 0 to 24.000000, graph 1 nohead lc rgb "#2e7d32" dt 2 lw 1.5
set label "-6.1%" at 24.000000, graph 0.97 right offset -0.3,0 tc rgb "#2e7d32"
set object rect from 36.500000, graph 0 to 77.500000, graph 1 fc rgb "#2e7d32" fs transparent solid 0.08 noborder behind
set arrow from 57.000000, graph 0 to 57.000000, graph 1 nohead lc rgb "#2e7d32" dt 2 lw 1.5
set label "-41.2%" at 57.000000, graph 0.97 right offset -0.3,0 tc rgb "#2e7d32"
plot "grant.safecopy.cow.64k.dat" using 1:3:10:11:xtic(2) with yerrorbars ls 1 title "median, bars: 95% CI of the median", \
     '' using 1:3 with lines ls 1 notitle, \
     '' using 1:6 with points ls 2 title "min / max sample", \
     '' using 1:7 with points ls 2 notitle, \
     '' using 1:(strcol(13) eq "I" ? $3 : NaN) with points ls 4 title "improvement starts (green line)"
unset output
set terminal svg size 1100,640 dynamic noenhanced font "sans,12"
set output "grant.safecopy.cow.64k.svg"
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
set title "grant.safecopy.cow.64k: VM_COWCOPY (pages shared copy-on-write) of 64 KiB from a granter on the same CPU into present memory\ninstructions (icount) per operation  |  series icount  |  machine amd-epyc-65bb184f  |  config smp2-m128-cpuqemu32"
set ylabel "instructions (icount) per operation"
set xrange [-0.5:80.500000]
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
set arrow from 37, graph 0 to 37, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 38, graph 0 to 38, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 39, graph 0 to 39, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 40, graph 0 to 40, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 41, graph 0 to 41, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 42, graph 0 to 42, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 43, graph 0 to 43, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 44, graph 0 to 44, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 45, graph 0 to 45, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 46, graph 0 to 46, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 47, graph 0 to 47, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 48, graph 0 to 48, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 49, graph 0 to 49, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 50, graph 0 to 50, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 51, graph 0 to 51, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 52, graph 0 to 52, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 53, graph 0 to 53, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 54, graph 0 to 54, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 55, graph 0 to 55, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 56, graph 0 to 56, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 57, graph 0 to 57, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 58, graph 0 to 58, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 59, graph 0 to 59, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 60, graph 0 to 60, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 61, graph 0 to 61, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 62, graph 0 to 62, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 63, graph 0 to 63, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 64, graph 0 to 64, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 65, graph 0 to 65, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 66, graph 0 to 66, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 67, graph 0 to 67, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 68, graph 0 to 68, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 69, graph 0 to 69, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 70, graph 0 to 70, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 71, graph 0 to 71, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 72, graph 0 to 72, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 73, graph 0 to 73, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 74, graph 0 to 74, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 75, graph 0 to 75, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 76, graph 0 to 76, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 77, graph 0 to 77, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 79, graph 0 to 79, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set object rect from 23.500000, graph 0 to 24.500000, graph 1 fc rgb "#2e7d32" fs transparent solid 0.08 noborder behind
set arrow from 24.000000, graph 0 to 24.000000, graph 1 nohead lc rgb "#2e7d32" dt 2 lw 1.5
set label "-6.1%" at 24.000000, graph 0.97 right offset -0.3,0 tc rgb "#2e7d32"
set object rect from 36.500000, graph 0 to 77.500000, graph 1 fc rgb "#2e7d32" fs transparent solid 0.08 noborder behind
set arrow from 57.000000, graph 0 to 57.000000, graph 1 nohead lc rgb "#2e7d32" dt 2 lw 1.5
set label "-41.2%" at 57.000000, graph 0.97 right offset -0.3,0 tc rgb "#2e7d32"
plot "grant.safecopy.cow.64k.dat" using 1:3:10:11:xtic(2) with yerrorbars ls 1 title "median, bars: 95% CI of the median", \
     '' using 1:3 with lines ls 1 notitle, \
     '' using 1:6 with points ls 2 title "min / max sample", \
     '' using 1:7 with points ls 2 notitle, \
     '' using 1:(strcol(13) eq "I" ? $3 : NaN) with points ls 4 title "improvement starts (green line)"
unset output
