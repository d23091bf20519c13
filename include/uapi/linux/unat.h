/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * unat: user-mode-NAT semantics in a kernel network device.
 *
 * Link attributes (IFLA_INFO_DATA of link kind "unat").  Addresses are
 * IPv4 addresses in network byte order (4 bytes, as NLA_BE32).
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
	__IFLA_UNAT_MAX
};

#define IFLA_UNAT_MAX		(__IFLA_UNAT_MAX - 1)

/* Defaults, as QEMU's user-mode networking uses them. */
#define UNAT_DEFAULT_SUBNET	0x0a000200	/* 10.0.2.0, host order */
#define UNAT_DEFAULT_PREFIXLEN	24
#define UNAT_DEFAULT_GATEWAY	0x0a000202	/* 10.0.2.2 */
#define UNAT_DEFAULT_DNS	0x0a000203	/* 10.0.2.3 */
#define UNAT_DEFAULT_GUEST	0x0a00020f	/* 10.0.2.15 */
#define UNAT_DEFAULT_MTU	65520
#define UNAT_MIN_MTU		576
#define UNAT_MAX_MTU		65535
#define UNAT_DEFAULT_LEASE_TIME	86400
#define UNAT_MIN_LEASE_TIME	60
#define UNAT_MAX_LEASE_TIME	31536000	/* one year */
#define UNAT_MAX_NAME_LEN	253	/* DNS names */
#define UNAT_MAX_SEARCH_LEN	1024	/* whole search list */

#endif /* _UAPI_LINUX_UNAT_H */
