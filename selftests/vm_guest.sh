#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the QEMU guest that selftests/vm.sh boots inside the test VM:
# busybox only (and builtins where it can: under TCG inside TCG every
# fork costs seconds).  For each NIC named on the kernel command line it runs
# the scenario a user's VM runs, one NIC at a time, and prints a result
# line "R NIC KEY VALUE..." per fact on the console for vm.sh to check.
#
# Command line: unatvm.nics=eth0,eth1 unatvm.name=NAME unatvm.udpname=UDPNAME
#   unatvm.port=PORT
#   unatvm.kib=KIB unatvm.ping=ADDR [unatvm.mq=NIC] [unatvm.hold=NIC]
# NAME is resolved through the DHCP-given server, UDPNAME by asking ADDR
# directly (UDP to a remote, not to unat's DNS), then HTTP GET /blob
# is fetched (sha256 printed), KIB KiB of random text are POSTed to /up
# (the server answers with the sha256 it read), ADDR is pinged; on the mq
# NIC two more downloads run at once, one per CPU, then 6 short
# connections.
# With hold, NIC is brought up again at the end and downloads run on it
# until the VM is killed ("R all holding"), for vm.sh to pull devices
# out from under.

# R NIC KEY VALUE...: a result; T: when (guest uptime), for the log.
R()
{
	local up rest
	read -r up rest </proc/uptime
	echo "R $*"
	echo "T $up $1 $2"
}

param()
{
	local kv
	for kv in $cmdline; do
		case $kv in "unatvm.$1="*) echo "${kv#*=}"; return ;; esac
	done
}

# udhcpc's hook: configure the interface, keep what the server said.
write_dhcp_script()
{
	cat >/bin/dhcp-hook <<'HOOK'
#!/bin/sh
case "$1" in
bound|renew)
	ip addr add "$ip/$subnet" dev "$interface"
	[ -n "$mtu" ] && ip link set "$interface" mtu "$mtu"
	ip route replace default via "$router" dev "$interface"
	: >/etc/resolv.conf
	for d in $dns; do echo "nameserver $d" >>/etc/resolv.conf; done
	echo "$ip/$subnet $router $dns $mtu" >/tmp/lease
	;;
esac
exit 0
HOOK
	chmod +x /bin/dhcp-hook
}

# rx/tx bytes per packet, as the virtio driver counted them: above the
# MTU only when segmentation offloads carried super-frames.
frame_sizes()
{
	local nic=$1 s=/sys/class/net/$1/statistics rb rp tb tp
	read -r rb <$s/rx_bytes
	read -r rp <$s/rx_packets
	read -r tb <$s/tx_bytes
	read -r tp <$s/tx_packets
	R "$nic" rxavg $((rb / (rp + 1)))
	R "$nic" txavg $((tb / (tp + 1)))
}

# Interrupts per virtio input queue of NIC: "input.0=N input.1=M".
queue_irqs()
{
	local virtio
	virtio=$(basename "$(readlink /sys/class/net/$1/device)")
	R "$1" irqs $(awk -v v="$virtio-input" '$NF ~ v {
		n = 0; for (i = 2; i < NF; i++) if ($i ~ /^[0-9]+$/) n += $i
		sub(/.*-/, "", $NF); printf "%s=%d ", $NF, n }' /proc/interrupts)
}

download() { wget -q -O - "http://$name:$port/blob" | sha256sum | cut -d' ' -f1; }

# The multiqueue part: downloads from both CPUs at once (each CPU sends
# on its own queue), then short connections (new source ports, new flow
# hashes: macvtap spreads them over the receive queues).
run_queues()
{
	local nic=$1 i
	for i in 0 1; do
		taskset $((1 << i)) sh -c "wget -q -O - http://$ping:$port/blob |
			sha256sum | cut -d' ' -f1 >/tmp/par.$i" &
	done
	wait
	R "$nic" parallel "$(sort -u /tmp/par.* | tr '\n' ' ')"
	rm -f /tmp/par.*
	for i in $(seq 6); do
		wget -q -O /dev/null "http://$ping:$port/none" 2>/dev/null
	done
	queue_irqs "$nic"
}

run_nic()
{
	local nic=$1 features
	read -r features </sys/class/net/$nic/device/features
	R "$nic" features "$features"
	set -- /sys/class/net/$nic/queues/tx-*
	R "$nic" queues $#
	ip link set "$nic" up
	rm -f /tmp/lease
	udhcpc -i "$nic" -f -q -n -t 5 -T 3 -O mtu -s /bin/dhcp-hook >/dev/null 2>&1
	R "$nic" lease "$(cat /tmp/lease 2>/dev/null)"
	R "$nic" dns "$(nslookup "$name" 2>/dev/null | awk '/^Address/ { a = $NF } END { print a }')"
	R "$nic" udp "$(nslookup "$udpname" "$ping" 2>/dev/null | awk '/^Address/ { a = $NF } END { print a }')"
	R "$nic" down "$(download)"
	R "$nic" upsha "$upsha"
	R "$nic" upbytes "$upbytes"
	R "$nic" upanswer "$(wget -q -O - --post-file=/tmp/up "http://$name:$port/up")"
	R "$nic" ping "$(ping -c 2 -W 5 "$ping" 2>/dev/null | awk '/received/ { print $4 }')"
	[ "$nic" = "$mq" ] && run_queues "$nic"
	frame_sizes "$nic"
	ip addr flush dev "$nic"
	ip link set "$nic" down
	R "$nic" done
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
ip link set lo up
for m in $(cat /modules/order); do
	insmod "/modules/$m"
done
read -r cmdline </proc/cmdline
name=$(param name)
udpname=$(param udpname)
port=$(param port)
kib=$(param kib)
ping=$(param ping)
mq=$(param mq)
write_dhcp_script
# text: busybox wget sends --post-file up to its first NUL byte
dd if=/dev/urandom bs=768 count="$kib" 2>/dev/null | base64 >/tmp/up
upsha=$(sha256sum /tmp/up | cut -d' ' -f1)
upbytes=$(wc -c </tmp/up)
R all up
for nic in $(param nics | tr , ' '); do
	run_nic "$nic"
done
R all end
hold=$(param hold)
if [ -n "$hold" ]; then
	ip link set "$hold" up
	udhcpc -i "$hold" -f -q -n -t 5 -T 3 -O mtu -s /bin/dhcp-hook >/dev/null 2>&1
	while :; do download >/dev/null; done &
	sleep 1
	R all holding
	while :; do sleep 1000; done
fi
echo o >/proc/sysrq-trigger
reboot -f
