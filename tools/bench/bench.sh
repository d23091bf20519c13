#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# unat against the other ways of giving a namespace its network, in one
# boot: veth + nftables masquerade (the kernel's own forwarding, the
# ceiling), unat, pasta and slirp4netns.  Same topology for each:
#
#   guest ns ─[method]─ host ns (c) ─ router (r) ─ server (s, 203.0.113.2)
#
# and, over IPv6, c 2001:db8:c::1 ─ r ─ s 2001:db8:5::2, the guest on
# fd75:6e61:7400:2::/64 (veth, unat) or whatever pasta and slirp4netns
# give it.  At guest MTU 65520 and 1500, for each family in BENCH_FAMILIES
# (default "4 6"): iperf3 throughput guest→server (up) and server→guest
# (down), one stream and four (-P 4), with the CPU seconds (all CPUs) per
# GB moved; 1-byte TCP round trips on one connection (median time) and on
# four at once (transactions/s); connections per second (connect, 1 byte
# each way, close), one at a time and four at once.  Inbound, from the
# server to the guest's own servers through a port forward on the host
# (veth: nftables DNAT; unat: unat fwd; pasta: -t, which covers both
# families; slirp4netns: add_hostfwd on its API socket, which is
# IPv4-only, so its inbound IPv6 figures are "-"): iperf3 both ways and
# connections per second.  The round trips and connections are
# tools/bench/unat-bench, in C, client and echo server, so that neither
# sets the pace; its user CPU share is printed to show it.
#
# Every method is measured BENCH_REPS times (default 3), interleaved
# (veth, unat, pasta, slirp4netns, veth, ...), each time in a new guest
# namespace; the tables give the median, the spread ((max - min) / median)
# and the ratio of the medians to veth.  They are printed and written to
# $1 (default bench.txt), the raw figures to $1.raw.  Runs as root inside a
# test VM (tools/bench/run.sh) or on a spare host; not a test.

source "$(dirname "$0")/../../selftests/lib.sh"
BENCH=$UNAT_TOP/tools/bench/unat-bench
SERVER=203.0.113.2
HOST=198.51.100.1
SERVER6=2001:db8:5::2
HOST6=2001:db8:c::1
GUEST6=fd75:6e61:7400:2::15
# forwarded host ports in c, both families: to the guest's iperf3 and
# echo servers
FWD_IPERF=8201 FWD_ECHO=8204
OUT=${1:-bench.txt}
SECS=${BENCH_SECS:-4}
REPS=${BENCH_REPS:-3}
# connections at once in the parallel rows
PAR=4
METHODS=(${BENCH_METHODS:-veth unat pasta slirp4netns})
MTUS=(${BENCH_MTUS:-65520 1500})
FAMILIES=(${BENCH_FAMILIES:-4 6})
[ ${#METHODS[@]} -gt 0 ] || METHODS=(veth unat pasta slirp4netns)
[ ${#MTUS[@]} -gt 0 ] || MTUS=(65520 1500)
[ ${#FAMILIES[@]} -gt 0 ] || FAMILIES=(4 6)

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
	ip link add veth-g netns "$g" mtu "$1" type veth peer name veth-cg \
		netns "$c" mtu "$1"
	ip -n "$g" addr add 10.0.2.15/24 dev veth-g
	ip -n "$c" addr add 10.0.2.2/24 dev veth-cg
	ip -n "$g" link set veth-g up
	ip -n "$c" link set veth-cg up
	ip -n "$g" route add default via 10.0.2.2
	ip netns exec "$c" sysctl -qw net.ipv4.ip_forward=1
	ip netns exec "$c" nft -f - <<-EOF
	table ip bench {
		chain pre {
			type nat hook prerouting priority dstnat;
			iifname "veth-c" tcp dport $FWD_IPERF dnat to 10.0.2.15:5201
			iifname "veth-c" tcp dport $FWD_ECHO dnat to 10.0.2.15:5004
		}
		chain post {
			type nat hook postrouting priority srcnat;
			oifname "veth-c" masquerade
		}
	}
	EOF
}

setup6_veth()
{
	ip -n "$g" addr add $GUEST6/64 dev veth-g nodad &&
	ip -n "$c" addr add fd75:6e61:7400:2::2/64 dev veth-cg nodad &&
	ip -n "$g" -6 route add default via fd75:6e61:7400:2::2 &&
	ip netns exec "$c" sysctl -qw net.ipv6.conf.all.forwarding=1 &&
	ip netns exec "$c" nft -f - <<-EOF &&
	table ip6 bench {
		chain pre {
			type nat hook prerouting priority dstnat;
			iifname "veth-c" tcp dport $FWD_IPERF dnat to [$GUEST6]:5201
			iifname "veth-c" tcp dport $FWD_ECHO dnat to [$GUEST6]:5004
		}
		chain post {
			type nat hook postrouting priority srcnat;
			oifname "veth-c" masquerade
		}
	}
	EOF
	reach6
}

teardown_veth()
{
	ip netns exec "$c" nft delete table ip bench 2>/dev/null
	ip netns exec "$c" nft delete table ip6 bench 2>/dev/null
	ip -n "$c" link del veth-cg 2>/dev/null
}

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

# measure_family METHOD MTU FAMILY REP: one line of raw figures, KEY=value
# (see the summary below for the keys); inbound ones are missing, and
# "inbound=fwd-failed" or "inbound=no-fwd" says why, where the method has
# no IPv6 forward
measure_family()
{
	local m=$1 mtu=$2 fam=$3 rep=$4 srv=$SERVER host=$HOST rc pids
	local line="$m $mtu $fam $rep"
	[ "$fam" = 6 ] && srv=$SERVER6 host=$HOST6
	line+=$(kv up $(iperf "$g" $srv 5201))
	line+=$(kv down $(iperf "$g" $srv 5201 -R))
	line+=$(kv up4 $(iperf "$g" $srv 5201 -P $PAR))
	line+=$(kv down4 $(iperf "$g" $srv 5201 -P $PAR -R))
	line+=$(rrx "$g" rr $srv 5004 1 rtt)
	line+=$(rrx "$g" rr $srv 5004 $PAR rr4)
	line+=$(rrx "$g" crr $srv 5004 1 crr)
	line+=$(rrx "$g" crr $srv 5004 $PAR crr4)
	if [ "$fam" = 6 ] && declare -F "fwd6_$m" >/dev/null; then
		"fwd6_$m"
		rc=$?
		[ $rc = 1 ] && { echo "$line inbound=fwd-failed"; return; }
		[ $rc = 2 ] && { echo "$line inbound=no-fwd"; return; }
	fi
	# inbound: the server is the client, the guest serves
	ip netns exec "$g" iperf3 -s -p 5201 >/dev/null 2>&1 &
	pids="$!"
	ip netns exec "$g" "$BENCH" serve 5004 >/dev/null 2>&1 &
	pids+=" $!"
	wait_for 10 tcp_bound "$g" 5004
	line+=$(kv in $(iperf "$s" $host $FWD_IPERF))
	line+=$(kv out $(iperf "$s" $host $FWD_IPERF -R))
	line+=$(rrx "$s" crr $host $FWD_ECHO 1 fcrr)
	kill $pids 2>/dev/null
	wait $pids 2>/dev/null
	echo "$line"
}

# measure METHOD MTU REP: its lines, one per family
measure()
{
	local m=$1 mtu=$2 rep=$3 fam
	setup_ns g || return 1
	tw_reuse "$g"
	if ! "setup_$m" "$mtu"; then
		for fam in "${FAMILIES[@]}"; do
			echo "$m $mtu $fam $rep setup-failed"
		done
		"teardown_$m"
		ip netns del "$g"
		return
	fi
	for fam in "${FAMILIES[@]}"; do
		if [ "$fam" = 6 ] && ! "setup6_$m"; then
			echo "$m $mtu $fam $rep setup-failed"
			continue
		fi
		measure_family "$m" "$mtu" "$fam" "$rep"
	done
	"teardown_$m"
	ip netns del "$g"
	sleep 1
}

[ -x "$BENCH" ] || { echo "no $BENCH: make -C tools"; exit 1; }
tmp=$(mktemp -d)
setup_host || { echo "host setup failed"; exit 1; }
: >"$OUT.raw"
# the raw lines as they come, for whoever watches the run's log
for mtu in "${MTUS[@]}"; do
	for rep in $(seq "$REPS"); do
		for m in "${METHODS[@]}"; do
			measure "$m" "$mtu" "$rep" | tee -a "$OUT.raw"
		done
	done
done

python3 "$UNAT_TOP/tools/bench/summary.py" "$OUT.raw" | tee "$OUT"
rm -rf "$tmp"
