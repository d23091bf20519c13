#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Teardown under load (issue 13): each case fills unat0 with live flows of
# every kind, UNAT_TEARDOWN_FLOWS of each (1000 by default), then tears it
# down one way while they run:
#
#   TCP established, idle (guest -> listener in s) and streaming both ways
#   TCP half-open (SYNs to 192.0.2.0/24, a blackhole in r)
#   UDP (one datagram from each of many ports, to the blackhole)
#   DNS queries waiting for a silent upstream (192.0.2.53)
#   ICMP echo (one echo socket each, to s)
#   forwarded TCP (clients in s, idle and streaming, servers in the guest)
#   forwarded UDP (clients in s, a sink in the guest)
#
# and then checks that everything went with it: the device, its host
# sockets in the creating netns (its /proc/net/sockstat back to what it was
# before the flows), unat's flow objects and the TCP/UDP/ping/raw socket
# slabs once every namespace of the case is gone, /sys/module/unat/refcnt,
# no kernel splat since the case began, and on a kmemleak kernel no leak
# whose stack is unat's.
#
#   g (guest, clients, servers) ─unat0─ c (host sockets) ─ r ─ s (clients, servers)

source "$(dirname "$0")/lib.sh"

FLOWS_BIN=${FLOWS_BIN:-$UNAT_TOP/tools/flows/unat-flows}
KMEMLEAK=/sys/kernel/debug/kmemleak
GUEST=10.0.2.15
HOST=198.51.100.1
SERVER=203.0.113.2
HOLE=192.0.2.1
TAP_MAC=52:54:00:65:43:21
STREAMS=2

# The debug kernel under TCG is ~10x slower: fewer flows there by default.
if [ $UNAT_DEBUG_KERNEL = 1 ]; then
	N=${UNAT_TEARDOWN_FLOWS:-100}
	SLOW=10
else
	N=${UNAT_TEARDOWN_FLOWS:-1000}
	SLOW=1
fi
work=$(mktemp -d)
trap 'cleanup_ns; rm -rf "$work"' EXIT

u() { nsx "$g" "$UNAT" "$@"; }

# progress TEXT: to $UNAT_OUT/teardown.progress as it happens (the case's
# own output shows only once it ends).
progress() { [ -n "${UNAT_OUT:-}" ] && echo "$*" >>"$UNAT_OUT/teardown.progress"; :; }

# slab NAME: objects in use in the slab cache NAME (its merged cache's
# count when SLUB merged it into another; slab_merged says so).
slab()
{
	local n
	# free slabs held per CPU first, or they count as objects in use
	echo 1 >"/sys/kernel/slab/$1/shrink" 2>/dev/null
	n=$(awk -v n="$1" '$1 == n { print $2 }' /proc/slabinfo 2>/dev/null)
	if [ -z "$n" ] && [ -r "/sys/kernel/slab/$1/objects" ]; then
		n=$(cut -d' ' -f1 "/sys/kernel/slab/$1/objects")
	fi
	echo "${n:-0}"
}
slab_merged() { [ -L "/sys/kernel/slab/$1" ]; }

SLABS="unat_flow TCP UDP PING RAW"

# slab_counts: "NAME=N ..." for $SLABS.
slab_counts()
{
	local s out=
	for s in $SLABS; do
		out+="$s=$(slab "$s") "
	done
	echo "${out% }"
}

# slabs_back BASELINE: every slab of $SLABS within its slack of BASELINE.
# Each cache is shrunk before it is read, but a few objects still come and
# go by themselves: 64 of slack (512 for a cache merged into another),
# against thousands of flows.
slabs_back()
{
	local kv name base now slack
	for kv in $1; do
		name=${kv%%=*}
		base=${kv#*=}
		now=$(slab "$name")
		slack=64
		slab_merged "$name" && slack=512
		[ "$now" -le $((base + slack)) ] || return 1
	done
}

slabs_back_progress()
{
	progress "slabs: $(slab_counts), were $base_slab"
	slabs_back "$base_slab"
}

# sock_counts NS: the sockets of NS, from its /proc/net/sockstat.
sock_counts()
{
	nsx "$1" cat /proc/net/sockstat | awk '
		$1 == "sockets:" { s = "sockets=" $3 }
		$1 == "TCP:" { t = " tcp=" $3 }
		$1 == "UDP:" { d = " udp=" $3 }
		$1 == "RAW:" { r = " raw=" $3 }
		END { print s t d r }'
}

# flow_census [KIND...]: the flows of unat0 by kind, and 0 once each KIND
# (default: every kind) has $N.
flow_census()
{
	u -j flows unat0 | python3 -c '
import collections, json, sys
n = int(sys.argv[1])
c = collections.Counter()
for f in json.load(sys.stdin):
    p, k, t = f["proto"], f["kind"], f.get("tcp_state", "")
    if p == "tcp" and k == "nat":
        c["tcp-estab" if t == "estab" else "tcp-halfopen"] += 1
    elif p == "tcp" and k == "fwd":
        c["fwd-tcp" if t == "estab" else "fwd-tcp-other"] += 1
    elif p == "udp":
        c["udp" if k == "nat" else k if k == "dns" else "fwd-udp"] += 1
    else:
        c[p] += 1
want = ["tcp-estab", "tcp-halfopen", "udp", "dns", "icmp", "fwd-tcp",
        "fwd-udp"]
print("flows %d:" % sum(c.values()),
      " ".join("%s=%d" % (k, c[k]) for k in want + sorted(set(c) - set(want))))
# DNS flows live 10 s past their last query: under the debug kernel in
# TCG the guest re-asks too slowly to keep 1000 of them alive at once
need = dict(((k, n) for k in want), dns=max(n // 4, 1))
sys.exit(0 if all(c[k] >= need[k] for k in sys.argv[2:] or want) else 1)
' "$N" "$@"
}

# halfopen_need: how many half-open flows to wait for, from how long the
# guest took to open its N connects.  Made evenly over T seconds and each
# living 31 s (then the guest's next SYN makes it again), N x 31 / T of
# them live at once when T > 31 s.  It wants N x 20 / T when T > 20 s: a
# count that holds for seconds.
halfopen_need()
{
	local t
	wait_secs $((60 * SLOW)) grep -q '^unat-flows: opened in' "$work/g-syn" ||
		return 1
	t=$(sed -n 's/^unat-flows: opened in \([0-9.]*\) s$/\1/p' "$work/g-syn")
	halfopen=$(awk -v n="$N" -v t="$t" \
		'BEGIN { m = t > 20 ? int(n * 20 / t) : n; print (m > 0 ? m : 1) }')
	echo "$N connects opened by the guest in $t s: want $halfopen half-open"
	progress "half-open: $N opened in $t s, want $halfopen"
}

# watch_connecting: from now on, unat0's guest connects in progress (unat
# show's connect_count, one request) every second, a line each, into
# $work/connecting, until kill_tree $watch_pid.  One loop inside $g: with
# an `ip netns exec` per reading, readings came 15 to 20 s apart on the
# debug kernel under this load, and missed the window, shorter than the
# 31 s a half-open flow lives, where all of them are there at once.
watch_connecting()
{
	ip netns exec "$g" bash -c 'while :; do
		"$0" -j show unat0 | json_num connect_count; sleep 1; done' \
		"$UNAT" >"$work/connecting" 2>/dev/null &
	watch_pid=$!
}

# connecting_at_least N: unat0 had N or more guest connects in progress at
# one reading of watch_connecting.  A census of thousands of flows takes
# tens of seconds on the debug kernel, longer than such a count may hold.
connecting_at_least()
{
	local last most
	# a here-string: the test VM has no /dev/fd for <(...)
	read -r last most <<<"$(awk '{ if ($1 > m) m = $1; l = $1 }
		END { print (NR ? l : "none"), m + 0 }' "$work/connecting")"
	progress "$((SECONDS - start)) s: connecting $last, at most $most, want $1"
	[ "$most" -ge "$1" ]
}

# census_wait [KIND...]: flow_census until it succeeds (0) or
# $census_until (in $SECONDS) passes
census_wait()
{
	local census ok=1
	while :; do
		census=$(flow_census "$@") && ok=0 && break
		progress "$((SECONDS - start)) s: $census"
		[ $SECONDS -lt $census_until ] || break
		sleep 2
	done
	echo "$census"
	progress "$census"
	return $ok
}

# build_flows: the world and its flows; sets $base_c, $base_slab.
build_flows()
{
	local start=$SECONDS reached=0 watch_pid
	# opening them takes a few seconds per 100 flows of each kind on the
	# stock kernel, ten times that on the debug one: room for more
	local census_until=$((SECONDS + 30 + SLOW * (30 + N / 10))) halfopen
	DMESG_START=$(dmesg_mark)
	[ -e "$KMEMLEAK" ] && echo clear >"$KMEMLEAK"
	base_slab=$(slab_counts)
	make_world || return 1
	ip -n "$r" route add blackhole 192.0.2.0/24 || return 1
	# the guest may ping; clients' sockets closed at the end die quickly
	for ns in "$g" "$s"; do
		nsx "$ns" sysctl -qw net.ipv4.ping_group_range="0 2147483647" \
			net.ipv4.tcp_orphan_retries=1 net.ipv4.tcp_fin_timeout=5 ||
			return 1
	done
	# UDP flows carry one datagram each: they must outlive the census
	u set unat0 flow-limit $((8 * N + 1024)) dns 192.0.2.53 \
		udp-timeout 3600 || return 1
	# room for every flow: local ports, and (where unat bounds them)
	# guest connects in progress and its share of those ports
	nsx "$c" sysctl -qw net.ipv4.ip_local_port_range="1024 65535" ||
		return 1
	# 1000 clients at once overflow a forward's 128-connection accept
	# queue: with SYN cookies the kernel forgets the overflow while the
	# client believes it is connected; without, the client tries again
	# (a kernel without SYN cookies, as the debug kernel, has none to
	# turn off)
	[ ! -e /proc/sys/net/ipv4/tcp_syncookies ] ||
		nsx "$c" sysctl -qw net.ipv4.tcp_syncookies=0 || return 1
	if "$UNAT" --help 2>&1 | grep -q connect-limit; then
		u set unat0 connect-limit $((2 * N + 1024)) port-share 100 ||
			return 1
	fi
	base_c=$(sock_counts "$c")
	echo "before: $c: $base_c; slabs: $base_slab"
	nsx "$s" "$FLOWS_BIN" listen 5000 slisten 5001 >"$work/s-servers" &
	nsx "$g" "$FLOWS_BIN" listen 80 slisten 81 usink 5353 >"$work/g-servers" &
	wait_for 10 tcp_bound "$s" 5001 && wait_for 10 tcp_bound "$g" 81 ||
		return 1
	u fwd add unat0 tcp:8080:80 >/dev/null &&
	u fwd add unat0 tcp:8081:81 >/dev/null &&
	u fwd add unat0 udp:5353:5353 >/dev/null || return 1
	nsx "$g" "$FLOWS_BIN" tcp $SERVER 5000 "$N" \
		stream $SERVER 5001 $STREAMS \
		udp $HOLE 9 "$N" dns 10.0.2.3 "$N" icmp $SERVER "$N" \
		>"$work/g-clients" &
	nsx "$s" "$FLOWS_BIN" tcp $HOST 8080 "$N" stream $HOST 8081 $STREAMS \
		udp $HOST 5353 "$N" >"$work/s-clients" &
	# half-open flows last: the host gives their connects up after 31 s
	# (the guest's SYN at 63 s makes them again, until its own retries
	# end at 127 s), so they are all there at once only if the guest
	# opens them faster than that
	if census_wait tcp-estab udp dns icmp fwd-tcp fwd-udp; then
		watch_connecting
		nsx "$g" "$FLOWS_BIN" syn $HOLE 80 "$N" >"$work/g-syn" &
		# the half-open ones are all there, if ever, within a
		# minute of the guest's last connect
		halfopen_need &&
			wait_secs $((40 + 8 * SLOW)) connecting_at_least \
				"$halfopen" && reached=1
		kill_tree "$watch_pid"
	fi
	if [ $reached = 0 ]; then
		tail -n 2 "$work"/g-* "$work"/s-*
		u show unat0
		fail "not $N flows of every kind"
		return 1
	fi
	echo "$N flows of every kind in $((SECONDS - start)) s;" \
		"$c: $(sock_counts "$c")"
	# data in flight both ways, still
	sleep 2
	tail -n 1 "$work/g-clients" "$work/s-clients" | grep '^unat-flows'
}

# wait_secs SECONDS COMMAND...: poll COMMAND every second until it
# succeeds or SECONDS (of wall time, however slow COMMAND) pass.
wait_secs()
{
	local end=$((SECONDS + $1))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ $SECONDS -lt $end ] || { "$@"; return; }
		sleep 1
	done
}

# no_unat NS: no unat device left in NS.
no_unat() { [ -z "$(ip -n "$1" -o link show type unat 2>/dev/null)" ]; }

# sockets_back NS: the sockets of NS as they were before the flows.
sockets_back() { [ "$(sock_counts "$1")" = "$base_c" ]; }

check_sockets_c()
{
	if ! wait_secs $((30 * SLOW)) sockets_back "$c" >/dev/null; then
		fail "$c sockets: $(sock_counts "$c"), were $base_c"
		return 1
	fi
	echo "after: $c: $(sock_counts "$c")"
}

# kmemleak_unat: leaks whose stack is unat's (or an unloaded module's),
# after two scans; nothing from other subsystems counts.
kmemleak_unat()
{
	local leaks
	[ -e "$KMEMLEAK" ] || return 0
	# the last kmemleak= of the command line is the one that counts
	if [ "$(sed -n 's/.*kmemleak=\([a-z]*\).*/\1/p' /proc/cmdline)" = off ]; then
		echo "kmemleak: off in this VM, not checked"
		return 0
	fi
	echo scan >"$KMEMLEAK"
	sleep 6
	echo scan >"$KMEMLEAK"
	leaks=$(awk '
		/^unreferenced object/ { if (bad) print rec; rec = ""; bad = 0 }
		{ rec = rec $0 "\n" }
		/\[unat\]|unat_|\] 0xffffffffc0/ { bad = 1 }
		END { if (bad) print rec }' "$KMEMLEAK")
	if [ -n "$leaks" ]; then
		echo "$leaks" | head -60
		fail "kmemleak: unat leaked"
		return 1
	fi
	echo "kmemleak: nothing from unat"
}

# finish_case: every process and namespace of the case gone, then the
# global checks.
finish_case()
{
	local now ns
	# the jobs are subshells around `ip netns exec`: kill what runs in
	# the namespaces themselves
	for ns in "${ns_list[@]}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -9
	done
	kill_tree -KILL $(jobs -p)
	wait 2>/dev/null
	cleanup_ns
	if ! wait_secs $((90 * SLOW)) slabs_back_progress; then
		fail "slabs: $(slab_counts), were $base_slab"
		return 1
	fi
	echo "slabs after: $(slab_counts)"
	if [ -d /sys/module/unat ]; then
		now=$(cat /sys/module/unat/refcnt)
		expect_eq "/sys/module/unat/refcnt" "$now" 0 || return 1
	fi
	no_splat_since "$DMESG_START" || return 1
	kmemleak_unat
}

# torn NAME START: what the teardown itself took.
torn() { echo "$1: gone in $((SECONDS - $2)) s"; progress "$1: gone in $((SECONDS - $2)) s"; }

test_link_del()
{
	local t
	unat_load && build_flows || return 1
	t=$SECONDS
	timeout $((60 * SLOW)) ip -n "$g" link del unat0 ||
		{ fail "ip link del unat0"; return 1; }
	no_unat "$g" || { fail "unat0 still there"; return 1; }
	check_sockets_c || return 1
	torn "ip link del unat0" $t
	finish_case
}

# The guest's netns goes, its processes killed first (they hold it) as
# when a container dies: the forwards' clients in s keep pushing.
test_guest_netns()
{
	local t pids
	unat_load && build_flows || return 1
	pids=$(ip netns pids "$g")
	t=$SECONDS
	kill -9 $pids
	timeout $((60 * SLOW)) ip netns del "$g" || { fail "netns del"; return 1; }
	ns_list=("$c" "$r" "$s")
	check_sockets_c || return 1
	torn "guest netns" $t
	finish_case
}

# The creating netns goes: the device stays in the guest's netns, its
# flows and forwards closed, its own services answering; then it is
# deleted cleanly.
test_creating_netns()
{
	local t
	unat_load && build_flows || return 1
	t=$SECONDS
	timeout $((60 * SLOW)) ip netns del "$c" || { fail "netns del"; return 1; }
	ns_list=("$g" "$r" "$s")
	wait_secs $((30 * SLOW)) sh -c "ip netns exec $g $UNAT -j show unat0 |
		grep -Eq '\"flow_count\": *0[,}]'" >/dev/null ||
		{ fail "flows left: $(u show unat0 | grep -o 'flows [0-9]*')"; return 1; }
	nsx "$g" ping -c 1 -W $((5 * SLOW)) 10.0.2.2 >/dev/null ||
		{ fail "the gateway no longer answers"; return 1; }
	torn "creating netns, flows" $t
	timeout $((60 * SLOW)) ip -n "$g" link del unat0 ||
		{ fail "ip link del unat0"; return 1; }
	no_unat "$g" || { fail "unat0 still there"; return 1; }
	finish_case
}

# The macvtap on unat0 goes while a VM emulator writes to it; then unat0,
# still carrying its flows, is deleted.
test_macvtap()
{
	local dev tapdev t left
	modprobe macvtap 2>/dev/null
	unat_load && build_flows || return 1
	ip -n "$g" link add link unat0 name mvt0 address $TAP_MAC \
		type macvtap mode bridge && ip -n "$g" link set mvt0 up || return 1
	dev=$(ip netns exec "$g" sh -c 'cat /sys/class/net/mvt0/macvtap/tap*/dev') ||
		return 1
	tapdev=$work/tap
	mknod "$tapdev" c "${dev%:*}" "${dev#*:}" || return 1
	(i=0; while "$TAPGUEST" --dev "$tapdev" --mac $TAP_MAC --seed $i \
		garbage 200 >/dev/null 2>&1; do i=$((i + 1)); done; echo $i \
		>"$work/tap-rounds") &
	sleep $((3 * SLOW))
	t=$SECONDS
	timeout $((60 * SLOW)) ip -n "$g" link del mvt0 ||
		{ fail "ip link del mvt0"; return 1; }
	wait_secs $((10 * SLOW)) test -s "$work/tap-rounds" ||
		{ fail "the emulator did not notice"; return 1; }
	echo "emulator: $(cat "$work/tap-rounds") rounds of 200 frames"
	torn "macvtap" $t
	left=$(dev_field flow_count)
	echo "flows after the macvtap: $left"
	# every flow of the five kinds that stay: not the half-open ones,
	# whose connects may have timed out meanwhile (31 s), nor the DNS
	# ones, which go 10 s after their last query, and all go at once on
	# the debug kernel if the guest's re-asking falls behind (make stress
	# there: 0 left of 536, with the emulator's writes taking the CPU)
	[ "${left:-0}" -ge $((5 * N)) ] ||
		{ fail "flows lost with the macvtap"; return 1; }
	t=$SECONDS
	timeout $((60 * SLOW)) ip -n "$g" link del unat0 ||
		{ fail "ip link del unat0"; return 1; }
	no_unat "$g" || { fail "unat0 still there"; return 1; }
	check_sockets_c || return 1
	torn "ip link del unat0" $t
	finish_case
}

# rmmod takes every device with it, flows and all; the next case reloads.
test_rmmod()
{
	local t
	unat_load && build_flows || return 1
	t=$SECONDS
	timeout $((60 * SLOW)) rmmod unat || { fail "rmmod unat"; return 1; }
	[ ! -d /sys/module/unat ] || { fail "module still there"; return 1; }
	no_unat "$g" || { fail "unat0 still there"; return 1; }
	check_sockets_c || return 1
	torn "rmmod" $t
	finish_case || return 1
	unat_load
}

ktap_plan 5
unat_load || { echo "Bail out! cannot load unat"; exit 1; }
[ -x "$FLOWS_BIN" ] || { echo "Bail out! no $FLOWS_BIN (make -C tools)"; exit 1; }
echo "# $N flows of every kind"
ktap_case "ip link del unat0 with $N flows of every kind" test_link_del
ktap_case "guest netns deleted with $N flows of every kind" test_guest_netns
ktap_case "creating netns deleted with $N flows of every kind" test_creating_netns
ktap_case "macvtap deleted under a writer, then unat0" test_macvtap
ktap_case "rmmod unat with $N flows of every kind" test_rmmod
ktap_finish
