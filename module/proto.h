/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The protocols that carry flows through the host, and their policy.
 */
#ifndef _UNAT_PROTO_H
#define _UNAT_PROTO_H

#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/timer.h>

#include "types.h"

/* policy.c */

struct unat_config;

enum unat_stat unat_ipv4_outbound(const struct unat_ctx *ctx,
				  struct sk_buff *skb,
				  const struct unat_ip4 *ip, bool *to_host,
				  struct sk_buff **reply);
bool unat_ipv6_remote_ok(const struct unat_config *cfg,
			 const struct in6_addr *addr);
enum unat_stat unat_ipv6_outbound(const struct unat_ctx *ctx,
				  struct sk_buff *skb,
				  const struct unat_ip6 *ip, bool to_host,
				  struct sk_buff **reply);

/* udp.c */

struct unat_flow;
struct unat_flow_ops;
union unat_addr;

enum unat_stat unat_udp_input(const struct unat_ctx *ctx, struct sk_buff *skb,
			      const struct unat_ip4 *ip, struct sk_buff **reply);
enum unat_stat unat_udp_input6(const struct unat_ctx *ctx,
			       struct sk_buff *skb,
			       const struct unat_ip6 *ip,
			       struct sk_buff **reply);
int unat_udp_open(struct unat_flow *flow);
void unat_udp_send(struct unat_flow *flow, struct sk_buff *skb);
void unat_udp_release(struct unat_flow *flow);
extern const struct unat_flow_ops unat_udp_flow_ops;
void unat_udp_deliver(struct unat_flow *flow, struct sk_buff *skb,
		      const union unat_addr *saddr, __be16 sport);

/* TCP: tcp.c, tcp_parse.c, tcp_out.c, tcp_input.c, tcp_host.c */

struct sock;
struct socket;
struct unat_flow;
struct unat_flow_key;
struct unat_flow_ops;

/*
 * The guest's side of a TCP flow: unat plays the remote end toward the
 * guest, while the host socket plays the guest toward the remote.
 */
enum unat_tcp_state {
	UNAT_TCP_CONNECTING,	/* guest SYN seen, host connect under way */
	UNAT_TCP_SYN_SENT,	/* SYN-ACK sent to the guest */
	UNAT_TCP_ESTABLISHED,	/* data both ways; FINs in the flags */
	UNAT_TCP_CLOSED,	/* done or reset; waiting for the reaper */
	UNAT_TCP_SYN_OUT,	/* forward: our SYN sent, the guest's awaited */
};

/* Deferred work, set while another context owns the host socket. */
enum {
	UNAT_TCP_EV_TIMER,
	UNAT_TCP_EV_ABORT,
};

/*
 * A TCP flow.  Everything below @sk is serialized by the host socket's
 * lock, exactly as TCP serializes the socket itself: either its spinlock
 * is held while no one owns it (transmit path, softirq callbacks, timer),
 * or a process context owns it (unat_wq, or anyone inside release_sock()).
 * Guest segments that find the socket owned wait in @backlog.
 */
struct unat_tcp {
	struct unat_flow *flow;
	struct sock *sk;		/* set once, before the flow is OPEN */
	struct sk_buff_head backlog;	/* own lock; UNAT_TCP_BACKLOG_MAX */
	struct timer_list timer;	/* retransmission and probes */
	unsigned long events;		/* UNAT_TCP_EV_*; atomic bitops */
	struct list_head connect_node;	/* a guest connect not established:
					 * on the table's connects or answered,
					 * under its connect_lock; else empty
					 */

	u32 iss;		/* our initial sequence toward the guest */
	u32 irs;		/* the guest's initial sequence */
	u32 snd_una;		/* oldest byte the guest has not ACKed */
	u32 snd_nxt;		/* next byte to send to the guest */
	u32 snd_wnd;		/* the guest's window, in bytes */
	u32 rcv_nxt;		/* next byte expected from the guest */
	u32 rcv_adv;		/* right edge of the window we advertised */
	u16 mss;		/* segment size toward the guest */
	u8 snd_wscale;		/* the guest's window shift */
	u8 rcv_wscale;		/* ours; 0 if the guest offered none */
	u8 state;		/* enum unat_tcp_state; READ_ONCE for dumps */
	u8 dupacks;
	u8 retries;
	bool guest_fin;		/* the guest's FIN taken: host shut down */
	bool fin_sent;		/* our FIN went to the guest once */
	bool fin_acked;		/* the guest ACKed our FIN */
	bool dead;		/* the flow is being destroyed: no timers */
	bool work_owns;		/* the flow's work owns the socket, or is
				 * about to: segments finding it owned wait
				 * for that work to run them after its
				 * release_sock(), queue no other run of it;
				 * set by the work, cleared under the
				 * socket's spinlock (unat_tcp_work_done())
				 */
	unsigned long rto;	/* jiffies */
};

#define UNAT_TCP_BACKLOG_MAX	256
#define UNAT_TCP_CONNECT_TIME	(180 * HZ)	/* flow timeout, connecting */

/* What the transmit path learnt from a guest TCP header. */
struct unat_tcp_seg {
	u32 seq;
	u32 ack;
	u16 window;		/* unscaled */
	u8 flags;		/* TCPHDR_* */
	u8 doff;		/* header length, bytes */
	unsigned int thoff;	/* header's offset from skb->data */
	unsigned int len;	/* payload length */
	/* options, SYN only */
	u16 mss;		/* 0: none */
	u8 wscale;		/* 0xff: none */
};

static inline struct unat_tcp_seg *unat_tcp_seg_cb(struct sk_buff *skb)
{
	BUILD_BUG_ON(sizeof(struct unat_tcp_seg) > sizeof(skb->cb));
	return (struct unat_tcp_seg *)skb->cb;
}

/* What an ACK from the guest does (unat_tcp_ack_check()). */
enum unat_tcp_ack_verdict {
	UNAT_TCP_ACK_OLD,	/* nothing new: an old or window-only ACK */
	UNAT_TCP_ACK_ALL,	/* all sent was ACKed already: the guest lives */
	UNAT_TCP_ACK_NEW,	/* acknowledges bytes in flight */
	UNAT_TCP_ACK_DUP,	/* a duplicate while bytes are in flight */
	UNAT_TCP_ACK_AHEAD,	/* acknowledges what was never sent */
};

/* What a reset from the guest does (RFC 5961 3.2). */
enum unat_tcp_rst_verdict {
	UNAT_TCP_RST_IGNORE,	/* outside the window, or no connection */
	UNAT_TCP_RST_CHALLENGE,	/* in the window, not exact: ACK instead */
	UNAT_TCP_RST_ACCEPT,
};

/* tcp_parse.c: pure helpers, covered by KUnit */
enum unat_tcp_ack_verdict unat_tcp_ack_check(u32 snd_una, u32 snd_nxt,
					     const struct unat_tcp_seg *seg);
enum unat_tcp_rst_verdict unat_tcp_rst_check(u8 state, u32 rcv_nxt,
					     u32 rcv_adv, u32 seq);
u32 unat_tcp_sendable(u32 snd_una, u32 snd_nxt, u32 snd_wnd, u32 end);
bool unat_tcp_fin_due(bool host_fin, bool fin_acked, u32 snd_nxt, u32 end);
u32 unat_tcp_acked_data(u32 acked, u32 unread, bool *fin);
int unat_tcp_parse(struct sk_buff *skb, const struct unat_ip4 *ip,
		   struct unat_tcp_seg *seg);
int unat_tcp_parse6(struct sk_buff *skb, const struct unat_ip6 *ip,
		    struct unat_tcp_seg *seg);
unsigned int unat_tcp_trim(u32 rcv_nxt, const struct unat_tcp_seg *seg,
			   bool *dup);
u32 unat_tcp_window(u32 rcv_nxt, u32 *rcv_adv, u32 space, u8 wscale);
u16 unat_tcp_mss(u16 offered, unsigned int mtu);

/* tcp_out.c: frames to the guest */
struct sk_buff *unat_tcp_frame(unsigned int optlen, unsigned int datalen);
void unat_tcp_finish(struct sk_buff *skb, const struct unat_flow_key *key,
		     u32 seq, u32 ack, u8 flags, u16 window,
		     unsigned int optlen, u16 mss, u8 wscale);
int unat_tcp_ref_data(struct sk_buff *to, struct sock *sk, u32 off,
		      unsigned int len);
struct sk_buff *unat_tcp_rst_for(const struct unat_flow_key *key,
				 const struct unat_tcp_seg *seg);

/* tcp_input.c: segments from the guest's IP layer */
enum unat_stat unat_tcp_input(const struct unat_ctx *ctx, struct sk_buff *skb,
			      const struct unat_ip4 *ip, struct sk_buff **reply);
enum unat_stat unat_tcp_input6(const struct unat_ctx *ctx, struct sk_buff *skb,
			       const struct unat_ip6 *ip,
			       struct sk_buff **reply);

/* tcp_host.c: the host socket, the flow's work, a forward's adoption */
void unat_tcp_claim(struct sock *sk);
void unat_tcp_adopt(struct unat_flow *flow, struct unat_tcp *t,
		    struct socket *sock);
extern const struct unat_flow_ops unat_tcp_flow_ops;

/* ping.c */

struct unat_flow;

#define UNAT_PING_TIMEOUT	(60 * HZ)

enum unat_stat unat_ping_input(const struct unat_ctx *ctx, struct sk_buff *skb,
			       const struct unat_ip4 *ip,
			       struct sk_buff **reply);
struct net;
void unat_ping_open(struct unat_flow *flow,
		    void (*rcv)(struct net *net, struct sk_buff *skb));
void unat_ping_release(struct unat_flow *flow);

/* ping6.c */

struct unat_flow;

enum unat_stat unat_ping6_input(const struct unat_ctx *ctx,
				struct sk_buff *skb,
				const struct unat_ip6 *ip,
				struct sk_buff **reply);

#endif /* _UNAT_PROTO_H */
