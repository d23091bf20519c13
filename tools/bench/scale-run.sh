#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/bench/scale-run.sh [OUTFILE] (make bench-scale): build unat for
# Debian's stock kernel, boot it once under QEMU and run
# tools/bench/scale.sh there.  The table is printed and written to OUTFILE
# (default build/bench/scale.txt).  SCALE_TCP, SCALE_UDP and BENCH_METHODS
# pass through.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
out=${1:-build/bench/scale.txt}
mkdir -p "$(dirname "$out")" build/bench/scale-vm
stock=$(tools/vm/kernel.sh stock | tail -1)
tools/build-module.sh "$stock/build" build/stock W=1 >/dev/null
make -s -C tools >/dev/null
tools/vm/run.sh --kernel stock --timeout 3600 --mem 4096 \
	--out build/bench/scale-vm -- \
	env UNAT_KO_DIR="$top/build/stock" \
	SCALE_TCP="${SCALE_TCP:-10000}" SCALE_UDP="${SCALE_UDP:-50000}" \
	BENCH_METHODS="'${BENCH_METHODS:-}'" \
	tools/bench/scale.sh /tmp/unat-out/scale.txt \
	>build/bench/scale-vm/run.log 2>&1 ||
	{ tail -40 build/bench/scale-vm/run.log; exit 1; }
cp build/bench/scale-vm/scale.txt "$out"
grep '^# ' build/bench/scale-vm/run.log
cat "$out"
