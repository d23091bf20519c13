// SPDX-License-Identifier: GPL-2.0
/*
 * TCP: the host socket's side of a flow.  Its callbacks (state_change,
 * data_ready, write_space) drive the engine: the connect's outcome becomes
 * the guest's SYN-ACK, a reset or an ICMP error, host data and freed send
 * space become segments and window updates for the guest.  Here the socket
 * is made and connected, a forward's accepted connection is adopted, the
 * flow's work runs what waited while the socket was owned, the flow is
 * released, and its state is told to flow dumps.
 *
 * Contexts: the callbacks run in softirq, or in process context inside
 * release_sock(), the socket locked as TCP locks it (struct unat_tcp);
 * they take BH off and RCU themselves.  The open and the flow's work run
 * on unat_wq, the release in process context: they lock the socket
 * themselves (lock_sock(), or its spinlock when no one owns it).  The
 * adoption runs in the accept work with BH off, under RCU, and takes the
 * spinlock of a socket no one owns yet.  A dump takes no lock.
 */
#include <linux/icmp.h>
#include <net/inet_sock.h>
#include <net/tcp.h>

#include "device.h"
#include "flow.h"
#include "services.h"
#include "proto.h"
#include "tcp_engine.h"

/* host SYN retries: a connect fails after 31 s, not the host's 127 */
#define UNAT_TCP_SYNCNT		4

static struct unat_tcp *unat_tcp_of(struct sock *sk)
{
	struct unat_flow *flow = rcu_dereference_sk_user_data(sk);
	struct unat_tcp *t = flow ? flow->tcp : NULL;

	return t && !t->dead ? t : NULL;
}

/* The host socket's local address, for flow dumps. */
static void unat_tcp_note_host_addr(struct unat_flow *flow, struct sock *sk)
{
	union unat_addr addr = {};

	if (sk->sk_family == AF_INET6)
		addr.v6 = sk->sk_v6_rcv_saddr;
	else
		addr.v4 = inet_sk(sk)->inet_saddr;
	unat_flow_set_host_addr(flow, &addr);
}

/* The host connect completed: now the guest gets its SYN-ACK. */
static void unat_tcp_connected(struct unat_tcp *t)
{
	struct inet_sock *inet = inet_sk(t->sk);
	struct unat_flow *flow = t->flow;

	WRITE_ONCE(flow->host_port, inet->inet_sport);
	unat_tcp_note_host_addr(flow, t->sk);
	unat_flow_connect_answered(flow->unat->flows, &t->connect_node);
	t->state = UNAT_TCP_SYN_SENT;
	t->snd_una = t->iss;
	t->snd_nxt = t->iss + 1;
	unat_tcp_send_flags(t, t->iss, TCPHDR_SYN | TCPHDR_ACK);
	unat_tcp_arm(t);
}

/*
 * The ICMP (or with @v6, ICMPv6) unreachable code for a connect's error
 * @err, or -1 when the guest is better left to time out.
 */
static int unat_tcp_unreach_code(int err, bool v6)
{
	switch (err) {
	case ENETUNREACH:
		return v6 ? ICMPV6_NOROUTE : ICMP_NET_UNREACH;
	case EHOSTUNREACH:
		return v6 ? ICMPV6_ADDR_UNREACH : ICMP_HOST_UNREACH;
	case EACCES:
	case EPERM:
		return v6 ? ICMPV6_ADM_PROHIBITED : ICMP_PKT_FILTERED;
	default:
		return -1;
	}
}

/* The host connect failed with @err: tell the guest what the host saw. */
static void unat_tcp_connect_failed(struct unat_tcp *t, int err)
{
	const struct unat_flow_key *key = &t->flow->key;
	bool v6 = key->family == AF_INET6;
	int code;

	if (err == ECONNREFUSED || err == ECONNRESET) {
		unat_tcp_reset_guest(t);
		return;
	}
	unat_tcp_connect_done(t);
	code = unat_tcp_unreach_code(err, v6);
	if (code >= 0 && v6)
		unat_icmp6_unreach_syn(t->flow->unat, code, key, t->irs);
	else if (code >= 0)
		unat_icmp_unreach_syn(t->flow->unat, code, key->gaddr.v4,
				      key->gport, key->raddr.v4, key->rport,
				      t->irs);
	unat_tcp_expire(t);
}

/* sk_state_change: connect done or failed, FIN or reset from the remote. */
static void unat_tcp_state_change(struct sock *sk)
{
	struct unat_tcp *t;
	int err;

	local_bh_disable();
	rcu_read_lock();
	t = unat_tcp_of(sk);
	if (!t)
		goto out;
	err = READ_ONCE(sk->sk_err);
	if (sk->sk_state == TCP_ESTABLISHED &&
	    t->state == UNAT_TCP_CONNECTING) {
		unat_tcp_connected(t);
	} else if (sk->sk_state == TCP_CLOSE) {
		if (t->state == UNAT_TCP_CONNECTING)
			unat_tcp_connect_failed(t, err);
		else if (err)
			unat_tcp_reset_guest(t);
	}
	unat_tcp_push(t);
	unat_tcp_check_done(t);
out:
	rcu_read_unlock();
	local_bh_enable();
}

/* sk_data_ready: the remote sent data, or its FIN. */
static void unat_tcp_data_ready(struct sock *sk)
{
	struct unat_tcp *t;

	local_bh_disable();
	rcu_read_lock();
	t = unat_tcp_of(sk);
	if (t) {
		unat_tcp_push(t);
		unat_tcp_check_done(t);
	}
	rcu_read_unlock();
	local_bh_enable();
}

/*
 * sk_write_space: the remote ACKed, send space freed.  Tell the guest
 * when its window was nearly shut or at least doubles.
 */
static void unat_tcp_write_space(struct sock *sk)
{
	struct unat_tcp *t;
	u32 old, space;

	local_bh_disable();
	rcu_read_lock();
	t = unat_tcp_of(sk);
	if (t && t->state == UNAT_TCP_ESTABLISHED && !t->guest_fin) {
		old = t->rcv_adv - t->rcv_nxt;
		space = unat_tcp_offer(sk);
		if (space > old &&
		    (old < 2U * unat_tcp_in_mss(t) || space >= 2 * old))
			unat_tcp_send_ack(t);
	}
	rcu_read_unlock();
	local_bh_enable();
}

/* Where the flow's connect goes: the remote, the host, or the resolver. */
static bool unat_tcp_dst(struct unat_flow *flow, struct sockaddr_storage *ss,
			 int *salen)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	/* over TCP the first upstream: the guest's resolver retries */
	if (flow->key.kind == UNAT_FLOW_KIND_DNS)
		return unat_dns_upstream(flow->unat, 0, ss, salen);
	memset(ss, 0, sizeof(*ss));
	if (flow->key.family == AF_INET6) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = flow->dst.v6;
		sin6->sin6_port = flow->dst_port;
		*salen = sizeof(*sin6);
		return true;
	}
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = flow->dst.v4;
	sin->sin_port = flow->dst_port;
	*salen = sizeof(*sin);
	return true;
}

static void unat_tcp_set_callbacks(struct sock *sk)
{
	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_state_change = unat_tcp_state_change;
	sk->sk_write_space = unat_tcp_write_space;
	write_unlock_bh(&sk->sk_callback_lock);
	/* the transmit path and softirq send through it */
	sk->sk_allocation = GFP_ATOMIC;
	sk->sk_use_task_frag = false;
	tcp_sock_set_nodelay(sk);
}

/*
 * unat_wq: make the host socket and start its connect.  A failure is
 * reported to the guest as the connect's would be.
 */
static int unat_tcp_open(struct unat_flow *flow)
{
	struct unat_tcp *t = flow->tcp;
	struct sockaddr_storage ss;
	struct socket *sock;
	int salen, err;

	if (!unat_tcp_dst(flow, &ss, &salen))
		return -EDESTADDRREQ;
	err = unat_sock_create(flow, ss.ss_family, SOCK_STREAM, IPPROTO_TCP,
			       unat_tcp_data_ready, &sock);
	if (err)
		return err;
	unat_tcp_set_callbacks(sock->sk);
	tcp_sock_set_syncnt(sock->sk, UNAT_TCP_SYNCNT);
	t->sk = sock->sk;
	/* the guest's ACK of our SYN-ACK may come inside kernel_connect() */
	WRITE_ONCE(t->work_owns, true);
	unat_flow_opened(flow, sock);
	/* a remote that is the host itself, with hostloop off: refused */
	if (!unat_sock_local_ok(flow, unat_sock_addr_local(sock_net(sock->sk),
							   &ss))) {
		err = -ECONNREFUSED;
	} else if (unat_sock_addr_unat(sock_net(sock->sk), &ss)) {
		/* routed back into a guest's link: a loop of connects */
		unat_stats_inc(flow->unat->stats, UNAT_STAT_DROP_NO_ROUTE);
		err = -ENETUNREACH;
	} else {
		err = kernel_connect(sock, (struct sockaddr *)&ss, salen,
				     O_NONBLOCK);
	}
	if (err && err != -EINPROGRESS) {
		lock_sock(t->sk);
		local_bh_disable();
		rcu_read_lock();
		if (t->state == UNAT_TCP_CONNECTING)
			unat_tcp_connect_failed(t, -err);
		rcu_read_unlock();
		local_bh_enable();
		release_sock(t->sk);
	}
	return 0;
}

/* unat_wq: a forward's accepted connection @sk takes our callbacks. */
void unat_tcp_claim(struct sock *sk)
{
	/*
	 * The connection was cloned from the listener with its user data
	 * (the forward's port) and data_ready: it must not keep them, the
	 * forward may go before the flow is made.  Our callbacks find no
	 * flow until the adoption.
	 */
	write_lock_bh(&sk->sk_callback_lock);
	rcu_assign_sk_user_data(sk, NULL);
	sk->sk_data_ready = unat_tcp_data_ready;
	write_unlock_bh(&sk->sk_callback_lock);
	unat_tcp_set_callbacks(sk);
}

/* @t (zeroed) becomes a forward's @flow's TCP side, our SYN to send. */
static void unat_tcp_init_out(struct unat_tcp *t, struct unat_flow *flow,
			      struct sock *sk)
{
	unat_tcp_init(t, flow);
	t->state = UNAT_TCP_SYN_OUT;
	t->rcv_wscale = UNAT_TCP_WSCALE;	/* offered */
	t->mss = unat_tcp_guest_mss(flow, 0);
	t->snd_una = t->iss;
	t->snd_nxt = t->iss + 1;
	t->sk = sk;
	unat_tcp_note_host_addr(flow, sk);
	flow->host_port = inet_sk(sk)->inet_sport;
	flow->tcp = t;
}

/*
 * A forward's accept work, BH off and in the RCU section in which it made
 * @flow: @t (zeroed) becomes its TCP side, the client's connection @sock
 * the flow's host socket (its callbacks already set: unat_tcp_claim())
 * and the guest gets our SYN.  No teardown of the flow can overlap this:
 * it waits for RCU readers after unlinking.
 */
void unat_tcp_adopt(struct unat_flow *flow, struct unat_tcp *t,
		    struct socket *sock)
{
	struct sock *sk = sock->sk;

	unat_tcp_init_out(t, flow, sk);
	write_lock_bh(&sk->sk_callback_lock);
	rcu_assign_sk_user_data(sk, flow);
	write_unlock_bh(&sk->sk_callback_lock);
	unat_flow_opened(flow, sock);

	bh_lock_sock(sk);	/* no one owns it: it was just accepted */
	if (sk->sk_state == TCP_CLOSE) {
		unat_tcp_expire(t);	/* the client is gone already */
	} else {
		unat_tcp_send_flags(t, t->iss, TCPHDR_SYN);
		unat_tcp_arm(t);
	}
	bh_unlock_sock(sk);
}

/* The guest segments in the flow's backlog; the socket's lock is held. */
static void unat_tcp_run_backlog(struct unat_tcp *t)
{
	struct sk_buff *skb;

	lockdep_assert(lockdep_sock_is_held(t->sk));
	while ((skb = unat_flow_dequeue(t->flow->unat->flows, &t->backlog)))
		unat_tcp_segment(t, skb);
}

/*
 * unat_wq, the work's last use of the socket over: the segments that found
 * it owned meanwhile, which queued no work (@work_owns), run now under the
 * spinlock, as they would have on arrival.  Another owner (the flow's
 * release) gets them later, from the work queued here.
 */
static void unat_tcp_work_done(struct unat_tcp *t)
{
	struct sock *sk = t->sk;

	local_bh_disable();
	rcu_read_lock();
	bh_lock_sock(sk);
	t->work_owns = false;
	if (!sock_owned_by_user(sk))
		unat_tcp_run_backlog(t);
	else if (!skb_queue_empty(&t->backlog))
		queue_work(unat_wq, &t->flow->open_work);
	bh_unlock_sock(sk);
	rcu_read_unlock();
	local_bh_enable();
}

/* unat_wq: what waited while the socket was owned. */
static void unat_tcp_work(struct unat_flow *flow)
{
	struct unat_tcp *t = flow->tcp;
	int err;

	if (!t->sk) {
		err = unat_tcp_open(flow);
		if (err) {
			local_bh_disable();
			rcu_read_lock();
			unat_tcp_reset_guest(t);
			rcu_read_unlock();
			local_bh_enable();
			unat_flow_failed(flow);
		}
		if (t->sk)
			unat_tcp_work_done(t);
		return;
	}
	WRITE_ONCE(t->work_owns, true);
	if (test_and_clear_bit(UNAT_TCP_EV_ABORT, &t->events) && !t->dead)
		tcp_abort(t->sk, ECONNRESET);
	lock_sock(t->sk);
	local_bh_disable();
	rcu_read_lock();
	unat_tcp_run_backlog(t);
	if (test_and_clear_bit(UNAT_TCP_EV_TIMER, &t->events))
		unat_tcp_on_timer(t);
	rcu_read_unlock();
	local_bh_enable();
	release_sock(t->sk);
	unat_tcp_work_done(t);
}

/*
 * Process context, the flow unlinked and its lookups over.  A flow that did
 * not finish cleanly is reset on both sides: RST to the guest, and a
 * zero-linger close that sends RST and leaves no TIME_WAIT.
 */
static void unat_tcp_release(struct unat_flow *flow)
{
	struct unat_tcp *t = flow->tcp;
	struct sock *sk;
	bool clean;

	if (!t)
		return;
	sk = t->sk;
	if (sk) {
		lock_sock(sk);
		local_bh_disable();
		rcu_read_lock();
		unat_tcp_reset_guest(t);
		t->dead = true;
		clean = t->guest_fin && t->fin_acked;
		rcu_read_unlock();
		local_bh_enable();
		release_sock(sk);
		timer_delete_sync(&t->timer);
		cancel_work_sync(&flow->open_work);
		if (!clean)
			sock_no_linger(sk);
		unat_sock_close(flow->sock);
		flow->sock = NULL;
	}
	unat_flow_purge(flow->unat->flows, &t->backlog);
	unat_tcp_connect_done(t);
	flow->tcp = NULL;
	kfree(t);
}

/* For flow dumps, without the socket's lock: a snapshot. */
static u8 unat_tcp_dump_state(const struct unat_flow *flow)
{
	const struct unat_tcp *t = READ_ONCE(flow->tcp);
	bool in, out;

	if (!t)
		return UNAT_FLOW_TCP_CLOSED;
	switch (READ_ONCE(t->state)) {
	case UNAT_TCP_CONNECTING:
		return UNAT_FLOW_TCP_CONNECTING;
	case UNAT_TCP_SYN_SENT:
		return UNAT_FLOW_TCP_SYN_SENT;
	case UNAT_TCP_SYN_OUT:
		return UNAT_FLOW_TCP_SYN_OUT;
	case UNAT_TCP_ESTABLISHED:
		in = READ_ONCE(t->guest_fin);
		out = READ_ONCE(t->fin_sent);
		if (in && out)
			return UNAT_FLOW_TCP_CLOSING;
		if (in)
			return UNAT_FLOW_TCP_FIN_IN;
		return out ? UNAT_FLOW_TCP_FIN_OUT : UNAT_FLOW_TCP_ESTABLISHED;
	default:
		return UNAT_FLOW_TCP_CLOSED;
	}
}

const struct unat_flow_ops unat_tcp_flow_ops = {
	.work		= unat_tcp_work,
	.release	= unat_tcp_release,
	.dump_state	= unat_tcp_dump_state,
	.own_port	= true,
};
