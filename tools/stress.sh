#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/stress.sh [stock|debug...]: selftests/teardown.sh with many more
# flows, STRESS_FLOWS of every kind (default 5000 on the stock kernel, 1000
# on the debug one, where opening them is ten times slower), then the floods of
# selftests/hostile.sh and limits.sh, STRESS_FLOOD_SCALE times (default 4)
# the frames that `make check` sends, on the stock and the debug kernel in
# QEMU (tools/vm/run.sh); and their figures: flows reached, sockets and
# slabs before and after, what each flood cost, the time of every case.
#
# Environment: STRESS_FLOWS, STRESS_TIMEOUT (seconds per kernel, and per
# suite, default 7200), STRESS_MEM (VM memory in MB, default 3072),
# STRESS_OUT (default out/stress), STRESS_SUITES (default "teardown hostile
# limits"; two runs with other suites and outputs may share the machine's
# two cores).  Exit status: 0 if every kernel passed.
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 2
flows_stock=${STRESS_FLOWS:-5000}
flows_debug=${STRESS_FLOWS:-1000}
scale=${STRESS_FLOOD_SCALE:-4}
timeout=${STRESS_TIMEOUT:-7200}
# ~3 sockets a flow across the namespaces: more memory than the tests
mem=${STRESS_MEM:-3072}
out=${STRESS_OUT:-$top/out/stress}
read -r -a suites <<<"${STRESS_SUITES:-teardown hostile limits}"
kinds=("$@")
[ ${#kinds[@]} -gt 0 ] || kinds=(stock debug)

make -s -C tools >/dev/null || { echo "stress: make -C tools failed" >&2; exit 2; }
rc=0
for kind in "${kinds[@]}"; do
	entry=$(tools/vm/kernel.sh "$kind" | tail -1) ||
		{ echo "stress: no $kind kernel" >&2; rc=1; continue; }
	ko=$out/ko-$kind
	tools/build-module.sh "$entry/build" "$ko" W=1 >/dev/null ||
		{ echo "stress: module build for $kind failed" >&2; rc=1; continue; }
	flows=$flows_stock
	[ "$kind" = debug ] && flows=$flows_debug
	dir=$out/$kind
	rm -rf "$dir"
	mkdir -p "$dir"
	echo "stress: $kind kernel, $flows flows of every kind"
	start=$(date +%s)
	tools/vm/run.sh --kernel "$kind" --timeout "$timeout" --mem "$mem" --out "$dir" -- \
		UNAT_TEARDOWN_FLOWS="$flows" UNAT_HOSTILE_SCALE="$scale" \
		UNAT_TEST_LIMIT="$timeout" \
		selftests/run.sh --ko "$ko" "${suites[@]}" \
		>"$dir/run.log" 2>&1
	r=$?
	# the figures: flow census, sockets and slabs, times, verdicts
	grep -E '^# (before|after|slabs after|flows |[0-9]+ flows|.*: gone in|test_[a-z_]+: [0-9]+ s|FAIL)|^(not )?ok ' \
		"$dir/teardown.ktap" 2>/dev/null | sed 's/^/  /'
	# the floods': what each sent and what it cost
	grep -hE '^# ([a-z/]+ storm|spoofing|sent |during|flows |host UDP|test_[a-z_]+: [0-9]+ s|FAIL)|^(not )?ok ' \
		"$dir/hostile.ktap" "$dir/limits.ktap" 2>/dev/null |
		grep -v ': Total:' | sed 's/^/  /'
	echo "stress: $kind: exit $r in $(($(date +%s) - start)) s (log: $dir)"
	[ $r -eq 0 ] || rc=1
done
exit $rc
