#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/bench/profile-run.sh [WORKLOAD [METHOD [SECONDS]]] (make
# bench-profile): build unat for Debian's stock kernel, boot it once under
# QEMU and run tools/bench/profile.sh there; its report is printed and
# kept in build/bench/profile-vm/profile.txt.  PROFILE_MTU passes through.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
dir=build/bench/profile-vm
mkdir -p "$dir"
stock=$(tools/vm/kernel.sh stock | tail -1)
tools/build-module.sh "$stock/build" build/stock W=1 >/dev/null
make -s -C tools >/dev/null
tools/vm/run.sh --kernel stock --timeout 1800 --out "$dir" -- \
	env UNAT_KO_DIR="$top/build/stock" PROFILE_MTU="${PROFILE_MTU:-1500}" \
	tools/bench/profile.sh "${1:-crr}" "${2:-unat}" "${3:-10}" \
	>"$dir/profile.txt" 2>&1 || { tail -40 "$dir/profile.txt"; exit 1; }
cat "$dir/profile.txt"
