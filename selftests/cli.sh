#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The control plane through the unat CLI: show and set, JSON, extack
# errors, permissions, and the flow dump at scale.
#
# Topology (lib.sh's make_world): the guest g holds unat0, made in c.
#
#   g (guest) ─unat0─ c (creating netns, "host") ─ r (router) ─ s (server)
#   10.0.2.15          198.51.100.1          .2 │ 203.0.113.1      203.0.113.2

source "$(dirname "$0")/lib.sh"

make_dev()
{
	setup_ns a || return 1
	ip -n "$a" link add unat0 type unat && ip -n "$a" link set unat0 up
}

u() { ip netns exec "$a" "$UNAT" "$@"; }

test_show_defaults()
{
	local out
	make_dev || return 1
	out=$(u show unat0) || return 1
	echo "$out"
	expect_match "show" "$out" \
		"^unat0: hostloop on restrict off udp-timeout 180 tcp-timeout 7200 flow-limit 16384 flows 0$" &&
	u -j show | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d[0]["ifname"] == "unat0", d
assert d[0]["flow_count"] == 0 and d[0]["dns"] == [], d
assert "drop_malformed" in d[0]["stats"], d
'
}

test_set_and_show()
{
	local out
	make_dev || return 1
	u set unat0 dns 192.0.2.1 "[2001:db8::1]:5353" udp-timeout 30 \
		tcp-timeout 600 flow-limit 100 hostloop off restrict on domain corp.example \
		search "a.example b.example" || return 1
	out=$(u show unat0)
	echo "$out"
	expect_match "flags" "$out" "hostloop off restrict on udp-timeout 30 tcp-timeout 600 flow-limit 100" &&
	expect_match "dns" "$out" "dns 192\.0\.2\.1:53 \[2001:db8::1\]:5353" &&
	expect_match "names" "$out" "domain corp\.example search a\.example b\.example" &&
	expect_match "ip -d link agrees" "$(ip -n "$a" -d link show unat0)" \
		"domain corp\.example .*hostloop off restrict on" || return 1
	u set unat0 dns none domain "" search "" || return 1
	u -j show unat0 | python3 -c '
import json, sys
d = json.load(sys.stdin)[0]
assert d["dns"] == [] and d["domain"] is None and d["search"] is None, d
'
}

# expect_error WANT_RC PATTERN ARGS...
expect_error()
{
	local want=$1 pat=$2 err rc
	shift 2
	err=$(u "$@" 2>&1)
	rc=$?
	echo "unat $* -> $rc: $err"
	expect_eq "exit status of unat $*" "$rc" "$want" &&
	expect_match "message of unat $*" "$err" "$pat"
}

test_errors()
{
	make_dev || return 1
	ip -n "$a" link add d0 type dummy || return 1
	# ranges: the spec's checks, reported by the generated policy
	expect_error 1 "out of range \\(attribute udp-timeout, valid range 1-86400\\)" \
		set unat0 udp-timeout 0 &&
	expect_error 1 "out of range \\(attribute tcp-timeout, valid range 10-604800\\)" \
		set unat0 tcp-timeout 9 &&
	expect_error 1 "out of range \\(attribute flow-limit, valid range 1-1048576\\)" \
		set unat0 flow-limit 0 &&
	expect_error 1 "out of range \\(attribute queue-limit, valid range 262144-1073741824\\)" \
		set unat0 queue-limit 255K &&
	expect_error 1 "out of range \\(attribute queue-limit" set unat0 queue-limit 2G &&
	expect_error 1 "DNS server address must be unicast" set unat0 dns 224.0.0.1 &&
	expect_error 1 "domain is not a valid DNS name" set unat0 domain bad..name &&
	expect_error 2 "at most 4 DNS servers" set unat0 dns 1.1.1.1 1.1.1.2 1.1.1.3 1.1.1.4 1.1.1.5 &&
	expect_error 2 "" set unat0 frob 1 &&
	expect_error 1 "no such device" show nosuch0 &&
	expect_error 1 "not a unat device" show d0 &&
	expect_error 1 "not a unat device" flows d0 || return 1
	# a failed set changed nothing
	expect_match "unchanged" "$(u show unat0)" \
		"udp-timeout 180 tcp-timeout 7200 flow-limit 16384" &&
	expect_match "queue limit unchanged" "$(u show unat0)" \
		"queue-limit 16777216 queued 0" || return 1
	u set unat0 queue-limit 256K || return 1
	expect_match "queue limit set" "$(u show unat0)" "queue-limit 262144 "
}

test_permissions()
{
	make_dev || return 1
	ip netns exec "$a" setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$UNAT" set unat0 hostloop off 2>&1 |
		grep -q "Operation not permitted" || { fail "unprivileged set"; return; }
	ip netns exec "$a" setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$UNAT" show unat0 >/dev/null || fail "unprivileged show refused"
}

# 3000 UDP flows, dumped whole across many netlink messages.
test_flow_dump_many()
{
	local n
	make_world || return 1
	nsx "$g" "$UNAT" set unat0 flow-limit 5000 || return 1
	nsx "$g" python3 -c '
import socket
socks = []
for i in range(3000):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(b"x", ("203.0.113.2", 9))
    socks.append(s)
' || return 1
	sleep 2
	n=$(nsx "$g" "$UNAT" -j flows unat0 | python3 -c '
import json, sys
flows = json.load(sys.stdin)
keys = {"proto", "kind", "state", "guest", "remote", "host", "age_ms",
        "idle_ms", "pkts_out", "bytes_out", "pkts_in", "bytes_in"}
assert all(set(f) >= keys for f in flows), flows[0]
print(sum(1 for f in flows if f["proto"] == "udp" and f["kind"] == "nat"))
') || return 1
	expect_eq "flows dumped" "$n" 3000 &&
	expect_match "count" "$(nsx "$g" "$UNAT" show unat0)" "flows 3000"
}

# The flow limit refuses new flows and counts them; existing ones work.
test_flow_limit()
{
	make_world || return 1
	nsx "$g" "$UNAT" set unat0 flow-limit 2 || return 1
	nsx "$g" python3 -c '
import socket
for port in (7001, 7002, 7003, 7004):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.sendto(b"x", ("203.0.113.2", port))
' || return 1
	sleep 1
	expect_eq "refused" "$(unat_stat -n "$g" unat0 drop_flow_limit)" 2 &&
	expect_match "count" "$(nsx "$g" "$UNAT" show unat0)" "flows 2"
}

# The kernel's own YNL client drives the family from docs/netlink/unat.yaml,
# its schema checked: the spec is what the module speaks.
test_ynl_cli()
{
	local out
	have_ynl || return 4
	make_dev || return 1
	ynl "$a" --do dev-set --json '{"ifname": "unat0", "udp-timeout": 77}' ||
		return 1
	out=$(ynl "$a" --do dev-get --json '{"ifname": "unat0"}') || return 1
	echo "$out" | head -5
	expect_match "dev-get" "$out" "'udp-timeout': 77" &&
	expect_match "CLI agrees" "$(u show unat0)" "udp-timeout 77" &&
	ynl "$a" --dump flow-get --json '{"ifname": "unat0"}' >/dev/null
}

# unat vm without QEMU: the macvtap, the descriptors COMMAND inherits,
# its exit status, the clean-up, the printed arguments, the errors.
test_vm_command()
{
	local out fds
	make_dev || return 1
	ip -n "$a" link add d0 type dummy || return 1
	modprobe macvtap 2>/dev/null
	# COMMAND sees the macvtap up, with the MAC, and two open queues
	out=$(u vm unat0 name vmt mac 52:54:00:0a:0b:0c queues 2 -- \
		sh -c 'ip -o link show vmt; ls -l /proc/$$/fd; echo "args: $*"' sh) ||
		return 1
	echo "$out"
	expect_match "macvtap up" "$out" "vmt@unat0: <.*UP.*52:54:00:0a:0b:0c" &&
	expect_match "arguments" "$out" \
		"args: -netdev tap,id=net-vmt,fds=[0-9]+:[0-9]+ -device virtio-net-pci,netdev=net-vmt,mac=52:54:00:0a:0b:0c,mq=on,vectors=6$" ||
		return 1
	fds=$(grep -c -- "-> /.*tap" <<<"$out")
	expect_eq "tap descriptors inherited" "$fds" 2 || return 1
	ip -n "$a" link show vmt >/dev/null 2>&1 &&
		{ fail "the macvtap outlived its command"; return 1; }
	# COMMAND's exit status is unat's; keep keeps the macvtap
	u vm unat0 name vmk keep -- sh -c 'exit 7'
	expect_eq "exit status" "$?" 7 || return 1
	ip -n "$a" link show vmk >/dev/null || { fail "keep did not keep"; return 1; }
	# DEV-vm0, then DEV-vm1 while DEV-vm0 exists; printed for a shell
	out=$(u vm unat0) && echo "$out" &&
	expect_match "printed" "$out" \
		"^-netdev tap,id=net-unat0-vm0,fd=3 -device virtio-net-pci,netdev=net-unat0-vm0,mac=52:54:00:[0-9a-f:]{8} 3<>/dev/tap[0-9]+$" &&
	out=$(u vm unat0 offload off) &&
	expect_match "second name" "$out" "macvtap unat0-vm1 on unat0" &&
	expect_match "offloads off" "$out" "csum=off,gso=off,guest_csum=off" ||
		return 1
	expect_error 1 "not a unat device" vm d0 -- true &&
	expect_error 1 "no such device" vm nosuch0 -- true &&
	expect_error 1 "cannot create macvtap vmk on unat0: .*File exists" \
		vm unat0 name vmk -- true &&
	expect_error 127 "cannot run /nonexistent" vm unat0 -- /nonexistent
}

ktap_plan 8
unat_load || { echo "Bail out! cannot load unat"; exit 1; }
ktap_case "unat show: defaults, text and JSON" test_show_defaults
ktap_case "unat set: every setting, then cleared" test_set_and_show
ktap_case "errors: extack messages, exit status, nothing changed" test_errors
ktap_case "set needs CAP_NET_ADMIN, show does not" test_permissions
ktap_case "3000 flows dumped" test_flow_dump_many
ktap_case "flow limit refuses and counts new flows" test_flow_limit
ktap_case "the kernel's YNL cli.py drives the family from the spec" test_ynl_cli
ktap_case "unat vm: macvtap, descriptors, arguments, exit status, errors" test_vm_command
ktap_finish
