// SPDX-License-Identifier: GPL-2.0
/*
 * unat_fuzz: a hostile guest.  Valid frames of every kind unat parses,
 * built from a seeded PRNG, mutated (bits, interesting bytes, length
 * fields, truncation, extension), mostly re-checksummed so that they reach
 * the deep parsers, and handed to a real device in init_net as linear,
 * paged and frag_list skbs, some with checksum or GSO metadata.  Flows and
 * their sockets are real: the gateway's address reaches listeners that
 * this suite keeps on the host's loopback, other remotes are in the
 * documentation ranges, which the test VM has no route to.
 *
 * unat_test.ko fuzz_seed=N repeats a run (0: a random seed, printed);
 * fuzz_frames=N sets its length.  Splats are the VM harness's to catch;
 * here the device must still answer, stay within its flow limit and leave
 * no flow behind.
 */
#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/if_arp.h>
#include <linux/in6.h>
#include <linux/inet.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/random.h>
#include <linux/rtnetlink.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/addrconf.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>
#include <net/ndisc.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "device.h"
#include "flow.h"
#include "helpers.h"

static unsigned long fuzz_seed;
module_param(fuzz_seed, ulong, 0444);
MODULE_PARM_DESC(fuzz_seed, "unat_fuzz: PRNG seed (0: pick one and print it)");

static unsigned int fuzz_frames = 20000;
module_param(fuzz_frames, uint, 0444);
MODULE_PARM_DESC(fuzz_frames, "unat_fuzz: number of frames to feed");

#define UF_MAX		2048		/* the largest frame built */
#define UF_FIELDS	24		/* length fields remembered per frame */
#define UF_PORTS	8		/* guest TCP ports whose peer is tracked */
#define UF_GPORT	40000		/* the first of them */
#define UF_HOST_PORT	47011		/* listeners on the host's loopback */
#define UF_ACCEPTED	16		/* accepted connections kept open */
#define UF_DRAIN	32		/* frames between drains of the host end */
#define UF_MAX_FRAGS	24
#define UF_CHUNK	20000U		/* frames per case */
#define UF_CHUNKS_MAX	1024

/* The run, over all its chunks. */
static u64 uf_seed;
static u64 uf_total[UNAT_STAT_MAX];
static u64 uf_total_frames, uf_total_ns;
static const u8 uf_chunk_ids[UF_CHUNKS_MAX];	/* one address per chunk */

/* A length (or count) field of the frame: where, and 1 or 2 bytes. */
struct uf_field {
	u16 off;
	u8 size;
};

/* What the guest knows of a TCP connection from unat's segments to it. */
struct uf_peer {
	u32 seq;			/* unat's next sequence number */
	u32 ack;			/* the guest's, as unat acknowledged */
	bool known;
};

struct uf_env {
	struct kunit *test;
	struct unat_test_dev *td;
	const struct unat_config *cfg;
	u64 rng;
	u64 base[UNAT_STAT_MAX];

	/* the frame being built, and its layout */
	u8 *buf;
	unsigned int len;
	u8 l3;				/* 0, 4 or 6 */
	bool frag;			/* no transport checksum to redo */
	u8 l4proto;
	unsigned int l4off;
	unsigned int nh_off;		/* IPv6: the next-header byte to set */
	unsigned int mutate;		/* percent of frames mutated */
	unsigned int nfields;
	struct uf_field fields[UF_FIELDS];
	u8 smac[ETH_ALEN];

	u8 *dg;				/* a datagram to fragment */
	u8 *rx;				/* drained host data */
	struct in6_addr ll6;		/* the guest's link-local address */
	unsigned int sent;
	u16 ip_id;
	u32 frag_id;

	struct socket *tcp4, *tcp6, *udp4, *udp6;
	struct socket *accepted[UF_ACCEPTED];
	unsigned int acc_next;

	struct packet_type pt;
	struct uf_peer peers[2][UF_PORTS];
	atomic_t rx_frames;
};

/* ------------------------------------------------------------ PRNG -- */

/* splitmix64: small, fast, and the same on every run from one seed */
static u64 uf_next(struct uf_env *e)
{
	u64 z = (e->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u32 uf_below(struct uf_env *e, u32 n)
{
	return ((uf_next(e) >> 32) * n) >> 32;
}

static bool uf_chance(struct uf_env *e, u32 pct)
{
	return uf_below(e, 100) < pct;
}

static void uf_fill(struct uf_env *e, u8 *p, unsigned int n)
{
	while (n--)
		*p++ = uf_next(e);
}

/* ------------------------------------------------------ frame bytes -- */

static void uf_put16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void uf_put32(u8 *p, u32 v)
{
	uf_put16(p, v >> 16);
	uf_put16(p + 2, v);
}

static u16 uf_get16(const u8 *p)
{
	return p[0] << 8 | p[1];
}

static u32 uf_get32(const u8 *p)
{
	return (u32)uf_get16(p) << 16 | uf_get16(p + 2);
}

/*
 * @n bytes appended at the end of the frame, zeroed; past UF_MAX, a
 * scratch area that the frame does not take.
 */
static u8 *uf_room(struct uf_env *e, unsigned int n)
{
	u8 *p;

	if (e->len + n > UF_MAX)
		return memset(e->rx, 0, UF_MAX);
	p = e->buf + e->len;
	memset(p, 0, n);
	e->len += n;
	return p;
}

static void uf_bytes(struct uf_env *e, const void *data, unsigned int n)
{
	memcpy(uf_room(e, n), data, n);
}

static void uf_random(struct uf_env *e, unsigned int n)
{
	uf_fill(e, uf_room(e, n), n);
}

static void uf_field(struct uf_env *e, unsigned int off, u8 size)
{
	if (e->nfields < UF_FIELDS) {
		e->fields[e->nfields].off = off;
		e->fields[e->nfields].size = size;
		e->nfields++;
	}
}

/* -------------------------------------------------------- addresses -- */

static void uf_random_mac(struct uf_env *e, u8 *mac)
{
	uf_fill(e, mac, ETH_ALEN);
	mac[0] &= 0xfe;
	mac[0] |= 0x02;
}

/* Mostly the guest's MAC; some spoofed, a few invalid. */
static void uf_pick_mac(struct uf_env *e)
{
	u32 r = uf_below(e, 100);

	if (r < 90)
		ether_addr_copy(e->smac, unat_test_guest_mac);
	else if (r < 97)
		uf_random_mac(e, e->smac);
	else if (r < 99)
		eth_zero_addr(e->smac);
	else
		eth_broadcast_addr(e->smac);
}

static __be32 uf_src4(struct uf_env *e)
{
	u32 r = uf_below(e, 100);

	if (r < 90)
		return e->cfg->guest;
	if (r < 93)
		return e->cfg->subnet | htonl(uf_below(e, 256));
	if (r < 95)
		return 0;
	if (r < 97)
		return htonl(INADDR_LOOPBACK);
	return (__force __be32)(u32)uf_next(e);
}

/* A remote: the documentation range, or the gateway (the host). */
static __be32 uf_dst4(struct uf_env *e)
{
	u32 r = uf_below(e, 100);

	if (r < 50)
		return htonl(0xcb007100 | (1 + uf_below(e, 254)));
	if (r < 85)
		return e->cfg->gateway;
	if (r < 90)
		return e->cfg->dns;
	if (r < 93)
		return htonl(0xc6336400 | uf_below(e, 256));	/* 198.51.100/24 */
	if (r < 96)
		return e->cfg->subnet | htonl(uf_below(e, 256));
	return (__force __be32)(u32)uf_next(e);
}

static void uf_src6(struct uf_env *e, struct in6_addr *a)
{
	u32 r = uf_below(e, 100);

	if (r < 60) {
		*a = e->cfg->guest6;
	} else if (r < 85) {
		*a = e->cfg->prefix6;
		a->s6_addr32[3] = htonl(0xaa + uf_below(e, 4));
	} else if (r < 93) {
		*a = e->ll6;
	} else if (r < 96) {
		memset(a, 0, sizeof(*a));
	} else {
		uf_fill(e, a->s6_addr, sizeof(*a));
	}
}

static void uf_dst6(struct uf_env *e, struct in6_addr *a)
{
	u32 r = uf_below(e, 100);

	if (r < 50) {
		*a = unat_test_addr6("2001:db8::");
		a->s6_addr32[2] = htonl(uf_below(e, 4));
		a->s6_addr32[3] = htonl(1 + uf_below(e, 64));
	} else if (r < 85) {
		*a = e->cfg->gateway6;
	} else if (r < 90) {
		*a = e->cfg->dns6;
	} else if (r < 95) {
		*a = e->cfg->gateway6_ll;
	} else {
		uf_fill(e, a->s6_addr, sizeof(*a));
	}
}

static u16 uf_port(struct uf_env *e)
{
	u32 r = uf_below(e, 100);

	if (r < 60)
		return UF_HOST_PORT;
	if (r < 75)
		return UF_HOST_PORT + 1 + uf_below(e, 3);	/* closed */
	if (r < 85)
		return 53;
	return uf_next(e);
}

/* -------------------------------------------------------- L2 and L3 -- */

static void uf_begin(struct uf_env *e, const u8 *dst, u16 proto)
{
	e->len = 0;
	e->l3 = 0;
	e->frag = false;
	e->l4proto = 0;
	e->l4off = 0;
	e->nfields = 0;
	e->mutate = 85;
	uf_pick_mac(e);
	e->len = unat_test_eth(e->buf, dst, e->smac, proto);
}

static const u8 uf_bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* Mostly the gateway; some frames for another host, or broadcast. */
static const u8 *uf_gw_mac(struct uf_env *e)
{
	u32 r = uf_below(e, 100);

	if (r < 95)
		return e->cfg->gw_mac;
	return r < 98 ? unat_test_other_mac : uf_bcast;
}

/* IPv4 options: NOP, RR, timestamp, router alert, an unknown one. */
static void uf_ip4_opts(struct uf_env *e)
{
	unsigned int start = e->len, n = 1 + uf_below(e, 4);
	u8 *p;

	while (n-- && e->len - start < 28) {
		switch (uf_below(e, 5)) {
		case 0:
			uf_bytes(e, "\x01", 1);
			break;
		case 1:
			p = uf_room(e, 7);
			p[0] = IPOPT_RR;
			p[1] = 7;
			p[2] = 4;
			uf_field(e, p + 1 - e->buf, 1);
			break;
		case 2:
			p = uf_room(e, 8);
			p[0] = IPOPT_TS;
			p[1] = 8;
			p[2] = 5;
			uf_field(e, p + 1 - e->buf, 1);
			break;
		case 3:
			uf_bytes(e, "\x94\x04\x00\x00", 4);
			break;
		default:
			p = uf_room(e, 4);
			p[0] = 0x1e + uf_below(e, 4);
			p[1] = 4;
			uf_field(e, p + 1 - e->buf, 1);
			break;
		}
	}
	while ((e->len - start) & 3)
		uf_bytes(e, "\0", 1);
}

static void uf_ip4(struct uf_env *e, __be32 saddr, __be32 daddr, u8 proto)
{
	struct iphdr *iph = (struct iphdr *)(e->buf + ETH_HLEN);

	unat_test_ipv4((u8 *)iph, saddr, daddr, proto, 0);
	e->len = ETH_HLEN + sizeof(*iph);
	e->l3 = 4;
	iph->id = htons(e->ip_id++);
	if (uf_chance(e, 30))
		iph->frag_off = htons(IP_DF);
	if (uf_chance(e, 5))
		iph->ttl = uf_below(e, 3);
	if (uf_chance(e, 15))
		uf_ip4_opts(e);
	iph->ihl = (e->len - ETH_HLEN) / 4;
	uf_field(e, ETH_HLEN, 1);		/* version and ihl */
	uf_field(e, ETH_HLEN + 2, 2);		/* tot_len */
	e->l4off = e->len;
	e->l4proto = proto;
}

static void uf_ip6(struct uf_env *e, const struct in6_addr *saddr,
		   const struct in6_addr *daddr, u8 hop)
{
	struct ipv6hdr *ip6h = (struct ipv6hdr *)(e->buf + ETH_HLEN);

	memset(ip6h, 0, sizeof(*ip6h));
	ip6h->version = 6;
	ip6h->hop_limit = hop;
	ip6h->saddr = *saddr;
	ip6h->daddr = *daddr;
	if (uf_chance(e, 5))
		ip6h->flow_lbl[0] = uf_next(e);
	e->len = ETH_HLEN + sizeof(*ip6h);
	e->l3 = 6;
	e->nh_off = ETH_HLEN + offsetof(struct ipv6hdr, nexthdr);
	uf_field(e, ETH_HLEN + 4, 2);		/* payload_len */
}

/* TLV options of a hop-by-hop or destination options header. */
static void uf_ip6_tlvs(struct uf_env *e, unsigned int start)
{
	unsigned int n = uf_below(e, 4);
	u8 *p;

	while (n-- && e->len - start < 40) {
		switch (uf_below(e, 4)) {
		case 0:
			uf_bytes(e, "\0", 1);		/* Pad1 */
			break;
		case 1:
			p = uf_room(e, 2 + uf_below(e, 6));
			p[0] = IPV6_TLV_PADN;
			p[1] = e->buf + e->len - p - 2;
			uf_field(e, p + 1 - e->buf, 1);
			break;
		case 2:
			uf_bytes(e, "\x05\x02\x00\x00", 4);	/* RA */
			break;
		default:
			p = uf_room(e, 4);
			p[0] = uf_next(e) & 0xdf;	/* unknown, any action */
			p[1] = 2;
			uf_field(e, p + 1 - e->buf, 1);
			break;
		}
	}
	while ((e->len - start) & 7)
		uf_bytes(e, "\0", 1);
	e->buf[start + 1] = (e->len - start) / 8 - 1;
}

/* One extension header of @type at the end, linked into the chain. */
static void uf_ip6_ext(struct uf_env *e, u8 type)
{
	unsigned int start = e->len;
	struct frag_hdr *fh;
	u8 *p;

	e->buf[e->nh_off] = type;
	e->nh_off = start;
	switch (type) {
	case NEXTHDR_FRAGMENT:
		fh = (struct frag_hdr *)uf_room(e, sizeof(*fh));
		fh->identification = htonl(e->frag_id++);
		break;
	case NEXTHDR_ROUTING:
		p = uf_room(e, 8);
		p[2] = uf_below(e, 5);		/* type 0 .. 4 */
		p[3] = uf_below(e, 3) ? 0 : 1;	/* segments left */
		if (uf_chance(e, 50)) {
			uf_random(e, 16);
			p[1] = 2;
		}
		uf_field(e, start + 1, 1);
		break;
	default:
		uf_room(e, 2);
		uf_ip6_tlvs(e, start);
		uf_field(e, start + 1, 1);
		break;
	}
}

static void uf_ip6_chain(struct uf_env *e)
{
	static const u8 types[] = { NEXTHDR_DEST, NEXTHDR_ROUTING,
				    NEXTHDR_FRAGMENT, NEXTHDR_DEST };
	unsigned int n;

	if (!uf_chance(e, 35))
		return;
	if (uf_chance(e, 60))
		uf_ip6_ext(e, NEXTHDR_HOP);
	for (n = uf_below(e, 3); n; n--)
		uf_ip6_ext(e, types[uf_below(e, ARRAY_SIZE(types))]);
}

static void uf_upper(struct uf_env *e, u8 proto)
{
	if (e->l3 == 6)
		e->buf[e->nh_off] = proto;
	e->l4off = e->len;
	e->l4proto = proto;
}

/* ------------------------------------------------------ checksumming -- */

static unsigned int uf_csum_off(u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return offsetof(struct tcphdr, check);
	case IPPROTO_UDP:
		return offsetof(struct udphdr, check);
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		return 2;
	default:
		return 0;
	}
}

static void uf_l4_csum(struct uf_env *e, unsigned int off, unsigned int len)
{
	unsigned int coff = uf_csum_off(e->l4proto);
	const struct iphdr *iph = (void *)(e->buf + ETH_HLEN);
	const struct ipv6hdr *ip6h = (void *)(e->buf + ETH_HLEN);
	u8 *p = e->buf + off;
	__wsum sum;
	__sum16 c;

	if (!coff || len < coff + 2)
		return;
	memset(p + coff, 0, 2);
	sum = csum_partial(p, len, 0);
	if (e->l4proto == IPPROTO_ICMP)
		c = csum_fold(sum);
	else if (e->l3 == 4)
		c = csum_tcpudp_magic(iph->saddr, iph->daddr, len, e->l4proto,
				      sum);
	else
		c = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, len,
				    e->l4proto, sum);
	if (!c && e->l4proto == IPPROTO_UDP)
		c = CSUM_MANGLED_0;
	memcpy(p + coff, &c, 2);
}

/* Checksums as the frame's current headers call for them. */
static void uf_fix4(struct uf_env *e)
{
	struct iphdr *iph = (struct iphdr *)(e->buf + ETH_HLEN);
	unsigned int ihl, tot, off;

	if (e->len < ETH_HLEN + sizeof(*iph))
		return;
	ihl = iph->ihl * 4;
	if (ihl < sizeof(*iph) || ETH_HLEN + ihl > e->len)
		return;
	iph->check = 0;
	iph->check = ip_fast_csum(iph, iph->ihl);
	tot = ntohs(iph->tot_len);
	off = ETH_HLEN + ihl;
	if (e->frag || iph->protocol != e->l4proto || tot < ihl)
		return;
	uf_l4_csum(e, off, min(tot - ihl, e->len - off));
}

static void uf_fix6(struct uf_env *e)
{
	struct ipv6hdr *ip6h = (struct ipv6hdr *)(e->buf + ETH_HLEN);
	unsigned int end;

	if (e->frag || e->len < e->l4off)
		return;
	end = min(ETH_HLEN + sizeof(*ip6h) + ntohs(ip6h->payload_len),
		  (size_t)e->len);
	if (end > e->l4off)
		uf_l4_csum(e, e->l4off, end - e->l4off);
}

static void uf_fix(struct uf_env *e)
{
	if (e->l3 == 4)
		uf_fix4(e);
	else if (e->l3 == 6)
		uf_fix6(e);
}

/* The lengths of a frame as built: IP and UDP cover the rest of it. */
static void uf_lengths(struct uf_env *e)
{
	u8 *ip = e->buf + ETH_HLEN;

	if (e->l3 == 4)
		uf_put16(ip + 2, e->len - ETH_HLEN);
	else if (e->l3 == 6)
		uf_put16(ip + 4, e->len - ETH_HLEN - sizeof(struct ipv6hdr));
	if (e->l3 && !e->frag && e->l4proto == IPPROTO_UDP &&
	    e->l4off + sizeof(struct udphdr) <= e->len)
		uf_put16(e->buf + e->l4off + 4, e->len - e->l4off);
}

/* ---------------------------------------------------------- mutation -- */

static const u8 uf_interesting[] = { 0, 1, 0x7f, 0x80, 0xff, 0x40, 0x3f };

/* An offset to mutate, mostly in the headers. */
static unsigned int uf_off(struct uf_env *e)
{
	unsigned int hdr = min(e->len, max_t(unsigned int, e->l4off, ETH_HLEN) +
				       64);

	if (uf_chance(e, 70))
		return uf_below(e, hdr);
	return uf_below(e, e->len);
}

static void uf_mutate_field(struct uf_env *e)
{
	static const int deltas[] = { -1, 1, -2, 2, -4, 4, -8, 8, -40, 40 };
	const struct uf_field *f = &e->fields[uf_below(e, e->nfields)];
	u8 *p = e->buf + f->off;
	int v;

	if (f->off + f->size > e->len)
		return;
	v = f->size == 2 ? uf_get16(p) : *p;
	switch (uf_below(e, 4)) {
	case 0:
		v = 0;
		break;
	case 1:
		v = uf_next(e);
		break;
	default:
		v += deltas[uf_below(e, ARRAY_SIZE(deltas))];
		break;
	}
	if (f->size == 2)
		uf_put16(p, v);
	else
		*p = v;
}

static void uf_mutate_one(struct uf_env *e)
{
	unsigned int off = uf_off(e);

	switch (uf_below(e, 8)) {
	case 0:
		e->buf[off] ^= 1 << uf_below(e, 8);
		break;
	case 1:
		e->buf[off] = uf_interesting[uf_below(e,
						      sizeof(uf_interesting))];
		break;
	case 2:
	case 3:
		if (e->nfields)
			uf_mutate_field(e);
		else
			e->buf[off] ^= 0x80;
		break;
	case 4:
		e->len = 1 + uf_below(e, e->len);
		break;
	case 5:
		uf_random(e, 1 + uf_below(e, 64));
		break;
	case 6:
		if (off + 1 < e->len)
			uf_put16(e->buf + off, uf_chance(e, 50) ? 0xffff :
				 (u16)uf_next(e));
		break;
	default:
		e->buf[off] = uf_next(e);
		break;
	}
}

static void uf_mutate(struct uf_env *e)
{
	unsigned int n = 1 + uf_below(e, 4);

	while (n-- && e->len)
		uf_mutate_one(e);
}

/* ---------------------------------------------------------- delivery -- */

static struct sk_buff *uf_skb_linear(const u8 *data, unsigned int len)
{
	struct sk_buff *skb = alloc_skb(NET_SKB_PAD + len, GFP_KERNEL);

	if (!skb)
		return NULL;
	skb_reserve(skb, NET_SKB_PAD);
	skb_put_data(skb, data, len);
	return skb;
}

/* @linear bytes in the head, the rest in a page. */
static struct sk_buff *uf_skb_paged(const u8 *data, unsigned int len,
				    unsigned int linear)
{
	struct sk_buff *skb = uf_skb_linear(data, linear);
	struct page *page;

	if (!skb || linear == len)
		return skb;
	page = alloc_page(GFP_KERNEL);
	if (!page) {
		kfree_skb(skb);
		return NULL;
	}
	memcpy(page_address(page), data + linear, len - linear);
	skb_fill_page_desc(skb, 0, page, 0, len - linear);
	skb->len += len - linear;
	skb->data_len += len - linear;
	skb->truesize += PAGE_SIZE;
	return skb;
}

/* @linear bytes in the head, the rest in a second skb on its frag_list. */
static struct sk_buff *uf_skb_fraglist(const u8 *data, unsigned int len,
				       unsigned int linear)
{
	struct sk_buff *skb = uf_skb_linear(data, linear), *tail;

	if (!skb || linear == len)
		return skb;
	tail = uf_skb_linear(data + linear, len - linear);
	if (!tail) {
		kfree_skb(skb);
		return NULL;
	}
	skb_shinfo(skb)->frag_list = tail;
	skb->len += tail->len;
	skb->data_len += tail->len;
	skb->truesize += tail->truesize;
	return skb;
}

/* Checksum and GSO metadata as a virtio-net header may set them. */
static void uf_meta(struct uf_env *e, struct sk_buff *skb, bool gso_ok)
{
	static const unsigned int gso[] = {
		SKB_GSO_TCPV4, SKB_GSO_TCPV6, SKB_GSO_UDP_L4,
		SKB_GSO_TCPV4 | SKB_GSO_TCP_ECN, SKB_GSO_UDP,
	};
	unsigned int start, off;

	skb_reset_mac_header(skb);
	if (skb->len >= ETH_HLEN) {
		skb->protocol = eth_hdr(skb)->h_proto;
		skb_set_network_header(skb, ETH_HLEN);
	}
	if (uf_chance(e, 10)) {
		start = uf_chance(e, 70) ? e->l4off : uf_below(e, skb->len);
		off = uf_chance(e, 70) ? uf_csum_off(e->l4proto) :
					 uf_below(e, 32);
		if (start + off + 2 <= skb_headlen(skb)) {
			skb->ip_summed = CHECKSUM_PARTIAL;
			skb->csum_start = skb_headroom(skb) + start;
			skb->csum_offset = off;
			skb_set_transport_header(skb, start);
		}
	}
	if (gso_ok && skb->len > 60 && uf_chance(e, 5)) {
		skb_shinfo(skb)->gso_type =
			gso[uf_below(e, ARRAY_SIZE(gso))] | SKB_GSO_DODGY;
		skb_shinfo(skb)->gso_size = 1 + uf_below(e, 1500);
		skb_shinfo(skb)->gso_segs = 0;
	}
}

static void uf_deliver(struct uf_env *e)
{
	unsigned int len = e->len, split = uf_below(e, len + 1);
	struct sk_buff *skb;
	u32 r = uf_below(e, 100);

	if (r < 50)
		skb = uf_skb_linear(e->buf, len);
	else if (r < 85)
		skb = uf_skb_paged(e->buf, len, split);
	else
		skb = uf_skb_fraglist(e->buf, len, split);
	if (!skb)
		return;
	/* no sender makes a frag_list super-frame: unat0 has no FRAGLIST */
	uf_meta(e, skb, r < 85);
	unat_test_dev_xmit(e->td, skb);
}

static void uf_drain(struct uf_env *e);

/* The frame built: lengths and checksums set, maybe mutated, sent. */
static void uf_emit(struct uf_env *e)
{
	uf_lengths(e);
	uf_fix(e);
	if (uf_chance(e, e->mutate)) {
		uf_mutate(e);
		if (uf_chance(e, 80))
			uf_fix(e);
	}
	if (!e->len)
		e->len = 1;
	uf_deliver(e);
	if (!(++e->sent % UF_DRAIN))
		uf_drain(e);
}

/* ----------------------------------------------------------- ARP, DHCP -- */

static void uf_arp(struct uf_env *e)
{
	struct arphdr *arp;
	__be32 tip;
	u8 *p;

	uf_begin(e, uf_chance(e, 70) ? uf_bcast :
				      e->cfg->gw_mac, ETH_P_ARP);
	arp = (struct arphdr *)uf_room(e, sizeof(*arp));
	arp->ar_hrd = htons(ARPHRD_ETHER);
	arp->ar_pro = htons(ETH_P_IP);
	arp->ar_hln = ETH_ALEN;
	arp->ar_pln = 4;
	arp->ar_op = htons(uf_chance(e, 85) ? ARPOP_REQUEST : ARPOP_REPLY);
	uf_field(e, ETH_HLEN + 4, 1);
	uf_field(e, ETH_HLEN + 5, 1);
	p = uf_room(e, 20);
	ether_addr_copy(p, e->smac);
	tip = uf_chance(e, 70) ? e->cfg->gateway : uf_dst4(e);
	*(__be32 *)(p + 6) = uf_chance(e, 10) ? 0 : uf_src4(e);
	*(__be32 *)(p + 16) = uf_chance(e, 10) ? e->cfg->dns : tip;
	if (uf_chance(e, 50))
		uf_room(e, 60 - e->len);
	uf_emit(e);
}

static void uf_opt(struct uf_env *e, u8 code, const void *data, u8 len)
{
	u8 *p = uf_room(e, 2 + len);

	p[0] = code;
	p[1] = len;
	if (data)
		memcpy(p + 2, data, len);
	else
		uf_fill(e, p + 2, len);
	uf_field(e, p + 1 - e->buf, 1);
}

static void uf_dhcp_opts(struct uf_env *e)
{
	static const u8 types[] = { 1, 3, 3, 4, 7, 8, 1, 2 };
	u8 t = types[uf_below(e, ARRAY_SIZE(types))], id[7] = { 1 };
	__be32 addr = e->cfg->guest;
	unsigned int n = uf_below(e, 6);
	__be16 max = htons(1500);

	uf_opt(e, 53, &t, 1);
	memcpy(id + 1, e->smac, ETH_ALEN);
	if (uf_chance(e, 70))
		uf_opt(e, 61, id, sizeof(id));
	if (uf_chance(e, 50))
		uf_opt(e, 50, &addr, 4);
	if (uf_chance(e, 40))
		uf_opt(e, 54, &e->cfg->gateway, 4);
	if (uf_chance(e, 40))
		uf_opt(e, 12, "fuzz-guest", 10);
	if (uf_chance(e, 60))
		uf_opt(e, 55, NULL, 1 + uf_below(e, 20));
	if (uf_chance(e, 30))
		uf_opt(e, 57, &max, 2);
	while (n--)
		uf_opt(e, 1 + uf_below(e, 254), NULL, uf_below(e, 12));
	if (uf_chance(e, 20))
		uf_bytes(e, "\0\0\0", 3);		/* pad */
	uf_bytes(e, "\xff", 1);
}

/* DHCPv4: a BOOTP request with options, some overloaded into file/sname. */
static void uf_dhcp(struct uf_env *e)
{
	__be32 daddr = uf_chance(e, 80) ? htonl(INADDR_BROADCAST) :
					  e->cfg->gateway;
	unsigned int boot;
	u8 *b;

	uf_begin(e, daddr == e->cfg->gateway ? e->cfg->gw_mac :
		 uf_bcast, ETH_P_IP);
	uf_ip4(e, uf_chance(e, 70) ? 0 : uf_src4(e), daddr, IPPROTO_UDP);
	uf_put16(uf_room(e, 8), 68);
	uf_put16(e->buf + e->l4off + 2, 67);
	uf_field(e, e->l4off + 4, 2);
	boot = e->len;
	b = uf_room(e, 240);
	b[0] = 1;
	b[1] = 1;
	b[2] = ETH_ALEN;
	uf_fill(e, b + 4, 4);				/* xid */
	if (uf_chance(e, 30))
		uf_put16(b + 10, 0x8000);		/* broadcast */
	if (uf_chance(e, 30))
		memcpy(b + 12, &e->cfg->guest, 4);	/* ciaddr */
	memcpy(b + 28, e->smac, ETH_ALEN);
	uf_field(e, boot + 2, 1);			/* hlen */
	uf_put32(b + 236, 0x63825363);
	if (uf_chance(e, 10)) {
		/* overload: more options in file (and sname) */
		uf_opt(e, 52, NULL, 1);
		e->buf[e->len - 1] = 1 + uf_below(e, 3);
		memcpy(b + 108, "\x35\x01\x01\x0c\x02\x68\x69\xff", 9);
		memcpy(b + 44, "\x0c\x03\x61\x62\x63\xff", 6);
	}
	uf_dhcp_opts(e);
	if (uf_chance(e, 30))
		uf_room(e, uf_below(e, 64));
	uf_emit(e);
}

/* -------------------------------------------------------- UDP and DNS -- */

static void uf_udp_hdr(struct uf_env *e, u16 sport, u16 dport)
{
	u8 *p;

	uf_upper(e, IPPROTO_UDP);
	p = uf_room(e, 8);
	uf_put16(p, sport);
	uf_put16(p + 2, dport);
	uf_field(e, e->l4off + 4, 2);
}

static u16 uf_sport(struct uf_env *e)
{
	return uf_chance(e, 80) ? UF_GPORT + uf_below(e, 16) : uf_next(e);
}

static unsigned int uf_paylen(struct uf_env *e)
{
	u32 r = uf_below(e, 100);

	if (r < 60)
		return uf_below(e, 64);
	if (r < 90)
		return uf_below(e, 512);
	return uf_below(e, 1400);
}

static void uf_udp4(struct uf_env *e)
{
	__be32 daddr = uf_dst4(e);

	uf_begin(e, uf_gw_mac(e), ETH_P_IP);
	uf_ip4(e, uf_src4(e), daddr, IPPROTO_UDP);
	uf_udp_hdr(e, uf_sport(e), uf_port(e));
	uf_random(e, uf_paylen(e));
	uf_emit(e);
}

static void uf_udp6(struct uf_env *e)
{
	struct in6_addr s, d;

	uf_src6(e, &s);
	uf_dst6(e, &d);
	uf_begin(e, uf_gw_mac(e), ETH_P_IPV6);
	uf_ip6(e, &s, &d, uf_chance(e, 95) ? 64 : uf_below(e, 3));
	uf_ip6_chain(e);
	uf_udp_hdr(e, uf_sport(e), uf_port(e));
	uf_random(e, uf_paylen(e));
	uf_emit(e);
}

static const char *const uf_labels[] = {
	"www", "example", "com", "org", "a", "unat", "test", "local",
};

/* A name of a few labels, or a pointer (to the first name, or anywhere). */
static void uf_dns_name(struct uf_env *e, unsigned int msg, bool first)
{
	unsigned int n = 1 + uf_below(e, 4);
	const char *l;
	u8 *p;

	while (n--) {
		if (!first && uf_chance(e, 40)) {
			p = uf_room(e, 2);
			uf_put16(p, 0xc000 | (uf_chance(e, 80) ? 12 :
					      uf_below(e, e->len - msg)));
			uf_field(e, p + 1 - e->buf, 1);
			return;
		}
		l = uf_labels[uf_below(e, ARRAY_SIZE(uf_labels))];
		p = uf_room(e, 1 + strlen(l));
		p[0] = strlen(l);
		memcpy(p + 1, l, p[0]);
		uf_field(e, p - e->buf, 1);
	}
	uf_bytes(e, "\0", 1);
}

static void uf_dns_msg(struct uf_env *e)
{
	static const u16 qtypes[] = { 1, 28, 15, 16, 255, 12, 33 };
	unsigned int msg = e->len, i, qd = 1 + uf_below(e, 2);
	u8 *h = uf_room(e, 12), *q;

	uf_fill(e, h, 2);
	h[2] = 0x01;				/* RD */
	uf_put16(h + 4, qd);
	uf_field(e, msg + 4, 2);
	uf_field(e, msg + 10, 2);
	for (i = 0; i < qd; i++) {
		uf_dns_name(e, msg, !i);
		q = uf_room(e, 4);
		uf_put16(q, qtypes[uf_below(e, ARRAY_SIZE(qtypes))]);
		uf_put16(q + 2, 1);
	}
	if (uf_chance(e, 30)) {
		/* EDNS: OPT, a 4096-byte payload */
		uf_put16(h + 10, 1);
		q = uf_room(e, 11);
		uf_put16(q + 1, 41);
		uf_put16(q + 3, 4096);
	}
}

static void uf_dns(struct uf_env *e)
{
	struct in6_addr s;

	if (uf_chance(e, 60)) {
		uf_begin(e, uf_gw_mac(e), ETH_P_IP);
		uf_ip4(e, uf_src4(e), e->cfg->dns, IPPROTO_UDP);
	} else {
		uf_src6(e, &s);
		uf_begin(e, uf_gw_mac(e), ETH_P_IPV6);
		uf_ip6(e, &s, &e->cfg->dns6, 64);
	}
	uf_udp_hdr(e, uf_sport(e), 53);
	uf_dns_msg(e);
	uf_emit(e);
}

/* --------------------------------------------------------------- TCP -- */

static void uf_tcp_syn_opts(struct uf_env *e)
{
	u8 *p;

	if (uf_chance(e, 80)) {
		p = uf_room(e, 4);
		p[0] = TCPOPT_MSS;
		p[1] = TCPOLEN_MSS;
		uf_put16(p + 2, uf_chance(e, 80) ? 1460 : uf_next(e));
		uf_field(e, p + 1 - e->buf, 1);
	}
	if (uf_chance(e, 60)) {
		p = uf_room(e, 4);
		p[0] = TCPOPT_NOP;
		p[1] = TCPOPT_WINDOW;
		p[2] = TCPOLEN_WINDOW;
		p[3] = uf_below(e, 18);
		uf_field(e, p + 2 - e->buf, 1);
	}
	if (uf_chance(e, 60)) {
		p = uf_room(e, 2);
		p[0] = TCPOPT_SACK_PERM;
		p[1] = TCPOLEN_SACK_PERM;
		uf_field(e, p + 1 - e->buf, 1);
	}
}

static void uf_tcp_opts(struct uf_env *e, bool syn, u32 ack)
{
	unsigned int start = e->len, n, i;
	u8 *p;

	if (syn)
		uf_tcp_syn_opts(e);
	if (uf_chance(e, 50)) {
		p = uf_room(e, 12);
		p[0] = TCPOPT_NOP;
		p[1] = TCPOPT_NOP;
		p[2] = TCPOPT_TIMESTAMP;
		p[3] = TCPOLEN_TIMESTAMP;
		uf_fill(e, p + 4, 8);
		uf_field(e, p + 3 - e->buf, 1);
	}
	if (!syn && uf_chance(e, 25)) {
		n = 1 + uf_below(e, e->len - start > 8 ? 2 : 4);
		p = uf_room(e, 2 + 8 * n);
		p[0] = TCPOPT_SACK;
		p[1] = 2 + 8 * n;
		for (i = 0; i < n; i++) {
			uf_put32(p + 2 + 8 * i, ack + uf_below(e, 4000));
			uf_put32(p + 6 + 8 * i, ack + uf_below(e, 8000));
		}
		uf_field(e, p + 1 - e->buf, 1);
	}
	if (uf_chance(e, 10) && e->len - start <= 36)
		uf_opt(e, 0xf0 + uf_below(e, 16), NULL, uf_below(e, 3));
	if (uf_chance(e, 5) && e->len - start < 40)
		uf_bytes(e, "\0", 1);			/* EOL */
	while ((e->len - start) & 3)
		uf_bytes(e, "\x01", 1);
}

/* A segment of a connection from one of the tracked guest ports. */
static void uf_tcp_seg(struct uf_env *e, bool v6, unsigned int slot)
{
	struct uf_peer *peer = &e->peers[v6][slot];
	bool syn = !READ_ONCE(peer->known) || uf_chance(e, 15);
	u32 seq = READ_ONCE(peer->ack), ack = READ_ONCE(peer->seq);
	struct tcphdr *th;
	u8 flags;

	if (syn)
		seq = uf_next(e);
	else if (uf_chance(e, 10))
		seq += uf_below(e, 3000) - 1500;
	if (uf_chance(e, 10))
		ack += uf_below(e, 3000) - 1500;
	uf_upper(e, IPPROTO_TCP);
	th = (struct tcphdr *)uf_room(e, sizeof(*th));
	th->source = htons(UF_GPORT + slot);
	th->dest = htons(uf_chance(e, 85) ? UF_HOST_PORT : uf_port(e));
	th->seq = htonl(seq);
	th->window = htons(uf_chance(e, 80) ? 65535 : uf_next(e));
	flags = syn ? TCPHDR_SYN : TCPHDR_ACK;
	if (!syn) {
		th->ack_seq = htonl(ack);
		if (uf_chance(e, 8))
			flags |= TCPHDR_FIN;
		if (uf_chance(e, 3))
			flags |= TCPHDR_RST;
		if (uf_chance(e, 3)) {
			flags |= TCPHDR_URG;
			th->urg_ptr = htons(uf_below(e, 100));
		}
	}
	if (uf_chance(e, 5))
		flags = uf_next(e);
	uf_tcp_opts(e, syn, ack);
	th = (struct tcphdr *)(e->buf + e->l4off);
	tcp_flag_byte(th) = flags;
	th->doff = (e->len - e->l4off) / 4;
	uf_field(e, e->l4off + 12, 1);
	if (!syn || uf_chance(e, 10)) {
		if (uf_chance(e, 60))
			uf_random(e, uf_paylen(e));
	}
}

static void uf_tcp4(struct uf_env *e)
{
	unsigned int slot = uf_below(e, UF_PORTS);

	uf_begin(e, uf_gw_mac(e), ETH_P_IP);
	uf_ip4(e, uf_src4(e), uf_chance(e, 75) ? e->cfg->gateway : uf_dst4(e),
	       IPPROTO_TCP);
	uf_tcp_seg(e, false, slot);
	uf_emit(e);
}

static void uf_tcp6(struct uf_env *e)
{
	unsigned int slot = uf_below(e, UF_PORTS);
	struct in6_addr s, d;

	uf_src6(e, &s);
	if (uf_chance(e, 75))
		d = e->cfg->gateway6;
	else
		uf_dst6(e, &d);
	uf_begin(e, uf_gw_mac(e), ETH_P_IPV6);
	uf_ip6(e, &s, &d, 64);
	if (uf_chance(e, 20))
		uf_ip6_chain(e);
	uf_tcp_seg(e, true, slot);
	uf_emit(e);
}

/* -------------------------------------------------------------- ICMP -- */

/* An IPv4 header and 8 bytes of UDP, as an error quotes them. */
static void uf_quote4(struct uf_env *e, __be32 src, __be32 dst)
{
	u8 *p = uf_room(e, 28);

	unat_test_ipv4(p, src, dst, uf_chance(e, 50) ? IPPROTO_UDP :
		       IPPROTO_TCP, 100);
	uf_put16(p + 20, UF_GPORT + uf_below(e, 16));
	uf_put16(p + 22, uf_port(e));
	uf_field(e, p + 2 - e->buf, 2);
}

static void uf_icmp4(struct uf_env *e)
{
	static const u8 types[] = { ICMP_ECHO, ICMP_ECHO, ICMP_ECHO,
				    ICMP_DEST_UNREACH, ICMP_TIME_EXCEEDED,
				    ICMP_TIMESTAMP, ICMP_ECHOREPLY };
	__be32 daddr = uf_chance(e, 40) ? e->cfg->gateway : uf_dst4(e);
	u8 *h;

	uf_begin(e, uf_gw_mac(e), ETH_P_IP);
	uf_ip4(e, uf_src4(e), daddr, IPPROTO_ICMP);
	h = uf_room(e, 8);
	h[0] = types[uf_below(e, ARRAY_SIZE(types))];
	h[1] = uf_chance(e, 80) ? (h[0] == ICMP_DEST_UNREACH ? 3 : 0) :
				  uf_below(e, 16);
	uf_put16(h + 4, 0x4200 + uf_below(e, 8));
	uf_put16(h + 6, uf_next(e));
	if (h[0] == ICMP_DEST_UNREACH || h[0] == ICMP_TIME_EXCEEDED)
		uf_quote4(e, daddr, e->cfg->guest);
	uf_random(e, uf_paylen(e));
	uf_emit(e);
}

static void uf_quote6(struct uf_env *e, const struct in6_addr *src,
		      const struct in6_addr *dst)
{
	struct ipv6hdr *ip6h = (struct ipv6hdr *)uf_room(e, 48);

	ip6h->version = 6;
	ip6h->payload_len = htons(100);
	ip6h->nexthdr = uf_chance(e, 50) ? IPPROTO_UDP : IPPROTO_TCP;
	ip6h->hop_limit = 64;
	ip6h->saddr = *src;
	ip6h->daddr = *dst;
	uf_put16((u8 *)(ip6h + 1), UF_GPORT + uf_below(e, 16));
	uf_put16((u8 *)(ip6h + 1) + 2, uf_port(e));
}

static void uf_icmp6(struct uf_env *e)
{
	static const u8 types[] = { ICMPV6_ECHO_REQUEST, ICMPV6_ECHO_REQUEST,
				    ICMPV6_DEST_UNREACH, ICMPV6_PKT_TOOBIG,
				    ICMPV6_TIME_EXCEED, ICMPV6_ECHO_REPLY, 200 };
	struct in6_addr s, d;
	u8 *h;

	uf_src6(e, &s);
	uf_dst6(e, &d);
	uf_begin(e, uf_gw_mac(e), ETH_P_IPV6);
	uf_ip6(e, &s, &d, uf_chance(e, 95) ? 64 : uf_below(e, 3));
	uf_ip6_chain(e);
	uf_upper(e, IPPROTO_ICMPV6);
	h = uf_room(e, 8);
	h[0] = types[uf_below(e, ARRAY_SIZE(types))];
	uf_put16(h + 4, 0x4200 + uf_below(e, 8));
	uf_put16(h + 6, uf_next(e));
	if (h[0] < 128)
		uf_quote6(e, &d, &s);
	uf_random(e, uf_paylen(e));
	uf_emit(e);
}

/* --------------------------------------------------------------- NDP -- */

static void uf_nd_opt(struct uf_env *e, u8 type)
{
	u8 *p = uf_room(e, 8);

	p[0] = type;
	p[1] = 1;
	if (type <= ND_OPT_TARGET_LL_ADDR)
		ether_addr_copy(p + 2, e->smac);
	else
		uf_fill(e, p + 2, 6);
	uf_field(e, p + 1 - e->buf, 1);
}

static void uf_nd_target(struct uf_env *e, struct in6_addr *t)
{
	u32 r = uf_below(e, 100);

	if (r < 50)
		*t = e->cfg->gateway6;
	else if (r < 70)
		*t = e->cfg->gateway6_ll;
	else if (r < 80)
		*t = e->cfg->dns6;
	else if (r < 90)
		*t = e->cfg->guest6;
	else
		uf_dst6(e, t);
}

static void uf_ndp(struct uf_env *e)
{
	static const u8 types[] = { NDISC_NEIGHBOUR_SOLICITATION,
				    NDISC_NEIGHBOUR_SOLICITATION,
				    NDISC_ROUTER_SOLICITATION,
				    NDISC_NEIGHBOUR_ADVERTISEMENT,
				    NDISC_REDIRECT };
	u8 type = types[uf_below(e, ARRAY_SIZE(types))], mac[ETH_ALEN];
	struct in6_addr s, d, t;
	unsigned int n;
	u8 *h;

	uf_nd_target(e, &t);
	s = uf_chance(e, 60) ? e->ll6 : e->cfg->guest6;
	if (uf_chance(e, 8))
		memset(&s, 0, sizeof(s));		/* DAD */
	if (type == NDISC_NEIGHBOUR_SOLICITATION)
		addrconf_addr_solict_mult(&t, &d);
	else if (type == NDISC_ROUTER_SOLICITATION)
		ipv6_addr_set(&d, htonl(0xff020000), 0, 0, htonl(2));
	else
		ipv6_addr_set(&d, htonl(0xff020000), 0, 0, htonl(1));
	if (uf_chance(e, 15))
		d = e->cfg->gateway6;
	ipv6_eth_mc_map(&d, mac);
	uf_begin(e, ipv6_addr_is_multicast(&d) ? mac : e->cfg->gw_mac,
		 ETH_P_IPV6);
	uf_ip6(e, &s, &d, uf_chance(e, 95) ? 255 : 64);
	uf_upper(e, IPPROTO_ICMPV6);
	h = uf_room(e, type == NDISC_ROUTER_SOLICITATION ? 8 : 24);
	h[0] = type;
	if (type == NDISC_NEIGHBOUR_ADVERTISEMENT)
		h[4] = uf_chance(e, 50) ? 0x60 : 0x20;
	if (type != NDISC_ROUTER_SOLICITATION)
		memcpy(h + 8, &t, sizeof(t));
	if (type == NDISC_REDIRECT)
		uf_random(e, 16);
	if (uf_chance(e, 80) && !ipv6_addr_any(&s))
		uf_nd_opt(e, type == NDISC_NEIGHBOUR_ADVERTISEMENT ?
			  ND_OPT_TARGET_LL_ADDR : ND_OPT_SOURCE_LL_ADDR);
	for (n = uf_below(e, 3); n; n--)
		uf_nd_opt(e, uf_chance(e, 50) ? 14 : uf_next(e));
	uf_emit(e);
}

/* ------------------------------------------------------------ DHCPv6 -- */

/* An option; returns its offset, for nested options to grow it. */
static unsigned int uf_opt6(struct uf_env *e, u16 code, const void *data,
			    u16 len)
{
	unsigned int off = e->len;
	u8 *p = uf_room(e, 4 + len);

	if (off + 4 + len > UF_MAX)
		return 0;
	uf_put16(p, code);
	uf_put16(p + 2, len);
	if (data)
		memcpy(p + 4, data, len);
	else
		uf_fill(e, p + 4, len);
	uf_field(e, off + 2, 2);
	return off;
}

/* Nested options end here: the option at @off covers them. */
static void uf_opt6_close(struct uf_env *e, unsigned int off)
{
	if (off)
		uf_put16(e->buf + off + 2, e->len - off - 4);
}

static void uf_ia_na(struct uf_env *e)
{
	u8 ia[12] = { 0, 0, 0, 1 }, addr[24] = {};
	unsigned int ia_off, a_off;

	uf_put32(ia + 4, 3600);
	uf_put32(ia + 8, 5400);
	ia_off = uf_opt6(e, 3, ia, sizeof(ia));
	if (uf_chance(e, 60)) {
		memcpy(addr, &e->cfg->guest6, 16);
		uf_put32(addr + 16, 7200);
		uf_put32(addr + 20, 7500);
		a_off = uf_opt6(e, 5, addr, sizeof(addr));
		if (uf_chance(e, 20))
			uf_opt6(e, 13, "\0\0ok", 4);	/* status */
		uf_opt6_close(e, a_off);
	}
	uf_opt6_close(e, ia_off);
}

static void uf_dhcp6_opts(struct uf_env *e)
{
	u8 duid[10] = { 0, 3, 0, 1 };
	__be16 oro[] = { htons(23), htons(24), htons(39) };
	unsigned int n = uf_below(e, 3), off;

	memcpy(duid + 4, e->smac, ETH_ALEN);
	if (uf_chance(e, 80))
		uf_opt6(e, 1, duid, sizeof(duid));
	else if (uf_chance(e, 50))
		uf_opt6(e, 1, NULL, uf_below(e, 140));	/* any DUID */
	if (uf_chance(e, 30))
		uf_opt6(e, 2, NULL, 2 + uf_below(e, 20));
	if (uf_chance(e, 60))
		uf_ia_na(e);
	if (uf_chance(e, 60))
		uf_opt6(e, 6, oro, sizeof(oro));
	if (uf_chance(e, 60))
		uf_opt6(e, 8, "\0\0", 2);
	if (uf_chance(e, 20))
		uf_opt6(e, 14, NULL, 0);		/* rapid commit */
	if (uf_chance(e, 15)) {
		off = uf_opt6(e, 25, NULL, 12);		/* IA_PD */
		uf_opt6(e, 26, NULL, 25);
		uf_opt6_close(e, off);
	}
	while (n--)
		uf_opt6(e, uf_next(e), NULL, uf_below(e, 16));
}

static void uf_dhcp6(struct uf_env *e)
{
	static const u8 types[] = { 1, 3, 5, 6, 8, 9, 11, 1, 3, 4 };
	struct in6_addr d, s = e->ll6;
	u8 mac[ETH_ALEN], *m;

	ipv6_addr_set(&d, htonl(0xff020000), 0, 0, htonl(0x10002));
	if (uf_chance(e, 15))
		d = e->cfg->gateway6;
	if (uf_chance(e, 10))
		uf_src6(e, &s);
	ipv6_eth_mc_map(&d, mac);
	uf_begin(e, ipv6_addr_is_multicast(&d) ? mac : e->cfg->gw_mac,
		 ETH_P_IPV6);
	uf_ip6(e, &s, &d, uf_chance(e, 50) ? 1 : 64);
	if (uf_chance(e, 10))
		uf_ip6_chain(e);
	uf_udp_hdr(e, 546, 547);
	m = uf_room(e, 4);
	m[0] = types[uf_below(e, ARRAY_SIZE(types))];
	uf_fill(e, m + 1, 3);
	uf_dhcp6_opts(e);
	uf_emit(e);
}

/* --------------------------------------------------------- fragments -- */

/* The order fragments go in: as cut, reversed, shuffled; some twice. */
static void uf_frag_order(struct uf_env *e, u8 *order, unsigned int n)
{
	unsigned int i, j;
	u8 t;

	for (i = 0; i < n; i++)
		order[i] = i;
	if (uf_chance(e, 15)) {
		for (i = 0; i < n / 2; i++)
			swap(order[i], order[n - 1 - i]);
	} else if (uf_chance(e, 20)) {
		for (i = n - 1; i > 0; i--) {
			j = uf_below(e, i + 1);
			t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
	}
	if (n > 1 && uf_chance(e, 10))
		order[uf_below(e, n)] = order[uf_below(e, n)];
}

/* The datagram of @proto: an echo (to the gateway mostly) or UDP. */
static unsigned int uf_datagram(struct uf_env *e, u8 proto,
				unsigned int len)
{
	u8 *p = e->dg;

	uf_fill(e, p, len);
	if (proto == IPPROTO_UDP) {
		uf_put16(p, UF_GPORT + uf_below(e, 16));
		uf_put16(p + 2, uf_port(e));
		uf_put16(p + 4, len);
		memset(p + 6, 0, 2);
	} else {
		p[0] = proto == IPPROTO_ICMP ? ICMP_ECHO : ICMPV6_ECHO_REQUEST;
		p[1] = 0;
		memset(p + 2, 0, 2);
	}
	return len;
}

static void uf_frag_send(struct uf_env *e, unsigned int dlen, bool v6,
			 const void *src, const void *dst, u8 proto)
{
	unsigned int step, n, i, from, len;
	u8 order[UF_MAX_FRAGS];
	struct iphdr *iph;
	struct frag_hdr *fh;
	u32 id = e->frag_id++;

	step = max(8U, round_up(DIV_ROUND_UP(dlen, UF_MAX_FRAGS), 8));
	step += 8 * uf_below(e, 32);
	n = min_t(unsigned int, DIV_ROUND_UP(dlen, step), UF_MAX_FRAGS);
	uf_frag_order(e, order, n);
	for (i = 0; i < n; i++) {
		from = order[i] * step;
		len = min(step, dlen - from);
		uf_begin(e, uf_gw_mac(e), v6 ? ETH_P_IPV6 : ETH_P_IP);
		if (v6) {
			uf_ip6(e, src, dst, 64);
			uf_ip6_ext(e, NEXTHDR_FRAGMENT);
			fh = (struct frag_hdr *)(e->buf + e->nh_off);
			fh->frag_off = htons(from | (from + len < dlen ?
						     IP6_MF : 0));
			fh->identification = htonl(id);
			uf_field(e, e->nh_off + 2, 2);
			uf_upper(e, proto);
		} else {
			uf_ip4(e, *(const __be32 *)src, *(const __be32 *)dst,
			       proto);
			iph = (struct iphdr *)(e->buf + ETH_HLEN);
			iph->id = htons(id);
			iph->frag_off = htons(from >> 3 | (from + len < dlen ?
							  IP_MF : 0));
			uf_field(e, ETH_HLEN + 6, 2);
		}
		e->frag = true;
		e->mutate = 20;
		uf_bytes(e, e->dg + from, len);
		uf_emit(e);
	}
}

static void uf_frag4(struct uf_env *e)
{
	u8 proto = uf_chance(e, 50) ? IPPROTO_ICMP : IPPROTO_UDP;
	__be32 s = uf_src4(e), d = uf_chance(e, 60) ? e->cfg->gateway :
						       uf_dst4(e);
	unsigned int len = uf_datagram(e, proto, 16 + uf_below(e, 1400));
	__wsum sum = csum_partial(e->dg, len, 0);
	__sum16 c;

	if (proto == IPPROTO_ICMP)
		c = csum_fold(sum);
	else
		c = csum_tcpudp_magic(s, d, len, proto, sum) ?: CSUM_MANGLED_0;
	memcpy(e->dg + uf_csum_off(proto), &c, 2);
	uf_frag_send(e, len, false, &s, &d, proto);
}

static void uf_frag6(struct uf_env *e)
{
	u8 proto = uf_chance(e, 50) ? IPPROTO_ICMPV6 : IPPROTO_UDP;
	unsigned int len = uf_datagram(e, proto, 16 + uf_below(e, 1400));
	struct in6_addr s, d;
	__sum16 c;

	uf_src6(e, &s);
	if (uf_chance(e, 60))
		d = e->cfg->gateway6;
	else
		uf_dst6(e, &d);
	c = csum_ipv6_magic(&s, &d, len, proto, csum_partial(e->dg, len, 0));
	if (!c && proto == IPPROTO_UDP)
		c = CSUM_MANGLED_0;
	memcpy(e->dg + uf_csum_off(proto), &c, 2);
	uf_frag_send(e, len, true, &s, &d, proto);
}

/* ------------------------------------------------------ the host end -- */

/* Segments unat sends the guest: learn where each connection is. */
static int uf_rx(struct sk_buff *skb, struct net_device *dev,
		 struct packet_type *pt, struct net_device *orig)
{
	struct uf_env *e = container_of(pt, struct uf_env, pt);
	unsigned int off = 0, tot, port;
	u8 hdr[40], *h = hdr;
	struct uf_peer *peer;
	bool v6;

	atomic_inc(&e->rx_frames);
	v6 = skb->protocol == htons(ETH_P_IPV6);
	if (skb_copy_bits(skb, 0, hdr, sizeof(hdr)))
		goto out;
	if (v6) {
		if (hdr[6] != IPPROTO_TCP)
			goto out;
		tot = sizeof(struct ipv6hdr) + uf_get16(hdr + 4);
		off = sizeof(struct ipv6hdr);
	} else if (skb->protocol == htons(ETH_P_IP) && hdr[9] == IPPROTO_TCP) {
		tot = uf_get16(hdr + 2);
		off = (hdr[0] & 15) * 4;
	} else {
		goto out;
	}
	if (skb_copy_bits(skb, off, hdr, 20))
		goto out;
	port = uf_get16(h + 2) - UF_GPORT;
	if (port >= UF_PORTS || tot < off + (h[12] >> 4) * 4)
		goto out;
	peer = &e->peers[v6][port];
	WRITE_ONCE(peer->seq, uf_get32(h + 4) + tot - off - (h[12] >> 4) * 4 +
			      !!(h[13] & TCPHDR_SYN) + !!(h[13] & TCPHDR_FIN));
	if (h[13] & TCPHDR_ACK)
		WRITE_ONCE(peer->ack, uf_get32(h + 8));
	WRITE_ONCE(peer->known, !(h[13] & TCPHDR_RST));
out:
	kfree_skb(skb);
	return NET_RX_SUCCESS;
}

static void uf_recv_all(struct uf_env *e, struct socket *sock)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT };
	struct kvec iov = { .iov_base = e->rx, .iov_len = UF_MAX };
	int i;

	for (i = 0; i < 16; i++)
		if (kernel_recvmsg(sock, &msg, &iov, 1, UF_MAX,
				   MSG_DONTWAIT) <= 0)
			break;
}

static void uf_accept(struct uf_env *e, struct socket *l)
{
	struct socket *s;
	int i;

	for (i = 0; i < 4; i++) {
		if (kernel_accept(l, &s, O_NONBLOCK))
			return;
		if (e->accepted[e->acc_next])
			sock_release(e->accepted[e->acc_next]);
		e->accepted[e->acc_next] = s;
		e->acc_next = (e->acc_next + 1) % UF_ACCEPTED;
	}
}

/*
 * The host's end: take connections, read what came, answer some, close
 * some (a FIN or a reset to the guest).
 */
static void uf_drain(struct uf_env *e)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	struct kvec iov = { .iov_base = e->rx, .iov_len = 64 };
	struct socket *s;
	int i;

	if (e->tcp4)
		uf_accept(e, e->tcp4);
	if (e->tcp6)
		uf_accept(e, e->tcp6);
	if (e->udp4)
		uf_recv_all(e, e->udp4);
	if (e->udp6)
		uf_recv_all(e, e->udp6);
	for (i = 0; i < UF_ACCEPTED; i++) {
		s = e->accepted[i];
		if (!s)
			continue;
		uf_recv_all(e, s);
		if (uf_chance(e, 30))
			kernel_sendmsg(s, &msg, &iov, 1, 1 + uf_below(e, 64));
		if (uf_chance(e, 5)) {
			sock_release(s);
			e->accepted[i] = NULL;
		}
	}
}

static struct socket *uf_listen(struct kunit *test, int family, int type)
{
	struct sockaddr_in6 a6 = {
		.sin6_family = AF_INET6,
		.sin6_port = htons(UF_HOST_PORT),
		.sin6_addr = IN6ADDR_LOOPBACK_INIT,
	};
	struct sockaddr_in a4 = {
		.sin_family = AF_INET,
		.sin_port = htons(UF_HOST_PORT),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	struct sockaddr *a = family == AF_INET ? (void *)&a4 : (void *)&a6;
	int len = family == AF_INET ? sizeof(a4) : sizeof(a6);
	struct socket *s;
	int err;

	err = sock_create_kern(&init_net, family, type, 0, &s);
	if (err)
		goto fail;
	sock_set_reuseaddr(s->sk);
	err = kernel_bind(s, a, len);
	if (!err && type == SOCK_STREAM)
		err = kernel_listen(s, 64);
	if (!err)
		return s;
	sock_release(s);
fail:
	/* the flows to it still run, and are refused */
	kunit_info(test, "no host listener (family %d type %d): %d\n",
		   family, type, err);
	return NULL;
}

static void uf_release(void *data)
{
	struct uf_env *e = data;
	int i;

	for (i = 0; i < UF_ACCEPTED; i++)
		if (e->accepted[i])
			sock_release(e->accepted[i]);
	if (e->tcp4)
		sock_release(e->tcp4);
	if (e->tcp6)
		sock_release(e->tcp6);
	if (e->udp4)
		sock_release(e->udp4);
	if (e->udp6)
		sock_release(e->udp6);
}

static void uf_remove_pack(void *data)
{
	dev_remove_pack(data);
}

/* The host's loopback up, so that the gateway's address reaches it. */
static void uf_loopback_up(void)
{
	struct net_device *lo = init_net.loopback_dev;

	rtnl_lock();
	if (!(lo->flags & IFF_UP))
		dev_open(lo, NULL);
	rtnl_unlock();
}

/* ------------------------------------------------------------- cases -- */

static int uf_init(struct kunit *test)
{
	struct uf_env *e;

	e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	e->buf = kunit_kzalloc(test, UF_MAX, GFP_KERNEL);
	e->dg = kunit_kzalloc(test, UF_MAX, GFP_KERNEL);
	e->rx = kunit_kzalloc(test, UF_MAX, GFP_KERNEL);
	if (!e->buf || !e->dg || !e->rx)
		return -ENOMEM;
	e->test = test;
	test->priv = e;
	return 0;
}

static void uf_setup(struct kunit *test, struct uf_env *e)
{
	uf_loopback_up();
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, uf_release,
							   e));
	e->tcp4 = uf_listen(test, AF_INET, SOCK_STREAM);
	e->tcp6 = uf_listen(test, AF_INET6, SOCK_STREAM);
	e->udp4 = uf_listen(test, AF_INET, SOCK_DGRAM);
	e->udp6 = uf_listen(test, AF_INET6, SOCK_DGRAM);
	e->td = unat_test_dev(test, true);
	e->cfg = rcu_dereference_protected(e->td->unat->config, true);
	ipv6_addr_set(&e->ll6, htonl(0xfe800000), 0, htonl(0x505400ff),
		      htonl(0xfe123456));
	e->pt.type = htons(ETH_P_ALL);
	e->pt.dev = e->td->dev;
	e->pt.func = uf_rx;
	dev_add_pack(&e->pt);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
							   uf_remove_pack,
							   &e->pt));
	unat_stats_sum(e->td->unat->stats, e->base);
}

static void uf_one(struct uf_env *e)
{
	u32 r = uf_below(e, 100);

	if (r < 6)
		uf_arp(e);
	else if (r < 14)
		uf_dhcp(e);
	else if (r < 25)
		uf_udp4(e);
	else if (r < 40)
		uf_tcp4(e);
	else if (r < 47)
		uf_icmp4(e);
	else if (r < 52)
		uf_frag4(e);
	else if (r < 60)
		uf_dns(e);
	else if (r < 67)
		uf_udp6(e);
	else if (r < 78)
		uf_tcp6(e);
	else if (r < 84)
		uf_icmp6(e);
	else if (r < 91)
		uf_ndp(e);
	else if (r < 97)
		uf_dhcp6(e);
	else
		uf_frag6(e);
}

/* Counters that moved in this chunk, added to the run's. */
static void uf_report(struct kunit *test, struct uf_env *e, u64 ns)
{
	u64 now[UNAT_STAT_MAX];
	int i;

	unat_stats_sum(e->td->unat->stats, now);
	for (i = UNAT_STAT_FIRST; i < UNAT_STAT_MAX; i++)
		uf_total[i] += now[i] - e->base[i];
	uf_total_frames += e->sent;
	uf_total_ns += ns;
	kunit_info(test, "frames %u in %llu ms (%llu frames/s), %d to the guest, flows %u (limit %u)\n",
		   e->sent, div_u64(ns, NSEC_PER_MSEC),
		   div64_u64((u64)e->sent * NSEC_PER_SEC, ns ?: 1),
		   atomic_read(&e->rx_frames),
		   READ_ONCE(e->td->unat->flows->count), e->cfg->flow_limit);
}

/* The whole run's figures, after its last chunk. */
static void uf_report_total(struct kunit *test)
{
	int i;

	kunit_info(test, "total: seed %llu, frames %llu in %llu ms (%llu frames/s)\n",
		   uf_seed, uf_total_frames, div_u64(uf_total_ns, NSEC_PER_MSEC),
		   div64_u64(uf_total_frames * NSEC_PER_SEC, uf_total_ns ?: 1));
	for (i = UNAT_STAT_FIRST; i < UNAT_STAT_MAX; i++)
		if (uf_total[i])
			kunit_info(test, "counter %s %llu\n", unat_stat_names[i],
				   uf_total[i]);
}

/* A plain ARP request for the gateway: still answered? */
static void uf_alive(struct kunit *test, struct uf_env *e)
{
	u8 *p;

	unat_test_dev_mark(e->td);
	e->len = unat_test_eth(e->buf, uf_bcast,
			       unat_test_guest_mac, ETH_P_ARP);
	memcpy(uf_room(e, 8), "\0\x01\x08\0\x06\x04\0\x01", 8);
	p = uf_room(e, 20);
	ether_addr_copy(p, unat_test_guest_mac);
	memcpy(p + 6, &e->cfg->guest, 4);
	memcpy(p + 16, &e->cfg->gateway, 4);
	unat_test_dev_xmit(e->td, uf_skb_linear(e->buf, e->len));
	KUNIT_EXPECT_EQ(test, unat_test_dev_count(e->td, UNAT_STAT_ARP_REPLY),
			1);
	KUNIT_EXPECT_TRUE(test, netif_running(e->td->dev));
}

/* Down, the device holds no flow; deleted, nothing of it is left. */
static void uf_teardown(struct kunit *test, struct uf_env *e)
{
	struct unat_dev *unat = e->td->unat;

	rtnl_lock();
	dev_close(e->td->dev);
	rtnl_unlock();
	KUNIT_EXPECT_EQ(test, READ_ONCE(unat->flows->count), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&unat->dns_kept), 0);
	kunit_release_action(test, uf_remove_pack, &e->pt);
	unat_test_dev_delete(test, e->td);
	rcu_barrier();
}

/*
 * One chunk of the run: UF_CHUNK frames (fewer in the last) on a fresh
 * device, each chunk a case of its own, within KUnit's 300 s per case.
 */
static void uf_fuzz_test(struct kunit *test)
{
	unsigned int chunk = (const u8 *)test->param_value - uf_chunk_ids;
	struct uf_env *e = test->priv;
	u64 start;

	e->rng = uf_seed ^ ((u64)chunk << 48);
	uf_next(e);
	e->ip_id = uf_next(e);
	e->frag_id = uf_next(e);
	uf_setup(test, e);
	start = ktime_get_ns();
	while (e->sent < min(UF_CHUNK, fuzz_frames - chunk * UF_CHUNK)) {
		uf_one(e);
		cond_resched();
	}
	uf_drain(e);
	uf_report(test, e, ktime_get_ns() - start);
	KUNIT_EXPECT_LE(test, READ_ONCE(e->td->unat->flows->count),
			e->cfg->flow_limit);
	uf_alive(test, e);
	uf_teardown(test, e);
	if ((chunk + 1) * UF_CHUNK >= fuzz_frames)
		uf_report_total(test);
}

/* The chunks: their number follows fuzz_frames; the seed is set here. */
static const void *uf_chunks(const void *prev, char *desc)
{
	unsigned int n = DIV_ROUND_UP(fuzz_frames, UF_CHUNK), i = 0;

	if (prev) {
		i = (const u8 *)prev - uf_chunk_ids + 1;
	} else {
		uf_seed = fuzz_seed ?: get_random_u64();
		memset(uf_total, 0, sizeof(uf_total));
		uf_total_frames = 0;
		uf_total_ns = 0;
		pr_info("unat_fuzz: seed %llu (unat_test.ko fuzz_seed=%llu repeats it), %u frames\n",
			uf_seed, uf_seed, fuzz_frames);
	}
	if (i >= min_t(unsigned int, n, UF_CHUNKS_MAX))
		return NULL;
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "seed %llu chunk %u", uf_seed,
		 i);
	return &uf_chunk_ids[i];
}

static struct kunit_case unat_fuzz_cases[] = {
	KUNIT_CASE_PARAM_ATTR(uf_fuzz_test, uf_chunks,
			      { .speed = KUNIT_SPEED_SLOW }),
	{}
};

struct kunit_suite unat_fuzz_suite = {
	.name = "unat_fuzz",
	.init = uf_init,
	.test_cases = unat_fuzz_cases,
};
