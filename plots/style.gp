# plots/style.gp: shared look (palette, fonts, grid, key) and plumbing for the
# ompsweep figure scripts, which draw the tables `ompsweep plotdata` writes
# (docs/plots.md). Each script sets these, then loads this file:
#   osw_fig      figure kind ("speedup", ...): the table TABLEDIR/<kind>.gp
#   osw_args     usage text for extra optional arguments ("" or " [THREADS]")
#   osw_maxargc  the largest ARGC the script accepts
#   osw_dir      the directory of the scripts
#   osw_arg0, osw_argc, osw_a1 .. osw_a4: ARG0, ARGC, ARG1 .. ARG4 (a loaded
#                file sees its own ARG0 and no arguments)
# This file checks the arguments (exit 2, usage on stderr), loads the table
# index TABLEDIR/<kind>.gp (exit 3 when it is missing: make it with
# `ompsweep plotdata RUN_DIR --out TABLEDIR`) and defines the osw_* helpers.
# Figure i of the index draws TABLEDIR/pd_data[i]; its series are
# pd_s0[i] + 1 .. pd_s0[i] + pd_ns[i] of the pd_s* arrays.

# ---- arguments ---------------------------------------------------------------
osw_usage = sprintf("usage: gnuplot -c %s TABLEDIR OUT_PREFIX [MACHINE_LABEL]%s" . \
    "   (TABLEDIR: ompsweep plotdata RUN_DIR --out TABLEDIR)", osw_arg0, osw_args)
if (osw_argc < 2 || osw_argc > osw_maxargc || osw_a1 eq "" || osw_a2 eq "") {
    print osw_usage
    exit status 2
}
osw_tables = osw_a1
osw_prefix = osw_a2

# shell quoting: 'text', with each ' inside written as '\''
osw_shq_(s) = (strstrt(s, "'") == 0) ? s : \
    s[1:strstrt(s, "'") - 1] . "'\\''" . osw_shq_(s[strstrt(s, "'") + 1:])
osw_shq(s) = "'" . osw_shq_(s) . "'"
osw_index = osw_tables . "/" . osw_fig . ".gp"
if (system("test -r " . osw_shq(osw_index) . " && test -f " . osw_shq(osw_index) . " && echo 1") ne "1") {
    print sprintf("osw-plots: %s: no table %s (make it with: ompsweep plotdata RUN_DIR --out %s)", \
                  osw_fig, osw_index, osw_tables)
    print osw_usage
    exit status 3
}
load osw_index
osw_data(i) = osw_tables . "/" . pd_data[i]
osw_label = (osw_argc >= 3 && osw_a3 ne "") ? osw_a3 : pd_label

osw_lastword(s) = word(s, words(s))
osw_max(a, b) = (a > b) ? a : b
osw_min(a, b) = (a < b) ? a : b

# human form of a problem size (a string): 2^k or 10^k when exact and at
# least 1024 or 1000, else the number as it is
osw_l2(n) = int(log(n) / log(2) + 0.5)
osw_l10(n) = int(log10(n) + 0.5)
osw_nfmt(n) = (n + 0 >= 1024 && abs(2**osw_l2(n + 0) - (n + 0)) < 0.5) ? sprintf("2^%d", osw_l2(n + 0)) : \
    ((n + 0 >= 1000 && abs(10.0**osw_l10(n + 0) - (n + 0)) < 0.5) ? sprintf("10^%d", osw_l10(n + 0)) : n)
# The title is a label centred on the whole canvas (a `set title` centres on
# the plot area and is clipped when the key sits outside): line 1 says what
# and which kernel, line 2 the machine. Use: osw_t = osw_title(...); eval osw_title_cmd
osw_title(what, k, extra) = sprintf("%s: %s%s\n%s", k, what, extra, osw_label)
osw_title_cmd = "set tmargin 5.5; unset title; set label 98 osw_t at screen 0.5, screen 0.955 center font ',14' noenhanced"

# ---- look ------------------------------------------------------------------------
osw_w = 1150
osw_h = 650
osw_font = "DejaVu Sans,12"
# Terminal for format fmt ("png" or "svg"), output to the file named by osw_file:
# eval osw_term("png")
osw_term(fmt) = ((fmt eq "png") ? \
    sprintf("set terminal pngcairo size %d,%d enhanced font '%s' linewidth 1.2 rounded", osw_w, osw_h, osw_font) : \
    sprintf("set terminal svg size %d,%d dynamic enhanced font '%s' linewidth 1.2 rounded background rgb 'white'", \
            osw_w, osw_h, osw_font)) . "; set output osw_file"
osw_out(k, fmt) = sprintf("%s-%s.%s", osw_prefix, k, fmt)

set encoding utf8
set micro
set border 3 lc rgb "#404040" lw 1
set tics nomirror out scale 0.6 textcolor rgb "#202020"
set grid xtics ytics back lc rgb "#d8d8d8" lw 1 dt 1
set key outside right top vertical Left reverse noenhanced samplen 4 spacing 1.2 width 1 \
    box lc rgb "#c0c0c0" opaque
set title font ",14" noenhanced
set xlabel font ",12"
set ylabel font ",12"
set errorbars 0.6
set style fill solid 0.85 border lc rgb "#303030"
set samples 200

# Series styles: colour x dash type x point type, so that a series stays
# distinguishable in print and in grey. 8 colour-blind-safe colours (Okabe &
# Ito, plus brown); series 1..8 are solid with filled markers, 9..16 dashed
# with open markers, 17..32 repeat the markers with dash-dot (dt 4) and
# dash-dot-dot (dt 5) lines. Series 1..16 differ pairwise in at least two of
# colour/dash/marker; the 32 styles cycle after that, so neighbours still
# differ. (dt 3, dotted, is left to fitted curves.) The style of a series is
# fixed over the whole CSV, so a schedule keeps its look in every figure.
osw_colors = "#0072B2 #D55E00 #009E73 #CC79A7 #E69F00 #56B4E9 #000000 #8C564B"
osw_ptypes = "7 5 9 11 13 15 1 2 6 4 8 10 12 14 2 3"
osw_dtypes = "1 2 4 5"
osw_nstyles = 32
# the style i (1..osw_nstyles): colour (a string), dash type, point type
osw_lcol(i) = word(osw_colors, (i - 1) % words(osw_colors) + 1)
osw_ldt(i) = word(osw_dtypes, int((i - 1) / words(osw_colors)) % words(osw_dtypes) + 1) + 0
osw_lpt(i) = word(osw_ptypes, (i - 1) % words(osw_ptypes) + 1) + 0
do for [i = 1:osw_nstyles] {
    set linetype i lc rgb osw_lcol(i) lw 2 dt osw_ldt(i) pt osw_lpt(i)
}
set linetype cycle osw_nstyles
# series j of the tables (pd_sstyle[j]: its index over the whole summary)
osw_sidx(j) = (pd_sstyle[j] - 1) % osw_nstyles + 1
osw_scol(j) = osw_lcol(osw_sidx(j))
osw_sdt(j) = osw_ldt(osw_sidx(j))
osw_spt(j) = osw_lpt(osw_sidx(j))

# Sequential colours for ordered things (thread counts): purple to amber.
osw_seq = "#0D0887 #5402A3 #8B0AA5 #B93289 #DB5C68 #F48849 #E0A400"
osw_seqcol(i, n) = word(osw_seq, (n <= 1) ? 1 : 1 + int((i - 1) * (words(osw_seq) - 1.0) / (n - 1) + 0.5))

# x tics for thread counts on a log2 axis: every count in T when there are at
# most 9, else the powers of two plus the largest count, with minor tics at
# the other measured counts. Needs T, tmin, tmax. Use: eval osw_thread_tics
osw_thread_tics = 'set xtics (); if (words(T) <= 9) { do for [t in T] { set xtics add (t t+0) } } ' . \
    'else { do for [t in T] { set xtics add ("" t+0 1) }; ' . \
    'do for [e = 0:30] { if (2**e >= tmin && 2**e <= tmax) { set xtics add (sprintf("%d", 2**e) 2**e) } }; ' . \
    'if (tmax > 1.25 * 2**int(log(tmax) / log(2) + 1e-9)) { set xtics add (sprintf("%d", tmax) tmax) } }'

# Each figure starts from a clean slate of labels/objects/arrows.
osw_reset = "unset label; unset object; unset arrow; unset logscale; set xtics autofreq; set ytics autofreq; " . \
    "set format x '% h'; set format y '% h'; set xrange [*:*]; set yrange [*:*]; set key outside right top"

# The note (the unverified rows left out, the cache warning) sits in a band
# between the title and the plot (after eval osw_title_cmd).
osw_note_cmd = "if (osw_note ne '') { set tmargin 7; set label 99 osw_note at graph 0, graph 1 offset 0, 1.3 " . \
    "left font ',10' textcolor rgb '#B00000' noenhanced }"
osw_nfig = 0

# Figure i of the index: eval osw_begin sets k (kernel), src (its table),
# s0 and N (its series), T, tmin, tmax (thread counts) and osw_note.
osw_begin = 'k = pd_kernel[i]; src = osw_data(i); s0 = pd_s0[i]; N = pd_ns[i]; T = pd_threads[i]; ' . \
    'tmin = (T eq "") ? 1 : word(T, 1) + 0; tmax = (T eq "") ? 1 : osw_lastword(T) + 0; osw_note = pd_note[i]'
# The series of figure i against threads, columns 1:2:3:4 of their blocks
# (threads value low high), with error bars; the key text is pd_stitle.
osw_series = 'for [j = 1:N] src index (j - 1) using 1:2:3:4 with yerrorlines lw 2 ps 1.2 ' . \
    'lc rgb osw_scol(s0 + j) pt osw_spt(s0 + j) dt osw_sdt(s0 + j) title pd_stitle[s0 + j]'
# A log2 thread axis over the figure's range.
osw_threads_axis = 'set logscale x 2; set xrange [pd_x0[i] : pd_x1[i]]; eval osw_thread_tics; ' . \
    'set xlabel "threads (OpenMP)"'
