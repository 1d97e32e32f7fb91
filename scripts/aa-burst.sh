#!/usr/bin/env bash
# aa-burst.sh: A/A comparisons under an injected CPU burst (docs/method.md,
# "An A/A harness"). Each trial runs `ompsweep run` twice with the same build
# and options (A, then B); during B a few busy processes start at a random
# moment (seeded) for about one configuration's time; then `ompsweep compare
# A B --format csv` and the configurations it calls "slower" are counted. Any
# "slower" is false: A and B measure the same thing. With --runs K each side
# is K runs (A/1..K, then B/1..K, the burst during one B run drawn at
# random) and compare's run-level test compares the two sets.
#
# usage: scripts/aa-burst.sh [options] [-- more ompsweep run options]
#   --trials N        trials per order (default 40)
#   --order LIST      comma-separated: sequential, shuffled, interleaved, ...
#                     each passed to `ompsweep run --order` (default sequential)
#   --seed N          the harness's seed: burst moments, and the --seed of
#                     every run but sequential ones (default 1)
#   --kernels LIST    (default triad,mean_f64,countdown)
#   --sizes LIST      (default 2^22)
#   --threads LIST    (default 1,2)
#   --schedules LIST  (default static)
#   --reps N          (default 20)
#   --runs K          runs a side (default 1; up to 32): each side a set of K
#                     runs, compared by their medians (a run-level test); the
#                     burst hits one B run, drawn at random
#   --alternate       with --runs K: A/1, B/1, A/2, B/2, ... (the way to compare
#                     two builds: slow changes of the machine fall on both
#                     sides alike) instead of A/1..K, then B/1..K
#   --adjust MODE     compare --adjust: none (default) or holm (the chance of
#                     any false verdict in a trial at most --alpha)
#   --hogs K          busy processes in a burst (default 2); 0: no burst, the
#                     control (the false rate of the machine's own noise)
#   --burst-scale X   burst length in units of one configuration's time, A's
#                     run time over its configurations (default 1)
#   --ompsweep PATH   the binary (default: build/cli/ompsweep beside this
#                     script's repository, else ompsweep on PATH)
#   --out DIR         where the runs, trials.csv and summary.csv go (default
#                     aa-burst-YYYYmmdd-HHMMSS); the run directories of each
#                     trial are removed unless --keep
#   --keep            keep every trial's A and B run directories
#
# stdout: trials.csv as it grows, one line per trial:
#   order,trial,configs,slower,faster,same,a_s,b_s,burst_start_s,burst_s,
#   burst_overlap_s,drift_rows_a,drift_rows_b,max_drift_rho_b,runs
# (a_s and b_s: seconds, the mean over a side's runs; the burst's scale is
# A's first run with --alternate, else that mean; burst_start_s from the
# start of the B run it hit; burst_overlap_s the part of the burst inside
# that run, 0 when the run ended first; with --hogs 0 burst_start_s and
# burst_s are empty and burst_overlap_s 0; drift_rows_X the rows of side X's
# runs with drift_rho > 0.5 and at least 10 samples, empty where the build
# writes no drift_rho; runs: --runs). stderr: the summary, also in
# OUT/summary.csv:
#   order,trials,configs,slower,false_slower_rate,trials_with_slower,
#   trial_slower_rate,faster,bursts_in_b
# Exit status: 0 done; 1 a run or compare failed (one line naming it);
# 2 usage error.
set -u

die_usage() {
    echo "aa-burst.sh: $1 (see the head of scripts/aa-burst.sh)" >&2
    exit 2
}

trials=40
orders=sequential
seed=1
kernels=triad,mean_f64,countdown
sizes=2^22
threads=1,2
schedules=static
reps=20
runs=1
alternate=0
adjust=none
hogs=2
burst_scale=1
ompsweep=
out=
keep=0
extra=()

need_value() { if [ $# -lt 2 ] || [ -z "$2" ]; then die_usage "$1 needs a value"; fi; }
while [ $# -gt 0 ]; do
    case "$1" in
    --trials) need_value "$@"; trials=$2; shift 2 ;;
    --order) need_value "$@"; orders=$2; shift 2 ;;
    --seed) need_value "$@"; seed=$2; shift 2 ;;
    --kernels) need_value "$@"; kernels=$2; shift 2 ;;
    --sizes) need_value "$@"; sizes=$2; shift 2 ;;
    --threads) need_value "$@"; threads=$2; shift 2 ;;
    --schedules) need_value "$@"; schedules=$2; shift 2 ;;
    --reps) need_value "$@"; reps=$2; shift 2 ;;
    --runs) need_value "$@"; runs=$2; shift 2 ;;
    --hogs) need_value "$@"; hogs=$2; shift 2 ;;
    --alternate) alternate=1; shift ;;
    --adjust) need_value "$@"; adjust=$2; shift 2 ;;
    --burst-scale) need_value "$@"; burst_scale=$2; shift 2 ;;
    --ompsweep) need_value "$@"; ompsweep=$2; shift 2 ;;
    --out) need_value "$@"; out=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --) shift; extra=("$@"); break ;;
    -h | --help) sed -n '2,/^set -u/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die_usage "unknown option '$1'" ;;
    esac
done

is_count() { [[ $1 =~ ^[1-9][0-9]{0,5}$ ]]; }
is_count "$trials" || die_usage "--trials '$trials' is not a count from 1 to 999999"
[[ $adjust =~ ^(none|holm)$ ]] || die_usage "--adjust '$adjust' is not none or holm"
if ! [[ $runs =~ ^[1-9][0-9]?$ ]] || [ "$runs" -gt 32 ]; then
    die_usage "--runs '$runs' is not a count from 1 to 32"
fi
if ! [[ $hogs =~ ^[0-9]{1,2}$ ]] || [ "$hogs" -gt 64 ]; then
    die_usage "--hogs '$hogs' is not a count from 0 to 64"
fi
[[ $seed =~ ^(0|[1-9][0-9]{0,8})$ ]] || die_usage "--seed '$seed' is not a whole number below 10^9 without leading zeros"
if ! [[ $burst_scale =~ ^[0-9]+(\.[0-9]+)?$ ]] ||
    ! awk -v x="$burst_scale" 'BEGIN { exit !(x > 0 && x <= 100) }'; then
    die_usage "--burst-scale '$burst_scale' is not a number in (0, 100]"
fi
IFS=, read -r -a order_list <<<"$orders"
[ ${#order_list[@]} -gt 0 ] || die_usage "--order is empty"
for o in "${order_list[@]}"; do
    [[ $o =~ ^[a-z]+$ ]] || die_usage "--order '$orders': '$o' is not an order name"
done

here=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "$ompsweep" ]; then
    if [ -x "$here/build/cli/ompsweep" ]; then
        ompsweep=$here/build/cli/ompsweep
    else
        ompsweep=$(command -v ompsweep) || die_usage "no ompsweep: build it or give --ompsweep PATH"
    fi
fi
[ -x "$ompsweep" ] || die_usage "--ompsweep '$ompsweep' is not an executable"
[ -n "$out" ] || out=aa-burst-$(date +%Y%m%d-%H%M%S)
mkdir -p "$out" || { echo "aa-burst.sh: cannot create '$out'" >&2; exit 1; }
[ -z "$(ls -A "$out")" ] || die_usage "--out '$out' is not empty"

RANDOM=$seed
hog_pids=()
# shellcheck disable=SC2317 # called by the traps
stop_hogs() {
    for p in "${hog_pids[@]}"; do
        kill "$p" 2>/dev/null
    done
    hog_pids=()
}
trap 'stop_hogs' EXIT
trap 'stop_hogs; exit 130' INT TERM

# A uniform draw in [0, 1) from bash's seeded generator (30 bits).
uniform() { awk -v r=$(((RANDOM << 15) | RANDOM)) 'BEGIN { printf "%.6f", r / 1073741824 }'; }

# run ORDER DIR SEED: one `ompsweep run`; its wall time in seconds on stdout.
run_once() {
    local order=$1 dir=$2 run_seed=$3 t0 t1 seed_opt=()
    [ "$order" != sequential ] && seed_opt=(--seed "$run_seed")
    t0=$EPOCHREALTIME
    "$ompsweep" run --kernels "$kernels" --sizes "$sizes" --threads "$threads" \
        --schedules "$schedules" --reps "$reps" --order "$order" "${seed_opt[@]}" \
        --out "$dir" --quiet "${extra[@]}" >"$dir.log" 2>&1
    local rc=$?
    t1=$EPOCHREALTIME
    if [ $rc -ne 0 ]; then
        echo "aa-burst.sh: ompsweep run --order $order --out $dir failed (exit $rc): $(tail -n 1 "$dir.log")" >&2
        return 1
    fi
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}

# Rows of a summary.csv: "DRIFT_ROWS MAX_RHO" (empty fields without drift_rho).
drift_of() {
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        !("drift_rho" in col) { next }
        { r = $col["drift_rho"]; if (r == "") next; has = 1
          if (r + 0 > 0.5 && $col["reps"] + 0 >= 10) n++
          if (max == "" || r + 0 > max + 0) max = r }
        END { if ("drift_rho" in col) printf "%d %s", n, (max == "" ? "-" : max)
              else printf "- -" }' "$1"
}

echo "order,trial,configs,slower,faster,same,a_s,b_s,burst_start_s,burst_s,burst_overlap_s,drift_rows_a,drift_rows_b,max_drift_rho_b,runs" |
    tee "$out/trials.csv"

# burst_in DELAY LENGTH FILE: in the background, hogs busy processes from
# DELAY seconds on for LENGTH seconds; their start and end go to FILE.
burst_in() {
    (
        trap 'kill $(jobs -p) 2>/dev/null; exit 1' TERM
        sleep "$1" &
        wait $!
        start=$EPOCHREALTIME
        for ((h = 0; h < hogs; h++)); do
            timeout "$2" sh -c 'while :; do :; done' &
        done
        wait
        echo "$start $EPOCHREALTIME" >"$3"
    ) &
    hog_pids+=($!)
}

# The mean of a list of numbers (awk: bash has no floating point).
mean() { awk 'BEGIN { s = 0; for (i = 1; i < ARGC; i++) s += ARGV[i]; printf "%.3f", s / (ARGC - 1) }' "$@"; }

for order in "${order_list[@]}"; do
    for ((t = 1; t <= trials; t++)); do
        dir=$out/$order-$t
        base=$((seed * 100000 + t * 2))
        a_dirs=("$dir/A") b_dirs=("$dir/B") a_seeds=("$base") b_seeds=($((base + 1)))
        if [ "$runs" -gt 1 ]; then
            a_dirs=() b_dirs=() a_seeds=() b_seeds=()
            for ((k = 1; k <= runs; k++)); do
                a_dirs+=("$dir/A/$k") b_dirs+=("$dir/B/$k")
                a_seeds+=($((base * 64 + 2 * k))) b_seeds+=($((base * 64 + 2 * k + 1)))
            done
        fi
        mkdir -p "$dir/A" "$dir/B" || exit 1
        # A's runs, all first; with --alternate only A's first (its time
        # scales the burst), the others each before the B run of its rank.
        a_times=()
        first=$runs
        [ "$alternate" = 1 ] && first=1
        for ((k = 0; k < first; k++)); do
            a_times+=("$(run_once "$order" "${a_dirs[k]}" "${a_seeds[k]}")") || exit 1
        done
        a_s=$(mean "${a_times[@]}")
        configs=$(($(wc -l <"${a_dirs[0]}/summary.csv") - 1))
        [ "$configs" -ge 1 ] || { echo "aa-burst.sh: ${a_dirs[0]}/summary.csv has no rows" >&2; exit 1; }
        # The burst: during one B run (with --runs K, one drawn at random),
        # after a random part of A's time (0.1 to 0.7 of it), for
        # burst_scale times one configuration's share of it.
        hit=0
        [ "$runs" -gt 1 ] && hit=$(awk -v u="$(uniform)" -v k="$runs" 'BEGIN { printf "%d", u * k }')
        u=$(uniform)
        at=$(awk -v a="$a_s" -v u="$u" 'BEGIN { printf "%.3f", a * (0.1 + 0.6 * u) }')
        len=$(awk -v a="$a_s" -v c="$configs" -v s="$burst_scale" 'BEGIN { printf "%.3f", a / c * s }')
        b_times=()
        times=,,0
        for ((k = 0; k < runs; k++)); do
            if [ "$k" -ge "$first" ]; then
                a_times+=("$(run_once "$order" "${a_dirs[k]}" "${a_seeds[k]}")") || exit 1
            fi
            [ "$hogs" -gt 0 ] && [ "$k" = "$hit" ] && burst_in "$at" "$len" "$dir/burst"
            b0=$EPOCHREALTIME
            b_times+=("$(run_once "$order" "${b_dirs[k]}" "${b_seeds[k]}")") || exit 1
            b1=$EPOCHREALTIME
            if [ "$hogs" -gt 0 ] && [ "$k" = "$hit" ]; then
                wait "${hog_pids[@]}" 2>/dev/null
                hog_pids=()
                read -r h0 h1 <"$dir/burst" || { echo "aa-burst.sh: the burst of ${b_dirs[k]} did not run" >&2; exit 1; }
                times=$(awk -v b0="$b0" -v b1="$b1" -v h0="$h0" -v h1="$h1" 'BEGIN {
                    lo = h0 > b0 ? h0 : b0; hi = h1 < b1 ? h1 : b1
                    printf "%.3f,%.3f,%.3f", h0 - b0, h1 - h0, (hi > lo ? hi - lo : 0) }')
            fi
        done
        a_s=$(mean "${a_times[@]}")
        b_s=$(mean "${b_times[@]}")
        "$ompsweep" compare "$dir/A" "$dir/B" --format csv --adjust "$adjust" >"$dir/compare.csv" 2>"$dir/compare.log"
        rc=$?
        if [ $rc -ne 0 ] && [ $rc -ne 4 ]; then
            echo "aa-burst.sh: ompsweep compare $dir/A $dir/B failed (exit $rc): $(tail -n 1 "$dir/compare.log")" >&2
            exit 1
        fi
        counts=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "verdict") v = i; next }
            v { n++; c[$v]++ }
            END { if (!v) exit 1; printf "%d,%d,%d,%d", n, c["slower"], c["faster"], c["same"] }' "$dir/compare.csv") ||
            { echo "aa-burst.sh: $dir/compare.csv has no verdict column" >&2; exit 1; }
        da=0 db=0 mb=
        for ((k = 0; k < runs; k++)); do
            read -r d _ <<<"$(drift_of "${a_dirs[k]}/summary.csv")"
            [ "$d" = - ] && da= || da=$((da + d))
            read -r d m <<<"$(drift_of "${b_dirs[k]}/summary.csv")"
            [ "$d" = - ] && db= || db=$((db + d))
            [ "$m" != - ] && { [ -z "$mb" ] || awk -v m="$m" -v x="$mb" 'BEGIN { exit !(m + 0 > x + 0) }'; } && mb=$m
        done
        echo "$order,$t,$counts,$a_s,$b_s,$times,$da,$db,$mb,$runs" | tee -a "$out/trials.csv"
        [ "$keep" = 1 ] || rm -rf "$dir"
    done
done

awk -F, 'NR > 1 { o = $1; if (!(o in tr)) ord[++no] = o
        tr[o]++; cf[o] += $3; sl[o] += $4; fa[o] += $5; ts[o] += ($4 > 0); bi[o] += ($11 > 0) }
    END { print "order,trials,configs,slower,false_slower_rate,trials_with_slower,trial_slower_rate,faster,bursts_in_b"
        for (i = 1; i <= no; i++) { o = ord[i]
            printf "%s,%d,%d,%d,%.4f,%d,%.4f,%d,%d\n", o, tr[o], cf[o], sl[o], cf[o] ? sl[o] / cf[o] : 0,
                ts[o], ts[o] / tr[o], fa[o], bi[o] } }' "$out/trials.csv" >"$out/summary.csv"
{
    echo "aa-burst.sh: false \"slower\" verdicts per order ($out/summary.csv):"
    column -t -s, "$out/summary.csv" 2>/dev/null || cat "$out/summary.csv"
} >&2
exit 0
