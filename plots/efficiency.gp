# plots/efficiency.gp: parallel efficiency E = speedup/threads vs threads, one
# line per schedule(+chunk), with the 95% CI carried over from the speedup.
#
# usage: gnuplot -c plots/efficiency.gp SUMMARY_CSV OUT_PREFIX [MACHINE_LABEL]
# Writes OUT_PREFIX-<kernel>.png and .svg: one figure per kernel, at the
# kernel's largest n. A kernel with efficiencies for fewer than two thread
# counts is skipped with a note on stderr.

osw_fig = "efficiency"
osw_req = "kernel n threads schedule chunk efficiency verified"
osw_args = ""
osw_maxargc = 3
osw_arg0 = ARG0; osw_argc = ARGC; osw_a1 = ARG1; osw_a2 = ARG2; osw_a3 = ARG3; osw_a4 = ARG4
osw_dir = "."
do for [i = strlen(ARG0):1:-1] { if (ARG0[i:i] eq "/") { osw_dir = ARG0[1:i - 1]; break } }
load osw_dir . "/style.gp"

do for [k in osw_kernels] {
    if (k eq "empty") { print osw_skip(k, "an empty worksharing loop has no work to speed up; overhead.gp draws its time per region"); continue }
    ns = osw_uniq("n", "kernel=" . k, "efficiency threads", "num")
    if (ns eq "") { print osw_skip(k, "no efficiency values (no 1-thread baseline?)"); continue }
    nmax = osw_lastword(ns)
    w = "kernel=" . k . ";n=" . nmax
    T = osw_uniq("threads", w, "efficiency", "num")
    if (words(T) < 2) { print osw_skip(k, "efficiencies for only one thread count at n = " . nmax); continue }
    S = osw_uniq("series", w, "efficiency threads", "series")
    N = words(S)
    array SRC[N]
    do for [i = 1:N] {
        SRC[i] = osw_rows(w . ";series=" . word(S, i), "threads efficiency eff_lo|efficiency eff_hi|efficiency", \
                          "efficiency threads", "threads")
    }
    tmin = word(T, 1) + 0
    tmax = osw_lastword(T) + 0
    rg = osw_range(w . ";", "efficiency eff_hi", "")
    yhi = osw_max(word(rg, 2) + 0, 1.0) * 1.12
    osw_note = osw_note_unverified(w)

    dummy = osw_dump_start(k)
    do for [i = 1:N] { dummy = osw_dump_src(SRC[i]) }
    dummy = osw_dump_text(sprintf("# n %s xrange %g %g yrange %g %g", nmax, tmin / 1.2, tmax * 1.2, 0, yhi))

    do for [fmt in "png svg"] {
        osw_file = osw_out(k, fmt)
        eval osw_term(fmt)
        eval osw_reset
        osw_t = osw_title("parallel efficiency vs threads", k, ", n = " . osw_nfmt(nmax))
        set logscale x 2
        set xrange [tmin / 1.2 : tmax * 1.2]
        set yrange [0 : yhi]
        eval osw_thread_tics
        set ytics 0.1 format "%.1f"
        set xlabel "threads (OpenMP)"
        set ylabel "efficiency = speedup / threads (95% CI)"
        set key outside right top
        eval osw_title_cmd
        eval osw_note_cmd
        plot 1 with lines dt (8, 5) lw 1.5 lc rgb "#909090" title "ideal, E = 1", \
             for [i = 1:N] SRC[i] using 1:2:3:4 with yerrorlines lw 2 ps 1.2 \
                 lc rgb osw_scol(word(S, i)) pt osw_spt(word(S, i)) dt osw_sdt(word(S, i)) title word(S, i)
    }
    set output
    osw_nfig = osw_nfig + 1
}
if (osw_nfig == 0) { print sprintf("osw-plots: %s: nothing to draw in %s", osw_fig, osw_csv) }
