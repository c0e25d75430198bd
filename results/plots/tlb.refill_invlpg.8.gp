set terminal pngcairo size 1640,930 font "sans,10" noenhanced
set output "/work/main/results/plots/tlb.refill_invlpg.8.png"
unset key
set xlabel "commit (history order)"
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
set multiplot layout 2,2 title "tlb.refill_invlpg.8: INVLPG of 8 pages, then one load from each\ndots: median per commit, bars: its 95% CI\ndashed lines: change points, red = worse (red disc: first commit of a regression), green = better"
unset arrow
unset label
set title "icount  |  amd-epyc-81fc4955  |  smp2-m128-cpuqemu32"
set ylabel "instructions (icount) per operation"
set xrange [-0.5:24.500000]
plot "/work/main/results/plots/icount-amd-epyc-81fc4955-smp2-m128-cpuqemu32/tlb.refill_invlpg.8.dat" using 1:3:10:11:xtic(2) with yerrorbars ls 1 title "median, bars: 95% CI of the median", \
     '' using 1:3 with lines ls 1 notitle, \
     '' using 1:6 with points ls 2 title "min / max sample", \
     '' using 1:7 with points ls 2 notitle
unset arrow
unset label
set title "icount  |  amd-epyc-81fc4955  |  x86_64-smp2-m128-cpuepyc"
set ylabel "instructions (icount) per operation"
set xrange [-0.5:1.500000]
plot "/work/main/results/plots/icount-amd-epyc-81fc4955-x86_64-smp2-m128-cpuepyc/tlb.refill_invlpg.8.dat" using 1:3:10:11:xtic(2) with yerrorbars ls 1 title "median, bars: 95% CI of the median", \
     '' using 1:3 with lines ls 1 notitle, \
     '' using 1:6 with points ls 2 title "min / max sample", \
     '' using 1:7 with points ls 2 notitle
unset arrow
unset label
set title "icount  |  amd-epyc-98e9dc6c  |  smp1-m128-cpuqemu32"
set ylabel "instructions (icount) per operation"
set xrange [-0.5:0.500000]
plot "/work/main/results/plots/icount-amd-epyc-98e9dc6c-smp1-m128-cpuqemu32/tlb.refill_invlpg.8.dat" using 1:3:10:11:xtic(2) with yerrorbars ls 1 title "median, bars: 95% CI of the median", \
     '' using 1:3 with lines ls 1 notitle, \
     '' using 1:6 with points ls 2 title "min / max sample", \
     '' using 1:7 with points ls 2 notitle
unset multiplot
unset output
