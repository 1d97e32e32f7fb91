# plots/bandwidth.gp: achieved memory bandwidth (GB/s, median run) vs threads
# for the memory-bound kernels (bound == memory), one line per
# schedule(+chunk), with error bars from the 95% CI of the median time. The
# in-suite `triad` of the same CSV at the same n is the ceiling: its best GB/s
# per thread count (any schedule) as a grey band line, and its peak as a
# dashed horizontal line. Without a triad row at the kernel's n the title
# says "no triad at this n: no ceiling" and no ceiling is drawn.
#
# usage: gnuplot -c plots/bandwidth.gp SUMMARY_CSV OUT_PREFIX [MACHINE_LABEL]
# Writes OUT_PREFIX-<kernel>.png and .svg: one figure per memory-bound kernel,
# at the kernel's largest n. Without memory-bound rows it draws nothing and
# says so on stderr.

osw_fig = "bandwidth"
osw_req = "kernel n threads schedule chunk gbps_median bound verified"
osw_args = ""
osw_maxargc = 3
osw_arg0 = ARG0; osw_argc = ARGC; osw_a1 = ARG1; osw_a2 = ARG2; osw_a3 = ARG3; osw_a4 = ARG4
osw_dir = "."
do for [i = strlen(ARG0):1:-1] { if (ARG0[i:i] eq "/") { osw_dir = ARG0[1:i - 1]; break } }
load osw_dir . "/style.gp"

# the ceiling: triad's best GB/s at the kernel's own n (bandwidth depends on
# n, through the caches, so a triad at another n is no ceiling for it)
ntriad = 0

mem = osw_uniq("kernel", "bound=memory", "gbps_median threads", "first")
do for [k in mem] {
    nmax = osw_lastword(osw_uniq("n", "kernel=" . k . ";bound=memory", "gbps_median threads", "num"))
    w = "kernel=" . k . ";n=" . nmax . ";bound=memory"
    T = osw_uniq("threads", w, "gbps_median", "num")
    S = osw_uniq("series", w, "gbps_median threads", "series")
    N = words(S)
    array SRC[N]
    do for [i = 1:N] {
        SRC[i] = osw_rows(w . ";series=" . word(S, i), "threads gbps_median gbps_lo gbps_hi", \
                          "gbps_median threads", "threads")
    }
    wt = "kernel=triad;n=" . nmax
    TT = osw_uniq("threads", wt, "gbps_median", "num")
    ceil = (TT ne "")
    if (ceil) {
        ntriad = ntriad + 1
        CEIL = osw_best(wt, "threads", "gbps_best|gbps_median", "1", "threads gbps_best|gbps_median")
        cpeak = word(osw_range(wt, "gbps_best|gbps_median", "1"), 2) + 0
        ctitle = "ceiling: triad, best run"
        ptitle = sprintf("triad peak %.1f GB/s", cpeak)
    }
    tmin = osw_min(word(T, 1) + 0, (ceil ? word(TT, 1) + 0 : 1e9))
    tmax = osw_lastword(T) + 0
    rg = osw_range(w, "gbps_median gbps_hi", "1")
    yhi = osw_max(word(rg, 2) + 0, ceil ? cpeak : 0) * 1.15
    osw_note = osw_note_unverified("kernel=" . k . ";n=" . nmax)

    dummy = osw_dump_start(k)
    do for [i = 1:N] { dummy = osw_dump_src(SRC[i]) }
    if (ceil) { dummy = osw_dump_text("# ceiling: triad, n = " . nmax); dummy = osw_dump_src(CEIL) } \
    else { dummy = osw_dump_text("# ceiling: none (no triad row at n = " . nmax . ")") }
    dummy = osw_dump_text(sprintf("# n %s xrange %g %g yrange %g %g", nmax, tmin / 1.2, tmax * 1.2, 0, yhi))

    do for [fmt in "png svg"] {
        osw_file = osw_out(k, fmt)
        eval osw_term(fmt)
        eval osw_reset
        osw_t = osw_title("memory bandwidth vs threads", k, ", n = " . osw_nfmt(nmax) . \
                            (ceil ? "" : " (no triad at this n: no ceiling)"))
        set logscale x 2
        set xrange [tmin / 1.2 : tmax * 1.2]
        set yrange [0 : yhi]
        eval osw_thread_tics
        set xlabel "threads (OpenMP)"
        set ylabel "bandwidth [GB/s] (median run, 95% CI)"
        set key outside right top
        eval osw_title_cmd
        eval osw_note_cmd
        if (ceil) {
            plot CEIL using 1:2 with lines lw 9 lc rgb "#D0D0D0" title ctitle, \
                 cpeak with lines dt (8, 5) lw 1.5 lc rgb "#707070" title ptitle, \
                 for [i = 1:N] SRC[i] using 1:2:3:4 with yerrorlines lw 2 ps 1.2 \
                     lc rgb osw_scol(word(S, i)) pt osw_spt(word(S, i)) dt osw_sdt(word(S, i)) title word(S, i)
        } else {
            plot for [i = 1:N] SRC[i] using 1:2:3:4 with yerrorlines lw 2 ps 1.2 \
                     lc rgb osw_scol(word(S, i)) pt osw_spt(word(S, i)) dt osw_sdt(word(S, i)) title word(S, i)
        }
    }
    set output
    osw_nfig = osw_nfig + 1
}
if (osw_nfig > 0 && ntriad < osw_nfig) {
    print sprintf("osw-plots: %s: %d figure(s) without a triad row at their n: drawn without the ceiling", osw_fig, osw_nfig - ntriad)
}
if (osw_nfig == 0) { print sprintf("osw-plots: %s: no memory-bound rows (bound = memory) with GB/s in %s", osw_fig, osw_csv) }
