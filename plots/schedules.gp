# plots/schedules.gp: schedule comparison at one thread count: one bar per
# schedule(+chunk), grouped by schedule kind (static | dynamic | guided | ...,
# chunk sizes side by side), height = median time with its 95% CI, and over
# each bar its time relative to the fastest schedule (1.00× = fastest).
# Table: TABLEDIR/schedules.gp, one figure per kernel and thread count
# (docs/plots.md).
#
# usage: gnuplot -c plots/schedules.gp TABLEDIR OUT_PREFIX [MACHINE_LABEL] [THREADS]
# THREADS defaults to the largest thread count in the data; pass "" as
# MACHINE_LABEL to keep the label from meta.json while giving THREADS.
# Writes OUT_PREFIX-<kernel>.png and .svg for each kernel with rows there.

osw_fig = "schedules"
osw_args = " [THREADS]"
osw_maxargc = 4
osw_arg0 = ARG0; osw_argc = ARGC; osw_a1 = ARG1; osw_a2 = ARG2; osw_a3 = ARG3; osw_a4 = ARG4
osw_dir = "."
do for [i = strlen(ARG0):1:-1] { if (ARG0[i:i] eq "/") { osw_dir = ARG0[1:i - 1]; break } }
load osw_dir . "/style.gp"

P = 0
if (osw_argc >= 4 && osw_a4 ne "") {
    # a positive whole number, without a shell: digits only
    ok = strlen(osw_a4) <= 9
    do for [c = 1:strlen(osw_a4)] { if (strstrt("0123456789", osw_a4[c:c]) == 0) { ok = 0 } }
    if (!ok || osw_a4 + 0 <= 0) {
        print sprintf("osw-plots: %s: THREADS must be a positive integer, not '%s'", osw_fig, osw_a4)
        print osw_usage
        exit status 2
    }
    P = osw_a4 + 0
}

do for [i = 1:pd_nfig] {
    if ((P == 0 && pd_main[i]) || pd_P[i] == P) {
        eval osw_begin
        do for [fmt in "png svg"] {
            osw_file = osw_out(k, fmt)
            eval osw_term(fmt)
            eval osw_reset
            osw_t = osw_title(sprintf("schedules at %d threads", pd_P[i]), k, pd_title[i])
            set xrange [pd_x0[i] : pd_x1[i]]
            set yrange [pd_y0[i] : pd_y1[i]]
            if (pd_slant[i]) { set xtics scale 0 nomirror rotate by 30 right } else { set xtics scale 0 nomirror norotate }
            set grid noxtics ytics
            set errorbars 1.5
            set xlabel "OpenMP schedule[,chunk]   (no chunk: the runtime's default)"
            set ylabel sprintf("median time per run [%s]", pd_unit[i])
            eval osw_title_cmd
            eval osw_note_cmd
            # columns: pos median low high series style ratio
            plot src using 1:2:(0.8):((int($6) - 1) % osw_nstyles + 1):xtic(5) with boxes lc variable \
                     title "median time", \
                 src using 1:2:3:4 with yerrorbars pt 7 ps 0.5 lw 1.5 lc rgb "#202020" title "95% CI", \
                 src using 1:4:(sprintf("%.2f×", $7)) with labels offset 0, 0.8 font ",10" notitle, \
                 keyentry with lines lc rgb "white" title "1.23× = time / fastest"
            set grid xtics ytics
            set errorbars 0.6
        }
        set output
        osw_nfig = osw_nfig + 1
    }
}
if (P > 0 && osw_nfig == 0) { print sprintf("osw-plots: %s: nothing to draw at %d threads", osw_fig, P) }
