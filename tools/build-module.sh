#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build unat.ko (and unat_test.ko on KUnit kernels) against one kernel tree
# in a build directory of its own, so that several kernels can be built
# from one checkout.
#
#   tools/build-module.sh KDIR OUTDIR [make arguments, e.g. W=1 C=1]
#
# Prints the compiler's warnings and fails on any.

set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
kdir=$1 outdir=$2
shift 2

mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)
rm -rf "$outdir/src"
mkdir -p "$outdir/src"
cp -r "$top/Kbuild" "$top/module" "$top/kunit" "$top/include" "$outdir/src/"
log=$outdir/build.log
if ! make -j"${UNAT_JOBS:-$(nproc)}" -C "$kdir" M="$outdir/src" "$@" modules >"$log" 2>&1; then
	cat "$log"
	echo "build against $kdir failed" >&2
	exit 1
fi
# sparse and W=1 report through stderr lines naming our sources
if grep -E "(warning|error):" "$log" | grep -v "Skipping BTF"; then
	echo "build against $kdir has warnings" >&2
	exit 1
fi
cp "$outdir"/src/*.ko "$outdir/"
ls "$outdir"/*.ko
