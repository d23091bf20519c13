#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What one ICMP packet costs the host while the guest holds N echo flows.
#
#   g (guest) ─unat0─ c (host) ─ r (router) ─ blackhole 192.0.2.0/24
#
# For each N in ICMP_COST_FLOWS (default "0 1 1000 16384", 16384 being the
# default flow limit, here raised to 32768 to hold both families) the
# guest opens N echo flows over IPv4 and N over IPv6 (unat-frames echo4/echo6: identifiers 1..N, to r), then a process
# on the host (c) flood-pings r for ICMP_COST_SECS seconds (default 5),
# over each family.  Every reply r sends is an ICMP packet c receives and
# hands to each raw ICMP socket of its netns.  Printed per N and family:
# replies received, their rate, and CPU time (all CPUs, from /proc/stat)
# per reply.  ICMP_COST_REPS (default 3) interleaved repetitions of every
# module in ICMP_COST_KOS (default "$UNAT_KO_DIR"; several directories to
# compare builds: each is loaded in turn); the table gives the median and
# the spread.  Runs as root in a test VM (tools/bench/icmp-run.sh); not a
# test.

source "$(dirname "$0")/../../selftests/lib.sh"
FRAMES=$UNAT_TOP/tools/frames/unat-frames
FLOWS=(${ICMP_COST_FLOWS:-0 1 1000 16384})
SECS=${ICMP_COST_SECS:-5}
REPS=${ICMP_COST_REPS:-3}
KOS=(${ICMP_COST_KOS:-$UNAT_KO_DIR})
OUT=${1:-icmp-cost.txt}
R4=198.51.100.2 R6=2001:db8:c::2
# where the guest's echo flows go: dropped by r, unanswered
B4=192.0.2.1 B6=2001:db8:b::1
raw=$(mktemp -d)

# busy_ticks: USER_HZ ticks all CPUs spent not idle.
busy_ticks()
{
	awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat
}

# world: the guest on unat0, c and r with both families.
world()
{
	make_world || return 1
	ip -n "$c" addr add 2001:db8:c::1/64 dev veth-c nodad &&
	ip -n "$r" addr add $R6/64 dev veth-rc nodad &&
	ip -n "$c" -6 route add default via $R6 &&
	ip -n "$r" route add blackhole 192.0.2.0/24 &&
	ip -n "$r" -6 route add blackhole 2001:db8:b::/64 &&
	nsx "$g" "$UNAT" set unat0 flow-limit 32768 || return 1
	GWMAC=$(ip -n "$g" -d link show unat0 |
		grep -oE 'gwmac [0-9a-f:]{17}' | cut -d' ' -f2)
}

# open_flows N: N echo flows of each family, or as many as the limit.
open_flows()
{
	local n=$1 want
	[ "$n" -gt 0 ] || return 0
	nsx "$g" "$FRAMES" --gw-mac "$GWMAC" --dst4 $B4 --dst6 $B6 unat0 \
		echo4 "$n" >/dev/null &&
	nsx "$g" "$FRAMES" --gw-mac "$GWMAC" --dst4 $B4 --dst6 $B6 unat0 \
		echo6 "$n" >/dev/null || return 1
	wait_for 120 sh -c "[ \$(ip netns exec $g $UNAT flows unat0 | grep -c icmp) -ge $((2 * n)) ]" ||
		return 1
	# the flows' sockets open on a workqueue: let it finish
	sleep 2
}

# measure KO N FAMILY: one flood from c to r; appends a raw line.
measure()
{
	local ko=$1 n=$2 fam=$3 dst=$R4 t0 t1 got
	[ "$fam" = 6 ] && dst=$R6
	t0=$(busy_ticks)
	got=$(nsx "$c" ping -"$fam" -f -q -w "$SECS" "$dst" |
		awk '/received/ { print $4 }')
	t1=$(busy_ticks)
	echo "$ko $n $fam ${got:-0} $((t1 - t0))" | tee -a "$raw/lines"
}

run_one()
{
	local ko=$1 n fam
	unat_insmod "$ko/unat.ko" || return 1
	world || return 1
	for n in "${FLOWS[@]}"; do
		open_flows "$n" || echo "could not open $n flows" >&2
		for fam in 4 6; do
			measure "$ko" "$n" "$fam"
		done
	done
	cleanup_ns
	sleep 1
	rmmod unat
}

[ -d /sys/module/unat ] && rmmod unat
for ((rep = 1; rep <= REPS; rep++)); do
	for ko in "${KOS[@]}"; do
		echo "# repetition $rep: $ko"
		run_one "$ko" || exit 1
	done
done

python3 - "$raw/lines" "$SECS" >"$OUT" <<'PY'
import os, statistics, sys
from collections import defaultdict
secs = float(sys.argv[2])
runs = defaultdict(list)
for line in open(sys.argv[1]):
    ko, n, fam, got, ticks = line.split()
    runs[(ko, int(n), fam)].append((int(got), int(ticks)))
print("ICMP packets received by the host while the guest holds N echo flows")
print("(median of %d, spread min-max; CPU: all CPUs, /proc/stat)" %
      max(len(v) for v in runs.values()))
print("%-10s %6s %3s %20s %22s" % ("module", "flows", "ip", "replies/s",
                                     "CPU us per reply"))
for (ko, n, fam), v in sorted(runs.items(), key=lambda k: (k[0][2], k[0][1], k[0][0])):
    rate = [g / secs for g, _ in v]
    cost = [t * 10000.0 / g if g else float("inf") for g, t in v]
    print("%-10s %6d %3s %7.0f (%5.0f-%5.0f) %9.0f (%5.0f-%6.0f)" %
          (os.path.basename(ko), n, fam, statistics.median(rate), min(rate), max(rate),
           statistics.median(cost), min(cost), max(cost)))
PY
cat "$OUT"
