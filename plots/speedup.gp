# plots/speedup.gp: speedup vs threads, one line per schedule(+chunk), with
# the 95% CI of each speedup, the ideal line S = p and tune's least-squares
# Amdahl fit S(p) = 1/(f + (1-f)/p) per line (f in the key; no fit from
# fewer than 3 thread counts). Table: TABLEDIR/speedup.gp (docs/plots.md).
#
# usage: gnuplot -c plots/speedup.gp TABLEDIR OUT_PREFIX [MACHINE_LABEL]
# Writes OUT_PREFIX-<kernel>.png and .svg, one per figure of the table.

osw_fig = "speedup"
osw_args = ""
osw_maxargc = 3
osw_arg0 = ARG0; osw_argc = ARGC; osw_a1 = ARG1; osw_a2 = ARG2; osw_a3 = ARG3; osw_a4 = ARG4
osw_dir = "."
do for [i = strlen(ARG0):1:-1] { if (ARG0[i:i] eq "/") { osw_dir = ARG0[1:i - 1]; break } }
load osw_dir . "/style.gp"

amdahl(x, f) = 1.0 / (f + (1.0 - f) / x)

do for [i = 1:pd_nfig] {
    eval osw_begin
    do for [fmt in "png svg"] {
        osw_file = osw_out(k, fmt)
        eval osw_term(fmt)
        eval osw_reset
        osw_t = osw_title("speedup vs threads", k, pd_title[i])
        eval osw_threads_axis
        set logscale y 2
        set yrange [pd_y0[i] : pd_y1[i]]
        set ytics 0.03125, 2 format "%g"
        set mytics default
        set ylabel "speedup over 1 thread (median time ratio, 95% CI)"
        eval osw_title_cmd
        eval osw_note_cmd
        P = 'x with lines dt (8, 5) lw 1.5 lc rgb "#909090" title "ideal, S = p", ' . osw_series . \
            ', for [j = 1:N] (pd_sfit[s0 + j] < 0.999 ? amdahl(x, pd_sfit[s0 + j]) : NaN) ' . \
            'with lines dt 3 lw 1.8 lc rgb osw_scol(s0 + j) notitle, ' . \
            'NaN with lines dt 3 lw 1.8 lc rgb "#404040" title (pd_nfits[i] > 0 ? ' . \
            '"dotted: Amdahl fit, f = serial fraction" : pd_fitnote[i])'
        eval "plot " . P
    }
    set output
}
