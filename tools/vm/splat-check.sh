#!/usr/bin/env bash
# splat-check.sh FILE
#
# Scans a VM console log for kernel splats (WARN, BUG, KASAN, lockdep,
# RCU, kmemleak, panic, ...).  Exit 0: clean.  Exit 1: splat found, and a
# "unat-vm: kernel splat detected:" block listing the matching lines is
# printed on stdout.  Exit 2: usage error / unreadable file.
#
# Only kernel output is considered, so a test that merely prints these
# words (or this script's own pattern list) cannot trip it:
#   - printk lines, recognised by their "[ seconds.micros]" timestamp
#     (run.sh boots with printk.time=1), anywhere on the line since
#     user output without a trailing newline can precede them;
#   - kmemleak reports, which guest-init.sh relays prefixed with
#     "unat-vm: kmemleak: ";
# and this script's own report lines are ignored, as are lines marked
# "nested: ": a nested guest's kernel (selftests/vm.sh), which the test
# that boots it judges.
set -euo pipefail

SPLAT_PATTERNS=(
	'BUG:'
	'kernel BUG at'
	'WARNING:'
	'KASAN:'
	'UBSAN:'
	'Oops'
	'general protection fault'
	'possible circular locking dependency'
	'possible recursive locking'
	'inconsistent lock state'
	'suspicious RCU usage'
	'RCU detected stall'
	'rcu: INFO:'
	'unreferenced object'
	'Kernel panic'
	'INFO: task .* blocked'
	'sleeping function called from invalid context'
	'scheduling while atomic'
	'list_add corruption'
	'list_del corruption'
	'refcount_t:'
	'unregister_netdevice: waiting for'
	'hw csum failure'
	'Dead loop on virtual device'
)

# Kernel lines that contain a pattern but are not splats.
BENIGN_PATTERNS=(
	# CPU-bug mitigation notices under TCG's -cpu max
	'RETBleed: WARNING:'
	'WARNING: Spectre'
)

TIMESTAMP='\[ *[0-9]+\.[0-9]+\]'
KMEMLEAK_PREFIX='^unat-vm: kmemleak: '

join_alternatives() {
	local IFS='|'
	echo "$*"
}

# Our own report (this script's output, if it ends up in a log that is
# checked again), as "N:" numbered lines from grep -n.
OWN_REPORT='^[0-9]+:unat-vm: (kernel splat detected|  )'
NESTED='^[0-9]+:(# )?nested: '

# find_splats: the splat lines of the log on the standard input.
find_splats() {
	local any
	any=$(join_alternatives "${SPLAT_PATTERNS[@]}")
	tr -d '\r' \
		| grep -a -n -E "($TIMESTAMP.*|$KMEMLEAK_PREFIX.*)($any)" \
		| grep -a -v -E "$OWN_REPORT" \
		| grep -a -v -E "$NESTED" \
		| grep -a -v -E "$(join_alternatives "${BENIGN_PATTERNS[@]}")" \
		|| true
}

main() {
	if [[ $# -ne 1 ]]; then
		echo "usage: $0 CONSOLE_LOG" >&2
		exit 2
	fi
	# "-": the standard input (a pipe from dmesg, selftests/lib.sh)
	[[ $1 = - || -r $1 ]] || { echo "splat-check: cannot read $1" >&2; exit 2; }
	local hits line
	if [[ $1 = - ]]; then
		hits=$(find_splats)
	else
		hits=$(find_splats <"$1")
	fi
	[[ -z $hits ]] && exit 0
	echo "unat-vm: kernel splat detected: ($1)"
	while IFS= read -r line; do
		echo "unat-vm:   $line"
	done <<<"$hits"
	exit 1
}

main "$@"
