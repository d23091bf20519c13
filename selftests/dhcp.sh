#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A guest netns holding unat0, configured by real DHCP clients (busybox
# udhcpc and ISC dhclient), then talking ARP and ICMP to the gateway.  The
# device is created in netns "c" and moved into "g", as a container runtime
# would do.
#
# Topology: the guest g holds unat0, made in c; no other host.
#
#   g (DHCP clients) ─unat0─ c

source "$(dirname "$0")/lib.sh"

# make_guest [ip link add options...]: sets $c and $g, unat0 up in $g.
make_guest()
{
	setup_ns c g || return 1
	ip -n "$c" link add unat0 type unat "$@" || return 1
	ip -n "$c" link set unat0 netns "$g" || return 1
	ip -n "$g" link set unat0 up
}

env_get()
{
	sed -n "s/^$2=//p" "$1"
}

test_udhcpc_defaults()
{
	local env
	env=$(mktemp)
	make_guest || return 1
	guest_dhcp "$env" || { fail "udhcpc got no lease"; return; }
	cat "$env"
	expect_eq "address" "$(env_get "$env" ip)" 10.0.2.15 &&
	expect_eq "netmask" "$(env_get "$env" subnet)" 255.255.255.0 &&
	expect_eq "router" "$(env_get "$env" router)" 10.0.2.2 &&
	expect_eq "dns" "$(env_get "$env" dns)" 10.0.2.3 &&
	expect_eq "mtu" "$(env_get "$env" mtu)" 65520 &&
	expect_eq "server id" "$(env_get "$env" serverid)" 10.0.2.2 &&
	expect_eq "lease" "$(env_get "$env" lease)" 86400 &&
	expect_match "configured" "$(ip -n "$g" -4 addr show unat0)" \
		"inet 10\.0\.2\.15/24" &&
	expect_eq "offers counted" "$(unat_stat -n "$g" unat0 dhcp_offers)" 1 &&
	expect_eq "acks counted" "$(unat_stat -n "$g" unat0 dhcp_acks)" 1
}

test_udhcpc_custom()
{
	local env
	env=$(mktemp)
	make_guest subnet 192.168.77.0/24 gateway 192.168.77.1 \
		dns 192.168.77.53 guest 192.168.77.200 mtu 1500 lease 600 \
		domain corp.example search "corp.example lab.example" || return 1
	guest_dhcp "$env" || { fail "udhcpc got no lease"; return; }
	cat "$env"
	expect_eq "address" "$(env_get "$env" ip)" 192.168.77.200 &&
	expect_eq "router" "$(env_get "$env" router)" 192.168.77.1 &&
	expect_eq "dns" "$(env_get "$env" dns)" 192.168.77.53 &&
	expect_eq "mtu" "$(env_get "$env" mtu)" 1500 &&
	expect_eq "lease" "$(env_get "$env" lease)" 600 &&
	expect_eq "domain" "$(env_get "$env" domain)" corp.example &&
	expect_match "search" "$(env_get "$env" search)" \
		"corp\.example\.? lab\.example"
}

test_dhclient()
{
	local dir out
	dir=$(mktemp -d)
	make_guest || return 1
	ip netns exec "$g" timeout 60 dhclient -1 -v -pf "$dir/pid" \
		-lf "$dir/leases" unat0 || { fail "dhclient got no lease"; return; }
	out=$(ip -n "$g" -4 addr show unat0)
	echo "$out"
	expect_match "address" "$out" "inet 10\.0\.2\.15/24" &&
	expect_match "route" "$(ip -n "$g" route show default)" \
		"default via 10\.0\.2\.2 dev unat0" &&
	expect_match "resolv.conf" "$(cat /etc/resolv.conf)" \
		"nameserver 10\.0\.2\.3" &&
	expect_match "lease file" "$(cat "$dir/leases")" \
		"option dhcp-server-identifier 10\.0\.2\.2" &&
	expect_match "mtu option" "$(cat "$dir/leases")" \
		"option interface-mtu 65520" || return 1
	ip netns exec "$g" timeout 30 dhclient -r -pf "$dir/pid" \
		-lf "$dir/leases" unat0 || { fail "dhclient -r failed"; return; }
	expect_eq "release counted" \
		"$(unat_stat -n "$g" unat0 dhcp_releases)" 1
}

# The gateway answers ARP with its MAC and echo requests at both addresses.
test_ping_gateway()
{
	local env gwmac out
	env=$(mktemp)
	make_guest || return 1
	guest_dhcp "$env" || { fail "no lease"; return; }
	gwmac=$(ip -n "$g" -j -d link show unat0 |
		python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["linkinfo"]["info_data"]["gwmac"])')
	ip netns exec "$g" ping -c 3 -i 0.2 -W 2 10.0.2.2 ||
		{ fail "ping gateway"; return; }
	ip netns exec "$g" ping -c 3 -i 0.2 -W 2 10.0.2.3 ||
		{ fail "ping DNS address"; return; }
	out=$(ip -n "$g" neigh show 10.0.2.2)
	expect_match "ARP for the gateway" "$out" "lladdr $gwmac" &&
	expect_eq "echo replies" \
		"$(unat_stat -n "$g" unat0 icmp_echo_replies)" 6 &&
	expect_eq "ARP replies" "$(unat_stat -n "$g" unat0 arp_replies)" 2
}

# A 60000-byte echo: the whole payload comes back in one frame.
test_ping_large()
{
	local env
	env=$(mktemp)
	make_guest || return 1
	guest_dhcp "$env" || { fail "no lease"; return; }
	ip netns exec "$g" ping -c 2 -s 60000 -W 2 10.0.2.2
}

# A protocol unat does not carry is dropped and counted, not answered.
test_unsupported_counted()
{
	local env before after
	env=$(mktemp)
	make_guest || return 1
	guest_dhcp "$env" || { fail "no lease"; return; }
	before=$(unat_stat -n "$g" unat0 drop_unsupported)
	ip netns exec "$g" python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 253)  # RFC 3692
for _ in range(2):
    s.sendto(b"experiment", ("192.0.2.1", 0))
' || return 1
	after=$(unat_stat -n "$g" unat0 drop_unsupported)
	[ "$after" -ge $((before + 2)) ] || { fail "drop_unsupported $before -> $after"; return 1; }
	expect_match "tx_dropped" "$(ip -n "$g" -s link show unat0)" "TX:"
}

ktap_plan 6
unat_load || { echo "Bail out! cannot load unat"; exit 1; }
ktap_case "udhcpc: default lease, router, DNS, MTU" test_udhcpc_defaults
ktap_case "udhcpc: custom subnet, MTU, domain, search list" test_udhcpc_custom
ktap_case "dhclient: lease applied, resolv.conf, release" test_dhclient
ktap_case "ping gateway and DNS address; ARP answered" test_ping_gateway
ktap_case "ping with a 60000-byte payload" test_ping_large
ktap_case "unsupported traffic dropped and counted" test_unsupported_counted
ktap_finish
