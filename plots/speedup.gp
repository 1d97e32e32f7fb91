# plots/speedup.gp: speedup vs threads, one line per schedule(+chunk), with
# the 95% CI of each speedup, the ideal line S = p and a least-squares Amdahl
# fit S(p) = 1/(f + (1-f)/p) per line (its serial fraction f is in the key).
#
# usage: gnuplot -c plots/speedup.gp SUMMARY_CSV OUT_PREFIX [MACHINE_LABEL]
# Writes OUT_PREFIX-<kernel>.png and .svg: one figure per kernel, at the
# kernel's largest n (size.gp shows how the picture changes with n).
# A kernel with speedups for fewer than two thread counts is skipped with a
# note on stderr.

osw_fig = "speedup"
osw_req = "kernel n threads schedule chunk speedup speedup_lo speedup_hi verified"
osw_args = ""
osw_maxargc = 3
osw_arg0 = ARG0; osw_argc = ARGC; osw_a1 = ARG1; osw_a2 = ARG2; osw_a3 = ARG3; osw_a4 = ARG4
osw_dir = "."
do for [i = strlen(ARG0):1:-1] { if (ARG0[i:i] eq "/") { osw_dir = ARG0[1:i - 1]; break } }
load osw_dir . "/style.gp"

amdahl(x, f) = 1.0 / (f + (1.0 - f) / x)

do for [k in osw_kernels] {
    if (k eq "empty") { print osw_skip(k, "an empty worksharing loop has no work to speed up; overhead.gp draws its time per region"); continue }
    ns = osw_uniq("n", "kernel=" . k, "speedup threads", "num")
    if (ns eq "") { print osw_skip(k, "no speedup values (no 1-thread baseline?)"); continue }
    nmax = osw_lastword(ns)
    w = "kernel=" . k . ";n=" . nmax
    T = osw_uniq("threads", w, "speedup", "num")
    if (words(T) < 2) { print osw_skip(k, "speedups for only one thread count at n = " . nmax); continue }
    S = osw_uniq("series", w, "speedup threads", "series")
    N = words(S)
    array SRC[N]
    array FT[N]
    array FF[N]
    array FI[N]
    do for [i = 1:N] { FI[i] = 1 }
    nfits = 0
    do for [i = 1:N] {
        s = word(S, i)
        SRC[i] = osw_rows(w . ";series=" . s, "threads speedup speedup_lo|speedup speedup_hi|speedup", \
                          "speedup threads", "threads")
        r = osw_amdahl(w . ";series=" . s)
        FF[i] = word(r, 1) + 0
        FT[i] = s
        if (word(r, 2) + 0 >= 2) {
            if (FF[i] < 0.999) {
                nfits = nfits + 1
                FI[nfits] = i
                FT[i] = sprintf("%s  (f = %.3f)", s, FF[i])
            } else {
                # f at its upper bound 1: the curve falls (oversubscription, overheads), no Amdahl shape
                FT[i] = sprintf("%s  (Amdahl does not fit)", s)
            }
        }
    }
    tmin = word(T, 1) + 0
    tmax = osw_lastword(T) + 0
    rg = osw_range(w, "speedup speedup_lo speedup_hi", "1")
    ylo = osw_min(word(rg, 1) + 0, 1) / 1.25
    yhi = osw_max(word(rg, 2) + 0, tmax) * 1.25
    osw_note = osw_note_unverified(w)

    dummy = osw_dump_start(k)
    do for [i = 1:N] { dummy = osw_dump_src(SRC[i]) }
    dummy = osw_dump_text(sprintf("# n %s xrange %g %g yrange %g %g", nmax, tmin / 1.2, tmax * 1.2, ylo, yhi))

    do for [fmt in "png svg"] {
        osw_file = osw_out(k, fmt)
        eval osw_term(fmt)
        eval osw_reset
        osw_t = osw_title("speedup vs threads", k, ", n = " . osw_nfmt(nmax))
        set logscale x 2
        set logscale y 2
        set xrange [tmin / 1.2 : tmax * 1.2]
        set yrange [ylo : yhi]
        eval osw_thread_tics
        set ytics 0.03125, 2 format "%g"
        set mytics default
        set xlabel "threads (OpenMP)"
        set ylabel "speedup over 1 thread (median time ratio, 95% CI)"
        set key outside right top
        eval osw_title_cmd
        eval osw_note_cmd
        P = 'x with lines dt (8, 5) lw 1.5 lc rgb "#909090" title "ideal, S = p", ' . \
            'for [i = 1:N] SRC[i] using 1:2:3:4 with yerrorlines lw 2 ps 1.2 ' . \
            'lc rgb osw_scol(word(S, i)) pt osw_spt(word(S, i)) dt osw_sdt(word(S, i)) title FT[i]'
        Pfit = 'for [j = 1:nfits] amdahl(x, FF[FI[j]]) with lines dt 3 lw 1.8 ' . \
               'lc rgb osw_scol(word(S, FI[j])) notitle, ' . \
               'NaN with lines dt 3 lw 1.8 lc rgb "#404040" title "dotted: Amdahl fit, f = serial fraction"'
        eval "plot " . P . ((nfits > 0) ? ", " . Pfit : "")
    }
    set output
    osw_nfig = osw_nfig + 1
}
if (osw_nfig == 0) { print sprintf("osw-plots: %s: nothing to draw in %s", osw_fig, osw_csv) }
