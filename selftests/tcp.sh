#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest TCP through host sockets: byte-exact transfers both ways at guest
# MTU 65520 and 1500, GSO super-frames toward the guest, loss and
# retransmission, refused and unreachable connects, half-close, many short
# and concurrent connections, iperf3, the host's loopback at the gateway,
# restrict, what ss and unat flows show, and device deletion mid-transfer.
#
# Topology (lib.sh's make_world): the guest g holds unat0, made in c.
#
#   g (guest) ─unat0─ c (creating netns, "host") ─ r (router) ─ s (server)
#   10.0.2.15          198.51.100.1          .2 │ 203.0.113.1      203.0.113.2

source "$(dirname "$0")/lib.sh"
TCPU=$UNAT_TOP/selftests/tcp_util.py
SERVER=203.0.113.2

# A deterministic pseudo-random stream of $1 bytes (AES-CTR of zeros).
GEN="openssl enc -aes-128-ctr -K 756e6174756e6174756e6174756e6174 -iv 0 -in /dev/zero 2>/dev/null | head -c"

gen_sum()
{
	sh -c "$GEN $1" | sha256sum | cut -d' ' -f1
}

# upload SIZE [PORT [PAUSE]]: the guest sends SIZE bytes to the server,
# which starts reading after PAUSE seconds; sums compared.
upload()
{
	local size=$1 port=${2:-5001} pause=${3:-0} want got out
	out=$(mktemp -d)
	ip netns exec "$s" socat -u TCP-LISTEN:$port,reuseaddr \
		SYSTEM:"sleep $pause; sha256sum >$out/sum" >/dev/null 2>&1 &
	wait_for 10 tcp_bound "$s" $port || return 1
	want=$(gen_sum "$size")
	nsx "$g" timeout 600 sh -c "$GEN $size | socat -u - TCP:$SERVER:$port" ||
		{ fail "upload of $size bytes failed"; return 1; }
	wait_for $((20 + 2 * pause)) test -s "$out/sum"
	got=$(cut -d' ' -f1 "$out/sum")
	rm -rf "$out"
	expect_eq "sha256 of $size bytes up" "$got" "$want"
}

# download SIZE: the server sends SIZE bytes to the guest; sums compared.
download()
{
	local size=$1 want got
	ip netns exec "$s" socat -U TCP-LISTEN:5002,reuseaddr \
		SYSTEM:"$GEN $size" >/dev/null 2>&1 &
	wait_for 10 tcp_bound "$s" 5002 || return 1
	want=$(gen_sum "$size")
	got=$(nsx "$g" timeout 600 socat -u TCP:$SERVER:5002 - | sha256sum |
	      cut -d' ' -f1)
	expect_eq "sha256 of $size bytes down" "$got" "$want"
}

start_echo()
{
	ip netns exec "$1" "$TCPU" echo-server "$2" ${3:+--bind "$3"} \
		>/dev/null 2>&1 &
	wait_for 10 tcp_bound "$1" "$2"
}

test_small_both_ways()
{
	make_world || return 1
	upload 1024 && download 1024 && upload 1048576 && download 1048576 ||
		return 1
	[ "$(unat_stat -n "$g" unat0 tcp_syns)" -ge 4 ] ||
		fail "tcp_syns not counted"
}

# 128 MiB and 1000 connections; 8 MiB and 300 on the debug kernel, where
# KASAN makes every byte (nine times the stock cost) and every connection
# slow: the transfers there are as long as the code paths need.
LARGE=$((128 << 20)) SEQUENTIAL=1000 MTU1500=$((16 << 20)) LOSSY=$((4 << 20))
if [ $UNAT_DEBUG_KERNEL = 1 ]; then
	LARGE=$((8 << 20)) SEQUENTIAL=300 MTU1500=$((4 << 20)) LOSSY=$((2 << 20))
fi

test_large_both_ways()
{
	make_world || return 1
	echo "$LARGE bytes each way"
	upload $LARGE && download $LARGE
}

rx_stat()
{
	ip netns exec "$g" cat /sys/class/net/unat0/statistics/$1
}

# At MTU 1500 the guest still gets super-frames: frames larger than its MTU
# on average while it downloads (the uploads' ACKs excluded).
test_mtu1500_superframes()
{
	local b0 p0 bytes pkts
	make_world mtu 1500 || return 1
	ip -n "$g" link show unat0 | grep -q "mtu 1500 " ||
		{ fail "guest MTU is not 1500"; return 1; }
	upload $MTU1500 || return 1
	b0=$(rx_stat rx_bytes) p0=$(rx_stat rx_packets)
	download $MTU1500 || return 1
	bytes=$(($(rx_stat rx_bytes) - b0)) pkts=$(($(rx_stat rx_packets) - p0))
	echo "download: $bytes bytes in $pkts frames to the guest"
	[ $((bytes / pkts)) -gt 1514 ] ||
		fail "no GSO super-frames toward the guest"
}

# 3% of the frames lost each way (netem on the guest's egress, and on its
# ingress through ifb): out-of-order segments, duplicate ACKs and timeouts
# on both sides, and still byte-exact.
test_loss_retransmit()
{
	local m
	for m in sch_netem sch_ingress ifb act_mirred cls_matchall; do
		modprobe -q $m
	done
	make_world || return 1
	nsx "$g" ip link add ifb0 type ifb || { echo "no ifb"; return 4; }
	nsx "$g" ip link set ifb0 up &&
	nsx "$g" tc qdisc add dev unat0 root netem loss 3% &&
	nsx "$g" tc qdisc add dev unat0 ingress &&
	nsx "$g" tc filter add dev unat0 parent ffff: matchall \
		action mirred egress redirect dev ifb0 &&
	nsx "$g" tc qdisc add dev ifb0 root netem loss 3% || return 1
	upload $LOSSY && download $LOSSY || return 1
	echo "retransmits to guest: $(unat_stat -n "$g" unat0 tcp_retransmits_to_guest)"
	[ "$(unat_stat -n "$g" unat0 tcp_retransmits_to_guest)" -ge 1 ] ||
		fail "unat never retransmitted"
}

# expect_refused WHAT ADDR PORT COUNTER: the guest's connect fails with
# ECONNREFUSED, and unat counted why.
expect_refused()
{
	local r
	r=$(nsx "$g" "$TCPU" connect "$2" "$3" --timeout 5)
	expect_eq "$1" "$r" ECONNREFUSED || return 1
	[ "$(unat_stat -n "$g" unat0 "$4")" -ge 1 ] || fail "$4 not counted"
}

# Readers that pause: the guest (its window closes; unat probes it and
# resumes when it opens), then the server for 5 s (the host socket's send
# buffer fills, unat's window to the guest closes, then reopens).  The
# guest pauses 95 s on the stock kernel: past the 82 s in which unat sends
# its 12 probes, which the guest answers, so the connection must live on
# (RFC 9293 3.8.6.1); 5 s on the debug kernel.
test_zero_window()
{
	local size=$((16 << 20)) pause=95 want got
	[ "$UNAT_DEBUG_KERNEL" = 1 ] && pause=5
	make_world || return 1
	want=$(gen_sum $size)
	ip netns exec "$s" socat -U TCP-LISTEN:5008,reuseaddr \
		SYSTEM:"$GEN $size" >/dev/null 2>&1 &
	wait_for 10 tcp_bound "$s" 5008 || return 1
	got=$(nsx "$g" timeout 400 sh -c \
		"socat -u TCP:$SERVER:5008 - | (sleep $pause; sha256sum)" |
	      cut -d' ' -f1)
	expect_eq "download to a guest paused $pause s" "$got" "$want" ||
		return 1
	upload $size 5009 5
}

test_refused()
{
	make_world || return 1
	expect_refused "connect to a closed port" $SERVER 9 tcp_resets_to_guest
}

test_unreachable()
{
	local r
	make_world || return 1
	r=$(nsx "$g" "$TCPU" connect 192.0.2.1 80 --timeout 10)
	expect_match "connect to an unrouted address" "$r" \
		'^(EHOSTUNREACH|ENETUNREACH)$'
}

# The guest shuts its side down first; the server answers after EOF.
test_half_close()
{
	local want got size=$((3 << 20))
	make_world || return 1
	ip netns exec "$s" socat TCP-LISTEN:5003,reuseaddr SYSTEM:sha256sum \
		>/dev/null 2>&1 &
	wait_for 10 tcp_bound "$s" 5003 || return 1
	want=$(gen_sum $size)
	got=$(nsx "$g" timeout 60 sh -c \
		"$GEN $size | socat -t 30 - TCP:$SERVER:5003" | cut -d' ' -f1)
	expect_eq "answer after the guest's FIN" "$got" "$want"
}

test_sequential_1000()
{
	make_world || return 1
	start_echo "$s" 5004 || return 1
	nsx "$g" timeout 600 "$TCPU" sequential $SERVER 5004 $SEQUENTIAL
}

test_parallel_200()
{
	make_world || return 1
	start_echo "$s" 5004 || return 1
	nsx "$g" timeout 300 "$TCPU" parallel $SERVER 5004 200 || return 1
	[ "$(unat_stat -n "$g" unat0 drop_tcp_backlog)" = 0 ] ||
		echo "note: backlog drops"
}

iperf_sum()
{
	python3 -c 'import json,sys; d=json.load(sys.stdin)
print(int(d["end"]["sum_received"]["bytes"]))'
}

test_iperf3_parallel()
{
	local up down
	make_world || return 1
	ip netns exec "$s" iperf3 -s -p 5201 >/dev/null 2>&1 &
	wait_for 10 tcp_bound "$s" 5201 || return 1
	up=$(nsx "$g" timeout 60 iperf3 -c $SERVER -p 5201 -P 4 -t 3 -J |
	     iperf_sum) || return 1
	down=$(nsx "$g" timeout 60 iperf3 -c $SERVER -p 5201 -P 4 -t 3 -R -J |
	       iperf_sum) || return 1
	echo "iperf3 -P 4: $up bytes up, $down bytes down"
	[ "$up" -gt 100000 ] && [ "$down" -gt 100000 ] ||
		fail "iperf3 moved too little"
}

# The gateway address is the host's loopback; with hostloop off it is not.
test_hostloop()
{
	make_world || return 1
	start_echo "$c" 5005 127.0.0.1 || return 1
	nsx "$g" "$TCPU" sequential 10.0.2.2 5005 3 || return 1
	sleep 10 | nsx "$g" socat - TCP:10.0.2.2:5005 >/dev/null 2>&1 &
	wait_for 10 sh -c "ip netns exec $g $UNAT flows unat0 | grep -Eq 'tcp +host +estab .*10\.0\.2\.2:5005'" ||
		{ fail "no host flow in unat flows"; return 1; }
	nsx "$g" "$UNAT" set unat0 hostloop off || return 1
	expect_refused "gateway with hostloop off" 10.0.2.2 5005 \
		drop_not_for_gateway
}

test_restrict()
{
	make_world restrict on || return 1
	start_echo "$s" 5004 || return 1
	expect_refused "connect with restrict on" $SERVER 5004 drop_restricted
}

# idle_connection PORT SECONDS: a guest connection to the server that
# carries nothing for SECONDS, its host socket established in $c.
idle_connection()
{
	ip netns exec "$s" socat -U TCP-LISTEN:$1,reuseaddr SYSTEM:"sleep $2" \
		>/dev/null 2>&1 &
	wait_for 10 tcp_bound "$s" $1 || return 1
	nsx "$g" socat -u TCP:$SERVER:$1 - >/dev/null 2>&1 &
	wait_for 10 sh -c "ip netns exec $c ss -Htn state established | grep -q $SERVER:$1" ||
		fail "no host socket in ss"
}

# The host socket shows in ss in the creating netns, the flow in unat flows.
test_visible()
{
	local flows
	make_world || return 1
	idle_connection 5006 5 || return 1
	flows=$(nsx "$g" "$UNAT" flows unat0)
	echo "$flows"
	expect_match "unat flows" "$flows" "tcp +nat +estab +10\.0\.2\.15:[0-9]+ .*$SERVER:5006"
}

# An established connection idle past tcp-timeout is reset on both sides.
test_idle_timeout()
{
	local r
	make_world || return 1
	nsx "$g" "$UNAT" set unat0 tcp-timeout 10 || return 1
	idle_connection 5007 60 || return 1
	# 10 s idle, then the reaper's next pass
	wait_for 20 sh -c "! ip netns exec $c ss -Htan | grep -q $SERVER:5007" ||
		{ fail "host socket still there"; return 1; }
	r=$(nsx "$g" ss -Htn state established "dport = :5007")
	expect_eq "guest connection after the reset" "$r" ""
}

# Deleting unat0 mid-transfer resets both sides and leaves no socket.
test_delete_during_transfer()
{
	make_world || return 1
	ip netns exec "$s" socat -U TCP-LISTEN:5002,reuseaddr \
		SYSTEM:"$GEN $((1 << 30))" >/dev/null 2>&1 &
	wait_for 10 tcp_bound "$s" 5002 || return 1
	nsx "$g" timeout 120 socat -u TCP:$SERVER:5002 - >/dev/null 2>&1 &
	wait_for 10 sh -c "ip netns exec $c ss -Htn | grep -q $SERVER:5002" ||
		return 1
	sleep 1
	ip -n "$g" link del unat0 || return 1
	wait_for 10 sh -c "! ip netns exec $c ss -Htan | grep -q $SERVER:5002" ||
		{ ip netns exec "$c" ss -tan; fail "host socket left behind"; }
}

# The creating netns goes away under a live connection: the guest's side is
# reset, the device stays and answers DHCP.
test_creating_netns_deleted()
{
	make_world || return 1
	idle_connection 5010 60 || return 1
	ip netns del "$c" || return 1
	wait_for 10 sh -c "[ -z \"\$(ip netns exec $g ss -Htn state established 'dport = :5010')\" ]" ||
		{ fail "guest connection not reset"; return 1; }
	[ "$(unat_stat -n "$g" unat0 tcp_resets_to_guest)" -ge 1 ] ||
		{ fail "reset not counted"; return 1; }
	nsx "$g" ping -c 1 -W 5 10.0.2.2 >/dev/null || fail "device dead"
}

ktap_plan 17
unat_load || exit 1
ktap_case "1 KiB and 1 MiB both ways, byte-exact" test_small_both_ways
ktap_case "128 MiB both ways, byte-exact (8 MiB on debug)" \
	test_large_both_ways
ktap_case "MTU 1500: byte-exact, GSO super-frames to the guest" \
	test_mtu1500_superframes
ktap_case "3% loss: retransmission both ways, byte-exact" test_loss_retransmit
ktap_case "zero windows: guest paused 95 s (5 s on debug), server 5 s" \
	test_zero_window
ktap_case "closed port: ECONNREFUSED in the guest" test_refused
ktap_case "unrouted address: unreachable in the guest" test_unreachable
ktap_case "half-close: answer after the guest's FIN" test_half_close
ktap_case "1000 sequential connections (300 on debug)" test_sequential_1000
ktap_case "200 concurrent connections" test_parallel_200
ktap_case "iperf3 -P 4 both directions" test_iperf3_parallel
ktap_case "gateway address reaches the host's loopback; hostloop off" \
	test_hostloop
ktap_case "restrict on refuses connections" test_restrict
ktap_case "host socket in ss, flow in unat flows" test_visible
ktap_case "idle past tcp-timeout: reset on both sides" test_idle_timeout
ktap_case "creating netns deleted under a connection: guest reset" \
	test_creating_netns_deleted
ktap_case "device deleted mid-transfer: nothing left" \
	test_delete_during_transfer
ktap_finish
