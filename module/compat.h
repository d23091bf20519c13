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

/*
 * Split genl ops (one entry per do and per dump, with its own pre and post
 * hooks) came in 6.2; module/netlink-gen.c, which ynl-gen renders, is a
 * table of them.  Before, the fields it sets, for netlink_ops.c to fold
 * into one struct genl_ops per command.
 */
#ifndef UNAT_HAVE_GENL_SPLIT_OPS
#include <net/genetlink.h>

struct genl_split_ops {
	int (*pre_doit)(const struct genl_split_ops *ops, struct sk_buff *skb,
			struct genl_info *info);
	int (*doit)(struct sk_buff *skb, struct genl_info *info);
	void (*post_doit)(const struct genl_split_ops *ops,
			  struct sk_buff *skb, struct genl_info *info);
	int (*dumpit)(struct sk_buff *skb, struct netlink_callback *cb);
	const struct nla_policy *policy;
	unsigned int maxattr;
	u8 cmd;
	u8 flags;
};
#endif

/*
 * The policy's range pointer became const in 6.2; ynl-gen renders the
 * ranges const, so before, the pointer is taken as the kernel wants it
 * (the kernel only reads it).
 */
#ifndef UNAT_HAVE_CONST_NLA_RANGE
#include <net/netlink.h>
#undef NLA_POLICY_FULL_RANGE
#define NLA_POLICY_FULL_RANGE(tp, _range) {				\
	.type = NLA_ENSURE_UINT_OR_BINARY_TYPE(tp),			\
	.validation_type = NLA_VALIDATE_RANGE_PTR,			\
	.range = (struct netlink_range_validation *)(_range),		\
}
#endif

#endif /* _UNAT_COMPAT_H */
