// SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause)
/* Do not edit directly, auto-generated from: */
/*	docs/netlink/unat.yaml */
/* YNL-GEN kernel source */

#include <net/netlink.h>
#include <net/genetlink.h>

#include "netlink-gen.h"

#include <uapi/linux/unat.h>

/* Integer value ranges */
static const struct netlink_range_validation unat_a_dev_udp_timeout_range = {
	.min	= UNAT_MIN_UDP_TIMEOUT,
	.max	= UNAT_MAX_UDP_TIMEOUT,
};

static const struct netlink_range_validation unat_a_dev_flow_limit_range = {
	.min	= 1ULL,
	.max	= UNAT_MAX_FLOW_LIMIT,
};

static const struct netlink_range_validation unat_a_dev_tcp_timeout_range = {
	.min	= UNAT_MIN_TCP_TIMEOUT,
	.max	= UNAT_MAX_TCP_TIMEOUT,
};

static const struct netlink_range_validation unat_a_dev_connect_limit_range = {
	.min	= 1ULL,
	.max	= UNAT_MAX_FLOW_LIMIT,
};

static const struct netlink_range_validation unat_a_dev_queue_limit_range = {
	.min	= UNAT_MIN_QUEUE_LIMIT,
	.max	= UNAT_MAX_QUEUE_LIMIT,
};

/* Common nested types */
const struct nla_policy unat_dns_nl_policy[UNAT_A_DNS_SERVER + 1] = {
	[UNAT_A_DNS_SERVER] = NLA_POLICY_NESTED(unat_endpoint_nl_policy),
};

const struct nla_policy unat_endpoint_nl_policy[UNAT_A_ENDPOINT_PORT + 1] = {
	[UNAT_A_ENDPOINT_ADDR4] = { .type = NLA_U32, },
	[UNAT_A_ENDPOINT_ADDR6] = NLA_POLICY_EXACT_LEN(16),
	[UNAT_A_ENDPOINT_PORT] = { .type = NLA_U16, },
};

/* UNAT_CMD_DEV_GET - do */
static const struct nla_policy unat_dev_get_nl_policy[UNAT_A_DEV_IFNAME + 1] = {
	[UNAT_A_DEV_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[UNAT_A_DEV_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
};

/* UNAT_CMD_DEV_SET - do */
static const struct nla_policy unat_dev_set_nl_policy[UNAT_A_DEV_QUEUE_LIMIT + 1] = {
	[UNAT_A_DEV_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[UNAT_A_DEV_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[UNAT_A_DEV_DNS] = NLA_POLICY_NESTED(unat_dns_nl_policy),
	[UNAT_A_DEV_UDP_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32, &unat_a_dev_udp_timeout_range),
	[UNAT_A_DEV_TCP_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32, &unat_a_dev_tcp_timeout_range),
	[UNAT_A_DEV_FLOW_LIMIT] = NLA_POLICY_FULL_RANGE(NLA_U32, &unat_a_dev_flow_limit_range),
	[UNAT_A_DEV_CONNECT_LIMIT] = NLA_POLICY_FULL_RANGE(NLA_U32, &unat_a_dev_connect_limit_range),
	[UNAT_A_DEV_PORT_SHARE] = NLA_POLICY_RANGE(NLA_U8, 1, UNAT_MAX_PORT_SHARE),
	[UNAT_A_DEV_QUEUE_LIMIT] = NLA_POLICY_FULL_RANGE(NLA_U32, &unat_a_dev_queue_limit_range),
	[UNAT_A_DEV_HOSTLOOP] = NLA_POLICY_MAX(NLA_U8, 1),
	[UNAT_A_DEV_RESTRICT] = NLA_POLICY_MAX(NLA_U8, 1),
	[UNAT_A_DEV_DOMAIN] = { .type = NLA_NUL_STRING, .len = UNAT_MAX_NAME_LEN, },
	[UNAT_A_DEV_SEARCH] = { .type = NLA_NUL_STRING, .len = UNAT_MAX_SEARCH_LEN, },
};

/* UNAT_CMD_FLOW_GET - dump */
static const struct nla_policy unat_flow_get_nl_policy[UNAT_A_FLOW_IFNAME + 1] = {
	[UNAT_A_FLOW_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[UNAT_A_FLOW_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
};

/* UNAT_CMD_FWD_ADD - do */
static const struct nla_policy unat_fwd_add_nl_policy[UNAT_A_FWD_FLAGS + 1] = {
	[UNAT_A_FWD_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[UNAT_A_FWD_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[UNAT_A_FWD_PROTO] = { .type = NLA_U8, },
	[UNAT_A_FWD_HOST] = NLA_POLICY_NESTED(unat_endpoint_nl_policy),
	[UNAT_A_FWD_GUEST_PORT] = { .type = NLA_U16, },
	[UNAT_A_FWD_COUNT] = NLA_POLICY_RANGE(NLA_U16, 1, UNAT_MAX_FWD_PORTS),
	[UNAT_A_FWD_FLAGS] = NLA_POLICY_MASK(NLA_U32, 0x1),
};

/* UNAT_CMD_FWD_DEL - do */
static const struct nla_policy unat_fwd_del_nl_policy[UNAT_A_FWD_HOST + 1] = {
	[UNAT_A_FWD_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[UNAT_A_FWD_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
	[UNAT_A_FWD_PROTO] = { .type = NLA_U8, },
	[UNAT_A_FWD_HOST] = NLA_POLICY_NESTED(unat_endpoint_nl_policy),
};

/* UNAT_CMD_FWD_GET - dump */
static const struct nla_policy unat_fwd_get_nl_policy[UNAT_A_FWD_IFNAME + 1] = {
	[UNAT_A_FWD_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[UNAT_A_FWD_IFNAME] = { .type = NLA_NUL_STRING, .len = 15, },
};

/* Ops table for unat */
const struct genl_split_ops unat_nl_ops[7] = {
	{
		.cmd		= UNAT_CMD_DEV_GET,
		.pre_doit	= unat_nl_pre_doit,
		.doit		= unat_nl_dev_get_doit,
		.post_doit	= unat_nl_post_doit,
		.policy		= unat_dev_get_nl_policy,
		.maxattr	= UNAT_A_DEV_IFNAME,
		.flags		= GENL_CMD_CAP_DO,
	},
	{
		.cmd	= UNAT_CMD_DEV_GET,
		.dumpit	= unat_nl_dev_get_dumpit,
		.flags	= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= UNAT_CMD_DEV_SET,
		.pre_doit	= unat_nl_pre_doit_rtnl,
		.doit		= unat_nl_dev_set_doit,
		.post_doit	= unat_nl_post_doit_rtnl,
		.policy		= unat_dev_set_nl_policy,
		.maxattr	= UNAT_A_DEV_QUEUE_LIMIT,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= UNAT_CMD_FLOW_GET,
		.dumpit		= unat_nl_flow_get_dumpit,
		.policy		= unat_flow_get_nl_policy,
		.maxattr	= UNAT_A_FLOW_IFNAME,
		.flags		= GENL_CMD_CAP_DUMP,
	},
	{
		.cmd		= UNAT_CMD_FWD_ADD,
		.pre_doit	= unat_nl_pre_doit,
		.doit		= unat_nl_fwd_add_doit,
		.post_doit	= unat_nl_post_doit,
		.policy		= unat_fwd_add_nl_policy,
		.maxattr	= UNAT_A_FWD_FLAGS,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= UNAT_CMD_FWD_DEL,
		.pre_doit	= unat_nl_pre_doit,
		.doit		= unat_nl_fwd_del_doit,
		.post_doit	= unat_nl_post_doit,
		.policy		= unat_fwd_del_nl_policy,
		.maxattr	= UNAT_A_FWD_HOST,
		.flags		= GENL_UNS_ADMIN_PERM | GENL_CMD_CAP_DO,
	},
	{
		.cmd		= UNAT_CMD_FWD_GET,
		.dumpit		= unat_nl_fwd_get_dumpit,
		.policy		= unat_fwd_get_nl_policy,
		.maxattr	= UNAT_A_FWD_IFNAME,
		.flags		= GENL_CMD_CAP_DUMP,
	},
};
