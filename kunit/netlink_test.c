// SPDX-License-Identifier: GPL-2.0
/*
 * The genl op table and policies ynl-gen renders from docs/netlink/unat.yaml:
 * the spec's ranges enforced before a handler runs, read-only attributes
 * refused, and the table folded for kernels without split ops.
 */
#include <kunit/test.h>
#include <net/genetlink.h>
#include <uapi/linux/unat.h>

#include "netlink.h"
#include "netlink-gen.h"
#include "helpers.h"

struct unat_nl_case {
	const char *name;
	u8 cmd;
	int type;
	int size;		/* 1, 2 or 4 bytes */
	u32 value;
	int err;		/* 0: accepted */
};

static const struct unat_nl_case unat_nl_cases[] = {
	{ "udp-timeout 0", UNAT_CMD_DEV_SET, UNAT_A_DEV_UDP_TIMEOUT, 4, 0, -ERANGE },
	{ "udp-timeout 1", UNAT_CMD_DEV_SET, UNAT_A_DEV_UDP_TIMEOUT, 4, 1, 0 },
	{ "udp-timeout a day", UNAT_CMD_DEV_SET, UNAT_A_DEV_UDP_TIMEOUT, 4,
	  UNAT_MAX_UDP_TIMEOUT, 0 },
	{ "udp-timeout a day and 1 s", UNAT_CMD_DEV_SET, UNAT_A_DEV_UDP_TIMEOUT, 4,
	  UNAT_MAX_UDP_TIMEOUT + 1, -ERANGE },
	{ "tcp-timeout 9", UNAT_CMD_DEV_SET, UNAT_A_DEV_TCP_TIMEOUT, 4, 9, -ERANGE },
	{ "flow-limit 0", UNAT_CMD_DEV_SET, UNAT_A_DEV_FLOW_LIMIT, 4, 0, -ERANGE },
	{ "flow-limit max + 1", UNAT_CMD_DEV_SET, UNAT_A_DEV_FLOW_LIMIT, 4,
	  UNAT_MAX_FLOW_LIMIT + 1, -ERANGE },
	{ "connect-limit 0", UNAT_CMD_DEV_SET, UNAT_A_DEV_CONNECT_LIMIT, 4, 0, -ERANGE },
	{ "port-share 101", UNAT_CMD_DEV_SET, UNAT_A_DEV_PORT_SHARE, 1, 101, -ERANGE },
	{ "port-share 100", UNAT_CMD_DEV_SET, UNAT_A_DEV_PORT_SHARE, 1, 100, 0 },
	{ "queue-limit 256 KiB - 1", UNAT_CMD_DEV_SET, UNAT_A_DEV_QUEUE_LIMIT, 4,
	  UNAT_MIN_QUEUE_LIMIT - 1, -ERANGE },
	{ "hostloop 2", UNAT_CMD_DEV_SET, UNAT_A_DEV_HOSTLOOP, 1, 2, -ERANGE },
	{ "ifindex 0", UNAT_CMD_DEV_SET, UNAT_A_DEV_IFINDEX, 4, 0, -ERANGE },
	{ "flow-count is read-only", UNAT_CMD_DEV_SET, UNAT_A_DEV_FLOW_COUNT, 4, 1,
	  -EINVAL },
	{ "queue-peak is read-only", UNAT_CMD_DEV_SET, UNAT_A_DEV_QUEUE_PEAK, 4, 1,
	  -EINVAL },
	{ "dev-get takes no settings", UNAT_CMD_DEV_GET, UNAT_A_DEV_UDP_TIMEOUT, 4, 30,
	  -EINVAL },
	{ "fwd count 0", UNAT_CMD_FWD_ADD, UNAT_A_FWD_COUNT, 2, 0, -ERANGE },
	{ "fwd count 1025", UNAT_CMD_FWD_ADD, UNAT_A_FWD_COUNT, 2,
	  UNAT_MAX_FWD_PORTS + 1, -ERANGE },
	{ "fwd unknown flag", UNAT_CMD_FWD_ADD, UNAT_A_FWD_FLAGS, 4, 2, -EINVAL },
	{ "fwd gateway-source", UNAT_CMD_FWD_ADD, UNAT_A_FWD_FLAGS, 4,
	  UNAT_FWD_F_GATEWAY_SOURCE, 0 },
};

static void unat_nl_case_desc(const struct unat_nl_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(unat_nl, unat_nl_cases, unat_nl_case_desc);

static int unat_nl_put(struct sk_buff *skb, const struct unat_nl_case *c)
{
	switch (c->size) {
	case 1:
		return nla_put_u8(skb, c->type, c->value);
	case 2:
		return nla_put_u16(skb, c->type, c->value);
	default:
		return nla_put_u32(skb, c->type, c->value);
	}
}

/* One attribute through the op's policy, strictly, as genl validates. */
/* The generated do and dump entries of @cmd. */
static const struct genl_split_ops *unat_nl_test_do(u8 cmd)
{
	return unat_nl_find_op(cmd, GENL_CMD_CAP_DO);
}

static const struct genl_split_ops *unat_nl_test_dump(u8 cmd)
{
	return unat_nl_find_op(cmd, GENL_CMD_CAP_DUMP);
}

static void unat_nl_policy_test(struct kunit *test)
{
	const struct unat_nl_case *c = test->param_value;
	const struct genl_split_ops *op = unat_nl_test_do(c->cmd);
	struct netlink_ext_ack extack = {};
	struct nlattr *tb[UNAT_A_DEV_MAX + UNAT_A_FWD_MAX + 2];
	struct sk_buff *skb;
	int err;

	KUNIT_ASSERT_NOT_NULL(test, op);
	KUNIT_ASSERT_LT(test, op->maxattr, ARRAY_SIZE(tb));
	skb = alloc_skb(256, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_EQ(test, unat_nl_put(skb, c), 0);
	err = nla_parse(tb, op->maxattr, (struct nlattr *)skb->data, skb->len,
			op->policy, &extack);
	KUNIT_EXPECT_EQ(test, err, c->err);
	if (err)
		KUNIT_EXPECT_NOT_NULL(test, extack._msg);
	kfree_skb(skb);
}

static const struct genl_ops *unat_nl_find(const struct genl_ops *ops, int n,
					   u8 cmd)
{
	int i;

	for (i = 0; i < n; i++)
		if (ops[i].cmd == cmd)
			return &ops[i];
	return NULL;
}

/* Before 6.2 the table is registered folded: one entry per command. */
static void unat_nl_fold_test(struct kunit *test)
{
	struct genl_ops ops[ARRAY_SIZE(unat_nl_ops)];
	const struct genl_ops *op;
	int n, i;

	n = unat_nl_ops_fold(unat_nl_op(0), ARRAY_SIZE(unat_nl_ops), ops);
	KUNIT_EXPECT_EQ(test, n, UNAT_CMD_FWD_GET);	/* commands 1..6 */
	for (i = UNAT_CMD_DEV_GET; i <= UNAT_CMD_FWD_GET; i++)
		KUNIT_EXPECT_NOT_NULL(test, unat_nl_find(ops, n, i));

	op = unat_nl_find(ops, n, UNAT_CMD_DEV_GET);
	KUNIT_ASSERT_NOT_NULL(test, op);
	KUNIT_EXPECT_TRUE(test, op->doit ==
			  unat_nl_test_do(UNAT_CMD_DEV_GET)->doit);
	KUNIT_EXPECT_TRUE(test, op->dumpit ==
			  unat_nl_test_dump(UNAT_CMD_DEV_GET)->dumpit);
	KUNIT_EXPECT_PTR_EQ(test, op->policy,
			    unat_nl_test_do(UNAT_CMD_DEV_GET)->policy);
	KUNIT_EXPECT_EQ(test, op->flags, 0);

	op = unat_nl_find(ops, n, UNAT_CMD_DEV_SET);
	KUNIT_ASSERT_NOT_NULL(test, op);
	KUNIT_EXPECT_NULL(test, op->dumpit);
	KUNIT_EXPECT_EQ(test, op->flags, GENL_UNS_ADMIN_PERM);

	op = unat_nl_find(ops, n, UNAT_CMD_FLOW_GET);
	KUNIT_ASSERT_NOT_NULL(test, op);
	KUNIT_EXPECT_NULL(test, op->doit);
	KUNIT_EXPECT_TRUE(test, op->dumpit ==
			  unat_nl_test_dump(UNAT_CMD_FLOW_GET)->dumpit);
	KUNIT_EXPECT_NOT_NULL(test, op->policy);
	KUNIT_EXPECT_EQ(test, op->maxattr, UNAT_A_FLOW_IFNAME);
}

/* Every doit has the hooks that find its device; dumps find their own. */
static void unat_nl_hooks_test(struct kunit *test)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(unat_nl_ops); i++) {
		const struct genl_split_ops *op = unat_nl_op(i);

		KUNIT_ASSERT_NOT_NULL(test, op);
		/* do or dump, never both; a dump's callbacks share the union */
		KUNIT_EXPECT_EQ(test, hweight8(op->flags & (GENL_CMD_CAP_DO |
							    GENL_CMD_CAP_DUMP)), 1);
		if (!(op->flags & GENL_CMD_CAP_DO))
			continue;
		KUNIT_EXPECT_NOT_NULL(test, op->doit);
		KUNIT_EXPECT_NOT_NULL(test, op->pre_doit);
		KUNIT_EXPECT_NOT_NULL(test, op->post_doit);
	}
	/* dev-set alone takes RTNL */
	KUNIT_EXPECT_TRUE(test, unat_nl_test_do(UNAT_CMD_DEV_SET)->pre_doit !=
			  unat_nl_test_do(UNAT_CMD_DEV_GET)->pre_doit);
	KUNIT_EXPECT_TRUE(test, unat_nl_test_do(UNAT_CMD_FWD_ADD)->pre_doit ==
			  unat_nl_test_do(UNAT_CMD_DEV_GET)->pre_doit);
	KUNIT_EXPECT_NULL(test, unat_nl_test_do(UNAT_CMD_FLOW_GET));
	KUNIT_EXPECT_NULL(test, unat_nl_test_do(0));
	KUNIT_EXPECT_NULL(test, unat_nl_op(ARRAY_SIZE(unat_nl_ops)));
}

static struct kunit_case unat_netlink_cases[] = {
	KUNIT_CASE_PARAM(unat_nl_policy_test, unat_nl_gen_params),
	KUNIT_CASE(unat_nl_fold_test),
	KUNIT_CASE(unat_nl_hooks_test),
	{}
};

struct kunit_suite unat_netlink_suite = {
	.name = "unat_netlink",
	.test_cases = unat_netlink_cases,
};
