# plots/imbalance.gp: load imbalance vs threads, one line per schedule(+chunk).
# Imbalance = (max - mean)/max of the per-thread busy time: 0 means every
# thread was busy equally long, 0.5 means the average thread idled for half of
# the slowest thread's time. Table: TABLEDIR/imbalance.gp (docs/plots.md).
#
# usage: gnuplot -c plots/imbalance.gp TABLEDIR OUT_PREFIX [MACHINE_LABEL]
# Writes OUT_PREFIX-<kernel>.png and .svg, one per figure of the table.

osw_fig = "imbalance"
osw_args = ""
osw_maxargc = 3
osw_arg0 = ARG0; osw_argc = ARGC; osw_a1 = ARG1; osw_a2 = ARG2; osw_a3 = ARG3; osw_a4 = ARG4
osw_dir = "."
do for [i = strlen(ARG0):1:-1] { if (ARG0[i:i] eq "/") { osw_dir = ARG0[1:i - 1]; break } }
load osw_dir . "/style.gp"

do for [i = 1:pd_nfig] {
    eval osw_begin
    do for [fmt in "png svg"] {
        osw_file = osw_out(k, fmt)
        eval osw_term(fmt)
        eval osw_reset
        osw_t = osw_title("load imbalance vs threads", k, pd_title[i])
        eval osw_threads_axis
        set yrange [pd_y0[i] : pd_y1[i]]
        set format y "%.2f"
        set ylabel "load imbalance, (max - mean) / max busy time"
        eval osw_title_cmd
        eval osw_note_cmd
        plot for [j = 1:N] src index (j - 1) using 1:2 with linespoints lw 2 ps 1.2 \
                 lc rgb osw_scol(s0 + j) pt osw_spt(s0 + j) dt osw_sdt(s0 + j) title pd_stitle[s0 + j], \
             keyentry with lines lc rgb "white" title "0 = perfectly balanced"
    }
    set output
}
