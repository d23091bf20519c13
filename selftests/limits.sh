#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Floods that per-device limits hold: a SYN flood into a black hole fills
# the connect limit, never the flow table, and a download started during
# it completes; a UDP source-port storm takes at most the port share of
# the host's ip_local_port_range, and host applications still bind.
#
#   g (guest) ─unat0─ c (creating netns, "host") ─ r (router) ─ s (server)
#   10.0.2.15          198.51.100.1          .2 │ 203.0.113.1      203.0.113.2
#                                               └ 192.0.2.0/24: black hole

source "$(dirname "$0")/lib.sh"

# figures: what a flood left, as diagnostics.
figures()
{
	echo "flows $(dev_field flow_count), connecting $(dev_field connect_count), ports $(dev_field port_count) of $(dev_field port_cap)"
	nsx "$c" ss -s | sed -n '1,2p'
	grep -E '^Slab:' /proc/meminfo
	nsx "$g" ethtool -S unat0 |
		awk '/drop_|evicted/ && $2 > 0 { printf "%s %s  ", $1, $2 }'
	echo
}

# A guest SYN flood (hping3, a new source port per SYN) into a black hole
# behind the router, with the connect limit at 128: connects in progress
# never pass it, nor flows the flow limit; the oldest half-open connects
# are evicted; a 16 MiB download that connects during the flood is
# byte-exact; once the flood stops, no half-open connect is left long
# before the host's own SYN retries (127 s) would have given up.
test_syn_flood()
{
	local file got pid dl i max_conn=0 max_flows=0 n f t0

	file=$(mktemp) && got=$(mktemp) || return 1

	make_world || return 1
	ip -n "$r" route add blackhole 192.0.2.0/24 || return 1
	nsx "$g" "$UNAT" set unat0 connect-limit 128 flow-limit 4096 || return 1
	head -c 16M /dev/urandom >"$file"
	nsx "$s" socat -u OPEN:"$file" TCP-LISTEN:8080,reuseaddr &
	wait_for 10 tcp_bound "$s" 8080 || return 1

	nsx "$g" hping3 -q -S -p 80 -s 20000 -i u1000 -c 20000 192.0.2.1 \
		>/dev/null 2>&1 &
	pid=$!
	t0=$SECONDS
	sleep 3
	nsx "$g" timeout 300 socat -u TCP:203.0.113.2:8080,connect-timeout=60 \
		CREATE:"$got" &
	dl=$!
	wait_for 120 sh -c "ip netns exec $g ss -Htn state established dport = :8080 | grep -q ." ||
		fail "the download did not connect" || return 1
	kill -0 $pid 2>/dev/null ||
		fail "the flood ended before the download connected" || return 1
	echo "the download connected during the flood, after $((SECONDS - t0)) s"
	for ((i = 0; i < 10; i++)); do
		n=$(dev_field connect_count)
		f=$(dev_field flow_count)
		[ "${n:-0}" -gt $max_conn ] && max_conn=$n
		[ "${f:-0}" -gt $max_flows ] && max_flows=$f
		sleep 1
	done
	kill_tree $pid		# hping3 itself, not only nsx's subshell
	wait $pid 2>/dev/null
	echo "during the flood ($((SECONDS - t0)) s, $(unat_stat -n "$g" unat0 tcp_connects_evicted) evicted): connecting at most $max_conn, flows at most $max_flows, $(stat -c %s "$got") bytes downloaded"
	figures
	wait $dl || fail "the download failed" || return 1
	echo "download done after $((SECONDS - t0)) s"
	cmp -s "$file" "$got" || fail "the download is not byte-exact" ||
		return 1
	[ "$max_conn" -le 128 ] ||
		fail "$max_conn connects in progress, limit 128" || return 1
	[ "$max_flows" -le 4096 ] ||
		fail "$max_flows flows, limit 4096" || return 1
	n=$(unat_stat -n "$g" unat0 tcp_connects_evicted)
	[ "${n:-0}" -gt 0 ] || fail "the flood evicted no connect" || return 1
	# host connects give up after 31 s (4 SYN retries), evicted ones at once
	wait_for 100 sh -c "[ \$(ip netns exec $c ss -Htn state syn-sent | wc -l) = 0 ]" ||
		fail "half-open host connects left: $(nsx "$c" ss -Htn state syn-sent | wc -l)" ||
		return 1
	wait_for 10 dev_field_is connect_count 0 ||
		fail "connects still counted: $(dev_field connect_count)" || return 1
	figures
}

# bind_many NS N: bind(0) N UDP sockets and connect() one more in NS, as a
# host application would; prints how many bound.
bind_many()
{
	nsx "$1" python3 -c '
import socket, sys
n, socks = 0, []
for _ in range(int(sys.argv[1])):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.bind(("0.0.0.0", 0))
        n += 1
    except OSError:
        break
    socks.append(s)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    u.connect(("203.0.113.2", 9))
except OSError:
    n = -1
print(n)' "$2"
}

# storm BASE: 2000 UDP datagrams from the guest, a new source port each.
storm()
{
	nsx "$g" hping3 -q --udp -p 9 -s "$1" -c 2000 -i u500 203.0.113.2 \
		>/dev/null 2>&1
}

# A UDP source-port storm with the host's range cut to 1000 ports and the
# port share at 50 %: unat's flows hold at most 500 ports, the rest are
# dropped and counted, and a host application binds 400 sockets during
# the storm.  With the share at 100 % the same storm takes every port and
# the application's bind fails: the share is what keeps it working.
test_udp_port_storm()
{
	local cap n pid

	make_world || return 1
	nsx "$c" sysctl -qw net.ipv4.ip_local_port_range="40000 40999" ||
		return 1
	nsx "$g" "$UNAT" set unat0 port-share 50 || return 1
	cap=$(dev_field port_cap)
	expect_eq "port cap" "$cap" 500 || return 1
	nsx "$g" "$UNAT" show unat0 | grep -E 'port-share'
	storm 10000 &
	pid=$!
	sleep 1
	n=$(bind_many "$c" 400)
	wait $pid
	figures
	expect_eq "host sockets bound during the storm" "$n" 400 || return 1
	n=$(dev_field port_count)
	[ "$n" -le 500 ] || fail "$n ports held, share 500" || return 1
	[ "$n" -ge 400 ] || fail "only $n ports held: the storm fell short" ||
		return 1
	n=$(unat_stat -n "$g" unat0 drop_port_share)
	[ "${n:-0}" -gt 0 ] || fail "no datagram dropped for the share" ||
		return 1
	n=$(nsx "$c" ss -Hun | wc -l)
	echo "host UDP sockets: $n"

	# the same storm with no share to speak of exhausts the range
	nsx "$g" "$UNAT" set unat0 port-share 100 || return 1
	storm 30000
	figures
	n=$(bind_many "$c" 1)
	[ "$n" -le 0 ] ||
		fail "the host still bound with the share at 100 %: the test proves nothing" ||
		return 1
}

unat_load || exit 1
ktap_plan 2
ktap_case "SYN flood into a black hole: connect limit, download completes" \
	test_syn_flood
ktap_case "UDP source-port storm: the port share holds, the host binds" \
	test_udp_port_storm
ktap_finish
