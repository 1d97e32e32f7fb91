# plots/regions.gp: per-region profiles of a program (exec --regions,
# docs/regions.md): left, the time of one run split into the time outside
# every region (serial) and each region's, stacked, against threads (the
# best configuration per thread count); right, each region's own speedup
# against 1 thread, with the ideal S = p. Table: TABLEDIR/regions.gp
# (`ompsweep plotdata DIR --kind regions`, docs/plots.md).
#
# usage: gnuplot -c plots/regions.gp TABLEDIR OUT_PREFIX [MACHINE_LABEL]
# Writes OUT_PREFIX-<program>-<n>.png and .svg, one per program.

osw_fig = "regions"
osw_args = ""
osw_maxargc = 3
osw_arg0 = ARG0; osw_argc = ARGC; osw_a1 = ARG1; osw_a2 = ARG2; osw_a3 = ARG3; osw_a4 = ARG4
osw_dir = "."
do for [i = strlen(ARG0):1:-1] { if (ARG0[i:i] eq "/") { osw_dir = ARG0[1:i - 1]; break } }
load osw_dir . "/style.gp"

do for [i = 1:pd_nfig] {
    k = pd_kernel[i]
    src = osw_data(i)
    R = pd_nreg[i]
    r0 = pd_r0[i]
    name = sprintf("%s-%d", k, pd_n[i])
    do for [fmt in "png svg"] {
        osw_file = osw_out(name, fmt)
        eval osw_term(fmt)
        eval osw_reset
        set output osw_file
        set multiplot layout 1, 2 title sprintf("%s: time per parallel region against threads\n%s", k, osw_label) noenhanced
        set style data histograms
        set style histogram rowstacked
        set style fill solid 0.85 border rgb "#303030"
        set boxwidth 0.7
        set key outside bottom center vertical maxrows 5 noenhanced font ",9"
        set bmargin 8
        set xlabel "threads (the best configuration of each count)"
        set ylabel "time of one run (s)"
        set yrange [0:*]
        plot src index 0 using 2:xtic(1) title "serial (outside every region)" lc rgb "#b0b0b0", \
             for [j = 1:R] '' index 0 using (column(j + 2)) title pd_region[r0 + j] lc rgb osw_lcol(j)
        set style data linespoints
        set logscale xy 2
        set xrange [0.8:*]
        set yrange [*:*]
        set key inside top left noenhanced font ",9"
        set bmargin 8
        set ylabel "speedup of the region over 1 thread"
        set xlabel "threads"
        plot x with lines dt (8, 5) lw 1.5 lc rgb "#909090" title "ideal, S = p", \
             for [j = 1:(R < 8 ? R : 8)] src index j using 1:2 with linespoints lw 2 pt 7 \
                 lc rgb osw_lcol(j) title pd_region[r0 + j]
        unset multiplot
        unset logscale
        set xrange [*:*]
        set output
    }
}
