#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The ways of giving a namespace its network that tools/bench compares,
# each set up the same way: veth + nftables masquerade, unat, pasta,
# slirp4netns (see bench.sh for the topology).  Sourced after
# selftests/lib.sh, with FAMILIES (the IP versions to set up) and SECS
# (iperf3's length) set; the caller owns $c, $r, $s, $g, $v and $tmp.

BENCH=$UNAT_TOP/tools/bench/unat-bench
SERVER=203.0.113.2
HOST=198.51.100.1
SERVER6=2001:db8:5::2
HOST6=2001:db8:c::1
GUEST6=fd75:6e61:7400:2::15
# veth + masquerade's host: its own netns v, with its own uplink to r, so
# that its nftables NAT (and the conntrack it brings) is not in the path
# of the methods whose sockets live in c
VHOST=198.51.101.1
VHOST6=2001:db8:d::1

has6() { [[ " ${FAMILIES[*]} " == *" 6 "* ]]; }

# tcp_tw_reuse: the connection-rate runs leave tens of thousands of
# TIME_WAIT sockets behind, in the guest and (pasta, slirp4netns, unat) in c;
# without it a later run would measure the ephemeral port range
tw_reuse() { ip netns exec "$1" sysctl -qw net.ipv4.tcp_tw_reuse=1; }

# the host side: c ─ r ─ s, with iperf3 and an echo server on s
setup_host()
{
	setup_ns c r s || return 1
	ip link add veth-c netns "$c" type veth peer name veth-rc netns "$r"
	ip link add veth-s netns "$s" type veth peer name veth-rs netns "$r"
	ip -n "$c" addr add 198.51.100.1/24 dev veth-c
	ip -n "$r" addr add 198.51.100.2/24 dev veth-rc
	ip -n "$r" addr add 203.0.113.1/24 dev veth-rs
	ip -n "$s" addr add 203.0.113.2/24 dev veth-s
	if has6; then
		ip -n "$c" addr add $HOST6/64 dev veth-c nodad
		ip -n "$r" addr add 2001:db8:c::2/64 dev veth-rc nodad
		ip -n "$r" addr add 2001:db8:5::1/64 dev veth-rs nodad
		ip -n "$s" addr add $SERVER6/64 dev veth-s nodad
	fi
	for l in "$c veth-c" "$r veth-rc" "$r veth-rs" "$s veth-s"; do
		set -- $l
		ip -n "$1" link set "$2" up
	done
	ip -n "$c" route add default via 198.51.100.2
	ip -n "$s" route add default via 203.0.113.1
	ip netns exec "$r" sysctl -qw net.ipv4.ip_forward=1
	if has6; then
		ip -n "$c" -6 route add default via 2001:db8:c::2
		ip -n "$s" -6 route add default via 2001:db8:5::1
		ip netns exec "$r" sysctl -qw net.ipv6.conf.all.forwarding=1
	fi
	tw_reuse "$c" && tw_reuse "$s" || return 1
	# both listen on both families
	ip netns exec "$s" iperf3 -s -p 5201 >/dev/null 2>&1 &
	ip netns exec "$s" "$BENCH" serve 5004 >/dev/null 2>&1 &
	wait_for 10 tcp_bound "$s" 5004
}

# reach6: the guest reaches the server's echo server over IPv6 (DAD and
# neighbour discovery done); up to about a minute
reach6()
{
	local i
	for i in 1 2 3 4 5 6; do
		timeout 10 ip netns exec "$g" "$BENCH" rr $SERVER6 5004 0 \
			>/dev/null 2>&1 && return 0
		sleep 0.5
	done
	return 1
}

# setup_METHOD MTU: a fresh guest namespace $g reaching the server over
# IPv4 (and, for pasta and slirp4netns, IPv6 if the host has it);
# setup6_METHOD: the guest's IPv6 on top; fwd6_METHOD, where there is one:
# the IPv6 port forwards, which may fail alone (2: the method has none)
setup_veth()
{
	setup_ns v || return 1
	ip link add veth-v netns "$v" type veth peer name veth-rv netns "$r"
	ip -n "$v" addr add $VHOST/24 dev veth-v
	ip -n "$r" addr add 198.51.101.2/24 dev veth-rv
	if has6; then
		ip -n "$v" addr add $VHOST6/64 dev veth-v nodad
		ip -n "$r" addr add 2001:db8:d::2/64 dev veth-rv nodad
	fi
	ip link add veth-g netns "$g" mtu "$1" type veth peer name veth-vg \
		netns "$v" mtu "$1"
	ip -n "$g" addr add 10.0.2.15/24 dev veth-g
	ip -n "$v" addr add 10.0.2.2/24 dev veth-vg
	for l in "$v veth-v" "$r veth-rv" "$g veth-g" "$v veth-vg"; do
		set -- $l
		ip -n "$1" link set "$2" up
	done
	ip -n "$v" route add default via 198.51.101.2
	has6 && ip -n "$v" -6 route add default via 2001:db8:d::2
	ip -n "$g" route add default via 10.0.2.2
	ip netns exec "$v" sysctl -qw net.ipv4.ip_forward=1
	tw_reuse "$v" || return 1
	ip netns exec "$v" nft -f - <<-EOF
	table ip bench {
		chain pre {
			type nat hook prerouting priority dstnat;
			iifname "veth-v" tcp dport $FWD_IPERF dnat to 10.0.2.15:5201
			iifname "veth-v" tcp dport $FWD_ECHO dnat to 10.0.2.15:5004
		}
		chain post {
			type nat hook postrouting priority srcnat;
			oifname "veth-v" masquerade
		}
	}
	EOF
}

setup6_veth()
{
	ip -n "$g" addr add $GUEST6/64 dev veth-g nodad &&
	ip -n "$v" addr add fd75:6e61:7400:2::2/64 dev veth-vg nodad &&
	ip -n "$g" -6 route add default via fd75:6e61:7400:2::2 &&
	ip netns exec "$v" sysctl -qw net.ipv6.conf.all.forwarding=1 &&
	ip netns exec "$v" nft -f - <<-EOF &&
	table ip6 bench {
		chain pre {
			type nat hook prerouting priority dstnat;
			iifname "veth-v" tcp dport $FWD_IPERF dnat to [$GUEST6]:5201
			iifname "veth-v" tcp dport $FWD_ECHO dnat to [$GUEST6]:5004
		}
		chain post {
			type nat hook postrouting priority srcnat;
			oifname "veth-v" masquerade
		}
	}
	EOF
	reach6
}

# the uplink in r goes with v
teardown_veth() { ip netns del "$v" 2>/dev/null; }

setup_unat()
{
	unat_load || return 1
	ip -n "$c" link add unat0 mtu "$1" type unat &&
	ip -n "$c" link set unat0 netns "$g" || return 1
	# IPv6 is configured by hand, as IPv4 is, not from unat's RAs
	has6 && ip netns exec "$g" sysctl -qw net.ipv6.conf.unat0.accept_ra=0
	ip -n "$g" link set unat0 up &&
	ip -n "$g" addr add 10.0.2.15/24 dev unat0 &&
	ip -n "$g" route add default via 10.0.2.2 &&
	ip netns exec "$g" "$UNAT" fwd add unat0 tcp:$FWD_IPERF:5201 >/dev/null &&
	ip netns exec "$g" "$UNAT" fwd add unat0 tcp:$FWD_ECHO:5004 >/dev/null
}

setup6_unat()
{
	ip -n "$g" addr add $GUEST6/64 dev unat0 nodad &&
	ip -n "$g" -6 route replace default via fe80::2 dev unat0 &&
	reach6
}

fwd6_unat()
{
	ip netns exec "$g" "$UNAT" fwd add unat0 "tcp:[::]:$FWD_IPERF:5201" \
		>/dev/null &&
	ip netns exec "$g" "$UNAT" fwd add unat0 "tcp:[::]:$FWD_ECHO:5004" \
		>/dev/null
}

teardown_unat() { ip -n "$g" link del unat0 2>/dev/null; }

# pasta copies c's addresses and routes of both families; -t binds [::],
# which takes IPv4 too
setup_pasta()
{
	modprobe -q tun
	ip netns exec "$c" pasta -q --config-net -m "$1" --runas 0:0 \
		-t $FWD_IPERF:5201 -t $FWD_ECHO:5004 -u none -T none -U none \
		-P "$tmp/pasta.pid" \
		--netns "/run/netns/$g" >/dev/null 2>&1 || return 1
	wait_for 10 sh -c "ip -n $g route | grep -q default"
}

setup6_pasta()
{
	wait_for 10 sh -c "ip -n $g -6 route | grep -q default" && reach6
}

teardown_pasta()
{
	[ -s "$tmp/pasta.pid" ] && kill "$(cat "$tmp/pasta.pid")" 2>/dev/null
	rm -f "$tmp/pasta.pid"
}

setup_slirp4netns()
{
	local v6=
	modprobe -q tun
	rm -f "$tmp/slirp.sock"
	has6 && v6=--enable-ipv6
	ip netns exec "$c" slirp4netns --configure --mtu="$1" $v6 \
		--api-socket "$tmp/slirp.sock" \
		--netns-type=path "/run/netns/$g" tap0 >/dev/null 2>&1 &
	echo $! >"$tmp/slirp.pid"
	wait_for 10 sh -c "ip -n $g route | grep -q default" || return 1
	slirp_fwd $FWD_IPERF 5201 && slirp_fwd $FWD_ECHO 5004
}

# the guest takes an fd00::/64 address from slirp4netns's RAs
setup6_slirp4netns()
{
	wait_for 10 sh -c "ip -n $g -6 route | grep -q default" && reach6
}

# add_hostfwd takes IPv4 host addresses only
fwd6_slirp4netns() { return 2; }

# slirp_fwd HOSTPORT GUESTPORT: slirp4netns's port forward, by its API
slirp_fwd()
{
	printf '{"execute": "add_hostfwd", "arguments": {"proto": "tcp", "host_addr": "0.0.0.0", "host_port": %d, "guest_port": %d}}' \
		"$1" "$2" | socat - "UNIX-CONNECT:$tmp/slirp.sock" | grep -q '"return"'
}

teardown_slirp4netns()
{
	kill "$(cat "$tmp/slirp.pid")" 2>/dev/null
	wait "$(cat "$tmp/slirp.pid")" 2>/dev/null
}

# connections at once in the parallel workloads
PAR=4

# kv KEY FIGURES...: "KEY=first KEYcpu=second", nothing for no figures
kv()
{
	[ $# -ge 2 ] || return 0
	printf ' %s=%s' "$1" "$2"
	[ $# -ge 3 ] && printf ' %scpu=%s' "$1" "$3"
}

# rrx NS KIND ADDR PORT PAR KEY: unat-bench's round trips (KIND rr: the
# median time in us for PAR 1, transactions/s otherwise) or connections
# (KIND crr: per second), as KEY=value, with the client's user CPU share
# (KEYusr, per cent of one CPU)
rrx()
{
	local ns=$1 kind=$2 addr=$3 port=$4 par=$5 key=$6 out
	out=$(timeout $((SECS + 30)) ip netns exec "$ns" "$BENCH" "$kind" \
		"$addr" "$port" "$SECS" "$par") || return 0
	set -- $out
	# rr PAR n N rate R p50_us P p99_us Q errors E usr_s U sys_s S
	if [ "$kind" = rr ] && [ "$par" = 1 ]; then
		printf ' %s=%s' "$key" "$8"
	else
		printf ' %s=%s' "$key" "$6"
	fi
	printf ' %susr=%s' "$key" "$(awk -v u="${14}" -v t="$SECS" \
		'BEGIN { printf "%.1f", 100 * u / t }')"
}

# the workloads figure() knows, in the order bench.sh runs them
WORKLOADS="up down up4 down4 rtt rr4 crr crr4 in out fcrr"

# figure METHOD FAMILY KEY: " KEY=value..." for one workload (the keys of
# summary.py) through METHOD, whose namespace and forwards are set; the
# workloads of bench.sh and profile.sh
figure()
{
	local m=$1 fam=$2 key=$3 srv=$SERVER host=$FWD_HOST
	[ "$fam" = 6 ] && srv=$SERVER6 host=$FWD_HOST6
	case $key in
	up)	kv up $(iperf "$g" $srv 5201) ;;
	down)	kv down $(iperf "$g" $srv 5201 -R) ;;
	up4)	kv up4 $(iperf "$g" $srv 5201 -P $PAR) ;;
	down4)	kv down4 $(iperf "$g" $srv 5201 -P $PAR -R) ;;
	rtt)	rrx "$g" rr $srv 5004 1 rtt ;;
	rr4)	rrx "$g" rr $srv 5004 $PAR rr4 ;;
	crr)	rrx "$g" crr $srv 5004 1 crr ;;
	crr4)	rrx "$g" crr $srv 5004 $PAR crr4 ;;
	# inbound: the server is the client, the guest serves
	in)	kv in $(iperf "$s" $host $FWD_IPERF) ;;
	out)	kv out $(iperf "$s" $host $FWD_IPERF -R) ;;
	fcrr)	rrx "$s" crr $host $FWD_ECHO 1 fcrr ;;
	esac
}

# guest_servers: iperf3 and an echo server in the guest $g, for the
# inbound workloads
guest_servers()
{
	ip netns exec "$g" iperf3 -s -p 5201 >/dev/null 2>&1 &
	ip netns exec "$g" "$BENCH" serve 5004 >/dev/null 2>&1 &
	wait_for 10 tcp_bound "$g" 5004
}

# method_vars METHOD: the host ports of its forwards to the guest's iperf3
# and echo servers (FWD_IPERF, FWD_ECHO), and the host's addresses a
# client on the server reaches them at (FWD_HOST, FWD_HOST6).  Each method
# has ports of its own, so that all of them can be up at once.
method_vars()
{
	FWD_HOST=$HOST FWD_HOST6=$HOST6
	case $1 in
	veth)	FWD_IPERF=8201 FWD_ECHO=8204 FWD_HOST=$VHOST FWD_HOST6=$VHOST6 ;;
	unat)	FWD_IPERF=8211 FWD_ECHO=8214 ;;
	pasta)	FWD_IPERF=8221 FWD_ECHO=8224 ;;
	*)	FWD_IPERF=8231 FWD_ECHO=8234 ;;
	esac
}

# method_up METHOD MTU: a new guest netns $g with METHOD's network at MTU;
# on failure nothing of it is left.  method_down METHOD: all of it gone.
method_up()
{
	method_vars "$1"
	setup_ns g || return 1
	"setup_$1" "$2" && return 0
	method_down "$1"
	return 1
}

method_down()
{
	"teardown_$1"
	ip netns del "$g"
}

busy_jiffies()
{
	awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat
}

# iperf NS ADDR PORT [IPERF-ARGS]: prints "bits/s cpu-seconds-per-GB";
# nothing if it fails or stalls (a method that half works must not hang
# the run)
iperf()
{
	local j0 j1 json hz ns=$1 addr=$2 port=$3
	shift 3
	hz=$(getconf CLK_TCK)
	j0=$(busy_jiffies)
	json=$(timeout $((SECS + 30)) ip netns exec "$ns" iperf3 -c "$addr" \
		-p "$port" -t "$SECS" -J "$@")
	j1=$(busy_jiffies)
	python3 -c '
import json, sys
d = json.loads(sys.argv[1])["end"]["sum_received"]
cpu = (int(sys.argv[3]) - int(sys.argv[2])) / int(sys.argv[4])
print(int(d["bits_per_second"]), round(cpu / (d["bytes"] / 1e9), 2))
' "$json" "$j0" "$j1" "$hz" 2>/dev/null
}
