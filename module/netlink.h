/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_NETLINK_H
#define _UNAT_NETLINK_H

#include <net/netlink.h>

struct unat_dev;

int unat_nl_fwds_add(struct unat_dev *unat, const struct nlattr *nest,
		     struct netlink_ext_ack *extack);
int unat_netlink_init(void);
void unat_netlink_uninit(void);

#endif /* _UNAT_NETLINK_H */
