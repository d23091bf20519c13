#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The demo itself, run inside the VM by tools/demo.sh (or on a real host
# with unat installed: tools/demo-guest.sh with no argument).

set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
export IP_LIB_DIR=$top/tools/iproute2

run()
{
	printf '\n$ %s\n' "$*"
	"$@"
}

if [ $# -gt 0 ]; then
	# what modprobe would load first (udp_tunnel on Debian's kernels)
	for dep in $(modinfo -F depends "$1/unat.ko" | tr , ' '); do
		modprobe "$dep"
	done
	run insmod "$1/unat.ko"
else
	run modprobe unat
fi
ip netns add guest
# deleting the netns deletes unat0 with it
trap 'ip netns del guest 2>/dev/null || true' EXIT

run ip link add unat0 type unat subnet 10.0.2.0/24 gateway 10.0.2.2 \
	dns 10.0.2.3 guest 10.0.2.15 domain demo.example
run ip link set unat0 netns guest
run ip -n guest link set unat0 up
run ip netns exec guest dhclient -1 -v -lf /tmp/demo.leases \
	-pf /tmp/demo.pid unat0
echo
echo "The lease the guest got:"
sed -n '/^lease {/,/^}/p' /tmp/demo.leases
run ip -n guest -4 addr show dev unat0
run ip -n guest route
run ip netns exec guest ping -c 3 -i 0.2 10.0.2.2
echo
echo "The guest's DNS goes to the resolver on the host's loopback:"
dnsmasq -k --no-resolv --no-hosts --user=root --pid-file= \
	--listen-address=127.0.0.1 --bind-interfaces \
	--address=/demo.example/192.0.2.80 >/dev/null 2>&1 &
dnsmasq_pid=$!
sleep 1
run ip netns exec guest "$top/tools/unat/unat" set unat0 dns 127.0.0.1
run ip netns exec guest dig +short @10.0.2.3 demo.example
kill $dnsmasq_pid
run ip netns exec guest "$top/tools/unat/unat" flows unat0
run ip -n guest -d link show unat0
run ip -n guest -s link show unat0
run ip netns exec guest ethtool -S unat0
