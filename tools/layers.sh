#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# unat's layers, and a check that includes only point down.
#
#   tools/layers.sh          fail (and name them) on includes that point up
#   tools/layers.sh --graph  print each layer's files and what they include
#
# Each source of module/ belongs to one layer, named by its stem (udp.c is
# "udp"); each layer has one header (types.h, device.h, output.h, flow.h,
# services.h and proto.h, demux.h, fwd.h, netlink.h; tcp_engine.h is
# tcp*.c's own).  A file may include headers of its own layer and of the
# layers below, never above.  A call up goes through
# ops a lower layer defines and a higher one registers (struct
# unat_flow_ops, the socket callbacks).  A source missing from the table
# fails the check: a new file says where it sits.

set -euo pipefail
cd "$(dirname "$0")/.."

# Lowest first.  Keep docs/design.md's "Source layout" in step.
LAYERS=(
	"1 types: compat types stats_list config stats guest dnsname frame"
	"2 device: device"
	"3 link: output"
	"4 flows: flow sock icmp_sock"
	"5 services and protocols: services arp ndp dhcp dhcp6 dns icmp icmp6 proto policy udp tcp tcp_engine tcp_host tcp_input tcp_out tcp_parse ping ping6"
	"6 demux: demux input ipv4 ipv6"
	"7 forwards: fwd"
	"8 control: main netlink netlink_ops netlink-gen ethtool device_ops"
)

declare -A rank name
for l in "${LAYERS[@]}"; do
	n=${l%%:*}
	n=${n%% *}
	label=${l%%:*}
	label=${label#* }
	for f in ${l#*:}; do
		rank[$f]=$n
		name[$n]=$label
	done
done

# device.c is the netdev and its rtnl ops: control, though device.h, the
# private struct, is low.
stem_rank()
{
	local base=$1 stem
	stem=${base%.[ch]}
	if [ "$base" = device.c ]; then
		echo "${rank[device_ops]}"
	else
		echo "${rank[$stem]:-}"
	fi
}

bad=0
graph=0
[ "${1:-}" = --graph ] && graph=1
declare -A edges
for src in module/*.[ch]; do
	base=$(basename "$src")
	r=$(stem_rank "$base")
	if [ -z "$r" ]; then
		echo "$src: in no layer (tools/layers.sh's table)" >&2
		bad=1
		continue
	fi
	incs=$(sed -n 's/^#include "\([^"]*\)"/\1/p' "$src")
	edges[$base]=$(echo $incs)
	for inc in $incs; do
		ir=$(stem_rank "$inc")
		if [ -z "$ir" ]; then
			echo "$src: includes $inc, in no layer" >&2
			bad=1
		elif [ "$ir" -gt "$r" ]; then
			echo "$src (${name[$r]}) includes $inc (${name[$ir]}): up" >&2
			bad=1
		fi
	done
done

if [ $graph = 1 ]; then
	for l in "${LAYERS[@]}"; do
		n=${l%%:*}
		n=${n%% *}
		echo "${name[$n]}:"
		for src in module/*.[ch]; do
			base=$(basename "$src")
			[ "$(stem_rank "$base")" = "$n" ] || continue
			echo "  $base -> ${edges[$base]:-}"
		done
	done
fi
exit $bad
