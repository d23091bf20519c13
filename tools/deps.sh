#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian 12 packages that building, the test VM and the tests
# need.  Only acts as root, and only for what is missing.
#
#   tools/deps.sh          everything
#   tools/deps.sh kernel   only what building the debug kernel needs, so
#                          that .ci/run can start that build early
#   tools/deps.sh perf     everything, and perf (make bench-profile)

set -euo pipefail

newest()
{
	apt-cache search --names-only "$1" | awk '{ print $1 }' | sort -V | tail -1
}

kernel=(build-essential bc bison flex libelf-dev libssl-dev kmod cpio
	xz-utils zstd gzip rsync linux-source-6.12)
pkgs=("${kernel[@]}" sparse python3 qemu-system-x86 busybox iproute2 ethtool
	udhcpc isc-dhcp-client isc-dhcp-common iputils-ping tcpdump libmnl-dev
	pkg-config socat curl iperf3 dnsmasq-base nftables netbase dnsutils
	traceroute python3-yaml python3-jsonschema openssl passt slirp4netns
	ndisc6 hping3)
[ "${1:-}" = kernel ] && pkgs=("${kernel[@]}")
[ "${1:-}" = perf ] && pkgs+=(linux-perf)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
# the headers of both Debian 12 kernels: 6.1 and 6.12
if [ "${1:-}" != kernel ]; then
	ls -d /usr/src/linux-headers-6.1.0-*-amd64 >/dev/null 2>&1 || missing+=(H61)
	ls -d /usr/src/linux-headers-6.12.*-amd64 >/dev/null 2>&1 || missing+=(H612)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "missing packages: ${missing[*]}; run as root to install them" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# once an hour is enough (.ci/run calls this twice)
[ -n "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -60)" ] ||
	apt-get update -q
for i in "${!missing[@]}"; do
	case ${missing[$i]} in
	H61) missing[i]=$(newest '^linux-headers-6\.1\.0-[0-9]+-amd64$') ;;
	H612) missing[i]=$(newest '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$') ;;
	esac
done
# what is listed is what is needed: QEMU's recommends alone are hundreds
# of packages (a GUI, audio, speech), minutes of a fresh machine's CI run
apt-get install -y -q --no-install-recommends "${missing[@]}"
