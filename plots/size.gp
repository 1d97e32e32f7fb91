# plots/size.gp: median time vs problem size n, log-log, one line per thread
# count (each point: the fastest schedule(+chunk) for that n and thread count,
# with its 95% CI). The sizes at which no thread count > 1 beats 1 thread
# (tune's rule) are shaded; where a shaded stretch gives way to parallel, the
# interpolated break-even size is marked. Table: TABLEDIR/size.gp
# (docs/plots.md).
#
# usage: gnuplot -c plots/size.gp TABLEDIR OUT_PREFIX [MACHINE_LABEL]
# Writes OUT_PREFIX-<kernel>.png and .svg for each kernel with two or more sizes.

osw_fig = "size"
osw_args = ""
osw_maxargc = 3
osw_arg0 = ARG0; osw_argc = ARGC; osw_a1 = ARG1; osw_a2 = ARG2; osw_a3 = ARG3; osw_a4 = ARG4
osw_dir = "."
do for [i = strlen(ARG0):1:-1] { if (ARG0[i:i] eq "/") { osw_dir = ARG0[1:i - 1]; break } }
load osw_dir . "/style.gp"

dtsel(t) = (t eq "1") ? 2 : 1
ptsel(t) = (t eq "1") ? 4 : 7

do for [i = 1:pd_nfig] {
    eval osw_begin
    M = words(T)
    has1 = (word(T, 1) eq "1") ? 1 : 0
    SP = pd_spans[i]
    nsp = words(SP) / 3
    do for [fmt in "png svg"] {
        osw_file = osw_out(k, fmt)
        eval osw_term(fmt)
        eval osw_reset
        osw_t = osw_title("time vs problem size", k, pd_title[i])
        # the shaded stretches "x1 x2 mark": mark 1 draws the break-even line at x2
        do for [j = 1:nsp] {
            x1 = word(SP, 3 * j - 2) + 0
            x2 = word(SP, 3 * j - 1) + 0
            set object (10 + j) rect from x1, graph 0 to x2, graph 1 behind \
                fillcolor rgb "#F6D5D5" fillstyle solid 1.0 noborder
            if (word(SP, 3 * j) eq "1") {
                set arrow (10 + j) from x2, graph 0 to x2, graph 1 nohead dt 2 lw 1.2 lc rgb "#B00000" back
                set label (10 + j) sprintf("break-even\nn ≈ %.0f\n(interpolated)", x2) at x2, graph 0.97 \
                    left offset 0.5, 0 font ",10" textcolor rgb "#B00000" front
            }
        }
        set logscale x 10
        set logscale y 10
        set xrange [pd_x0[i] : pd_x1[i]]
        set yrange [pd_y0[i] : pd_y1[i]]
        set format x "10^{%T}"
        set format y "%.0s %cs"
        set xlabel "problem size n (elements or work units, as in ompsweep list)"
        set ylabel "median time per run (95% CI; each tick names its unit)"
        eval osw_title_cmd
        eval osw_note_cmd
        P = 'for [j = 1:M] src index (j - 1) using 1:2:3:4 with yerrorlines lw 2 ps 1.2 ' . \
            'lc rgb (word(T, j) eq "1" ? "#000000" : osw_seqcol(j - has1, M - has1)) ' . \
            'dt dtsel(word(T, j)) pt ptsel(word(T, j)) ' . \
            'title word(T, j) . (word(T, j) eq "1" ? " thread" : " threads")'
        if (nsp > 0) {
            P = P . ', keyentry with boxes fillcolor rgb "#F6D5D5" fillstyle solid 1.0 noborder ' . \
                    'title "no thread count beats 1 thread"'
        } else {
            if (pd_nlose[i] > 0) { P = P . ', keyentry with lines lc rgb "white" title "(parallel wins at every size)"' }
        }
        eval "plot " . P
    }
    set output
}
