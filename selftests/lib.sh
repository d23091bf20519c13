#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers for unat's selftests: KTAP output, network namespaces,
# waiting, and reading unat's counters.  Sourced, not run.

UNAT_TOP=${UNAT_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
export IP_LIB_DIR=${IP_LIB_DIR:-$UNAT_TOP/tools/iproute2}
TAPGUEST=${TAPGUEST:-$UNAT_TOP/tools/tapguest/unat-tapguest}

# The debug kernel (KASAN, lockdep, kmemleak) runs ~10x slower under TCG:
# suites scale their loads down where UNAT_DEBUG_KERNEL is 1.
mountpoint -q /sys/kernel/debug 2>/dev/null ||
	mount -t debugfs none /sys/kernel/debug 2>/dev/null
UNAT_DEBUG_KERNEL=0
[ -e /sys/kernel/debug/kmemleak ] && UNAT_DEBUG_KERNEL=1

ktap_n=0
ktap_failed=0
ktap_planned=0
ns_list=()

ktap_plan()
{
	ktap_planned=$1
	echo "KTAP version 1"
	echo "1..$1"
}

# Run "$@" as one test case called $desc; its output becomes diagnostics.
ktap_case()
{
	local desc=$1 out rc start
	shift
	# UNAT_ONLY=REGEX: run only the cases whose function matches (others
	# are reported skipped), for quick runs while developing
	if [ -n "${UNAT_ONLY:-}" ] && ! [[ $1 =~ $UNAT_ONLY ]]; then
		ktap_n=$((ktap_n + 1))
		echo "ok $ktap_n $desc # SKIP not in UNAT_ONLY"
		return
	fi
	# each case runs in a subshell and removes its own namespaces
	start=$SECONDS
	out=$("$@" 2>&1; r=$?; kill_jobs; cleanup_ns >/dev/null 2>&1; exit $r)
	rc=$?
	ktap_n=$((ktap_n + 1))
	if [ -n "$out" ]; then
		printf '%s\n' "$out" | sed 's/^/# /'
	fi
	echo "# $1: $((SECONDS - start)) s"
	if [ $rc -eq 0 ]; then
		echo "ok $ktap_n $desc"
	elif [ $rc -eq 4 ]; then
		echo "ok $ktap_n $desc # SKIP"
	else
		echo "not ok $ktap_n $desc"
		ktap_failed=$((ktap_failed + 1))
	fi
}

# kill_tree [-SIGNAL] PID...: the processes and all their descendants.  A
# background `nsx NS cmd &` is a subshell whose child holds NS open:
# killing the subshell alone leaves it running.  One ps(1) for the tree.
kill_tree()
{
	local sig=TERM pid ppid all=() todo
	local -A kids=()
	[[ ${1:-} == -* ]] && { sig=${1#-}; shift; }
	[ $# -gt 0 ] || return 0
	while read -r pid ppid; do
		kids[$ppid]+=" $pid"
	done <<<"$(ps -e -o pid=,ppid=)"
	todo=("$@")
	while [ ${#todo[@]} -gt 0 ]; do
		pid=${todo[0]}
		todo=("${todo[@]:1}" ${kids[$pid]:-})
		all+=("$pid")
	done
	kill "-$sig" "${all[@]}" 2>/dev/null
}

# kill_jobs: every background job of this shell, with its children.
kill_jobs() { kill_tree $(jobs -p); }

# Report plan mismatches as failures and exit with the verdict.
ktap_finish()
{
	while [ "$ktap_n" -lt "$ktap_planned" ]; do
		ktap_n=$((ktap_n + 1))
		echo "not ok $ktap_n missing test case"
		ktap_failed=$((ktap_failed + 1))
	done
	echo "# $((ktap_n - ktap_failed)) passed, $ktap_failed failed"
	[ "$ktap_failed" -eq 0 ]
}

fail()
{
	echo "FAIL: $*"
	return 1
}

# expect_eq WHAT GOT WANT
expect_eq()
{
	[ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
}

# dmesg_mark: the kernel log's length now, a mark for no_splat_since.
dmesg_mark() { dmesg | wc -l; }

# no_splat_since MARK: fails, with the lines, if the kernel logged a splat
# after MARK, by the list the VM harness judges a whole run by
# (tools/vm/splat-check.sh).
no_splat_since()
{
	local out
	out=$(dmesg | tail -n +$(($1 + 1)) |
	      "$UNAT_TOP/tools/vm/splat-check.sh" -) && return 0
	fail "kernel log: $out"
	return 1
}

# expect_match WHAT TEXT REGEX
expect_match()
{
	grep -qE -- "$3" <<<"$2" || fail "$1: '$2' does not match /$3/"
}

# Create namespaces named after the arguments, with a random suffix; the
# variable of each name holds the real name.  All are deleted at exit.
# Every exec costs ~0.5 s on the debug kernel under TCG: one `ip -batch`
# makes them all.
setup_ns()
{
	setup_ns_bare "$@" || return 1
	local var
	for var in "$@"; do
		ip -n "${!var}" link set lo up || return 1
	done
}

# setup_ns_bare NAME...: as setup_ns, loopback left down for the caller's
# own batch to bring up.
setup_ns_bare()
{
	ns_names "$@"
	ip -batch - <<<"$NS_BATCH"
}

# ns_names NAME...: name the namespaces as setup_ns does, and leave the
# `ip -batch` lines that make them in NS_BATCH, for the caller's batch.
ns_names()
{
	local var name
	NS_BATCH=
	for var in "$@"; do
		# no mktemp: an exec costs ~0.2 s on the debug kernel
		name="$var-$$-$SRANDOM"
		NS_BATCH+="netns add $name"$'\n'
		ns_list+=("$name")
		printf -v "$var" %s "$name"
	done
}

cleanup_ns()
{
	local ns batch=
	for ns in "${ns_list[@]}"; do
		batch+="netns del $ns"$'\n'
	done
	ns_list=()
	[ -n "$batch" ] && ip -force -batch - <<<"$batch" 2>/dev/null
}

# Poll "$@" every 0.1 s until it succeeds or $1 seconds pass.
wait_for()
{
	local timeout=$1 i
	shift
	for ((i = 0; i < timeout * 10; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	"$@"
}

# upload_ok BYTES WHAT: BYTES of zeros from $g to a socat on $s port 5001,
# whose sha256 at the server must be theirs.
upload_ok()
{
	local out sum
	out=$(mktemp)
	ip netns exec "$s" socat -u TCP-LISTEN:5001,reuseaddr \
		SYSTEM:"sha256sum >$out" >/dev/null 2>&1 &
	wait_for 10 tcp_bound "$s" 5001 || return 1
	head -c "$1" /dev/zero | nsx "$g" timeout 60 socat -u - \
		TCP:203.0.113.2:5001 || { fail "$2"; return 1; }
	wait_for 20 test -s "$out"
	sum=$(head -c "$1" /dev/zero | sha256sum | cut -d' ' -f1)
	expect_eq "$2" "$(cut -d' ' -f1 "$out")" "$sum"
}

# unat_stat [-n NS] DEV NAME: one `ethtool -S` counter.
unat_stat()
{
	local nsargs=()
	if [ "$1" = -n ]; then
		nsargs=(ip netns exec "$2")
		shift 2
	fi
	"${nsargs[@]}" ethtool -S "$1" | awk -v k="$2:" '$1 == k { print $2 }'
}

# insmod a module after what modprobe would load first (its depends).
unat_insmod()
{
	local dep
	for dep in $(modinfo -F depends "$1" | tr , ' '); do
		modprobe -q "$dep"
	done
	insmod "$1"
}

# Load unat.ko (from UNAT_KO_DIR) unless it is loaded.
unat_load()
{
	[ -d /sys/module/unat ] && return 0
	if [ -n "${UNAT_KO_DIR:-}" ]; then
		unat_insmod "$UNAT_KO_DIR/unat.ko"
	else
		modprobe unat
	fi
}

trap 'cleanup_ns; rm -f "$DHCP_HOOK"' EXIT

UNAT=${UNAT:-$UNAT_TOP/tools/unat/unat}

# json_num KEY: the number KEY has in the JSON on stdin.  Exported, for
# loops that run in another netns (bash -c).
json_num()
{
	grep -oE "\"$1\": *[0-9]+" | grep -oE '[0-9]+$'
}
export -f json_num

# dev_field KEY: one number of `unat -j show unat0` in $g.
dev_field() { nsx "$g" "$UNAT" -j show unat0 | json_num "$1"; }

# dev_field_is KEY N: that number is N.
dev_field_is() { [ "$(dev_field "$1")" = "$2" ]; }

# A small internet for the guest, all in namespaces:
#
#   g (guest) ─unat0─ c (creating netns, "host") ─ r (router) ─ s (server)
#   10.0.2.15          198.51.100.1          .2 │ 203.0.113.1      203.0.113.2
#
# make_world [ip link add options for unat0]: sets $c $r $s $g, the guest
# configured by udhcpc.
make_world()
{
	make_world_routes g || return 1
	# made in $g by a request from $c: $c is its creating netns
	ip -n "$c" link add unat0 netns "$g" up type unat "$@" &&
	ip -n "$g" link set lo up || return 1
	guest_dhcp >/dev/null
}

# make_world_routes [NAME...]: $c, $r and $s of the drawing above, without
# unat0; and the namespaces NAME..., bare, in the same batch.
make_world_routes()
{
	ns_names c r s "$@"
	ip -batch - <<-EOF || return 1
		$NS_BATCH
		link add veth-c netns $c type veth peer name veth-rc netns $r
		link add veth-s netns $s type veth peer name veth-rs netns $r
	EOF
	ip -n "$c" -batch - <<-EOF || return 1
		link set lo up
		addr add 198.51.100.1/24 dev veth-c
		link set veth-c up
		route add default via 198.51.100.2
	EOF
	ip -n "$s" -batch - <<-EOF || return 1
		link set lo up
		addr add 203.0.113.2/24 dev veth-s
		link set veth-s up
		route add default via 203.0.113.1
	EOF
	ip -n "$r" -batch - <<-EOF || return 1
		link set lo up
		addr add 198.51.100.2/24 dev veth-rc
		addr add 203.0.113.1/24 dev veth-rs
		link set veth-rc up
		link set veth-rs up
	EOF
	ip netns exec "$r" sysctl -qw net.ipv4.ip_forward=1
}

# The udhcpc hook of guest_dhcp, written once per suite: builtins but for
# one ip(8), as every exec counts on the debug kernel.
DHCP_HOOK=/tmp/unat-dhcp-hook.$$
cat >"$DHCP_HOOK" <<'SCRIPT'
#!/bin/sh
case "$1" in
bound|renew)
	if [ "$UNAT_DHCP_ENV" != /dev/null ]; then
		for v in ip subnet router dns mtu domain search lease serverid; do
			eval "x=\${$v:-}"
			[ -z "$x" ] || echo "$v=$x"
		done >"$UNAT_DHCP_ENV"
	fi
	ip -4 -batch - <<EOF
addr flush dev $interface
addr add $ip/$subnet dev $interface
route replace default via $router dev $interface
${mtu:+link set $interface mtu $mtu}
EOF
	;;
esac
exit 0
SCRIPT
chmod +x "$DHCP_HOOK"

# guest_dhcp [ENVFILE]: configure unat0 in $g with udhcpc (address,
# default route, MTU); what the server said goes to ENVFILE.
guest_dhcp()
{
	UNAT_DHCP_ENV=${1:-/dev/null} ip netns exec "$g" timeout 30 \
		udhcpc -i unat0 -f -q -n -t 5 -T 2 -O mtu -O search \
		-s "$DHCP_HOOK" 2>&1
}

# tcp_bound NS PORT, udp_bound NS PORT: something listens there.
tcp_bound() { [ -n "$(ip netns exec "$1" ss -Htln "sport = :$2")" ]; }
udp_bound() { [ -n "$(ip netns exec "$1" ss -Huln "sport = :$2")" ]; }

# start_dnsmasq NS ADDR NAME/ANSWER...: a DNS server on ADDR port 53 in
# NS, knowing only the names given, in the background; 0 once it listens.
start_dnsmasq()
{
	local ns=$1 addr=$2 name args=()
	shift 2
	for name in "$@"; do
		args+=(--address="/$name")
	done
	ip netns exec "$ns" dnsmasq -k --no-resolv --no-hosts --user=root \
		--pid-file= --listen-address="$addr" --bind-interfaces \
		"${args[@]}" >/dev/null 2>&1 &
	wait_for 10 sh -c "ip netns exec $ns ss -Huln | grep -qF ' $addr:53 '"
}

# The kernel's own YNL client (tools/net/ynl/cli.py of the debug kernel's
# tree, in the cache), driving the family from docs/netlink/unat.yaml with
# its schema checked.  have_ynl: 0 if it can run, else says why.
have_ynl()
{
	YNL_KSRC=$(ls -d "${UNAT_CACHE:-/var/cache/unat}"/debug-*/build \
		2>/dev/null | head -1)
	[ -f "$YNL_KSRC/tools/net/ynl/cli.py" ] &&
		python3 -c 'import yaml, jsonschema' 2>/dev/null && return 0
	echo "no linux-source YNL tools or python3-yaml/jsonschema"
	return 1
}

# ynl NS ARGS...: cli.py in NS, after have_ynl.
ynl()
{
	local ns=$1
	shift
	ip netns exec "$ns" python3 "$YNL_KSRC/tools/net/ynl/cli.py" \
		--spec "$UNAT_TOP/docs/netlink/unat.yaml" \
		--schema "$YNL_KSRC/Documentation/netlink/genetlink-legacy.yaml" \
		"$@"
}

# gw_mac NS [DEV]: the gateway MAC address of unat device DEV (unat0) in
# NS, as `ip -d link` shows it.
gw_mac()
{
	ip -n "$1" -d link show "${2:-unat0}" | grep -oE 'gwmac [0-9a-f:]{17}' |
		cut -d' ' -f2
}

# counters [NS]: every counter of unat0 in NS (default $g), "name value"
# lines.
counters()
{
	ip netns exec "${1:-$g}" ethtool -S unat0 |
		awk -F': *' 'NF == 2 { gsub(/ /, "", $1); print $1, $2 }'
}

# delta BEFORE AFTER: of two `counters` files, the counters that changed,
# "name+N" each.
delta()
{
	awk 'NR == FNR { a[$1] = $2; next }
	     $2 != a[$1] { printf "%s+%d ", $1, $2 - a[$1] }' "$1" "$2"
}

# flows: the number of flows of unat0 in $g.
flows() { nsx "$g" "$UNAT" show unat0 | grep -oE 'flows [0-9]+' | cut -d' ' -f2; }

# nsx NS COMMAND...: run in a namespace.
nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
