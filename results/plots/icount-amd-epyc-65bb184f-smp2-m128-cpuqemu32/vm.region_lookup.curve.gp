set terminal pngcairo size 1000,600 font "sans,11" noenhanced
set output "vm.region_lookup.curve.png"
set title "vm.region_lookup.n<N>: per-operation figure against N\nseries icount  |  machine amd-epyc-65bb184f  |  config smp2-m128-cpuqemu32"
set xlabel "N (log scale)"
set ylabel "instructions (icount) per operation"
set logscale x 10
set format y "%.6g"
set grid xtics ytics lc rgb "#dddddd"
set offsets graph 0.05, graph 0.05, graph 0.1, graph 0.1
set key top left
set bars 1.5
plot "vm.region_lookup.curve.dat" index 0 using 1:2:3:4 with yerrorlines lc rgb "#1f5fbf" lw 2 pt 7 ps 0.9 title "newest measured commit 1757a6c5", \
     '' index 1 using 1:2:3:4 with yerrorlines lc rgb "#999999" lw 1.5 dt 2 pt 6 ps 0.9 title "first measured commit 4f750213"
unset output
set terminal svg size 1000,600 dynamic noenhanced font "sans,12"
set output "vm.region_lookup.curve.svg"
set title "vm.region_lookup.n<N>: per-operation figure against N\nseries icount  |  machine amd-epyc-65bb184f  |  config smp2-m128-cpuqemu32"
set xlabel "N (log scale)"
set ylabel "instructions (icount) per operation"
set logscale x 10
set format y "%.6g"
set grid xtics ytics lc rgb "#dddddd"
set offsets graph 0.05, graph 0.05, graph 0.1, graph 0.1
set key top left
set bars 1.5
plot "vm.region_lookup.curve.dat" index 0 using 1:2:3:4 with yerrorlines lc rgb "#1f5fbf" lw 2 pt 7 ps 0.9 title "newest measured commit 1757a6c5", \
     '' index 1 using 1:2:3:4 with yerrorlines lc rgb "#999999" lw 1.5 dt 2 pt 6 ps 0.9 title "first measured commit 4f750213"
unset output
