#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ICMP through the host: ping to remote addresses, large echoes, ICMP
# traceroute, unreachable errors relayed, flows dumped.
#
# Topology (lib.sh's make_world): the guest g holds unat0, made in c.
#
#   g (guest) ─unat0─ c (creating netns, "host") ─ r (router) ─ s (server)
#   10.0.2.15          198.51.100.1          .2 │ 203.0.113.1      203.0.113.2

source "$(dirname "$0")/lib.sh"

test_ping_remote()
{
	local out
	make_world || return 1
	out=$(nsx "$g" ping -c 3 -i 0.3 -W 3 203.0.113.2) || { echo "$out"; return 1; }
	echo "$out" | tail -2
	expect_match "replies" "$out" "3 packets transmitted, 3 received" &&
	[ "$(unat_stat -n "$g" unat0 icmp_out)" -ge 3 ] || fail "not counted"
}

# 5000 bytes: DF dropped past the path MTU, fragmented behind the host.
test_ping_large()
{
	make_world || return 1
	nsx "$g" ping -c 2 -s 5000 -W 3 203.0.113.2
}

test_ping_host_loopback()
{
	make_world || return 1
	# the gateway answers for itself; the host is at its own addresses
	nsx "$g" ping -c 2 -W 3 198.51.100.1
}

test_traceroute_icmp()
{
	local out
	make_world || return 1
	out=$(nsx "$g" traceroute -I -n -q 1 -w 2 -m 5 203.0.113.2) || return 1
	echo "$out"
	expect_match "hop 1" "$out" "^ 1  10\.0\.2\.2 " &&
	expect_match "hop 2" "$out" "^ 2  198\.51\.100\.2 " &&
	expect_match "hop 3" "$out" "^ 3  203\.0\.113\.2 "
}

# Nobody at .99 on the server's link: the router's host unreachable
# reaches the guest's ping.
test_unreachable_relayed()
{
	local out
	make_world || return 1
	out=$(nsx "$g" ping -c 1 -W 8 203.0.113.99 2>&1)
	echo "$out"
	expect_match "unreachable" "$out" "Destination Host Unreachable"
}

test_ping_flow_dump()
{
	local out
	make_world || return 1
	nsx "$g" ping -c 1 -W 3 203.0.113.2 >/dev/null || return 1
	out=$(nsx "$g" "$UNAT" flows unat0)
	echo "$out"
	expect_match "icmp flow" "$out" "icmp +nat +open +10\.0\.2\.15:[0-9]+ +203\.0\.113\.2:[0-9]+"
}

test_ping_restricted()
{
	make_world restrict on || return 1
	nsx "$g" ping -c 1 -W 2 203.0.113.2 >/dev/null &&
		{ fail "restricted guest pinged out"; return; }
	nsx "$g" ping -c 1 -W 2 10.0.2.2 >/dev/null || fail "gateway not answering"
}

ktap_plan 7
unat_load || { echo "Bail out! cannot load unat"; exit 1; }
ktap_case "ping a remote server through the host" test_ping_remote
ktap_case "ping with 5000-byte payloads" test_ping_large
ktap_case "ping the host's own address" test_ping_host_loopback
ktap_case "traceroute -I shows the gateway and the real hops" test_traceroute_icmp
ktap_case "host unreachable relayed to the guest" test_unreachable_relayed
ktap_case "ICMP flow in the flow dump" test_ping_flow_dump
ktap_case "restrict: no ping out, the gateway still answers" test_ping_restricted
ktap_finish
