/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TCP engine's insides, shared by its files and by no other: tcp.c
 * (the engine), tcp_host.c (the host socket) and tcp_input.c (segments
 * from the guest's IP layer).  The rest of the module goes through proto.h.
 */
#ifndef _UNAT_TCP_ENGINE_H
#define _UNAT_TCP_ENGINE_H

#include "proto.h"

#define UNAT_TCP_WSCALE		7

/* tcp.c: a flow's TCP side before anyone else sees it; sizes; any context */
void unat_tcp_init(struct unat_tcp *t, struct unat_flow *flow);
unsigned int unat_tcp_mtu(const struct unat_flow_key *key,
			  unsigned int mtu);
u16 unat_tcp_guest_mss(const struct unat_flow *flow, u16 offered);
u16 unat_tcp_in_mss(struct unat_tcp *t);
u32 unat_tcp_offer(const struct sock *sk);
void unat_tcp_connect_done(struct unat_tcp *t);

/* tcp.c: the engine; BH off, RCU, serialized as struct unat_tcp says */
void unat_tcp_expire(struct unat_tcp *t);
void unat_tcp_send_flags(struct unat_tcp *t, u32 seq, u8 flags);
void unat_tcp_send_ack(struct unat_tcp *t);
void unat_tcp_arm(struct unat_tcp *t);
void unat_tcp_reset_guest(struct unat_tcp *t);
void unat_tcp_push(struct unat_tcp *t);
void unat_tcp_check_done(struct unat_tcp *t);
void unat_tcp_segment(struct unat_tcp *t, struct sk_buff *skb);
void unat_tcp_on_timer(struct unat_tcp *t);

#endif /* _UNAT_TCP_ENGINE_H */
