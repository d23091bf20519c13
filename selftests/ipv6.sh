#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# IPv6 on the guest link: the device's IPv6 settings, SLAAC from unat's
# router advertisements in a guest netns (the kernel's own client),
# rdisc6 reading the advertisement, neighbour discovery and ping -6 to the
# gateway, IPv6 turned off and on, ISC dhclient -6 stateless and
# stateful, ICMPv6 echo, UDP and TCP through the host (ping, traceroute,
# errors, echoes, byte-exact transfers) and DNS over IPv6.
#
# Topology (lib.sh's make_world; IPv6 on every link): the guest g holds unat0, made in c.
#
#   g (guest) ─unat0─ c (creating netns, "host") ─ r (router) ─ s (server)
#   10.0.2.15          198.51.100.1          .2 │ 203.0.113.1      203.0.113.2

source "$(dirname "$0")/lib.sh"

PREFIX=fd75:6e61:7400:2
GW6=$PREFIX::2
DNS6=$PREFIX::3

# make_guest6 [ip link add options...]: sets $c and $g, unat0 up in $g.
# Sysctls for unat0 in $g may come first, as "sysctl NAME=VALUE".
make_guest6()
{
	setup_ns c g || return 1
	while [ "$1" = sysctl ]; do
		ip netns exec "$g" sysctl -qw "net.ipv6.conf.default.$2" ||
			return 1
		shift 2
	done
	ip -n "$c" link add unat0 type unat "$@" &&
	ip -n "$c" link set unat0 netns "$g" &&
	ip -n "$g" link set unat0 up
}

# slaac_addr NS PREFIX: the non-tentative global address in PREFIX::/64.
slaac_addr()
{
	ip -n "$1" -6 addr show dev unat0 scope global |
		grep -v tentative | grep -oE "inet6 $2:[0-9a-f:]+" |
		cut -d' ' -f2
}

has_slaac() { [ -n "$(slaac_addr "$1" "$2")" ]; }

# ll_ready NS: unat0 in NS has its link-local address, past DAD.
ll_ready()
{
	ip -n "$1" -6 addr show dev unat0 scope link | grep -v tentative |
		grep -q inet6
}

link_details() { ip -n "$1" -d link show unat0 | sed -n '3p'; }

test_settings()
{
	local out before
	setup_ns c || return 1
	ip -n "$c" link add unat0 type unat || return 1
	out=$(link_details "$c")
	echo "$out"
	expect_match "defaults" "$out" \
		"ipv6 on prefix6 $PREFIX::/64 gateway6 $GW6 dns6 $DNS6 gateway6-ll fe80::2 guest6 $PREFIX::15 " ||
		return 1
	ip -n "$c" link add unat1 type unat prefix6 2001:db8:1:2::/64 \
		gateway6-ll fe80::1 || return 1
	expect_match "a prefix moves the addresses along" \
		"$(ip -n "$c" -d link show unat1)" \
		"prefix6 2001:db8:1:2::/64 gateway6 2001:db8:1:2::2 dns6 2001:db8:1:2::3 gateway6-ll fe80::1 guest6 2001:db8:1:2::15 " ||
		return 1
	expect_link_error "last 64 bits" prefix6 fd00:1::1 &&
	expect_link_error "global or unique local" prefix6 fe80:: &&
	expect_link_error "global or unique local" prefix6 ff05:: &&
	expect_link_error "inside the prefix" gateway6 fd00::2 &&
	expect_link_error "inside the prefix" dns6 $PREFIX:: &&
	expect_link_error "fe80" gateway6-ll $GW6 &&
	expect_link_error "not the gateway's" guest6 $GW6 &&
	expect_link_error "inside the prefix" guest6 fd00::15 &&
	expect_link_error "/64" prefix6 fd00::/48 || return 1
	# a change that does not hold together changes nothing
	before=$(link_details "$c")
	ip -n "$c" link set unat0 type unat prefix6 fd00:9:9:9:: \
		gateway6 fd00:9:9:8::1 2>&1 &&
		{ fail "a gateway outside the new prefix was taken"; return; }
	expect_eq "after a refused change" "$(link_details "$c")" "$before" ||
		return 1
	ip -n "$c" link set unat0 type unat prefix6 fd00:9:9:9:: \
		gateway6 fd00:9:9:9::1 dns6 fd00:9:9:9::53 ipv6 off || return 1
	expect_match "changed" "$(link_details "$c")" \
		"ipv6 off prefix6 fd00:9:9:9::/64 gateway6 fd00:9:9:9::1 dns6 fd00:9:9:9::53 "
}

# expect_link_error WHAT OPTIONS...: "ip link add" refuses, saying WHAT.
expect_link_error()
{
	local what=$1 out
	shift
	out=$(ip -n "$c" link add unat9 type unat "$@" 2>&1) &&
		{ fail "'$*' was accepted"; return 1; }
	echo "$* -> $out"
	expect_match "error of '$*'" "$out" "$what" &&
	expect_eq "no device after '$*'" \
		"$(ip -n "$c" link show unat9 2>/dev/null)" ""
}

test_slaac()
{
	local addr
	make_guest6 || return 1
	wait_for 15 has_slaac "$g" $PREFIX ||
		{ ip -n "$g" -6 addr; fail "no SLAAC address"; return; }
	addr=$(slaac_addr "$g" $PREFIX)
	echo "address $addr"
	expect_match "default route" "$(ip -n "$g" -6 route show default)" \
		"default via fe80::2 dev unat0 proto ra" &&
	expect_match "prefix route" "$(ip -n "$g" -6 route show $PREFIX::/64)" \
		"$PREFIX::/64 dev unat0 proto kernel" || return 1
	[ "$(unat_stat -n "$g" unat0 ndp_ra_sent)" -ge 1 ] ||
		fail "no advertisement counted"
}

test_rdisc6()
{
	local out
	make_guest6 search "example.com lab" || return 1
	wait_for 10 ll_ready "$g" || { fail "no link-local address"; return; }
	out=$(ip netns exec "$g" rdisc6 -1 -w 2000 -r 3 unat0) ||
		{ fail "rdisc6: no advertisement"; return; }
	echo "$out"
	expect_match "hop limit" "$out" "Hop limit +: +64 " &&
	expect_match "router lifetime" "$out" \
		"Router lifetime +: +1800 " &&
	expect_match "MTU" "$out" "MTU +: +65520 bytes" &&
	expect_match "prefix" "$out" "Prefix +: +$PREFIX::/64" &&
	expect_match "on-link" "$out" "On-link +: +Yes" &&
	expect_match "autonomous" "$out" "Autonomous address conf.: +Yes" &&
	expect_match "valid" "$out" "Valid time +: +86400 " &&
	expect_match "RDNSS" "$out" "Recursive DNS server +: +$DNS6" &&
	expect_match "DNSSL" "$out" "DNS search list +: +example.com lab" &&
	expect_match "source" "$out" "from fe80::2" &&
	expect_match "gateway MAC" "$out" \
		"Source link-layer address: +$(gw_mac "$g" | tr a-f A-F)"
}

test_ping()
{
	local a mac
	make_guest6 || return 1
	wait_for 15 has_slaac "$g" $PREFIX || { fail "no SLAAC address"; return; }
	for a in $GW6 $DNS6 fe80::2%unat0; do
		ip netns exec "$g" ping -6 -c 2 -W 2 "$a" ||
			{ fail "ping -6 $a"; return; }
	done
	ip netns exec "$g" ping -6 -c 1 -W 2 -s 60000 $GW6 ||
		{ fail "ping -6 with 60000 bytes"; return; }
	mac=$(gw_mac "$g")
	expect_match "neighbour" "$(ip -n "$g" -6 neigh show $GW6)" \
		"lladdr $mac router" || return 1
	expect_match "link-local neighbour" \
		"$(ip -n "$g" -6 neigh show fe80::2)" "lladdr $mac router" ||
		return 1
	[ "$(unat_stat -n "$g" unat0 icmp6_echo_reply)" -ge 7 ] ||
		{ fail "echo replies: $(unat_stat -n "$g" unat0 icmp6_echo_reply)"; return 1; }
	# not the gateway's: not answered (nothing is carried yet)
	ip netns exec "$g" ping -6 -c 1 -W 1 $PREFIX::77 &&
		{ fail "an address nobody has answered"; return 1; }
	return 0
}

# A guest that never solicits is configured by the unsolicited ones.
test_unsolicited()
{
	make_guest6 sysctl router_solicitations=0 || return 1
	wait_for 20 has_slaac "$g" $PREFIX ||
		{ fail "no SLAAC address without solicitations"; return; }
	echo "advertisements: $(unat_stat -n "$g" unat0 ndp_ra_sent)"
}

test_off_on()
{
	make_guest6 ipv6 off || return 1
	wait_for 10 ll_ready "$g" || { fail "no link-local address"; return; }
	ip netns exec "$g" rdisc6 -1 -w 500 -r 2 unat0 &&
		{ fail "an advertisement with IPv6 off"; return; }
	ip netns exec "$g" ping -6 -c 1 -W 1 fe80::2%unat0 &&
		{ fail "the gateway answered with IPv6 off"; return; }
	expect_eq "no address" "$(slaac_addr "$g" $PREFIX)" "" || return 1
	[ "$(unat_stat -n "$g" unat0 drop_ipv6_off)" -ge 3 ] ||
		{ fail "drops not counted"; return; }
	expect_eq "no advertisement sent" \
		"$(unat_stat -n "$g" unat0 ndp_ra_sent)" 0 || return 1
	# on at run time: advertised at once
	ip -n "$g" link set unat0 type unat ipv6 on || return 1
	wait_for 10 has_slaac "$g" $PREFIX ||
		fail "no SLAAC address after ipv6 on"
}

test_renumber()
{
	make_guest6 || return 1
	wait_for 15 has_slaac "$g" $PREFIX || { fail "no SLAAC address"; return; }
	ip -n "$g" link set unat0 type unat prefix6 2001:db8:7:: || return 1
	expect_match "addresses renumbered" "$(link_details "$g")" \
		"prefix6 2001:db8:7::/64 gateway6 2001:db8:7::2 dns6 2001:db8:7::3 gateway6-ll fe80::2 guest6 2001:db8:7::15 " ||
		return 1
	wait_for 10 has_slaac "$g" 2001:db8:7 ||
		{ ip -n "$g" -6 addr; fail "not renumbered"; return; }
	ip netns exec "$g" ping -6 -c 1 -W 2 2001:db8:7::2 ||
		fail "the new gateway address"
}

# dhclient6 DIR ARGS...: ISC dhclient -6 in $g, its files in DIR.
dhclient6()
{
	local dir=$1
	shift
	ip netns exec "$g" timeout 60 dhclient -6 -v -pf "$dir/pid" \
		-lf "$dir/leases" "$@" unat0
}

test_dhcp6_stateless()
{
	local dir
	dir=$(mktemp -d)
	make_guest6 search "lab example.com" || return 1
	wait_for 10 ll_ready "$g" || { fail "no link-local address"; return; }
	# a script that writes down what dhclient was told
	printf '#!/bin/sh\nenv | grep -E "^(reason|new_)" >%s/env\n' "$dir" \
		>"$dir/script"
	chmod +x "$dir/script"
	dhclient6 "$dir" -S -1 -sf "$dir/script" ||
		{ fail "dhclient -6 -S: no answer"; return; }
	cat "$dir/env"
	# ISC dhclient says RENEW6 for the Reply to an Information-Request
	expect_match "reason" "$(cat "$dir/env")" "reason=(INFORM6|RENEW6)" &&
	expect_match "name servers" "$(cat "$dir/env")" \
		"new_dhcp6_name_servers=$DNS6\$" &&
	expect_match "domain search" "$(cat "$dir/env")" \
		"new_dhcp6_domain_search=lab. example.com.\$" &&
	expect_match "server DUID" "$(cat "$dir/env")" \
		"new_dhcp6_server_id=0:3:0:1:" || return 1
	expect_eq "no address given" \
		"$(ip -n "$g" -6 addr show unat0 | grep -c "$PREFIX::15")" 0
}

test_dhcp6_stateful()
{
	local dir before
	dir=$(mktemp -d)
	make_guest6 lease 60 || return 1
	wait_for 10 ll_ready "$g" || { fail "no link-local address"; return; }
	dhclient6 "$dir" -1 || { fail "dhclient -6: no address"; return; }
	cat "$dir/leases"
	expect_match "address" "$(ip -n "$g" -6 addr show unat0)" \
		"inet6 $PREFIX::15/128 scope global" &&
	expect_match "lease" "$(cat "$dir/leases")" \
		"iaaddr $PREFIX::15 \{" &&
	expect_match "lifetime" "$(cat "$dir/leases")" "max-life 60;" ||
		return 1
	[ "$(unat_stat -n "$g" unat0 dhcp6_advertise)" -ge 1 ] ||
		{ fail "no Advertise counted"; return; }
	wait_for 5 ip netns exec "$g" ping -6 -c 1 -W 1 -I $PREFIX::15 $GW6 ||
		{ fail "ping from the DHCPv6 address"; return; }
	# renewed at T1 (30 s), by the running client
	before=$(unat_stat -n "$g" unat0 dhcp6_reply)
	ip netns exec "$g" dhclient -6 -nw -pf "$dir/pid" -lf "$dir/leases" \
		unat0 || return 1
	wait_for 50 renewed "$before" ||
		{ fail "no Renew answered within 50 s"; return; }
	ip netns exec "$g" dhclient -6 -r -pf "$dir/pid" -lf "$dir/leases" \
		unat0 || { fail "dhclient -6 -r"; return; }
	expect_eq "released" \
		"$(ip -n "$g" -6 addr show unat0 | grep -c "$PREFIX::15")" 0
}

renewed() { [ "$(unat_stat -n "$g" unat0 dhcp6_reply)" -gt "$1" ]; }

# make_world6: the IPv4 world of lib.sh with IPv6 beside it:
#   guest ($g) -- unat0 -- $c 2001:db8:c::1 -- $r -- 2001:db8:5::2 $s
# and the guest configured by SLAAC.
make_world6()
{
	setup_ns g && make_world_routes || return 1
	ip -n "$c" addr add 2001:db8:c::1/64 dev veth-c nodad &&
	ip -n "$r" addr add 2001:db8:c::2/64 dev veth-rc nodad &&
	ip -n "$r" addr add 2001:db8:5::1/64 dev veth-rs nodad &&
	ip -n "$s" addr add 2001:db8:5::2/64 dev veth-s nodad &&
	ip -n "$c" -6 route add default via 2001:db8:c::2 &&
	ip -n "$s" -6 route add default via 2001:db8:5::1 &&
	ip netns exec "$r" sysctl -qw net.ipv6.conf.all.forwarding=1 ||
		return 1
	ip -n "$c" link add unat0 type unat "$@" &&
	ip -n "$c" link set unat0 netns "$g" &&
	ip -n "$g" link set unat0 up || return 1
	wait_for 15 has_slaac "$g" $PREFIX || { fail "no SLAAC address"; return 1; }
}

test_ping_remote()
{
	local out
	make_world6 || return 1
	ip netns exec "$g" ping -6 -c 3 -i 0.2 -W 2 2001:db8:5::2 ||
		{ fail "ping -6 a remote"; return; }
	ip netns exec "$g" ping -6 -c 2 -i 0.2 -W 2 -s 5000 2001:db8:5::2 ||
		{ fail "ping -6 with 5000 bytes"; return; }
	out=$(nsx "$g" "$UNAT" flows unat0)
	echo "$out"
	expect_match "the flow" "$out" \
		"icmp6 +nat +open +\[?$PREFIX:.*2001:db8:5::2" &&
	expect_match "the host side" "$out" "2001:db8:c::1" || return 1
	[ "$(unat_stat -n "$g" unat0 icmp_out)" -ge 5 ] ||
		fail "echo requests out: $(unat_stat -n "$g" unat0 icmp_out)"
}

test_traceroute6()
{
	local out
	make_world6 || return 1
	out=$(ip netns exec "$g" traceroute -6 -I -n -q 1 -w 2 -m 5 \
		2001:db8:5::2 2>&1)
	echo "$out"
	expect_match "hop 1: the gateway" "$out" "^ 1  $GW6 " &&
	expect_match "hop 2: the router" "$out" "^ 2  2001:db8:c::2 " &&
	expect_match "hop 3: the server" "$out" "^ 3  2001:db8:5::2 "
}

test_errors6()
{
	local out
	make_world6 || return 1
	out=$(ip netns exec "$g" ping -6 -c 1 -W 2 2001:db8:99::1 2>&1)
	echo "$out"
	expect_match "unreachable" "$out" "Destination unreachable" ||
		return 1
	# a narrower link behind the router: its error sets the guest's PMTU
	ip -n "$r" link set veth-rs mtu 1400 &&
	ip -n "$s" link set veth-s mtu 1400 || return 1
	out=$(ip netns exec "$g" ping -6 -c 2 -i 0.5 -W 2 -M do -s 1452 \
		2001:db8:5::2 2>&1)
	echo "$out"
	expect_match "packet too big" "$out" "[Pp]acket too big|mtu.*1400" &&
	expect_match "the guest's path MTU" \
		"$(ip -n "$g" -6 route get 2001:db8:5::2)" "mtu 1400" || return 1
	[ "$(unat_stat -n "$g" unat0 icmp_errors_to_guest)" -ge 2 ] ||
		fail "errors relayed: $(unat_stat -n "$g" unat0 icmp_errors_to_guest)"
}

ECHO=$UNAT_TOP/selftests/udp_echo.py

# start_echo6 NS PORT: a UDP echo server on :: in NS.
start_echo6()
{
	ip netns exec "$1" "$ECHO" server6 "$2" >/dev/null 2>&1 &
	wait_for 10 udp_bound "$1" "$2"
}

test_udp6()
{
	local size out
	make_world6 || return 1
	start_echo6 "$s" 7777 || return 1
	for size in 1 1400 8000 60000; do
		nsx "$g" "$ECHO" client 2001:db8:5::2 7777 $size \
			--expect-from 2001:db8:5::2 ||
			{ fail "echo of $size bytes"; return; }
	done
	# a UDP segmentation offload super-frame: ten datagrams
	nsx "$g" "$ECHO" client 2001:db8:5::2 7777 14000 --gso 1400 \
		--expect-from 2001:db8:5::2 || { fail "USO over IPv6"; return; }
	[ "$(unat_stat -n "$g" unat0 gso_frames_from_guest)" -ge 1 ] ||
		{ fail "no super-frame from the guest"; return; }
	out=$(nsx "$g" "$UNAT" flows unat0)
	echo "$out"
	expect_match "the flow" "$out" "udp +nat +open +\[$PREFIX:" || return 1
	# the gateway's address reaches the host's ::1
	start_echo6 "$c" 7000 || return 1
	nsx "$g" "$ECHO" client $GW6 7000 1000 --expect-from $GW6 ||
		{ fail "echo through the host's loopback"; return; }
	expect_eq "a closed port" \
		"$(nsx "$g" "$ECHO" refused 2001:db8:5::2 9999)" ECONNREFUSED
}

# At MTU 1500 the guest fragments what it sends, unat reassembles it, and
# fragments what comes back.
test_fragments6()
{
	local size
	make_world6 mtu 1500 || return 1
	start_echo6 "$s" 7777 || return 1
	for size in 1452 1500 8000 30000 65000; do
		nsx "$g" "$ECHO" client $SERVER6 7777 $size \
			--expect-from $SERVER6 ||
			{ fail "echo of $size bytes"; return; }
	done
	[ "$(unat_stat -n "$g" unat0 fragments_held)" -ge 40 ] ||
		{ fail "fragments held: $(unat_stat -n "$g" unat0 fragments_held)"; return 1; }
	ip netns exec "$g" ping -6 -c 2 -i 0.3 -W 2 -s 4000 $SERVER6 ||
		fail "ping -6 with 4000 bytes at MTU 1500"
}

test_traceroute6_udp()
{
	local out
	make_world6 || return 1
	out=$(ip netns exec "$g" traceroute -6 -n -q 1 -w 2 -m 5 \
		2001:db8:5::2 2>&1)
	echo "$out"
	expect_match "hop 1: the gateway" "$out" "^ 1  $GW6 " &&
	expect_match "hop 2: the router" "$out" "^ 2  2001:db8:c::2 " &&
	expect_match "hop 3: the server" "$out" "^ 3  2001:db8:5::2 "
}

test_dns6()
{
	local out
	make_world6 || return 1
	start_dnsmasq "$c" 127.0.0.1 test6.example/2001:db8:5::2 \
		test6.example/203.0.113.2 || return 1
	nsx "$g" "$UNAT" set unat0 dns 127.0.0.1 || return 1
	out=$(nsx "$g" dig +short +time=3 +tries=2 AAAA test6.example @$DNS6)
	expect_eq "AAAA over IPv6" "$out" 2001:db8:5::2 || return 1
	out=$(nsx "$g" dig +short +time=3 +tries=2 A test6.example @$DNS6)
	expect_eq "A over IPv6" "$out" 203.0.113.2 || return 1
	expect_match "the DNS flow" "$(nsx "$g" "$UNAT" flows unat0)" \
		"udp +dns +.*\[$DNS6\]:53" || return 1
	out=$(nsx "$g" dig +tcp +short +time=3 +tries=2 AAAA test6.example @$DNS6)
	expect_eq "AAAA over TCP on IPv6" "$out" 2001:db8:5::2 || return 1
	[ "$(unat_stat -n "$g" unat0 dns_queries)" -ge 2 ] ||
		fail "queries: $(unat_stat -n "$g" unat0 dns_queries)"
}

TCPU=$UNAT_TOP/selftests/tcp_util.py
SERVER6=2001:db8:5::2
# A deterministic pseudo-random stream of $1 bytes (AES-CTR of zeros).
GEN="openssl enc -aes-128-ctr -K 756e6174756e6174756e6174756e6174 -iv 0 -in /dev/zero 2>/dev/null | head -c"
gen_sum() { sh -c "$GEN $1" | sha256sum | cut -d' ' -f1; }

# upload6 SIZE PORT: the guest sends SIZE bytes to the server over IPv6.
upload6()
{
	local size=$1 port=$2 want got out
	out=$(mktemp -d)
	ip netns exec "$s" socat -u TCP6-LISTEN:$port,reuseaddr \
		SYSTEM:"sha256sum >$out/sum" >/dev/null 2>&1 &
	wait_for 10 tcp_bound "$s" $port || return 1
	want=$(gen_sum "$size")
	nsx "$g" timeout 300 sh -c \
		"$GEN $size | socat -u - TCP6:[$SERVER6]:$port" ||
		{ fail "upload of $size bytes failed"; return 1; }
	wait_for 20 test -s "$out/sum"
	got=$(cut -d' ' -f1 "$out/sum")
	rm -rf "$out"
	expect_eq "sha256 of $size bytes up" "$got" "$want"
}

# download6 SIZE PORT: the server sends SIZE bytes to the guest over IPv6.
download6()
{
	local size=$1 port=$2 want got
	ip netns exec "$s" socat -U TCP6-LISTEN:$port,reuseaddr \
		SYSTEM:"$GEN $size" >/dev/null 2>&1 &
	wait_for 10 tcp_bound "$s" $port || return 1
	want=$(gen_sum "$size")
	got=$(nsx "$g" timeout 300 socat -u TCP6:[$SERVER6]:$port - |
	      sha256sum | cut -d' ' -f1)
	expect_eq "sha256 of $size bytes down" "$got" "$want"
}

# 32 MiB each way; 8 MiB on the debug kernel.
LARGE6=$((32 << 20)) SUPER6=$((8 << 20))
[ $UNAT_DEBUG_KERNEL = 1 ] && LARGE6=$((4 << 20)) SUPER6=$((2 << 20))

test_tcp6()
{
	local out r
	make_world6 || return 1
	upload6 1024 5001 && download6 1024 5002 &&
	upload6 $LARGE6 5003 && download6 $LARGE6 5004 || return 1
	# the gateway's address is the host's ::1, and the flow shows it
	ip netns exec "$c" "$TCPU" echo-server 5005 --bind ::1 \
		>/dev/null 2>&1 &
	wait_for 10 tcp_bound "$c" 5005 || return 1
	nsx "$g" "$TCPU" sequential $GW6 5005 3 || return 1
	sleep 10 | nsx "$g" socat - TCP6:[$GW6]:5005 >/dev/null 2>&1 &
	wait_for 10 sh -c "ip netns exec $g $UNAT flows unat0 | grep -Eq 'tcp +host +estab +\[$PREFIX:.*\[$GW6\]:5005'" ||
		{ fail "no host flow in unat flows"; return 1; }
	out=$(nsx "$g" "$UNAT" flows unat0)
	echo "$out"
	expect_eq "a closed port" \
		"$(nsx "$g" "$TCPU" connect $SERVER6 9 --timeout 10)" \
		ECONNREFUSED || return 1
	r=$(nsx "$g" "$TCPU" connect 2001:db8:99::1 80 --timeout 10)
	expect_match "an unrouted address" "$r" '^(EHOSTUNREACH|ENETUNREACH)$' ||
		return 1
	# no IPv6 route on the host at all: the host's own error, at once
	ip -n "$c" -6 route del default || return 1
	r=$(nsx "$g" "$TCPU" connect $SERVER6 80 --timeout 3)
	expect_eq "no IPv6 connectivity on the host" "$r" ENETUNREACH
}

rx_stat() { ip netns exec "$g" cat /sys/class/net/unat0/statistics/$1; }

# At MTU 1500: byte-exact up (socat and iperf3), and the guest gets TCPv6
# super-frames, larger than its MTU on average, while it downloads.
test_tcp6_superframes()
{
	local b0 p0 bytes pkts
	make_world6 mtu 1500 || return 1
	upload6 $SUPER6 5001 || return 1
	ip netns exec "$s" iperf3 -s -1 -p 5201 >/dev/null 2>&1 &
	wait_for 10 tcp_bound "$s" 5201 || return 1
	nsx "$g" timeout 120 iperf3 -6 -c $SERVER6 -p 5201 -n $SUPER6 >/dev/null ||
		{ fail "iperf3 -6 upload of $SUPER6 bytes"; return 1; }
	b0=$(rx_stat rx_bytes) p0=$(rx_stat rx_packets)
	download6 $SUPER6 5002 || return 1
	bytes=$(($(rx_stat rx_bytes) - b0)) pkts=$(($(rx_stat rx_packets) - p0))
	echo "download: $bytes bytes in $pkts frames to the guest"
	[ $((bytes / pkts)) -gt 1514 ] ||
		{ fail "no GSO super-frames toward the guest"; return 1; }
	[ "$(unat_stat -n "$g" unat0 gso_frames_to_guest)" -gt 0 ] ||
		fail "gso_frames_to_guest: $(unat_stat -n "$g" unat0 gso_frames_to_guest)"
}

UDPU=$UNAT_TOP/selftests/udp_echo.py

# An HTTP server in the guest on [::]:80 serving 4 MiB; the sum in $1.sha,
# its log (who asked) in $1.log.
start_http6()
{
	head -c $((4 << 20)) /dev/urandom >"$1"
	sha256sum <"$1" | cut -d' ' -f1 >"$1.sha"
	nsx "$g" "$TCPU" http-server 80 "$1" --bind :: >"$1.log" 2>&1 &
	wait_for 10 tcp_bound "$g" 80
}

# fetch6 NS URL BLOB: the blob through a forward, its sum checked, and
# the client the guest's server saw printed.
fetch6()
{
	local got
	got=$(nsx "$1" curl -sS -g --max-time 60 "$2" | sha256sum |
	      cut -d' ' -f1)
	expect_eq "sha256 of $2 from $1" "$got" "$(cat "$3.sha")" || return 1
	awk '$1 == "get" { a = $2 } END { print a }' "$3.log"
}

test_fwd6()
{
	local blob out who
	make_world6 || return 1
	blob=$(mktemp)
	start_http6 "$blob" || return 1
	out=$(nsx "$g" "$UNAT" fwd add unat0 'tcp:[::]:8080:80') || return 1
	echo "$out"
	wait_for 5 tcp_bound "$c" 8080 || { fail "no IPv6 listener"; return; }
	# a client behind the host is seen as itself
	who=$(fetch6 "$s" "http://[2001:db8:c::1]:8080/blob" "$blob") ||
		return 1
	expect_eq "the guest sees the IPv6 client" "$who" $SERVER6 || return 1
	# one on the host's loopback as the gateway
	who=$(fetch6 "$c" "http://[::1]:8080/blob" "$blob") || return 1
	expect_eq "a loopback client is the gateway" "$who" $GW6 || return 1
	# the IPv6 forward is IPv6 only: IPv4 on its port finds nothing
	expect_eq "IPv4 on an IPv6 forward's port" \
		"$(nsx "$s" "$TCPU" connect 198.51.100.1 8080 --timeout 5)" \
		ECONNREFUSED || return 1
	# UDP: an echo, and who the guest sees
	nsx "$g" "$UDPU" server6 7 >/dev/null 2>&1 &
	nsx "$g" "$UDPU" whoami6 9 >/dev/null 2>&1 &
	wait_for 5 udp_bound "$g" 7 && wait_for 5 udp_bound "$g" 9 || return 1
	nsx "$g" "$UNAT" fwd add unat0 'udp:[2001:db8:c::1]:5007:7' &&
	nsx "$g" "$UNAT" fwd add unat0 'udp:[::]:5009:9' || return 1
	nsx "$s" "$UDPU" client 2001:db8:c::1 5007 30000 \
		--expect-from 2001:db8:c::1 || { fail "UDP echo"; return; }
	out=$(nsx "$s" "$UDPU" ask 2001:db8:c::1 5009) || return 1
	expect_match "the guest sees the UDP client" "$out" \
		"^$SERVER6:[0-9]+$" || return 1
	out=$(nsx "$g" "$UNAT" fwd list unat0)
	echo "$out"
	expect_match "listed" "$out" "tcp \[::\]:8080 -> 80" &&
	expect_match "listed" "$out" "udp \[2001:db8:c::1\]:5007 -> 7" ||
		return 1
	out=$(nsx "$g" "$UNAT" flows unat0)
	echo "$out"
	expect_match "the UDP binding" "$out" "udp +fwd .*\[$SERVER6\]" ||
		return 1
	nsx "$g" "$UNAT" fwd del unat0 'tcp:[::]:8080' || return 1
	wait_for 5 sh -c "! ip netns exec $c ss -Htln 'sport = :8080' | grep -q ." ||
		fail "the listener outlived its forward"
}

ktap_plan 19
unat_load || { echo "Bail out! cannot load unat"; exit 1; }
ktap_case "IPv6 settings: defaults, prefix, refusals, changes" test_settings
ktap_case "SLAAC: address in the prefix, default route via fe80::2" test_slaac
ktap_case "rdisc6: prefix, MTU, RDNSS, DNSSL, lifetimes" test_rdisc6
ktap_case "ping -6 gateway, DNS, link-local; NDP answered" test_ping
ktap_case "unsolicited advertisements configure a silent guest" \
	test_unsolicited
ktap_case "ipv6 off: nothing answered, drops counted; on again" test_off_on
ktap_case "renumbering: a new prefix advertised at once" test_renumber
ktap_case "dhclient -6 -S: DNS server and search list" \
	test_dhcp6_stateless
ktap_case "dhclient -6: IA_NA address, lease, renew, release" \
	test_dhcp6_stateful
ktap_case "ping -6 a remote through the host; the flow dumped" \
	test_ping_remote
ktap_case "traceroute -6 -I: the gateway and the real hops" test_traceroute6
ktap_case "ICMPv6 errors relayed: unreachable, packet too big (PMTU)" \
	test_errors6
ktap_case "UDP over IPv6: echoes to 60000 bytes, USO, hostloop, port unreachable" \
	test_udp6
ktap_case "IPv6 fragments at MTU 1500: reassembled from, fragmented to the guest" \
	test_fragments6
ktap_case "traceroute -6 (UDP): the gateway and the real hops" \
	test_traceroute6_udp
ktap_case "dig AAAA and A over IPv6 (UDP and TCP) to the DNS address" \
	test_dns6
ktap_case "TCP over IPv6: byte-exact both ways, hostloop, refused, unreachable" \
	test_tcp6
ktap_case "TCP over IPv6 at MTU 1500: up byte-exact, super-frames down" \
	test_tcp6_superframes
ktap_case "IPv6 forwards: TCP and UDP, the client's address kept, loopback as the gateway" \
	test_fwd6
ktap_finish
