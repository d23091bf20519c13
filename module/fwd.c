// SPDX-License-Identifier: GPL-2.0
/*
 * Port forwards: host ports of the creating netns carried to guest ports.
 *
 * TCP: a listening kernel socket per host port.  Each connection it
 * accepts becomes a flow whose guest side unat opens with a SYN from the
 * client's own address and port (unat_fwd_tcp_conn()); the accepted socket
 * is the flow's host socket, adopted by the TCP engine (unat_tcp_adopt()),
 * so from there on the flow is like any other and outlives the forward.
 *
 * UDP: a bound kernel socket per host port.  Each client (address, port)
 * gets a flow, kept alive by traffic for the UDP timeout; the guest's
 * replies leave through the forward's socket, to that client.  These flows
 * borrow the forward's socket: removing the forward ends them.
 *
 * The guest sees a client as itself, unless the forward asks for the
 * gateway address, or the client's address would mean something else to
 * the guest (loopback, the guest's own subnet, the gateway or DNS address):
 * then as the gateway.  When two clients would look the same to the guest,
 * the later one gets another port (UNAT_FWD_PORT_TRIES choices).
 *
 * Removal order: listeners are cut from their forward (sk_user_data), an
 * RCU grace period lets receivers finish, UDP flows are closed and another
 * grace period lets the transmit path finish with them, then the sockets
 * are released.
 *
 * Contexts: forwards are added and removed in process context under
 * fwds.lock (after RTNL when both are taken); a listener's data_ready and
 * a UDP socket's encap_rcv run in softirq under RCU; the accept work runs
 * on unat_wq and makes each connection's flow with BH off, under RCU.
 */
#include <kunit/visibility.h>
#include <linux/jhash.h>
#include <linux/net.h>
#include <linux/slab.h>
#include <net/addrconf.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/sock.h>
#include <net/udp.h>
#include <net/udp_tunnel.h>

#include "device.h"
#include "flow.h"
#include "proto.h"
#include "fwd.h"

#define UNAT_FWD_BACKLOG	128

void unat_fwds_init(struct unat_fwds *fwds)
{
	mutex_init(&fwds->lock);
	INIT_LIST_HEAD(&fwds->list);
}

/* An IPv6 forward's host address: unicast, and one a socket can bind. */
static int unat_fwd_check6(const struct in6_addr *addr,
			   struct netlink_ext_ack *extack)
{
	int type = ipv6_addr_type(addr);

	if (type & IPV6_ADDR_MULTICAST) {
		NL_SET_ERR_MSG(extack, "the host address must be unicast");
		return -EADDRNOTAVAIL;
	}
	if (type & IPV6_ADDR_LINKLOCAL) {
		NL_SET_ERR_MSG(extack, "a link-local host address is not supported");
		return -EADDRNOTAVAIL;
	}
	if (type & IPV6_ADDR_MAPPED) {
		NL_SET_ERR_MSG(extack, "an IPv4-mapped address: make an IPv4 forward");
		return -EADDRNOTAVAIL;
	}
	return 0;
}

/* A request's own sense, before it meets the device: the netlink layer
 * filled in defaults.
 */
int unat_fwd_check(const struct unat_fwd_req *req,
		   struct netlink_ext_ack *extack)
{
	if (req->proto != IPPROTO_TCP && req->proto != IPPROTO_UDP) {
		NL_SET_ERR_MSG(extack, "a forward is TCP or UDP");
		return -EPROTONOSUPPORT;
	}
	if (!req->count || req->count > UNAT_MAX_FWD_PORTS) {
		NL_SET_ERR_MSG(extack, "a forward has 1 to 1024 ports");
		return -EINVAL;
	}
	if (!req->port && req->count > 1) {
		NL_SET_ERR_MSG(extack, "host port 0 (pick one) takes no range");
		return -EINVAL;
	}
	if (req->port + req->count - 1 > U16_MAX ||
	    req->gport + req->count - 1 > U16_MAX) {
		NL_SET_ERR_MSG(extack, "the port range goes past 65535");
		return -ERANGE;
	}
	if (!req->gport) {
		NL_SET_ERR_MSG(extack, "a picked host port needs a guest port");
		return -EINVAL;
	}
	if (req->ipv6)
		return unat_fwd_check6(&req->addr6, extack);
	if (ipv4_is_multicast(req->addr) || ipv4_is_lbcast(req->addr)) {
		NL_SET_ERR_MSG(extack, "the host address must be unicast");
		return -EADDRNOTAVAIL;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(unat_fwd_check);

/* Addresses the guest cannot be told: they would not lead back here. */
static bool unat_fwd_hide(const struct unat_config *cfg, __be32 client)
{
	return ipv4_is_loopback(client) || ipv4_is_zeronet(client) ||
	       client == cfg->gateway || client == cfg->dns ||
	       unat_config_in_subnet(cfg, client);
}

/*
 * The client's port as the guest sees it: its own first, then (@try > 0)
 * others in 1024-65535, the same for the same client each time; @hash
 * stands for the client's address.
 */
static __be16 unat_fwd_port_try(u32 hash, __be16 cport, unsigned int try)
{
	if (!try)
		return cport;
	return htons(1024 + jhash_3words(hash, (__force u32)cport, try, 0) %
		     (U16_MAX + 1 - 1024));
}

void unat_fwd_flow_key(const struct unat_config *cfg, u8 proto, __be16 gport,
		       __be32 client, __be16 cport, bool gw_source,
		       unsigned int try, struct unat_flow_key *key)
{
	__be32 raddr = client;

	if (gw_source || unat_fwd_hide(cfg, client))
		raddr = cfg->gateway;
	unat_flow_key4(key, proto, UNAT_FLOW_KIND_FWD, cfg->guest, gport,
		       raddr, unat_fwd_port_try((__force u32)client, cport,
						try));
}
EXPORT_SYMBOL_IF_KUNIT(unat_fwd_flow_key);

/* The same over IPv6: the guest at @guest, the hidden shown as gateway6. */
static bool unat_fwd_hide6(const struct unat_config *cfg,
			   const struct in6_addr *client)
{
	int type = ipv6_addr_type(client);

	return type == IPV6_ADDR_ANY ||
	       (type & (IPV6_ADDR_LOOPBACK | IPV6_ADDR_LINKLOCAL |
			IPV6_ADDR_MAPPED | IPV6_ADDR_MULTICAST)) ||
	       unat_config_in_prefix6(cfg, client);
}

void unat_fwd_flow_key6(const struct unat_config *cfg,
			const struct in6_addr *guest, u8 proto, __be16 gport,
			const struct in6_addr *client, __be16 cport,
			bool gw_source, unsigned int try,
			struct unat_flow_key *key)
{
	const struct in6_addr *raddr = client;

	if (gw_source || unat_fwd_hide6(cfg, client))
		raddr = &cfg->gateway6;
	unat_flow_key6(key, proto, UNAT_FLOW_KIND_FWD, guest, gport, raddr,
		       unat_fwd_port_try(jhash(client, sizeof(*client), 0),
					 cport, try));
}
EXPORT_SYMBOL_IF_KUNIT(unat_fwd_flow_key6);

/*
 * The guest's view of a forward's client @client:@cport, an IPv6 one with
 * @ipv6, @try'th choice of port: the flow key, TCP and UDP alike.  False
 * when the client is IPv6 and the guest has no IPv6 address to reach.
 */
bool unat_fwd_client_key(struct unat_dev *unat, const struct unat_config *cfg,
			 u8 proto, __be16 gport, bool ipv6,
			 const union unat_addr *client, __be16 cport,
			 bool gw_source, unsigned int try,
			 struct unat_flow_key *key)
{
	struct in6_addr guest;

	if (!ipv6) {
		unat_fwd_flow_key(cfg, proto, gport, client->v4, cport,
				  gw_source, try, key);
		return true;
	}
	if (!cfg->ipv6 ||
	    !unat_guest_addr6(&unat->guest, &cfg->prefix6, &guest))
		return false;
	unat_fwd_flow_key6(cfg, &guest, proto, gport, &client->v6, cport,
			   gw_source, try, key);
	return true;
}

static bool unat_fwd_gw_source(const struct unat_fwd *fwd)
{
	return fwd->req.flags & UNAT_FWD_F_GATEWAY_SOURCE;
}

/*
 * A flow for a forwarded client's connection @sk, its key unique: each
 * connection is a flow of its own, so a key in use, even by the client's
 * last connection, moves it on to the next port, where a UDP client finds
 * its binding again (unat_fwd_udp_flow()).
 */
static struct unat_flow *unat_fwd_tcp_flow(struct unat_dev *unat,
					   struct sock *sk, __be16 gport,
					   bool gw_source)
{
	const struct unat_config *cfg = rcu_dereference(unat->config);
	bool ipv6 = sk->sk_family == AF_INET6;
	union unat_addr client = {};
	struct unat_flow_key key;
	struct unat_flow *flow;
	unsigned int try;
	int err = -EEXIST;

	/* a device never up has no reaper: no flow may wait there */
	if (!netif_running(unat->dev))
		return NULL;
	if (ipv6)
		client.v6 = sk->sk_v6_daddr;
	else
		client.v4 = inet_sk(sk)->inet_daddr;
	for (try = 0; try < UNAT_FWD_PORT_TRIES && err == -EEXIST; try++) {
		if (!unat_fwd_client_key(unat, cfg, IPPROTO_TCP, gport, ipv6,
					 &client, inet_sk(sk)->inet_dport,
					 gw_source, try, &key))
			return NULL;
		flow = unat_flow_create(unat->flows, &key, &unat_tcp_flow_ops,
					cfg->flow_limit, UNAT_TCP_CONNECT_TIME,
					&err);
	}
	return err ? NULL : flow;
}

/*
 * unat_wq, the accept work: a client's connection (@sock, consumed).  Its
 * flow opens the guest side with a SYN from the client's address (or the
 * gateway's, see above) to @gport, the connection itself its host socket,
 * adopted here and now (unat_tcp_adopt()).  No flow (device down, flow
 * limit): the client is reset.
 */
static void unat_fwd_tcp_conn(struct unat_dev *unat, struct socket *sock,
			      __be16 gport, bool gw_source)
{
	struct sock *sk = sock->sk;
	struct unat_flow *flow;
	struct unat_tcp *t;

	unat_tcp_claim(sk);
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	local_bh_disable();
	rcu_read_lock();
	flow = t ? unat_fwd_tcp_flow(unat, sk, gport, gw_source) : NULL;
	if (flow)
		unat_tcp_adopt(flow, t, sock);
	rcu_read_unlock();
	local_bh_enable();
	if (flow) {
		unat_stats_inc(unat->stats, UNAT_STAT_FWD_TCP_ACCEPT);
		return;
	}
	unat_stats_inc(unat->stats, UNAT_STAT_DROP_FWD_REFUSED);
	kfree(t);
	sock_no_linger(sk);
	sock_release(sock);
}

/* sk_data_ready of a listener: connections wait in its accept queue. */
static void unat_fwd_tcp_ready(struct sock *sk)
{
	struct unat_fwd_port *fp;

	rcu_read_lock();
	fp = rcu_dereference_sk_user_data(sk);
	if (fp)
		queue_work(unat_wq, &fp->accept);
	rcu_read_unlock();
}

/* unat_wq: every connection waiting, to the guest. */
static void unat_fwd_tcp_accept(struct work_struct *work)
{
	struct unat_fwd_port *fp = container_of(work, struct unat_fwd_port,
						accept);
	struct unat_fwd *fwd = fp->fwd;
	struct socket *sock;
	int n;

	for (n = 0; n < UNAT_FWD_BACKLOG; n++) {
		if (kernel_accept(fp->sock, &sock, O_NONBLOCK))
			return;
		unat_fwd_tcp_conn(fwd->unat, sock, fp->gport,
				  unat_fwd_gw_source(fwd));
	}
	queue_work(unat_wq, &fp->accept);	/* more came meanwhile */
}

/* A datagram's client and the host address it came to. */
struct unat_fwd_peer {
	union unat_addr client;
	union unat_addr host;
	__be16 cport;
};

static void unat_fwd_peer_of(const struct sk_buff *skb,
			     struct unat_fwd_peer *p)
{
	memset(p, 0, sizeof(*p));
	if (skb->protocol == htons(ETH_P_IPV6)) {
		p->client.v6 = ipv6_hdr(skb)->saddr;
		p->host.v6 = ipv6_hdr(skb)->daddr;
	} else {
		p->client.v4 = ip_hdr(skb)->saddr;
		p->host.v4 = ip_hdr(skb)->daddr;
	}
	p->cport = udp_hdr(skb)->source;
}

/* Is @flow a UDP binding of @fp's for @p's client? */
static bool unat_fwd_udp_mine(const struct unat_flow *flow,
			      const struct unat_fwd_port *fp,
			      const struct unat_fwd_peer *p)
{
	return READ_ONCE(flow->sock) == fp->sock &&
	       !memcmp(&flow->dst, &p->client, sizeof(p->client)) &&
	       flow->dst_port == p->cport;
}

/* Softirq: the binding of the datagram's client, found or made. */
static struct unat_flow *unat_fwd_udp_flow(struct unat_fwd_port *fp,
					   struct sk_buff *skb)
{
	struct unat_dev *unat = fp->fwd->unat;
	const struct unat_config *cfg = rcu_dereference(unat->config);
	struct unat_flow_key key;
	struct unat_fwd_peer p;
	struct unat_flow *flow;
	unsigned int try;
	int err;

	unat_fwd_peer_of(skb, &p);
	for (try = 0; try < UNAT_FWD_PORT_TRIES; try++) {
		if (!unat_fwd_client_key(unat, cfg, IPPROTO_UDP, fp->gport,
					 fp->fwd->req.ipv6, &p.client, p.cport,
					 unat_fwd_gw_source(fp->fwd), try,
					 &key))
			return NULL;
		flow = unat_flow_lookup(unat->flows, &key);
		if (!flow) {
			flow = unat_flow_create(unat->flows, &key,
						&unat_udp_flow_ops,
						cfg->flow_limit,
						cfg->udp_timeout * HZ, &err);
			if (!err) {
				flow->dst = p.client;
				flow->dst_port = p.cport;
				unat_flow_set_host_addr(flow, &p.host);
				flow->host_port = fp->port;
				unat_flow_opened(flow, fp->sock);
				return flow;
			}
			if (err != -EEXIST)
				return NULL;
		}
		/* a binding closing (its forward removed) is no one's now */
		if (READ_ONCE(flow->state) == UNAT_FLOW_OPEN &&
		    unat_fwd_udp_mine(flow, fp, &p))
			return flow;
	}
	return NULL;
}

/* encap_rcv of a UDP forward's socket: skb->data is the UDP header. */
static int unat_fwd_udp_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct unat_fwd_port *fp = rcu_dereference_sk_user_data(sk);
	struct unat_flow *flow;
	struct unat_dev *unat;

	if (!fp)
		goto free;
	unat = fp->fwd->unat;
	if (!netif_running(unat->dev) || udp_lib_checksum_complete(skb) ||
	    skb_ensure_writable(skb, sizeof(struct udphdr)))
		goto drop;
	flow = unat_fwd_udp_flow(fp, skb);
	if (!flow)
		goto drop;
	unat_stats_inc(unat->stats, UNAT_STAT_FWD_UDP_IN);
	unat_udp_deliver(flow, skb, &flow->key.raddr, flow->key.rport);
	return 0;
drop:
	unat_stats_inc(unat->stats, UNAT_STAT_DROP_FWD_REFUSED);
free:
	kfree_skb(skb);
	return 0;
}

/* The socket address of @req's host address and @port. */
static int unat_fwd_sockaddr(const struct unat_fwd_req *req, u16 port,
			     struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (req->ipv6) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = req->addr6;
		sin6->sin6_port = htons(port);
		return sizeof(*sin6);
	}
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = req->addr;
	sin->sin_port = htons(port);
	return sizeof(*sin);
}

static int unat_fwd_tcp_listen(struct net *net, struct unat_fwd_port *fp,
			       const struct unat_fwd_req *req, u16 port)
{
	struct sockaddr_storage ss;
	struct socket *sock;
	int len, err;

	len = unat_fwd_sockaddr(req, port, &ss);
	err = sock_create_kern(net, ss.ss_family, SOCK_STREAM, IPPROTO_TCP,
			       &sock);
	if (err)
		return err;
	sock_set_reuseaddr(sock->sk);
	/* IPv4 clients are an IPv4 forward's */
	if (req->ipv6) {
		err = ip6_sock_set_v6only(sock->sk);
		if (err)
			goto err_release;
	}
	err = kernel_bind(sock, (struct sockaddr *)&ss, len);
	if (err)
		goto err_release;
	/* before listen(): no connection may come without a wakeup */
	write_lock_bh(&sock->sk->sk_callback_lock);
	rcu_assign_sk_user_data(sock->sk, fp);
	sock->sk->sk_data_ready = unat_fwd_tcp_ready;
	write_unlock_bh(&sock->sk->sk_callback_lock);
	err = kernel_listen(sock, UNAT_FWD_BACKLOG);
	if (err)
		goto err_release;
	fp->sock = sock;
	return 0;

err_release:
	sock_release(sock);
	return err;
}

static int unat_fwd_udp_bind(struct net *net, struct unat_fwd_port *fp,
			     const struct unat_fwd_req *req, u16 port)
{
	struct udp_tunnel_sock_cfg tcfg = {
		.sk_user_data = fp,
		.encap_type = 1,
		.encap_rcv = unat_fwd_udp_rcv,
	};
	struct udp_port_cfg pcfg = {
		.family = req->ipv6 ? AF_INET6 : AF_INET,
		.local_ip.s_addr = req->addr,
		.local_udp_port = htons(port),
		.use_udp6_rx_checksums = 1,
		.ipv6_v6only = 1,
	};
	struct socket *sock;
	int err;

	if (req->ipv6)
		pcfg.local_ip6 = req->addr6;

	err = udp_sock_create(net, &pcfg, &sock);
	if (err)
		return err;
	setup_udp_tunnel_sock(net, sock, &tcfg);
	fp->sock = sock;
	return 0;
}

/* Cut the first @n ports off the forward: nothing new reaches it. */
static void unat_fwd_detach(struct unat_fwd *fwd, unsigned int n)
{
	struct sock *sk;
	unsigned int i;

	for (i = 0; i < n; i++) {
		sk = fwd->ports[i].sock->sk;
		write_lock_bh(&sk->sk_callback_lock);
		rcu_assign_sk_user_data(sk, NULL);
		write_unlock_bh(&sk->sk_callback_lock);
	}
}

/* unat_flow_walk(): end the UDP bindings that use @arg's sockets. */
static int unat_fwd_end_binding(struct unat_flow *flow, void *arg)
{
	const struct unat_fwd *fwd = arg;
	unsigned int i = ntohs(flow->host_port) - fwd->req.port;

	if (flow->key.kind != UNAT_FLOW_KIND_FWD ||
	    flow->key.proto != IPPROTO_UDP || i >= fwd->req.count ||
	    READ_ONCE(flow->sock) != fwd->ports[i].sock)
		return 0;
	WRITE_ONCE(flow->state, UNAT_FLOW_CLOSING);
	WRITE_ONCE(flow->timeout, 0);
	return 0;
}

/* Process context: release the first @n ports (the removal order above). */
static void unat_fwd_close(struct unat_fwd *fwd, unsigned int n)
{
	unsigned long bucket = 0, idx = 0;
	struct unat_fwd_port *fp;
	unsigned int i;

	unat_fwd_detach(fwd, n);
	synchronize_rcu();
	if (fwd->req.proto == IPPROTO_UDP) {
		unat_flow_walk(fwd->unat->flows, &bucket, &idx,
			       unat_fwd_end_binding, fwd);
		synchronize_rcu();
	}
	for (i = 0; i < n; i++) {
		fp = &fwd->ports[i];
		if (fwd->req.proto == IPPROTO_TCP) {
			cancel_work_sync(&fp->accept);
			sock_release(fp->sock);
		} else {
			udp_tunnel_sock_release(fp->sock);
		}
	}
}

static void unat_fwd_open_error(int err, struct netlink_ext_ack *extack)
{
	switch (err) {
	case -EADDRINUSE:
		NL_SET_ERR_MSG(extack, "a host port of the forward is in use");
		break;
	case -EADDRNOTAVAIL:
		NL_SET_ERR_MSG(extack, "the host address is not the host's");
		break;
	case -EACCES:
		NL_SET_ERR_MSG(extack, "no permission to bind a host port");
		break;
	default:
		NL_SET_ERR_MSG(extack, "cannot open a host port");
	}
}

/* Bind (and for TCP listen on) every host port, or none. */
static int unat_fwd_open(struct net *net, struct unat_fwd *fwd,
			 struct netlink_ext_ack *extack)
{
	const struct unat_fwd_req *req = &fwd->req;
	struct unat_fwd_port *fp;
	unsigned int i;
	int err = 0;

	for (i = 0; i < req->count; i++) {
		fp = &fwd->ports[i];
		fp->fwd = fwd;
		fp->gport = htons(req->gport + i);
		INIT_WORK(&fp->accept, unat_fwd_tcp_accept);
		if (req->proto == IPPROTO_TCP)
			err = unat_fwd_tcp_listen(net, fp, req,
						  req->port ? req->port + i : 0);
		else
			err = unat_fwd_udp_bind(net, fp, req,
						req->port ? req->port + i : 0);
		if (err)
			break;
		fp->port = inet_sk(fp->sock->sk)->inet_sport;
	}
	if (err) {
		unat_fwd_open_error(err, extack);
		unat_fwd_close(fwd, i);
		return err;
	}
	fwd->req.port = ntohs(fwd->ports[0].port);
	return 0;
}

/* Do @a and @b bind the same host address, or one of them all? */
static bool unat_fwd_same_addr(const struct unat_fwd_req *a,
			       const struct unat_fwd_req *b, bool wildcard)
{
	if (a->ipv6 != b->ipv6)
		return false;
	if (a->ipv6)
		return ipv6_addr_equal(&a->addr6, &b->addr6) ||
		       (wildcard && (ipv6_addr_any(&a->addr6) ||
				     ipv6_addr_any(&b->addr6)));
	return a->addr == b->addr || (wildcard && (!a->addr || !b->addr));
}

/* Do @a and @b want a host port in common? */
static bool unat_fwd_overlap(const struct unat_fwd_req *a,
			     const struct unat_fwd_req *b)
{
	return a->proto == b->proto && a->port && b->port &&
	       unat_fwd_same_addr(a, b, true) &&
	       a->port < b->port + b->count && b->port < a->port + a->count;
}

/* May @req join the device's forwards?  fwds->lock held. */
static int unat_fwd_admit(struct unat_fwds *fwds,
			  const struct unat_fwd_req *req,
			  struct netlink_ext_ack *extack)
{
	struct unat_fwd *fwd;

	lockdep_assert_held(&fwds->lock);
	if (fwds->dead) {
		NL_SET_ERR_MSG(extack, "the device is going away");
		return -ENODEV;
	}
	if (fwds->ports + req->count > UNAT_MAX_FWD_PORTS) {
		NL_SET_ERR_MSG(extack, "at most 1024 host ports forwarded per device");
		return -E2BIG;
	}
	list_for_each_entry(fwd, &fwds->list, node) {
		if (unat_fwd_overlap(&fwd->req, req)) {
			NL_SET_ERR_MSG(extack, "the host ports overlap a forward the device has");
			return -EEXIST;
		}
	}
	return 0;
}

int unat_fwd_add(struct unat_dev *unat, const struct unat_fwd_req *req,
		 struct unat_fwd_req *made, struct netlink_ext_ack *extack)
{
	struct unat_fwds *fwds = &unat->fwds;
	struct unat_fwd *fwd;
	struct net *net;
	int err;

	err = unat_fwd_check(req, extack);
	if (err)
		return err;
	fwd = kvzalloc(struct_size(fwd, ports, req->count), GFP_KERNEL);
	if (!fwd)
		return -ENOMEM;
	fwd->unat = unat;
	fwd->req = *req;
	net = unat_creating_net_get(unat);
	if (!net) {
		NL_SET_ERR_MSG(extack, "the device's creating netns is gone");
		err = -ENONET;
		goto err_free;
	}
	mutex_lock(&fwds->lock);
	err = unat_fwd_admit(fwds, req, extack);
	if (!err) {
		/* before the first client can come */
		WRITE_ONCE(fwds->used, true);
		err = unat_fwd_open(net, fwd, extack);
	}
	if (err)
		goto err_unlock;
	list_add_tail(&fwd->node, &fwds->list);
	fwds->ports += req->count;
	*made = fwd->req;
	mutex_unlock(&fwds->lock);
	put_net(net);
	return 0;

err_unlock:
	mutex_unlock(&fwds->lock);
	put_net(net);
err_free:
	kvfree(fwd);
	return err;
}

/*
 * Remove the forward of @req's protocol, host address (its family too) and
 * first port.
 */
int unat_fwd_del(struct unat_dev *unat, const struct unat_fwd_req *req,
		 struct netlink_ext_ack *extack)
{
	struct unat_fwds *fwds = &unat->fwds;
	struct unat_fwd *fwd;

	mutex_lock(&fwds->lock);
	list_for_each_entry(fwd, &fwds->list, node) {
		if (fwd->req.proto == req->proto &&
		    unat_fwd_same_addr(&fwd->req, req, false) &&
		    fwd->req.port == req->port) {
			list_del(&fwd->node);
			fwds->ports -= fwd->req.count;
			unat_fwd_close(fwd, fwd->req.count);
			mutex_unlock(&fwds->lock);
			kvfree(fwd);
			return 0;
		}
	}
	mutex_unlock(&fwds->lock);
	NL_SET_ERR_MSG(extack, "no such forward");
	return -ENOENT;
}

/*
 * Every forward goes, and no new one comes: the device is being
 * unregistered, or its creating netns is going.  Process context.
 */
void unat_fwd_flush(struct unat_dev *unat)
{
	struct unat_fwds *fwds = &unat->fwds;
	struct unat_fwd *fwd, *tmp;

	mutex_lock(&fwds->lock);
	fwds->dead = true;
	list_for_each_entry_safe(fwd, tmp, &fwds->list, node) {
		list_del(&fwd->node);
		unat_fwd_close(fwd, fwd->req.count);
		kvfree(fwd);
	}
	fwds->ports = 0;
	mutex_unlock(&fwds->lock);
}

/* Call @fn on each forward from the *@idx'th on; stops when @fn fails. */
int unat_fwd_walk(struct unat_dev *unat, unsigned long *idx,
		  int (*fn)(const struct unat_fwd_req *req, void *arg),
		  void *arg)
{
	struct unat_fwds *fwds = &unat->fwds;
	struct unat_fwd *fwd;
	unsigned long i = 0;
	int err = 0;

	mutex_lock(&fwds->lock);
	list_for_each_entry(fwd, &fwds->list, node) {
		if (i++ < *idx)
			continue;
		err = fn(&fwd->req, arg);
		if (err)
			break;
		(*idx)++;
	}
	mutex_unlock(&fwds->lock);
	return err;
}
