#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What many flows cost, for veth + nftables masquerade, unat and pasta
# (BENCH_METHODS), in bench.sh's topology over IPv4 at guest MTU 65520:
#
#  * SCALE_TCP (10000) idle TCP connections from the guest to the server,
#    opened all at once (tools/flows/unat-flows): the time until every
#    connect finished, and what they pin: the growth of the kernel's slab,
#    of socket buffer memory (sockstat, every namespace) and of the
#    userspace proxy's resident memory (pasta), per connection, with the
#    slab caches that grew most; one iperf3 stream before and while they
#    sit idle; for unat, the time `unat -j flows` takes to dump them;
#  * SCALE_UDP (50000) UDP flows (a socket and a datagram each), the same
#    figures, and the kernel CPU (system, irq and softirq time, all CPUs)
#    the machine spends per second while they sit idle, against the same
#    with no flow: the cost of unat's reaper, conntrack's or pasta's timers.
#
# unat runs with flow-limit, connect-limit and port-share raised to let
# that many flows in (its defaults bound a guest to 16384 flows and 1024
# connects in progress: see docs/design.md, Threat model), and every
# method with the creating namespace's port range at 1024-65535.  Prints
# a table and writes it to $1 (default scale.txt).  Runs as root inside a
# test VM (tools/bench/scale-run.sh, `make bench-scale`); not a test.

source "$(dirname "$0")/../../selftests/lib.sh"
FAMILIES=(4)
SECS=${BENCH_SECS:-4}
source "$(dirname "$0")/methods.sh"
OUT=${1:-scale.txt}
NTCP=${SCALE_TCP:-10000}
NUDP=${SCALE_UDP:-50000}
METHODS=(${BENCH_METHODS:-veth unat pasta})
[ ${#METHODS[@]} -gt 0 ] || METHODS=(veth unat pasta)
FLOWS_BIN=$UNAT_TOP/tools/flows/unat-flows
IDLE=10

# kernel_jiffies: system, irq and softirq time of every CPU
kernel_jiffies() { awk '/^cpu / { print $4 + $7 + $8 }' /proc/stat; }

slab_kb() { awk '$1 == "Slab:" { print $2 }' /proc/meminfo; }

# sock_pages: socket buffer pages (sockstat's "mem") of every namespace
sock_pages()
{
	local ns sum=0 n
	for ns in "$g" "$c" "$s"; do
		n=$(ip netns exec "$ns" awk '{ for (i = 2; i < NF; i++)
			if ($i == "mem") s += $(i + 1) } END { print s + 0 }' \
			/proc/net/sockstat /proc/net/sockstat6)
		sum=$((sum + n))
	done
	echo "$sum"
}

# proxy_kb: resident memory of the method's userspace proxy (by the pid
# files methods.sh keeps), 0 if none
proxy_kb()
{
	local p kb=0
	for p in $(cat "$tmp/pasta.pid" "$tmp/slirp.pid" 2>/dev/null); do
		kb=$((kb + $(awk '$1 == "VmRSS:" { print $2 }' \
			"/proc/$p/status" 2>/dev/null || echo 0)))
	done
	echo "$kb"
}

slabinfo() { awk 'NR > 2 { print $1, $2 * $4 }' /proc/slabinfo | sort; }

# objsize CACHE: the size of one object of the slab cache CACHE
objsize() { awk -v n="$1" '$1 == n { print $4; exit }' /proc/slabinfo; }

# host_sock: bytes of the objects one kernel TCP socket of the creating
# namespace takes (its sock and its socket inode; a kernel socket has no
# file), which issue 14's "beyond the host socket" leaves out
host_sock() { echo $(($(objsize TCP) + $(objsize sock_inode_cache))); }

# top_slabs BEFORE AFTER: the five caches that grew most, in kB
top_slabs()
{
	join "$1" "$2" | awk '{ d = ($3 - $2) / 1024; if (d > 0)
		printf "%s %.0f\n", $1, d }' | sort -k2 -nr | head -5 |
		awk '{ printf "%s%s +%s kB", sep, $1, $2; sep = ", " }'
}

# memory: "slab-kB sock-pages proxy-kB"
memory() { echo "$(slab_kb) $(sock_pages) $(proxy_kb)"; }

# per_flow BEFORE AFTER N: bytes per flow of each and all together
per_flow()
{
	awk -v n="$3" -v a="$1" -v b="$2" 'BEGIN {
		split(a, x, " "); split(b, y, " ")
		slab = (y[1] - x[1]) * 1024 / n
		sock = (y[2] - x[2]) * 4096 / n
		proxy = (y[3] - x[3]) * 1024 / n
		printf "%.0f %.0f %.0f %.0f", slab + sock + proxy, slab, sock, proxy
	}'
}

# settle: let freed sockets and RCU callbacks go before a reading
settle() { sleep 3; echo 3 >/proc/sys/vm/drop_caches; sleep 1; }

# since T0 DIGITS: the seconds since T0 (date +%s.%N), DIGITS decimals
since()
{
	awk -v a="$1" -v b="$(date +%s.%N)" -v d="$2" \
		'BEGIN { printf "%.*f", d, b - a }'
}

# open_flows NAME LINE SPEC...: unat-flows SPEC in the guest, its output in
# $tmp/NAME.out; the memory and slabs before it, and again once it printed
# LINE ("ready", "started"), in $before, $after, $tmp/slab0 and slab1; the
# seconds that took in $open, the process in $flows_pid
open_flows()
{
	local name=$1 line=$2 t0
	shift 2
	settle
	before=$(memory)
	slabinfo >"$tmp/slab0"
	t0=$(date +%s.%N)
	ip netns exec "$g" "$FLOWS_BIN" "$@" >"$tmp/$name.out" 2>&1 &
	flows_pid=$!
	wait_for 600 grep -q ": $line:" "$tmp/$name.out"
	open=$(since "$t0" 1)
	grep ": $line:" "$tmp/$name.out" | sed 's/^/# /' >&2
	settle
	after=$(memory)
	slabinfo >"$tmp/slab1"
}

# scale_tcp METHOD: one line of figures for NTCP idle connections
scale_tcp()
{
	local m=$1 before after open flows_pid bw0 bw dump s0 hs
	bw0=$(iperf "$g" $SERVER 5201 | cut -d' ' -f1)
	open_flows tcp ready tcp $SERVER 5000 "$NTCP"
	bw=$(iperf "$g" $SERVER 5201 | cut -d' ' -f1)
	dump=- hs=0
	if [ "$m" = unat ]; then
		hs=$(host_sock)
		s0=$(date +%s.%N)
		ip netns exec "$g" "$UNAT" -j flows unat0 >"$tmp/flows.json"
		dump=$(since "$s0" 2)
		echo "# unat flows: $(grep -o '"proto"' "$tmp/flows.json" |
			wc -l) flows dumped" >&2
	fi
	echo "tcp $m $NTCP open=$open per=$(per_flow "$before" "$after" \
		"$NTCP" | tr ' ' ,) bw0=${bw0:-0} bw=${bw:-0} dump=$dump hostsock=$hs"
	echo "# $m tcp slabs: $(top_slabs "$tmp/slab0" "$tmp/slab1")" >&2
	kill "$flows_pid"
	wait "$flows_pid" 2>/dev/null
}

# idle_cpu: kernel CPU per cent (of one CPU) over IDLE seconds
idle_cpu()
{
	local j0 j1 hz
	hz=$(getconf CLK_TCK)
	j0=$(kernel_jiffies)
	sleep "$IDLE"
	j1=$(kernel_jiffies)
	awk -v a="$j0" -v b="$j1" -v hz="$hz" -v t="$IDLE" \
		'BEGIN { printf "%.1f", 100 * (b - a) / hz / t }'
}

# scale_udp METHOD: one line of figures for NUDP UDP flows
scale_udp()
{
	local m=$1 before after open flows_pid idle0 idle
	settle
	idle0=$(idle_cpu)
	open_flows udp started udp $SERVER 5353 "$NUDP"
	idle=$(idle_cpu)
	[ "$m" = unat ] && echo "# unat: $(ip netns exec "$g" "$UNAT" -j flows \
		unat0 | grep -o '"udp"' | wc -l) UDP flows" >&2
	echo "udp $m $NUDP open=$open per=$(per_flow "$before" "$after" \
		"$NUDP" | tr ' ' ,) idle0=$idle0 idle=$idle"
	echo "# $m udp slabs: $(top_slabs "$tmp/slab0" "$tmp/slab1")" >&2
	kill "$flows_pid"
	wait "$flows_pid" 2>/dev/null
}

scale_method()
{
	local m=$1
	if ! method_up "$m" 65520; then
		echo "tcp $m setup-failed"
		return
	fi
	# a local port for each of the guest's sockets
	ip netns exec "$g" sysctl -qw net.ipv4.ip_local_port_range="1024 65535"
	if [ "$m" = unat ]; then
		ip netns exec "$g" "$UNAT" set unat0 \
			flow-limit $((NTCP + NUDP + 1024)) \
			connect-limit $((NTCP + 1024)) port-share 100 >/dev/null
	fi
	scale_tcp "$m"
	scale_udp "$m"
	method_down "$m"
	sleep 2
}

[ -x "$FLOWS_BIN" ] || { echo "no $FLOWS_BIN: make -C tools"; exit 1; }
tmp=$(mktemp -d)
setup_host || { echo "host setup failed"; exit 1; }
ip netns exec "$c" sysctl -qw net.ipv4.ip_local_port_range="1024 65535"
ip netns exec "$s" "$FLOWS_BIN" listen 5000 usink 5353 >/dev/null 2>&1 &
wait_for 10 tcp_bound "$s" 5000 || { echo "no flow server"; exit 1; }
for m in "${METHODS[@]}"; do
	scale_method "$m"
done | tee "$tmp/raw"

python3 - "$tmp/raw" <<'EOF' | tee "$OUT"
import sys
rows = [l.split() for l in open(sys.argv[1])]
def kv(r):
    return dict(x.split("=", 1) for x in r[3:] if "=" in x)
for proto, n in (("tcp", "idle TCP connections"), ("udp", "UDP flows")):
    rs = [r for r in rows if r[0] == proto]
    if not rs:
        continue
    print(f"{rs[0][2] if len(rs[0]) > 2 else '?'} {n}, bytes per flow"
          " (all = slab + socket buffers + proxy RSS)")
    if proto == "tcp":
        print(f"{'method':12} {'open s':>8} {'all':>7} {'slab':>7}"
              f" {'sockbuf':>8} {'proxy':>7} {'Gb/s idle':>10}"
              f" {'Gb/s busy':>10} {'dump s':>7}")
    else:
        print(f"{'method':12} {'open s':>8} {'all':>7} {'slab':>7}"
              f" {'sockbuf':>8} {'proxy':>7} {'CPU% 0':>8} {'CPU% N':>8}")
    for r in rs:
        if len(r) < 4 or r[2] == "setup-failed":
            print(f"{r[1]:12} setup failed")
            continue
        d = kv(r)
        per = d["per"].split(",")
        line = f"{r[1]:12} {d['open']:>8} " + " ".join(
            f"{p:>7}" for p in per[:2]) + f" {per[2]:>8} {per[3]:>7}"
        if proto == "tcp":
            line += (f" {float(d['bw0']) / 1e9:10.2f}"
                     f" {float(d['bw']) / 1e9:10.2f} {d['dump']:>7}")
        else:
            line += f" {d['idle0']:>8} {d['idle']:>8}"
        print(line)
    base = [kv(r) for r in rs if r[1] == "veth" and len(r) > 3]
    for r in rs:
        d = kv(r) if len(r) > 3 else {}
        if not base or int(d.get("hostsock", 0)) <= 0:
            continue
        extra = int(d["per"].split(",")[0]) - int(base[0]["per"].split(",")[0])
        hs = int(d["hostsock"])
        print(f"{r[1]}: {extra} bytes per connection more than veth +"
              f" masquerade; its host socket's objects (TCP sock and"
              f" socket inode) {hs}; {r[1]}'s own beyond them {extra - hs}")
    print()
EOF
rm -rf "$tmp"
