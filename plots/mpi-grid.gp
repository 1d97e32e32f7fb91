# plots/mpi-grid.gp: hybrid MPI + OpenMP layouts at a fixed total of cores:
# one bar per layout, ranks x threads per rank ("1×16", "2×8", ..., "16×1",
# fewest ranks first), height = median time per run of the slowest rank with
# its 95% CI, and over each bar its time relative to the fastest layout
# (1.00× = fastest) and, for memory-bound kernels, the GB/s it reached.
#
# usage: gnuplot -c plots/mpi-grid.gp MERGED_SUMMARY OUT_PREFIX [LABEL] [TOTAL]
# MERGED_SUMMARY is scripts/mpi-sweep.sh's merged/summary.csv (or any
# summary.csv with a ranks column: single-process rows count as 1 rank).
# TOTAL (cores = ranks x threads) defaults, per kernel, to the total with the
# most layouts (the larger on a tie); pass "" as LABEL to keep the label from
# meta.json while giving TOTAL. Each kernel is drawn at its largest n there;
# with several schedules, each layout's fastest is drawn and named under its
# bar. Writes OUT_PREFIX-<kernel>.png and .svg; kernels without rows at
# TOTAL are skipped with a note on stderr. Rows with verified != 1 are left
# out (and named in a note), as in every figure.
#
# plots/osw.awk drops rows with ranks > 1 (speedup is per process), so this
# script reads a temporary copy of the CSV whose ranks column is renamed
# mpi_ranks, with two derived columns: cores (ranks x threads) and layout
# ("R×T"); meta.json beside the CSV is copied next to it for the label.

osw_fig = "mpi-grid"
osw_args = " [TOTAL]"
osw_maxargc = 4
osw_arg0 = ARG0; osw_argc = ARGC; osw_a1 = ARG1; osw_a2 = ARG2; osw_a3 = ARG3; osw_a4 = ARG4
osw_dir = "."
do for [i = strlen(ARG0):1:-1] { if (ARG0[i:i] eq "/") { osw_dir = ARG0[1:i - 1]; break } }

# ---- the temporary copy (only for a readable CSV that has the columns; any
# other case goes to style.gp as it is, which reports it) ----------------------
mg_req_orig = "kernel n threads ranks median_s ci_lo_s ci_hi_s verified"
osw_req = mg_req_orig
mg_tmp = ""
mg_sq_(s) = (strstrt(s, "'") == 0) ? s : s[1:strstrt(s, "'") - 1] . "'\\''" . mg_sq_(s[strstrt(s, "'") + 1:])
mg_sq(s) = "'" . mg_sq_(s) . "'"
if (ARGC >= 2 && ARGC <= osw_maxargc && ARG1 ne "" && ARG2 ne "" && \
    system("test -r " . mg_sq(ARG1) . " && test -f " . mg_sq(ARG1) . " && echo 1") eq "1") {
    mg_tmp = system("mktemp -d \"${TMPDIR:-/tmp}/osw-mpi-grid.XXXXXX\" 2>/dev/null")
    mg_prog = 'BEGIN { FS = OFS = "," } { sub(/\r$/, "") } /^[ \t]*$/ { next } ' . \
        'NR == 1 { sub(/^\357\273\277/, ""); for (i = 1; i <= NF; i++) c[$i] = i; ' . \
        'n = split(req, q, " "); for (i = 1; i <= n; i++) if (!(q[i] in c)) exit 3; ' . \
        'rc = c["ranks"]; tc = c["threads"]; $rc = "mpi_ranks"; print $0, "cores", "layout"; next } ' . \
        '{ r = ($rc == "") ? 1 : $rc; t = $tc; print $0, r * t, r "×" t }'
    if (mg_tmp ne "" && system("awk -v req=" . mg_sq(mg_req_orig) . " " . mg_sq(mg_prog) . " " . \
            mg_sq(ARG1) . " > " . mg_sq(mg_tmp . "/summary.csv") . " && echo ok") eq "ok") {
        mg_d = system("dirname -- " . mg_sq(ARG1))
        mg_b = system("basename -- " . mg_sq(ARG1))
        mg_meta = mg_d . "/meta.json"
        if (system("test -r " . mg_sq(mg_meta) . " && echo 1") ne "1" && strlen(mg_b) > 12 && \
            mg_b[1:8] eq "summary-" && mg_b[strlen(mg_b) - 3:] eq ".csv") {
            mg_meta = mg_d . "/meta-" . mg_b[9:strlen(mg_b) - 4] . ".json"
        }
        dummy = system("cp " . mg_sq(mg_meta) . " " . mg_sq(mg_tmp . "/meta.json") . " 2>/dev/null; true")
        osw_a1 = mg_tmp . "/summary.csv"
        osw_req = "kernel n threads mpi_ranks cores layout median_s ci_lo_s ci_hi_s verified"
    } else {
        if (mg_tmp ne "") { dummy = system("rm -rf " . mg_sq(mg_tmp)) }
        mg_tmp = ""
    }
}
load osw_dir . "/style.gp"

mg_fail(msg) = sprintf("osw-plots: %s: %s", osw_fig, msg)
P = ""
if (osw_argc >= 4 && osw_a4 ne "") {
    if (system("printf '%s' " . osw_shq(osw_a4) . " | awk '/^[0-9]+$/ && $0 > 0 { print \"ok\" }'") ne "ok") {
        print mg_fail(sprintf("TOTAL must be a positive integer, not '%s'", osw_a4))
        print osw_usage
        if (mg_tmp ne "") { dummy = system("rm -rf " . osw_shq(mg_tmp)) }
        exit status 2
    }
    P = osw_a4
}
# an osw_csv with the original name in messages
mg_src = ARG1

do for [k in osw_kernels] {
    wk = "kernel=" . k
    C = osw_uniq("cores", wk, "median_s", "num")
    total = ""
    if (P ne "") {
        if (osw_find(C, P, 1) > 0) { total = P }
    } else {
        best = 0
        do for [c in C] {
            m = words(osw_uniq("layout", wk . ";cores=" . c, "median_s", "first"))
            if (m >= best) { best = m; total = c }
        }
    }
    if (total eq "") {
        print osw_skip(k, (P ne "") ? "no layout with " . P . " cores in all" : "no verified rows")
        continue
    }
    nmax = osw_lastword(osw_uniq("n", wk . ";cores=" . total, "median_s", "num"))
    w = wk . ";n=" . nmax . ";cores=" . total
    S = osw_uniq("series", w, "median_s", "series")
    multi = words(S) > 1
    # one row per layout (its fastest schedule), fewest ranks first
    SRC = osw_best(w, "layout", "median_s", "", \
                   "mpi_ranks median_s ci_lo_s|median_s ci_hi_s|median_s layout series gbps_median")
    L = osw_uniq("layout", w, "median_s", "first")
    NL = words(L)
    rg = osw_range(w, "median_s", "1")
    rgh = osw_range(w, "median_s ci_hi_s", "1")
    tbest = word(rg, 1) + 0
    thi = word(rgh, 2) + 0
    sc = (thi < 1e-3) ? 1e6 : (thi < 1 ? 1e3 : 1)
    unit = (sc == 1e6) ? "µs" : (sc == 1e3 ? "ms" : "s")
    mem = osw_uniq("kernel", w . ";bound=memory", "gbps_median", "first") ne ""
    osw_note = osw_note_unverified(w)
    # one sequential colour per layout: purple (fewest ranks) to amber
    do for [i = 1:NL] { set linetype 20 + i lc rgb osw_seqcol(i, NL) lw 2 }

    dummy = osw_dump_start(k)
    dummy = osw_dump_src(SRC)
    dummy = osw_dump_text(sprintf("# n %s cores %s layouts %d yrange %g %g (%s)", nmax, total, NL, 0, thi * sc * 1.3, unit))

    do for [fmt in "png svg"] {
        osw_file = osw_out(k, fmt)
        eval osw_term(fmt)
        eval osw_reset
        osw_t = osw_title(sprintf("MPI ranks × OpenMP threads at %s cores", total), k, \
                          ", n = " . osw_nfmt(nmax))
        set xrange [-0.7 : NL - 0.3]
        set yrange [0 : thi * sc * 1.3]
        set xtics scale 0 nomirror norotate font ",13"
        set grid noxtics ytics
        set errorbars 1.5
        set xlabel sprintf("MPI ranks × OpenMP threads per rank  (%s cores in all%s)", total, \
                           multi ? "; under each bar: its fastest schedule" : "")
        if (multi) { set bmargin 6; set xlabel offset 0, -1.2 } else { set bmargin; set xlabel offset 0, 0 }
        set ylabel sprintf("median time per run, slowest rank [%s]", unit)
        set key outside right top
        eval osw_title_cmd
        eval osw_note_cmd
        plot SRC using 0:($2 * sc):(0.7):(21 + int($0)):xtic((multi ? strcol(5) . "\n" . strcol(6) : strcol(5))) \
                 with boxes lc variable title "median time (slowest rank)", \
             SRC using 0:($2 * sc):($3 * sc):($4 * sc) with yerrorbars pt 7 ps 0.5 lw 1.5 lc rgb "#202020" \
                 title "95% CI", \
             SRC using 0:($4 * sc):(sprintf("%.2f×", $2 / tbest)) with labels offset 0, 0.9 \
                 font ",11" notitle, \
             SRC using 0:($4 * sc):((mem && strcol(7) ne "NaN") ? sprintf("%.1f GB/s", $7) : "") \
                 with labels offset 0, 2.1 font ",9" textcolor rgb "#505050" notitle, \
             keyentry with lines lc rgb "white" title "1.23× = time / fastest", \
             keyentry with lines lc rgb "white" title (mem ? "GB/s from the global n" : "")
        set errorbars 0.6
        set grid xtics ytics
        set xtics font ",12"
        set bmargin
        set xlabel offset 0, 0
    }
    set output
    osw_nfig = osw_nfig + 1
}
if (osw_nfig == 0) { print sprintf("osw-plots: %s: nothing to draw in %s", osw_fig, mg_src) }
if (mg_tmp ne "") { dummy = system("rm -rf " . osw_shq(mg_tmp)) }
