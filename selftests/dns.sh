#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# DNS forwarding: dig and getent in the guest, against dnsmasq on the
# host's loopback in the creating netns; failover between upstreams,
# malformed queries, no upstream.
#
# Topology (lib.sh's make_world): the guest g holds unat0, made in c.
#
#   g (guest) ─unat0─ c (creating netns, "host") ─ r (router) ─ s (server)
#   10.0.2.15          198.51.100.1          .2 │ 203.0.113.1      203.0.113.2

source "$(dirname "$0")/lib.sh"
ECHO=$UNAT_TOP/selftests/udp_echo.py

# test_dnsmasq NS ADDR: answers test.example and other.example.
test_dnsmasq()
{
	start_dnsmasq "$1" "$2" test.example/203.0.113.2 \
		other.example/198.51.100.99
}

dig_guest()
{
	ip netns exec "$g" dig +short +time=6 +tries=1 @10.0.2.3 "$@"
}

test_dig_loopback_upstream()
{
	make_world || return 1
	test_dnsmasq "$c" 127.0.0.1 || return 1
	nsx "$g" "$UNAT" set unat0 dns 127.0.0.1 || return 1
	expect_eq "A record" "$(dig_guest test.example)" 203.0.113.2 &&
	expect_eq "second query" "$(dig_guest other.example)" 198.51.100.99 &&
	[ "$(unat_stat -n "$g" unat0 dns_queries)" -ge 2 ] ||
		fail "queries not counted"
}

# An upstream at 127.0.0.53, where systemd-resolved listens on hosts.
test_resolved_stub()
{
	make_world || return 1
	test_dnsmasq "$c" 127.0.0.53 || return 1
	nsx "$g" "$UNAT" set unat0 dns 127.0.0.53 || return 1
	expect_eq "A record via 127.0.0.53" "$(dig_guest test.example)" \
		203.0.113.2 &&
	expect_eq "over TCP too" "$(dig_guest +tcp other.example)" \
		198.51.100.99
}

# DNS over TCP to the DNS address reaches the upstream over TCP: its
# answers come back unchanged, and no UDP query is counted.
test_dig_tcp()
{
	make_world || return 1
	test_dnsmasq "$c" 127.0.0.1 || return 1
	nsx "$g" "$UNAT" set unat0 dns 127.0.0.1 || return 1
	expect_eq "A record over TCP" "$(dig_guest +tcp test.example)" \
		203.0.113.2 &&
	expect_eq "second query over TCP" "$(dig_guest +tcp other.example)" \
		198.51.100.99 || return 1
	expect_eq "UDP queries" "$(unat_stat -n "$g" unat0 dns_queries)" 0 &&
	[ "$(unat_stat -n "$g" unat0 tcp_syns)" -ge 2 ] ||
		fail "TCP connections not counted"
}

# The guest's resolver, through /etc/resolv.conf, as applications use it.
test_getent()
{
	make_world || return 1
	test_dnsmasq "$c" 127.0.0.1 || return 1
	nsx "$g" "$UNAT" set unat0 dns 127.0.0.1 || return 1
	mkdir -p "/etc/netns/$g"
	echo "nameserver 10.0.2.3" >"/etc/netns/$g/resolv.conf"
	expect_match "getent" "$(nsx "$g" getent ahostsv4 test.example)" \
		"^203\.0\.113\.2 "
	local rc=$?
	rm -rf "/etc/netns/$g"
	return $rc
}

# The first upstream is silent: the query goes to the next one.
test_failover()
{
	make_world || return 1
	test_dnsmasq "$c" 127.0.0.1 || return 1
	nsx "$g" "$UNAT" set unat0 dns 127.0.0.2 127.0.0.1 || return 1
	expect_eq "answer after failover" "$(dig_guest test.example)" \
		203.0.113.2 &&
	[ "$(unat_stat -n "$g" unat0 dns_failovers)" -ge 1 ] || fail "no failover counted"
}

# resolv-conf: the CLI reads nameservers from a resolv.conf and pushes them.
test_resolv_conf()
{
	local f
	f=$(mktemp)
	printf 'search x.example\nnameserver 127.0.0.1\n' >"$f"
	make_world || return 1
	test_dnsmasq "$c" 127.0.0.1 || return 1
	nsx "$g" "$UNAT" set unat0 dns resolv-conf "$f" || return 1
	expect_match "configured" "$(nsx "$g" "$UNAT" show unat0)" "dns 127\.0\.0\.1:53" &&
	expect_eq "A record" "$(dig_guest test.example)" 203.0.113.2
}

test_malformed_and_no_upstream()
{
	local before
	make_world || return 1
	before=$(unat_stat -n "$g" unat0 drop_malformed)
	# a 5-byte "query" and a response (QR set) to the DNS address
	nsx "$g" python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"\x12\x34\x01\x00\x00", ("10.0.2.3", 53))
s.sendto(b"\x12\x34\x81\x80" + b"\x00\x01" + b"\x00" * 6, ("10.0.2.3", 53))
' || return 1
	sleep 0.5
	[ "$(unat_stat -n "$g" unat0 drop_malformed)" -ge $((before + 2)) ] ||
		{ fail "malformed queries not counted"; return; }
	dig_guest +time=2 test.example >/dev/null
	[ "$(unat_stat -n "$g" unat0 drop_dns_no_upstream)" -ge 1 ] ||
		fail "no-upstream drop not counted"
}

# DNS flows show in the flow dump, and close soon after their answer.
test_dns_flow_dump()
{
	local out
	make_world || return 1
	test_dnsmasq "$c" 127.0.0.1 || return 1
	nsx "$g" "$UNAT" set unat0 dns 127.0.0.1 || return 1
	# the dump starts as the query leaves: the flow lives one second past
	# its answer, less than a slow kernel may take to start a process
	out=$(nsx "$g" python3 -c '
import socket, subprocess, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 40053))
q = b"\xab\xcd\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x04test\x07example\x00\x00\x01\x00\x01"
s.sendto(q, ("10.0.2.3", 53))
dump = subprocess.run([sys.argv[1], "flows", "unat0"], capture_output=True, text=True)
s.settimeout(5)
print(len(s.recv(512)), "bytes of answer")
print(dump.stdout, end="")
' "$UNAT") || { echo "$out"; return 1; }
	echo "$out"
	expect_match "dns flow" "$out" "udp +dns +open(ing)? +10\.0\.2\.15:40053 +10\.0\.2\.3:53" || return 1
	sleep 3
	out=$(nsx "$g" "$UNAT" flows unat0)
	grep -q ":40053" <<<"$out" && { fail "DNS flow still open 3 s after its answer"; return 1; }
	return 0
}

ktap_plan 8
unat_load || { echo "Bail out! cannot load unat"; exit 1; }
ktap_case "dig through unat to dnsmasq on the host's loopback" test_dig_loopback_upstream
ktap_case "upstream at 127.0.0.53 (systemd-resolved's stub)" test_resolved_stub
ktap_case "dig +tcp through unat to the upstream over TCP" test_dig_tcp
ktap_case "getent through the guest's resolv.conf" test_getent
ktap_case "failover to the second upstream" test_failover
ktap_case "unat set dns resolv-conf" test_resolv_conf
ktap_case "malformed queries and no upstream counted" test_malformed_and_no_upstream
ktap_case "DNS flow dumped, closed after its answer" test_dns_flow_dump
ktap_finish
