#!/bin/bash
# Stage 2 init (PID 1 in the VM), started by tools/vm/initramfs-init.sh
# after switch_root into the overlay of the host's root.  Not for use on
# the host.
#
# Reads its orders from the results share (/tmp/unat-out/.unat-vm/, written
# by run.sh, one value per file): command, cwd, kind, interactive, trace,
# kmemleak.
# Runs the command, relays kmemleak's report (debug kernel), writes the
# exit code to /tmp/unat-out/rc and reboots, which makes QEMU (started with
# -no-reboot) exit.
#
# Every exec costs tens of milliseconds under TCG, so this script sticks
# to builtins where it can.  No `set -e`: PID 1 must reach the reboot
# whatever fails.
set -uo pipefail

UNAT_OUT=/tmp/unat-out
CTL=$UNAT_OUT/.unat-vm
KMEMLEAK=/sys/kernel/debug/kmemleak

msg() { echo "unat-vm: $*"; }

# ctl VAR NAME: set VAR to the order NAME (empty if absent), no subshell.
ctl() {
	local value=
	[[ -r $CTL/$2 ]] && IFS= read -r value <"$CTL/$2"
	printf -v "$1" '%s' "$value"
}

# Sets UPTIME (no subshell: every fork counts under TCG).
uptime_s() {
	local rest
	read -r UPTIME rest </proc/uptime
}

# Stage 1 mounts these; mount whatever is still missing.
mount_filesystems() {
	local mounts type dir opts
	[[ -r /proc/self/mounts ]] || mount -t proc proc /proc
	IFS= read -r -d '' mounts </proc/self/mounts
	while read -r type dir opts; do
		[[ $mounts == *" $dir "* ]] && continue
		[[ $type == debugfs && ! -d $dir ]] && continue
		mkdir -p "$dir"
		mount -t "$type" -o "$opts" "$type" "$dir" || msg "warning: cannot mount $type on $dir"
	done <<-EOF
		sysfs /sys defaults
		devtmpfs /dev defaults
		devpts /dev/pts gid=5,mode=620,ptmxmode=666
		tmpfs /dev/shm mode=1777
		tmpfs /run mode=0755
		debugfs /sys/kernel/debug defaults
	EOF
}

# lo is already up (stage 1 did it with busybox: quicker than ip(8)).
setup_environment() {
	echo unat-vm >/proc/sys/kernel/hostname
	ulimit -c 0
	ulimit -n 65536
	ulimit -s 8192
	ulimit -l unlimited
	# Boot ran with the default console level; make sure everything up to
	# KERN_INFO reaches the console (KUnit's KTAP lines are KERN_INFO).
	echo 7 >/proc/sys/kernel/printk
	umask 022
	export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
	export HOME=/root TERM=linux LANG=C.UTF-8 SHELL=/bin/bash
	ctl UNAT_KERNEL kind
	export UNAT_OUT UNAT_VM=1 UNAT_KERNEL
}

run_command() {
	local cmd cwd interactive rc
	[[ -r $CTL/command ]] || { msg "error: no command"; return 125; }
	IFS= read -r -d '' cmd <"$CTL/command"
	ctl cwd cwd
	ctl interactive interactive
	cd "${cwd:-/}" || { msg "error: cannot cd to $cwd"; return 125; }
	uptime_s
	msg "boot done, uptime $UPTIME s; running command in $PWD"
	if [[ $interactive == 1 ]]; then
		setsid -c -w /bin/bash -c "$cmd" <>/dev/ttyS0 >&0 2>&0
	else
		/bin/bash -c "$cmd" </dev/null
	fi
	rc=$?
	uptime_s
	msg "command exited with $rc, uptime $UPTIME s"
	return "$rc"
}

# Two scans a few seconds apart: objects younger than kmemleak's minimum
# age, or still in flight, are not reported by the first one.
report_kmemleak() {
	local line enabled
	ctl enabled kmemleak
	[[ -w $KMEMLEAK && $enabled != 0 ]] || return 0
	msg "kmemleak: scanning"
	echo scan >"$KMEMLEAK"
	sleep 5
	echo scan >"$KMEMLEAK"
	while IFS= read -r line; do
		echo "unat-vm: kmemleak: $line"
	done <"$KMEMLEAK"
	uptime_s
	msg "kmemleak: scan done, uptime $UPTIME s"
}

power_off() {
	sync
	busybox reboot -f
	sleep 3600
}

main() {
	local rc
	if [[ -e $CTL/trace ]]; then
		PS4='+ ${EPOCHREALTIME} '
		set -x
	fi
	uptime_s
	msg "stage 2, uptime $UPTIME s"
	mount_filesystems
	setup_environment
	run_command
	rc=$?
	report_kmemleak
	echo "$rc" >"$UNAT_OUT/rc"
	power_off
}

main
