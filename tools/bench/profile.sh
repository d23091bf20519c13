#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/bench/profile.sh [WORKLOAD [METHOD [SECONDS]]]: where the CPU goes
# while one workload of bench.sh runs through one method (default: crr, the
# connection rate, through unat, 10 s): perf record -a -g on every CPU,
# then the symbols with the most samples (self), the unat functions among
# them, the CPUs' idle share, and then, traced, each work function's
# count, wait for a worker and run time.  WORKLOAD is one of bench.sh's
# keys (up, down, rtt, crr, crr4, in, fcrr, ...).  Runs as root inside a
# test VM (tools/bench/profile-run.sh, `make bench-profile`); not a test.

source "$(dirname "$0")/../../selftests/lib.sh"
FAMILIES=(4)
SECS=${3:-10}
source "$(dirname "$0")/methods.sh"
KEY=${1:-crr}
METHOD=${2:-unat}
OUT=${PROFILE_OUT:-/tmp/unat-out}

command -v perf >/dev/null ||
	{ echo "no perf: apt-get install linux-perf"; exit 1; }
tmp=$(mktemp -d)
setup_host || { echo "host setup failed"; exit 1; }
method_up "$METHOD" "${PROFILE_MTU:-1500}" ||
	{ echo "$METHOD: setup failed"; exit 1; }
tw_reuse "$g"
guest_servers

# the workload, as bench.sh runs it
run() { figure "$METHOD" 4 "$KEY"; }

# idle_total: the idle and iowait jiffies of every CPU, and all jiffies
idle_total()
{
	awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i
		print $5 + $6, t }' /proc/stat
}

case " $WORKLOADS " in
*" $KEY "*) ;;
*) echo "unknown workload $KEY"; exit 1 ;;
esac
# a warm-up, so that the profile starts in a steady state
SECS=2 run >/dev/null
idle0=$(idle_total)
perf record -q -a -g -o "$OUT/perf.data" -- sleep "$SECS" >/dev/null 2>&1 &
perf_pid=$!
echo "$METHOD$(run)"
wait $perf_pid
idle1=$(idle_total)
set -- $idle0 $idle1
echo "CPU idle during the run: $(awk -v a="$1" -v b="$2" -v c="$3" -v d="$4" \
	'BEGIN { printf "%.0f%%", 100 * (c - a) / (d - b) }')"
echo
echo "symbols with the most samples (self, all CPUs):"
perf report -q -i "$OUT/perf.data" --no-children --sort sym -g none \
	--percent-limit 0.7 --stdio 2>/dev/null | sed 's/^ *//' | head -45
echo
echo "unat's own functions (self):"
perf report -q -i "$OUT/perf.data" --no-children --sort sym -g none \
	--stdio 2>/dev/null | grep -E '\bunat_' | sed 's/^ *//' | head -25
echo
echo "by task (self):"
perf report -q -i "$OUT/perf.data" --no-children --sort comm -g none \
	--stdio 2>/dev/null | sed 's/^ *//' | head -12

# the same workload again, traced: what each connection waits for workers
T=/sys/kernel/tracing
mountpoint -q $T || mount -t tracefs nodev $T
echo 20000 >$T/buffer_size_kb
for e in queue_work execute_start execute_end; do
	echo 1 >"$T/events/workqueue/workqueue_$e/enable"
done
echo >$T/trace
echo 1 >$T/tracing_on
traced=$(SECS=2 run)
echo 0 >$T/tracing_on
echo "work items during 2 s of $KEY, traced (tracing slows it: $traced):"
awk -f "$(dirname "$0")/wq-latency.awk" $T/trace | sort -k2 -nr | head -12
echo 0 >$T/events/workqueue/enable
method_down "$METHOD"
rm -rf "$tmp"
