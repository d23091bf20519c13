/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_DEVICE_H
#define _UNAT_DEVICE_H

#include <linux/list.h>
#include <linux/netdevice.h>

#include "config.h"
#include "guest.h"
#include "stats.h"

/*
 * One unat device: the guest's whole network.
 *
 * Lifetime: created by unat_newlink() under RTNL, torn down by
 * unat_dellink() (or the netns it sits in going away) through
 * unregister_netdevice(); ndo_uninit frees the per-CPU counters, and
 * unat_destruct() the configuration, once no transmit can run.
 */
struct unat_dev {
	/* Read on the transmit path, under RCU-bh. */
	struct net_device *dev;
	struct unat_config __rcu *config;	/* RCU; replaced under RTNL */
	struct unat_pcpu_stats __percpu *stats;	/* ndo_init .. ndo_uninit */
	struct unat_guest guest;		/* has its own lock */

	/*
	 * The netns where the device was created, and where its sockets
	 * live.  No reference is held (it would make a cycle when the device
	 * sits in that same netns); the pernet exit hook clears it under
	 * RTNL before the netns goes.  RCU; writers hold RTNL.
	 */
	struct net __rcu *creating_net;
	struct list_head device_list;		/* RTNL */
};

void unat_deliver(struct unat_dev *unat, struct sk_buff *skb);
int unat_device_init(void);
void unat_device_uninit(void);

#endif /* _UNAT_DEVICE_H */
