#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make fuzz`: selftests/vnetfuzz.sh with 100000 frames behind hostile
# virtio-net headers in each of its two fuzzing cases, 203000 in all with
# the third case's 3000 (FUZZ_FRAMES=N per case for another number), on the
# debug kernel (FUZZ_KERNELS="stock debug" for both), each kernel in its
# own throwaway VM; UNAT_VNETFUZZ_SEED=S repeats a run.  The suite runs
# without selftests/run.sh's 15-minute limit per test: 100000 frames take
# longer than that under KASAN.  Prints each case's frames, seed, writes
# accepted and refused by errno and the counters that moved; fails if a
# case fails or a kernel splat shows.

set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
frames=${FUZZ_FRAMES:-100000}
seed=${UNAT_VNETFUZZ_SEED:+UNAT_VNETFUZZ_SEED=$UNAT_VNETFUZZ_SEED}
rc=0

tools/deps.sh || exit 1
make -s -C tools || exit 1
for kind in ${FUZZ_KERNELS:-debug}; do
	entry=$(tools/vm/kernel.sh "$kind" | tail -1) || exit 1
	ko=$top/build/fuzz-vnet-$kind
	tools/build-module.sh "$entry/build" "$ko" W=1 >/dev/null || exit 1
	out=$top/out/fuzz-vnet-$kind
	mkdir -p "$out"
	echo "== $kind kernel: $frames frames per case"
	start=$SECONDS
	# $UNAT_OUT is the VM's view of $out
	tools/vm/run.sh --kernel "$kind" --timeout 14400 --out "$out" -- \
		UNAT_KO_DIR=$ko UNAT_VNETFUZZ_FRAMES=$frames $seed \
		selftests/vnetfuzz.sh \
		'2>&1 | tee "$UNAT_OUT/vnetfuzz.ktap"; exit ${PIPESTATUS[0]}' \
		>"$out.log" 2>&1
	r=$?
	grep -E '^(ok|not ok|# (vnetfuzz:|FAIL|[0-9]+ transfers| {2}[a-z0-9_]+ \+))' \
		"$out/vnetfuzz.ktap" 2>/dev/null
	case $r in
	0) ;;
	3) echo "== $kind kernel: kernel splat, see $out/console.log" ;;
	*) echo "== $kind kernel: failed (exit $r), see $out.log" ;;
	esac
	echo "== $kind kernel: exit $r in $((SECONDS - start)) s"
	[ $r -eq 0 ] || rc=1
done
exit $rc
