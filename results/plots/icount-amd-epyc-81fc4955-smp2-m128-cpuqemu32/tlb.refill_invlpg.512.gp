set terminal pngcairo size 1100,640 font "sans,11" noenhanced
set output "/work/main/results/plots/icount-amd-epyc-81fc4955-smp2-m128-cpuqemu32/tlb.refill_invlpg.512.png"
set title "tlb.refill_invlpg.512: INVLPG of 512 pages, then one load from each\ninstructions (icount) per operation  |  series icount  |  machine amd-epyc-81fc4955  |  config smp2-m128-cpuqemu32"
set ylabel "instructions (icount) per operation"
set xlabel "commit (oldest left; history order)"
set xrange [-0.5:3.500000]
set offsets 0, 0, graph 0.08, graph 0.08
set xtics rotate by 45 right nomirror
set ytics nomirror
set format y "%.6g"
set grid ytics lc rgb "#dddddd"
set key tmargin center horizontal
set style line 1 lc rgb "#1f5fbf" lw 2 pt 7 ps 0.9
set style line 2 lc rgb "#999999" pt 1 ps 1.3
plot "/work/main/results/plots/icount-amd-epyc-81fc4955-smp2-m128-cpuqemu32/tlb.refill_invlpg.512.dat" using 1:3:4:5:xtic(2) with yerrorlines ls 1 title "median, bars 5th..95th percentile", \
     '' using 1:6 with points ls 2 title "min / max", \
     '' using 1:7 with points ls 2 notitle
unset output
set terminal svg size 1100,640 dynamic noenhanced font "sans,12"
set output "/work/main/results/plots/icount-amd-epyc-81fc4955-smp2-m128-cpuqemu32/tlb.refill_invlpg.512.svg"
set title "tlb.refill_invlpg.512: INVLPG of 512 pages, then one load from each\ninstructions (icount) per operation  |  series icount  |  machine amd-epyc-81fc4955  |  config smp2-m128-cpuqemu32"
set ylabel "instructions (icount) per operation"
set xlabel "commit (oldest left; history order)"
set xrange [-0.5:3.500000]
set offsets 0, 0, graph 0.08, graph 0.08
set xtics rotate by 45 right nomirror
set ytics nomirror
set format y "%.6g"
set grid ytics lc rgb "#dddddd"
set key tmargin center horizontal
set style line 1 lc rgb "#1f5fbf" lw 2 pt 7 ps 0.9
set style line 2 lc rgb "#999999" pt 1 ps 1.3
plot "/work/main/results/plots/icount-amd-epyc-81fc4955-smp2-m128-cpuqemu32/tlb.refill_invlpg.512.dat" using 1:3:4:5:xtic(2) with yerrorlines ls 1 title "median, bars 5th..95th percentile", \
     '' using 1:6 with points ls 2 title "min / max", \
     '' using 1:7 with points ls 2 notitle
unset output
