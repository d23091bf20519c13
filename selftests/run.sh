#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run unat's tests inside a test VM (tools/vm/run.sh) or on a real host.
#
#   selftests/run.sh [--ko DIR] [--kunit] [TEST...]
#
# --ko DIR   load unat.ko (and unat_test.ko) from DIR instead of modprobe
# --kunit    load unat_test.ko first and collect the KUnit results
# TEST       selftest names (device, dhcp, macvtap); default: all
#
# Each test's KTAP goes to stdout and to $UNAT_OUT/<test>.ktap; KUnit
# suites' results to $UNAT_OUT/kunit-<suite>.ktap.

set -u
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
trap - EXIT
out=${UNAT_OUT:-$(mktemp -d)}
kunit=0
export UNAT_KO_DIR=

while [ $# -gt 0 ]; do
	case $1 in
	--ko) UNAT_KO_DIR=$(cd "$2" && pwd) || exit 2; shift 2 ;;
	--kunit) kunit=1; shift ;;
	-*) echo "unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=(device dhcp macvtap udp dns icmp tcp fwd ipv6 frag guard cli vm)

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

rc=0
if [ $kunit = 1 ]; then
	echo "# unat: KUnit"
	run_kunit || rc=1
fi
for t in "${tests[@]}"; do
	echo "# unat: selftest $t"
	# vm.sh boots a guest under TCG inside TCG: 13 minutes, 30 at most
	limit=900
	[ "$t" = vm ] && limit=1800
	start=$(date +%s)
	timeout $limit "$here/$t.sh" 2>&1 | tee "$out/$t.ktap"
	[ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
	echo "# unat: selftest $t took $(($(date +%s) - start)) s"
done
dmesg >"$out/dmesg.txt" 2>/dev/null
exit $rc
