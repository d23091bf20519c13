#!/usr/bin/env bash
# kernel.sh stock|debug
#
# Prints (as the last and only stdout line) the path of a cached kernel
# directory, fetching or building it first if it is not cached yet.
# Progress goes to stderr.  Cache root: ${UNAT_CACHE:-/var/cache/unat}.
#
# Entry layout (both kinds):
#   vmlinuz   the kernel image to boot
#   kver      the kernel release (uname -r)
#   build     KDIR to build unat.ko against (make -C <entry>/build M=...)
#   modules/lib/modules/<kver>/   depmod'ed modules dir (debug: built-ins
#             list only), bind-mounted at /lib/modules/<kver> in the guest
# stock only:
#   config    the package's kernel config
#   package   "<name>=<version>" of the image package
# debug only:
#   build/    the full built tree (vmlinuz -> build/arch/x86/boot/bzImage)
#   build.log the build's log
set -euo pipefail

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${UNAT_CACHE:-/var/cache/unat}
LINUX_SOURCE_TAR=/usr/src/linux-source-6.12.tar.xz
LINUX_SOURCE_PKG=linux-source-6.12
# Bump when stock_fetch / debug_build change what they produce.
STOCK_FETCH_VERSION=1
DEBUG_BUILD_VERSION=2

log() { printf 'unat-kernel: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
	echo "usage: $0 stock|debug" >&2
	exit 2
}

sha() { sha256sum | cut -c1-16; }

# Release of the newest installed linux-headers-6.12.*-amd64 tree.
headers_kver() {
	local dir
	dir=$(find /usr/src -maxdepth 1 -name 'linux-headers-6.12.*-amd64' \
		| sort -V | tail -n 1)
	[[ -n $dir ]] || die "no /usr/src/linux-headers-6.12.*-amd64 installed"
	basename "$dir" | sed 's/^linux-headers-//'
}

pkg_version() {
	dpkg-query -W -f='${Version}' "$1" 2>/dev/null \
		|| die "package $1 is not installed"
}

# Run "$@" under an exclusive lock named $1 so concurrent callers wait
# instead of building the same entry twice.
with_lock() {
	local name=$1
	shift
	mkdir -p "$CACHE"
	exec {lockfd}>"$CACHE/.lock-$name"
	flock "$lockfd"
	"$@"
	exec {lockfd}>&-
}

# Make a fresh temp dir next to the final entry (same filesystem, so the
# final rename is atomic) and make sure it goes away on failure.
TMP_ENTRY=
cleanup() {
	if [[ -n ${STEP_PID:-} ]]; then
		kill "$STEP_PID" 2>/dev/null || true
		wait "$STEP_PID" 2>/dev/null || true
	fi
	[[ -z $TMP_ENTRY ]] || rm -rf "$TMP_ENTRY"
}
trap cleanup EXIT

new_tmp_entry() {
	TMP_ENTRY=$(mktemp -d "$CACHE/.tmp-$1.XXXXXX")
}

publish() {
	local final=$1
	chmod 755 "$TMP_ENTRY"
	mv -T "$TMP_ENTRY" "$final"
	TMP_ENTRY=
}

# ---------------------------------------------------------------- stock --

stock_download() {
	local spec=$1 dir=$2
	if ! (cd "$dir" && apt-get download -q -o APT::Sandbox::User=root "$spec" >&2); then
		log "apt-get download failed; running apt-get update and retrying"
		apt-get update -q >&2
		(cd "$dir" && apt-get download -q -o APT::Sandbox::User=root "$spec" >&2)
	fi
}

stock_fetch() {
	local kver=$1 spec=$2 final=$3 dl deb kdir
	new_tmp_entry stock
	dl=$TMP_ENTRY/dl
	mkdir -p "$dl" "$TMP_ENTRY/pkg"
	log "downloading $spec"
	stock_download "$spec" "$dl"
	deb=$(find "$dl" -name '*.deb' | head -n 1)
	[[ -n $deb ]] || die "apt-get download produced no .deb"
	dpkg-deb -x "$deb" "$TMP_ENTRY/pkg"
	kdir=$(find "$TMP_ENTRY/pkg" -maxdepth 3 -type d -path '*lib/modules' | head -n 1)
	[[ -d $kdir/$kver ]] || die "package has no lib/modules/$kver"
	mkdir -p "$TMP_ENTRY/modules/lib"
	mv "$kdir" "$TMP_ENTRY/modules/lib/modules"
	cp "$TMP_ENTRY/pkg/boot/vmlinuz-$kver" "$TMP_ENTRY/vmlinuz"
	cp "$TMP_ENTRY/pkg/boot/config-$kver" "$TMP_ENTRY/config"
	rm -rf "$TMP_ENTRY/pkg" "$dl"
	log "depmod for $kver"
	depmod -b "$TMP_ENTRY/modules" "$kver"
	echo "$kver" >"$TMP_ENTRY/kver"
	echo "$spec" >"$TMP_ENTRY/package"
	ln -s "/usr/src/linux-headers-$kver" "$TMP_ENTRY/build"
	publish "$final"
}

stock_entry() {
	local kver ver spec key final
	kver=$(headers_kver)
	ver=$(pkg_version "linux-headers-$kver")
	spec="linux-image-$kver-unsigned=$ver"
	key=$(printf '%s\n' "$spec" "stock-fetch-$STOCK_FETCH_VERSION" | sha)
	final=$CACHE/stock-$kver-$key
	if [[ ! -e $final/kver ]]; then
		with_lock "stock-$key" ensure_entry "$final" stock_fetch "$kver" "$spec" "$final"
	fi
	echo "$final"
}

# ---------------------------------------------------------------- debug --

# Symbols the fragment asks for (CONFIG_X=val) that are not in .config,
# and symbols it disables (# CONFIG_X is not set) that ended up set.
config_missing() {
	local frag=$1 config=$2 line sym
	while IFS= read -r line; do
		grep -qxF "$line" "$config" || echo "  want $line, got: $(
			grep -E "^(# )?${line%%=*}[= ]" "$config" || echo 'absent')"
	done < <(grep -E '^CONFIG_[A-Za-z0-9_]+=' "$frag")
	while IFS= read -r sym; do
		if grep -q "^$sym=" "$config"; then
			echo "  want $sym off, got: $(grep "^$sym=" "$config")"
		fi
	done < <(sed -nE 's/^# (CONFIG_[A-Za-z0-9_]+) is not set.*/\1/p' "$frag")
}

# step NAME CMD...: run CMD in the build tree, output to the log, with a
# progress line every minute.
STEP_PID=
step() {
	local name=$1 start=$SECONDS last=$SECONDS
	shift
	log "debug build: $name"
	printf '\n===== %s: %s\n' "$name" "$*" >>"$BUILD_LOG"
	(cd "$BUILD_TREE" && exec "$@") >>"$BUILD_LOG" 2>&1 &
	STEP_PID=$!
	while kill -0 "$STEP_PID" 2>/dev/null; do
		sleep 2
		if ((SECONDS - last >= 60)); then
			last=$SECONDS
			log "debug build: $name: $((SECONDS - start))s, $(grep -c '^  CC' "$BUILD_LOG") files compiled so far"
		fi
	done
	if ! wait "$STEP_PID"; then
		STEP_PID=
		tail -n 40 "$BUILD_LOG" >&2
		die "debug build step '$name' failed; log kept as $CACHE/debug-build.log.failed"
	fi
	STEP_PID=
	log "debug build: $name done in $((SECONDS - start))s"
}

debug_configure() {
	local frag=$VM_DIR/debug.config missing
	step tinyconfig make tinyconfig
	step merge-fragment scripts/kconfig/merge_config.sh -m .config "$frag"
	step olddefconfig make olddefconfig
	missing=$(config_missing "$frag" "$BUILD_TREE/.config")
	if [[ -n $missing ]]; then
		log "debug.config symbols that did not survive olddefconfig:"
		printf '%s\n' "$missing" >&2
		die "fix tools/vm/debug.config (a dependency is probably missing)"
	fi
}

debug_build() {
	local final=$1 jobs kver start=$SECONDS
	new_tmp_entry debug
	BUILD_TREE=$TMP_ENTRY/build
	BUILD_LOG=$TMP_ENTRY/build.log
	mkdir -p "$BUILD_TREE"
	trap 'cp -f "$BUILD_LOG" "$CACHE/debug-build.log.failed" 2>/dev/null; cleanup' EXIT
	jobs=${UNAT_JOBS:-$(($(nproc) + 1))}
	log "debug build in $TMP_ENTRY (make -j$jobs), log: $BUILD_LOG"
	step extract tar -xf "$LINUX_SOURCE_TAR" --strip-components=1
	debug_configure
	step kernel make -j"$jobs" bzImage modules_prepare
	step modules make -j"$jobs" modules
	[[ -s $BUILD_TREE/Module.symvers ]] || die "no Module.symvers after make modules"
	(cd "$BUILD_TREE" && make -s kernelrelease) >"$TMP_ENTRY/kver"
	kver=$(<"$TMP_ENTRY/kver")
	# modules.builtin & co, so that modprobe in the guest knows built-ins.
	step modules_install make modules_install INSTALL_MOD_PATH="$TMP_ENTRY/modules"
	ln -sfn "$final/build" "$TMP_ENTRY/modules/lib/modules/$kver/build"
	rm -f "$TMP_ENTRY/modules/lib/modules/$kver/source"
	ln -s build/arch/x86/boot/bzImage "$TMP_ENTRY/vmlinuz"
	trap cleanup EXIT
	publish "$final"
	log "debug build finished in $((SECONDS - start))s: $final"
}

debug_entry() {
	local srcver key final
	srcver=$(pkg_version "$LINUX_SOURCE_PKG")
	[[ -r $LINUX_SOURCE_TAR ]] || die "$LINUX_SOURCE_TAR missing (apt-get install $LINUX_SOURCE_PKG)"
	key=$({
		cat "$VM_DIR/debug.config"
		printf '%s\n' "$LINUX_SOURCE_PKG=$srcver" "debug-build-$DEBUG_BUILD_VERSION"
	} | sha)
	final=$CACHE/debug-$key
	if [[ ! -e $final/kver ]]; then
		with_lock "debug-$key" ensure_entry "$final" debug_build "$final"
	fi
	echo "$final"
}

# ensure_entry FINAL BUILDER ARGS...: build unless another caller did it
# while we waited for the lock.
ensure_entry() {
	local final=$1
	shift
	[[ -e $final/kver ]] && return 0
	"$@"
}

main() {
	[[ $# -eq 1 ]] || usage
	case $1 in
	stock) stock_entry ;;
	debug) debug_entry ;;
	*) usage ;;
	esac
}

main "$@"
