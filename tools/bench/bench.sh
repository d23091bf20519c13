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
# (down), 1-byte TCP round trip, sequential connections per second, and
# CPU seconds (all CPUs) per GB moved by iperf3.  Inbound, from the server
# to the guest's own servers through a port forward on the host (veth:
# nftables DNAT; unat: unat fwd; pasta: -t, which covers both families;
# slirp4netns: add_hostfwd on its API socket, which is IPv4-only, so its
# inbound IPv6 figures are "-"): iperf3 both ways and connections per
# second.  Prints tables with ratios to veth, IPv4 first, and writes them
# to $1 (default bench.txt).  Runs as root inside a test VM
# (tools/bench/run.sh) or on a spare host; not a test.

source "$(dirname "$0")/../../selftests/lib.sh"
TCPU=$UNAT_TOP/selftests/tcp_util.py
SERVER=203.0.113.2
HOST=198.51.100.1
SERVER6=2001:db8:5::2
HOST6=2001:db8:c::1
GUEST6=fd75:6e61:7400:2::15
# forwarded host ports in c, both families: to the guest's iperf3 and
# echo servers
FWD_IPERF=8201 FWD_ECHO=8204
OUT=${1:-bench.txt}
SECS=${BENCH_SECS:-5}
METHODS=(${BENCH_METHODS:-veth unat pasta slirp4netns})
MTUS=(${BENCH_MTUS:-65520 1500})
FAMILIES=(${BENCH_FAMILIES:-4 6})
[ ${#METHODS[@]} -gt 0 ] || METHODS=(veth unat pasta slirp4netns)
[ ${#MTUS[@]} -gt 0 ] || MTUS=(65520 1500)
[ ${#FAMILIES[@]} -gt 0 ] || FAMILIES=(4 6)

has6() { [[ " ${FAMILIES[*]} " == *" 6 "* ]]; }

# ECHO6 PORT: the echo server on an IPv6-only socket
ECHO6=("$TCPU" echo-server --bind ::)

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
		ip netns exec "$s" "${ECHO6[@]}" 5004 >/dev/null 2>&1 &
	fi
	# iperf3 -s listens on both families
	ip netns exec "$s" iperf3 -s -p 5201 >/dev/null 2>&1 &
	ip netns exec "$s" "$TCPU" echo-server 5004 >/dev/null 2>&1 &
	wait_for 10 sh -c "ip netns exec $s ss -Htln4 | grep -q :5004" &&
	{ ! has6 || wait_for 10 sh -c "ip netns exec $s ss -Htln6 | grep -q :5004"; }
}

# reach6: the guest reaches the server's echo server over IPv6 (DAD and
# neighbour discovery done); up to about a minute
reach6()
{
	local i
	# python's start alone takes seconds under TCG on a busy machine
	for i in 1 2 3 4 5 6; do
		timeout 10 ip netns exec "$g" "$TCPU" rr $SERVER6 5004 1 \
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

# iperf NS ADDR PORT [-R]: prints "bits/s cpu-seconds-per-GB"; nothing
# if it fails or stalls (a method that half works must not hang the run)
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
' "$json" "$j0" "$j1" "$hz"
}

# measure_family METHOD MTU FAMILY: one row of raw figures; the inbound
# ones are "fwd-failed" or "no-fwd" where there is no IPv6 forward
measure_family()
{
	local m=$1 mtu=$2 fam=$3 srv=$SERVER host=$HOST esrv rc
	local up down rr rate fin fout frate pids inbound=
	esrv=("$TCPU" echo-server)
	if [ "$fam" = 6 ]; then
		srv=$SERVER6 host=$HOST6 esrv=("${ECHO6[@]}")
	fi
	up=$(iperf "$g" $srv 5201) down=$(iperf "$g" $srv 5201 -R)
	rr=$(ip netns exec "$g" "$TCPU" rr $srv 5004 2000)
	rate=$(ip netns exec "$g" "$TCPU" rate $srv 5004 "$SECS")
	if [ "$fam" = 6 ] && declare -F "fwd6_$m" >/dev/null; then
		"fwd6_$m"
		rc=$?
		[ $rc = 1 ] && inbound=fwd-failed
		[ $rc = 2 ] && inbound=no-fwd
	fi
	if [ -z "$inbound" ]; then
		# inbound: the server is the client, the guest serves
		ip netns exec "$g" iperf3 -s -p 5201 >/dev/null 2>&1 &
		pids="$!"
		ip netns exec "$g" "${esrv[@]}" 5004 >/dev/null 2>&1 &
		pids+=" $!"
		wait_for 10 tcp_bound "$g" 5004
		fin=$(iperf "$s" $host $FWD_IPERF)
		fout=$(iperf "$s" $host $FWD_IPERF -R)
		frate=$(ip netns exec "$s" "$TCPU" rate $host $FWD_ECHO "$SECS")
		kill $pids 2>/dev/null
		wait $pids 2>/dev/null
		inbound="${fin:-0 0} ${fout:-0 0} ${frate:-0}"
	fi
	echo "$m $mtu $fam ${up:-0 0} ${down:-0 0} ${rr:-0} ${rate:-0} $inbound"
}

# measure METHOD MTU: its rows, one per family
measure()
{
	local m=$1 mtu=$2 fam
	setup_ns g || return 1
	if ! "setup_$m" "$mtu"; then
		for fam in "${FAMILIES[@]}"; do
			echo "$m $mtu $fam setup-failed"
		done
		"teardown_$m"
		ip netns del "$g"
		return
	fi
	for fam in "${FAMILIES[@]}"; do
		if [ "$fam" = 6 ] && ! "setup6_$m"; then
			echo "$m $mtu $fam setup-failed"
			continue
		fi
		measure_family "$m" "$mtu" "$fam"
	done
	"teardown_$m"
	ip netns del "$g"
	sleep 1
}

tmp=$(mktemp -d)
setup_host || { echo "host setup failed"; exit 1; }
for mtu in "${MTUS[@]}"; do
	for m in "${METHODS[@]}"; do
		measure "$m" "$mtu"
	done
done >"$tmp/raw"

python3 - "$tmp/raw" <<'EOF' | tee "$OUT"
import sys
rows = {}
for line in open(sys.argv[1]):
    f = line.split()
    m, mtu, fam = f[0], f[1], f[2]
    if len(f) < 9:
        rows[(fam, m, mtu)] = None
        continue
    r = rows[(fam, m, mtu)] = dict(up=float(f[3]) / 1e9, upcpu=float(f[4]),
                                   down=float(f[5]) / 1e9,
                                   downcpu=float(f[6]),
                                   rr=float(f[7]), rate=float(f[8]))
    if len(f) >= 14:
        r.update(fin=float(f[9]) / 1e9, fincpu=float(f[10]),
                 fout=float(f[11]) / 1e9, foutcpu=float(f[12]),
                 frate=float(f[13]))
    elif len(f) >= 10 and f[9] == "no-fwd":
        r["nofwd"] = True
fams = []
methods = []
for k in rows:
    if k[0] not in fams:
        fams.append(k[0])
    if k[1] not in methods:
        methods.append(k[1])
mtus = sorted({k[2] for k in rows}, key=int, reverse=True)
def ratio(v, base, inverse=False):
    if not base or not v:
        return "    -"
    return f"{(base / v if inverse else v / base):5.2f}"
for fam in fams:
    over = "" if fam == "4" else " over IPv" + fam
    for mtu in mtus:
        print(f"guest MTU {mtu}{over}: value (ratio to veth + masquerade)")
        print(f"{'method':12} {'up Gbps':>15} {'down Gbps':>15}"
              f" {'RTT us':>15} {'conn/s':>15} {'CPU s/GB up':>12}"
              f" {'CPU s/GB dn':>12}")
        base = rows.get((fam, "veth", mtu))
        for m in methods:
            r = rows.get((fam, m, mtu))
            if r is None:
                print(f"{m:12} setup failed")
                continue
            b = base or {}
            print(f"{m:12} {r['up']:7.2f} ({ratio(r['up'], b.get('up'))})"
                  f" {r['down']:7.2f} ({ratio(r['down'], b.get('down'))})"
                  f" {r['rr']:7.1f} ({ratio(r['rr'], b.get('rr'))})"
                  f" {r['rate']:7.0f} ({ratio(r['rate'], b.get('rate'))})"
                  f" {r['upcpu']:12.2f} {r['downcpu']:12.2f}")
        print()
        print(f"guest MTU {mtu}{over}, inbound through a port forward on the"
              " host: value (ratio to veth + DNAT)")
        print(f"{'method':12} {'in Gbps':>15} {'out Gbps':>15}"
              f" {'conn/s':>15} {'CPU s/GB in':>12} {'CPU s/GB out':>12}")
        for m in methods:
            r = rows.get((fam, m, mtu))
            if r is not None and r.get("nofwd"):
                print(f"{m:12} {'-':>7} {'':7} {'-':>7} {'':7} {'-':>7}"
                      f" {'':7} {'-':>12} {'-':>12}")
                continue
            if r is None or "fin" not in r:
                print(f"{m:12} setup failed")
                continue
            b = base or {}
            print(f"{m:12} {r['fin']:7.2f} ({ratio(r['fin'], b.get('fin'))})"
                  f" {r['fout']:7.2f} ({ratio(r['fout'], b.get('fout'))})"
                  f" {r['frate']:7.0f} ({ratio(r['frate'], b.get('frate'))})"
                  f" {r['fincpu']:12.2f} {r['foutcpu']:12.2f}")
        print()
EOF
rm -rf "$tmp"
