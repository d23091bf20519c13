/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * unat: user-mode-NAT semantics in a kernel network device.
 *
 * Link attributes (IFLA_INFO_DATA of link kind "unat").  Addresses are
 * IPv4 addresses in network byte order (4 bytes, as NLA_BE32), or IPv6
 * addresses (16 bytes) for the attributes whose names end in 6 or 6_LL.
 */
#ifndef _UAPI_LINUX_UNAT_H
#define _UAPI_LINUX_UNAT_H

#include <linux/types.h>

#define UNAT_KIND		"unat"

enum {
	IFLA_UNAT_UNSPEC,
	IFLA_UNAT_SUBNET,	/* __be32: network address of the guest subnet */
	IFLA_UNAT_PREFIXLEN,	/* u8: prefix length of the guest subnet */
	IFLA_UNAT_GATEWAY,	/* __be32: the gateway (router) address */
	IFLA_UNAT_DNS,		/* __be32: the DNS server address */
	IFLA_UNAT_GUEST,	/* __be32: first (currently only) guest address */
	IFLA_UNAT_MTU,		/* u32: guest MTU, also the device MTU */
	IFLA_UNAT_LEASE_TIME,	/* u32: DHCP lease time in seconds */
	IFLA_UNAT_DOMAIN,	/* string: DNS domain name (DHCP option 15) */
	IFLA_UNAT_SEARCH,	/* string: search list, space separated (option 119) */
	IFLA_UNAT_GATEWAY_MAC,	/* binary[6], read only: the gateway's MAC */
	IFLA_UNAT_PAD,
	IFLA_UNAT_HOSTLOOP,	/* u8: 1: the gateway address reaches the host's
				 * loopback (default); 0: it reaches nothing
				 */
	IFLA_UNAT_RESTRICT,	/* u8: 1: only the gateway's own services */
	IFLA_UNAT_FWDS,		/* nest of UNAT_A_FWDS_FWD: port forwards made
				 * with the device (creation only; at run
				 * time, UNAT_CMD_FWD_*)
				 */
	IFLA_UNAT_IPV6,		/* u8: 1: IPv6 on the guest link (default) */
	IFLA_UNAT_PREFIX6,	/* in6_addr: the guest's /64 prefix */
	IFLA_UNAT_GATEWAY6,	/* in6_addr: the gateway in the prefix */
	IFLA_UNAT_DNS6,		/* in6_addr: the DNS address in the prefix */
	IFLA_UNAT_GATEWAY6_LL,	/* in6_addr: the gateway's link-local address,
				 * the source of its router advertisements
				 */
	IFLA_UNAT_GUEST6,	/* in6_addr: the address DHCPv6 gives (IA_NA) */
	__IFLA_UNAT_MAX
};

#define IFLA_UNAT_MAX		(__IFLA_UNAT_MAX - 1)

/* Defaults, as QEMU's user-mode networking uses them. */
#define UNAT_DEFAULT_SUBNET	0x0a000200	/* 10.0.2.0, host order */
#define UNAT_DEFAULT_PREFIXLEN	24
#define UNAT_DEFAULT_GATEWAY	0x0a000202	/* 10.0.2.2 */
#define UNAT_DEFAULT_DNS	0x0a000203	/* 10.0.2.3 */
#define UNAT_DEFAULT_GUEST	0x0a00020f	/* 10.0.2.15 */
/*
 * IPv6 defaults: a unique local prefix (RFC 4193) whose global ID spells
 * "unat" (75 6e 61 74), subnet 2 as in 10.0.2.0; the gateway and DNS
 * addresses end as their IPv4 twins do.
 */
#define UNAT_DEFAULT_PREFIX6	"fd75:6e61:7400:2::"
#define UNAT_DEFAULT_GATEWAY6	"fd75:6e61:7400:2::2"
#define UNAT_DEFAULT_DNS6	"fd75:6e61:7400:2::3"
#define UNAT_DEFAULT_GATEWAY6_LL "fe80::2"
#define UNAT_DEFAULT_GUEST6	"fd75:6e61:7400:2::15"
#define UNAT_PREFIX6_LEN	64
#define UNAT_DEFAULT_MTU	65520
#define UNAT_MIN_MTU		576
#define UNAT_MAX_MTU		65535
#define UNAT_DEFAULT_LEASE_TIME	86400
#define UNAT_MIN_LEASE_TIME	60
#define UNAT_MAX_LEASE_TIME	31536000	/* one year */
#define UNAT_MAX_NAME_LEN	253	/* DNS names */
#define UNAT_MAX_SEARCH_LEN	1024	/* whole search list */

#define UNAT_DEFAULT_UDP_TIMEOUT	180	/* seconds */
#define UNAT_MIN_UDP_TIMEOUT		1
#define UNAT_MAX_UDP_TIMEOUT		86400
#define UNAT_DEFAULT_TCP_TIMEOUT	7200	/* seconds */
#define UNAT_MIN_TCP_TIMEOUT		10
#define UNAT_MAX_TCP_TIMEOUT		604800	/* one week */
#define UNAT_DEFAULT_FLOW_LIMIT		16384
#define UNAT_MAX_FLOW_LIMIT		1048576
/* guest TCP connects not yet established, a share of the flow limit */
#define UNAT_DEFAULT_CONNECT_LIMIT	1024
/* percent of the creating netns's ip_local_port_range flows may hold */
#define UNAT_DEFAULT_PORT_SHARE		25
#define UNAT_MAX_PORT_SHARE		100
/* bytes (truesize) of guest frames held for flows whose socket is busy */
#define UNAT_DEFAULT_QUEUE_LIMIT	(16 << 20)
#define UNAT_MIN_QUEUE_LIMIT		(256 << 10)
#define UNAT_MAX_QUEUE_LIMIT		(1 << 30)
#define UNAT_MAX_DNS_UPSTREAMS		4

/*
 * Generic netlink family "unat": run-time configuration, flows, counters.
 * Described by docs/netlink/unat.yaml (the kernel's YNL spec format).
 */
#define UNAT_GENL_NAME		"unat"
#define UNAT_GENL_VERSION	1

enum {
	UNAT_CMD_UNSPEC,
	UNAT_CMD_DEV_GET,	/* do: one device (IFINDEX or IFNAME); dump: all */
	UNAT_CMD_DEV_SET,	/* do, admin: change what the request carries */
	UNAT_CMD_FLOW_GET,	/* dump: the flows of one device */
	UNAT_CMD_FWD_ADD,	/* do, admin: add a port forward; the reply is
				 * the forward as made (a port 0 picked)
				 */
	UNAT_CMD_FWD_DEL,	/* do, admin: remove the forward that PROTO,
				 * HOST's address and first port name
				 */
	UNAT_CMD_FWD_GET,	/* dump: the forwards of one device */
	__UNAT_CMD_MAX
};

#define UNAT_CMD_MAX		(__UNAT_CMD_MAX - 1)

/* Device attributes (UNAT_CMD_DEV_*). */
enum {
	UNAT_A_DEV_UNSPEC,
	UNAT_A_DEV_IFINDEX,	/* u32 */
	UNAT_A_DEV_IFNAME,	/* string */
	UNAT_A_DEV_DNS,		/* nest of UNAT_A_DNS_SERVER (multi-attr, each a
				 * nest of UNAT_A_ENDPOINT_*); an empty nest in
				 * DEV_SET removes every upstream
				 */
	UNAT_A_DEV_UDP_TIMEOUT,	/* u32: seconds a UDP flow lives idle */
	UNAT_A_DEV_FLOW_LIMIT,	/* u32: most flows at once */
	UNAT_A_DEV_FLOW_COUNT,	/* u32, read only: flows now */
	UNAT_A_DEV_HOSTLOOP,	/* u8 */
	UNAT_A_DEV_RESTRICT,	/* u8 */
	UNAT_A_DEV_DOMAIN,	/* string */
	UNAT_A_DEV_SEARCH,	/* string */
	UNAT_A_DEV_STATS,	/* nest of UNAT_A_STATS_ENTRY, read only */
	UNAT_A_DEV_PAD,
	UNAT_A_DEV_TCP_TIMEOUT,	/* u32: seconds an established TCP flow lives idle */
	UNAT_A_DEV_CONNECT_LIMIT, /* u32: most guest TCP connects in progress */
	UNAT_A_DEV_CONNECT_COUNT, /* u32, read only: connects in progress now */
	UNAT_A_DEV_PORT_SHARE,	/* u8: percent of the creating netns's local
				 * port range the flows' sockets may hold
				 */
	UNAT_A_DEV_PORT_COUNT,	/* u32, read only: local ports held now */
	UNAT_A_DEV_PORT_CAP,	/* u32, read only: the share, in ports */
	UNAT_A_DEV_QUEUE_LIMIT,	/* u32: most bytes of guest frames held for
				 * flows, while their sockets open or are busy
				 */
	UNAT_A_DEV_QUEUE_BYTES,	/* u32, read only: bytes held now */
	UNAT_A_DEV_QUEUE_PEAK,	/* u32, read only: most bytes held at once
				 * since the device was made or its queue
				 * limit last set
				 */
	__UNAT_A_DEV_MAX
};

#define UNAT_A_DEV_MAX		(__UNAT_A_DEV_MAX - 1)

enum {
	UNAT_A_DNS_UNSPEC,
	UNAT_A_DNS_SERVER,	/* nest of UNAT_A_ENDPOINT_* */
	__UNAT_A_DNS_MAX
};

#define UNAT_A_DNS_MAX		(__UNAT_A_DNS_MAX - 1)

/* An address and port. */
enum {
	UNAT_A_ENDPOINT_UNSPEC,
	UNAT_A_ENDPOINT_ADDR4,	/* __be32 (binary 4) */
	UNAT_A_ENDPOINT_ADDR6,	/* binary 16 */
	UNAT_A_ENDPOINT_PORT,	/* u16, host order; 0: the protocol's default */
	__UNAT_A_ENDPOINT_MAX
};

#define UNAT_A_ENDPOINT_MAX	(__UNAT_A_ENDPOINT_MAX - 1)

/* The counters: one UNAT_A_STATS_ENTRY each, in `ethtool -S` order. */
enum {
	UNAT_A_STATS_UNSPEC,
	UNAT_A_STATS_ENTRY,	/* nest of UNAT_A_STAT_* (multi-attr) */
	__UNAT_A_STATS_MAX
};

#define UNAT_A_STATS_MAX	(__UNAT_A_STATS_MAX - 1)

enum {
	UNAT_A_STAT_UNSPEC,
	UNAT_A_STAT_NAME,	/* string: the ethtool name */
	UNAT_A_STAT_VALUE,	/* u64 */
	UNAT_A_STAT_PAD,
	__UNAT_A_STAT_MAX
};

#define UNAT_A_STAT_MAX		(__UNAT_A_STAT_MAX - 1)

/* Flow attributes (UNAT_CMD_FLOW_GET replies; the request names the device
 * with UNAT_A_FLOW_IFINDEX or UNAT_A_FLOW_IFNAME).
 */
enum {
	UNAT_A_FLOW_UNSPEC,
	UNAT_A_FLOW_IFINDEX,	/* u32 */
	UNAT_A_FLOW_IFNAME,	/* string */
	UNAT_A_FLOW_PROTO,	/* u8: IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP */
	UNAT_A_FLOW_GUEST,	/* nest: ENDPOINT, the guest's side */
	UNAT_A_FLOW_REMOTE,	/* nest: ENDPOINT, absent for UDP (any remote) */
	UNAT_A_FLOW_HOST,	/* nest: ENDPOINT, the host socket's local side */
	UNAT_A_FLOW_STATE,	/* u8: enum unat_flow_state */
	UNAT_A_FLOW_AGE,	/* u64: milliseconds since creation */
	UNAT_A_FLOW_IDLE,	/* u64: milliseconds since last packet */
	UNAT_A_FLOW_PKTS_OUT,	/* u64: guest to remote */
	UNAT_A_FLOW_BYTES_OUT,	/* u64 */
	UNAT_A_FLOW_PKTS_IN,	/* u64: remote to guest */
	UNAT_A_FLOW_BYTES_IN,	/* u64 */
	UNAT_A_FLOW_KIND,	/* u8: enum unat_flow_kind */
	UNAT_A_FLOW_PAD,
	UNAT_A_FLOW_TCP_STATE,	/* u8: enum unat_flow_tcp_state, TCP only */
	__UNAT_A_FLOW_MAX
};

#define UNAT_A_FLOW_MAX		(__UNAT_A_FLOW_MAX - 1)

/*
 * Port forward attributes (UNAT_CMD_FWD_*).  A forward listens on COUNT
 * consecutive host ports from HOST's port, in the device's creating netns,
 * and carries what arrives to the same number of guest ports from
 * GUEST_PORT.
 */
enum {
	UNAT_A_FWD_UNSPEC,
	UNAT_A_FWD_IFINDEX,	/* u32 */
	UNAT_A_FWD_IFNAME,	/* string */
	UNAT_A_FWD_PROTO,	/* u8: IPPROTO_TCP or IPPROTO_UDP */
	UNAT_A_FWD_HOST,	/* nest: ENDPOINT; ADDR4 absent or 0.0.0.0:
				 * every IPv4 address; ADDR6 instead: an
				 * IPv6 forward, :: every IPv6 address;
				 * PORT 0: the kernel picks one (COUNT 1
				 * only)
				 */
	UNAT_A_FWD_GUEST_PORT,	/* u16: first guest port; absent or 0: the
				 * host's first port
				 */
	UNAT_A_FWD_COUNT,	/* u16: ports in the range, default 1 */
	UNAT_A_FWD_FLAGS,	/* u32: UNAT_FWD_F_* */
	__UNAT_A_FWD_MAX
};

#define UNAT_A_FWD_MAX		(__UNAT_A_FWD_MAX - 1)

/* IFLA_UNAT_FWDS: one UNAT_A_FWDS_FWD per forward. */
enum {
	UNAT_A_FWDS_UNSPEC,
	UNAT_A_FWDS_FWD,	/* nest of UNAT_A_FWD_*, as in UNAT_CMD_FWD_ADD */
	__UNAT_A_FWDS_MAX
};

#define UNAT_A_FWDS_MAX		(__UNAT_A_FWDS_MAX - 1)

/* The guest sees every client as the gateway address, not as itself. */
#define UNAT_FWD_F_GATEWAY_SOURCE	(1U << 0)
#define UNAT_FWD_F_ALL			UNAT_FWD_F_GATEWAY_SOURCE

#define UNAT_MAX_FWD_PORTS	1024	/* host ports forwarded per device */

enum unat_flow_state {
	UNAT_FLOW_OPENING,	/* the host socket is being created */
	UNAT_FLOW_OPEN,
	UNAT_FLOW_CLOSING,
	UNAT_FLOW_FAILED,
};

/* The guest's side of a TCP flow, as unat plays the remote end. */
enum unat_flow_tcp_state {
	UNAT_FLOW_TCP_CONNECTING,	/* guest SYN seen, host connecting */
	UNAT_FLOW_TCP_SYN_SENT,		/* SYN-ACK sent to the guest */
	UNAT_FLOW_TCP_ESTABLISHED,
	UNAT_FLOW_TCP_FIN_IN,		/* the guest closed its side */
	UNAT_FLOW_TCP_FIN_OUT,		/* the remote closed; FIN sent */
	UNAT_FLOW_TCP_CLOSING,		/* both closed, last ACK awaited */
	UNAT_FLOW_TCP_CLOSED,		/* done or reset */
	UNAT_FLOW_TCP_SYN_OUT,		/* forward: SYN sent to the guest */
};

enum unat_flow_kind {
	UNAT_FLOW_KIND_NAT,	/* a guest flow to anywhere */
	UNAT_FLOW_KIND_DNS,	/* a query to the DNS address, forwarded */
	UNAT_FLOW_KIND_HOST,	/* to the gateway address, i.e. the host */
	UNAT_FLOW_KIND_FWD,	/* from a client through a port forward */
};

#endif /* _UAPI_LINUX_UNAT_H */
