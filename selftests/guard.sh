#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What a hostile guest must not reach or cost the host: its loopback by
# any name but the gateway's (and not even that with hostloop off), its own
# addresses with hostloop off, DNS queries larger than a resolver takes,
# and one raw socket per echo flow.
#
#   g (guest) ─unat0─ c (creating netns, "host") ─ r (router) ─ s (server)
#   10.0.2.15          198.51.100.1          .2 │ 203.0.113.1      203.0.113.2

source "$(dirname "$0")/lib.sh"
FRAMES=${FRAMES:-$UNAT_TOP/tools/frames/unat-frames}

# serve NS ADDR PORT: a TCP and a UDP service on ADDR:PORT answering their
# name, "tcp@ADDR" or "udp@ADDR".
serve()
{
	ip netns exec "$1" socat TCP-LISTEN:$3,bind=$2,reuseaddr,fork \
		SYSTEM:"echo tcp@$2" >/dev/null 2>&1 &
	ip netns exec "$1" socat UDP-RECVFROM:$3,bind=$2,reuseaddr,fork \
		SYSTEM:"echo udp@$2" >/dev/null 2>&1 &
	wait_for 10 tcp_bound "$1" "$3" && wait_for 10 udp_bound "$1" "$3"
}

# reach PROTO ADDR PORT [SECS]: what the service there says to the guest
# within SECS (default 5).
reach()
{
	local secs=${4:-5}
	if [ "$1" = tcp ]; then
		nsx "$g" timeout "$secs" socat -T 2 - TCP:$2:$3 </dev/null \
			2>/dev/null
	else
		echo x | nsx "$g" timeout "$secs" socat -T 2 - UDP:$2:$3 \
			2>/dev/null
	fi
}

# expect_reach PROTO ADDR PORT ANSWER: the answer comes, within 20 s (a
# busy debug kernel under TCG may take more than 5 for a connect, a fork
# and an exec); expect_no PROTO ADDR PORT: nothing comes in 5 s.
expect_reach()
{
	expect_eq "$1 to $2:$3" "$(reach "$1" "$2" "$3" 20)" "$4"
}

expect_no()
{
	local got
	got=$(reach "$1" "$2" "$3")
	[ -z "$got" ] || fail "$1 to $2:$3 reached the host: '$got'"
}

# The guest routes 127.0.0.0/8 out of unat0 (route_localnet), as a VM
# controlling its own kernel can.
guest_routes_loopback()
{
	nsx "$g" sysctl -qw net.ipv4.conf.all.route_localnet=1 \
		net.ipv4.conf.unat0.route_localnet=1 &&
	ip -n "$g" link set lo down && ip -n "$g" addr flush dev lo &&
	ip -n "$g" route add 127.0.0.0/8 via 10.0.2.2 dev unat0
}

# The host's loopback by its own name is never a destination; as the
# gateway address it is the host's 127.0.0.1, with hostloop on only.
test_loopback()
{
	local p a before
	make_world || return 1
	guest_routes_loopback || return 1
	serve "$c" 127.0.0.1 7001 && serve "$c" 127.0.0.2 7002 || return 1
	expect_reach tcp 10.0.2.2 7001 tcp@127.0.0.1 &&
	expect_reach udp 10.0.2.2 7001 udp@127.0.0.1 || return 1
	before=$(unat_stat -n "$g" unat0 drop_not_for_gateway)
	for p in tcp udp; do
		expect_no $p 127.0.0.1 7001 && expect_no $p 127.0.0.2 7002 &&
		expect_no $p 127.0.0.2 7001 || return 1
	done
	for a in 127.0.0.1 127.0.0.2; do
		nsx "$g" ping -c 1 -W 2 $a >/dev/null &&
			{ fail "ping $a answered"; return 1; }
	done
	[ "$(unat_stat -n "$g" unat0 drop_not_for_gateway)" -ge $((before + 8)) ] ||
		{ fail "refusals not counted: $(unat_stat -n "$g" unat0 drop_not_for_gateway)"; return 1; }
	ip -n "$g" link set unat0 type unat hostloop off || return 1
	for p in tcp udp; do
		expect_no $p 10.0.2.2 7001 && expect_no $p 127.0.0.1 7001 &&
		expect_no $p 127.0.0.2 7002 || return 1
	done
	nsx "$g" ping -c 1 -W 2 127.0.0.1 >/dev/null &&
		{ fail "ping 127.0.0.1 answered with hostloop off"; return 1; }
	# the gateway answers echo itself, whatever hostloop says
	nsx "$g" ping -c 1 -W 5 10.0.2.2 >/dev/null || fail "no gateway echo"
}

# The host's own addresses are the host: reached with hostloop on only.
test_host_address()
{
	local before
	make_world || return 1
	serve "$c" 0.0.0.0 7005 || return 1
	expect_reach tcp 198.51.100.1 7005 tcp@0.0.0.0 &&
	expect_reach udp 198.51.100.1 7005 udp@0.0.0.0 || return 1
	ip -n "$g" link set unat0 type unat hostloop off || return 1
	before=$(unat_stat -n "$g" unat0 drop_host_refused)
	expect_no tcp 198.51.100.1 7005 && expect_no udp 198.51.100.1 7005 ||
		return 1
	nsx "$g" ping -c 1 -W 2 198.51.100.1 >/dev/null &&
		{ fail "ping of the host's address answered"; return 1; }
	[ "$(unat_stat -n "$g" unat0 drop_host_refused)" -ge $((before + 3)) ] ||
		{ fail "drop_host_refused: $(unat_stat -n "$g" unat0 drop_host_refused)"; return 1; }
	# a remote still works
	serve "$s" 0.0.0.0 7006 && expect_reach tcp 203.0.113.2 7006 tcp@0.0.0.0
}

# be16 N: two bytes, as printf escapes.
be16() { printf '\\x%02x\\x%02x' $(($1 >> 8)) $(($1 & 255)); }

# dns_query TOTAL EDNS: a query for test.example, TOTAL bytes long: with an
# OPT record advertising EDNS bytes, padded (RFC 7830), or without EDNS
# (EDNS 0) and trailing bytes.
dns_query()
{
	local total=$1 edns=$2 rd
	printf '\xab\xcd\x01\x00\x00\x01\x00\x00\x00\x00\x00'
	printf "$( [ "$edns" -gt 0 ] && echo '\x01' || echo '\x00')"
	printf '\x04test\x07example\x00\x00\x01\x00\x01'
	if [ "$edns" -gt 0 ]; then
		rd=$((total - 41))
		printf "\\x00\\x00\\x29$(be16 "$edns")\\x00\\x00\\x00\\x00$(be16 $rd)\\x00\\x0c$(be16 $((rd - 4)))"
		head -c $((rd - 4)) /dev/zero
	else
		head -c $((total - 30)) /dev/zero
	fi
}

# ask TOTAL EDNS: the size of the answer to that query, 0 for none.
ask()
{
	dns_query "$@" >"$TMP_Q"
	nsx "$g" timeout 5 socat -T 2 -b 8192 - UDP:10.0.2.3:53 <"$TMP_Q" 2>/dev/null |
		wc -c
}

# A UDP query no larger than its sender may send (512 bytes, or what its
# EDNS record advertises, at most 4096) goes upstream; a larger one is
# refused and counted, not kept.
test_dns_size()
{
	make_world || return 1
	start_dnsmasq "$c" 127.0.0.1 test.example/203.0.113.2 || return 1
	nsx "$g" "$UNAT" set unat0 dns 127.0.0.1 || return 1
	TMP_Q=$(mktemp)
	[ "$(ask 100 0)" -gt 0 ] || { fail "a plain query unanswered"; return 1; }
	[ "$(ask 1000 1232)" -gt 0 ] ||
		{ fail "a 1000-byte EDNS(1232) query unanswered"; return 1; }
	expect_eq "600 bytes without EDNS" "$(ask 600 0)" 0 &&
	expect_eq "1000 bytes with EDNS(512)" "$(ask 1000 512)" 0 &&
	expect_eq "5000 bytes with EDNS(65000)" "$(ask 5000 65000)" 0 &&
	expect_eq "drop_dns_too_large" \
		"$(unat_stat -n "$g" unat0 drop_dns_too_large)" 3
}

# raw_sockets NS: the raw ICMP and ICMPv6 sockets in NS.
raw_sockets() { ip netns exec "$1" ss -Hwa | wc -l; }

# Every echo flow of a netns shares one raw socket per family: 200 flows
# over IPv4 and 200 over IPv6 add two sockets to the host, not 400.
test_one_icmp_socket()
{
	local gwmac n6
	make_world || return 1
	# an IPv6 route for the echo6 flows (a flow the host cannot route
	# its first packet for goes at once)
	ip -n "$c" -batch - <<-EOF || return 1
		addr add $HOST6/64 dev veth-c nodad
		route add default via 2001:db8:c::2
	EOF
	gwmac=$(gw_mac "$g")
	expect_eq "raw sockets before" "$(raw_sockets "$c")" 0 || return 1
	nsx "$g" "$FRAMES" --gw-mac "$gwmac" unat0 echo4 200 &&
	nsx "$g" "$FRAMES" --gw-mac "$gwmac" unat0 echo6 200 || return 1
	wait_for 20 sh -c "[ \$(ip netns exec $g $UNAT flows unat0 | grep -c icmp) -ge 400 ]" ||
		{ fail "not 400 echo flows: $(nsx "$g" "$UNAT" flows unat0 | grep -c icmp)"; return 1; }
	expect_eq "raw sockets with 400 echo flows" "$(raw_sockets "$c")" 2 ||
		return 1
	# and pings still come back through them
	nsx "$g" ping -c 2 -W 5 203.0.113.2 >/dev/null || { fail "ping failed"; return 1; }
	n6=$(raw_sockets "$g")
	echo "raw sockets in the guest netns (its ping): $n6"
}

# Spellings of the host and of no-one that a guest may put in a
# destination.  NEVER4 and NEVER6 are reached with hostloop on or off: the
# host's loopback by its own names, the unspecified and this-network
# addresses, multicast and broadcast (limited and the subnet's), IPv4 in
# IPv6 (mapped and compatible) of loopback, of the host and of a remote,
# and link-local and multicast groups that are not the gateway's own.
NEVER4="127.0.0.1 127.1.2.3 127.255.255.254 0.0.0.0 0.1.2.3 224.0.0.1
	239.1.2.3 255.255.255.255 10.0.2.255"
NEVER6="::1 :: ::ffff:127.0.0.1 ::127.0.0.1 ::ffff:0.0.0.0
	::ffff:198.51.100.1 ::ffff:203.0.113.2 ::203.0.113.2 fe80::1 ff02::fb
	ff05::2 ff0e::1"
GW6=fd75:6e61:7400:2::2
HOST6=2001:db8:c::1
# what a host socket would send: any TCP, UDP, ICMP, or ICMPv6 but MLD/NDP
CAPTURE='tcp or udp or icmp or (icmp6 and icmp6[0] < 130)'

# drops: the sum of the guest's drop counters.
drops()
{
	nsx "$g" ethtool -S unat0 | awk '$1 ~ /^drop_/ { n += $2 } END { print n + 0 }'
}

# refuse_each "KIND..." ADDR...: three frames of each KIND (syn, udp, ping)
# to each ADDR from the guest, new source ports and identifiers each (one
# unat-frames per kind and family, taking the addresses in turn).
# Every one is dropped and counted, none keeps a flow, and the host's
# stack sends nothing for them: tcpdump on all of $c's interfaces, its
# loopback too, sees no TCP, UDP or ICMP packet.
refuse_each()
{
	local kinds=$1 a k f n=0 before cap pid got
	local -A dsts=() count=()
	shift
	for a in "$@"; do
		f=4
		[[ $a == *:* ]] && f=6
		dsts[$f]+=" --dst$f $a"
		count[$f]=$((${count[$f]:-0} + 3))
	done
	cap=$(mktemp)
	before=$(drops)
	ip netns exec "$c" tcpdump -i any -nn -U -w "$cap" "$CAPTURE" \
		2>"$cap.err" &
	pid=$!
	wait_for 10 grep -q listening "$cap.err" ||
		{ fail "tcpdump did not start"; return 1; }
	for f in "${!dsts[@]}"; do
		for k in $kinds; do
			nsx "$g" "$FRAMES" --gw-mac "$GWMAC" ${dsts[$f]} \
				--dport 7 unat0 flood $k$f ${count[$f]} >/dev/null ||
				{ fail "$k$f to${dsts[$f]} not sent"; return 1; }
			n=$((n + count[$f]))
		done
	done
	sleep 2
	kill "$pid"
	wait "$pid"
	got=$(tcpdump -nn -r "$cap" 2>/dev/null)
	[ -z "$got" ] || { fail "the host sent: $got"; return 1; }
	[ $(($(drops) - before)) -ge $n ] ||
		{ fail "$n frames, $(($(drops) - before)) drops"; return 1; }
	# a flow the host refused its first packet goes at the next reap
	wait_for 5 no_flows || { fail "flows left: $(flows)"; return 1; }
	echo "$n frames to $# addresses ($kinds): all dropped, none reached the host"
}

no_flows() { [ "$(flows)" = 0 ]; }
# has_global6: the guest has its SLAAC address, past DAD.
has_global6() { [ -n "$(ip -n "$g" -6 addr show dev unat0 scope global -tentative)" ]; }

# spell_world [ip link add options]: make_world, and the host with an
# IPv6 address of its own.
spell_world()
{
	make_world "$@" &&
	ip -n "$c" addr add $HOST6/64 dev veth-c nodad || return 1
	GWMAC=$(gw_mac "$g")
}

# With hostloop off, the host by no name at all: NEVER4/NEVER6, the
# gateway's addresses and the host's own.
test_spellings_off()
{
	spell_world hostloop off || return 1
	refuse_each "syn udp ping" $NEVER4 $NEVER6 198.51.100.1 $HOST6 &&
	refuse_each "syn udp" 10.0.2.2 $GW6
}

# With hostloop on (the default), only the gateway's address reaches the
# host's loopback: NEVER4/NEVER6 still reach nothing.
test_spellings_on()
{
	spell_world || return 1
	refuse_each "syn udp ping" $NEVER4 $NEVER6
}

# restrict on: no TCP, UDP or ICMP of either family to a remote, the host
# or its loopback; DHCP, DNS and the gateway's echo still answer.
test_spellings_restrict()
{
	local before
	spell_world restrict on || return 1
	start_dnsmasq "$c" 127.0.0.1 test.example/203.0.113.2 || return 1
	nsx "$g" "$UNAT" set unat0 dns 127.0.0.1 || return 1
	before=$(unat_stat -n "$g" unat0 drop_restricted)
	refuse_each "syn udp ping" 203.0.113.2 2001:db8:1::2 198.51.100.1 \
		$HOST6 127.0.0.1 ::1 &&
	refuse_each "syn udp" 10.0.2.2 $GW6 || return 1
	[ $(($(unat_stat -n "$g" unat0 drop_restricted) - before)) -ge 42 ] ||
		{ fail "drop_restricted: $(unat_stat -n "$g" unat0 drop_restricted)"; return 1; }
	guest_dhcp | grep -q "lease of 10.0.2.15" ||
		{ fail "no DHCP lease with restrict on"; return 1; }
	nsx "$g" ping -c 1 -W 5 10.0.2.2 >/dev/null || { fail "no gateway echo"; return 1; }
	wait_for 10 has_global6 || { fail "no SLAAC address"; return 1; }
	nsx "$g" ping -6 -c 1 -W 5 $GW6 >/dev/null || { fail "no gateway echo6"; return 1; }
	expect_eq "DNS with restrict on" \
		"$(nsx "$g" dig +short +time=5 +tries=2 @10.0.2.3 test.example)" \
		203.0.113.2
}

ktap_plan 7
unat_load || exit 1
ktap_case "host loopback only as the gateway address, only with hostloop" test_loopback
ktap_case "the host's own address only with hostloop on" test_host_address
ktap_case "DNS queries larger than EDNS allows refused" test_dns_size
ktap_case "one raw ICMP socket per netns and family for every echo flow" test_one_icmp_socket
ktap_case "hostloop off: no spelling of the host or of no-one is reached" test_spellings_off
ktap_case "hostloop on: the host's loopback only as the gateway" test_spellings_on
ktap_case "restrict on: no TCP, UDP or ICMP out, both families" test_spellings_restrict
ktap_finish
