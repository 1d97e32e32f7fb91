# plots/overhead.gp: the cost of one parallel region. The kernel `empty` is an
# empty worksharing loop (fork, dispatch, join), so its time per call is pure
# OpenMP overhead (speedup and efficiency leave it out). This draws its median
# time per region in µs against threads, one line per schedule(+chunk), with
# the 95% CI. Table: TABLEDIR/overhead.gp (docs/plots.md).
#
# usage: gnuplot -c plots/overhead.gp TABLEDIR OUT_PREFIX [MACHINE_LABEL]
# Writes OUT_PREFIX-empty.png and .svg; nothing without `empty` rows (exit 0).

osw_fig = "overhead"
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
        osw_t = osw_title("overhead per parallel region vs threads", k, pd_title[i])
        eval osw_threads_axis
        set yrange [pd_y0[i] : pd_y1[i]]
        set format y "%g"
        set ylabel "time per region, µs (median, 95% CI)"
        eval osw_title_cmd
        eval osw_note_cmd
        eval "plot " . osw_series
    }
    set output
}
