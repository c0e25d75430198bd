set terminal pngcairo size 1640,930 font "sans,10" noenhanced
set output "tlb.refill_invlpg.8.png"
unset key
set xlabel "commit (oldest left, history order; grey ticks: not measured)"
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
unset object
set title "icount  |  amd-epyc-65bb184f  |  smp2-m128-cpuqemu32"
set ylabel "instructions (icount) per operation"
set xrange [-0.5:262.500000]
set arrow from 21, graph 0 to 21, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 22, graph 0 to 22, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 23, graph 0 to 23, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 25, graph 0 to 25, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 26, graph 0 to 26, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 27, graph 0 to 27, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 28, graph 0 to 28, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 29, graph 0 to 29, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 31, graph 0 to 31, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 32, graph 0 to 32, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 33, graph 0 to 33, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 34, graph 0 to 34, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 35, graph 0 to 35, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 36, graph 0 to 36, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
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
set arrow from 71, graph 0 to 71, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 72, graph 0 to 72, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 74, graph 0 to 74, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 75, graph 0 to 75, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 76, graph 0 to 76, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 77, graph 0 to 77, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 78, graph 0 to 78, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 79, graph 0 to 79, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 80, graph 0 to 80, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 81, graph 0 to 81, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 82, graph 0 to 82, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 83, graph 0 to 83, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 84, graph 0 to 84, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 86, graph 0 to 86, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 87, graph 0 to 87, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 88, graph 0 to 88, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 89, graph 0 to 89, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 90, graph 0 to 90, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 91, graph 0 to 91, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 92, graph 0 to 92, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 93, graph 0 to 93, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 94, graph 0 to 94, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 95, graph 0 to 95, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 96, graph 0 to 96, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 97, graph 0 to 97, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 98, graph 0 to 98, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 99, graph 0 to 99, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 100, graph 0 to 100, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 101, graph 0 to 101, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 102, graph 0 to 102, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 103, graph 0 to 103, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 104, graph 0 to 104, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 105, graph 0 to 105, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 106, graph 0 to 106, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 107, graph 0 to 107, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 108, graph 0 to 108, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 109, graph 0 to 109, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 110, graph 0 to 110, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 111, graph 0 to 111, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 112, graph 0 to 112, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 113, graph 0 to 113, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 114, graph 0 to 114, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 115, graph 0 to 115, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 116, graph 0 to 116, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 117, graph 0 to 117, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 119, graph 0 to 119, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 120, graph 0 to 120, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 121, graph 0 to 121, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 122, graph 0 to 122, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 123, graph 0 to 123, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 124, graph 0 to 124, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 125, graph 0 to 125, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 127, graph 0 to 127, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 128, graph 0 to 128, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 129, graph 0 to 129, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 130, graph 0 to 130, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 131, graph 0 to 131, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 132, graph 0 to 132, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 133, graph 0 to 133, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 134, graph 0 to 134, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 135, graph 0 to 135, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 136, graph 0 to 136, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 137, graph 0 to 137, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 138, graph 0 to 138, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 139, graph 0 to 139, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 140, graph 0 to 140, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 141, graph 0 to 141, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 142, graph 0 to 142, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 143, graph 0 to 143, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 144, graph 0 to 144, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 145, graph 0 to 145, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 146, graph 0 to 146, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 147, graph 0 to 147, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 149, graph 0 to 149, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 150, graph 0 to 150, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 151, graph 0 to 151, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 152, graph 0 to 152, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 153, graph 0 to 153, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 154, graph 0 to 154, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 155, graph 0 to 155, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 156, graph 0 to 156, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 157, graph 0 to 157, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 158, graph 0 to 158, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 159, graph 0 to 159, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 160, graph 0 to 160, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 161, graph 0 to 161, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 162, graph 0 to 162, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 163, graph 0 to 163, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 164, graph 0 to 164, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 165, graph 0 to 165, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 166, graph 0 to 166, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 168, graph 0 to 168, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 169, graph 0 to 169, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 170, graph 0 to 170, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 171, graph 0 to 171, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 172, graph 0 to 172, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 173, graph 0 to 173, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 174, graph 0 to 174, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 175, graph 0 to 175, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 176, graph 0 to 176, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 177, graph 0 to 177, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 178, graph 0 to 178, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 179, graph 0 to 179, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 180, graph 0 to 180, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 181, graph 0 to 181, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 183, graph 0 to 183, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 184, graph 0 to 184, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 185, graph 0 to 185, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 186, graph 0 to 186, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 187, graph 0 to 187, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 188, graph 0 to 188, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 189, graph 0 to 189, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 190, graph 0 to 190, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 191, graph 0 to 191, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 192, graph 0 to 192, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 193, graph 0 to 193, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 194, graph 0 to 194, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 195, graph 0 to 195, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 196, graph 0 to 196, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 197, graph 0 to 197, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 198, graph 0 to 198, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 199, graph 0 to 199, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 200, graph 0 to 200, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 201, graph 0 to 201, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 202, graph 0 to 202, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 203, graph 0 to 203, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 204, graph 0 to 204, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 206, graph 0 to 206, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 208, graph 0 to 208, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 210, graph 0 to 210, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 211, graph 0 to 211, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 212, graph 0 to 212, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 214, graph 0 to 214, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 216, graph 0 to 216, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 217, graph 0 to 217, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 219, graph 0 to 219, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 220, graph 0 to 220, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 221, graph 0 to 221, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 222, graph 0 to 222, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 223, graph 0 to 223, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 224, graph 0 to 224, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 225, graph 0 to 225, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 226, graph 0 to 226, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 227, graph 0 to 227, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 228, graph 0 to 228, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 229, graph 0 to 229, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 230, graph 0 to 230, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 231, graph 0 to 231, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 232, graph 0 to 232, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 233, graph 0 to 233, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 234, graph 0 to 234, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 235, graph 0 to 235, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 236, graph 0 to 236, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 237, graph 0 to 237, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 238, graph 0 to 238, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 239, graph 0 to 239, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 240, graph 0 to 240, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 241, graph 0 to 241, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 242, graph 0 to 242, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 243, graph 0 to 243, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 244, graph 0 to 244, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 245, graph 0 to 245, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 246, graph 0 to 246, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 247, graph 0 to 247, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 248, graph 0 to 248, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 249, graph 0 to 249, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 250, graph 0 to 250, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 251, graph 0 to 251, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 252, graph 0 to 252, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 253, graph 0 to 253, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 254, graph 0 to 254, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 255, graph 0 to 255, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 256, graph 0 to 256, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 257, graph 0 to 257, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 258, graph 0 to 258, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 259, graph 0 to 259, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 261, graph 0 to 261, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
plot "icount-amd-epyc-65bb184f-smp2-m128-cpuqemu32/tlb.refill_invlpg.8.dat" using 1:3:10:11:xtic(2) with yerrorbars ls 1 title "median, bars: 95% CI of the median", \
     '' using 1:3 with lines ls 1 notitle, \
     '' using 1:6 with points ls 2 title "min / max sample", \
     '' using 1:7 with points ls 2 notitle
unset arrow
unset label
unset object
set title "icount  |  amd-epyc-65bb184f  |  x86_64-smp2-m128-cpuepyc"
set ylabel "instructions (icount) per operation"
set xrange [-0.5:113.500000]
set arrow from 1, graph 0 to 1, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
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
set arrow from 23, graph 0 to 23, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 24, graph 0 to 24, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 25, graph 0 to 25, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 26, graph 0 to 26, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 27, graph 0 to 27, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 28, graph 0 to 28, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 29, graph 0 to 29, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 30, graph 0 to 30, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 31, graph 0 to 31, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 32, graph 0 to 32, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 33, graph 0 to 33, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 34, graph 0 to 34, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 35, graph 0 to 35, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 36, graph 0 to 36, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
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
set arrow from 78, graph 0 to 78, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 79, graph 0 to 79, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 80, graph 0 to 80, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 81, graph 0 to 81, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 82, graph 0 to 82, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 83, graph 0 to 83, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 84, graph 0 to 84, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 85, graph 0 to 85, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 86, graph 0 to 86, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 87, graph 0 to 87, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 88, graph 0 to 88, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 89, graph 0 to 89, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 90, graph 0 to 90, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 91, graph 0 to 91, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 92, graph 0 to 92, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 93, graph 0 to 93, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 94, graph 0 to 94, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 95, graph 0 to 95, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 96, graph 0 to 96, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 97, graph 0 to 97, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 98, graph 0 to 98, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 99, graph 0 to 99, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 100, graph 0 to 100, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 101, graph 0 to 101, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 102, graph 0 to 102, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 103, graph 0 to 103, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 104, graph 0 to 104, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 105, graph 0 to 105, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 106, graph 0 to 106, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 107, graph 0 to 107, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 108, graph 0 to 108, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 109, graph 0 to 109, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 110, graph 0 to 110, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 111, graph 0 to 111, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
set arrow from 112, graph 0 to 112, graph 0.035 nohead lc rgb "#aaaaaa" lw 1
plot "icount-amd-epyc-65bb184f-x86_64-smp2-m128-cpuepyc/tlb.refill_invlpg.8.dat" using 1:3:10:11:xtic(2) with yerrorbars ls 1 title "median, bars: 95% CI of the median", \
     '' using 1:3 with lines ls 1 notitle, \
     '' using 1:6 with points ls 2 title "min / max sample", \
     '' using 1:7 with points ls 2 notitle
unset arrow
unset label
unset object
set title "icount  |  amd-epyc-98e9dc6c  |  smp1-m128-cpuqemu32"
set ylabel "instructions (icount) per operation"
set xrange [-0.5:0.500000]
plot "icount-amd-epyc-98e9dc6c-smp1-m128-cpuqemu32/tlb.refill_invlpg.8.dat" using 1:3:10:11:xtic(2) with yerrorbars ls 1 title "median, bars: 95% CI of the median", \
     '' using 1:3 with lines ls 1 notitle, \
     '' using 1:6 with points ls 2 title "min / max sample", \
     '' using 1:7 with points ls 2 notitle
unset multiplot
unset output
