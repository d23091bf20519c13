/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_NETLINK_H
#define _UNAT_NETLINK_H

int unat_netlink_init(void);
void unat_netlink_uninit(void);

#endif /* _UNAT_NETLINK_H */
