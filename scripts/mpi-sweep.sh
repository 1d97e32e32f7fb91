#!/usr/bin/env bash
# mpi-sweep.sh: hybrid MPI + OpenMP layouts on one node, one mpirun of
# ompsweep-mpi per layout (ranks x threads per rank), merged into one summary.
#
# Usage:
#   scripts/mpi-sweep.sh --ranks 1,2,4 --threads-per-rank 1,2,4 [options] -- [run options]
#   scripts/mpi-sweep.sh --total-cores 16 [options] -- [run options]
#
#   --ranks LIST             rank counts (comma-separated)
#   --threads-per-rank LIST  OpenMP threads per rank; with --ranks: every pair
#   --total-cores N          the fixed-total grid: R x N/R for every R dividing N
#                            (16: 1x16, 2x8, 4x4, 8x2, 16x1)
#   --cores N                cores of this node (default: physical cores from
#                            lscpu, else nproc); a layout with R x T > N runs
#                            oversubscribed (see Binding)
#   --out DIR                results (default mpi-sweep-HOST-YYYYmmdd-HHMMSS)
#   --force                  reuse a non-empty DIR (replaces its results)
#   --bin PATH               ompsweep-mpi (default: $OMPSWEEP_MPI, else on PATH,
#                            else build/mpi/ompsweep-mpi of this checkout)
#   --mpirun PATH            default: mpirun on PATH
#   --mpi-args "ARGS"        extra mpirun arguments (word-split), e.g. "--mca btl self,vader"
#   --dry-run                print the commands, run nothing
#   after --                 `ompsweep run` options for every layout (--kernels,
#                            --sizes, --schedules, --reps, ...), not --threads
#                            or --out, which the script sets per layout
#
# Binding (Open MPI 4.1): a layout that fits runs
#   mpirun -np R --map-by ppr:R:node:pe=T --bind-to core
#          -x OMP_NUM_THREADS=T -x OMP_PLACES=cores -x OMP_PROC_BIND=close
# so rank r gets cores [r*T, r*T + T) and its T threads one core each, in
# order. One that does not fit (R x T > cores) adds --oversubscribe, binds
# nothing and sets OMP_PROC_BIND=false (binding every rank's threads close
# would stack them all on the first cores). --allow-run-as-root is added only
# when running as root.
#
# Output: DIR/rRxtT/ holds each layout's summary.csv, samples.csv, ranks.csv,
# meta.json and log.txt (its stderr); DIR/merged/ holds summary.csv,
# samples.csv and ranks.csv with every layout's rows after one header (the
# same header; a layout whose header differs is refused), the first layout's
# meta.json (machine label for the figures), and layouts.csv (ranks,
# threads_per_rank, cores_used, oversubscribed, exit_status, dir). Draw with
#   ompsweep plotdata DIR/merged --kind mpi-grid --out DIR/tables
#   gnuplot -c plots/mpi-grid.gp DIR/tables DIR/mpi-grid
#
# Exit status: 0 every layout verified; 1 a layout failed verification; 2 bad
# usage (also when ompsweep-mpi refuses the run options: the sweep stops
# there); 3 output directory or merge problem; otherwise the first other
# status a layout returned.
set -uo pipefail

me=mpi-sweep
die() { echo "$me: $*" >&2; exit 2; }
usage() {
    sed -n '2,/^# Binding/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
}

ranks="" tpr="" total="" cores="" out="" force=0 bin="${OMPSWEEP_MPI:-}" mpirun=mpirun
mpi_args="" dry=0
while [ $# -gt 0 ]; do
    case $1 in
    --ranks) ranks=${2-}; shift 2 || usage ;;
    --threads-per-rank) tpr=${2-}; shift 2 || usage ;;
    --total-cores) total=${2-}; shift 2 || usage ;;
    --cores) cores=${2-}; shift 2 || usage ;;
    --out) out=${2-}; shift 2 || usage ;;
    --bin) bin=${2-}; shift 2 || usage ;;
    --mpirun) mpirun=${2-}; shift 2 || usage ;;
    --mpi-args) mpi_args=${2-}; shift 2 || usage ;;
    --force) force=1; shift ;;
    --dry-run) dry=1; shift ;;
    -h | --help) usage ;;
    --) shift; break ;;
    *) die "unknown option '$1' (run options go after --; see --help)" ;;
    esac
done
run_opts=("$@")
for o in "${run_opts[@]}"; do
    case $o in
    --threads | --threads=* | --out | --out=*)
        die "'$o' is set per layout by the script; leave it out of the run options" ;;
    esac
done

is_count() { [[ $1 =~ ^[1-9][0-9]*$ ]]; }
is_list() { [[ $1 =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]]; }

# The layouts, as "R T" lines.
layouts=()
if [ -n "$total" ]; then
    [ -z "$ranks$tpr" ] || die "--total-cores goes without --ranks and --threads-per-rank"
    is_count "$total" || die "--total-cores '$total' must be a positive whole number"
    for ((r = 1; r <= total; r++)); do
        ((total % r == 0)) && layouts+=("$r $((total / r))")
    done
else
    [ -n "$ranks" ] && [ -n "$tpr" ] || die "give --ranks and --threads-per-rank, or --total-cores (see --help)"
    is_list "$ranks" || die "--ranks '$ranks' must be positive whole numbers, comma-separated"
    is_list "$tpr" || die "--threads-per-rank '$tpr' must be positive whole numbers, comma-separated"
    IFS=, read -ra rl <<<"$ranks"
    IFS=, read -ra tl <<<"$tpr"
    for r in "${rl[@]}"; do
        for t in "${tl[@]}"; do layouts+=("$r $t"); done
    done
fi

if [ -z "$cores" ]; then
    cores=$(lscpu -p=Core,Socket 2>/dev/null | grep -v '^#' | sort -u | wc -l)
    [ "${cores:-0}" -gt 0 ] 2>/dev/null || cores=$(nproc)
fi
is_count "$cores" || die "--cores '$cores' must be a positive whole number"

if [ -z "$bin" ]; then
    here=$(cd "$(dirname "$0")/.." && pwd)
    bin=$(command -v ompsweep-mpi 2>/dev/null || echo "$here/build/mpi/ompsweep-mpi")
fi
if [ $dry = 0 ]; then
    [ -x "$bin" ] || die "ompsweep-mpi not found at '$bin' (build with MPI, or give --bin)"
    command -v "$mpirun" >/dev/null 2>&1 || die "'$mpirun' not found (scripts/install-deps.sh installs openmpi-bin)"
fi

if [ -z "$out" ]; then
    out="mpi-sweep-$(hostname)-$(date +%Y%m%d-%H%M%S)"
fi
if [ $dry = 0 ]; then
    if [ -e "$out" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ] && [ $force = 0 ]; then
        echo "$me: '$out' exists and is not empty; use --force or another --out" >&2
        exit 3
    fi
    mkdir -p "$out/merged" || exit 3
fi

root=()
[ "$(id -u)" = 0 ] && root=(--allow-run-as-root)
force_opt=()
[ $force = 1 ] && force_opt=(--force)
read -ra extra <<<"$mpi_args"

status=0
verify_failed=0
table="ranks,threads_per_rank,cores_used,oversubscribed,exit_status,dir"
for l in "${layouts[@]}"; do
    read -r r t <<<"$l"
    dir="$out/r${r}xt${t}"
    if ((r * t <= cores)); then
        over=0
        map=(--map-by "ppr:$r:node:pe=$t" --bind-to core -x "OMP_PROC_BIND=close")
    else
        over=1
        map=(--oversubscribe --bind-to none -x "OMP_PROC_BIND=false")
    fi
    cmd=("$mpirun" "${root[@]}" -np "$r" "${map[@]}" -x "OMP_NUM_THREADS=$t"
        -x "OMP_PLACES=cores" "${extra[@]}" "$bin" run "${run_opts[@]}" --threads "$t"
        --out "$dir" "${force_opt[@]}")
    if [ $dry = 1 ]; then
        printf '%q ' "${cmd[@]}"
        echo
        continue
    fi
    echo "== $r rank(s) x $t thread(s)$([ $over = 1 ] && echo ", oversubscribed ($cores cores)")" >&2
    # OMP_* are set through -x only: nothing inherited may override them.
    env -u OMP_NUM_THREADS -u OMP_PLACES -u OMP_PROC_BIND "${cmd[@]}" 2> >(tee "$out/log-r${r}xt${t}.txt" >&2)
    rc=$?
    wait
    [ -d "$dir" ] && mv "$out/log-r${r}xt${t}.txt" "$dir/log.txt"
    table="$table"$'\n'"$r,$t,$((r * t)),$over,$rc,r${r}xt${t}"
    if [ $rc = 1 ]; then
        verify_failed=1
    elif [ $rc = 2 ]; then
        echo "$me: ompsweep-mpi refused the options (exit 2); stopping" >&2
        exit 2
    elif [ $rc != 0 ] && [ $status = 0 ]; then
        status=$rc
    fi
done
[ $dry = 1 ] && exit 0

# Merge: one header, then every layout's rows in layout order.
printf '%s\n' "$table" >"$out/merged/layouts.csv"
for f in summary.csv samples.csv ranks.csv; do
    files=()
    for l in "${layouts[@]}"; do
        read -r r t <<<"$l"
        [ -s "$out/r${r}xt${t}/$f" ] && files+=("$out/r${r}xt${t}/$f")
    done
    [ ${#files[@]} -gt 0 ] || continue
    awk -v me="$me" 'FNR == 1 {
            if (NR == 1) { hdr = $0; print; next }
            if ($0 != hdr) {
                printf "%s: %s: its header differs from %s\n", me, FILENAME, ARGV[1] > "/dev/stderr"
                exit 3
            }
            next
        }
        { print }' "${files[@]}" >"$out/merged/$f.tmp" &&
        mv "$out/merged/$f.tmp" "$out/merged/$f" || {
        rm -f "$out/merged/$f.tmp"
        echo "$me: could not merge $f" >&2
        exit 3
    }
done
for l in "${layouts[@]}"; do
    read -r r t <<<"$l"
    if [ -s "$out/r${r}xt${t}/meta.json" ]; then
        cp "$out/r${r}xt${t}/meta.json" "$out/merged/meta.json"
        break
    fi
done
echo "$me: merged results in $out/merged/ (summary.csv, samples.csv, ranks.csv, layouts.csv)" >&2
if [ $status != 0 ]; then exit $status; fi
exit $verify_failed
