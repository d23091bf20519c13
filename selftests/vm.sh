#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A real virtual machine on unat: QEMU (TCG) boots Debian's stock kernel
# with a busybox initramfs (vm_guest.sh) inside the test VM, its three
# virtio-net NICs put on three unat devices by one chained `unat vm`
# command:
#
#   eth0  unat0, MTU 1500, every offload on (TSO and checksums both ways
#         through the vnet header)
#   eth1  unat1, MTU 1500, every offload off
#   eth2  unat2, MTU 65520, vhost-net, 2 queue pairs
#
# On each NIC, one at a time, the guest runs udhcpc, resolves the server's
# name through unat's DNS and another name by asking the server's own DNS
# over UDP, downloads 2 MiB and uploads about 2 MiB over
# HTTP (sha256 checked against the server netns) and pings the server; on
# eth2 it also downloads from both vCPUs at once and makes short
# connections, which must use both receive queues.  One boot serves every
# case (it takes minutes under nested TCG); the cases then check its
# results.  At the end, with a download running on eth2, unat2 is deleted
# under the VM, then eth1's macvtap, then QEMU is killed: no order of
# going away may leak or splat.
#
#   10.0.2.15 (QEMU guest) ── macvtap ── unatN   (netns c)
#                                 c 198.51.100.1 ─ r ─ s 203.0.113.2

source "$(dirname "$0")/lib.sh"

SERVER=203.0.113.2
NAME=server.test
UDPNAME=udp.test
UDPADDR=192.0.2.77
PORT=8080
KIB=2048
GUEST_DEATH='Oops|BUG:|general protection|Kernel panic'
vmdir=$(mktemp -d)
trap 'cleanup_ns; rm -rf "$vmdir"' EXIT
# The guest's console, where the test VM's results go when there is such
# a place (run.sh's share, readable from the host while the test runs).
console=$vmdir/console.log
[ -d "${UNAT_OUT:-}" ] && console=$UNAT_OUT/vm-guest.log

# The stock kernel the test VM's harness fetched (tools/vm/kernel.sh).
guest_kernel()
{
	local cache=${UNAT_CACHE:-/var/cache/unat}
	ls -dt "$cache"/stock-*/ 2>/dev/null | head -n 1
}

# R NIC KEY: the value a result line of the guest gave.
R()
{
	awk -v n="$1" -v k="$2" '$1 == "R" && $2 == n && $3 == k {
		$1 = $2 = $3 = ""; sub(/^ +/, ""); print; exit }' \
		"$console" | tr -d '\r'
}

start_server()
{
	head -c $((KIB * 1024)) /dev/urandom >"$vmdir/blob"
	sha256sum "$vmdir/blob" | cut -d' ' -f1 >"$vmdir/blob.sha"
	ip netns exec "$s" python3 "$UNAT_TOP/selftests/tcp_util.py" \
		http-server "$PORT" "$vmdir/blob" >"$vmdir/server.log" 2>&1 &
	start_dnsmasq "$c" 127.0.0.1 "$NAME/$SERVER" &&
	# UDP to a remote: a name only the server's own DNS knows
	start_dnsmasq "$s" "$SERVER" "$UDPNAME/$UDPADDR" &&
	wait_for 10 tcp_bound "$s" "$PORT"
}

make_devices()
{
	local i
	ip -n "$c" link add unat0 type unat mtu 1500 &&
	ip -n "$c" link add unat1 type unat mtu 1500 &&
	ip -n "$c" link add unat2 type unat || return 1
	for i in 0 1 2; do
		ip -n "$c" link set "unat$i" up &&
		ip netns exec "$c" "$UNAT" set "unat$i" dns 127.0.0.1 || return 1
	done
}

# save_counters: every counter of unat0-2, saved for the cases (the
# devices are gone by then).
save_counters()
{
	local i
	for i in 0 1 2; do
		ip netns exec "$c" ethtool -S "unat$i" | sed 's/^ *//' \
			>"$vmdir/unat$i.stats"
	done
}

# take_away QEMU: unat2 goes under the running VM, then eth1's macvtap,
# then QEMU (through the `unat vm` chain), which must exit cleanly and
# leave nothing behind; then unat0 and unat1 go.
take_away()
{
	local qemu=$1
	ip -n "$c" link del unat2 || return 1
	sleep 1
	ip -n "$c" link del vm1 || return 1
	sleep 1
	kill "$qemu"
	wait "$qemu"
	echo "unat vm exited with $?"
	if ip -n "$c" link show | grep -E "vm[012]|unat2"; then
		echo "a device was left behind"
		return 1
	fi
	ip -n "$c" link del unat0 && ip -n "$c" link del unat1
}

# Once the guest says it holds a download open on eth2.
teardown_under_vm()
{
	save_counters
	sleep 2
	take_away "$1" && echo "teardown: ok"
}

# start_guest APPEND MODS: the chained `unat vm` and QEMU, in the
# background, the console in $console; sets $pid.
start_guest()
{
	ip netns exec "$c" "$UNAT" vm unat0 name vm0 mac 52:54:00:00:00:a0 -- \
		"$UNAT" vm unat1 name vm1 mac 52:54:00:00:00:a1 offload off -- \
		"$UNAT" vm unat2 name vm2 mac 52:54:00:00:00:a2 queues 2 $2 -- \
		qemu-system-x86_64 -machine q35 -accel tcg,thread=single \
		-cpu max,cx16=off -smp 2 -m 384 -nographic -vga none -no-reboot \
		-global virtio-net-pci.romfile= \
		-kernel "$entry/vmlinuz" -initrd "$vmdir/initrd" \
		-append "$1" >"$console" 2>&1 &
	pid=$!
}

# wait_guest: 0 once the guest holds its download open; 2 if QEMU ended
# with the guest's kernel dead; 1 otherwise.  Nested TCG (TCG inside TCG)
# now and then mis-emulates cmpxchg16b: the guest kernel double-faulted
# on SLUB's "cmpxchg16b %gs:(%rsi)", once in start_kernel and once in a
# fork, in about one boot of three.  The guest's CPU has no CX16 since
# (start_guest), and a guest kernel death is worth one more boot; a fault
# that unat's frames cause in the guest comes back and fails the test.
wait_guest()
{
	local i
	for ((i = 0; i < 900; i++)); do
		grep -q "^R all holding" "$console" && return 0
		if ! kill -0 "$pid" 2>/dev/null; then
			wait "$pid"
			grep -qE "$GUEST_DEATH" "$console" && return 2
			return 1
		fi
		sleep 1
	done
	return 1
}

# guest_oops: the guest kernel's report, marked as the nested guest's
# (splat-check.sh judges only the test VM's own kernel).
guest_oops()
{
	sed -En "/$GUEST_DEATH/,\$p" "$console" | head -n 80 | tr -d '\r' |
		sed 's/^/nested: /'
}

boot_guest()
{
	local entry mods append pid attempt rc
	entry=$(guest_kernel)
	[ -n "$entry" ] || { echo "no stock kernel in the cache"; return 4; }
	command -v qemu-system-x86_64 >/dev/null || return 4
	"$UNAT_TOP/tools/vm/initramfs.sh" "$entry" \
		"$UNAT_TOP/selftests/vm_guest.sh" "$vmdir/initrd" virtio_net ||
		return 1
	modprobe macvtap
	modprobe vhost_net 2>/dev/null
	mods="vhost on"
	[ -c /dev/vhost-net ] || { echo "# no vhost-net here: eth2 without"; mods="vhost off"; }
	make_world_routes || return 1
	make_devices && start_server || return 1
	append="console=ttyS0 panic=-1 quiet mitigations=off unatvm.nics=eth0,eth1,eth2"
	append+=" unatvm.name=$NAME unatvm.udpname=$UDPNAME"
	append+=" unatvm.port=$PORT unatvm.kib=$KIB"
	append+=" unatvm.ping=$SERVER unatvm.mq=eth2 unatvm.hold=eth2"
	for attempt in 1 2; do
		start_guest "$append" "$mods"
		wait_guest
		rc=$?
		[ $rc -eq 2 ] && [ $attempt -eq 1 ] || break
		echo "the guest's kernel died (boot 1), booting again:"
		guest_oops
		mv "$console" "$console.1"
	done
	if [ $rc -ne 0 ]; then
		echo "the guest never held a download open"
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	else
		teardown_under_vm "$pid"
		rc=$?
	fi
	sed -n '/^R /p' "$console" | tr -d '\r'
	[ $rc -eq 0 ] || guest_oops
	awk '$1 == "T" && $3 == "all" { printf "guest: %s at %s s\n", $4, $2 }' \
		"$console" | tr -d '\r'
	return $rc
}

# check_nic NIC DEV MTU FEATURE-BITS: what every NIC must have done.
# FEATURE-BITS: 1 when the offloads were negotiated, 0 when not.
check_nic()
{
	local nic=$1 dev=$2 mtu=$3 on=$4 want features bit
	want=$(cat "$vmdir/blob.sha")
	expect_eq "$nic lease" "$(R "$nic" lease)" \
		"10.0.2.15/255.255.255.0 10.0.2.2 10.0.2.3 $mtu" &&
	expect_eq "$nic DNS" "$(R "$nic" dns)" "$SERVER" &&
	expect_eq "$nic UDP to the server's DNS" "$(R "$nic" udp)" "$UDPADDR" &&
	[ "$(stat_of "$dev" udp_out)" -gt 0 ] ||
		{ fail "$nic: no UDP datagram counted out of $dev"; return; }
	expect_eq "$nic download" "$(R "$nic" down)" "$want" &&
	expect_eq "$nic upload" "$(R "$nic" upanswer)" "$(R "$nic" upsha)" &&
	[ "$(R "$nic" upbytes)" -gt $((KIB * 1024)) ] &&
	grep -q "^up $(R "$nic" upsha) $(R "$nic" upbytes)$" "$vmdir/server.log" ||
		{ fail "$nic: the server did not read the upload"; return; }
	expect_eq "$nic ping" "$(R "$nic" ping)" 2 || return
	# virtio feature bits: 0 CSUM, 1 GUEST_CSUM, 7 GUEST_TSO4, 11 HOST_TSO4
	features=$(R "$nic" features)
	for bit in 0 1 7 11; do
		expect_eq "$nic virtio feature bit $bit" "${features:$bit:1}" \
			"$on" || return
	done
	expect_eq "$nic drop_malformed" "$(stat_of "$dev" drop_malformed)" 0 &&
	expect_eq "$nic drop_bad_checksum" \
		"$(stat_of "$dev" drop_bad_checksum)" 0
}

# stat_of DEV NAME: a counter saved before the devices went.
stat_of() { awk -F': ' -v k="$2" '$1 == k { print $2 }' "$vmdir/$1.stats"; }

booted()
{
	[ -s "$vmdir/unat0.stats" ] || { echo "the guest did not run"; return 1; }
}

test_offload_on()
{
	booted || return 1
	check_nic eth0 unat0 1500 1 || return 1
	echo "eth0: guest rx $(R eth0 rxavg), tx $(R eth0 txavg) bytes/frame;" \
	     "unat0: $(stat_of unat0 gso_frames_from_guest) GSO frames in," \
	     "$(stat_of unat0 gso_frames_to_guest) out"
	[ "$(stat_of unat0 gso_frames_from_guest)" -gt 0 ] ||
		fail "no TSO super-frame from the guest crossed unat0" || return
	[ "$(R eth0 rxavg)" -gt 1514 ] ||
		fail "the guest received no GSO super-frame"
}

test_offload_off()
{
	booted || return 1
	check_nic eth1 unat1 1500 0 || return 1
	echo "eth1: guest rx $(R eth1 rxavg), tx $(R eth1 txavg) bytes/frame;" \
	     "unat1: $(stat_of unat1 gso_frames_from_guest) GSO frames in"
	expect_eq "GSO frames from a guest without TSO" \
		"$(stat_of unat1 gso_frames_from_guest)" 0 &&
	[ "$(R eth1 rxavg)" -le 1514 ] ||
		fail "a guest without offloads received super-frames"
}

test_vhost_multiqueue()
{
	local irqs q
	booted || return 1
	check_nic eth2 unat2 65520 1 || return 1
	expect_eq "eth2 queues" "$(R eth2 queues)" 2 &&
	expect_eq "eth2 downloads from both CPUs" "$(R eth2 parallel)" \
		"$(cat "$vmdir/blob.sha") " || return
	irqs=$(R eth2 irqs)
	echo "eth2 interrupts per receive queue: $irqs"
	for q in input.0 input.1; do
		expect_match "frames on $q" "$irqs" "$q=[1-9]" || return
	done
}

test_teardown()
{
	booted || return 1
	grep -E "^unat vm exited|^teardown" "$vmdir/boot.log"
	grep -q "^teardown: ok" "$vmdir/boot.log"
}

# The same three NICs and the same order of going away, with QEMU at its
# firmware (no guest kernel): quick enough for the debug kernel, where the
# nested guest is not booted.  vhost-net has its device and queues open.
test_teardown_idle_qemu()
{
	local pid mods="vhost on"
	modprobe macvtap
	modprobe vhost_net 2>/dev/null
	[ -c /dev/vhost-net ] || mods="vhost off"
	setup_ns c && make_devices || return 1
	ip netns exec "$c" "$UNAT" vm unat0 name vm0 -- \
		"$UNAT" vm unat1 name vm1 offload off -- \
		"$UNAT" vm unat2 name vm2 queues 2 $mods -- \
		qemu-system-x86_64 -machine q35 -accel tcg -m 64 -nographic \
		-vga none -no-reboot -global virtio-net-pci.romfile= \
		>"$vmdir/idle.log" 2>&1 &
	pid=$!
	wait_for 60 grep -q SeaBIOS "$vmdir/idle.log" ||
		{ cat "$vmdir/idle.log"; fail "QEMU did not start"; return; }
	ip -n "$c" -br link show | grep vm
	take_away "$pid"
}

# Booting the guest takes 3-4 minutes here on the stock kernel; under the
# debug kernel (KASAN, lockdep) it did not finish in 11: there only the
# quick teardown case runs.  UNAT_VM_GUEST=1 or 0 overrides.
nested=${UNAT_VM_GUEST:-1}
[ "${UNAT_KERNEL:-}" = debug ] && nested=${UNAT_VM_GUEST:-0}
cases=("QEMU guest, offloads on: DHCP, DNS, UDP, HTTP both ways, ping, TSO both ways"
       "QEMU guest, every offload off: the same, no super-frame either way"
       "QEMU guest, vhost-net with 2 queue pairs: the same, both queues used"
       "unat2, then a macvtap, then QEMU go away mid-transfer")
ktap_plan 5
unat_load || { echo "Bail out! cannot load unat"; exit 1; }
boot_rc=4
why="the guest is not booted on the ${UNAT_KERNEL:-this} kernel"
if [ "$nested" = 1 ]; then
	boot_guest >"$vmdir/boot.log" 2>&1
	boot_rc=$?
	sed 's/^/# /' "$vmdir/boot.log"
	why="no QEMU or no stock kernel"
fi
if [ $boot_rc -eq 4 ]; then
	for t in "${cases[@]}"; do
		ktap_n=$((ktap_n + 1))
		echo "ok $ktap_n $t # SKIP $why"
	done
else
	ktap_case "${cases[0]}" test_offload_on
	ktap_case "${cases[1]}" test_offload_off
	ktap_case "${cases[2]}" test_vhost_multiqueue
	ktap_case "${cases[3]}" test_teardown
fi
ktap_case "QEMU at its firmware with vhost-net queues: unat2, a macvtap, then QEMU go away" \
	test_teardown_idle_qemu
ktap_finish
