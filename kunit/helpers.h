/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_KUNIT_HELPERS_H
#define _UNAT_KUNIT_HELPERS_H

#include <kunit/test.h>
#include <linux/skbuff.h>

#include "types.h"

struct unat_dev;

/* A real unat device in init_net, and its counters as a case began. */
struct unat_test_dev {
	struct net_device *dev;
	struct unat_dev *unat;
	u64 base[UNAT_STAT_MAX];
};

/* A device's state without the device: what the frame handlers see. */
struct unat_test_env {
	struct unat_config *cfg;
	struct unat_guest guest;
	struct unat_ctx ctx;
};

extern struct kunit_suite unat_config_suite;
extern struct kunit_suite unat_dnsname_suite;
extern struct kunit_suite unat_arp_suite;
extern struct kunit_suite unat_ipv4_suite;
extern struct kunit_suite unat_dhcp_suite;
extern struct kunit_suite unat_flow_suite;
extern struct kunit_suite unat_tcp_suite;
extern struct kunit_suite unat_fwd_suite;
extern struct kunit_suite unat_ipv6_suite;
extern struct kunit_suite unat_frag_suite;
extern struct kunit_suite unat_ping_suite;
extern struct kunit_suite unat_netlink_suite;
extern struct kunit_suite unat_fuzz_suite;

extern const u8 unat_test_guest_mac[ETH_ALEN];
extern const u8 unat_test_other_mac[ETH_ALEN];

struct unat_test_env *unat_test_env(struct kunit *test);
struct unat_test_dev *unat_test_dev(struct kunit *test, bool up);
void unat_test_dev_delete(struct kunit *test, struct unat_test_dev *td);
void unat_test_dev_mark(struct unat_test_dev *td);
u64 unat_test_dev_count(struct unat_test_dev *td, enum unat_stat s);
void unat_test_dev_xmit(struct unat_test_dev *td, struct sk_buff *skb);
struct in6_addr unat_test_addr6(const char *s);
struct sk_buff *unat_test_skb(struct kunit *test, const void *data,
			      unsigned int len);
struct sk_buff *unat_test_skb_paged(struct kunit *test, const void *data,
				    unsigned int len, unsigned int linear);
enum unat_stat unat_test_input(struct unat_test_env *env, struct sk_buff *skb,
			       struct sk_buff **reply);
void unat_test_own(struct kunit *test, struct sk_buff *skb);

unsigned int unat_test_eth(u8 *buf, const u8 *dst, const u8 *src, u16 proto);
unsigned int unat_test_ipv4(u8 *buf, __be32 saddr, __be32 daddr, u8 proto,
			    unsigned int l4len);
void unat_test_partial(struct sk_buff *skb, int start, unsigned int off);
struct sk_buff *unat_test_uso(struct kunit *test, unsigned int paylen,
			      unsigned int mss);
unsigned int unat_test_udp(u8 *buf, __be32 saddr, __be32 daddr, u16 sport,
			   u16 dport, unsigned int paylen);

#endif /* _UNAT_KUNIT_HELPERS_H */
