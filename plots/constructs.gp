# plots/constructs.gp: the construct kernels (EPCC's syncbench, taskbench,
# arraybench; docs/kernels.md) beside EPCC's own figures, and `for` against
# `taskloop` on the irregular kernels. Standalone: reads the two tables of
# results/dev2-2026-11-30/epcc/ directly (not summary.csv).
#
# usage: gnuplot -c plots/constructs.gp CONSTRUCTS_CSV TASKLOOP_CSV OUT_PREFIX
#   CONSTRUCTS_CSV  constructs.csv (reduce.py): family, kernel, threads,
#                   ompsweep_ns, epcc_median_ns, ...
#   TASKLOOP_CSV    taskloop-vs-for.csv: kernel, threads, schedule, chunk,
#                   median_s, ...
# Writes OUT_PREFIX-syncbench.png, -taskbench.png, -arraybench.png
# (overhead per execution in ns against threads, log y; ompsweep solid,
# EPCC dashed, one colour per construct; overheads <= 0 are not drawn on
# the log axis) and OUT_PREFIX-taskloop-<kernel>.png (median time against
# chunk or grainsize at each thread count, log x; static as a level line).

if (ARGC != 3) {
    print "usage: gnuplot -c plots/constructs.gp CONSTRUCTS_CSV TASKLOOP_CSV OUT_PREFIX"
    exit status 2
}
cons = ARG1
tl = ARG2
prefix = ARG3
set datafile separator ","
set terminal pngcairo size 1000,650 font "sans,10" noenhanced
set grid
set key outside right top

col(name, file) = system(sprintf("head -1 '%s' | tr ',' '\\n' | grep -nx '%s' | cut -d: -f1", file, name)) + 0
uniq(file, c, where_c, where_v) = system(sprintf("awk -F, 'NR > 1 && $%d == \"%s\" {print $%d}' '%s' | awk '!s[$0]++' | tr '\\n' ' '", where_c, where_v, c, file))

cf = col("family", cons); ck = col("kernel", cons); ct = col("threads", cons)
co = col("ompsweep_ns", cons); ce = col("epcc_median_ns", cons)
pos(v) = v > 0 ? v : NaN

do for [fam in "syncbench taskbench arraybench"] {
    K = uniq(cons, ck, cf, fam)
    if (words(K) == 0) { continue }
    set output sprintf("%s-%s.png", prefix, fam)
    set title sprintf("%s constructs: overhead per execution (ompsweep solid, EPCC v4 dashed)", fam)
    set xlabel "threads"
    set ylabel "overhead per execution (ns)"
    set logscale y
    unset logscale x
    set xtics 1
    set xrange [0.8:*]
    plot for [i = 1:words(K)] cons using (strcol(ck) eq word(K, i) ? column(ct) : NaN):(pos(column(co))) \
             with linespoints lt i lw 2 pt 7 title word(K, i), \
         for [i = 1:words(K)] cons using (strcol(ck) eq word(K, i) ? column(ct) : NaN):(pos(column(ce))) \
             with linespoints lt i lw 1 dt 2 pt 6 notitle
    unset output
}

tk = col("kernel", tl); tt = col("threads", tl); ts = col("schedule", tl)
tc = col("chunk", tl); tm = col("median_s", tl)
do for [k in "triangular random_cost"] {
    T = uniq(tl, tt, tk, k)
    if (words(T) == 0) { continue }
    set output sprintf("%s-taskloop-%s.png", prefix, k)
    set title sprintf("%s: for schedules against taskloop (median time per call)", k)
    set xlabel "chunk (for) or grainsize / num_tasks (taskloop)"
    set ylabel "median time (ms)"
    unset logscale y
    set logscale x 2
    set xtics auto
    set xrange [*:*]
    S = "dynamic guided taskloop:grainsize taskloop:num_tasks"
    plot for [ti = 1:words(T)] for [si = 1:words(S)] tl \
             using ((strcol(tk) eq k && strcol(tt) eq word(T, ti) && strcol(ts) eq word(S, si) && column(tc) > 0) ? column(tc) : NaN):(1e3 * column(tm)) \
             with linespoints lt si dt ti lw 2 pt (6 + ti) title sprintf("%s, %s threads", word(S, si), word(T, ti)), \
         for [ti = 1:words(T)] tl \
             using ((strcol(tk) eq k && strcol(tt) eq word(T, ti) && strcol(ts) eq "static" && column(tc) == 0) ? 1 : NaN):(1e3 * column(tm)) \
             with points lt 8 pt (4 + ti) ps 2 title sprintf("static (chunk 0, drawn at 1), %s threads", word(T, ti))
    unset output
}
