#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian 12 packages that building, the test VM and the tests
# need.  Only acts as root, and only for what is missing.

set -euo pipefail

newest()
{
	apt-cache search --names-only "$1" | awk '{ print $1 }' | sort -V | tail -1
}

pkgs=(build-essential bc bison flex libelf-dev libssl-dev sparse kmod cpio
	xz-utils zstd gzip python3 qemu-system-x86 busybox iproute2 ethtool
	udhcpc isc-dhcp-client iputils-ping tcpdump libmnl-dev pkg-config
	linux-source-6.12
	socat curl iperf3 dnsmasq-base nftables dnsutils traceroute
	python3-yaml python3-jsonschema openssl passt slirp4netns ndisc6
	hping3)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
# the headers of both Debian 12 kernels: 6.1 and 6.12
ls -d /usr/src/linux-headers-6.1.0-*-amd64 >/dev/null 2>&1 || missing+=(H61)
ls -d /usr/src/linux-headers-6.12.*-amd64 >/dev/null 2>&1 || missing+=(H612)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "missing packages: ${missing[*]}; run as root to install them" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
for i in "${!missing[@]}"; do
	case ${missing[$i]} in
	H61) missing[i]=$(newest '^linux-headers-6\.1\.0-[0-9]+-amd64$') ;;
	H612) missing[i]=$(newest '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$') ;;
	esac
done
apt-get install -y -q "${missing[@]}"
