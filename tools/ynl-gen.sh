#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/ynl-gen.sh KSRC [--check]: render the genl policies and op table of
# docs/netlink/unat.yaml into module/netlink-gen.c and netlink-gen.h with
# the kernel's own generator (KSRC/tools/net/ynl/ynl-gen-c.py, from a
# kernel source tree such as the debug kernel's).  The spec is the
# authority: edit it, run this, commit both.  --check renders into a
# temporary directory and fails, showing the diff, when the committed files
# differ from what the spec gives.
#
# ynl-gen-c.py finds its schema two directories above the spec and names
# the spec relative to the nearest directory holding MAINTAINERS, so the
# spec is copied into a scratch tree shaped that way: the generated files
# then name docs/netlink/unat.yaml.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
ksrc=${1:?usage: $0 KSRC [--check]}
check=${2:-}
gen=$ksrc/tools/net/ynl/ynl-gen-c.py
schema=$ksrc/Documentation/netlink/genetlink-legacy.yaml
[ -f "$gen" ] && [ -f "$schema" ] || { echo "$0: no ynl-gen-c.py in $ksrc" >&2; exit 1; }

# Debian's python3 has the generator's modules (tools/deps.sh installs
# python3-yaml and python3-jsonschema); another first in PATH may not
py=/usr/bin/python3
[ -x $py ] || py=python3

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/docs/netlink" "$tmp/out"
touch "$tmp/MAINTAINERS"
cp "$top/docs/netlink/unat.yaml" "$tmp/docs/netlink/"
cp "$schema" "$tmp/docs/"

out=$top/module
[ "$check" = --check ] && out=$tmp/out
for part in source header; do
	ext=c
	[ $part = header ] && ext=h
	# the generator loops forever when no MAINTAINERS is above the spec:
	# bound it
	(cd "$tmp" && timeout 120 $py "$gen" --mode kernel --$part \
		--spec "$tmp/docs/netlink/unat.yaml" -o "$out/netlink-gen.$ext")
done
[ "$check" = --check ] || exit 0
diff -u "$top/module/netlink-gen.c" "$out/netlink-gen.c" &&
diff -u "$top/module/netlink-gen.h" "$out/netlink-gen.h" || {
	echo "module/netlink-gen.[ch] differ from docs/netlink/unat.yaml: run tools/ynl-gen.sh" >&2
	exit 1
}
