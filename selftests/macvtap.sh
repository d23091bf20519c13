#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The VM path: a macvtap on unat0 and a guest emulator that speaks through
# /dev/tapN with a virtio_net_hdr before every frame, as QEMU does.
#
# Topology: unat0 and a macvtap on it in netns h, the guest emulator
# (tools/tapguest) on /dev/tapN; for traffic through the host, h is the
# creating netns of lib.sh's world.
#
#   tapguest ─/dev/tapN─ mvt0 ─ unat0 (h) ─ r (router) ─ s (server)

source "$(dirname "$0")/lib.sh"

GUEST_MAC=52:54:00:12:34:56

# make_tap [ip link add options...]: sets $h and $tapdev.
make_tap()
{
	setup_ns h || return 1
	make_tap_in "$h" "$@"
}

# make_tap_in NS [ip link add options...]: unat0 and its macvtap in NS
# (whose variable $h becomes); sets $tapdev.
make_tap_in()
{
	local dev
	h=$1
	shift
	ip -n "$h" link add unat0 type unat "$@" || return 1
	ip -n "$h" link set unat0 up || return 1
	ip -n "$h" link add link unat0 name mvt0 address "$GUEST_MAC" \
		type macvtap mode bridge || return 1
	ip -n "$h" link set mvt0 up || return 1
	# /dev/tapIFINDEX may still be another netns's macvtap, on its way
	# out: make our own node from this macvtap's device number.
	dev=$(ip netns exec "$h" sh -c 'cat /sys/class/net/mvt0/macvtap/tap*/dev') ||
		return 1
	tapdev=$(mktemp -u /tmp/unat-tap.XXXXXX)
	mknod "$tapdev" c "${dev%:*}" "${dev#*:}" || fail "no $tapdev"
}

guest()
{
	"$TAPGUEST" --dev "$tapdev" --mac "$GUEST_MAC" "$@"
}

test_dhcp_over_macvtap()
{
	make_tap || return 1
	guest --expect-addr 10.0.2.15/24 --expect-router 10.0.2.2 \
		--expect-dns 10.0.2.3 --expect-mtu 65520 --expect-lease 86400 \
		dhcp arp 10.0.2.2 arp 10.0.2.3 ping 10.0.2.2 3 ping 10.0.2.3 2 ||
		return 1
	expect_eq "echo replies" "$(unat_stat -n "$h" unat0 icmp_echo_replies)" 5 &&
	expect_eq "acks" "$(unat_stat -n "$h" unat0 dhcp_acks)" 1
}

# A guest with transmit checksum offload leaves UDP checksums unfinished.
test_csum_offload()
{
	make_tap mtu 9000 domain vm.example || return 1
	guest --offload csum,tso4 --csum-partial --broadcast \
		--expect-addr 10.0.2.15/24 --expect-mtu 9000 \
		--expect-domain vm.example dhcp ping 10.0.2.2 2
}

# Echo requests whose checksum the VM left to the device (NEEDS_CSUM): at
# the ICMP checksum a 4000-byte echo leaves through the host, fragmented
# on its 1500-byte path, and comes back whole; anywhere else it is a
# counted drop, never finished into a header that unat built.
test_echo_csum_offsets()
{
	local bad n=0
	make_world_routes && make_tap_in "$c" || return 1
	guest --offload csum --ping-size 4000 --ping-csum icmp \
		dhcp ping 203.0.113.2 3 || return 1
	# in the IP header (TTL, destination), the ICMP id, mid-header
	for bad in 20:4 30:0 34:6 38:2; do
		guest --timeout 700 --ping-size 4000 --ping-csum "$bad" \
			dhcp ping 203.0.113.2 1 >/dev/null &&
			{ fail "echo with csum_start:offset $bad answered"; return 1; }
		n=$((n + 1))
	done
	expect_eq "drop_bad_offload" \
		"$(unat_stat -n "$h" unat0 drop_bad_offload)" $n &&
	guest --ping-size 1000 dhcp ping 203.0.113.2 1
}

# Malformed frames are counted and dropped; the device keeps answering.
test_garbage_then_dhcp()
{
	local before after
	make_tap || return 1
	before=$(unat_stat -n "$h" unat0 drop_malformed)
	guest --seed 7 garbage 500 || return 1
	guest --expect-addr 10.0.2.15/24 dhcp ping 10.0.2.2 2 || return 1
	after=$(unat_stat -n "$h" unat0 drop_malformed)
	echo "drop_malformed: $before -> $after"
	[ "$after" -gt "$before" ] || { fail "no malformed frame counted"; return 1; }
	ip netns exec "$h" ethtool -S unat0 | grep -E 'drop_|dhcp_' | sed 's/^ *//'
}

# A second guest MAC behind the same device gets no address while the
# first one holds the lease.
test_second_guest_refused()
{
	make_tap || return 1
	guest dhcp || return 1
	"$TAPGUEST" --dev "$tapdev" --mac 52:54:00:99:99:99 --timeout 1000 dhcp &&
		{ fail "second guest got the address"; return; }
	expect_eq "refusals" \
		"$(unat_stat -n "$h" unat0 drop_dhcp_no_address)" 1
}

# unat0 deleted under a live macvtap takes the macvtap along.
test_delete_under_macvtap()
{
	make_tap || return 1
	guest dhcp || return 1
	ip -n "$h" link del unat0 || return 1
	ip -n "$h" link show mvt0 >/dev/null 2>&1 && { fail "macvtap survived"; return 1; }
	return 0
}

# tcp_case OFFLOAD: the emulator uploads 1 MiB to a server on the host's
# loopback (the gateway address), which answers with its sha256 and 1 MiB
# after the emulator's FIN.
tcp_case()
{
	local offload=$1 out want
	make_tap || return 1
	# -t 60: after the guest's FIN, the whole answer, however slow the kernel
	ip netns exec "$h" socat -t 60 TCP-LISTEN:6000,bind=127.0.0.1,reuseaddr \
		SYSTEM:"sha256sum; head -c 1048576 /dev/zero" >/dev/null 2>&1 &
	wait_for 10 sh -c "ip netns exec $h ss -Htln | grep -q :6000" || return 1
	want=$(python3 -c 'import hashlib
print(hashlib.sha256(bytes((k % 251) ^ ((k // 251) & 0xff)
	for k in range(1 << 20))).hexdigest())')
	out=$(guest --offload "$offload" dhcp \
		tcp 10.0.2.2 6000 1048576) || {
		echo "$out"
		ip netns exec "$h" ethtool -S unat0 | grep -v ": 0$"
		return 1
	}
	echo "$out" | grep "^tcp:"
	expect_match "answer" "$out" "answer \"$want  -\"" &&
	expect_match "received" "$out" "received $((1048576 + 68)) bytes"
}

# TSO both ways: 64 KiB super-frames from the guest, GSO frames to it.
test_tcp_tso()
{
	local out
	out=$(tcp_case csum,tso4) || { echo "$out"; return 1; }
	echo "$out"
	expect_match "TSO frames sent" "$out" "largest [0-9]{5}\)" &&
	expect_match "GSO frames received" "$out" "GSO\)" &&
	! grep -q " 0 GSO)" <<<"$out" || fail "no GSO frame reached the guest"
}

# No offloads: MSS-sized segments both ways, macvtap segments for us.
test_tcp_no_offload()
{
	local out
	out=$(tcp_case none) || { echo "$out"; return 1; }
	echo "$out"
	expect_match "no GSO" "$out" "largest 1514, 0 GSO\)"
}

ktap_plan 8
unat_load || { echo "Bail out! cannot load unat"; exit 1; }
modprobe macvtap 2>/dev/null
ktap_case "DHCP, ARP and ping through macvtap with vnet headers" test_dhcp_over_macvtap
ktap_case "checksum offload: NEEDS_CSUM frames, MTU and domain" test_csum_offload
ktap_case "500 malformed frames counted, device still answers" test_garbage_then_dhcp
ktap_case "echo checksum offsets: 4000 bytes out and back, bad ones dropped" \
	test_echo_csum_offsets
ktap_case "a second guest MAC gets no address" test_second_guest_refused
ktap_case "deleting unat0 under a macvtap" test_delete_under_macvtap
ktap_case "TCP with TSO both ways through the vnet header" test_tcp_tso
ktap_case "TCP without offloads through macvtap" test_tcp_no_offload
ktap_finish
