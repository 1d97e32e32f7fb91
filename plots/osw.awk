# plots/osw.awk: the one summary.csv reader behind the ompsweep gnuplot scripts.
#
# It reads summary.csv (RFC 4180: one header row, quoted fields with ""
# escapes, CRLF line ends; a field may not span lines), looks every column up
# by its header name, and prints what one figure needs as whitespace-separated
# text that gnuplot reads directly ('< awk -f osw.awk ...').
#
# Every mode except `check` and `unverified` sees only good rows: rows whose
# `verified` is not exactly 1 are dropped, and so are MPI rows (ranks > 1),
# since speedup and efficiency are defined per process.
#
# Variables (-v name=value):
#   mode    check | rows | uniq | best | range | amdahl | lose | unverified | meta
#   req     space-separated columns that must exist (mode=check)
#   where   "col=value;col=value": keep rows whose cell equals value (numbers
#           compare numerically); col may be a derived name (below)
#   cols    space-separated output columns; "a|b" prints a, or b when a is
#           empty or absent
#   need    space-separated columns that must be non-empty numbers
#   sortby  numeric sort key column for rows/best (default: the first of cols);
#           "series" sorts by schedule order, then chunk
#   order   uniq: num | series | first (first appearance, the default)
#   key,val best: group by the key columns, keep the row with the smallest
#           val (largest with max=1)
#   pos     range: 1 ignores values <= 0 (for log axes)
#   name    meta: the top-level key to print from a flat meta.json
# Derived columns: series (schedule, plus ",chunk" when chunk > 0), gbps_lo and
# gbps_hi (GB/s at the ends of the time CI), eff_lo and eff_hi
# (speedup_lo/threads, speedup_hi/threads), _pos (bar position, rows mode:
# consecutive, with a gap whenever the base schedule changes).
#
# Output: empty cells print as NaN; numbers that gnuplot converts from text
# (range, amdahl, lose, uniq with order=num) are printed by fmtnum. A missing
# required column is reported on stderr, and mode=check prints "ERROR" and
# exits 3.

function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t\r]+$/, "", s); return s }

function parsecsv(line, f,    n, i, c, q, cur, len) {
    sub(/\r$/, "", line)
    if (index(line, "\"") == 0) {
        n = split(line, f, ",")
        for (i = 1; i <= n; i++) f[i] = trim(f[i])
        return n
    }
    n = 0; cur = ""; q = 0; len = length(line)
    for (i = 1; i <= len; i++) {
        c = substr(line, i, 1)
        if (q) {
            if (c == "\"") {
                if (substr(line, i + 1, 1) == "\"") { cur = cur "\""; i++ } else q = 0
            } else cur = cur c
        } else if (c == "\"") q = 1
        else if (c == ",") { f[++n] = trim(cur); cur = "" }
        else cur = cur c
    }
    f[++n] = trim(cur)
    return n
}

# A number as gnuplot's string-to-number conversion accepts it: "1e-07"+0
# fails in gnuplot 5.4, "1.0000000000e-07"+0 works; mawk's %d stops at 2^31.
function fmtnum(v) {
    v += 0
    if (v == int(v) && v < 1e15 && v > -1e15) return sprintf("%.0f", v)
    return sprintf("%.10e", v)
}

function isnum(s) { return s ~ /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/ }

function raw(name) { return (name in idx) ? F[idx[name]] : "" }

function schedrank(s,    b) {
    b = s; sub(/^(monotonic|nonmonotonic):/, "", b)
    if (b == "static") return 1
    if (b == "dynamic") return 2
    if (b == "guided") return 3
    if (b == "auto") return 4
    if (b == "runtime") return 5
    return 6
}

function serieskey(sched, chunk,    p) {
    p = 0
    if (sched ~ /^monotonic:/) p = 1
    else if (sched ~ /^nonmonotonic:/) p = 2
    return schedrank(sched) * 1e12 + p * 1e11 + (isnum(chunk) ? chunk + 0 : 0)
}

function get(name,    c, s, m, lo, hi, p) {
    if (name == "series") {
        s = raw("schedule"); c = raw("chunk")
        return (isnum(c) && c + 0 > 0) ? s "," (c + 0) : s
    }
    if (name == "sbase") { s = raw("schedule"); sub(/^(monotonic|nonmonotonic):/, "", s); return s }
    if (name == "gbps_lo" || name == "gbps_hi") {
        m = raw("gbps_median"); s = raw("median_s")
        c = (name == "gbps_lo") ? raw("ci_hi_s") : raw("ci_lo_s")
        if (isnum(m) && isnum(s) && isnum(c) && c + 0 > 0) return m * s / c
        return m
    }
    if (name == "eff_lo" || name == "eff_hi") {
        s = (name == "eff_lo") ? raw("speedup_lo") : raw("speedup_hi")
        p = raw("threads")
        if (isnum(s) && isnum(p) && p + 0 > 0) return s / p
        return raw("efficiency")
    }
    return raw(name)
}

# "a|b": the first alternative that is non-empty
function getalt(spec,    k, alt, i, v) {
    k = split(spec, alt, "|")
    for (i = 1; i <= k; i++) { v = get(alt[i]); if (v != "") return v }
    return ""
}

function matches(    i, k, v) {
    for (i = 1; i <= nw; i++) {
        v = get(wk[i])
        if (isnum(v) && isnum(wv[i])) { if (v + 0 != wv[i] + 0) return 0 }
        else if (v != wv[i]) return 0
    }
    for (i = 1; i <= nneed; i++) if (!isnum(getalt(needs[i]))) return 0
    return 1
}

function good(    v, r) {
    v = raw("verified")
    if (v != "1") return 0
    r = raw("ranks")
    if (isnum(r) && r + 0 > 1) return 0
    return 1
}

function outline(    i, s, v) {
    s = ""
    for (i = 1; i <= ncols; i++) {
        v = (outc[i] == "_pos") ? "@POS@" : getalt(outc[i])
        if (v == "") v = "NaN"
        gsub(/[ \t]/, "_", v)
        s = s (i > 1 ? " " : "") v
    }
    return s
}

function sortkey(    v) {
    if (sortby == "series") return serieskey(raw("schedule"), raw("chunk"))
    v = getalt(sortby)
    return isnum(v) ? v + 0 : 0
}

# insertion sort of L[1..n] by K[1..n] (stable; summary files are small)
function sortlines(n,    i, j, tk, tl, tb) {
    for (i = 2; i <= n; i++) {
        tk = K[i]; tl = L[i]; tb = B[i]
        for (j = i - 1; j >= 1 && K[j] > tk; j--) { K[j + 1] = K[j]; L[j + 1] = L[j]; B[j + 1] = B[j] }
        K[j + 1] = tk; L[j + 1] = tl; B[j + 1] = tb
    }
}

function printlines(n,    i, pos, s) {
    pos = 0
    for (i = 1; i <= n; i++) {
        if (i > 1) pos += (B[i] != B[i - 1]) ? 1.6 : 1
        s = L[i]; sub(/@POS@/, pos, s)
        print s
    }
}

BEGIN {
    if (mode == "") mode = "rows"
    ncols = split(cols, outc, " ")
    nneed = split(need, needs, " ")
    nw = 0
    nwhere = split(where, wparts, ";")
    for (i = 1; i <= nwhere; i++) {
        if (wparts[i] == "") continue
        e = index(wparts[i], "=")
        nw++; wk[nw] = substr(wparts[i], 1, e - 1); wv[nw] = substr(wparts[i], e + 1)
    }
    if (sortby == "" && ncols > 0) sortby = outc[1]
    nkey = split(key, keys, " ")
    nl = 0; nu = 0; header = 0
}

# flat meta.json: "name": "text" or "name": number, key and value on one line
mode == "meta" {
    if (match($0, "\"" name "\"[ \t]*:[ \t]*")) {
        v = substr($0, RSTART + RLENGTH)
        if (substr(v, 1, 1) == "\"") {
            v = substr(v, 2)
            if (match(v, /^([^"\\]|\\.)*/)) v = substr(v, 1, RLENGTH)
            gsub(/\\"/, "\"", v)
        } else {
            sub(/[,}].*$/, "", v); v = trim(v)
        }
        print v
        exit 0
    }
    next
}

!header {
    header = 1
    sub(/^\357\273\277/, "")            # UTF-8 byte order mark
    nh = parsecsv($0, H)
    for (i = 1; i <= nh; i++) if (H[i] != "") idx[H[i]] = i
    missing = ""
    nreq = split(req, reqs, " ")
    for (i = 1; i <= nreq; i++)
        if (!(reqs[i] in idx)) missing = missing (missing == "" ? "" : ", ") reqs[i]
    if (missing != "") {
        printf "osw-plots: %s: missing required column(s): %s\n", FILENAME, missing > "/dev/stderr"
        if (mode == "check") print "ERROR"
        bad = 1
        exit 3
    }
    next
}

/^[ \t\r]*$/ { next }

{
    nf = parsecsv($0, F)
    for (i = nf + 1; i <= nh; i++) F[i] = ""
    total++
    if (mode == "unverified") {
        if (raw("verified") != "1" && matches()) {
            nbad++
            d = raw("threads") " threads, " get("series") ", n=" raw("n")
            if (nbad <= 3) badlist = badlist (nbad > 1 ? "; " : "") d
        }
        next
    }
    if (!good()) next
    ngood++
    if (mode == "check" || !matches()) next
    if (mode == "rows") {
        nl++; L[nl] = outline(); K[nl] = sortkey(); B[nl] = get("sbase")
    } else if (mode == "uniq") {
        v = getalt(outc[1])
        if (!(v in seen)) {
            seen[v] = 1; nu++; U[nu] = v
            UK[nu] = (order == "num") ? v + 0 : (order == "series") ? serieskey(raw("schedule"), raw("chunk")) : nu
        }
    } else if (mode == "best") {
        g = ""
        for (i = 1; i <= nkey; i++) g = g SUBSEP get(keys[i])
        v = getalt(val)
        if (!isnum(v)) next
        if (!(g in bestv) || (max ? v + 0 > bestv[g] : v + 0 < bestv[g])) {
            if (!(g in bestv)) { ng++; G[ng] = g }
            bestv[g] = v + 0; bestl[g] = outline(); bestk[g] = sortkey(); bestb[g] = get("sbase")
        }
    } else if (mode == "range") {
        for (i = 1; i <= ncols; i++) {
            v = getalt(outc[i])
            if (!isnum(v) || (pos && v + 0 <= 0)) continue
            v += 0
            if (cnt == 0 || v < rmin) rmin = v
            if (cnt == 0 || v > rmax) rmax = v
            cnt++
        }
    } else if (mode == "amdahl") {
        p = raw("threads"); s = raw("speedup")
        if (isnum(p) && isnum(s) && p + 0 >= 1 && s + 0 > 0) {
            np++; AP[np] = p + 0; AS[np] = s + 0
            if (p + 0 > 1) nmulti++
        }
    } else if (mode == "lose") {
        n = raw("n"); p = raw("threads"); t = raw("median_s")
        if (!isnum(n) || !isnum(p) || !isnum(t)) next
        if (!(n in seenn)) { seenn[n] = 1; nn++; NN[nn] = n }
        if (!((n, p + 0) in tnp)) { if (!(p + 0 in seenp)) { seenp[p + 0] = 1; npp++; PP[npp] = p + 0 } }
        if (!((n, p + 0) in tnp) || t + 0 < tnp[n, p + 0]) tnp[n, p + 0] = t + 0
        if (p + 0 == 1) { if (!(n in t1) || t + 0 < t1[n]) t1[n] = t + 0 }
        else if (!(n in tp) || t + 0 < tp[n]) tp[n] = t + 0
    }
}

function sse(f,    i, r, e) {
    e = 0
    for (i = 1; i <= np; i++) { r = AS[i] - 1 / (f + (1 - f) / AP[i]); e += r * r }
    return e
}

END {
    if (bad || mode == "meta") exit bad ? 3 : 0
    if (!header) {
        printf "osw-plots: %s: empty file (no header row)\n", FILENAME > "/dev/stderr"
        if (mode == "check") print "ERROR"
        exit 3
    }
    if (mode == "check") { printf "ok %d %d\n", total, ngood; exit 0 }
    if (mode == "rows") { sortlines(nl); printlines(nl) }
    else if (mode == "uniq") {
        for (i = 2; i <= nu; i++) {
            tk = UK[i]; tv = U[i]
            for (j = i - 1; j >= 1 && UK[j] > tk; j--) { UK[j + 1] = UK[j]; U[j + 1] = U[j] }
            UK[j + 1] = tk; U[j + 1] = tv
        }
        s = ""
        for (i = 1; i <= nu; i++) s = s (i > 1 ? " " : "") (order == "num" ? fmtnum(U[i]) : U[i])
        print s
    } else if (mode == "best") {
        for (i = 1; i <= ng; i++) { L[i] = bestl[G[i]]; K[i] = bestk[G[i]]; B[i] = bestb[G[i]] }
        sortlines(ng); printlines(ng)
    } else if (mode == "range") {
        if (cnt) printf "%s %s %d\n", fmtnum(rmin), fmtnum(rmax), cnt
        else print "NaN NaN 0"
    } else if (mode == "amdahl") {
        # Least-squares fit of the serial fraction f in S(p) = 1/(f + (1-f)/p),
        # f in [0, 1]: a grid scan, then golden-section refinement around the
        # best grid point. Done here rather than with gnuplot's `fit`, which
        # aborts the whole script on an exact (zero-residual) or degenerate fit.
        if (nmulti < 1 || np < 2) { print "NaN 0 NaN"; exit 0 }
        bi = 0; be = sse(0)
        for (i = 1; i <= 200; i++) { e = sse(i / 200); if (e < be) { be = e; bi = i } }
        a = (bi > 0 ? bi - 1 : 0) / 200; b = (bi < 200 ? bi + 1 : 200) / 200
        gr = (sqrt(5) - 1) / 2
        c = b - gr * (b - a); d = a + gr * (b - a)
        for (i = 0; i < 60; i++) {
            if (sse(c) < sse(d)) b = d; else a = c
            c = b - gr * (b - a); d = a + gr * (b - a)
        }
        f = (a + b) / 2
        printf "%s %d %s\n", fmtnum(f), np, fmtnum(sse(f))
    } else if (mode == "lose") {
        # Per size n (that has 1-thread and parallel times, fastest schedule
        # each): "n lose x", lose = 1 when no thread count > 1 beats 1 thread,
        # x = where the lose/win stretch around n ends towards the next size:
        # where the thread counts' time lines cross the 1-thread line
        # (straight on log-log axes between the two sizes; the first crossing
        # when parallel starts to win, the last when it stops), or the
        # geometric midpoint when both sizes agree; 0 after the last size.
        for (i = 1; i <= nn; i++) { K[i] = NN[i] + 0; L[i] = NN[i]; B[i] = "" }
        sortlines(nn)
        m = 0
        for (i = 1; i <= nn; i++)
            if ((L[i] in t1) && (L[i] in tp)) { m++; M[m] = L[i]; LO[m] = (tp[L[i]] >= t1[L[i]]) ? 1 : 0 }
        for (i = 1; i <= m; i++) {
            a = M[i]; x = 0
            if (i < m) {
                b = M[i + 1]; x = sqrt(a * b)
                if (LO[i] != LO[i + 1]) {
                    found = 0
                    for (j = 1; j <= npp; j++) {
                        p = PP[j]
                        if (p == 1 || !((a, p) in tnp) || !((b, p) in tnp)) continue
                        ra = log(tnp[a, p] / t1[a]); rb = log(tnp[b, p] / t1[b])
                        if (LO[i] ? (ra < 0 || rb >= 0) : (ra >= 0 || rb < 0)) continue
                        c = exp(log(a) + (log(b) - log(a)) * ra / (ra - rb))
                        if (!found || (LO[i] ? c < best : c > best)) best = c
                        found = 1
                    }
                    if (found) x = best
                }
            }
            printf "%s %d %s\n", fmtnum(a), LO[i], fmtnum(x)
        }
    } else if (mode == "unverified") {
        printf "%d %s%s\n", nbad + 0, badlist, (nbad > 3) ? sprintf("; and %d more", nbad - 3) : ""
    }
}
