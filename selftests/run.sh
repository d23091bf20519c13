#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run unat's tests inside a test VM (tools/vm/run.sh) or on a real host.
#
#   selftests/run.sh [--ko DIR] [--kunit] [--kmemleak-until TEST] [--queue]
#                    [TEST...]
#
# --ko DIR   load unat.ko (and unat_test.ko) from DIR instead of modprobe
# --kunit    load unat_test.ko first and collect the KUnit results
# --queue    then ask the host for one test after another (below)
# --kmemleak-until TEST
#            once TEST has run, scan for leaks (reported as the VM
#            harness reports them), then turn kmemleak off: the tests
#            after it run a third faster
# TEST       selftest names (device, dhcp, macvtap); default: all
#
# With --queue, the tests come from a dispatcher on the host
# (tools/check.sh), so that VMs of one kernel share a queue: for the Nth
# test, this writes $UNAT_OUT/queue.want.N and waits for the host to
# rename a file to $UNAT_OUT/queue.next.N holding a test's name, or END.
#
# Each test's KTAP goes to stdout and to $UNAT_OUT/<test>.ktap; KUnit
# suites' results to $UNAT_OUT/kunit-<suite>.ktap.

set -u
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
trap - EXIT
rm -f "$DHCP_HOOK"
out=${UNAT_OUT:-$(mktemp -d)}
kunit=0
queue=0
kmemleak_until=
export UNAT_KO_DIR=

while [ $# -gt 0 ]; do
	case $1 in
	--ko) UNAT_KO_DIR=$(cd "$2" && pwd) || exit 2; shift 2 ;;
	--kunit) kunit=1; shift ;;
	--queue) queue=1; shift ;;
	--kmemleak-until) kmemleak_until=$2; shift 2 ;;
	-*) echo "unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
tests=("$@")
[ ${#tests[@]} -gt 0 ] || [ $queue = 1 ] ||
	tests=(device dhcp macvtap udp dns icmp tcp fwd ipv6 frag guard cli vm)

run_kunit()
{
	local dir=/sys/kernel/debug/kunit suite
	mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
	unat_insmod "$UNAT_KO_DIR/unat.ko" || return 1
	insmod "$UNAT_KO_DIR/unat_test.ko" || return 1
	for suite in "$dir"/unat_*; do
		[ -f "$suite/results" ] || continue
		cp "$suite/results" "$out/kunit-$(basename "$suite").ktap"
		cat "$suite/results"
	done
	rmmod unat_test
}

# next_queued N: the Nth test from the host's queue, END when there is
# none (or no answer within two minutes).
next_queued()
{
	local next=$out/queue.next.$1 i t=END
	: >"$out/queue.want.$1"
	for ((i = 0; i < 1200; i++)); do
		if [ -s "$next" ]; then
			read -r t <"$next"
			break
		fi
		sleep 0.1
	done
	echo "$t"
}

# kmemleak_off: two scans, the leaks relayed with the prefix the VM
# harness gives them (tools/vm/splat-check.sh fails the run on any), then
# kmemleak off for good.
kmemleak_off()
{
	local k=/sys/kernel/debug/kmemleak line
	[ -w $k ] || return 0
	echo scan >$k && sleep 5 && echo scan >$k || return 0
	while IFS= read -r line; do
		echo "unat-vm: kmemleak: $line"
	done <$k
	echo off >$k
	echo "# unat: kmemleak scanned and turned off"
}

# run_test NAME: one selftest, its KTAP to stdout and $out/NAME.ktap.
run_test()
{
	local t=$1 limit=900 start r
	echo "# unat: selftest $t"
	# vm.sh boots a guest under TCG inside TCG: 13 minutes, 30 at most;
	# teardown.sh's five cases each wait minutes for what they check on
	# the debug kernel before they fail
	case $t in vm | teardown) limit=1800 ;; esac
	# make stress's longer runs give their own
	limit=${UNAT_TEST_LIMIT:-$limit}
	start=$(date +%s)
	timeout $limit "$here/$t.sh" 2>&1 | tee "$out/$t.ktap"
	r=${PIPESTATUS[0]}
	echo "# unat: selftest $t took $(($(date +%s) - start)) s"
	[ "$t" != "$kmemleak_until" ] || kmemleak_off
	return "$r"
}

rc=0
if [ $kunit = 1 ]; then
	echo "# unat: KUnit"
	run_kunit || rc=1
fi
for t in "${tests[@]}"; do
	run_test "$t" || rc=1
done
if [ $queue = 1 ]; then
	n=0
	while t=$(next_queued $n) && [ "$t" != END ]; do
		run_test "$t" || rc=1
		n=$((n + 1))
	done
fi
dmesg >"$out/dmesg.txt" 2>/dev/null
exit $rc
