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
# give it.  All methods are up at once, each with its own guest netns and
# forwarded ports; veth + masquerade has a host netns of its own (v,
# 198.51.101.1, 2001:db8:d::1, its own uplink to r), so that its NAT and
# conntrack stay out of the others' way.  At guest MTU 65520 and 1500, for
# each family in BENCH_FAMILIES (default "4 6"): iperf3 throughput
# guest→server (up) and server→guest (down), one stream and four (-P 4),
# with the CPU seconds (all CPUs) per GB moved; 1-byte TCP round trips
# on one connection (median time) and on four at once (transactions/s);
# connections per second (connect, 1 byte each way, close), one at a time
# and four at once.  Inbound, from the
# server to the guest's own servers through a port forward on the host
# (veth: nftables DNAT; unat: unat fwd; pasta: -t, which covers both
# families; slirp4netns: add_hostfwd on its API socket, which is
# IPv4-only, so its inbound IPv6 figures are "-"): iperf3 both ways and
# connections per second.  The round trips and connections are
# tools/bench/unat-bench, in C, client and echo server, so that neither
# sets the pace; its user CPU share is printed to show it.
#
# Every workload is measured BENCH_REPS times (default 3) through every
# method, interleaved (veth, unat, pasta, slirp4netns, then unat, pasta,
# slirp4netns, veth, ...) before the next workload starts; the tables give
# the median, the spread ((max - min) / median) and the median of each
# repetition's ratio to veth; before the first, every workload runs once
# through every method unmeasured (BENCH_WARMUP=0: not).  BENCH_KEYS picks
# workloads (default all: WORKLOADS in methods.sh).  The tables are printed
# and written to $1 (default bench.txt), the raw figures to $1.raw.  Runs
# as root inside a test VM (tools/bench/run.sh) or on a spare host; not a
# test.

source "$(dirname "$0")/../../selftests/lib.sh"
source "$(dirname "$0")/methods.sh"
OUT=${1:-bench.txt}
SECS=${BENCH_SECS:-4}
REPS=${BENCH_REPS:-3}
METHODS=(${BENCH_METHODS:-veth unat pasta slirp4netns})
MTUS=(${BENCH_MTUS:-65520 1500})
FAMILIES=(${BENCH_FAMILIES:-4 6})
[ ${#METHODS[@]} -gt 0 ] || METHODS=(veth unat pasta slirp4netns)
[ ${#MTUS[@]} -gt 0 ] || MTUS=(65520 1500)
[ ${#FAMILIES[@]} -gt 0 ] || FAMILIES=(4 6)

# raw LINE: a raw line, to the file and to whoever watches the run's log
raw() { echo "$*" | tee -a "$OUT.raw"; }

# up_all MTU: every method up at MTU at once, each in its own guest
# namespace (GUEST[method]) with the guest's own servers for the inbound
# figures; UP lists those that came up, NO6[method] why a method has no
# IPv6 figures (setup-failed) or no inbound IPv6 ones (fwd-failed,
# no-fwd).  Failures are printed as raw lines.
up_all()
{
	local m mtu=$1 rc fam
	UP=()
	GUEST=() NO6=()
	for m in "${METHODS[@]}"; do
		if ! method_up "$m" "$mtu"; then
			for fam in "${FAMILIES[@]}"; do
				raw "$m $mtu $fam 0 setup-failed"
			done
			continue
		fi
		GUEST[$m]=$g
		tw_reuse "$g"
		if has6; then
			if ! "setup6_$m"; then
				NO6[$m]=setup-failed
			elif declare -F "fwd6_$m" >/dev/null; then
				"fwd6_$m"
				rc=$?
				[ $rc = 1 ] && NO6[$m]=fwd-failed
				[ $rc = 2 ] && NO6[$m]=no-fwd
			fi
			case ${NO6[$m]} in
			setup-failed) raw "$m $mtu 6 0 setup-failed" ;;
			?*) raw "$m $mtu 6 0 inbound=${NO6[$m]}" ;;
			esac
		fi
		guest_servers
		UP+=("$m")
	done
}

# down_all: every method and its guest's servers gone
down_all()
{
	local m
	for m in "${UP[@]}"; do
		g=${GUEST[$m]}
		ip netns pids "$g" | xargs -r kill 2>/dev/null
		method_down "$m"
	done
	sleep 1
}

# use METHOD: its guest namespace and forwards become $g and FWD_*
use() { g=${GUEST[$1]}; method_vars "$1"; }

# lacks METHOD FAMILY KEY: true when METHOD has no figure for KEY over
# FAMILY (no IPv6, or no IPv6 port forwards)
lacks()
{
	[ "$2" = 6 ] || return 1
	[ "${NO6[$1]}" = setup-failed ] && return 0
	case $3 in in | out | fcrr) [ -n "${NO6[$1]}" ] ;; *) return 1 ;; esac
}

# measure MTU FAMILY KEY: the workload REPS times through every method,
# the order of the methods turning by one each time, so that every method
# runs at every place and two methods' figures of one repetition are
# seconds apart: under TCG the machine's speed drifts by tens of per cent
# over minutes, and a figure is compared with its neighbours, not with
# one taken a quarter of an hour before
measure()
{
	local mtu=$1 fam=$2 key=$3 rep i n=${#UP[@]} m
	for rep in $(seq "$REPS"); do
		for ((i = 0; i < n; i++)); do
			m=${UP[$(((i + rep - 1) % n))]}
			lacks "$m" "$fam" "$key" && continue
			use "$m"
			echo "$m $mtu $fam $rep$(figure "$m" "$fam" "$key")"
		done
	done
}

# warm_up MTU FAMILY: one repetition of every workload through every
# method, the figures thrown away.  A boot's first minutes run slower under
# TCG (code not yet translated): in one run the first repetitions of the
# first workload rose from 277 to 790 connections/s for veth and from 275
# to 630 for unat, the one that ran second in a pair gaining.
warm_up()
{
	local key
	for key in $KEYS; do
		REPS=1 measure "$1" "$2" "$key"
	done | sed 's/^/# warm-up /'
}

KEYS=${BENCH_KEYS:-$WORKLOADS}
WARMUP=${BENCH_WARMUP:-1}
declare -A GUEST NO6
[ -x "$BENCH" ] || { echo "no $BENCH: make -C tools"; exit 1; }
tmp=$(mktemp -d)
setup_host || { echo "host setup failed"; exit 1; }
: >"$OUT.raw"
for mtu in "${MTUS[@]}"; do
	up_all "$mtu"
	if [ "$WARMUP" = 1 ]; then
		warm_up "$mtu" "${FAMILIES[0]}"
		WARMUP=0
	fi
	for fam in "${FAMILIES[@]}"; do
		for key in $KEYS; do
			measure "$mtu" "$fam" "$key" | tee -a "$OUT.raw"
		done
	done
	down_all
done

python3 "$UNAT_TOP/tools/bench/summary.py" "$OUT.raw" | tee "$OUT"
rm -rf "$tmp"
