#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make fuzz`: the unat_fuzz KUnit suite (kunit/fuzz_test.c) on the debug
# kernel (KASAN, lockdep, kmemleak) in a throwaway VM, with FUZZ_FRAMES
# frames (default 1000000) from seed FUZZ_SEED (default 0: a random one,
# printed).  Only unat_fuzz runs (kunit's filter_glob).  Prints the seed,
# the frames and every counter that moved; fails if a case fails, the
# results are missing, or a kernel splat shows.

set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
frames=${FUZZ_FRAMES:-1000000}
seed=${FUZZ_SEED:-0}
ko=build/fuzzk-debug
out=$top/out/fuzz-kunit

entry=$(tools/vm/kernel.sh debug | tail -1) || exit 1
tools/build-module.sh "$entry/build" "$ko" W=1 >/dev/null || exit 1
rm -rf "$out"
mkdir -p "$out"

# In the VM: unat.ko after its dependencies, then only unat_fuzz.
vm_cmd="set -e
for dep in \$(modinfo -F depends $ko/unat.ko | tr , ' '); do
	modprobe -q \$dep
done
insmod $ko/unat.ko
# no newline: the glob is taken as written
printf unat_fuzz >/sys/module/kunit/parameters/filter_glob
insmod $ko/unat_test.ko fuzz_frames=$frames fuzz_seed=$seed
cp /sys/kernel/debug/kunit/unat_fuzz/results \$UNAT_OUT/unat_fuzz.ktap"

echo "== unat_fuzz: $frames frames, seed $seed (0: random)"
start=$SECONDS
tools/vm/run.sh --kernel debug --timeout 3600 --out "$out" -- "$vm_cmd" \
	>"$out.log" 2>&1
r=$?
ktap=$out/unat_fuzz.ktap
if [ -s "$ktap" ]; then
	grep -E '# ([a-z_]+: )?(seed|total|counter|frames|no host)|^ *(not )?ok ' "$ktap" |
		sed 's/^[[:space:]]*//'
else
	echo "no results: see $out.log"
	[ $r -eq 0 ] && r=1
fi
if [ -s "$ktap" ] && grep -q '^ *not ok' "$ktap"; then
	echo "== a case failed"
	[ $r -eq 0 ] && r=1
fi
[ $r -eq 3 ] && echo "== kernel splat: see $out/console.log"
echo "== unat_fuzz: exit $r in $((SECONDS - start)) s"
exit $r
