/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/* Do not edit directly, auto-generated from: */
/*	docs/netlink/unat.yaml */
/* YNL-GEN kernel header */

#ifndef _LINUX_UNAT_GEN_H
#define _LINUX_UNAT_GEN_H

#include <net/netlink.h>
#include <net/genetlink.h>

#include <uapi/linux/unat.h>

/* Common nested types */
extern const struct nla_policy unat_dns_nl_policy[UNAT_A_DNS_SERVER + 1];
extern const struct nla_policy unat_endpoint_nl_policy[UNAT_A_ENDPOINT_PORT + 1];

/* Ops table for unat */
extern const struct genl_split_ops unat_nl_ops[7];

int unat_nl_pre_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
		     struct genl_info *info);
int unat_nl_pre_doit_rtnl(const struct genl_split_ops *ops,
			  struct sk_buff *skb, struct genl_info *info);
void
unat_nl_post_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
		  struct genl_info *info);
void
unat_nl_post_doit_rtnl(const struct genl_split_ops *ops, struct sk_buff *skb,
		       struct genl_info *info);

int unat_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info);
int unat_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int unat_nl_dev_set_doit(struct sk_buff *skb, struct genl_info *info);
int unat_nl_flow_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int unat_nl_fwd_add_doit(struct sk_buff *skb, struct genl_info *info);
int unat_nl_fwd_del_doit(struct sk_buff *skb, struct genl_info *info);
int unat_nl_fwd_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* _LINUX_UNAT_GEN_H */
