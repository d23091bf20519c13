/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The flow core: the flow table, host sockets, the shared ICMP sockets.
 */
#ifndef _UNAT_FLOW_H
#define _UNAT_FLOW_H

#include <linux/list.h>
#include <linux/types.h>
#include <linux/if_ether.h>
#include <linux/in6.h>
#include <linux/refcount.h>
#include <linux/skbuff.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "types.h"

/* icmp_sock.c */

struct net;
struct sk_buff;
struct sock;
struct unat_flow;

/*
 * An ICMP echo flow's place among every echo flow of its netns: found by
 * (netns, family, remote, host identifier).  @net is compared, never
 * dereferenced.
 */
struct unat_icmp_ref {
	struct hlist_node node;		/* unat_icmp_hash; its lock */
	const struct net *net;
};

/* What a netns's ICMP socket hands a protocol: every message it saw. */
typedef void (*unat_icmp_rcv_t)(struct net *net, struct sk_buff *skb);

int unat_icmp_sock_attach(struct unat_flow *flow, unat_icmp_rcv_t rcv);
void unat_icmp_sock_detach(struct unat_flow *flow);
struct unat_flow *unat_icmp_sock_lookup(const struct net *net, u8 family,
					const union unat_addr *raddr,
					__be16 id);
int unat_icmp_sock_init(void);
void unat_icmp_sock_uninit(void);

/* flow.c */

struct socket;
struct unat_dev;
struct unat_tcp;

/*
 * What identifies a flow: family-agnostic, padded to whole words so that
 * it hashes and compares as memory.  UDP NAT flows leave @raddr/@rport
 * zero: one host socket per guest endpoint, whatever the remote.  ICMP echo
 * flows carry the echo identifier in both ports.
 */
struct unat_flow_key {
	union unat_addr gaddr;
	union unat_addr raddr;
	__be16 gport;
	__be16 rport;
	u8 family;
	u8 proto;
	u8 kind;		/* enum unat_flow_kind */
	u8 zero;
};

/* The key of an IPv4 flow; @daddr and the ports zero where unused. */
static inline void unat_flow_key4(struct unat_flow_key *key, u8 proto, u8 kind,
				  __be32 saddr, __be16 sport, __be32 daddr,
				  __be16 dport)
{
	memset(key, 0, sizeof(*key));
	key->family = AF_INET;
	key->proto = proto;
	key->kind = kind;
	key->gaddr.v4 = saddr;
	key->gport = sport;
	key->raddr.v4 = daddr;
	key->rport = dport;
}

/* The key of an IPv6 flow. */
static inline void unat_flow_key6(struct unat_flow_key *key, u8 proto,
				  u8 kind, const struct in6_addr *saddr,
				  __be16 sport, const struct in6_addr *daddr,
				  __be16 dport)
{
	memset(key, 0, sizeof(*key));
	key->family = AF_INET6;
	key->proto = proto;
	key->kind = kind;
	key->gaddr.v6 = *saddr;
	key->gport = sport;
	key->raddr.v6 = *daddr;
	key->rport = dport;
}

/* The Ethernet type of the flow's packets. */
static inline __be16 unat_flow_ethertype(const struct unat_flow_key *key)
{
	return htons(key->family == AF_INET6 ? ETH_P_IPV6 : ETH_P_IP);
}

#define UNAT_FLOW_PENDING_MAX	64	/* frames held while the socket opens */

struct unat_flow;

/*
 * What a protocol does for the flows it makes (unat_flow_create()); the
 * flow core calls these and knows no protocol.
 */
struct unat_flow_ops {
	/*
	 * unat_wq, queued by unat_flow_start_open(): open the host socket
	 * and publish it (unat_flow_opened()), or unat_flow_failed(); and
	 * whatever else the protocol does in process context.
	 */
	void (*work)(struct unat_flow *flow);
	/*
	 * Transmit path (BH, RCU), the flow OPEN: send @skb, stripped to its
	 * payload with its unat_skb_cb filled, through the socket.  Consumes
	 * @skb.  NULL: the protocol queues on its own and sends from @work.
	 */
	void (*send)(struct unat_flow *flow, struct sk_buff *skb);
	/*
	 * Process context, the flow unlinked, its lookups over and its work
	 * done: release the socket and the protocol's state, whatever of
	 * them was made (possibly nothing).
	 */
	void (*release)(struct unat_flow *flow);
	/*
	 * The reaper (process context, table lock held), for each flow it
	 * keeps: the protocol's own timers.  May be NULL.
	 */
	void (*tick)(struct unat_flow *flow);
	/* A flow dump's protocol state (enum unat_flow_tcp_state); NULL: none */
	u8 (*dump_state)(const struct unat_flow *flow);
	/*
	 * The socket is bound to a local port of its own in the creating
	 * netns, counted against the port share; a forward's flows never
	 * are (their sockets are accepted or borrowed).
	 */
	bool own_port;
};

/* A DNS flow's query kept for failover (dns.c): its unat_wq work's own. */
struct unat_flow_dns {
	struct sk_buff *last;		/* unanswered query */
	unsigned long sent;		/* when @last left */
	u8 upstream;			/* the upstream in use */
	u8 tries;			/* upstreams tried */
};

/*
 * One guest flow and its host socket.
 *
 * Lifetime: created on the transmit path (BH) in state OPENING and linked
 * into the device's table, which holds it.  unat_wq opens its socket
 * (process context) and publishes it with state OPEN.  The reaper, the
 * device going down, or the creating netns going away unlink it, wait for
 * its work, release the socket and free it after an RCU grace period.
 * Readers on the data paths hold RCU (BH); they never take a reference.
 */
struct unat_flow {
	struct hlist_node node;		/* table bucket; table lock */
	struct list_head reap_node;	/* once unlinked: on its way out */
	struct unat_flow_key key;
	struct unat_dev *unat;
	const struct unat_flow_ops *ops;	/* the protocol's; set once */
	struct socket *sock;		/* set before state becomes OPEN */
	struct sk_buff_head pending;	/* while OPENING; has its own lock */
	struct work_struct open_work;
	unsigned long created;		/* jiffies */
	unsigned long last_used;	/* jiffies; READ/WRITE_ONCE */
	unsigned long timeout;		/* jiffies idle before expiry */
	u8 state;			/* enum unat_flow_state; READ/WRITE_ONCE */
	bool holds_port;		/* counted in the table's @ports */
	__be16 host_port;		/* the host socket's local side; echo: the id */
	/*
	 * The protocol's own state: the member of the ops that made the flow,
	 * and only that one, is ever touched.
	 */
	union {
		/* TCP (tcp.c): set before the open work, freed by release */
		struct unat_tcp *tcp;
		/* UDP to the DNS address (dns.c): its unat_wq work's own */
		struct unat_flow_dns dns;
		/* ICMP echo (icmp_sock.c): linked while the flow is attached */
		struct unat_icmp_ref icmp;
	};
	/* its address: set once, unat_flow_set_host_addr() */
	union unat_addr host_addr;
	u32 host_addr_state;		/* enum unat_host_addr_state */
	union unat_addr dst;		/* where the socket sends (DNS, hostloop) */
	__be16 dst_port;
	atomic64_t pkts_out;
	atomic64_t bytes_out;
	atomic64_t pkts_in;
	atomic64_t bytes_in;
	struct rcu_head rcu;
};

/* Where a flow's @host_addr stands: readers see it only once SET. */
enum unat_host_addr_state {
	UNAT_HOST_ADDR_NONE,
	UNAT_HOST_ADDR_WRITING,
	UNAT_HOST_ADDR_SET,
};

/*
 * The host socket's local address, once known (a forward's at creation, a
 * connection's once made, a route's source at the first packet): the
 * first context to know it writes it, with no lock, and flow dumps read
 * it without one, so it must never be seen half written (an IPv6 address
 * is four words).
 */
static inline void unat_flow_set_host_addr(struct unat_flow *flow,
					   const union unat_addr *addr)
{
	/* every packet of a flow comes here: no atomic once it is known */
	if (READ_ONCE(flow->host_addr_state) != UNAT_HOST_ADDR_NONE ||
	    cmpxchg(&flow->host_addr_state, UNAT_HOST_ADDR_NONE,
		    UNAT_HOST_ADDR_WRITING) != UNAT_HOST_ADDR_NONE)
		return;
	flow->host_addr = *addr;
	/* the address before SET: pairs with unat_flow_host_addr() */
	smp_store_release(&flow->host_addr_state, UNAT_HOST_ADDR_SET);
}

/* The host socket's local address; all zero while not known. */
static inline void unat_flow_host_addr(const struct unat_flow *flow,
				       union unat_addr *addr)
{
	/* pairs with unat_flow_set_host_addr() */
	if (smp_load_acquire(&flow->host_addr_state) == UNAT_HOST_ADDR_SET)
		*addr = flow->host_addr;
	else
		memset(addr, 0, sizeof(*addr));
}

#define UNAT_FLOW_HASH_BITS	12

struct unat_flow_table {
	struct unat_dev *unat;
	spinlock_t lock;		/* writes: buckets count ports dead */
	unsigned int count;
	unsigned int ports;		/* flows whose socket takes a local port */
	spinlock_t connect_lock;	/* @connects, @answered, @connecting */
	struct list_head connects;	/* guest connects the remote has not
					 * answered, oldest first
					 * (unat_tcp.connect_node)
					 */
	struct list_head answered;	/* connects the remote accepted, the
					 * guest's ACK awaited, oldest first
					 */
	unsigned int connecting;	/* on both lists; READ_ONCE for dumps */
	atomic_long_t queued;		/* truesize of the guest frames on
					 * flows' pending queues and TCP
					 * backlogs: unat_flow_charge()
					 */
	unsigned long queued_peak;	/* most of @queued seen; a racy max,
					 * READ/WRITE_ONCE
					 */
	bool dead;			/* no more inserts: device going away */
	u32 seed;
	struct delayed_work reaper;
	struct hlist_head buckets[1 << UNAT_FLOW_HASH_BITS];
};

extern struct workqueue_struct *unat_wq;

struct unat_flow_table *unat_flow_table_alloc(struct unat_dev *unat);
void unat_flow_table_free(struct unat_flow_table *t);
void unat_flow_flush(struct unat_flow_table *t);
void unat_flow_expire(struct unat_flow_table *t);
void unat_flow_table_start(struct unat_flow_table *t);

struct unat_flow *unat_flow_lookup(struct unat_flow_table *t,
				   const struct unat_flow_key *key);
struct unat_flow *unat_flow_create(struct unat_flow_table *t,
				   const struct unat_flow_key *key,
				   const struct unat_flow_ops *ops,
				   unsigned int limit, unsigned long timeout,
				   int *err);
enum unat_stat unat_flow_create_stat(int err);
unsigned int unat_flow_port_cap(struct unat_dev *unat);
void unat_flow_start_open(struct unat_flow *flow);
void unat_flow_touch(struct unat_flow *flow);
void unat_flow_account(atomic64_t *pkts, atomic64_t *bytes,
		       unsigned int len);
bool unat_flow_charge(struct unat_flow_table *t, const struct sk_buff *skb,
		      u32 limit);
void unat_flow_uncharge(struct unat_flow_table *t, const struct sk_buff *skb);
struct sk_buff *unat_flow_dequeue(struct unat_flow_table *t,
				  struct sk_buff_head *q);
void unat_flow_purge(struct unat_flow_table *t, struct sk_buff_head *q);
enum unat_stat unat_flow_queue(struct unat_flow *flow, struct sk_buff *skb,
			       u32 limit, enum unat_stat queued);
void unat_flow_opened(struct unat_flow *flow, struct socket *sock);
void unat_flow_failed(struct unat_flow *flow);
void unat_flow_refused(struct unat_flow *flow);

struct list_head *unat_flow_connect_add(struct unat_flow_table *t,
					struct list_head *node, u32 limit);
void unat_flow_connect_answered(struct unat_flow_table *t,
				struct list_head *node);
void unat_flow_connect_done(struct unat_flow_table *t, struct list_head *node);

/* Iteration for dumps: bucket cursor, position inside the bucket. */
int unat_flow_walk(struct unat_flow_table *t, unsigned long *bucket,
		   unsigned long *idx,
		   int (*fn)(struct unat_flow *flow, void *arg), void *arg);

int unat_flow_init(void);
void unat_flow_uninit(void);

/* sock.c */

struct unat_flow;

/*
 * What a guest datagram waiting in a flow still needs once its headers are
 * stripped: where it goes, and the IP fields that travel with it.
 */
struct unat_skb_cb {
	struct in6_addr daddr6;		/* IPv6 flows */
	__be32 daddr;
	__be16 dport;
	u8 ttl;
	u8 tos;
	bool df;
};

static inline struct unat_skb_cb *unat_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct unat_skb_cb) > sizeof(skb->cb));
	return (struct unat_skb_cb *)skb->cb;
}

struct flowi6;
struct socket;
struct unat_ctx;
struct unat_flow_key;
struct unat_flow_ops;

enum unat_stat unat_sock_out(const struct unat_ctx *ctx,
			     const struct unat_flow_key *key,
			     const struct unat_flow_ops *ops,
			     unsigned long timeout, struct sk_buff *skb,
			     enum unat_stat sent);
struct net;
struct sockaddr_storage;
bool unat_sock_local_ok(struct unat_flow *flow, bool local);
bool unat_sock_addr_local(struct net *net, const struct sockaddr_storage *ss);
bool unat_sock_addr_unat(struct net *net, const struct sockaddr_storage *ss);
bool unat_sock_route4(struct unat_flow *flow, struct sk_buff *skb, u8 proto,
		      __be16 sport, unsigned int l4hdr, struct unat_skb_cb *cb,
		      __be32 *saddr);
bool unat_sock_route6(struct unat_flow *flow, struct sk_buff *skb, u8 proto,
		      __be16 sport, unsigned int l4hdr, struct flowi6 *fl6);
void unat_sock_ip_out6(struct unat_flow *flow, struct sk_buff *skb,
		       const struct flowi6 *fl6, u8 proto, u8 hop_limit);
void unat_sock_ip_out4(struct unat_flow *flow, struct sk_buff *skb,
		       const struct unat_skb_cb *cb, __be32 saddr, u8 proto);
int unat_sock_create(struct unat_flow *flow, int family, int type, int proto,
		     void (*data_ready)(struct sock *sk),
		     struct socket **res);
void unat_sock_close(struct socket *sock);

#endif /* _UNAT_FLOW_H */
