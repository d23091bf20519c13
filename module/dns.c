// SPDX-License-Identifier: GPL-2.0
/*
 * DNS forwarding: queries over UDP to the DNS address go, unchanged, to the
 * configured upstream resolvers from a socket in the creating netns (so a
 * resolver on the host's loopback works), with failover to the next
 * upstream when one stays silent; answers come back unchanged, from the DNS
 * address.  DNS traffic is light: all socket work runs in process context
 * on unat_wq, and a flow lives a second past its last answer.
 */
#include <kunit/visibility.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/net.h>
#include <linux/udp.h>
#include <net/sock.h>

#include "types.h"
#include "device.h"
#include "output.h"
#include "flow.h"
#include "services.h"

#define UNAT_DNS_RETRY		(2 * HZ)	/* silence before failover */
#define UNAT_DNS_LINGER		HZ		/* flow life after the answer */
#define UNAT_DNS_TIMEOUT	(10 * HZ)	/* flow life while waiting */
#define UNAT_DNS_MAX_MSG	65535

/*
 * A query worth forwarding: a whole header, QR clear (a question, not an
 * answer), opcode QUERY, at least one question.  Returns 0 or -EINVAL.
 */
int unat_dns_check_query(const u8 *msg, unsigned int len)
{
	if (len < UNAT_DNS_HDR_LEN)
		return -EINVAL;
	if (msg[2] & 0x80)			/* QR: a response */
		return -EINVAL;
	if ((msg[2] >> 3) & 0x0f)		/* opcode other than QUERY */
		return -EINVAL;
	if (!(msg[4] | msg[5]))			/* QDCOUNT 0 */
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(unat_dns_check_query);

/* Skip the name at @off of @msg; the offset after it, or -EINVAL. */
static int unat_dns_skip_name(const u8 *msg, unsigned int len,
			      unsigned int off)
{
	while (off < len) {
		if (!msg[off])
			return off + 1;
		if ((msg[off] & 0xc0) == 0xc0)	/* a pointer ends the name */
			return off + 2 <= len ? off + 2 : -EINVAL;
		if (msg[off] & 0xc0)
			return -EINVAL;
		off += msg[off] + 1;
	}
	return -EINVAL;
}

/*
 * The largest UDP query that the sender of @msg may send (RFC 6891 6.2.3,
 * 6.2.5): 512 bytes, or the payload size its EDNS OPT record advertises,
 * at most UNAT_DNS_UDP_MAX.  -EINVAL for a message that does not parse.
 */
int unat_dns_query_max(const u8 *msg, unsigned int len)
{
	unsigned int qd, an, ar, i, off = UNAT_DNS_HDR_LEN, size;
	int max = UNAT_DNS_UDP_PLAIN, next;

	if (len < UNAT_DNS_HDR_LEN)
		return -EINVAL;
	qd = get_unaligned_be16(msg + 4);
	an = get_unaligned_be16(msg + 6) + get_unaligned_be16(msg + 8);
	ar = get_unaligned_be16(msg + 10);
	for (i = 0; i < qd; i++) {
		next = unat_dns_skip_name(msg, len, off);
		if (next < 0 || next + 4 > len)
			return -EINVAL;
		off = next + 4;			/* QTYPE, QCLASS */
	}
	for (i = 0; i < an + ar; i++) {
		next = unat_dns_skip_name(msg, len, off);
		if (next < 0 || next + 10 > len)
			return -EINVAL;
		/* TYPE, CLASS (OPT: the payload size), TTL, RDLENGTH */
		if (i >= an && get_unaligned_be16(msg + next) == 41) {
			size = get_unaligned_be16(msg + next + 2);
			max = clamp(size, UNAT_DNS_UDP_PLAIN, UNAT_DNS_UDP_MAX);
		}
		off = next + 10 + get_unaligned_be16(msg + next + 8);
		if (off > len)
			return -EINVAL;
	}
	return max;
}
EXPORT_SYMBOL_IF_KUNIT(unat_dns_query_max);

/*
 * @unat's upstream number @idx (modulo their count) in the current
 * configuration; false if it has none.
 */
bool unat_dns_upstream(struct unat_dev *unat, u8 idx,
		       struct sockaddr_storage *ss, int *salen)
{
	const struct unat_dns_upstream *up;
	const struct unat_config *cfg;
	bool ok = false;

	rcu_read_lock();
	cfg = rcu_dereference(unat->config);
	if (cfg->n_dns) {
		up = &cfg->dns_up[idx % cfg->n_dns];
		memset(ss, 0, sizeof(*ss));
		if (up->family == AF_INET) {
			struct sockaddr_in *sin = (struct sockaddr_in *)ss;

			sin->sin_family = AF_INET;
			sin->sin_addr.s_addr = up->addr.v4;
			sin->sin_port = up->port;
			*salen = sizeof(*sin);
		} else {
			struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

			sin6->sin6_family = AF_INET6;
			sin6->sin6_addr = up->addr.v6;
			sin6->sin6_port = up->port;
			*salen = sizeof(*sin6);
		}
		ok = true;
	}
	rcu_read_unlock();
	return ok;
}

static void unat_dns_data_ready(struct sock *sk)
{
	struct unat_flow *flow;

	rcu_read_lock();
	flow = rcu_dereference_sk_user_data(sk);
	if (flow)
		unat_flow_start_open(flow);
	rcu_read_unlock();
}

static int unat_dns_sock_create(struct unat_flow *flow, int family)
{
	int err;

	err = unat_sock_create(flow, family, SOCK_DGRAM, IPPROTO_UDP,
			       unat_dns_data_ready, &flow->sock);
	if (!err)
		WRITE_ONCE(flow->state, UNAT_FLOW_OPEN);
	return err;
}

static void unat_dns_close(struct unat_flow *flow)
{
	unat_sock_close(flow->sock);
	flow->sock = NULL;
}

/* Send one query to the flow's upstream, (re)making the socket for its
 * family.  The query skb is linear (unat_dns_send_pending()).
 */
static int unat_dns_send(struct unat_flow *flow, struct sk_buff *skb)
{
	struct sockaddr_storage ss;
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT };
	struct kvec iov = { .iov_base = skb->data, .iov_len = skb->len };
	int salen, err;

	if (!unat_dns_upstream(flow->unat, flow->dns.upstream, &ss, &salen))
		return -ENOENT;
	if (flow->sock && flow->sock->sk->sk_family != ss.ss_family)
		unat_dns_close(flow);
	if (!flow->sock) {
		err = unat_dns_sock_create(flow, ss.ss_family);
		if (err)
			return err;
	}
	msg.msg_name = &ss;
	msg.msg_namelen = salen;
	err = kernel_sendmsg(flow->sock, &msg, &iov, 1, skb->len);
	if (err >= 0)
		unat_flow_account(&flow->pkts_out, &flow->bytes_out, skb->len);
	return err < 0 ? err : 0;
}

/*
 * Drop the query a flow kept.  Its own work, or its release once the work
 * is done.
 */
static void unat_dns_forget(struct unat_flow *flow)
{
	if (!flow->dns.last)
		return;
	kfree_skb(flow->dns.last);
	flow->dns.last = NULL;
	atomic_dec(&flow->unat->dns_kept);
}

/*
 * Keep a copy of the query in @skb, just sent, for a retry on the next
 * upstream: while the device keeps fewer than UNAT_DNS_KEPT_MAX, else it
 * gets no retry.  A copy, sized to the query: the guest's frame may pin
 * far more memory than the query it carries (padding, a large buffer), and
 * stays charged to the guest's socket while held.
 */
static void unat_dns_keep(struct unat_flow *flow, const struct sk_buff *skb)
{
	struct sk_buff *copy;

	unat_dns_forget(flow);
	if (atomic_inc_return(&flow->unat->dns_kept) > UNAT_DNS_KEPT_MAX)
		goto out;
	copy = alloc_skb(skb->len, GFP_KERNEL);
	if (!copy)
		goto out;
	skb_put_data(copy, skb->data, skb->len);
	flow->dns.last = copy;
	flow->dns.tries = 1;
	flow->dns.sent = jiffies;
	return;
out:
	atomic_dec(&flow->unat->dns_kept);
}

static void unat_dns_send_pending(struct unat_flow *flow)
{
	struct sk_buff *skb;

	while ((skb = unat_flow_dequeue(flow->unat->flows, &flow->pending))) {
		if (skb_linearize(skb) || unat_dns_send(flow, skb)) {
			kfree_skb(skb);
			continue;
		}
		unat_dns_keep(flow, skb);
		consume_skb(skb);
	}
}

/* Nothing came back in time: the same query to the next upstream. */
static void unat_dns_failover(struct unat_flow *flow)
{
	const struct unat_config *cfg;
	u8 n;

	if (!flow->dns.last ||
	    time_before(jiffies, flow->dns.sent + UNAT_DNS_RETRY))
		return;
	rcu_read_lock();
	cfg = rcu_dereference(flow->unat->config);
	n = cfg->n_dns;
	rcu_read_unlock();
	if (flow->dns.tries >= n) {
		unat_dns_forget(flow);		/* every upstream tried */
		return;
	}
	flow->dns.upstream++;
	flow->dns.tries++;
	flow->dns.sent = jiffies;
	unat_stats_inc_bh(flow->unat->stats, UNAT_STAT_DNS_FAILOVER);
	unat_dns_send(flow, flow->dns.last);
}

/* The answer to the guest, from the DNS address and port. */
static void unat_dns_answer(struct unat_flow *flow, struct sk_buff *skb)
{
	const struct unat_config *cfg;

	rcu_read_lock();
	cfg = rcu_dereference(flow->unat->config);
	local_bh_disable();
	if (flow->key.family == AF_INET6) {
		unat_frame_push_udp6(skb, &cfg->dns6, &flow->key.gaddr.v6,
				     htons(UNAT_DNS_PORT), flow->key.gport);
		unat_flow_account(&flow->pkts_in, &flow->bytes_in, skb->len);
		unat_deliver_ip6(flow->unat, skb, &cfg->dns6,
				 &flow->key.gaddr.v6, IPPROTO_UDP);
	} else {
		unat_frame_push_udp4(skb, cfg->dns, flow->key.gaddr.v4,
				     htons(UNAT_DNS_PORT), flow->key.gport);
		unat_flow_account(&flow->pkts_in, &flow->bytes_in, skb->len);
		unat_deliver_ip(flow->unat, skb, cfg->dns, flow->key.gaddr.v4,
				IPPROTO_UDP);
	}
	local_bh_enable();
	rcu_read_unlock();
}

/* Read every datagram waiting on the socket; answers from the upstream in
 * use go to the guest.
 */
static void unat_dns_receive(struct unat_flow *flow)
{
	struct sockaddr_storage from, up;
	struct msghdr msg = {};
	struct sk_buff *skb;
	struct kvec iov;
	int len, salen;

	while (flow->sock) {
		msg.msg_flags = MSG_DONTWAIT | MSG_PEEK | MSG_TRUNC;
		iov.iov_base = NULL;
		iov.iov_len = 0;
		len = kernel_recvmsg(flow->sock, &msg, &iov, 1, 0,
				     msg.msg_flags);
		if (len < 0)
			return;
		skb = unat_frame_alloc(min(len, UNAT_DNS_MAX_MSG));
		if (!skb)
			return;
		iov.iov_base = skb_put(skb, min(len, UNAT_DNS_MAX_MSG));
		iov.iov_len = skb->len;
		msg.msg_name = &from;
		msg.msg_namelen = sizeof(from);
		len = kernel_recvmsg(flow->sock, &msg, &iov, 1, iov.iov_len,
				     MSG_DONTWAIT);
		if (len < UNAT_DNS_HDR_LEN || len != skb->len ||
		    !unat_dns_upstream(flow->unat, flow->dns.upstream, &up,
				       &salen) ||
		    memcmp(&from, &up, salen)) {
			kfree_skb(skb);
			continue;
		}
		unat_dns_forget(flow);
		WRITE_ONCE(flow->timeout, UNAT_DNS_LINGER);
		unat_flow_touch(flow);
		unat_dns_answer(flow, skb);
	}
}

/* unat_wq: send what the guest queued, read answers, fail over. */
static void unat_dns_work(struct unat_flow *flow)
{
	if (READ_ONCE(flow->state) == UNAT_FLOW_CLOSING)
		return;
	unat_dns_send_pending(flow);
	unat_dns_receive(flow);
	unat_dns_failover(flow);
	if (!flow->sock && READ_ONCE(flow->state) == UNAT_FLOW_OPENING)
		unat_flow_failed(flow);
}

/* Process context, the flow unlinked and its work done. */
static void unat_dns_release(struct unat_flow *flow)
{
	if (flow->sock)
		unat_dns_close(flow);
	unat_dns_forget(flow);
}

/* The reaper: a query waiting on an upstream; time to fail over? */
static void unat_dns_tick(struct unat_flow *flow)
{
	if (READ_ONCE(flow->dns.last))
		unat_flow_start_open(flow);
}

static const struct unat_flow_ops unat_dns_flow_ops = {
	.work		= unat_dns_work,
	.release	= unat_dns_release,
	.tick		= unat_dns_tick,
	.own_port	= true,
};

/*
 * Queue the query that fills @skb from @off for @len bytes on the DNS flow
 * of @key (made if needed); the flow's work sends it upstream.
 */
static enum unat_stat unat_dns_queue(const struct unat_ctx *ctx,
				     struct sk_buff *skb,
				     const struct unat_flow_key *key,
				     unsigned int off, unsigned int len)
{
	struct unat_flow *flow;
	int err;

	if (pskb_trim(skb, off + len))
		return UNAT_STAT_DROP_NOMEM;
	skb_pull(skb, off);
	flow = unat_flow_lookup(ctx->unat->flows, key);
	if (!flow) {
		flow = unat_flow_create(ctx->unat->flows, key,
					&unat_dns_flow_ops,
					ctx->cfg->flow_limit,
					UNAT_DNS_TIMEOUT, &err);
		if (!flow)
			return unat_flow_create_stat(err);
	}
	spin_lock(&flow->pending.lock);
	if (skb_queue_len(&flow->pending) >= UNAT_FLOW_PENDING_MAX) {
		spin_unlock(&flow->pending.lock);
		return UNAT_STAT_DROP_FLOW_BUSY;
	}
	if (!unat_flow_charge(ctx->unat->flows, skb, ctx->cfg->queue_limit)) {
		spin_unlock(&flow->pending.lock);
		return UNAT_STAT_DROP_QUEUE_LIMIT;
	}
	__skb_queue_tail(&flow->pending, skb);
	spin_unlock(&flow->pending.lock);
	WRITE_ONCE(flow->timeout, UNAT_DNS_TIMEOUT);
	unat_flow_touch(flow);
	unat_flow_start_open(flow);
	return UNAT_STAT_DNS_QUERY;
}

/*
 * The query in the UDP datagram at @l4off: a drop counter, or OK.  No
 * larger than its sender may send (unat_dns_query_max()), so what a flow
 * keeps and sends upstream is at most UNAT_DNS_UDP_MAX bytes.
 */
static enum unat_stat unat_dns_check(const struct unat_ctx *ctx,
				     struct sk_buff *skb, unsigned int l4off)
{
	const struct udphdr *uh = (const struct udphdr *)(skb->data + l4off);
	unsigned int len = ntohs(uh->len) - sizeof(*uh);
	unsigned int off = l4off + sizeof(*uh);
	int max;

	if (!ctx->unat)
		return UNAT_STAT_DROP_UNSUPPORTED;
	if (len > UNAT_DNS_UDP_MAX)
		return UNAT_STAT_DROP_DNS_TOO_LARGE;
	if (!pskb_may_pull(skb, off + len) ||
	    unat_dns_check_query(skb->data + off, len))
		return UNAT_STAT_DROP_MALFORMED;
	max = unat_dns_query_max(skb->data + off, len);
	if (max < 0)
		return UNAT_STAT_DROP_MALFORMED;
	if (len > max)
		return UNAT_STAT_DROP_DNS_TOO_LARGE;
	if (!ctx->cfg->n_dns)
		return UNAT_STAT_DROP_DNS_NO_UPSTREAM;
	return UNAT_STAT_OK;
}

enum unat_stat unat_dns_input(const struct unat_ctx *ctx, struct sk_buff *skb,
			      const struct unat_ip4 *ip)
{
	const struct udphdr *uh;
	struct unat_flow_key key;
	enum unat_stat ret;

	ret = unat_dns_check(ctx, skb, ip->l4off);
	if (ret)
		return ret;
	if (ip->saddr != ctx->cfg->guest)
		return UNAT_STAT_DROP_BAD_SOURCE;
	uh = (const struct udphdr *)(skb->data + ip->l4off);
	unat_flow_key4(&key, IPPROTO_UDP, UNAT_FLOW_KIND_DNS, ip->saddr,
		       uh->source, ip->daddr, uh->dest);
	return unat_dns_queue(ctx, skb, &key, ip->l4off + sizeof(*uh),
			      ntohs(uh->len) - sizeof(*uh));
}

/* A query over IPv6 to the DNS address, from the guest's prefix. */
enum unat_stat unat_dns_input6(const struct unat_ctx *ctx,
			       struct sk_buff *skb, const struct unat_ip6 *ip)
{
	const struct udphdr *uh;
	struct unat_flow_key key;
	enum unat_stat ret;

	ret = unat_dns_check(ctx, skb, ip->l4off);
	if (ret)
		return ret;
	if (!unat_config_in_prefix6(ctx->cfg, &ip->saddr))
		return UNAT_STAT_DROP_BAD_SOURCE;
	uh = (const struct udphdr *)(skb->data + ip->l4off);
	unat_flow_key6(&key, IPPROTO_UDP, UNAT_FLOW_KIND_DNS, &ip->saddr,
		       uh->source, &ip->daddr, uh->dest);
	return unat_dns_queue(ctx, skb, &key, ip->l4off + sizeof(*uh),
			      ntohs(uh->len) - sizeof(*uh));
}
