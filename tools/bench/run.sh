#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/bench/run.sh [OUTFILE]: build unat for Debian's stock kernel, boot
# it once under QEMU and run tools/bench/bench.sh there.  The table is
# printed and written to OUTFILE (default build/bench/bench.txt), the raw
# figures to OUTFILE.raw.  BENCH_SECS, BENCH_REPS, BENCH_METHODS,
# BENCH_MTUS, BENCH_FAMILIES, BENCH_KEYS and BENCH_WARMUP pass through.
# The whole run (3 repetitions of 4 methods, 2 MTUs, 2 families) takes
# about an hour under TCG.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
out=${1:-build/bench/bench.txt}
mkdir -p "$(dirname "$out")" build/bench/vm
stock=$(tools/vm/kernel.sh stock | tail -1)
tools/build-module.sh "$stock/build" build/stock W=1 >/dev/null
make -s -C tools >/dev/null
tools/vm/run.sh --kernel stock --timeout 10800 --out build/bench/vm -- \
	env UNAT_KO_DIR="$top/build/stock" \
	BENCH_SECS="${BENCH_SECS:-4}" BENCH_REPS="${BENCH_REPS:-3}" BENCH_METHODS="'${BENCH_METHODS:-}'" \
	BENCH_MTUS="'${BENCH_MTUS:-}'" BENCH_FAMILIES="'${BENCH_FAMILIES:-}'" \
	BENCH_KEYS="'${BENCH_KEYS:-}'" BENCH_WARMUP="${BENCH_WARMUP:-1}" \
	tools/bench/bench.sh /tmp/unat-out/bench.txt >build/bench/vm/run.log 2>&1 ||
	{ tail -40 build/bench/vm/run.log; exit 1; }
cp build/bench/vm/bench.txt "$out"
cp build/bench/vm/bench.txt.raw "$out.raw"
cat "$out"
