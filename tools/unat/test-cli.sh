#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Checks of the unat binary that need no kernel module: help, usage errors
# and their exit status (2), the family lookup failing (1).
#
#   ./test-cli.sh [./unat]

UNAT=${1:-./unat}
n=0
failed=0

# expect STATUS STDOUT-PATTERN STDERR-PATTERN ARGS...
expect()
{
	want=$1 out_pat=$2 err_pat=$3
	shift 3
	n=$((n + 1))
	out=$("$UNAT" "$@" 2>/tmp/unat-test-cli.$$)
	rc=$?
	err=$(cat /tmp/unat-test-cli.$$)
	rm -f /tmp/unat-test-cli.$$
	if [ "$rc" -ne "$want" ] ||
	   ! printf '%s\n' "$out" | grep -q -e "$out_pat" ||
	   ! printf '%s\n' "$err" | grep -q -e "$err_pat"; then
		echo "FAIL: unat $*: status $rc (want $want)"
		echo "  stdout: $out"
		echo "  stderr: $err"
		failed=$((failed + 1))
	fi
}

expect 0 'flows DEV' '^$' --help
expect 0 'dns resolv-conf \[FILE\]' '^$' help
expect 0 'fwd add DEV SPEC \[source client|gateway\]' '^$' help
expect 0 '^unat [0-9]' '^$' -V
expect 2 '^$' '^Usage: unat'
expect 2 '^$' "unknown option '-x'" -x show
expect 2 '^$' "unknown option '--bogus'" --bogus show
expect 2 '^$' "unknown command 'frob'" frob
expect 2 '^$' "'show' takes at most one device" show a b
expect 2 '^$' "'flows' needs one device" flows
expect 2 '^$' "invalid device name" show abcdefghijklmnopq
expect 2 '^$' "unknown setting 'frob'" set unat0 frob 1
expect 2 '^$' "'udp-timeout' needs a value" set unat0 udp-timeout
expect 2 '^$' "invalid flow-limit 'many'" set unat0 flow-limit many
expect 2 '^$' "at most 4 DNS servers" \
	set unat0 dns 192.0.2.1 192.0.2.2 192.0.2.3 192.0.2.4 192.0.2.5
expect 2 "^$" "invalid address '\[::1'" set unat0 dns '[::1'
expect 2 "^$" "Try 'unat help'" set unat0 hostloop yes
expect 1 '^$' "cannot read /nonexistent" set unat0 dns resolv-conf /nonexistent
expect 2 '^$' "'fwd' needs add, del or list" fwd
expect 2 '^$' "unknown fwd command 'show'" fwd show unat0
expect 2 '^$' "'fwd add' needs a device and a forward" fwd add unat0
expect 2 '^$' "'fwd list' needs one device" fwd list
expect 2 '^$' "'fwd list' needs one device" fwd list unat0 unat1
expect 2 '^$' "^unat: bad forward 'tcp:70000': port must be 1-65535\$" \
	fwd add unat0 tcp:70000
expect 2 '^$' "bad forward 'tcp:8000-8009:80-81': host and guest ranges differ in length" \
	fwd add unat0 tcp:8000-8009:80-81
expect 2 '^$' "unknown protocol 'sctp'" fwd add unat0 sctp:80
expect 0 'tcp:\[::\]:8080:80' '^$' help
expect 2 '^$' "^unat: bad forward 'tcp:\[::1:80': ']' is missing after the IPv6 address\$" \
	fwd add unat0 'tcp:[::1:80'
expect 2 '^$' "^unat: bad forward 'tcp:\[fe80::1%eth0\]:80': invalid IPv6 address 'fe80::1%eth0'\$" \
	fwd add unat0 'tcp:[fe80::1%eth0]:80'
expect 2 '^$' "^unat: bad forward 'tcp:\[192.0.2.1\]:80': IPv4 address '192.0.2.1' in brackets: give it without them\$" \
	fwd add unat0 'tcp:[192.0.2.1]:80'
expect 2 '^$' "^unat: bad forward 'udp:\[::\]': the host port is missing after the address\$" \
	fwd add unat0 'udp:[::]'
expect 2 '^$' "^unat: bad forward 'tcp:2001:db8::1:80': an IPv6 address must be in brackets: expected PROTO:" \
	fwd del unat0 'tcp:2001:db8::1:80'
expect 2 '^$' "'source' takes client or gateway" fwd add unat0 tcp:80 source
expect 2 '^$' "'source' takes client or gateway" fwd add unat0 tcp:80 source me
expect 2 '^$' "'fwd del' takes a device and a forward" \
	fwd del unat0 tcp:80 source gateway
expect 2 '^$' "'fwd del' needs the host port, not 0" fwd del unat0 tcp:0:80
expect 2 "^$" "Try 'unat help'" -j fwd add unat0 udp:1-1025
expect 2 '^$' "'vm' needs a unat device" vm
expect 2 '^$' "queues must be 1-16" vm unat0 queues 99
expect 2 '^$' "'--' must be followed by a command" vm unat0 vhost on --

# Without the module, every command that reaches the kernel says so.
if [ ! -e /sys/module/unat ]; then
	msg="the unat module is not loaded (generic netlink family 'unat' not found)"
	expect 1 '^$' "^unat: $msg\$" show
	expect 1 '^$' "^unat: $msg\$" -j flows unat0
	expect 1 '^$' "^unat: $msg\$" set unat0 dns none
	expect 1 '^$' "^unat: $msg\$" fwd add unat0 tcp:8080:80 source gateway
	expect 1 '^$' "^unat: $msg\$" fwd del unat0 tcp:8080
	expect 1 '^$' "^unat: $msg\$" fwd add unat0 'tcp:[::]:8080:80'
	expect 1 '^$' "^unat: $msg\$" fwd del unat0 'udp:[2001:db8::1]:5353'
	expect 1 '^$' "^unat: $msg\$" -j fwd list unat0
	expect 1 '^$' "^unat: $msg\$" vm unat0 -- true
fi

echo "test-cli.sh: $n checks, $failed failed"
[ "$failed" -eq 0 ]
