#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest UDP through host sockets: echoes of every size, fragments both
# ways, UDP GSO super-frames, endpoint-independent mapping, ICMP errors
# relayed (ECONNREFUSED, traceroute), the host's loopback at the gateway
# address, and restrict.
#
# Topology (lib.sh's make_world): the guest g holds unat0, made in c.
#
#   g (guest) ─unat0─ c (creating netns, "host") ─ r (router) ─ s (server)
#   10.0.2.15          198.51.100.1          .2 │ 203.0.113.1      203.0.113.2

source "$(dirname "$0")/lib.sh"
ECHO=$UNAT_TOP/selftests/udp_echo.py

# start_echo NS PORT: an echo server, killed at the end of the test case.
start_echo()
{
	ip netns exec "$1" "$ECHO" server "$2" >/dev/null 2>&1 &
	wait_for 10 udp_bound "$1" "$2"
}

test_echo_small()
{
	make_world || return 1
	start_echo "$s" 7777
	nsx "$g" "$ECHO" client 203.0.113.2 7777 100 \
		--expect-from 203.0.113.2 || return 1
	[ "$(unat_stat -n "$g" unat0 udp_out)" -ge 1 ] || fail "udp_out not counted"
}

# 60000 bytes: one datagram for the guest (MTU 65520), fragments on the
# 1500-byte path behind the host.
test_echo_large()
{
	make_world || return 1
	start_echo "$s" 7777
	nsx "$g" "$ECHO" client 203.0.113.2 7777 60000
}

# Guest MTU 1500: the guest's fragments are reassembled by unat, the echo
# is fragmented toward the guest.
test_fragments_both_ways()
{
	make_world mtu 1500 || return 1
	start_echo "$s" 7777
	nsx "$g" "$ECHO" client 203.0.113.2 7777 30000 || return 1
	[ "$(unat_stat -n "$g" unat0 fragments_held)" -ge 20 ] ||
		fail "no fragments reassembled"
}

# A UDP GSO super-frame leaves as the separate datagrams it stands for.
test_gso_segments()
{
	make_world || return 1
	start_echo "$s" 7777
	nsx "$g" "$ECHO" client 203.0.113.2 7777 14000 --gso 1400
}

# One mapping per guest endpoint: any remote can answer it (RFC 4787).
test_endpoint_independent()
{
	local port got
	make_world || return 1
	start_echo "$s" 7777
	nsx "$g" "$ECHO" send-from 5000 203.0.113.2 7777 || return 1
	sleep 0.5
	port=$(nsx "$c" ss -Huan 'sport > :1024' | awk '{ print $4 }' |
		sed 's/.*://' | head -1)
	[ -n "$port" ] || { fail "no host socket in the creating netns"; return; }
	echo "guest port 5000 is host port $port"
	ip netns exec "$g" "$ECHO" recv 5000 >"$TMPDIR/got" 2>&1 &
	sleep 0.5
	nsx "$r" "$ECHO" send-from 9999 198.51.100.1 "$port" || return 1
	wait $!
	got=$(cat "$TMPDIR/got")
	expect_eq "datagram from another remote" "$got" "198.51.100.2:9999 ping"
}

test_port_unreachable()
{
	make_world || return 1
	nsx "$g" "$ECHO" refused 203.0.113.2 9 || return 1
	[ "$(unat_stat -n "$g" unat0 icmp_errors_to_guest)" -ge 1 ] ||
		fail "not counted"
}

test_traceroute()
{
	local out
	make_world || return 1
	out=$(nsx "$g" traceroute -n -q 1 -w 2 -m 5 203.0.113.2) || return 1
	echo "$out"
	expect_match "hop 1" "$out" "^ 1  10\.0\.2\.2 " &&
	expect_match "hop 2" "$out" "^ 2  198\.51\.100\.2 " &&
	expect_match "hop 3" "$out" "^ 3  203\.0\.113\.2 "
}

# The gateway address is the host's loopback, unless hostloop is off.
test_hostloop()
{
	local before
	make_world || return 1
	start_echo "$c" 7000
	nsx "$g" "$ECHO" client 10.0.2.2 7000 200 --expect-from 10.0.2.2 ||
		return 1
	ip -n "$g" link set unat0 type unat hostloop off || return 1
	before=$(unat_stat -n "$g" unat0 drop_not_for_gateway)
	nsx "$g" "$ECHO" client 10.0.2.2 7000 200 2>/dev/null &&
		{ fail "reached the host with hostloop off"; return; }
	[ "$(unat_stat -n "$g" unat0 drop_not_for_gateway)" -gt "$before" ] ||
		fail "not counted"
}

test_restrict()
{
	make_world restrict on || return 1
	start_echo "$s" 7777
	nsx "$g" "$ECHO" client 203.0.113.2 7777 100 2>/dev/null &&
		{ fail "restricted guest reached a server"; return; }
	[ "$(unat_stat -n "$g" unat0 drop_restricted)" -ge 1 ] || { fail "not counted"; return 1; }
	# lifting it at run time lets the guest out
	ip -n "$g" link set unat0 type unat restrict off || return 1
	nsx "$g" "$ECHO" client 203.0.113.2 7777 100
}

# An idle flow expires after the UDP timeout; a busy one does not.
test_idle_expiry()
{
	make_world || return 1
	start_echo "$s" 7777
	nsx "$g" "$UNAT" set unat0 udp-timeout 2 || return 1
	nsx "$g" "$ECHO" client 203.0.113.2 7777 10 || return 1
	expect_match "flow open" "$(nsx "$g" "$UNAT" show unat0)" "flows 1" ||
		return 1
	sleep 5
	expect_match "flow expired" "$(nsx "$g" "$UNAT" show unat0)" "flows 0" &&
	[ -z "$(nsx "$c" ss -Huan 'sport > :1024')" ] || fail "host socket left"
}

# Deleting the device, or the creating netns, with flows open.
test_teardown_with_flows()
{
	make_world || return 1
	start_echo "$s" 7777
	nsx "$g" "$ECHO" client 203.0.113.2 7777 100 || return 1
	timeout 30 ip netns del "$c" || { fail "deleting c hung"; return; }
	nsx "$g" "$ECHO" client 203.0.113.2 7777 100 2>/dev/null &&
		{ fail "flow outlived its netns"; return; }
	timeout 30 ip -n "$g" link del unat0
}

TMPDIR=$(mktemp -d)
# socat as the echo server, the exact sizes that matter at both guest MTUs:
# 1 byte, a full 1500-byte packet, 8 KiB and 60000 bytes (fragments).
test_socat_sizes()
{
	local mtu size
	for mtu in 65520 1500; do
		make_world mtu $mtu || return 1
		ip netns exec "$s" socat -b 65536 UDP-RECVFROM:7778,fork PIPE \
			>/dev/null 2>&1 &
		wait_for 10 udp_bound "$s" 7778 || return 1
		for size in 1 1472 8192 60000; do
			nsx "$g" "$ECHO" client 203.0.113.2 7778 $size || {
				fail "echo of $size bytes at MTU $mtu"
				return 1
			}
		done
		echo "MTU $mtu: 1, 1472, 8192, 60000 bytes echoed"
		kill %1 2>/dev/null
		cleanup_ns
	done
}

iperf_udp()
{
	python3 -c 'import json,sys; d=json.load(sys.stdin)["end"]["sum"]
print(d["bytes"], d["packets"] - d["lost_packets"], d["lost_percent"])'
}

# iperf3 -u both ways: datagrams arrive, and are counted on unat's side.
test_iperf3_udp()
{
	local up down
	make_world || return 1
	ip netns exec "$s" iperf3 -s -p 5201 >/dev/null 2>&1 &
	wait_for 10 sh -c "ip netns exec $s ss -Htln | grep -q :5201" || return 1
	up=$(nsx "$g" timeout 60 iperf3 -u -b 100M -l 1400 -c 203.0.113.2 \
		-p 5201 -t 3 -J | iperf_udp) || return 1
	down=$(nsx "$g" timeout 60 iperf3 -u -b 100M -l 1400 -c 203.0.113.2 \
		-p 5201 -t 3 -R -J | iperf_udp) || return 1
	echo "iperf3 -u up: $up; down: $down (bytes, received, lost %)"
	[ "${up%% *}" -gt 100000 ] && [ "${down%% *}" -gt 100000 ] ||
		{ fail "too little UDP moved"; return 1; }
	[ "$(unat_stat -n "$g" unat0 udp_out)" -gt 100 ] ||
		fail "udp_out not counted"
}

ktap_plan 13
unat_load || { echo "Bail out! cannot load unat"; exit 1; }
ktap_case "UDP echo through a host socket" test_echo_small
ktap_case "60000-byte datagrams, fragmented behind the host" test_echo_large
ktap_case "guest MTU 1500: fragments reassembled and made" test_fragments_both_ways
ktap_case "UDP GSO super-frame split into datagrams" test_gso_segments
ktap_case "socat echo of 1, 1472, 8192, 60000 bytes at MTU 65520 and 1500" \
	test_socat_sizes
ktap_case "iperf3 -u both directions" test_iperf3_udp
ktap_case "endpoint-independent mapping and filtering" test_endpoint_independent
ktap_case "ICMP port unreachable relayed: ECONNREFUSED" test_port_unreachable
ktap_case "traceroute shows the gateway and the real hops" test_traceroute
ktap_case "gateway address reaches host loopback; hostloop off" test_hostloop
ktap_case "restrict on, then off at run time" test_restrict
ktap_case "idle flows expire after the UDP timeout" test_idle_expiry
ktap_case "creating netns and device deleted with live flows" test_teardown_with_flows
ktap_finish
