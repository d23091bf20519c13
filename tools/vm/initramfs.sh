#!/usr/bin/env bash
# initramfs.sh ENTRY INIT DEST [MODULE...]
#
# Builds a gzip'ed cpio initramfs at DEST for kernel entry ENTRY (see
# kernel.sh): the host's busybox with its libraries and every applet
# linked, /dev/console and /dev/null, INIT as /init, and MODULE... with
# their dependencies decompressed into /modules in load order
# (/modules/order; built-ins are skipped).
#
# run.sh uses it for the test VM's stage 1; selftests/vm.sh for the guest
# it boots inside that VM.
set -euo pipefail

root=

# copy_libs ROOT BIN: the shared libraries that BIN needs, into ROOT.
copy_libs()
{
	local root=$1 bin=$2 lib
	for lib in $(ldd "$bin" | grep -oE '/[^ ]+'); do
		[[ -e $root$lib ]] || install -D -m 755 "$lib" "$root$lib"
	done
}

# add_modules ENTRY ROOT MODULE...
add_modules()
{
	local entry=$1 root=$2 kver ko name
	shift 2
	kver=$(<"$entry/kver")
	mkdir -p "$root/modules"
	: >"$root/modules/order"
	[[ $# -gt 0 && -d $entry/modules/lib/modules/$kver ]] || return 0
	modprobe -d "$entry/modules" -S "$kver" --show-depends -a "$@" |
		awk '$1 == "insmod" && !seen[$2]++ { print $2 }' |
	while read -r ko; do
		name=$(basename "$ko")
		case $ko in
		*.ko.xz) name=${name%.xz}; xz -dc "$ko" >"$root/modules/$name" ;;
		*.ko.zst) name=${name%.zst}; zstd -qdc "$ko" >"$root/modules/$name" ;;
		*.ko.gz) name=${name%.gz}; gzip -dc "$ko" >"$root/modules/$name" ;;
		*) cp "$ko" "$root/modules/$name" ;;
		esac
		echo "$name" >>"$root/modules/order"
	done
}

main()
{
	local entry=${1:?usage: initramfs.sh ENTRY INIT DEST [MODULE...]}
	local init=${2:?} dest=${3:?} busybox
	shift 3
	busybox=$(readlink -f "$(command -v busybox)")
	root=$(mktemp -d)
	trap 'rm -rf "$root"' EXIT
	mkdir -p "$root"/{bin,dev,proc,sys,etc,tmp,out,lower,rw,newroot}
	# the applets' links name the binary's own path: keep it there
	install -D -m 755 "$busybox" "$root$busybox"
	copy_libs "$root" "$busybox"
	"$busybox" --install -s "$root/bin"
	[[ -e $root/bin/busybox ]] || ln -s "$busybox" "$root/bin/busybox"
	mknod -m 600 "$root/dev/console" c 5 1
	mknod -m 666 "$root/dev/null" c 1 3
	install -m 755 "$init" "$root/init"
	add_modules "$entry" "$root" "$@"
	(cd "$root" && find . -print0 | cpio --null -o -H newc -R 0:0 --quiet) \
		| gzip -1 >"$dest.tmp.$$"
	mv -f "$dest.tmp.$$" "$dest"
}

main "$@"
