#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Floods from a hostile guest, each while legitimate traffic runs: DNS
# queries for random names, first fragments that never complete (IPv4 and
# IPv6), echo requests with many identifiers, ARP, NDP and DHCP from a new
# identity every frame, spoofed sources, and large datagrams into flows
# whose sockets are still opening.  Each asserts the bound that
# docs/design.md ("Threat model", "Floods") documents, and prints what the
# flood cost: flows (peak and after), host sockets in the creating netns,
# slab growth, and the guest frames dropped by reason.
#
#   g (guest) ─unat0─ c (creating netns) ─ r ─ s (server 203.0.113.2)
#
# UNAT_HOSTILE_SCALE=N multiplies every flood (default 1; the debug kernel
# sends a quarter).  SYN floods and UDP source-port storms: limits.sh.

source "$(dirname "$0")/lib.sh"
FRAMES=${FRAMES:-$UNAT_TOP/tools/frames/unat-frames}
ECHO=$UNAT_TOP/selftests/udp_echo.py
SCALE=${UNAT_HOSTILE_SCALE:-1}

# n BASE: how many frames a flood of BASE frames sends here.
n()
{
	local v=$(($1 * SCALE))
	[ $UNAT_DEBUG_KERNEL = 1 ] && v=$((v / 4))
	echo $((v > 0 ? v : 1))
}

# stat_delta NAME: how much counter NAME grew since snap.
stat_delta()
{
	echo $(( $(unat_stat -n "$g" unat0 "$1") -
		 $(awk -v k="$1" '$1 == k { print $2 }' "$SNAP_COUNTERS") ))
}

slab_kb() { awk '$1 == "Slab:" { print $2 }' /proc/meminfo; }
# host sockets in the creating netns: "udp N raw N tcp N" (ss -s)
host_sockets()
{
	nsx "$c" ss -s | awk '$1 == "UDP" { u = $2 } $1 == "RAW" { r = $2 }
		$1 == "TCP:" { t = $2 } END { printf "udp %d raw %d tcp %d", u, r, t }'
}
# frag_mem NS: bytes reassembly holds in NS over IPv4 and IPv6 (sockstat)
frag_mem()
{
	nsx "$1" awk '$1 == "FRAG:" || $1 == "FRAG6:" { printf "%s ", $5 }' \
		/proc/net/sockstat /proc/net/sockstat6
}

# send ARGS...: unat-frames from the guest, to the gateway's MAC.
send() { nsx "$g" "$FRAMES" --gw-mac "$GWMAC" "$@"; }

# flood ARGS...: send, its summary line printed.
flood()
{
	local out
	out=$(send "$@") || { echo "$out"; fail "unat-frames $*"; return 1; }
	echo "$out" | tail -1
}

hostile_world()
{
	make_world "$@" || return 1
	# an IPv6 route out of the creating netns: a flow whose first packet
	# the host cannot route goes at once, and these floods must stay
	ip -n "$c" -batch - <<-EOF || return 1
		addr add 2001:db8:c::1/64 dev veth-c nodad
		route add default via 2001:db8:c::2
	EOF
	GWMAC=$(gw_mac "$g")
	[ -n "$GWMAC" ] || { fail "no gateway MAC"; return 1; }
	DMESG_START=$(dmesg_mark)
	SNAP_COUNTERS=$(mktemp) MON=$(mktemp)
}

# snap: counters and slab before a flood.
snap()
{
	counters >"$SNAP_COUNTERS"
	SNAP_SLAB=$(slab_kb)
	SNAP_FLOWS=$(flows)
}

# sample: one line of what monitor_start watches.
sample()
{
	echo "$(flows) $(slab_kb) $(host_sockets) $(frag_mem "$g")$(dev_field queue_bytes)"
}

# monitor_start / monitor_stop: sample flows, slab, host sockets,
# reassembly memory and the frames unat0 holds every 0.3 s while a flood
# runs.
monitor_start()
{
	: >"$MON"
	(
		while :; do
			sample
			sleep 0.3
		done
	) >>"$MON" 2>/dev/null &
	MON_PID=$!
}

monitor_stop()
{
	kill "$MON_PID" 2>/dev/null
	wait "$MON_PID" 2>/dev/null
	sample >>"$MON"
	# columns: flows slab udp N raw N tcp N frag4 frag6 queued
	# (no process substitution: the VM has no /dev/fd)
	read -r PEAK_FLOWS PEAK_SLAB PEAK_UDP PEAK_RAW PEAK_TCP PEAK_FRAG4 \
		PEAK_FRAG6 PEAK_QUEUED <<<"$(awk '
		function m(i, v) { if ($v + 0 > p[i]) p[i] = $v + 0 }
		{ m(1, 1); m(2, 2); m(3, 4); m(4, 6); m(5, 8); m(6, 9); m(7, 10)
		  m(8, 11) }
		END { print p[1] + 0, p[2] + 0, p[3] + 0, p[4] + 0, p[5] + 0,
			    p[6] + 0, p[7] + 0, p[8] + 0 }' "$MON")"
}

# report WHAT: the diagnostics of one flood.
report()
{
	local after
	after=$(mktemp)
	counters >"$after"
	echo "$1: flows $SNAP_FLOWS before, peak $PEAK_FLOWS, now $(flows)"
	echo "$1: host sockets in c at peak: udp $PEAK_UDP raw $PEAK_RAW tcp $PEAK_TCP; now: $(host_sockets)"
	echo "$1: $(nsx "$c" ss -s | tr -s ' \n' ' ')"
	echo "$1: slab +$((PEAK_SLAB - SNAP_SLAB)) kB at peak, +$(( $(slab_kb) - SNAP_SLAB )) kB now"
	echo "$1: counters: $(delta "$SNAP_COUNTERS" "$after")"
	rm -f "$after"
}

# still_fine: no splat, the guest's address answers ping and carries TCP.
still_fine()
{
	no_splat_since "$DMESG_START" || return 1
	nsx "$g" ping -c 2 -W 5 203.0.113.2 >/dev/null ||
		{ fail "ping after the flood"; return 1; }
	upload_ok 300000 "TCP upload after the flood"
}

# udp_snmp NS FIELD: a Udp: counter of NS's /proc/net/snmp.
udp_snmp()
{
	nsx "$1" awk -v f="$2" '$1 == "Udp:" && !h { for (i = 2; i <= NF; i++) k[i] = $i; h = 1; next }
		$1 == "Udp:" { for (i = 2; i <= NF; i++) if (k[i] == f) print $i }' /proc/net/snmp
}

# DNS queries for random names, from random source ports, toward the DNS
# address, with dnsmasq as the upstream in s: every query the guest got in
# went upstream exactly once (UDP datagrams the creating netns sent, and
# that s received), DNS flows stayed within flow_limit, and a legitimate
# dig during the storm had its answer.
test_dns_storm()
{
	local count limit=2048 out recv4 sent_c q dig_out
	count=$(n 10000)
	hostile_world || return 1
	start_dnsmasq "$s" 203.0.113.2 test.example/203.0.113.2 || return 1
	nsx "$g" "$UNAT" set unat0 dns 203.0.113.2 &&
	nsx "$g" "$UNAT" set unat0 flow-limit $limit || return 1
	expect_eq "warm-up answer" "$(nsx "$g" dig +short +time=5 +tries=2 \
		@10.0.2.3 test.example)" 203.0.113.2 || return 1
	sleep 1.5		# the warm-up's flow goes
	sent_c=$(udp_snmp "$c" OutDatagrams)
	recv4=$(( $(udp_snmp "$s" InDatagrams) + $(udp_snmp "$s" InErrors) ))
	snap
	monitor_start
	send unat0 flood dns "$count" >"$MON.out" 2>&1 &
	out=$!
	sleep 0.3
	# a try that timed out under the storm prints ";;" and dig tries again
	dig_out=$(nsx "$g" dig +short +time=3 +tries=3 @10.0.2.3 test.example | grep -v "^;;")
	wait $out || { cat "$MON.out"; fail "unat-frames flood dns"; return 1; }
	sleep 1
	monitor_stop
	tail -1 "$MON.out"
	# every DNS flow is gone 1 s after its answer, 10 s without one
	wait_for 15 dev_field_is flow_count 0
	report "dns storm"
	q=$(stat_delta dns_queries)
	sent_c=$(( $(udp_snmp "$c" OutDatagrams) - sent_c ))
	recv4=$(( $(udp_snmp "$s" InDatagrams) + $(udp_snmp "$s" InErrors) - recv4 ))
	echo "dns storm: $count sent, $q queries forwarded, $sent_c datagrams left c, $recv4 reached s," \
		"drop_flow_limit $(stat_delta drop_flow_limit), drop_flow_busy $(stat_delta drop_flow_busy)"
	expect_eq "legitimate dig during the storm" "$dig_out" 203.0.113.2 &&
	expect_eq "datagrams upstream per query forwarded" "$sent_c" "$q" &&
	expect_eq "queries that reached the upstream" "$recv4" "$q" || return 1
	[ "$PEAK_FLOWS" -le $limit ] ||
		{ fail "$PEAK_FLOWS flows past flow_limit $limit"; return 1; }
	[ "$PEAK_UDP" -le $((limit + 8)) ] ||
		{ fail "$PEAK_UDP UDP sockets in c past flow_limit $limit"; return 1; }
	# a tenth, or a full table's worth: at make stress's size the storm
	# outruns the flows' turnover and the rest is drop_flow_limit
	[ "$q" -ge $((count / 10 < limit ? count / 10 : limit)) ] ||
		{ fail "only $q queries forwarded"; return 1; }
	[ $((q + $(stat_delta drop_flow_limit) + $(stat_delta drop_flow_busy))) -ge "$count" ] ||
		{ fail "queries neither forwarded nor counted"; return 1; }
	still_fine
}

# sysctl_or NS NAME: a sysctl of NS, or "-" if it has none.
sysctl_or() { nsx "$1" sysctl -n "$2" 2>/dev/null || echo -; }

# legit_frag: a 4000-byte datagram, in three fragments at MTU 1500, echoed.
legit_frag()
{
	nsx "$g" "$ECHO" client 203.0.113.2 7777 4000 >/dev/null 2>&1
}

# First fragments only, random ids, IPv4 then IPv6, from the guest: what
# reassembly holds stays within the limits of unat0's netns (the guest's
# here; the host's for a VM), and once they time out a fragmented datagram
# passes again.  The timeouts are shortened to 5 s in that netns.
test_frag_storm()
{
	local count hi4 hi6 during tries
	count=$(n 10000)
	hostile_world mtu 1500 || return 1
	nsx "$g" sysctl -qw net.ipv4.ipfrag_time=5 || return 1
	nsx "$g" sysctl -qw net.netfilter.nf_conntrack_frag6_timeout=5 2>/dev/null
	hi4=$(sysctl_or "$g" net.ipv4.ipfrag_high_thresh)
	hi6=$(sysctl_or "$g" net.netfilter.nf_conntrack_frag6_high_thresh)
	echo "netns of unat0: ipfrag_high_thresh $hi4, nf_conntrack_frag6_high_thresh $hi6," \
		"ip6frag_high_thresh $(sysctl_or "$g" net.ipv6.ip6frag_high_thresh)"
	ip netns exec "$s" "$ECHO" server 7777 >/dev/null 2>&1 &
	wait_for 10 udp_bound "$s" 7777 || return 1
	legit_frag || { fail "4000-byte datagram before the storm"; return 1; }
	snap
	monitor_start
	flood unat0 flood frag4 "$count" || return 1
	legit_frag && during=passed || during=lost
	echo "frag storm: 4000-byte datagram right after the IPv4 storm: $during"
	flood unat0 flood frag6 "$count" || return 1
	monitor_stop
	report "frag storm"
	echo "frag storm: reassembly memory in unat0's netns at peak: IPv4 $PEAK_FRAG4 (sockstat FRAG)," \
		"IPv6 $PEAK_FRAG6 (sockstat6 FRAG6: not the netfilter reassembly unat uses)"
	echo "frag storm: fragments_held +$(stat_delta fragments_held), drop_fragment +$(stat_delta drop_fragment)"
	[ "$PEAK_FRAG4" -le $((hi4 + 65536)) ] ||
		{ fail "IPv4 reassembly holds $PEAK_FRAG4 bytes, past $hi4"; return 1; }
	# IPv4 fragments refused by ip_defrag() are in both counters
	[ $(( $(stat_delta fragments_held) + $(stat_delta drop_fragment) )) -ge $((2 * count)) ] ||
		{ fail "fragments neither held nor counted"; return 1; }
	# the storm's queues time out; then a datagram in fragments passes
	for ((tries = 0; tries < 30; tries++)); do
		legit_frag && break
		sleep 1
	done
	[ $tries -lt 30 ] || { fail "no fragmented datagram after the storm"; return 1; }
	echo "frag storm: a 4000-byte datagram passed again after $tries tries, 1 s apart"
	echo "frag storm: reassembly memory now: $(frag_mem "$g")"
	still_fine
}

# raw_sockets NS: the raw ICMP and ICMPv6 sockets in NS.
raw_sockets() { nsx "$1" ss -Hwa | wc -l; }

# Echo requests with every identifier, over IPv4 and IPv6, while the guest
# pings: echo flows stop at flow_limit (the rest counted), the host holds
# one raw socket per family, and the ping's own flow keeps its replies.
test_icmp_storm()
{
	local count limit=2048 pid got
	count=$(n 8000)
	[ "$count" -gt 65535 ] && count=65535
	hostile_world || return 1
	nsx "$g" "$UNAT" set unat0 flow-limit $limit || return 1
	nsx "$g" ping -c 2 -W 5 203.0.113.2 >/dev/null || { fail "ping before"; return 1; }
	ip netns exec "$g" ping -i 0.2 -W 5 203.0.113.2 >"$MON.ping" 2>&1 &
	pid=$!
	sleep 1
	snap
	monitor_start
	send unat0 echo4 "$count" || { fail "echo4 storm"; return 1; }
	send unat0 echo6 "$count" || { fail "echo6 storm"; return 1; }
	: >"$MON.ping"		# replies from here on
	sleep 2
	monitor_stop
	kill -INT $pid; wait $pid
	got=$(grep -c 'bytes from' "$MON.ping")
	report "icmp storm"
	echo "icmp storm: $((2 * count)) echo requests, drop_flow_limit +$(stat_delta drop_flow_limit)," \
		"raw sockets in c $(raw_sockets "$c"), the ping's replies after the storm: $got"
	[ "$PEAK_FLOWS" -le $limit ] ||
		{ fail "$PEAK_FLOWS flows past flow_limit $limit"; return 1; }
	[ "$(raw_sockets "$c")" -le 2 ] || { fail "more than 2 raw sockets"; return 1; }
	# every echo went out through a flow or was counted as refused;
	# echo flows idle out after 60 s, so on a slow kernel more than
	# flow_limit of them may have had a flow in turn
	[ "$(stat_delta drop_flow_limit)" -gt 0 ] &&
	[ $(($(stat_delta drop_flow_limit) + $(stat_delta icmp_out))) -ge \
	   $((2 * count)) ] ||
		{ fail "refused echo flows not counted"; return 1; }
	[ "$got" -ge 3 ] || { fail "the ping's flow lost its replies"; return 1; }
	# new flows need room: as the echo flows idle out (60 s), or
	nsx "$g" "$UNAT" set unat0 flow-limit 16384 || return 1
	still_fine
}

# ARP, NDP (NS and RS) and DHCP (DISCOVER, REQUEST) from a new MAC,
# address, chaddr and client identifier every frame: each is answered or
# refused and counted, none opens a flow or grows state (the one lease
# stays the guest's), and the guest's address still works.
test_l2_storm()
{
	local count env ip
	count=$(n 5000)
	hostile_world || return 1
	snap
	monitor_start
	flood unat0 flood arp "$count" && flood unat0 flood ndp "$count" &&
	flood unat0 flood dhcp "$count" || return 1
	monitor_stop
	report "arp/ndp/dhcp storm"
	# the last frame's MAC is learned, as the guest's own would be: the
	# guest's own frames (ARP, DHCP, TCP, UDP, NDP) take it back
	expect_eq "arp_replies" "$(stat_delta arp_replies)" "$count" &&
	expect_eq "DISCOVERs refused: the address is leased" \
		"$(stat_delta drop_dhcp_no_address)" $(((count + 1) / 2)) &&
	expect_eq "REQUESTs for the guest's address refused" \
		"$(stat_delta dhcp_naks)" $((count / 2)) &&
	expect_eq "leases given" "$(stat_delta dhcp_acks)" 0 &&
	expect_eq "flows" "$PEAK_FLOWS" "$SNAP_FLOWS" || return 1
	env=$(mktemp)
	guest_dhcp "$env" >/dev/null
	ip=$(sed -n 's/^ip=//p' "$env")
	expect_eq "the guest's lease after the storm" "$ip" 10.0.2.15 &&
	expect_eq "ACKs: the guest's renewal only" "$(stat_delta dhcp_acks)" 1 ||
		return 1
	still_fine
}

# Frames from another IPv4 source, another IPv6 source, a multicast MAC,
# and a foreign MAC with a foreign address: dropped and counted before
# any flow, and none reaches the client of a UDP forward, not even those
# aimed at its tuple.
test_spoof()
{
	local count out cli port ok
	count=$(n 2000)
	hostile_world fwd udp:5007:7 || return 1
	ip netns exec "$g" "$ECHO" server 7 >/dev/null 2>&1 &
	wait_for 10 udp_bound "$g" 7 || return 1
	# a client in s: one datagram through the forward, its echo, then
	# every datagram that comes to its port for 4 s
	out=$(mktemp)
	ip netns exec "$s" python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("203.0.113.2", 40500))
s.settimeout(5)
s.sendto(b"hello", ("198.51.100.1", 5007))
print("echo", s.recvfrom(100)[0].decode(), flush=True)
end = time.time() + 4
n = 0
while time.time() < end:
    s.settimeout(max(end - time.time(), 0.01))
    try:
        s.recvfrom(100)
        n += 1
    except socket.timeout:
        pass
print("more", n, flush=True)
' >"$out" 2>&1 &
	cli=$!
	wait_for 10 grep -q echo "$out" || { cat "$out"; fail "no echo through the forward"; return 1; }
	snap
	monitor_start
	# toward the forward's client tuple, from the guest's port 7
	flood --src4 10.0.2.99 --sport 7 --dport 40500 unat0 flood udp4 "$count" &&
	flood --src6 fd00:bad::15 --sport 7 --dport 40500 \
		unat0 flood udp6 "$count" &&
	flood --src-mac 03:00:00:00:00:15 --sport 7 --dport 40500 \
		unat0 flood udp4 "$count" &&
	# a NAT flow's remote, from a spoofed source
	flood --src4 10.0.2.99 unat0 flood udp4 "$count" &&
	# last, so that nothing of the guest's teaches its MAC back before
	# the ping below: a foreign MAC with a foreign address
	flood --src-mac 02:00:00:00:be:ef --src4 10.0.2.98 --sport 7 \
		--dport 40500 unat0 flood udp4 "$count" || return 1
	monitor_stop
	# echo teaches no MAC: its replies go where the guest's MAC is
	nsx "$g" ping -c 2 -W 5 203.0.113.2 >/dev/null ||
		{ fail "the guest's MAC was taken by a spoofed frame"; return 1; }
	wait $cli
	report "spoofing"
	cat "$out"
	port=$(sed -n 's/^more //p' "$out")
	expect_eq "spoofed datagrams that reached the forward's client" "$port" 0 &&
	expect_eq "drop_bad_source" "$(stat_delta drop_bad_source)" $((5 * count)) &&
	expect_eq "flows" "$PEAK_FLOWS" "$SNAP_FLOWS" &&
	expect_eq "udp_out" "$(stat_delta udp_out)" 0 || return 1
	# the forward still carries the real client
	ok=$(ip netns exec "$s" "$ECHO" client 198.51.100.1 5007 100 >/dev/null && echo ok)
	expect_eq "the forward after the spoofing" "$ok" ok && still_fine
}

# Datagrams of 60000 bytes, each from a new source port and so a new
# flow, in bursts that come faster than their sockets open (netem on the
# guest's egress lets them out a slot at a time, each burst in one softirq
# run), while a TCP upload runs: what unat0 holds for its flows stays
# within its queue limit (the rest counted as drop_queue_limit), every
# byte of it is given back, and the upload, whose segments share the
# budget, completes byte-exact.
test_queue_flood()
{
	local count limit=$((256 << 10)) pid held peak
	count=$(n 1500)
	modprobe -q sch_netem
	hostile_world || return 1
	nsx "$g" "$UNAT" set unat0 queue-limit 256K udp-timeout 5 &&
	nsx "$g" tc qdisc add dev unat0 root netem slot 100ms 100ms || return 1
	snap
	monitor_start
	send unat0 flood udp4 "$count" --payload 60000 --dport 9 \
		>"$MON.out" 2>&1 &
	pid=$!
	upload_ok 1000000 "TCP upload during the flood" ||
		{ kill_tree "$pid"; monitor_stop; return 1; }
	wait "$pid" || { cat "$MON.out"; fail "unat-frames flood udp4"; return 1; }
	monitor_stop
	tail -1 "$MON.out"
	wait_for 10 dev_field_is queue_bytes 0
	held=$(dev_field queue_bytes) peak=$(dev_field queue_peak)
	report "queue flood"
	echo "queue flood: $count datagrams of 60000 bytes, udp_out $(stat_delta udp_out)," \
		"drop_queue_limit $(stat_delta drop_queue_limit), drop_flow_busy $(stat_delta drop_flow_busy);" \
		"bytes held: peak $peak of $limit ($PEAK_QUEUED in samples), $held now"
	[ "$peak" -le $limit ] && [ "$PEAK_QUEUED" -le $limit ] ||
		{ fail "$peak bytes held, past the limit $limit"; return 1; }
	[ "$(stat_delta drop_queue_limit)" -gt 0 ] ||
		{ fail "the flood never reached the queue limit"; return 1; }
	expect_eq "bytes held once the flood is over" "$held" 0 || return 1
	nsx "$g" tc qdisc del dev unat0 root &&
	nsx "$g" "$UNAT" set unat0 queue-limit 16M || return 1
	still_fine
}

ktap_plan 6
unat_load || exit 1
ktap_case "DNS storm: one upstream query each, flows bounded, dig answered" test_dns_storm
ktap_case "fragment storm: reassembly within the netns's limits" test_frag_storm
ktap_case "echo storm: flows at flow_limit, two raw sockets, ping kept" test_icmp_storm
ktap_case "ARP, NDP and DHCP storms: no state, the lease kept" test_l2_storm
ktap_case "spoofed sources dropped, counted, no flow, no forward hijack" test_spoof
ktap_case "large frames into opening flows: held within queue-limit" test_queue_flood
ktap_finish
