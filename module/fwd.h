/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_FWD_H
#define _UNAT_FWD_H

#include <linux/in6.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>
#include <net/netlink.h>

#include "types.h"

struct socket;
struct sk_buff;
struct unat_dev;
struct unat_flow_key;
struct unat_fwds;

/* What a forward is asked to be (UNAT_CMD_FWD_ADD). */
struct unat_fwd_req {
	u8 proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	__be32 addr;		/* IPv4 host address; 0: every address */
	u16 port;		/* first host port; 0: pick one */
	u16 gport;		/* first guest port */
	u16 count;		/* ports in the range */
	u32 flags;		/* UNAT_FWD_F_* */
	bool ipv6;		/* an IPv6 forward: @addr6, not @addr */
	struct in6_addr addr6;	/* IPv6 host address; ::, every address */
};

struct unat_fwd;

/*
 * One host port of a forward: a listening TCP socket, or a bound UDP
 * socket whose datagrams come to unat_fwd_udp_rcv(), in the creating netns.
 * Its socket's sk_user_data points here (RCU) until the forward is removed.
 */
struct unat_fwd_port {
	struct unat_fwd *fwd;
	struct socket *sock;
	__be16 port;			/* as bound */
	__be16 gport;
	struct work_struct accept;	/* TCP: take the accept queue */
};

/*
 * A forward: req.count consecutive host ports to as many guest ports.
 * Immutable once linked; unlinked and freed under unat_fwds.lock.
 */
struct unat_fwd {
	struct list_head node;		/* unat_fwds.list */
	struct unat_dev *unat;
	struct unat_fwd_req req;	/* as made: the port picked */
	struct unat_fwd_port ports[];
};

#define UNAT_FWD_PORT_TRIES	8	/* guest-side ports tried per client */

void unat_fwds_init(struct unat_fwds *fwds);
int unat_fwd_add(struct unat_dev *unat, const struct unat_fwd_req *req,
		 struct unat_fwd_req *made, struct netlink_ext_ack *extack);
int unat_fwd_del(struct unat_dev *unat, const struct unat_fwd_req *req,
		 struct netlink_ext_ack *extack);
void unat_fwd_flush(struct unat_dev *unat);
int unat_fwd_walk(struct unat_dev *unat, unsigned long *idx,
		  int (*fn)(const struct unat_fwd_req *req, void *arg),
		  void *arg);

/* Pure, for KUnit: the guest's view of a client, @try'th choice of port. */
void unat_fwd_flow_key(const struct unat_config *cfg, u8 proto, __be16 gport,
		       __be32 client, __be16 cport, bool gw_source,
		       unsigned int try, struct unat_flow_key *key);
void unat_fwd_flow_key6(const struct unat_config *cfg,
			const struct in6_addr *guest, u8 proto, __be16 gport,
			const struct in6_addr *client, __be16 cport,
			bool gw_source, unsigned int try,
			struct unat_flow_key *key);
bool unat_fwd_client_key(struct unat_dev *unat, const struct unat_config *cfg,
			 u8 proto, __be16 gport, bool ipv6,
			 const union unat_addr *client, __be16 cport,
			 bool gw_source, unsigned int try,
			 struct unat_flow_key *key);
int unat_fwd_check(const struct unat_fwd_req *req,
		   struct netlink_ext_ack *extack);

#endif /* _UNAT_FWD_H */
