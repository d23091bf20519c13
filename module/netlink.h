/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Control: generic netlink and ethtool.
 */
#ifndef _UNAT_NETLINK_H
#define _UNAT_NETLINK_H

#include <linux/ethtool.h>
#include <net/genetlink.h>
#include <net/netlink.h>

/* ethtool.c */

extern const struct ethtool_ops unat_ethtool_ops;

/* netlink.c */

struct unat_dev;

int unat_nl_fwds_add(struct unat_dev *unat, const struct nlattr *nest,
		     struct netlink_ext_ack *extack);
int unat_netlink_init(void);
void unat_netlink_uninit(void);

/* netlink_ops.c: the generated op table */
const struct genl_split_ops *unat_nl_op(unsigned int i);
const struct genl_split_ops *unat_nl_find_op(u8 cmd, u8 cap);
int unat_nl_ops_fold(const struct genl_split_ops *split, int n,
		     struct genl_ops *ops);
#ifndef UNAT_HAVE_GENL_SPLIT_OPS
int unat_nl_compat_pre_doit(const struct genl_ops *ops, struct sk_buff *skb,
			    struct genl_info *info);
void unat_nl_compat_post_doit(const struct genl_ops *ops, struct sk_buff *skb,
			      struct genl_info *info);
#endif

#endif /* _UNAT_NETLINK_H */
