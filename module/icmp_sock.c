// SPDX-License-Identifier: GPL-2.0
/*
 * The ICMP sockets of a netns, shared by the echo flows of every unat
 * device created there: one raw ICMP and one raw ICMPv6 socket, opened by
 * the first echo flow of its family and closed with the last.
 *
 * The kernel gives every raw socket of a protocol its own clone of every
 * matching packet the netns receives, so a socket per flow would make
 * each ICMP packet the host receives cost one clone (and for IPv6 one
 * software checksum) per flow: a guest holding thousands of echo flows
 * would make the host's softirq pay thousands of times per packet.  One
 * socket per netns and family costs one clone, and the message goes to its
 * flow by a hash lookup on (netns, family, remote, identifier).
 *
 * Each flow gets a host identifier unique among the netns's echo flows to
 * the same remote (the guest's own if free), so that two guests, or two
 * devices, pinging one remote with one identifier do not see each other's
 * replies.  ping.c and ping6.c rewrite it both ways.
 *
 * Locking: unat_icmp_hash_lock (BH) guards the hash, read under RCU; each
 * netns's mutex guards its sockets and their user counts; attach and
 * detach run in process context (unat_wq, flow release).
 */
#include <linux/hash.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/jhash.h>
#include <linux/random.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/raw.h>
#include <net/rawv6.h>
#include <net/sock.h>
#include <net/transp_v6.h>

#include "device.h"
#include "flow.h"

#define UNAT_ICMP_HASH_BITS	12
#define UNAT_ICMP_ID_TRIES	32

/* Every echo flow of every netns, by (netns, family, remote, id). */
static struct hlist_head unat_icmp_hash[1 << UNAT_ICMP_HASH_BITS];
static DEFINE_SPINLOCK(unat_icmp_hash_lock);

/* A netns's shared sockets: [0] ICMP, [1] ICMPv6. */
struct unat_icmp_net {
	struct mutex lock;		/* the fields below */
	struct socket *sock[2];		/* while users[] is not zero */
	unsigned int users[2];
	unat_icmp_rcv_t rcv[2];
};

static unsigned int unat_icmp_net_id __read_mostly;

static int unat_icmp_idx(u8 family)
{
	return family == AF_INET6;
}

static u32 unat_icmp_hashfn(const struct net *net, u8 family,
			    const union unat_addr *raddr, __be16 id)
{
	u32 a = family == AF_INET6 ? ipv6_addr_hash(&raddr->v6) :
				     (__force u32)raddr->v4;

	return hash_32(jhash_3words(a, (__force u32)id,
				    hash_ptr(net, 32), family),
		       UNAT_ICMP_HASH_BITS);
}

static bool unat_icmp_match(const struct unat_flow *flow,
			    const struct net *net, u8 family,
			    const union unat_addr *raddr, __be16 id)
{
	if (flow->icmp.net != net || flow->key.family != family ||
	    flow->host_port != id)
		return false;
	return family == AF_INET6 ?
	       ipv6_addr_equal(&flow->key.raddr.v6, &raddr->v6) :
	       flow->key.raddr.v4 == raddr->v4;
}

/* The echo flow using host identifier @id toward @raddr.  RCU or lock. */
static struct unat_flow *unat_icmp_hash_find(const struct net *net,
					     u8 family,
					     const union unat_addr *raddr,
					     __be16 id)
{
	u32 h = unat_icmp_hashfn(net, family, raddr, id);
	struct unat_flow *flow;

	hlist_for_each_entry_rcu(flow, &unat_icmp_hash[h], icmp.node)
		if (unat_icmp_match(flow, net, family, raddr, id))
			return flow;
	return NULL;
}

/*
 * The open echo flow, its device up, that a message from @raddr with
 * identifier @id is for; NULL if none.  RCU.
 */
struct unat_flow *unat_icmp_sock_lookup(const struct net *net, u8 family,
					const union unat_addr *raddr,
					__be16 id)
{
	struct unat_flow *flow = unat_icmp_hash_find(net, family, raddr, id);

	if (!flow || READ_ONCE(flow->state) != UNAT_FLOW_OPEN ||
	    !netif_running(flow->unat->dev))
		return NULL;
	return flow;
}

/*
 * Link @flow with a host identifier no other echo flow of @net to its
 * remote uses: the guest's when free, else a random one.  -EADDRINUSE if
 * none is found.
 */
static int unat_icmp_hash_add(struct unat_flow *flow, struct net *net)
{
	const struct unat_flow_key *key = &flow->key;
	__be16 id = key->gport;
	int i;

	spin_lock_bh(&unat_icmp_hash_lock);
	for (i = 0; i < UNAT_ICMP_ID_TRIES; i++) {
		if (!unat_icmp_hash_find(net, key->family, &key->raddr, id))
			break;
		id = (__force __be16)get_random_u16();
	}
	if (i == UNAT_ICMP_ID_TRIES) {
		spin_unlock_bh(&unat_icmp_hash_lock);
		return -EADDRINUSE;
	}
	flow->host_port = id;
	flow->icmp.net = net;
	hlist_add_head_rcu(&flow->icmp.node,
			   &unat_icmp_hash[unat_icmp_hashfn(net, key->family,
							    &key->raddr, id)]);
	spin_unlock_bh(&unat_icmp_hash_lock);
	return 0;
}

/* Softirq: everything the shared socket queued, to its protocol. */
static void unat_icmp_data_ready(struct sock *sk)
{
	struct unat_icmp_net *in;
	struct sk_buff *skb;
	unat_icmp_rcv_t rcv;

	rcu_read_lock();
	in = rcu_dereference_sk_user_data(sk);
	rcv = in ? READ_ONCE(in->rcv[unat_icmp_idx(sk->sk_family)]) : NULL;
	while ((skb = skb_dequeue(&sk->sk_receive_queue))) {
		if (rcv)
			rcv(sock_net(sk), skb);
		else
			kfree_skb(skb);
	}
	rcu_read_unlock();
}

/* Let through only what can answer an echo request. */
static void unat_icmp_filter(struct socket *sock)
{
	static const u8 wanted6[] = {
		ICMPV6_ECHO_REPLY, ICMPV6_DEST_UNREACH, ICMPV6_PKT_TOOBIG,
		ICMPV6_TIME_EXCEED, ICMPV6_PARAMPROB,
	};
	struct icmp6_filter *filter;
	int i;

	if (sock->sk->sk_family == AF_INET) {
		/* a set bit blocks its type */
		raw_sk(sock->sk)->filter.data = ~((1U << ICMP_ECHOREPLY) |
						  (1U << ICMP_DEST_UNREACH) |
						  (1U << ICMP_TIME_EXCEEDED) |
						  (1U << ICMP_PARAMETERPROB));
		return;
	}
	filter = &raw6_sk(sock->sk)->filter;
	memset(filter, 0xff, sizeof(*filter));
	for (i = 0; i < ARRAY_SIZE(wanted6); i++)
		filter->data[wanted6[i] >> 5] &= ~(1U << (wanted6[i] & 31));
}

static int unat_icmp_sock_open(struct net *net, struct unat_icmp_net *in,
			       u8 family)
{
	struct socket *sock;
	int err;

	err = sock_create_kern(net, family, SOCK_RAW,
			       family == AF_INET6 ? IPPROTO_ICMPV6 :
						    IPPROTO_ICMP, &sock);
	if (err)
		return err;
	unat_icmp_filter(sock);
	write_lock_bh(&sock->sk->sk_callback_lock);
	rcu_assign_sk_user_data(sock->sk, in);
	sock->sk->sk_data_ready = unat_icmp_data_ready;
	write_unlock_bh(&sock->sk->sk_callback_lock);
	in->sock[unat_icmp_idx(family)] = sock;
	return 0;
}

/*
 * Process context: give echo flow @flow its netns's socket of its family
 * (opened if it is the first) and a host identifier; @rcv takes what the
 * socket receives.  The flow's sock is then that shared socket, which
 * unat_icmp_sock_detach(), not the flow, closes.
 */
int unat_icmp_sock_attach(struct unat_flow *flow, unat_icmp_rcv_t rcv)
{
	int idx = unat_icmp_idx(flow->key.family), err = 0;
	struct unat_icmp_net *in;
	struct net *net;

	net = unat_creating_net_get(flow->unat);
	if (!net)
		return -ENONET;
	in = net_generic(net, unat_icmp_net_id);
	mutex_lock(&in->lock);
	if (!in->users[idx]) {
		WRITE_ONCE(in->rcv[idx], rcv);
		err = unat_icmp_sock_open(net, in, flow->key.family);
	}
	if (!err)
		err = unat_icmp_hash_add(flow, net);
	if (!err) {
		in->users[idx]++;
		flow->sock = in->sock[idx];
	} else if (!in->users[idx] && in->sock[idx]) {
		unat_sock_close(in->sock[idx]);
		in->sock[idx] = NULL;
	}
	mutex_unlock(&in->lock);
	put_net(net);
	return err;
}

/*
 * Process context, the flow unlinked from its table: out of the hash, and
 * the shared socket closed if it was the last of its family.  Its netns
 * is alive: a netns's exit flushes the flows of its devices first.
 */
void unat_icmp_sock_detach(struct unat_flow *flow)
{
	int idx = unat_icmp_idx(flow->key.family);
	struct unat_icmp_net *in;

	spin_lock_bh(&unat_icmp_hash_lock);
	hlist_del_init_rcu(&flow->icmp.node);
	spin_unlock_bh(&unat_icmp_hash_lock);
	in = net_generic(sock_net(flow->sock->sk), unat_icmp_net_id);
	mutex_lock(&in->lock);
	if (!--in->users[idx]) {
		unat_sock_close(in->sock[idx]);
		in->sock[idx] = NULL;
	}
	mutex_unlock(&in->lock);
	flow->sock = NULL;
}

static int __net_init unat_icmp_net_init(struct net *net)
{
	struct unat_icmp_net *in = net_generic(net, unat_icmp_net_id);

	mutex_init(&in->lock);
	return 0;
}

static void __net_exit unat_icmp_net_exit(struct net *net)
{
	struct unat_icmp_net *in = net_generic(net, unat_icmp_net_id);

	/* every flow of a device created here was flushed before */
	WARN_ON_ONCE(in->users[0] || in->users[1]);
	mutex_destroy(&in->lock);
}

static struct pernet_operations unat_icmp_net_ops = {
	.init = unat_icmp_net_init,
	.exit = unat_icmp_net_exit,
	.id = &unat_icmp_net_id,
	.size = sizeof(struct unat_icmp_net),
};

int unat_icmp_sock_init(void)
{
	return register_pernet_subsys(&unat_icmp_net_ops);
}

void unat_icmp_sock_uninit(void)
{
	unregister_pernet_subsys(&unat_icmp_net_ops);
}
