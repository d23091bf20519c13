#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make fuzz-frag`: selftests/frag.sh with 200000 random and mutated frames
# (FUZZ_FRAMES=N for another number, FUZZ_KERNELS="stock debug" for both
# kernels), each kernel in its own throwaway VM.  Prints each run's
# summary; fails if a run fails or a kernel splat shows.

set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
frames=${FUZZ_FRAMES:-200000}
rc=0

tools/deps.sh || exit 1
make -s -C tools || exit 1
for kind in ${FUZZ_KERNELS:-stock}; do
	entry=$(tools/vm/kernel.sh "$kind" | tail -1) || exit 1
	tools/build-module.sh "$entry/build" "build/fuzz-$kind" W=1 >/dev/null ||
		exit 1
	out=$top/out/fuzz-$kind
	echo "== $kind kernel: $frames frames"
	start=$SECONDS
	tools/vm/run.sh --kernel "$kind" --timeout 3600 --out "$out" -- \
		UNAT_FRAG_RANDOM=$frames selftests/run.sh \
		--ko "build/fuzz-$kind" frag >"$out.log" 2>&1
	r=$?
	grep -E '^(ok|not ok|# (seed|sent|fragments_|drop_))' "$out/frag.ktap"
	echo "== $kind kernel: exit $r in $((SECONDS - start)) s"
	[ $r -eq 0 ] || rc=1
done
exit $rc
