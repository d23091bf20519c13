#!/bin/sh
# shellcheck shell=sh
#
# Stage 1: /init of the initramfs that tools/vm/run.sh builds (busybox sh).
#
# - loads the modules listed in /modules/order (stock kernel: 9p, overlay
#   and their dependencies);
# - mounts the host's / (9p tag "hostroot", read-only) under an overlayfs
#   whose upper layer is a tmpfs, at /newroot;
# - mounts the API filesystems (/proc, /sys, /dev, /dev/pts, /dev/shm,
#   /run, /tmp, debugfs) there, the results share (9p tag "unatout") at
#   /tmp/unat-out, and the kernel's modules dir (a host path, from the
#   cache) on /lib/modules/<kver>; makes / rshared; brings lo up;
# - switch_roots into stage 2 (tools/vm/guest-init.sh; its path, like the
#   rest of the run's orders, is read from the results share).
#
# Every exec costs 0.1 s (stock) to 0.5 s (debug kernel) under TCG, so the
# mounts are batched: one `mount -a -T FSTAB` per phase, busybox from RAM.
set -u
PATH=/bin
export PATH

CTL=/out/.unat-vm
NEW=/newroot
P9=trans=virtio,version=9p2000.L,msize=512000
OVERLAY_OPTS=lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work,index=off,xino=off,redirect_dir=off,metacopy=off

TRACE=
CWD=
MODDIR=
STAGE2=
KVER=

fail() {
	echo "unat-vm: init: error: $*"
	reboot -f
	sleep 3600
}

# With UNAT_VM_TRACE set on the host, say where stage 1 is and when.
stamp() {
	[ -n "$TRACE" ] || return 0
	read -r up _ </proc/uptime
	echo "unat-vm: init: $up s: $*"
}

# order NAME: print the order NAME from the results share (no exec).
order() {
	value=
	[ -r "$CTL/$1" ] && read -r value <"$CTL/$1"
	printf '%s' "$value"
}

load_modules() {
	[ -s /modules/order ] || return 0
	while read -r m; do
		insmod "/modules/$m" || fail "insmod $m"
	done </modules/order
}

# Phase 1: the two 9p shares and the tmpfs for the overlay's upper layer.
mount_shares() {
	cat >/etc/fstab.1 <<-EOF
		unatout /out 9p $P9,cache=none 0 0
		hostroot /lower 9p $P9,cache=loose,ro 0 0
		rw /rw tmpfs mode=0755 0 0
	EOF
	mount -a -T /etc/fstab.1 || fail "cannot mount the 9p shares"
	[ -e "$CTL/trace" ] && TRACE=1
	CWD=$(order cwd)
	MODDIR=$(order moddir)
	STAGE2=$(order stage2)
	read -r KVER </proc/sys/kernel/osrelease
	[ -n "$STAGE2" ] || fail "no $CTL/stage2 in the results share"
}

under_tmp() {
	case $1 in
	/tmp | /tmp/*) return 0 ;;
	esac
	return 1
}

# Phase 2: the overlay root and what can be mounted on its existing dirs.
# /tmp becomes a fresh tmpfs, unless a host path the run needs (cwd,
# stage 2, the modules dir) is under /tmp: then /tmp stays the host's,
# seen through the overlay.
mount_root() {
	mkdir -p /rw/upper /rw/work
	{
		echo "overlay $NEW overlay $OVERLAY_OPTS 0 0"
		echo "proc $NEW/proc proc defaults 0 0"
		echo "sysfs $NEW/sys sysfs defaults 0 0"
		echo "devtmpfs $NEW/dev devtmpfs defaults 0 0"
		echo "tmpfs $NEW/run tmpfs mode=0755 0 0"
		if ! under_tmp "$CWD" && ! under_tmp "$STAGE2" && ! under_tmp "$MODDIR"; then
			echo "tmp $NEW/tmp tmpfs mode=1777 0 0"
		fi
	} >/etc/fstab.2
	mount -a -T /etc/fstab.2 || fail "cannot mount the overlay root"
}

# Phase 3: mounts on dirs that phase 2 made possible.  The modules dir:
# /lib is usually a relative symlink (usr/lib), which resolves in $NEW.
mount_rest() {
	moddir=
	if [ -n "$MODDIR" ] && [ -d "$NEW$MODDIR/lib/modules/$KVER" ]; then
		moddir=$NEW$MODDIR/lib/modules/$KVER
	fi
	mkdir -p "$NEW/dev/pts" "$NEW/dev/shm" "$NEW/tmp/unat-out" \
		${moddir:+"$NEW/lib/modules/$KVER"}
	{
		echo "devpts $NEW/dev/pts devpts gid=5,mode=620,ptmxmode=666 0 0"
		echo "tmpfs $NEW/dev/shm tmpfs mode=1777 0 0"
		# a virtio-9p channel takes one mount at a time: move, not remount
		echo "/out $NEW/tmp/unat-out none move 0 0"
		if [ -d "$NEW/sys/kernel/debug" ]; then
			echo "debugfs $NEW/sys/kernel/debug debugfs defaults 0 0"
		fi
		if [ -n "$moddir" ]; then
			echo "$moddir $NEW/lib/modules/$KVER none bind 0 0"
		fi
	} >/etc/fstab.3
	mount -a -T /etc/fstab.3 || fail "cannot mount the API filesystems"
	[ -e "$NEW/tmp/unat-out/.unat-vm/stage2" ] || fail "results share not in place"
	mount --make-rshared "$NEW" || fail "cannot make / shared"
}

main() {
	mount -t proc proc /proc
	load_modules
	mount_shares
	stamp "modules loaded, shares mounted"
	mount_root
	stamp "root overlay mounted"
	mount_rest
	ip link set lo up || echo "unat-vm: init: warning: cannot bring lo up"
	stamp "switching root"
	exec switch_root "$NEW" /bin/bash "$STAGE2"
}

main
