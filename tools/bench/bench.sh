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
source "$(dirname "$0")/methods.sh"
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
	if ! method_up "$m" "$mtu"; then
		for fam in "${FAMILIES[@]}"; do
			echo "$m $mtu $fam $rep setup-failed"
		done
		return
	fi
	tw_reuse "$g"
	for fam in "${FAMILIES[@]}"; do
		if [ "$fam" = 6 ] && ! "setup6_$m"; then
			echo "$m $mtu $fam $rep setup-failed"
			continue
		fi
		measure_family "$m" "$mtu" "$fam" "$rep"
	done
	method_down "$m"
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
