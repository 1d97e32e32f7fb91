# plots/mpi-grid.gp: hybrid MPI + OpenMP layouts at a fixed total of cores:
# one bar per layout, ranks x threads per rank ("1×16", "2×8", ..., "16×1",
# fewest ranks first), height = median time per run of the slowest rank with
# its 95% CI, and over each bar its time relative to the fastest layout
# (1.00× = fastest) and, for memory-bound kernels, the GB/s it reached.
# Table: TABLEDIR/mpi-grid.gp, one figure per kernel and total of cores, from
#   ompsweep plotdata MERGED_DIR --kind mpi-grid --out TABLEDIR
# (MERGED_DIR: scripts/mpi-sweep.sh's merged/, or any summary with a ranks
# column; docs/plots.md). With several schedules each layout's fastest is
# drawn and named under its bar.
#
# usage: gnuplot -c plots/mpi-grid.gp TABLEDIR OUT_PREFIX [LABEL] [TOTAL]
# TOTAL (cores = ranks x threads) defaults, per kernel, to the total with the
# most layouts (the larger on a tie); pass "" as LABEL to keep the label from
# meta.json while giving TOTAL. Writes OUT_PREFIX-<kernel>.png and .svg.

osw_fig = "mpi-grid"
osw_args = " [TOTAL]"
osw_maxargc = 4
osw_arg0 = ARG0; osw_argc = ARGC; osw_a1 = ARG1; osw_a2 = ARG2; osw_a3 = ARG3; osw_a4 = ARG4
osw_dir = "."
do for [i = strlen(ARG0):1:-1] { if (ARG0[i:i] eq "/") { osw_dir = ARG0[1:i - 1]; break } }
load osw_dir . "/style.gp"

P = 0
if (osw_argc >= 4 && osw_a4 ne "") {
    ok = strlen(osw_a4) <= 9
    do for [c = 1:strlen(osw_a4)] { if (strstrt("0123456789", osw_a4[c:c]) == 0) { ok = 0 } }
    if (!ok || osw_a4 + 0 <= 0) {
        print sprintf("osw-plots: %s: TOTAL must be a positive integer, not '%s'", osw_fig, osw_a4)
        print osw_usage
        exit status 2
    }
    P = osw_a4 + 0
}

do for [i = 1:pd_nfig] {
    if ((P == 0 && pd_main[i]) || pd_total[i] == P) {
        eval osw_begin
        NL = pd_nlayouts[i]
        multi = pd_multi[i]
        mem = pd_mem[i]
        # one sequential colour per layout: purple (fewest ranks) to amber
        do for [j = 1:NL] { set linetype 20 + j lc rgb osw_seqcol(j, NL) lw 2 }
        do for [fmt in "png svg"] {
            osw_file = osw_out(k, fmt)
            eval osw_term(fmt)
            eval osw_reset
            osw_t = osw_title(sprintf("MPI ranks × OpenMP threads at %d cores", pd_total[i]), k, pd_title[i])
            set xrange [pd_x0[i] : pd_x1[i]]
            set yrange [pd_y0[i] : pd_y1[i]]
            set xtics scale 0 nomirror norotate font ",13"
            set grid noxtics ytics
            set errorbars 1.5
            set xlabel sprintf("MPI ranks × OpenMP threads per rank  (%d cores in all%s)", pd_total[i], \
                               multi ? "; under each bar: its fastest schedule" : "")
            if (multi) { set bmargin 6; set xlabel offset 0, -1.2 } else { set bmargin; set xlabel offset 0, 0 }
            set ylabel sprintf("median time per run, slowest rank [%s]", pd_unit[i])
            eval osw_title_cmd
            eval osw_note_cmd
            # columns: ranks median low high layout series gbps ratio
            plot src using 0:2:(0.7):(21 + int($0)):xtic((multi ? strcol(5) . "\n" . strcol(6) : strcol(5))) \
                     with boxes lc variable title "median time (slowest rank)", \
                 src using 0:2:3:4 with yerrorbars pt 7 ps 0.5 lw 1.5 lc rgb "#202020" title "95% CI", \
                 src using 0:4:(sprintf("%.2f×", $8)) with labels offset 0, 0.9 font ",11" notitle, \
                 src using 0:4:((mem && strcol(7) ne "NaN") ? sprintf("%.1f GB/s", $7) : "") \
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
}
if (P > 0 && osw_nfig == 0) { print sprintf("osw-plots: %s: no layout with %d cores in all", osw_fig, P) }
