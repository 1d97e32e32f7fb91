# plots/schedules.gp: schedule comparison at one thread count: one bar per
# schedule(+chunk), grouped by schedule kind (static | dynamic | guided | ...,
# chunk sizes side by side), height = median time with its 95% CI, and over
# each bar its time relative to the fastest schedule (1.00x = fastest).
#
# usage: gnuplot -c plots/schedules.gp SUMMARY_CSV OUT_PREFIX [MACHINE_LABEL] [THREADS]
# THREADS defaults to the largest thread count in the data; pass "" as
# MACHINE_LABEL to keep the label from meta.json while giving THREADS.
# Writes OUT_PREFIX-<kernel>.png and .svg: one figure per kernel that has rows
# at THREADS, at the largest n it has there; other kernels are skipped with a
# note on stderr.

osw_fig = "schedules"
osw_req = "kernel n threads schedule chunk median_s verified"
osw_args = " [THREADS]"
osw_maxargc = 4
osw_arg0 = ARG0; osw_argc = ARGC; osw_a1 = ARG1; osw_a2 = ARG2; osw_a3 = ARG3; osw_a4 = ARG4
osw_dir = "."
do for [i = strlen(ARG0):1:-1] { if (ARG0[i:i] eq "/") { osw_dir = ARG0[1:i - 1]; break } }
load osw_dir . "/style.gp"

if (osw_argc >= 4 && osw_a4 ne "") {
    if (system("printf '%s' " . osw_shq(osw_a4) . " | awk '/^[0-9]+$/ && $0 > 0 { print \"ok\" }'") ne "ok") {
        print sprintf("osw-plots: %s: THREADS must be a positive integer, not '%s'", osw_fig, osw_a4)
        print osw_usage
        exit status 2
    }
    P = osw_a4
} else {
    P = osw_lastword(osw_uniq("threads", "", "median_s", "num"))
}

do for [k in osw_kernels] {
    ns = osw_uniq("n", "kernel=" . k . ";threads=" . P, "median_s", "num")
    if (ns eq "") { print osw_skip(k, "no rows at " . P . " threads"); continue }
    nmax = osw_lastword(ns)
    w = "kernel=" . k . ";n=" . nmax . ";threads=" . P
    SRC = osw_rows(w, "_pos median_s ci_lo_s|median_s ci_hi_s|median_s series", "median_s", "series")
    rg = osw_range(w, "median_s", "1")
    rgh = osw_range(w, "median_s ci_hi_s", "1")
    tbest = word(rg, 1) + 0
    thi = word(rgh, 2) + 0
    # the unit of the y axis (ticks and label): the largest time drawn decides
    sc = (thi < 1e-6) ? 1e9 : ((thi < 1e-3) ? 1e6 : (thi < 1 ? 1e3 : 1))
    unit = (sc == 1e9) ? "ns" : ((sc == 1e6) ? "µs" : (sc == 1e3 ? "ms" : "s"))
    osw_note = osw_note_unverified(w)
    # long or many bar labels are slanted so they cannot overlap
    SL = osw_uniq("series", w, "median_s", "series")
    slant = (words(SL) > 5) ? 1 : 0
    do for [s in SL] { if (strlen(s) > 60 / words(SL)) { slant = 1 } }

    dummy = osw_dump_start(k)
    dummy = osw_dump_src(SRC)
    dummy = osw_dump_text(sprintf("# n %s threads %s yrange %g %g (%s)", nmax, P, 0, thi * sc * 1.2, unit))

    do for [fmt in "png svg"] {
        osw_file = osw_out(k, fmt)
        eval osw_term(fmt)
        eval osw_reset
        osw_t = osw_title(sprintf("schedules at %s threads", P), k, ", n = " . osw_nfmt(nmax))
        set xrange [*:*]
        set offsets 0.75, 0.75, 0, 0
        set yrange [0 : thi * sc * 1.2]
        if (slant) { set xtics scale 0 nomirror rotate by 30 right } else { set xtics scale 0 nomirror norotate }
        set grid noxtics ytics
        set errorbars 1.5
        set xlabel "OpenMP schedule[,chunk]   (no chunk: the runtime's default)"
        set ylabel sprintf("median time per run [%s]", unit)
        set key outside right top
        eval osw_title_cmd
        eval osw_note_cmd
        plot SRC using 1:($2 * sc):(0.8):(osw_sidx(strcol(5))):xtic(5) with boxes lc variable \
                 title "median time", \
             SRC using 1:($2 * sc):($3 * sc):($4 * sc) with yerrorbars pt 7 ps 0.5 lw 1.5 lc rgb "#202020" \
                 title "95% CI", \
             SRC using 1:($4 * sc):(sprintf("%.2f×", $2 / tbest)) with labels offset 0, 0.8 font ",10" \
                 notitle, \
             keyentry with lines lc rgb "white" title "1.23× = time / fastest"
        set offsets
        set grid xtics ytics
        set errorbars 0.6
    }
    set output
    osw_nfig = osw_nfig + 1
}
if (osw_nfig == 0) { print sprintf("osw-plots: %s: nothing to draw at %s threads in %s", osw_fig, P, osw_csv) }
