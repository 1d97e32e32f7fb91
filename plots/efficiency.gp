# plots/efficiency.gp: parallel efficiency E = speedup/threads vs threads, one
# line per schedule(+chunk), with the 95% CI carried over from the speedup.
# Table: TABLEDIR/efficiency.gp (docs/plots.md).
#
# usage: gnuplot -c plots/efficiency.gp TABLEDIR OUT_PREFIX [MACHINE_LABEL]
# Writes OUT_PREFIX-<kernel>.png and .svg, one per figure of the table.

osw_fig = "efficiency"
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
        osw_t = osw_title("parallel efficiency vs threads", k, pd_title[i])
        eval osw_threads_axis
        set yrange [pd_y0[i] : pd_y1[i]]
        set ytics 0.1 format "%.1f"
        set ylabel "efficiency = speedup / threads (95% CI)"
        eval osw_title_cmd
        eval osw_note_cmd
        eval 'plot 1 with lines dt (8, 5) lw 1.5 lc rgb "#909090" title "ideal, E = 1", ' . osw_series
    }
    set output
}
