#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: everything that proves unat works, on a fresh Debian 12
# machine as on a developer's.
#
#  1. boot Debian's stock 6.12 kernel under QEMU and run the selftests;
#  2. meanwhile, build unat.ko warning-free (W=1) against Debian's 6.1 and
#     6.12 headers, with sparse on 6.12, and the debug kernel if it is not
#     cached; checkpatch --strict on every source; the genl policies
#     rendered again from docs/netlink/unat.yaml and compared;
#  3. boot the debug kernel (KASAN, lockdep, kmemleak, KUnit) and run the
#     KUnit suites and the selftests again, in two VMs sharing one queue.
#
# A kernel splat in either VM fails the run.  Ends with "N passed, N failed".

set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# The stock kernel's suites, in one VM: vm first (a QEMU guest inside the
# test VM, 12 minutes of nested TCG, booted on the stock kernel only).
# teardown runs on the debug kernel, where kmemleak watches it.
STOCK=(vm device dhcp macvtap udp dns icmp tcp fwd ipv6 frag guard cli
	limits hostile vnetfuzz)
# The debug kernel's, longest first: two VMs share them through a queue
# (see main), so that both finish together.  The first VM, which boots
# with kmemleak, takes teardown first (its leak checks need kmemleak),
# then turns kmemleak off; the second boots without: the rest runs a
# third faster, as the budget needs.
# The floods and the vnet-header fuzzing take 17 minutes more there:
# `make stress` and `make fuzz` run them on the debug kernel.  cli (the
# CLI's parsing and output, 4 minutes there) runs on the stock kernel only.
DEBUG=(teardown tcp ipv6 fwd udp guard frag dns device macvtap icmp dhcp
	vm)
cd "$top"
out=$top/out/check
passed=0
failed=0
failures=()

say() { printf '\n==== %s\n' "$*"; }

# record NAME RC
record()
{
	if [ "$2" -eq 0 ]; then
		passed=$((passed + 1))
		echo "ok - $1"
	else
		failed=$((failed + 1))
		failures+=("$1")
		echo "not ok - $1"
	fi
}

# step NAME COMMAND...: one counted check.
step()
{
	local name=$1
	local rc
	shift
	say "$name"
	"$@"
	rc=$?
	record "$name" $rc
	return $rc
}

newest() { ls -d $1 2>/dev/null | sort -V | tail -1; }

# selftests/Makefile's TEST_PROGS names every suite make check runs, and
# no other: the kselftest entry point runs what CI runs.
suites_listed()
{
	local listed ran
	listed=$(make -s --no-print-directory -C selftests list | tr ' ' '\n' |
		 sort)
	ran=$(printf '%s\n' "${STOCK[@]}" "${DEBUG[@]}" | sort -u)
	[ "$listed" = "$ran" ] && return
	diff <(echo "$listed") <(echo "$ran") | sed 's/^/TEST_PROGS vs make check: /'
	return 1
}

# The kernel's style for the module and its tests; the userspace tools
# follow it too, less the kernel-only macros (__printf) they cannot use and
# the prototypes of ip(8)'s exported helpers that the plugin must declare.
# checkpatch: every source but module/netlink-gen.[ch], which ynl-gen
# renders in its own style (checked against the spec instead)
checkpatch()
{
	local cp="$1/scripts/checkpatch.pl --strict --no-tree --quiet --terse"
	$cp --ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG \
		-f $(ls module/*.[ch] | grep -v netlink-gen) kunit/*.[ch] \
		include/uapi/linux/unat.h &&
	$cp --ignore AVOID_EXTERNS,PREFER_DEFINED_ATTRIBUTE_MACRO,VOLATILE,EMBEDDED_FUNCTION_NAME \
		-f tools/iproute2/*.c tools/tapguest/*.c tools/frames/*.c tools/flows/*.c
}

# count_ktap NAME FILE: each test case of a selftest's KTAP counts once;
# a suite that ended (timed out, died) before its plan's last case fails
# once more for the cases it never reported.
count_ktap()
{
	local name=$1 file=$2 line n=0 plan=
	if [ ! -s "$file" ]; then
		record "$name: no results" 1
		return
	fi
	while IFS= read -r line; do
		case $line in
		"ok "*) record "$name: ${line#ok [0-9]* }" 0 ;;
		"not ok "*) record "$name: ${line#not ok [0-9]* }" 1 ;;
		1..[0-9]*) plan=${line#1..}; continue ;;
		*) continue ;;
		esac
		n=$((n + 1))
	done <"$file"
	if [ $n -eq 0 ]; then
		record "$name: no test case ran" 1
	elif [ -n "$plan" ] && [ "$n" -lt "$plan" ]; then
		record "$name: $((plan - n)) of $plan cases never reported" 1
	fi
}

# count_kunit KSRC DIR: parse the suites' KTAP with kunit.py; each test
# case (and each parameter of a parameterised one) counts once.
count_kunit()
{
	local ksrc=$1 dir=$2 ktap=$2/kunit.ktap n=0 f json=$2/kunit.json
	for f in "$dir"/kunit-*.ktap; do
		[ -f "$f" ] && n=$((n + 1))
	done
	if [ "$n" -eq 0 ]; then
		record "kunit: no results" 1
		return
	fi
	# each debugfs results file is a document of one suite numbered 1:
	# drop its header, number the suites in turn
	{
		echo "KTAP version 1"
		echo "1..$n"
		n=0
		for f in "$dir"/kunit-*.ktap; do
			n=$((n + 1))
			sed -E -e '/^(KTAP version 1|1\.\.1)$/d' \
				-e "s/^(not )?ok 1 /\1ok $n /" "$f"
		done
	} >"$ktap"
	python3 "$ksrc/tools/testing/kunit/kunit.py" parse --json="$json" \
		"$ktap" >"$dir/kunit.txt" 2>&1
	record "kunit: kunit.py parse verdict" $?
	grep -E "Testing complete|Ran [0-9]+ tests" "$dir/kunit.txt"
	python3 - "$json" <<'PY' >"$dir/kunit.cases"
import json, sys
def walk(t, path):
    for s in t.get("sub_groups") or []:
        walk(s, path + [s["name"]])
    for c in t.get("test_cases") or []:
        print(c["status"], ".".join(path + [c["name"]]))
doc = json.load(open(sys.argv[1]))
for t in doc.get("tests") or [doc]:
    walk(t, [t["name"]])
PY
	while read -r status name; do
		case $status in
		PASS | SKIPPED) record "kunit: $name" 0 ;;
		*) record "kunit: $name ($status)" 1 ;;
		esac
	done <"$dir/kunit.cases"
}

# boot_vm NAME KIND KO_DIR [--kunit]: boot kernel KIND, run the KUnit
# suites if asked, then the selftests the dispatcher hands it from KIND's
# queue; the results stay in out/vm-NAME for count_vm.  Safe to run in
# the background.
boot_vm()
{
	local name=$1 kind=$2 ko=$3 dir=$out/vm-$1
	shift 3
	rm -rf "$dir"
	mkdir -p "$dir"
	: >"$dir/suites"
	echo "$kind" >"$dir/kind"
	tools/vm/run.sh --kernel "$kind" --timeout 3600 --out "$dir" -- \
		selftests/run.sh --ko "$ko" "$@" --queue >"$dir/run.log" 2>&1
	echo $? >"$dir/vm.rc"
}

# pop FILE: print the first line of FILE and take it out.
pop()
{
	local first rest
	{ read -r first; rest=$(cat); } <"$1" || return 1
	printf '%s\n' "$rest" | sed '/^$/d' >"$1"
	echo "$first"
}

# dispatch: hand each VM's request for a test (selftests/run.sh --queue)
# the next one of its kernel's queue, out/check/queue-KIND, or END.
# Runs until killed.
dispatch()
{
	local dir want n kind t
	while :; do
		for dir in "$out"/vm-*; do
			[ -s "$dir/kind" ] || continue
			read -r kind <"$dir/kind"
			for want in "$dir"/queue.want.*; do
				[ -e "$want" ] || continue
				n=${want##*.}
				[ -e "$dir/queue.next.$n" ] && continue
				t=$(pop "$out/queue-$kind") || t=
				[ -n "$t" ] && echo "$t" >>"$dir/suites"
				echo "${t:-END}" >"$dir/.next"
				mv "$dir/.next" "$dir/queue.next.$n"
			done
		done
		sleep 1
	done
}

# count_vm NAME KIND: what boot_vm left, counted.
count_vm()
{
	local name=$1 kind=$2 dir=$out/vm-$1 rc t
	say "VM: $name ($kind kernel)"
	rc=$(cat "$dir/vm.rc" 2>/dev/null || echo 125)
	tail -n 40 "$dir/run.log"
	grep -h "^# unat: selftest .* took" "$dir/run.log"
	[ "$rc" -eq 3 ] && grep -A20 "kernel splat detected" "$dir/run.log"
	record "$name: $kind kernel VM ran, no kernel splat" \
		$((rc == 3 || rc >= 124))
	for t in $(cat "$dir/suites" 2>/dev/null); do
		count_ktap "$kind/$t" "$dir/$t.ktap"
	done
}

# count_left KIND: a test no VM took (they all died) fails.
count_left()
{
	local t
	for t in $(cat "$out/queue-$1" 2>/dev/null); do
		record "$1/$t: not run, no VM was left to take it" 1
	done
}

# wait_debug: wait for the other core's builds; 0 if the debug kernel
# and its modules are ready.
wait_debug()
{
	until [ -e "$out/debug.ready" ]; do
		sleep 2
	done
	[ "$(cat "$out/debug.ready")" = 1 ]
}

main()
{
	local h61 h612 stock debug have_debug=0 vms=() dispatcher

	say "dependencies"
	tools/deps.sh || { echo "cannot install dependencies"; exit 1; }
	mkdir -p "$out"
	rm -rf "$out"/vm-* "$out/debug.ready"
	printf '%s\n' "${STOCK[@]}" >"$out/queue-stock"
	printf '%s\n' "${DEBUG[@]}" >"$out/queue-debug"
	dispatch &
	dispatcher=$!

	# Two VMs at a time, each one TCG thread on its own core.  Core A:
	# the stock kernel's VM as soon as its module is built, then a debug
	# kernel's.  Core B, meanwhile: the other builds (on a fresh machine,
	# the debug kernel), checkpatch, then a debug kernel's VM with the
	# KUnit suites first.  Both debug VMs take suites from one queue
	# until it is empty, so they end within one suite of each other,
	# however long the stock VM took.
	step "build: tools" make -s -C tools
	say "kernels"
	stock=$(tools/vm/kernel.sh stock | tail -1) || { record "stock kernel" 1; stock=; }
	[ -n "$stock" ] && { step "build: stock kernel module" \
		tools/build-module.sh "$stock/build" build/stock W=1 || stock=; }
	{
		[ -z "$stock" ] || boot_vm stock stock build/stock
		! wait_debug ||
			UNAT_VM_APPEND=kmemleak=off boot_vm debug2 debug build/debug
	} &
	vms+=($!)
	say "stock kernel VM running (results in $out/vm-stock)"
	# the builds leave that VM its core
	UNAT_JOBS=$(($(nproc) > 2 ? $(nproc) - 1 : 1))
	export UNAT_JOBS

	h61=$(newest '/usr/src/linux-headers-6.1.0-*-amd64')
	h612=$(newest '/usr/src/linux-headers-6.12.*-amd64')
	step "build: 6.1 headers, W=1" tools/build-module.sh "$h61" build/h61 W=1
	step "build: 6.12 headers, W=1, sparse" \
		tools/build-module.sh "$h612" build/h612 W=1 C=1
	step "tools: unat CLI unit tests" make -s -C tools test
	step "selftests/Makefile lists every suite" suites_listed
	step "module/ includes point down the layers" tools/layers.sh
	debug=$(tools/vm/kernel.sh debug | tail -1) || { record "debug kernel build" 1; debug=; }
	if [ -n "$debug" ]; then
		step "checkpatch --strict" checkpatch "$debug/build"
		step "netlink-gen.[ch] rendered from the spec" \
			tools/ynl-gen.sh "$debug/build" --check
		step "build: debug kernel modules (with KUnit)" \
			tools/build-module.sh "$debug/build" build/debug W=1 &&
			have_debug=1
	fi
	echo $have_debug >"$out/debug.ready"
	if [ $have_debug = 1 ]; then
		boot_vm debug1 debug build/debug --kunit \
			--kmemleak-until teardown &
		vms+=($!)
	fi
	say "VMs running (results in $out/vm-*)"
	wait "${vms[@]}"
	kill "$dispatcher"
	if [ -n "$stock" ]; then
		count_vm stock stock
		count_left stock
	fi
	if [ $have_debug = 1 ]; then
		count_vm debug1 debug
		count_vm debug2 debug
		count_left debug
		count_kunit "$debug/build" "$out/vm-debug1"
	fi

	say "summary"
	for f in "${failures[@]}"; do
		echo "FAILED: $f"
	done
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

main "$@"
