#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hostile fragments from the guest: every frame of unat-frames' catalogue,
# one after the other, from an AF_PACKET socket on the guest's unat0, each
# taken by the counter that says why; then random and mutated frames, a
# fifth or more of them fragments of each family.  After each: the host is
# alive, the kernel log has no splat, and UDP and TCP still pass.
#
#   g (guest) ─unat0─ c (creating netns) ─ r ─ s (server 203.0.113.2)
#
# UNAT_FRAG_RANDOM=N sets the number of random frames (default 20000, 5000
# on the debug kernel; `make fuzz-frag` runs 200000).

source "$(dirname "$0")/lib.sh"
FRAMES=${FRAMES:-$UNAT_TOP/tools/frames/unat-frames}
ECHO=$UNAT_TOP/selftests/udp_echo.py
FRAG_RANDOM=20000
[ $UNAT_DEBUG_KERNEL = 1 ] && FRAG_RANDOM=5000

# Which counter must take each catalogue frame.
declare -A WANT=(
	[v6-m1-not-multiple-of-8]=drop_fragment_invalid
	[v6-first-cut-tcp]=drop_fragment_invalid
	[v6-first-cut-udp]=drop_fragment_invalid
	[v6-first-cut-icmp6]=drop_fragment_invalid
	[v6-atomic-chain-1]=drop_fragment_invalid
	[v6-atomic-chain-50]=drop_fragment_invalid
	[v6-atomic-chain-500]=drop_fragment_invalid
	[v6-beyond-65535]=drop_fragment_invalid
	[v6-overlap]=drop_fragment
	[v6-duplicate]=fragments_reassembled
	[v6-two-frag-headers]=drop_fragment_invalid
	[v6-reassembled-starts-with-frag]=drop_fragment_invalid
	[v6-ndp-fragment]=drop_fragment_invalid
	[v6-payload-len-0]=drop_malformed
	[v6-id-reuse]=icmp6_echo_reply
	[v6-echo-fragmented-ok]=icmp6_echo_reply
	[v4-mf-not-multiple-of-8]=drop_fragment_invalid
	[v4-first-cut-tcp]=drop_malformed
	[v4-first-cut-udp]=drop_malformed
	[v4-first-cut-icmp]=drop_fragment
	[v4-beyond-65535]=drop_fragment_invalid
	[v4-overlap]=drop_fragment
	[v4-duplicate]=fragments_reassembled
	[v4-id-reuse]=icmp_echo_replies
	[v4-echo-fragmented-ok]=icmp_echo_replies
)
# ... and how many times (default 1).
declare -A TIMES=(
	[v6-id-reuse]=2
	[v4-id-reuse]=2
)

# send ARGS...: unat-frames from the guest, to the gateway's MAC.
send()
{
	nsx "$g" "$FRAMES" --gw-mac "$GWMAC" unat0 "$@"
}

frag_world()
{
	make_world "$@" || return 1
	GWMAC=$(gw_mac "$g")
	[ -n "$GWMAC" ] || { fail "no gateway MAC"; return 1; }
	DMESG_START=$(dmesg_mark)
}

# still_fine: no splat since frag_world, and UDP and TCP both work.
still_fine()
{
	no_splat_since "$DMESG_START" || return 1
	ip netns exec "$s" "$ECHO" server 7777 >/dev/null 2>&1 &
	wait_for 10 udp_bound "$s" 7777 || return 1
	nsx "$g" "$ECHO" client 203.0.113.2 7777 3000 ||
		{ fail "UDP echo after the frames"; return 1; }
	upload_ok 1000000 "TCP upload after the frames"
}

# Each catalogue frame on its own: the counter that should take it did,
# as many times as it should; what else changed is printed.
test_catalogue()
{
	local name want times before after d bad=0 n=0
	frag_world mtu 65520 || return 1
	before=$(mktemp) after=$(mktemp)
	for name in $(send list); do
		want=${WANT[$name]:-}
		[ -n "$want" ] || { fail "$name: no expected counter"; bad=1; continue; }
		times=${TIMES[$name]:-1}
		counters "$g" >"$before"
		send send "$name" >/dev/null || { fail "$name: not sent"; bad=1; continue; }
		# replies and reassembly are synchronous; the counters are per CPU
		sleep 0.1
		counters "$g" >"$after"
		d=$(delta "$before" "$after")
		echo "$name: $d"
		[[ " $d" =~ " $want+"([0-9]+)" " ]] && [ "${BASH_REMATCH[1]}" -ge "$times" ] ||
			{ fail "$name: want $want+$times"; bad=1; }
		n=$((n + 1))
	done
	rm -f "$before" "$after"
	[ $n -ge 25 ] || { fail "only $n catalogue frames"; bad=1; }
	[ $bad = 0 ] && still_fine
}

# The catalogue again at guest MTU 1500, where the guest's own stack
# fragments too: the frames that do not fit are skipped by unat-frames.
test_catalogue_mtu1500()
{
	frag_world mtu 1500 || return 1
	send all >/dev/null || return 1
	[ "$(unat_stat -n "$g" unat0 drop_fragment_invalid)" -ge 8 ] ||
		{ fail "drop_fragment_invalid: $(unat_stat -n "$g" unat0 drop_fragment_invalid)"; return 1; }
	still_fine
}

# Random and mutated frames, fragments among them, both families.
test_random()
{
	local n=${UNAT_FRAG_RANDOM:-$FRAG_RANDOM} out sum
	frag_world || return 1
	out=$(send random "$n") || { echo "$out"; fail "unat-frames random"; return 1; }
	echo "$out" | sed -n '1p;$p'
	sum=$(echo "$out" | tail -1)
	[[ $sum =~ sent\ ([0-9]+)\ frames:\ ([0-9]+)\ ipv4\ fragments,\ ([0-9]+)\ ipv6 ]] ||
		{ fail "no summary"; return 1; }
	[ "${BASH_REMATCH[2]}" -ge $((n / 5)) ] && [ "${BASH_REMATCH[3]}" -ge $((n / 5)) ] ||
		{ fail "fewer than a fifth fragments of each family"; return 1; }
	counters "$g" | grep -E '^(drop_fragment|drop_fragment_invalid|fragments_held|fragments_reassembled|drop_malformed) '
	still_fine
}

ktap_plan 3
unat_load || exit 1
ktap_case "each hostile fragment frame counted, host fine after" test_catalogue
ktap_case "the catalogue at guest MTU 1500" test_catalogue_mtu1500
ktap_case "random and mutated frames, a fifth fragments of each family" test_random
ktap_finish
