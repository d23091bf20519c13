#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: boot Debian's stock 6.12 kernel in a throwaway QEMU VM, load
# unat, and watch a guest netns get its network from unat0.

set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

tools/deps.sh
make -s -C tools
stock=$(tools/vm/kernel.sh stock | tail -1)
tools/build-module.sh "$stock/build" build/demo >/dev/null
tools/vm/run.sh --kernel stock --timeout 600 --out "$top/out/demo" -- \
	tools/demo-guest.sh build/demo 2>&1 | grep -v '^\[ *[0-9.]*\]'
