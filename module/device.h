/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_DEVICE_H
#define _UNAT_DEVICE_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <net/net_namespace.h>

#include "types.h"

/*
 * The private header: the device's structure and what it holds by value,
 * and the few questions about a device every layer asks (its creating
 * netns, whether a netdev is one); every layer may include it.
 */

struct unat_flow_table;

/* A device's forwards (fwd.c). */
struct unat_fwds {
	/* all below; sockets are bound and released under it; after RTNL */
	struct mutex lock;
	struct list_head list;
	unsigned int ports;		/* host ports in use, all forwards */
	bool dead;			/* device going: no more forwards */
	/* a forward was ever added: the data path looks up forwarded flows
	 * (READ_ONCE there; they outlive their forward, so it stays set)
	 */
	bool used;
};

static inline bool unat_fwds_used(const struct unat_fwds *fwds)
{
	return READ_ONCE(fwds->used);
}

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
	struct unat_flow_table *flows;		/* newlink .. destruct */
	struct unat_fwds fwds;			/* has its own lock */
	/* DNS queries kept for failover (dns.c), at most UNAT_DNS_KEPT_MAX */
	atomic_t dns_kept;

	/*
	 * The netns where the device was created, and where its sockets
	 * live.  No reference is held (it would make a cycle when the device
	 * sits in that same netns); the pernet exit hook clears it under
	 * RTNL before the netns goes.  RCU; writers hold RTNL.
	 */
	struct net __rcu *creating_net;
	struct list_head device_list;		/* RTNL */

	/* Unsolicited router advertisements: queued by ndo_open, cancelled
	 * by ndo_stop (RTNL); @ra_sent is the work's own.
	 */
	struct delayed_work ra_work;
	unsigned int ra_sent;
};

/*
 * A reference on @unat's creating netns, for its sockets; NULL once that
 * netns is going away.  Any context.
 */
static inline struct net *unat_creating_net_get(struct unat_dev *unat)
{
	struct net *net;

	rcu_read_lock();
	net = rcu_dereference(unat->creating_net);
	net = net ? maybe_get_net(net) : NULL;
	rcu_read_unlock();
	return net;
}

struct unat_config *unat_config_build(const struct unat_config *base,
				      struct nlattr *data[],
				      struct netlink_ext_ack *extack);
void unat_config_replace(struct unat_dev *unat, struct unat_config *cfg);
bool unat_dev_is_unat(const struct net_device *dev);
struct net_device *unat_dev_create_for_test(struct net *net, const char *name);
void unat_dev_destroy_for_test(struct net_device *dev);
int unat_device_init(void);

void unat_device_uninit(void);

#endif /* _UNAT_DEVICE_H */
