# plots/style.gp: shared look (palette, fonts, grid, key) and plumbing for the
# ompsweep figure scripts. Each script sets these, then loads this file:
#   osw_fig      figure name, used in messages ("speedup", ...)
#   osw_req      summary.csv columns the figure needs, space-separated
#   osw_args     usage text for extra optional arguments ("" or " [THREADS]")
#   osw_maxargc  the largest ARGC the script accepts
#   osw_dir      the directory of the scripts (osw.awk lives there too)
#   osw_arg0, osw_argc, osw_a1 .. osw_a4: ARG0, ARGC, ARG1 .. ARG4 (a loaded
#                file sees its own ARG0 and no arguments)
# This file checks the arguments and the CSV header (exit 2: bad arguments,
# exit 3: unreadable CSV or a missing column; the usage line goes to stderr
# either way) and defines the osw_* helpers the scripts use.
# Set OSW_PLOTS_DEBUG=1 to get, next to each figure, OUT_PREFIX-<kernel>.dat:
# exactly the rows each plot element read, plus the axis ranges used.

# ---- arguments ---------------------------------------------------------------
osw_usage = sprintf("usage: gnuplot -c %s SUMMARY_CSV OUT_PREFIX [MACHINE_LABEL]%s", osw_arg0, osw_args)
if (osw_argc < 2 || osw_argc > osw_maxargc || osw_a1 eq "" || osw_a2 eq "") {
    print osw_usage
    exit status 2
}
osw_csv = osw_a1
osw_prefix = osw_a2

# shell quoting: 'text', with each ' inside written as '\''
osw_shq_(s) = (strstrt(s, "'") == 0) ? s : \
    s[1:strstrt(s, "'") - 1] . "'\\''" . osw_shq_(s[strstrt(s, "'") + 1:])
osw_shq(s) = "'" . osw_shq_(s) . "'"
osw_readable(f) = system("test -r " . osw_shq(f) . " && test -f " . osw_shq(f) . " && echo 1 || echo 0") eq "1"

if (!osw_readable(osw_csv)) {
    print sprintf("osw-plots: %s: cannot read %s", osw_fig, osw_csv)
    print osw_usage
    exit status 2
}

# ---- the CSV reader (plots/osw.awk) -------------------------------------------
osw_awkf = osw_dir . "/osw.awk"
osw_v(name, value) = " -v " . name . "=" . osw_shq(value)
osw_awk(vars) = "awk -f " . osw_shq(osw_awkf) . vars . " " . osw_shq(osw_csv)

osw_check = system(osw_awk(osw_v("mode", "check") . osw_v("req", osw_req)))
if (GPVAL_SYSTEM_ERRNO != 0 || word(osw_check, 1) ne "ok") {
    print sprintf("osw-plots: %s: %s cannot be drawn (it needs the columns: %s)", osw_fig, osw_csv, osw_req)
    print osw_usage
    exit status 3
}

# data sources for `plot` (strings starting with "< ") and queries (system)
osw_rows(w, cols, need, sortby) = "< " . osw_awk(osw_v("mode", "rows") . osw_v("where", w) . \
    osw_v("cols", cols) . osw_v("need", need) . osw_v("sortby", sortby))
osw_best(w, key, val, max, cols) = "< " . osw_awk(osw_v("mode", "best") . osw_v("where", w) . \
    osw_v("key", key) . osw_v("val", val) . osw_v("max", max) . osw_v("cols", cols))
osw_uniq(col, w, need, order) = system(osw_awk(osw_v("mode", "uniq") . osw_v("cols", col) . \
    osw_v("where", w) . osw_v("need", need) . osw_v("order", order)))
# pos, max: pass "1" or "" (strings)
osw_range(w, cols, pos) = system(osw_awk(osw_v("mode", "range") . osw_v("where", w) . \
    osw_v("cols", cols) . osw_v("pos", pos)))
osw_amdahl(w) = system(osw_awk(osw_v("mode", "amdahl") . osw_v("where", w)))
osw_lose(w) = system(osw_awk(osw_v("mode", "lose") . osw_v("where", w)))
osw_unverified(w) = system(osw_awk(osw_v("mode", "unverified") . osw_v("where", w)))
osw_lastword(s) = word(s, words(s))
osw_find(list, s, i) = (i > words(list)) ? 0 : (word(list, i) eq s ? i : osw_find(list, s, i + 1))
osw_max(a, b) = (a > b) ? a : b
osw_min(a, b) = (a < b) ? a : b

# ---- debug dump (OSW_PLOTS_DEBUG) -------------------------------------------------
osw_debug = system("printf '%s' \"${OSW_PLOTS_DEBUG:-}\"")
osw_debug = (osw_debug ne "" && osw_debug ne "0")
osw_dumpfile = ""
osw_dump_start(k) = (osw_debug ? system(sprintf("printf '# %%s %%s\\n' %s %s > %s", \
    osw_shq(osw_fig), osw_shq(k), osw_shq(osw_dumpfile = osw_prefix . "-" . k . ".dat"))) : "")
osw_dump_src(src) = (osw_debug ? system(src[3:] . " >> " . osw_shq(osw_dumpfile)) : "")
osw_dump_text(s) = (osw_debug ? system("printf '%s\\n' " . osw_shq(s) . " >> " . osw_shq(osw_dumpfile)) : "")

# ---- machine label: argument 3, else meta.json next to the CSV -----------------
# (summary-NAME.csv without a meta.json beside it falls back to meta-NAME.json)
osw_csvdir = system("dirname -- " . osw_shq(osw_csv))
osw_csvbase = system("basename -- " . osw_shq(osw_csv))
osw_meta = osw_csvdir . "/meta.json"
if (!osw_readable(osw_meta) && strlen(osw_csvbase) > 12 && osw_csvbase[1:8] eq "summary-" \
    && osw_csvbase[strlen(osw_csvbase) - 3:] eq ".csv") {
    osw_meta = osw_csvdir . "/meta-" . osw_csvbase[9:strlen(osw_csvbase) - 4] . ".json"
}
osw_metaval(name) = system("awk -f " . osw_shq(osw_awkf) . osw_v("mode", "meta") . osw_v("name", name) . \
    " " . osw_shq(osw_meta))
osw_label = "unknown machine"
if (osw_argc >= 3 && osw_a3 ne "") {
    osw_label = osw_a3
} else {
    if (osw_readable(osw_meta)) {
        osw_host = osw_metaval("host")
        osw_cpu = osw_metaval("cpu_model")
        osw_cores = osw_metaval("cores")
        osw_hw = osw_cpu . ((osw_cpu ne "" && osw_cores ne "") ? ", " : "") . \
                 ((osw_cores ne "") ? osw_cores . " cores" : "")
        osw_label = (osw_host ne "" ? osw_host : "unknown machine") . (osw_hw ne "" ? " (" . osw_hw . ")" : "")
    }
}

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
osw_series_all = osw_uniq("series", "", "", "series")
osw_sidx(s) = (osw_find(osw_series_all, s, 1) - 1) % osw_nstyles + 1
osw_scol(s) = osw_lcol(osw_sidx(s))
osw_sdt(s) = osw_ldt(osw_sidx(s))
osw_spt(s) = osw_lpt(osw_sidx(s))

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

# Note naming the rows left out because they were not verified (where w).
osw_rest(s) = (strstrt(s, " ") > 0) ? s[strstrt(s, " ") + 1:] : ""
osw_note_fmt(u) = (word(u, 1) + 0 > 0) ? "not drawn, failed verification: " . osw_rest(u) : ""
osw_note_unverified(w) = osw_note_fmt(osw_unverified(w))
# It sits in a band between the title and the plot (after eval osw_title_cmd).
osw_note_cmd = "if (osw_note ne '') { set tmargin 7; set label 99 osw_note at graph 0, graph 1 offset 0, 1.3 " . \
    "left font ',10' textcolor rgb '#B00000' noenhanced }"

osw_kernels = osw_uniq("kernel", "", "", "first")
osw_nfig = 0
osw_skip(k, why) = sprintf("osw-plots: %s: no figure for %s: %s", osw_fig, k, why)
