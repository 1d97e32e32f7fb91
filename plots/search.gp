# plots/search.gp: tune --search compared with grid and random search over
# seeded replays of recorded grids (docs/tuning-search.md).
#   gnuplot -c plots/search.gp SUMMARY.csv OUT_PREFIX [GRID] [TITLE]
# SUMMARY.csv: scripts/search-summary.py's table (grid, strategy,
# budget_pct, replays, spent_pct_median, ratio_p10 ... ratio_p90, good_pct).
# Draws OUT_PREFIX.png and OUT_PREFIX.svg: for GRID (default "all", every
# grid's replays together) one panel per strategy's point cloud: the median
# ratio of the recommended configuration's recorded median to the grid's
# best, with its 10-90% range over the replays, against the median share of
# the grid's samples spent (log scale); and below, against the budget, the
# share of replays within 5% of the best (solid) and within 5% or tied with
# it (dashed). Exit 2 on bad arguments.
if (ARGC < 2) {
    print "usage: gnuplot -c search.gp SUMMARY.csv OUT_PREFIX [GRID] [TITLE]"
    exit status 2
}
csv = ARG1
prefix = ARG2
grid = (ARGC >= 3 && ARG3 ne "") ? ARG3 : "all"
title = (ARGC >= 4) ? ARG4 : ""
if (system("test -r '" . csv . "' && echo 1 || echo 0") ne "1") {
    print sprintf("search.gp: cannot read %s", csv)
    exit status 2
}
set datafile separator ","
strategies = "racing halving random grid"
# column 1 the grid, 2 the strategy: rows of (grid, strategy s) only
sel(s) = sprintf("< awk -F, 'NR > 1 && $1 == \"%s\" && $2 == \"%s\"' '%s'", grid, s, csv)
set style line 1 lc rgb "#0072B2" lw 2 pt 7 ps 1.2
set style line 2 lc rgb "#D55E00" lw 2 pt 5 ps 1.2
set style line 3 lc rgb "#009E73" lw 2 pt 9 ps 1.4
set style line 4 lc rgb "#666666" lw 2 pt 13 ps 1.3
set grid lc rgb "#dddddd"
set key top right box opaque samplen 4

do for [fmt in "png svg"] {
    if (fmt eq "png") {
        set terminal pngcairo size 900,900 font "DejaVu Sans,11"
    } else {
        set terminal svg size 900,900 font "DejaVu Sans,11" dynamic
    }
    set output prefix . "." . fmt
    set multiplot layout 2,1 title (title ne "" ? title : sprintf("tune --search on replays of recorded grids (%s)", grid))
    set xlabel "samples spent [% of the grid's]"
    set ylabel "recommended / grid's best (median, 10-90% of replays)"
    set xrange [0:55]
    set logscale y
    set yrange [0.95:*]
    set arrow 1 from graph 0, first 1.05 to graph 1, first 1.05 nohead dt 2 lc rgb "#999999"
    plot for [i=1:4] sel(word(strategies, i)) using 5:8:6:10 with yerrorlines ls i title word(strategies, i)
    unset arrow 1
    unset logscale y
    set ylabel "replays [%]: within 5% (solid), or tied (dashed)"
    set yrange [0:105]
    set xlabel "budget [% of the grid's samples]"
    set key bottom right
    plot for [i=1:4] sel(word(strategies, i)) using 3:13 with linespoints ls i title word(strategies, i), \
        for [i=1:4] sel(word(strategies, i)) using 3:12 with linespoints ls i dt 2 notitle, \
        95 with lines dt 3 lc rgb "#999999" title "95%"
    set key top right
    unset multiplot
    unset output
}
