# plots/size.gp: median time vs problem size n, log-log, one line per thread
# count (each point: the fastest schedule(+chunk) for that n and thread count,
# with its 95% CI). The sizes at which no thread count > 1 beats 1 thread are
# shaded: below them, parallelising this kernel does not pay.
#
# usage: gnuplot -c plots/size.gp SUMMARY_CSV OUT_PREFIX [MACHINE_LABEL]
# Writes OUT_PREFIX-<kernel>.png and .svg: one figure per kernel with at least
# two sizes; other kernels are skipped with a note on stderr.

osw_fig = "size"
osw_req = "kernel n threads schedule chunk median_s verified"
osw_args = ""
osw_maxargc = 3
osw_arg0 = ARG0; osw_argc = ARGC; osw_a1 = ARG1; osw_a2 = ARG2; osw_a3 = ARG3; osw_a4 = ARG4
osw_dir = "."
do for [i = strlen(ARG0):1:-1] { if (ARG0[i:i] eq "/") { osw_dir = ARG0[1:i - 1]; break } }
load osw_dir . "/style.gp"

dtsel(t) = (t eq "1") ? 2 : 1

do for [k in osw_kernels] {
    w = "kernel=" . k
    NS = osw_uniq("n", w, "median_s n", "num")
    if (words(NS) < 2) { print osw_skip(k, "only one size (n = " . NS . ")"); continue }
    T = osw_uniq("threads", w, "median_s n", "num")
    M = words(T)
    has1 = (word(T, 1) eq "1") ? 1 : 0
    array SRC[M]
    do for [i = 1:M] {
        SRC[i] = osw_best(w . ";threads=" . word(T, i), "n", "median_s", "", \
                          "n median_s ci_lo_s|median_s ci_hi_s|median_s series")
    }
    nmin = word(NS, 1) + 0
    nmax = osw_lastword(NS) + 0
    rg = osw_range(w, "median_s ci_lo_s ci_hi_s", "1")
    xlo = nmin / 2.0
    xhi = nmax * 2.0
    ylo = (word(rg, 1) + 0) / 2.0
    yhi = (word(rg, 2) + 0) * 2.0
    LOSE = osw_lose(w)
    osw_note = osw_note_unverified(w)

    dummy = osw_dump_start(k)
    do for [i = 1:M] { dummy = osw_dump_src(SRC[i]) }
    dummy = osw_dump_text("# lose: " . LOSE)
    dummy = osw_dump_text(sprintf("# xrange %g %g yrange %g %g", xlo, xhi, ylo, yhi))

    do for [fmt in "png svg"] {
        osw_file = osw_out(k, fmt)
        eval osw_term(fmt)
        eval osw_reset
        osw_t = osw_title("time vs problem size", k, " (fastest schedule per point)")
        # Shade the sizes where parallel loses; a shaded stretch ends at the
        # break-even size (see mode=lose in osw.awk), marked and labelled.
        shaded = 0
        nl = words(LOSE) / 3
        do for [j = 1:nl] {
            if (word(LOSE, 3 * j - 1) eq "1") {
                x1 = (j == 1) ? xlo : word(LOSE, 3 * j - 3) + 0
                x2 = (j == nl) ? xhi : word(LOSE, 3 * j) + 0
                set object (10 + j) rect from x1, graph 0 to x2, graph 1 behind \
                    fillcolor rgb "#F6D5D5" fillstyle solid 1.0 noborder
                if (j < nl && word(LOSE, 3 * j + 2) eq "0") {
                    set arrow (10 + j) from x2, graph 0 to x2, graph 1 nohead dt 2 lw 1.2 lc rgb "#B00000" back
                    set label (10 + j) sprintf("break-even\nn ≈ %.0f\n(interpolated)", x2) at x2, graph 0.97 \
                        left offset 0.5, 0 font ",10" textcolor rgb "#B00000" front
                }
                shaded = shaded + 1
            }
        }
        set logscale x 10
        set logscale y 10
        set xrange [xlo : xhi]
        set yrange [ylo : yhi]
        set format x "10^{%T}"
        set format y "%.0s %cs"
        set xlabel "problem size n (elements or work units, as in ompsweep list)"
        set ylabel "median time per run (95% CI; each tick names its unit)"
        set key outside right top
        eval osw_title_cmd
        eval osw_note_cmd
        # the plot command, built as a string so that the last key entry can
        # depend on the data (a `for` over nothing would leave an empty key row)
        P = 'for [i = 1:M] SRC[i] using 1:2:3:4 with yerrorlines lw 2 ps 1.2 ' . \
            'lc rgb (word(T, i) eq "1" ? "#000000" : osw_seqcol(i - has1, M - has1)) ' . \
            'dt dtsel(word(T, i)) pt (word(T, i) eq "1" ? 4 : 7) ' . \
            'title word(T, i) . (word(T, i) eq "1" ? " thread" : " threads")'
        if (shaded > 0) {
            P = P . ', keyentry with boxes fillcolor rgb "#F6D5D5" fillstyle solid 1.0 noborder ' . \
                    'title "no thread count beats 1 thread"'
        } else {
            if (LOSE ne "") { P = P . ', keyentry with lines lc rgb "white" title "(parallel wins at every size)"' }
        }
        eval "plot " . P
    }
    set output
    osw_nfig = osw_nfig + 1
}
if (osw_nfig == 0) { print sprintf("osw-plots: %s: no kernel with two or more sizes in %s", osw_fig, osw_csv) }
