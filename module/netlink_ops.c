// SPDX-License-Identifier: GPL-2.0
/*
 * The genl op table ynl-gen renders from docs/netlink/unat.yaml
 * (netlink-gen.c, split ops): one op's entry looked up, and the table
 * folded into one struct genl_ops per command for kernels before 6.2,
 * which have no split ops and call one pre and post hook per family.
 */
#include <kunit/visibility.h>
#include <net/genetlink.h>

#include "netlink.h"
#include "netlink-gen.h"

/* Entry @i of the generated table; NULL past its end. */
const struct genl_split_ops *unat_nl_op(unsigned int i)
{
	return i < ARRAY_SIZE(unat_nl_ops) ? &unat_nl_ops[i] : NULL;
}
EXPORT_SYMBOL_IF_KUNIT(unat_nl_op);

/*
 * The generated entry of @cmd with capability @cap (GENL_CMD_CAP_DO or
 * GENL_CMD_CAP_DUMP); NULL if @cmd has none.  An entry is a do or a dump
 * by its flags: since 6.2 the do and dump callbacks share a union, so a
 * dump entry's doit is its dumpit.
 */
const struct genl_split_ops *unat_nl_find_op(u8 cmd, u8 cap)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(unat_nl_ops); i++)
		if (unat_nl_ops[i].cmd == cmd && unat_nl_ops[i].flags & cap)
			return &unat_nl_ops[i];
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(unat_nl_find_op);

/*
 * Fold the @n split ops of @split into @ops (room for @n): a command's do
 * and dump (told apart by their capability flags) share one entry, with
 * the first policy given (the do's, which ynl-gen lists first) and the
 * permission flags of both.  The capability flags the split entries carry
 * are left out: the kernel derives them.
 * Returns the number of entries made.
 */
int unat_nl_ops_fold(const struct genl_split_ops *split, int n,
		     struct genl_ops *ops)
{
	const u8 perm = GENL_ADMIN_PERM | GENL_UNS_ADMIN_PERM;
	int i, j, n_ops = 0;

	for (i = 0; i < n; i++) {
		for (j = 0; j < n_ops && ops[j].cmd != split[i].cmd; j++)
			;
		if (j == n_ops) {
			memset(&ops[j], 0, sizeof(ops[j]));
			ops[j].cmd = split[i].cmd;
			n_ops++;
		}
		if (split[i].flags & GENL_CMD_CAP_DO)
			ops[j].doit = split[i].doit;
		if (split[i].flags & GENL_CMD_CAP_DUMP)
			ops[j].dumpit = split[i].dumpit;
		if (!ops[j].policy && split[i].policy) {
			ops[j].policy = split[i].policy;
			ops[j].maxattr = split[i].maxattr;
		}
		ops[j].flags |= split[i].flags & perm;
	}
	return n_ops;
}
EXPORT_SYMBOL_IF_KUNIT(unat_nl_ops_fold);

#ifndef UNAT_HAVE_GENL_SPLIT_OPS
/* The family's hooks before 6.2: the generated entry's, by command. */
int unat_nl_compat_pre_doit(const struct genl_ops *ops, struct sk_buff *skb,
			    struct genl_info *info)
{
	const struct genl_split_ops *op;

	op = unat_nl_find_op(ops->cmd, GENL_CMD_CAP_DO);
	return op && op->pre_doit ? op->pre_doit(op, skb, info) : 0;
}

void unat_nl_compat_post_doit(const struct genl_ops *ops, struct sk_buff *skb,
			      struct genl_info *info)
{
	const struct genl_split_ops *op;

	op = unat_nl_find_op(ops->cmd, GENL_CMD_CAP_DO);
	if (op && op->post_doit)
		op->post_doit(op, skb, info);
}
#endif
