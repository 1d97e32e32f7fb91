#!/usr/bin/env bash
# Installs the Debian packages ompsweep needs to build, test and plot, skipping
# those already present. Safe to run again; does nothing when all are there.
# Usage: scripts/install-deps.sh [--minimal]
#   --minimal  only what the build needs: the toolchain, CMake, cJSON, PCRE2 (no gbench,
#              gnuplot, MPI, hwloc, fuzzing, man pages)
set -euo pipefail

# core: what the build cannot do without (cJSON reads and writes every JSON
# file; PCRE2 runs exec's --metric).
core=(build-essential cmake git pkg-config libcjson-dev libpcre2-dev)
extra=(libbenchmark-dev gnuplot-nox hwloc libhwloc-dev openmpi-bin libopenmpi-dev
       clang libomp-dev libclang-rt-14-dev python3-numpy time help2man
       libbenchmark-tools python3-scipy chromium libelf-dev libdw-dev)

pkgs=("${core[@]}")
if [ "${1:-}" != "--minimal" ]; then
    pkgs+=("${extra[@]}")
fi

missing=()
for p in "${pkgs[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#pkgs[@]} packages present" >&2
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-deps: missing packages (${missing[*]}) and no apt-get here; install them by hand" >&2
    exit 3
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
        echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2
        exit 3
    fi
fi

echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done" >&2
