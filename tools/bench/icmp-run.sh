#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/bench/icmp-run.sh [BASE]: build unat for Debian's stock kernel from
# the working tree and, given BASE (a commit), from that commit too; boot
# once under QEMU and run tools/bench/icmp-cost.sh there with both, its
# repetitions interleaved.  The table is printed and written to
# build/bench/icmp-cost.txt.  ICMP_COST_FLOWS, ICMP_COST_SECS and
# ICMP_COST_REPS pass through.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
base=${1:-}
out=build/bench/icmp-cost.txt
mkdir -p build/bench/icmp-vm
stock=$(tools/vm/kernel.sh stock | tail -1)
make -s -C tools >/dev/null
tools/build-module.sh "$stock/build" build/stock W=1 >/dev/null
kos="$top/build/stock"
if [ -n "$base" ]; then
	rm -rf build/bench/base-src
	git worktree prune
	git worktree add --detach build/bench/base-src "$base" >/dev/null
	build/bench/base-src/tools/build-module.sh "$stock/build" \
		build/bench/base W=1 >/dev/null
	git worktree remove --force build/bench/base-src
	kos="$top/build/bench/base $kos"
fi
tools/vm/run.sh --kernel stock --timeout 3000 --out build/bench/icmp-vm -- \
	env ICMP_COST_KOS="'$kos'" \
	ICMP_COST_FLOWS="'${ICMP_COST_FLOWS:-}'" \
	ICMP_COST_SECS="${ICMP_COST_SECS:-5}" \
	ICMP_COST_REPS="${ICMP_COST_REPS:-3}" \
	tools/bench/icmp-cost.sh /tmp/unat-out/icmp-cost.txt \
	>build/bench/icmp-vm/run.log 2>&1 ||
	{ tail -40 build/bench/icmp-vm/run.log; exit 1; }
{
	cat build/bench/icmp-vm/icmp-cost.txt
	echo "stock: the working tree${base:+; base: $base}"
} >"$out"
cat "$out"
