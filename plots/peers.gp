# plots/peers.gp: the notebooks' workloads side by side (bench/peers.py's
# peers.csv): seconds per tool and worker count, one panel per workload,
# log scale (pure-Python and OpenMP differ by orders of magnitude).
#
# usage: gnuplot -c plots/peers.gp PEERS_CSV OUT_PREFIX [MACHINE_LABEL]
# Writes OUT_PREFIX.png and OUT_PREFIX.svg. Scaled rows (measured on a
# smaller n) are marked "(scaled)" in their label.
if (ARGC < 2 || ARGC > 3) {
    print "usage: gnuplot -c plots/peers.gp PEERS_CSV OUT_PREFIX [MACHINE_LABEL]"
    exit status 2
}
csv = ARG1
label = ARGC >= 3 ? ARG3 : ""
check = system("awk -F, 'NR==1{ok = ($1==\"workload\" && $2==\"tool\" && $3==\"workers\" && $5==\"seconds\" && $9==\"scaled\"); print ok ? \"ok\" : \"bad\"; exit}' '" . csv . "' 2>/dev/null")
if (check ne "ok") {
    print sprintf("osw-plots: peers: %s is not a peers.csv (workload,tool,workers,n,seconds,...,scaled)", csv)
    exit status 3
}
rows = "< awk -F, 'NR>1{n++; printf \"%d \\\"%s: %s, %s worker%s%s\\\" %s\\n\", n, $1, $2, $3, ($3>1?\"s\":\"\"), ($9==1?\" (scaled)\":\"\"), $5}' '" . csv . "'"
count = int(system("awk 'END{print NR-1}' '" . csv . "'"))
nvalue = system("awk -F, 'NR==2{print $4}' '" . csv . "'")
title = sprintf("Mean, vector add and countdown of n = %s: Python, numpy and ompsweep", nvalue)
if (label ne "") { title = title . "\n" . label }

set ytics nomirror font ",9" noenhanced
set yrange [count + 0.7:0.3]
set logscale x 10
set xlabel "seconds (best run; log scale)"
set grid xtics mxtics lc rgb "#dddddd"
set style fill solid 0.8 border rgb "#333333"
set key off
set title title noenhanced
set lmargin 75
do for [fmt in "png svg"] {
    if (fmt eq "png") { set terminal pngcairo size 1200, 40 + 22 * count font "Sans,10" }
    else { set terminal svg size 1200, 40 + 22 * count font "Sans,10" dynamic }
    set output ARG2 . "." . fmt
    plot rows using ($3 * 0.5):1:($3 * 0.5):(0.35):ytic(2) with boxxyerror lc rgb "#0072B2", \
         rows using 3:1:(sprintf(" %.3g s", $3)) with labels left font ",8"
    unset output
}
