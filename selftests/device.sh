#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The unat device itself: creation with defaults and with every parameter,
# what `ip -d link` shows, run-time changes, invalid requests rejected with
# their extack text, moving between namespaces, every teardown order, and
# unloading the module with devices alive.
#
# Topology: bare namespaces holding unat devices and no guest (a; a and b,
# or c and g, where a device moves between them); no traffic.

source "$(dirname "$0")/lib.sh"

test_create_defaults()
{
	local out
	setup_ns a || return 1
	ip -n "$a" link add unat0 type unat || return 1
	out=$(ip -n "$a" -d link show unat0)
	expect_match "ip -d link" "$out" \
		"unat subnet 10\.0\.2\.0/24 gateway 10\.0\.2\.2 dns 10\.0\.2\.3 guest 10\.0\.2\.15" &&
	expect_match "mtu" "$out" "mtu 65520 " &&
	expect_match "lease" "$out" "lease 86400" &&
	expect_match "gateway MAC" "$out" "gwmac ([0-9a-f]{2}:){5}[0-9a-f]{2}"
}

test_create_all_params()
{
	local out json
	setup_ns a || return 1
	ip -n "$a" link add unat1 type unat subnet 192.168.50.0/24 \
		gateway 192.168.50.1 dns 192.168.50.53 guest 192.168.50.100 \
		mtu 1500 lease 3600 domain corp.example \
		search "corp.example lab.example" || return 1
	out=$(ip -n "$a" -d link show unat1)
	expect_match "ip -d link" "$out" \
		"subnet 192\.168\.50\.0/24 gateway 192\.168\.50\.1 dns 192\.168\.50\.53 guest 192\.168\.50\.100" &&
	expect_match "mtu" "$out" "mtu 1500 " &&
	expect_match "lease" "$out" "lease 3600" &&
	expect_match "domain" "$out" "domain corp\.example" &&
	expect_match "search" "$out" "search \"?corp\.example lab\.example" || return 1
	json=$(ip -n "$a" -j -d link show unat1)
	python3 - "$json" <<'PY'
import json, sys
d = json.loads(sys.argv[1])[0]["linkinfo"]
assert d["info_kind"] == "unat", d
data = d["info_data"]
assert data["gateway"] == "192.168.50.1", data
assert data["guest"] == "192.168.50.100", data
PY
}

# A subnet alone moves the service addresses along: .2, .3 and .15.
test_subnet_derives_addresses()
{
	setup_ns a || return 1
	ip -n "$a" link add unat0 type unat subnet 172.20.0.0/16 || return 1
	expect_match "derived" "$(ip -n "$a" -d link show unat0)" \
		"subnet 172\.20\.0\.0/16 gateway 172\.20\.0\.2 dns 172\.20\.0\.3 guest 172\.20\.0\.15"
}

test_change_at_runtime()
{
	local out
	setup_ns a || return 1
	ip -n "$a" link add unat0 type unat || return 1
	ip -n "$a" link set unat0 type unat lease 600 domain lab.example || return 1
	ip -n "$a" link set unat0 mtu 9000 || return 1
	out=$(ip -n "$a" -d link show unat0)
	expect_match "lease" "$out" "lease 600" &&
	expect_match "domain" "$out" "domain lab\.example" &&
	expect_match "mtu" "$out" "mtu 9000 " || return 1
	# a rejected change changes nothing
	ip -n "$a" link set unat0 type unat gateway 10.9.9.9 2>/dev/null &&
		{ fail "bad change accepted"; return; }
	expect_match "unchanged" "$(ip -n "$a" -d link show unat0)" \
		"gateway 10\.0\.2\.2 .*lease 600"
}

# expect_reject MESSAGE ARGS...: `ip link add` fails with MESSAGE from the
# kernel, and no device is left behind.
expect_reject()
{
	local msg=$1 err
	shift
	if err=$(ip -n "$a" link add unatx type unat "$@" 2>&1); then
		fail "accepted: $*"
		return
	fi
	echo "$* -> $err"
	expect_match "extack for $*" "$err" "$msg" || return 1
	! ip -n "$a" link show unatx >/dev/null 2>&1 ||
		fail "device created by a rejected request: $*"
}

test_invalid_rejected()
{
	setup_ns a || return 1
	expect_reject "gateway must be a host address inside the subnet" \
		gateway 10.0.3.2 &&
	expect_reject "DNS address must be a host address inside the subnet" \
		dns 10.0.2.255 &&
	expect_reject "guest address must differ from the gateway" \
		guest 10.0.2.2 &&
	expect_reject "guest address must be a host address inside the subnet" \
		guest 10.0.2.0 &&
	expect_reject "subnet prefix length must be between 8 and 30" \
		subnet 10.0.2.0/31 &&
	expect_reject "subnet address has host bits set" \
		subnet 10.0.2.1/24 gateway 10.0.2.2 &&
	expect_reject "subnet must be a unicast IPv4 network" \
		subnet 127.0.0.0/8 &&
	expect_reject "MTU must be between 576 and 65535" mtu 100 &&
	expect_reject "lease time must be between 60 s and one year" lease 5 &&
	expect_reject "domain is not a valid DNS name" domain "bad..name" &&
	expect_reject "search list holds an invalid DNS name" \
		search "ok.example -bad-.example/"
}

# Created in one netns, used from another: the configuration travels.
test_move_netns()
{
	setup_ns a b || return 1
	ip -n "$a" link add unat0 type unat guest 10.0.2.20 || return 1
	ip -n "$a" link set unat0 netns "$b" || return 1
	ip -n "$a" link show unat0 >/dev/null 2>&1 && { fail "still in a"; return; }
	expect_match "moved" "$(ip -n "$b" -d link show unat0)" "guest 10\.0\.2\.20" || return 1
	ip -n "$b" link set unat0 up || return 1
	ip -n "$b" link set unat0 netns "$a" || return 1
	ip -n "$a" link del unat0
}

# del_ns_timed NS: deleting a netns must not hang.
del_ns_timed()
{
	timeout 30 ip netns del "$1" || fail "deleting $1 hung or failed"
}

# Teardown orders, the device created in c (creating netns) and living in g.
test_teardown_orders()
{
	local order
	for order in guest-first creator-first creator-then-device device-only; do
		setup_ns c g || return 1
		ip -n "$c" link add unat0 type unat || return 1
		ip -n "$c" link set unat0 netns "$g" || return 1
		ip -n "$g" link set unat0 up || return 1
		case $order in
		guest-first)
			del_ns_timed "$g" && del_ns_timed "$c" ;;
		creator-first)
			del_ns_timed "$c" && ip -n "$g" link show unat0 >/dev/null &&
			del_ns_timed "$g" ;;
		creator-then-device)
			del_ns_timed "$c" && ip -n "$g" link del unat0 &&
			del_ns_timed "$g" ;;
		device-only)
			ip -n "$g" link del unat0 && del_ns_timed "$g" &&
			del_ns_timed "$c" ;;
		esac || { fail "order $order"; return; }
		ns_list=()
		echo "order $order: clean"
	done
	# and the device living in the netns that created it
	setup_ns c || return 1
	ip -n "$c" link add unat0 type unat && ip -n "$c" link set unat0 up &&
		del_ns_timed "$c"
	ns_list=()
}

# Many devices and namespaces, deleted all at once.
test_many_devices()
{
	local i
	setup_ns c || return 1
	for i in $(seq 0 31); do
		ip -n "$c" link add "unat$i" type unat || return 1
	done
	expect_eq "devices" "$(ip -n "$c" -o link show type unat | wc -l)" 32 &&
	del_ns_timed "$c"
	ns_list=()
}

test_counters()
{
	local out
	setup_ns a || return 1
	ip -n "$a" link add unat0 type unat || return 1
	out=$(ip netns exec "$a" ethtool -S unat0) || return 1
	expect_match "ethtool -S" "$out" "dhcp_offers: 0" &&
	expect_match "ethtool -S" "$out" "drop_malformed: 0" &&
	expect_match "driver" "$(ip netns exec "$a" ethtool -i unat0)" "driver: unat"
}

# Unloading the module takes its devices with it, wherever they are.
test_module_unload()
{
	setup_ns a b || return 1
	ip -n "$a" link add unat0 type unat || return 1
	ip -n "$a" link add unat1 type unat && ip -n "$a" link set unat1 netns "$b" ||
		return 1
	timeout 30 rmmod unat || { fail "rmmod failed"; return; }
	ip -n "$a" link show unat0 >/dev/null 2>&1 && { fail "unat0 survived"; return; }
	ip -n "$b" link show unat1 >/dev/null 2>&1 && { fail "unat1 survived"; return; }
	unat_load
}

# `ip link add ... type unat` loads the module by its rtnl alias.
# mod_deps KO: the modules KO depends on, and theirs, as paths.
mod_deps()
{
	local dep
	for dep in $(modinfo -F depends "$1" | tr , ' '); do
		dep=$(modinfo -n "$dep") || continue
		echo "$dep"
		mod_deps "$dep"
	done
}

# The kernel's modprobe finds unat through modules.dep.  depmod over the
# whole stock tree takes a minute under TCG: a tree of unat and what it
# needs is mounted over /lib/modules/KVER while the case runs.
test_autoload()
{
	local kver kdir tree
	kver=$(uname -r)
	kdir=/lib/modules/$kver
	tree=$(mktemp -d)
	[ -n "${UNAT_KO_DIR:-}" ] || return 4
	rmmod unat || return 1
	mkdir -p "$tree/lib/modules/$kver/extra" &&
	cp "$UNAT_KO_DIR/unat.ko" $(mod_deps "$UNAT_KO_DIR/unat.ko" | sort -u) \
		"$tree/lib/modules/$kver/extra/" &&
	cp "$kdir"/modules.builtin* "$tree/lib/modules/$kver/" &&
	depmod -b "$tree" "$kver" &&
	mount --bind "$tree/lib/modules/$kver" "$kdir" ||
		{ fail "cannot install the module"; return 1; }
	setup_ns a
	ip -n "$a" link add unat0 type unat
	umount "$kdir"
	[ -d /sys/module/unat ] || fail "module not loaded"
}

ktap_plan 11
unat_load || { echo "Bail out! cannot load unat"; exit 1; }
ktap_case "create with defaults, ip -d link shows them" test_create_defaults
ktap_case "create with every parameter, text and JSON" test_create_all_params
ktap_case "a subnet alone derives gateway, DNS, guest" test_subnet_derives_addresses
ktap_case "change at run time; a rejected change changes nothing" test_change_at_runtime
ktap_case "invalid requests rejected with extack text" test_invalid_rejected
ktap_case "move between namespaces" test_move_netns
ktap_case "every netns teardown order" test_teardown_orders
ktap_case "32 devices deleted with their netns" test_many_devices
ktap_case "ethtool counters and driver info" test_counters
ktap_case "rmmod with devices in two namespaces" test_module_unload
ktap_case "ip link add autoloads the module" test_autoload
ktap_finish
