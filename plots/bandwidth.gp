# plots/bandwidth.gp: achieved memory bandwidth (GB/s, median run) vs threads
# for the memory-bound kernels, one line per schedule(+chunk), with error bars
# from the 95% CI of the median time. The ceiling is the in-suite `triad` at
# the same n: its best GB/s per thread count as a grey band line and its peak
# as a dashed line. Without a triad at that n the title says so and no ceiling
# is drawn; a working set that fits in the last-level cache gets a note; a
# dotted line marks where the bandwidth saturates (ompsweep tune's rule).
# Table: TABLEDIR/bandwidth.gp (docs/plots.md).
#
# usage: gnuplot -c plots/bandwidth.gp TABLEDIR OUT_PREFIX [MACHINE_LABEL]
# Writes OUT_PREFIX-<kernel>.png and .svg, one per figure of the table.

osw_fig = "bandwidth"
osw_args = ""
osw_maxargc = 3
osw_arg0 = ARG0; osw_argc = ARGC; osw_a1 = ARG1; osw_a2 = ARG2; osw_a3 = ARG3; osw_a4 = ARG4
osw_dir = "."
do for [i = strlen(ARG0):1:-1] { if (ARG0[i:i] eq "/") { osw_dir = ARG0[1:i - 1]; break } }
load osw_dir . "/style.gp"

do for [i = 1:pd_nfig] {
    eval osw_begin
    osw_note = pd_note[i] . ((pd_note[i] ne "" && pd_cache[i] ne "") ? "; " : "") . pd_cache[i]
    # the ceiling is the last block of the figure's table
    C = 'src index N using 1:2 with lines lw 9 lc rgb "#D0D0D0" title "ceiling: triad, best run", ' . \
        'pd_cpeak[i] with lines dt (8, 5) lw 1.5 lc rgb "#707070" ' . \
        'title sprintf("triad peak %.1f GB/s", pd_cpeak[i]), '
    do for [fmt in "png svg"] {
        osw_file = osw_out(k, fmt)
        eval osw_term(fmt)
        eval osw_reset
        osw_t = osw_title("memory bandwidth vs threads", k, pd_title[i])
        eval osw_threads_axis
        set yrange [pd_y0[i] : pd_y1[i]]
        set ylabel "bandwidth [GB/s] (median run, 95% CI)"
        eval osw_title_cmd
        eval osw_note_cmd
        # where it saturates, as ompsweep tune says (more threads add < 5%)
        if (pd_sat[i] > 0) {
            set arrow 20 from pd_sat[i], graph 0 to pd_sat[i], graph 1 nohead dt 3 lw 1.5 lc rgb "#505050" back
            set label 20 sprintf(" saturates at %d thread%s\n (more add < 5%%)", pd_sat[i], pd_sat[i] == 1 ? "" : "s") \
                at pd_sat[i], graph 0.08 left font ",10" textcolor rgb "#505050" front
        }
        eval "plot " . (pd_ceil[i] ? C : "") . osw_series
    }
    set output
}
