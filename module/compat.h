/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Compatibility with the kernels unat builds against: Debian 12's 6.1 and
 * 6.12.  Force-included by Kbuild.  Features that stable trees backport are
 * detected by Kbuild from the headers (UNAT_HAVE_*), not by version.
 */
#ifndef _UNAT_COMPAT_H
#define _UNAT_COMPAT_H

#include <linux/version.h>
#include <linux/netdevice.h>

/* skb_gso_segment() moved to <net/gso.h> in 6.5. */
#ifdef UNAT_HAVE_NET_GSO_H
#include <net/gso.h>
#endif

/* dev->lltx replaced NETIF_F_LLTX in 6.12 (commit 00d066a4d4ed). */
static inline void unat_compat_set_lltx(struct net_device *dev)
{
#ifdef UNAT_HAVE_LLTX_BIT
	dev->lltx = true;
#else
	dev->features |= NETIF_F_LLTX;
#endif
}

/* A dump's parsed request: genl_info_dump() since 6.6. */
#ifdef UNAT_HAVE_GENL_INFO_DUMP
#define unat_genl_dump_attrs(cb)	(genl_info_dump(cb)->attrs)
#else
#define unat_genl_dump_attrs(cb)	(genl_dumpit_info(cb)->attrs)
#endif

#endif /* _UNAT_COMPAT_H */
