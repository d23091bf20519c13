#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Port forwards: host ports of the creating netns carried to the guest.
# An HTTP server in the guest fetched byte-exact through a forward, seeing
# each client as it is (a client behind the host) or as the gateway (a
# client on the host's loopback, or a forward with "source gateway"), with
# restrict on; UDP from two clients at once; forwards added and removed at
# run time, a connection outliving its forward; the errors; port 0; the
# device deleted under a forward and a connection; forwards given to
# ip link add.
#
#   g (guest, servers) ─unat0─ c (forwards listen here) ─ r ─ s (client)
#   10.0.2.15                   198.51.100.1                  203.0.113.2

source "$(dirname "$0")/lib.sh"
TCPU=$UNAT_TOP/selftests/tcp_util.py
UDPU=$UNAT_TOP/selftests/udp_echo.py
HOST=198.51.100.1
CLIENT=203.0.113.2
GATEWAY=10.0.2.2
work=$(mktemp -d)
trap 'cleanup_ns; rm -rf "$work"' EXIT

# 16 MiB through the forward; 4 MiB on the debug kernel.
KIB=16384
[ $UNAT_DEBUG_KERNEL = 1 ] && KIB=4096

# u ARGS...: the unat tool where the device is, the guest's netns.
u() { nsx "$g" "$UNAT" "$@"; }


# The guest's web server on port 80, its log in $work/http.log.
start_http()
{
	head -c $((KIB * 1024)) /dev/urandom >"$work/blob"
	sha256sum <"$work/blob" | cut -d' ' -f1 >"$work/blob.sha"
	nsx "$g" "$TCPU" http-server 80 "$work/blob" >"$work/http.log" 2>&1 &
	wait_for 10 tcp_bound "$g" 80
}

# fetch NS URL: the blob through a forward, its sha256 checked.
fetch()
{
	local got
	got=$(nsx "$1" curl -sS --max-time 120 "$2" | sha256sum | cut -d' ' -f1)
	expect_eq "sha256 of $2 from $1" "$got" "$(cat "$work/blob.sha")"
}

# last_client: who the guest's server saw last.
last_client() { awk '$1 == "get" { a = $2 } END { print a }' "$work/http.log"; }

test_tcp_real_client()
{
	local out
	make_world || return 1
	start_http || return 1
	out=$(u fwd add unat0 tcp:8080:80) || return 1
	echo "$out"
	expect_match "added" "$out" "^tcp 0.0.0.0:8080 -> 80" || return 1
	wait_for 5 tcp_bound "$c" 8080 || { fail "no listener in ss -l"; return; }
	fetch "$s" "http://$HOST:8080/blob" || return 1
	expect_eq "the guest sees the client" "$(last_client)" "$CLIENT" ||
		return 1
	fetch "$c" "http://127.0.0.1:8080/blob" || return 1
	expect_eq "a loopback client is the gateway" "$(last_client)" \
		"$GATEWAY" || return 1
	echo "accepted: $(unat_stat -n "$g" unat0 fwd_tcp_accepted)"
	[ "$(unat_stat -n "$g" unat0 fwd_tcp_accepted)" -ge 2 ] ||
		fail "fwd_tcp_accepted not counted"
}

test_gateway_source_restrict()
{
	make_world restrict on || return 1
	start_http || return 1
	u fwd add unat0 tcp:8081:80 source gateway || return 1
	expect_match "listed" "$(u fwd list unat0)" \
		"tcp 0.0.0.0:8081 -> 80 source gateway" &&
	expect_match "in unat show" "$(u show unat0)" \
		"tcp 0.0.0.0:8081 -> 80 source gateway" || return 1
	fetch "$s" "http://$HOST:8081/blob" || return 1
	expect_eq "the guest sees the gateway" "$(last_client)" "$GATEWAY" &&
	expect_eq "restrict still holds for the guest's own connections" \
		"$(nsx "$g" "$TCPU" connect "$CLIENT" 9 --timeout 5)" \
		ECONNREFUSED
}

# Two clients (both in s, distinct ports) talk to one guest port at once;
# each sees its own answers.  The guest's whoami server names the client.
test_udp_two_clients()
{
	local p1 p2 out
	make_world || return 1
	nsx "$g" "$UDPU" server 7 >/dev/null 2>&1 &
	nsx "$g" "$UDPU" whoami 9 >/dev/null 2>&1 &
	wait_for 5 udp_bound "$g" 7 && wait_for 5 udp_bound "$g" 9 || return 1
	# long enough for a slow (debug) kernel to dump them first
	u set unat0 udp-timeout 20 &&
	u fwd add unat0 udp:5007:7 && u fwd add unat0 udp:5009:9 || return 1
	nsx "$s" "$UDPU" client "$HOST" 5007 1400 --expect-from "$HOST" \
		>"$work/c1" 2>&1 &
	p1=$!
	nsx "$s" "$UDPU" client "$HOST" 5007 30000 --expect-from "$HOST" \
		>"$work/c2" 2>&1 &
	p2=$!
	wait $p1 && wait $p2 ||
		{ cat "$work/c1" "$work/c2"; fail "an echo failed"; return; }
	cat "$work/c1" "$work/c2"
	out=$(nsx "$s" "$UDPU" ask "$HOST" 5009) || return 1
	expect_match "the guest sees the UDP client" "$out" "^$CLIENT:[0-9]+$" ||
		return 1
	out=$(nsx "$c" "$UDPU" ask 127.0.0.1 5009) || return 1
	expect_match "a loopback UDP client is the gateway" "$out" \
		"^$GATEWAY:[0-9]+$" || return 1
	u flows unat0
	[ "$(u flows unat0 | grep -c "fwd")" -ge 3 ] ||
		{ fail "the UDP bindings are not in unat flows"; return; }
	# idle past the UDP timeout, the bindings go; the forwards stay
	wait_for 45 no_bindings ||
		{ fail "the UDP bindings outlived the UDP timeout"; return; }
	expect_eq "forwards after the bindings went" \
		"$(u fwd list unat0 | wc -l)" 2
}

no_bindings()
{
	local out
	out=$(u flows unat0) && ! grep -q fwd <<<"$out"
}

# One connection through a forward, held open across its removal: a
# line, then after "$work/go" appears, another line, both echoed.
held_connection()
{
	rm -f "$work/go"
	nsx "$s" python3 -c '
import os, socket, sys, time
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=30)
s.sendall(b"one\n"); print(s.recv(100).decode().strip(), flush=True)
while not os.path.exists(sys.argv[3]):
    time.sleep(0.1)
s.sendall(b"two\n")
two = s.recv(100).decode().strip()
print(two, flush=True)
sys.exit(0 if two else "the connection closed")
' "$HOST" 8082 "$work/go"
}

test_runtime_add_del()
{
	local pid
	make_world || return 1
	nsx "$g" "$TCPU" echo-server 7 >/dev/null 2>&1 &
	wait_for 10 tcp_bound "$g" 7 || return 1
	u fwd add unat0 tcp:8082:7 || return 1
	held_connection >"$work/held" 2>&1 &
	pid=$!
	wait_for 20 grep -q one "$work/held" ||
		{ cat "$work/held"; fail "no echo through the forward"; return; }
	u flows unat0 | grep fwd
	expect_match "the flow in unat flows" "$(u -j flows unat0)" \
		'"kind":"fwd"' || return 1
	u fwd del unat0 tcp:8082 || return 1
	tcp_bound "$c" 8082 && { fail "the listener outlived its forward"; return; }
	expect_eq "no forwards left" "$(u fwd list unat0)" "" || return 1
	touch "$work/go"
	wait $pid || { cat "$work/held"; fail "the held connection broke"; return; }
	expect_match "the connection outlived its forward" \
		"$(cat "$work/held")" "two" || return 1
	expect_eq "a removed forward refuses" \
		"$(nsx "$s" "$TCPU" connect "$HOST" 8082 --timeout 5)" \
		ECONNREFUSED || return 1
	u fwd add unat0 tcp:8082:7 && u fwd del unat0 tcp:8082
}

no_flows() { u -j show unat0 | grep -Eq '"flow_count": *0[,}]'; }

# reset_through PORT: a client connects through a forward and reads; the
# host accepted it, so a refusal on the guest's side comes as a reset.
reset_through()
{
	nsx "$s" python3 -c '
import socket, sys
try:
    # the reset may come before connect() returns
    s = socket.create_connection((sys.argv[1], int(sys.argv[2])),
                                 timeout=30)
    print("EOF" if not s.recv(1) else "DATA")
except ConnectionResetError:
    print("RESET")
except socket.timeout:
    print("TIMEOUT")
' "$HOST" "$1"
}

# A guest port nobody listens on, and a full flow table: the client is
# reset, at once, and the refusal counted.
test_refused()
{
	local pid
	make_world || return 1
	nsx "$g" "$TCPU" echo-server 7 >/dev/null 2>&1 &
	wait_for 10 tcp_bound "$g" 7 || return 1
	u fwd add unat0 tcp:8095:9 && u fwd add unat0 tcp:8082:7 || return 1
	expect_eq "a closed guest port resets the client" \
		"$(reset_through 8095)" RESET || return 1
	# the reset flow holds its slot until the reaper's next pass
	wait_for 10 no_flows || { u flows unat0; fail "a flow stayed"; return; }
	u set unat0 flow-limit 1 || return 1
	held_connection >"$work/held" 2>&1 &
	pid=$!
	wait_for 20 grep -q one "$work/held" || return 1
	expect_eq "a full flow table resets the client" \
		"$(reset_through 8082)" RESET || return 1
	echo "drop_fwd_refused: $(unat_stat -n "$g" unat0 drop_fwd_refused)"
	[ "$(unat_stat -n "$g" unat0 drop_fwd_refused)" -ge 1 ] ||
		{ fail "the refusal was not counted"; return; }
	touch "$work/go"
	wait $pid || { cat "$work/held"; fail "the held connection broke"; }
}

# expect_fwd_error WHAT ARGS...: the command fails, says WHAT, and the
# forwards are as before.
expect_fwd_error()
{
	local what=$1 before out
	shift
	before=$(u fwd list unat0)
	out=$(u "$@" 2>&1) && { fail "'$*' succeeded"; return 1; }
	echo "$* -> $out"
	expect_match "error of '$*'" "$out" "$what" &&
	expect_eq "forwards after '$*'" "$(u fwd list unat0)" "$before"
}

test_errors()
{
	make_world || return 1
	nsx "$c" socat TCP-LISTEN:8090,reuseaddr - >/dev/null 2>&1 &
	wait_for 10 tcp_bound "$c" 8090 || return 1
	u fwd add unat0 tcp:8083-8085:80-82 || return 1
	expect_fwd_error "in use" fwd add unat0 tcp:8090:80 &&
	expect_fwd_error "overlap" fwd add unat0 tcp:8085:80 &&
	expect_fwd_error "overlap" fwd add unat0 tcp:127.0.0.1:8084:80 &&
	expect_fwd_error "not the host's" fwd add unat0 tcp:192.0.2.9:8086:80 &&
	expect_fwd_error "no such forward" fwd del unat0 tcp:8084 &&
	expect_fwd_error "no such forward" fwd del unat0 udp:8083 &&
	expect_fwd_error "differ|length" fwd add unat0 tcp:8100-8101:80-82 ||
		return 1
	# a range of which one port is in use: none of it stays bound
	expect_fwd_error "in use" fwd add unat0 tcp:8088-8092:80 || return 1
	tcp_bound "$c" 8088 && { fail "a refused range kept a port"; return; }
	# UDP and TCP ranges are apart
	u fwd add unat0 udp:8083-8085:80-82 || return 1
	expect_eq "forwards" "$(u fwd list unat0 | wc -l)" 2
}

# The kernel refuses what the tool would not send, with its own message.
test_errors_netlink()
{
	local out
	have_ynl || return 4
	make_world || return 1
	out=$(ynl "$g" --do fwd-add --json '{"ifname": "unat0", "proto": 6, "host": {"port": 65535}, "count": 2}' 2>&1)
	echo "$out" | tail -2
	expect_match "range past 65535" "$out" "past 65535" || return 1
	out=$(ynl "$g" --do fwd-add --json '{"ifname": "unat0", "proto": 17, "host": {"port": 0}, "count": 3}' 2>&1)
	expect_match "port 0 with a range" "$out" "takes no range" || return 1
	out=$(ynl "$g" --do fwd-add --json '{"ifname": "unat0", "proto": 1, "host": {"port": 80}}' 2>&1)
	expect_match "ICMP" "$out" "TCP or UDP" || return 1
	out=$(ynl "$g" --do fwd-add --json '{"ifname": "unat0", "proto": 6, "host": {"port": 9000}, "count": 2000}' 2>&1)
	expect_match "too many ports" "$out" "1024|range" || return 1
	expect_eq "nothing added" "$(u fwd list unat0)" "" || return 1
	out=$(ynl "$g" --do fwd-add --json '{"ifname": "unat0", "proto": 6, "host": {"port": 9000}, "guest-port": 80}') &&
	expect_match "made" "$out" "'guest-port': 80"
}

test_port_zero()
{
	local out port
	make_world || return 1
	start_http || return 1
	out=$(u fwd add unat0 tcp:0:80) || return 1
	echo "$out"
	port=$(sed -n 's/^tcp 0.0.0.0:\([0-9]*\) -> 80.*/\1/p' <<<"$out")
	[ -n "$port" ] && [ "$port" != 0 ] ||
		{ fail "no port reported"; return; }
	tcp_bound "$c" "$port" || { fail "port $port not listening"; return; }
	fetch "$s" "http://$HOST:$port/blob"
}

# unat0 deleted with forwards and a live connection: listeners gone, the
# client reset, nothing left (the harness checks kmemleak and splats).
test_delete_device()
{
	local pid
	make_world || return 1
	nsx "$g" "$TCPU" echo-server 7 >/dev/null 2>&1 &
	wait_for 10 tcp_bound "$g" 7 || return 1
	u fwd add unat0 tcp:8082:7 && u fwd add unat0 udp:8082-8089:7 ||
		return 1
	held_connection >"$work/held" 2>&1 &
	pid=$!
	wait_for 20 grep -q one "$work/held" || return 1
	nsx "$g" ip link del unat0 || return 1
	touch "$work/go"
	wait $pid && { cat "$work/held"; fail "the connection survived its device"; return; }
	cat "$work/held"
	tcp_bound "$c" 8082 || udp_bound "$c" 8085 &&
		{ fail "a listener outlived the device"; return; }
	nsx "$c" ss -Htan | grep -v LISTEN | grep ":8082" &&
		{ fail "a forwarded connection was left behind"; return; }
	return 0
}

# ip link add ... fwd SPEC: made with the device; a refused one makes no
# device and leaves no listener; ip link set cannot change them.
test_link_fwds()
{
	local out
	make_world fwd tcp:8084:80 fwd udp:5009:9 source gateway || return 1
	start_http || return 1
	nsx "$g" "$UDPU" whoami 9 >/dev/null 2>&1 &
	wait_for 5 udp_bound "$g" 9 || return 1
	u fwd list unat0
	expect_match "TCP forward made" "$(u fwd list unat0)" \
		"tcp 0.0.0.0:8084 -> 80 source client" || return 1
	fetch "$s" "http://$HOST:8084/blob" || return 1
	expect_eq "the guest sees the client" "$(last_client)" "$CLIENT" ||
		return 1
	out=$(nsx "$s" "$UDPU" ask "$HOST" 5009) || return 1
	expect_match "source gateway from ip link" "$out" "^$GATEWAY:[0-9]+$" ||
		return 1
	out=$(ip -n "$c" link add unat1 type unat fwd tcp:8087:80 \
		fwd tcp:8084:80 2>&1) && { fail "a port in use was taken"; return; }
	echo "$out"
	expect_match "refused with a reason" "$out" "in use" || return 1
	ip -n "$c" link show unat1 >/dev/null 2>&1 &&
		{ fail "a refused device exists"; return; }
	tcp_bound "$c" 8087 && { fail "a refused device left a listener"; return; }
	out=$(nsx "$g" ip link set unat0 type unat fwd tcp:8088:80 2>&1) &&
		{ fail "ip link set changed forwards"; return; }
	echo "$out"
	expect_match "changelink refused" "$out" "unat fwd"
}

ktap_plan 10
unat_load || { echo "Bail out! cannot load unat"; exit 1; }
ktap_case "TCP forward: HTTP byte-exact, the client's address, loopback as the gateway" \
	test_tcp_real_client
ktap_case "source gateway, restrict on: forwarded traffic still flows" \
	test_gateway_source_restrict
ktap_case "UDP forward: two clients at once, each seen as itself, then idle out" \
	test_udp_two_clients
ktap_case "add and delete at run time: a connection outlives its forward" \
	test_runtime_add_del
ktap_case "port in use, overlap, foreign address, no such forward: refused, nothing changed" \
	test_errors
ktap_case "netlink: bad ranges and protocols refused with extack" \
	test_errors_netlink
ktap_case "host port 0: the kernel picks one and reports it" test_port_zero
ktap_case "device deleted under forwards and a connection: nothing left" \
	test_delete_device
ktap_case "ip link add ... fwd: forwards made with the device, or no device" \
	test_link_fwds
ktap_case "closed guest port, full flow table: the client is reset" \
	test_refused
ktap_finish
