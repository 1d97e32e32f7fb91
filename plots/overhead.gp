# plots/overhead.gp: the cost of one parallel region. The kernel `empty` is an
# empty worksharing loop (fork, dispatch, join), so its time per call is pure
# OpenMP overhead; speedup and efficiency mean nothing for it (speedup.gp and
# efficiency.gp skip it). This draws its median time per region in µs against
# threads, one line per schedule(+chunk), with the 95% CI of the median.
#
# usage: gnuplot -c plots/overhead.gp SUMMARY_CSV OUT_PREFIX [MACHINE_LABEL]
# Writes OUT_PREFIX-empty.png and .svg (draw-all.sh: overhead-empty.*), at the
# largest n measured. A CSV without `empty` rows draws nothing (exit 0).

osw_fig = "overhead"
osw_req = "kernel n threads schedule chunk median_s ci_lo_s ci_hi_s verified"
osw_args = ""
osw_maxargc = 3
osw_arg0 = ARG0; osw_argc = ARGC; osw_a1 = ARG1; osw_a2 = ARG2; osw_a3 = ARG3; osw_a4 = ARG4
osw_dir = "."
do for [i = strlen(ARG0):1:-1] { if (ARG0[i:i] eq "/") { osw_dir = ARG0[1:i - 1]; break } }
load osw_dir . "/style.gp"

osw_overhead_kernels = "empty"
do for [k in osw_kernels] {
    if (osw_find(osw_overhead_kernels, k, 1) == 0) { continue }
    ns = osw_uniq("n", "kernel=" . k, "median_s threads", "num")
    if (ns eq "") { print osw_skip(k, "no verified median times"); continue }
    nmax = osw_lastword(ns)
    w = "kernel=" . k . ";n=" . nmax
    T = osw_uniq("threads", w, "median_s", "num")
    S = osw_uniq("series", w, "median_s threads", "series")
    N = words(S)
    array SRC[N]
    do for [i = 1:N] {
        SRC[i] = osw_rows(w . ";series=" . word(S, i), "threads median_s ci_lo_s|median_s ci_hi_s|median_s", \
                          "median_s threads", "threads")
    }
    tmin = word(T, 1) + 0
    tmax = osw_lastword(T) + 0
    rg = osw_range(w . ";", "median_s ci_hi_s", "")
    # seconds per region -> µs per region
    yhi = osw_max(word(rg, 2) * 1e6, 1e-3) * 1.15
    osw_note = osw_note_unverified(w)

    dummy = osw_dump_start(k)
    do for [i = 1:N] { dummy = osw_dump_src(SRC[i]) }
    dummy = osw_dump_text(sprintf("# n %s xrange %g %g yrange %g %g (us)", nmax, tmin / 1.2, tmax * 1.2, 0, yhi))

    do for [fmt in "png svg"] {
        osw_file = osw_out(k, fmt)
        eval osw_term(fmt)
        eval osw_reset
        osw_t = osw_title("overhead per parallel region vs threads", k, ", n = " . osw_nfmt(nmax))
        set logscale x 2
        set xrange [tmin / 1.2 : tmax * 1.2]
        set yrange [0 : yhi]
        eval osw_thread_tics
        set format y "%g"
        set xlabel "threads (OpenMP)"
        set ylabel "time per region, µs (median, 95% CI)"
        set key outside right top
        eval osw_title_cmd
        eval osw_note_cmd
        plot for [i = 1:N] SRC[i] using 1:($2 * 1e6):($3 * 1e6):($4 * 1e6) with yerrorlines lw 2 ps 1.2 \
                 lc rgb osw_scol(word(S, i)) pt osw_spt(word(S, i)) dt osw_sdt(word(S, i)) title word(S, i)
    }
    set output
    osw_nfig = osw_nfig + 1
}
if (osw_nfig == 0) { print sprintf("osw-plots: %s: no kernel empty (the overhead figure) in %s", osw_fig, osw_csv) }
