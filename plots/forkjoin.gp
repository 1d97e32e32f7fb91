# plots/forkjoin.gp: the wait-policy trade-off of the forkjoin kernels: wall
# time and CPU time of one call (200 parallel regions of ~20 us work, 2
# threads) against the serial gap between regions, one line per
# OMP_WAIT_POLICY (active, passive, unset = the runtime's default), error
# bars from the smallest to the largest round of the wall time.
#
# usage: gnuplot -c plots/forkjoin.gp FORKJOIN_CSV OUT_PREFIX [LABEL]
# FORKJOIN_CSV: policy,gap_us,wall_ms,wall_min_ms,wall_max_ms,cpu_ms,
# cpu_per_wall,rounds (results/dev2-2026-11-30/forkjoin/summarise.py writes
# it). Writes OUT_PREFIX.png and OUT_PREFIX.svg.

if (ARGC < 2) { print "usage: gnuplot -c plots/forkjoin.gp FORKJOIN_CSV OUT_PREFIX [LABEL]"; exit status 2 }
csv = ARG1
out = ARG2
label = ARGC >= 3 && strlen(ARG3) > 0 ? ARG3 . ": " : ""

set datafile separator ","
set key top left
set logscale xy
set xlabel "serial gap between regions (µs)"
set grid
set xrange [5:2000]
set xtics ("10" 10, "100" 100, "1000" 1000)
pol(p, col) = strcol(1) eq p ? column(col) : NaN

do for [fmt in "png svg"] {
    if (fmt eq "png") { set terminal pngcairo noenhanced size 1100,480 font ",10" } else { set terminal svg noenhanced size 1100,480 font ",10" }
    set output out . "." . fmt
    set multiplot layout 1,2 title label . "forkjoin, 2 threads: OMP_WAIT_POLICY against the serial gap"
    set ylabel "wall time of one call (ms)"
    set title "wall time (lower is faster)"
    plot csv skip 1 using (pol("active", 2)):3:4:5 with yerrorlines lw 2 pt 7 title "ACTIVE", \
         csv skip 1 using (pol("passive", 2)):3:4:5 with yerrorlines lw 2 pt 5 title "PASSIVE", \
         csv skip 1 using (pol("default", 2)):3:4:5 with yerrorlines lw 2 pt 9 dt 2 title "default (unset)"
    set ylabel "CPU time of one call (ms, all threads)"
    set title "CPU time (what the machine pays)"
    plot csv skip 1 using (pol("active", 2)):6 with linespoints lw 2 pt 7 title "ACTIVE", \
         csv skip 1 using (pol("passive", 2)):6 with linespoints lw 2 pt 5 title "PASSIVE", \
         csv skip 1 using (pol("default", 2)):6 with linespoints lw 2 pt 9 dt 2 title "default (unset)"
    unset multiplot
    set output
}
