#!/usr/bin/env bash
# run.sh [--kernel stock|debug] [--timeout SECONDS] [--mem MB] [--out DIR]
#        [--] COMMAND...
#
# Boots a cached kernel (tools/vm/kernel.sh) under QEMU/TCG and runs
# COMMAND (joined with spaces, run by /bin/bash -c) as root inside the VM,
# in the current directory.  The guest sees the host's / read-only through
# 9p with a throw-away tmpfs overlay on top, so it can write anywhere
# without touching the host.  DIR (default: a new temp dir) is shared
# writable at /tmp/unat-out, exported to COMMAND as $UNAT_OUT; DIR also
# receives console.log (the serial console, also streamed to stdout) and
# rc (COMMAND's exit code).
#
# Exit status: COMMAND's; 124 on timeout; 125 if the guest never reported
# one (panic, crash) or the kernel could not be had; 3 if COMMAND passed
# but the console shows a kernel splat (see splat-check.sh); 2 on usage
# errors.
#
# Environment knobs: UNAT_CACHE (cache root, default /var/cache/unat),
# UNAT_VM_TCG_THREAD=single|multi (default single, see TCG_THREAD),
# UNAT_VM_KMEMLEAK=0 (skip the final kmemleak scan, ~15 s on the debug
# kernel), UNAT_VM_TRACE=1 (trace both guest init stages with timestamps),
# UNAT_VM_QEMU_ARGS (extra QEMU arguments, split on spaces),
# UNAT_VM_APPEND (extra kernel command line).
set -euo pipefail

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${UNAT_CACHE:-/var/cache/unat}
# Bump when the initramfs layout changes.
INITRAMFS_VERSION=2
# Modules stage 1 needs on a kernel that has them as modules.
STAGE1_MODULES=(9p 9pnet_virtio overlay)
# Single-threaded TCG by default: with multi-threaded TCG (QEMU 7.2) a
# vCPU can run stale code while the other one live-patches the kernel
# (static keys, text_poke_bp), which oopses at random ("Oops: int3").
# UNAT_VM_TCG_THREAD=multi trades that risk for parallel vCPUs.
TCG_THREAD=${UNAT_VM_TCG_THREAD:-single}

KIND=stock
TIMEOUT=600
MEM=
OUT=
COMMAND=

log() { printf 'unat-vm: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 2; }

usage() {
	cat >&2 <<EOF
usage: $0 [--kernel stock|debug] [--timeout SECONDS] [--mem MB] [--out DIR] [--] COMMAND...
EOF
	exit 2
}

parse_args() {
	while [[ $# -gt 0 ]]; do
		case $1 in
		--kernel) KIND=${2:?}; shift 2 ;;
		--timeout) TIMEOUT=${2:?}; shift 2 ;;
		--mem) MEM=${2:?}; shift 2 ;;
		--out) OUT=${2:?}; shift 2 ;;
		--) shift; break ;;
		-h | --help) usage ;;
		-*) log "unknown option $1"; usage ;;
		*) break ;;
		esac
	done
	[[ $# -gt 0 ]] || usage
	COMMAND="$*"
	[[ $KIND == stock || $KIND == debug ]] || die "--kernel must be stock or debug"
	[[ $TIMEOUT =~ ^[0-9]+$ ]] || die "--timeout must be a number of seconds"
	if [[ -z $MEM ]]; then
		if [[ $KIND == debug ]]; then MEM=2048; else MEM=1536; fi
	fi
	[[ $MEM =~ ^[0-9]+$ ]] || die "--mem must be a number of MB"
}

check_deps() {
	local missing=() tool
	for tool in qemu-system-x86_64 busybox cpio gzip xz modprobe timeout; do
		command -v "$tool" >/dev/null || missing+=("$tool")
	done
	[[ ${#missing[@]} -eq 0 ]] || die "missing tools: ${missing[*]} (apt-get install qemu-system-x86 busybox cpio gzip xz-utils kmod coreutils)"
}

# ------------------------------------------------------------ initramfs --

# Prints the path of the (cached) initramfs for kernel entry $1.
initramfs_for() {
	local entry=$1 key dest
	key=$({
		echo "$entry" "$INITRAMFS_VERSION" "${STAGE1_MODULES[*]}"
		cat "$VM_DIR/initramfs-init.sh" "$VM_DIR/initramfs.sh"
		sha256sum "$(readlink -f "$(command -v busybox)")"
	} | sha256sum | cut -c1-16)
	dest=$CACHE/initramfs/$(basename "$entry")-$key.cpio.gz
	if [[ ! -s $dest ]]; then
		log "building initramfs $dest"
		mkdir -p "$CACHE/initramfs"
		"$VM_DIR/initramfs.sh" "$entry" "$VM_DIR/initramfs-init.sh" \
			"$dest" "${STAGE1_MODULES[@]}"
	fi
	echo "$dest"
}

# ------------------------------------------------------------------ run --

prepare_out() {
	if [[ -z $OUT ]]; then
		OUT=$(mktemp -d /tmp/unat-vm.XXXXXX)
	fi
	mkdir -p "$OUT"
	OUT=$(cd "$OUT" && pwd -P)
	rm -rf "$OUT/.unat-vm" "$OUT/rc" "$OUT/console.log"
	mkdir "$OUT/.unat-vm"
}

# Orders for the guest, one value per file: nothing needs quoting.
write_orders() {
	local entry=$1 ctl=$OUT/.unat-vm
	printf '%s\n' "$COMMAND" >"$ctl/command"
	pwd -P >"$ctl/cwd"
	echo "$VM_DIR/guest-init.sh" >"$ctl/stage2"
	echo "$KIND" >"$ctl/kind"
	echo "$entry/modules" >"$ctl/moddir"
	if [[ -t 0 ]]; then echo 1; else echo 0; fi >"$ctl/interactive"
	if [[ -n ${UNAT_VM_TRACE:-} ]]; then touch "$ctl/trace"; fi
	echo "${UNAT_VM_KMEMLEAK:-1}" >"$ctl/kmemleak"
}

kernel_cmdline() {
	# dummy.numdummies=0: no dummy0 at boot (built in on debug) or at
	# modprobe (stock), whatever a test lists.
	local cmdline="console=ttyS0,115200 panic=-1 printk.time=1 loglevel=7 rdinit=/init dummy.numdummies=0"
	if [[ $KIND == debug ]]; then
		cmdline+=" kmemleak=on"
	fi
	echo "$cmdline${UNAT_VM_APPEND:+ $UNAT_VM_APPEND}"
}

run_qemu() {
	local entry=$1 initrd=$2 stdin=/dev/null extra=()
	[[ -t 0 ]] && stdin=/dev/stdin
	# Extra QEMU arguments for experiments (word-split on purpose).
	read -r -a extra <<<"${UNAT_VM_QEMU_ARGS:-}"
	timeout --foreground -k 10 "$TIMEOUT" \
		qemu-system-x86_64 \
		-machine q35 -accel "tcg,thread=$TCG_THREAD" -cpu max -smp 2 -m "$MEM" \
		-nographic -vga none -nic none -no-reboot \
		-kernel "$entry/vmlinuz" -initrd "$initrd" \
		-append "$(kernel_cmdline)" \
		-fsdev local,id=root,path=/,security_model=none,readonly=on,multidevs=remap \
		-device virtio-9p-pci,fsdev=root,mount_tag=hostroot \
		-fsdev "local,id=out,path=$OUT,security_model=none" \
		-device virtio-9p-pci,fsdev=out,mount_tag=unatout \
		"${extra[@]}" <"$stdin" | tee "$OUT/console.log"
	return "${PIPESTATUS[0]}"
}

# Final status from QEMU's status ($1), the guest's rc and the splat check.
final_status() {
	local qemu_rc=$1 rc splat=0
	"$VM_DIR/splat-check.sh" "$OUT/console.log" || splat=1
	if [[ $qemu_rc -eq 124 || $qemu_rc -eq 137 ]]; then
		log "timeout after $TIMEOUT s (console: $OUT/console.log)"
		return 124
	fi
	if [[ -s $OUT/rc ]]; then
		rc=$(<"$OUT/rc")
	else
		log "the guest reported no exit code (qemu: $qemu_rc; console: $OUT/console.log)"
		rc=125
	fi
	if [[ $splat -eq 1 && $rc -eq 0 ]]; then
		rc=3
	fi
	return "$rc"
}

report_timing() {
	local start=$1 boot
	boot=$(tr -d '\r' <"$OUT/console.log" \
		| sed -nE 's/^unat-vm: boot done, uptime ([0-9.]+) s.*/\1/p' | head -n 1)
	log "kernel $KIND: boot-to-command ${boot:-?} s (guest uptime), wall $((SECONDS - start)) s, results in $OUT"
}

main() {
	local entry initrd start qemu_rc=0 rc=0
	parse_args "$@"
	check_deps
	entry=$("$VM_DIR/kernel.sh" "$KIND" | tail -n 1) \
		|| { log "error: tools/vm/kernel.sh $KIND failed"; exit 125; }
	initrd=$(initramfs_for "$entry")
	prepare_out
	write_orders "$entry"
	start=$SECONDS
	run_qemu "$entry" "$initrd" || qemu_rc=$?
	final_status "$qemu_rc" || rc=$?
	report_timing "$start"
	rm -rf "$OUT/.unat-vm"
	exit "$rc"
}

main "$@"
