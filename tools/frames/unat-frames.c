// SPDX-License-Identifier: GPL-2.0
/*
 * unat-frames: send hand-made Ethernet frames from the guest side of a unat
 * device, to see how the gateway copes with odd IPv4 and IPv6 fragments,
 * extension header chains and plain garbage.
 *
 * It runs where the guest would: in the network namespace that holds the
 * unat device, sending on an AF_PACKET socket bound to it, so that every
 * frame arrives in the device's ndo_start_xmit.  Frames come from the
 * interface's own MAC address and go to --gw-mac.
 *
 *   unat-frames [options] IFACE COMMAND [ARGS...]
 *
 * Commands:
 *   list           print the catalogue's names, one a line (IFACE may be -)
 *   send NAME...   send the named catalogue entries, in the order given
 *   all            send every catalogue entry, in catalogue order
 *   random N       send N random frames, about a third of them mutated
 *   echo4 N        N ICMP echo requests to --dst4, identifiers 1..N: as
 *                  many echo flows on the gateway
 *   echo6 N        the same over ICMPv6, to --dst6
 *   flood KIND N   N frames of KIND, each with new identities:
 *                  dns    queries for random names to --dns4, random ids
 *                         and source ports (or --sport)
 *                  frag4  first fragments of UDP datagrams to --dst4, random
 *                         ids (1024 bytes each, the datagram never ends)
 *                  frag6  the same over IPv6, to --dst6
 *                  arp    who-has the gateway, a new sender MAC and address
 *                  ndp    solicitations for the gateway and routers, a new
 *                         source MAC and link-local address each
 *                  dhcp   DISCOVERs and REQUESTs for --src4, a new chaddr,
 *                         client identifier and xid each
 *                  udp4   datagrams --src4:--sport to --dst4:--dport
 *                  udp6   the same over IPv6
 *                  syn4   TCP SYNs to --dst4:--dport, random source ports
 *                         and sequence numbers
 *                  syn6   the same over IPv6, to --dst6
 *                  ping4  echo requests to --dst4, random identifiers
 *                  ping6  the same over ICMPv6, to --dst6
 *                  Every kind but arp, ndp and dhcp goes to --gw-mac,
 *                  whatever its IP destination (multicast included).
 *                  It prints "sent flood-KIND N in MS ms, D not sent".
 *
 * Options:
 *   --gw-mac MAC   Ethernet destination, the gateway's (needed to send)
 *   --src4 A       guest IPv4 address (10.0.2.15)
 *   --dst4 A       remote IPv4 address (203.0.113.2); given again, a
 *                  flood sends frame i to the (i mod n)th address given
 *   --gw4 A        gateway IPv4 address (10.0.2.2)
 *   --src6 A       guest IPv6 address (fd75:6e61:7400:2::15)
 *   --dst6 A       remote IPv6 address (2001:db8:1::2), as --dst4
 *   --gw6 A        gateway IPv6 address (fd75:6e61:7400:2::2)
 *   --dns4 A       the DNS address (10.0.2.3)
 *   --sport P      flood: UDP source port (random per frame unless given)
 *   --dport P      flood: UDP destination port (7777)
 *   --rate R       flood: at most R frames a second (no limit)
 *   --payload N    flood udp4/udp6: N bytes of UDP payload (16, at most
 *                  65472)
 *   --src-mac MAC  Ethernet source (the interface's)
 *   --seed N       seed of the PRNG of "random" (default: getrandom())
 *   --verbose      one line per frame sent, on stderr
 *
 * Output on stdout: "sent NAME FRAMES" per catalogue entry, or "skipped
 * NAME (too large for MTU)" when the interface refuses its size.  "random"
 * prints "seed S" first, so that a failure can be reproduced with --seed,
 * and a summary line last.  Exit status: 0 on success, 1 if a frame could
 * not be sent, 2 on a usage error.
 *
 * Catalogue frames carry correct checksums: the IPv4 header's always, and
 * the transport checksum of the whole datagram in its first fragment, as
 * far as the entry has a whole datagram.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <linux/if_ether.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define FRAME_BUF	65600		/* the largest frame, and some */
/* the most UDP payload an IPv6 flood frame fits at unat's MTU, 65520 */
#define FLOOD_PAYLOAD_MAX	(65520 - 40 - 8)
#define DGRAM_BUF	256		/* catalogue datagrams are small */
#define RANDOM_MIN	128		/* random frames, on a tiny MTU */
#define RANDOM_MAX	1514		/* random frames, up to a 1500 MTU */
#define JUMBO_MAX	9014		/* random frames, on a larger MTU */
#define TX_RETRIES	100		/* on ENOBUFS, 1 ms apart */
#define TX_BACKOFF_NS	1000000L

#define IP4_HLEN	20
#define IP4_DF		0x4000
#define IP4_MF		0x2000
#define IP4_OFFMASK	0x1fff
#define IP4_FRAGMASK	(IP4_MF | IP4_OFFMASK)
#define IP6_HLEN	40
#define FRAG_HLEN	8
#define FRAG_OFFMASK	0xfff8
#define FRAG_MASK	(FRAG_OFFMASK | 1)	/* offset and M */
#define UDP_HLEN	8
#define TCP_HLEN	20
#define ICMP_HLEN	8
#define ARP_LEN		28
#define ETH_MIN		60		/* without the FCS */
#define HLIM		64
#define HLIM_ND		255

#define UDP_SPORT	40000
#define UDP_DPORT	7777
#define TCP_SPORT	40001
#define TCP_DPORT	80
#define TCP_SYN		0x02
#define TCP_ACK		0x10
#define ECHO_ID		0x4242
#define ECHO_SEQ	1

#define ICMP_ECHO	8
#define ICMP6_ECHO	128
#define ND_RS		133
#define ND_NS		135
#define ND_NA		136
#define ND_OPT_SLLA	1
#define ND_OPT_TLLA	2
#define ND_OPT_PREFIX	3
#define ND_OPT_MTU	5
#define NS_LEN		24		/* type to target */

#define ID4_BASE	0x5100		/* catalogue: plus the entry number */
#define ID6_BASE	0x66000000
#define ID6_INNER	0x00800000	/* a second id within one entry */
#define ID4_POOL	0x7100		/* random: a few ids per family */
#define ID6_POOL	0x77000000
#define ID_POOL_SIZE	8

#define SHORT_MAX	200		/* random: most payloads' limit */
#define DUMP_BYTES	48		/* --verbose */

#define MAX_DSTS	64		/* --dst4, --dst6 given this often */

enum tx_status { TX_OK, TX_TOOBIG, TX_DROPPED, TX_ERROR };

struct gen {
	int fd;
	int ifindex;
	uint8_t mac[ETH_ALEN];
	uint8_t gw_mac[ETH_ALEN];
	bool have_gw_mac;
	struct in_addr src4, dst4, gw4;
	struct in6_addr src6, dst6, gw6;
	struct in_addr dns4;
	/* flood: every --dst4 and --dst6 given, taken in turn */
	struct in_addr dsts4[MAX_DSTS];
	struct in6_addr dsts6[MAX_DSTS];
	unsigned int ndst4, ndst6;
	unsigned int sport;	/* flood: 0 for a random one each frame */
	unsigned int dport;
	uint64_t rate;		/* flood: frames a second, 0 for no limit */
	unsigned int payload;	/* flood udp4/udp6: UDP payload bytes */
	bool verbose;
	size_t random_max;	/* largest random frame */
	uint64_t rng;
	/* random: where the last fragment with each pool id ended */
	unsigned int next4[ID_POOL_SIZE];
	unsigned int next6[ID_POOL_SIZE];
	const char *name;	/* what is being sent, for messages */
	unsigned int frames;	/* how many frames of it went out */
	enum tx_status status;	/* of its first frame that did not */
	int err;		/* and the errno */
};

static uint8_t frame[FRAME_BUF];
static uint8_t dgram[DGRAM_BUF];

static const uint8_t bcast_mac[ETH_ALEN] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff
};

/* Network byte order, at any alignment. */
static void put16(uint8_t *p, unsigned int v)
{
	p[0] = (v >> 8) & 0xff;
	p[1] = v & 0xff;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

static unsigned int get16(const uint8_t *p)
{
	return (unsigned int)p[0] << 8 | p[1];
}

/*
 * Checksums
 */

/* Add len bytes to a ones' complement sum; only the last piece may be odd. */
static uint32_t csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

/* The IPv4 header checksum, over hlen bytes. */
static void ip4_csum(uint8_t *ip, size_t hlen)
{
	put16(ip + 10, 0);
	put16(ip + 10, csum_fold(csum_add(0, ip, hlen)));
}

static size_t l4_csum_off(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_UDP:
		return 6;
	case IPPROTO_TCP:
		return 16;
	default:		/* ICMP, ICMPv6 */
		return 2;
	}
}

/* Store the checksum of a len-byte message; sum covers the pseudo-header. */
static void l4_csum(uint8_t *l4, size_t len, uint8_t proto, uint32_t sum)
{
	size_t off = l4_csum_off(proto);
	uint16_t c;

	if (len < off + 2)
		return;
	put16(l4 + off, 0);
	c = csum_fold(csum_add(sum, l4, len));
	if (proto == IPPROTO_UDP && !c)
		c = 0xffff;
	put16(l4 + off, c);
}

static uint32_t csum_pseudo_len(uint32_t sum, size_t len, uint8_t proto)
{
	return sum + (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff) + proto;
}

/* TCP, UDP or ICMP over IPv4 (ICMP without a pseudo-header). */
static void l4_csum4(uint8_t *l4, size_t len, uint8_t proto,
		     const struct in_addr *src, const struct in_addr *dst)
{
	uint32_t sum = 0;

	if (proto != IPPROTO_ICMP) {
		sum = csum_add(sum, src, sizeof(*src));
		sum = csum_add(sum, dst, sizeof(*dst));
		sum = csum_pseudo_len(sum, len, proto);
	}
	l4_csum(l4, len, proto, sum);
}

/* TCP, UDP or ICMPv6 over IPv6; dst is the final destination. */
static void l4_csum6(uint8_t *l4, size_t len, uint8_t proto,
		     const struct in6_addr *src, const struct in6_addr *dst)
{
	uint32_t sum = 0;

	sum = csum_add(sum, src, sizeof(*src));
	sum = csum_add(sum, dst, sizeof(*dst));
	sum = csum_pseudo_len(sum, len, proto);
	l4_csum(l4, len, proto, sum);
}

/*
 * Headers: each writer returns where the next header goes.
 */

static uint8_t *put_eth(const struct gen *g, uint8_t *p, const uint8_t *dst,
			unsigned int type)
{
	memcpy(p, dst, ETH_ALEN);
	memcpy(p + ETH_ALEN, g->mac, ETH_ALEN);
	put16(p + 2 * ETH_ALEN, type);
	return p + ETH_HLEN;
}

/* frag: the flags and offset field, offset in 8-byte units. */
static uint8_t *put_ip4(uint8_t *p, uint8_t proto, unsigned int id,
			unsigned int frag, size_t plen,
			const struct in_addr *src, const struct in_addr *dst)
{
	p[0] = 0x45;
	p[1] = 0;
	put16(p + 2, IP4_HLEN + plen);
	put16(p + 4, id);
	put16(p + 6, frag);
	p[8] = HLIM;
	p[9] = proto;
	memcpy(p + 12, src, sizeof(*src));
	memcpy(p + 16, dst, sizeof(*dst));
	ip4_csum(p, IP4_HLEN);
	return p + IP4_HLEN;
}

static uint8_t *put_ip6(uint8_t *p, uint8_t nh, size_t plen,
			const struct in6_addr *src, const struct in6_addr *dst,
			uint8_t hlim)
{
	put32(p, 0x60000000);
	put16(p + 4, plen);
	p[6] = nh;
	p[7] = hlim;
	memcpy(p + 8, src, sizeof(*src));
	memcpy(p + 24, dst, sizeof(*dst));
	return p + IP6_HLEN;
}

/* off: in bytes, a multiple of 8. */
static uint8_t *put_frag6(uint8_t *p, uint8_t nh, size_t off, bool more,
			  uint32_t id)
{
	p[0] = nh;
	p[1] = 0;
	put16(p + 2, (off & FRAG_OFFMASK) | more);
	put32(p + 4, id);
	return p + FRAG_HLEN;
}

/* The solicited-node multicast group of a, and the MAC of a group. */
static void solicited_node(const struct in6_addr *a, struct in6_addr *group)
{
	static const uint8_t prefix[13] = {
		0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff
	};

	memcpy(group->s6_addr, prefix, sizeof(prefix));
	memcpy(group->s6_addr + 13, a->s6_addr + 13, 3);
}

static void mcast_mac(const struct in6_addr *group, uint8_t *mac)
{
	mac[0] = 0x33;
	mac[1] = 0x33;
	memcpy(mac + 2, group->s6_addr + 12, 4);
}

/*
 * Upper-layer messages: each returns its length.
 */

static void pattern(uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (i * 7) & 0xff;
}

/* UDP 40000 -> 7777, plen bytes of payload; the length field says ulen. */
static size_t mk_udp(uint8_t *p, size_t plen, unsigned int ulen)
{
	put16(p, UDP_SPORT);
	put16(p + 2, UDP_DPORT);
	put16(p + 4, ulen);
	put16(p + 6, 0);
	pattern(p + UDP_HLEN, plen);
	return UDP_HLEN + plen;
}

/* A bare TCP header, 40001 -> 80, ACK. */
static size_t mk_tcp(uint8_t *p)
{
	memset(p, 0, TCP_HLEN);
	put16(p, TCP_SPORT);
	put16(p + 2, TCP_DPORT);
	put32(p + 4, 0x01000000);
	put32(p + 8, 0x02000000);
	p[12] = (TCP_HLEN / 4) << 4;
	p[13] = TCP_ACK;
	put16(p + 14, 0xffff);
	return TCP_HLEN;
}

/* An ICMP or ICMPv6 echo request, id 0x4242 seq 1, dlen bytes of data. */
static size_t mk_echo(uint8_t *p, uint8_t type, size_t dlen)
{
	p[0] = type;
	p[1] = 0;
	put16(p + 2, 0);
	put16(p + 4, ECHO_ID);
	put16(p + 6, ECHO_SEQ);
	pattern(p + ICMP_HLEN, dlen);
	return ICMP_HLEN + dlen;
}

/* A link-layer address option. */
static size_t mk_lla(uint8_t *p, uint8_t type, const uint8_t *mac)
{
	p[0] = type;
	p[1] = 1;
	memcpy(p + 2, mac, ETH_ALEN);
	return 2 + ETH_ALEN;
}

/* A Neighbour Solicitation for target, with our link-layer address. */
static size_t mk_ns(const struct gen *g, uint8_t *p,
		    const struct in6_addr *target)
{
	memset(p, 0, NS_LEN);
	p[0] = ND_NS;
	memcpy(p + 8, target, sizeof(*target));
	return NS_LEN + mk_lla(p + NS_LEN, ND_OPT_SLLA, g->mac);
}

/*
 * Sending
 */

static bool dump_gap(size_t i)
{
	return i == ETH_ALEN || i == 2 * ETH_ALEN || i == ETH_HLEN ||
	       (i > ETH_HLEN && !((i - ETH_HLEN) % 4));
}

static void dump(const struct gen *g, size_t len)
{
	size_t i, n = len < DUMP_BYTES ? len : DUMP_BYTES;

	fprintf(stderr, "%s #%u %zu:", g->name, g->frames + 1, len);
	for (i = 0; i < n; i++)
		fprintf(stderr, "%s%02x", !i || dump_gap(i) ? " " : "",
			frame[i]);
	fprintf(stderr, "%s\n", n < len ? " ..." : "");
}

static bool tx_busy(int err)
{
	return err == ENOBUFS || err == EAGAIN;
}

/*
 * Send the frame of len bytes in frame[].  Once a frame of g->name failed,
 * the rest are not sent: g->status says why.
 */
static void tx(struct gen *g, size_t len)
{
	static const struct timespec backoff = { 0, TX_BACKOFF_NS };
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(get16(frame + 2 * ETH_ALEN)),
		.sll_ifindex = g->ifindex,
		.sll_halen = ETH_ALEN,
	};
	unsigned int tries = 0;
	ssize_t n;

	if (g->status != TX_OK)
		return;
	memcpy(sll.sll_addr, frame, ETH_ALEN);
	if (g->verbose)
		dump(g, len);
	for (;;) {
		n = sendto(g->fd, frame, len, 0, (struct sockaddr *)&sll,
			   sizeof(sll));
		if (n == (ssize_t)len) {
			g->frames++;
			return;
		}
		if (n >= 0)
			errno = EIO;
		else if (errno == EINTR)
			continue;
		if (!tx_busy(errno) || ++tries > TX_RETRIES)
			break;
		nanosleep(&backoff, NULL);
	}
	g->err = errno;
	if (errno == EMSGSIZE)
		g->status = TX_TOOBIG;
	else if (tx_busy(errno))
		g->status = TX_DROPPED;
	else
		g->status = TX_ERROR;
}

/* An IPv4 datagram that is sent in fragments. */
struct dg4 {
	uint8_t proto;
	unsigned int id;
	const struct in_addr *dst;
};

/* One fragment: len bytes of data at byte offset off. */
static void frag4(struct gen *g, const struct dg4 *d, size_t off,
		  const uint8_t *data, size_t len, bool more)
{
	unsigned int fo = ((off / 8) & IP4_OFFMASK) | (more ? IP4_MF : 0);
	uint8_t *p = put_eth(g, frame, g->gw_mac, ETH_P_IP);

	p = put_ip4(p, d->proto, d->id, fo, len, &g->src4, d->dst);
	memcpy(p, data, len);
	tx(g, p + len - frame);
}

/* The whole of a datagram, in fragments of chunk bytes. */
static void frag4_split(struct gen *g, const struct dg4 *d,
			const uint8_t *data, size_t len, size_t chunk)
{
	size_t off, n;

	for (off = 0; off < len; off += n) {
		n = len - off < chunk ? len - off : chunk;
		frag4(g, d, off, data + off, n, off + n < len);
	}
}

static struct dg4 dg4(uint8_t proto, unsigned int idx,
		      const struct in_addr *dst)
{
	struct dg4 d = { .proto = proto, .id = ID4_BASE + idx, .dst = dst };

	return d;
}

/* An IPv6 datagram that is sent in fragments. */
struct dg6 {
	uint8_t nh;		/* in the fragment header */
	uint32_t id;
	const struct in6_addr *dst;
	const uint8_t *eth_dst;
	uint8_t hlim;
};

/* One fragment, the only extension header: len bytes at offset off. */
static void frag6(struct gen *g, const struct dg6 *d, size_t off,
		  const uint8_t *data, size_t len, bool more)
{
	uint8_t *p = put_eth(g, frame, d->eth_dst, ETH_P_IPV6);

	p = put_ip6(p, IPPROTO_FRAGMENT, FRAG_HLEN + len, &g->src6, d->dst,
		    d->hlim);
	p = put_frag6(p, d->nh, off, more, d->id);
	memcpy(p, data, len);
	tx(g, p + len - frame);
}

static void frag6_split(struct gen *g, const struct dg6 *d,
			const uint8_t *data, size_t len, size_t chunk)
{
	size_t off, n;

	for (off = 0; off < len; off += n) {
		n = len - off < chunk ? len - off : chunk;
		frag6(g, d, off, data + off, n, off + n < len);
	}
}

static struct dg6 dg6(const struct gen *g, uint8_t nh, unsigned int idx,
		      const struct in6_addr *dst)
{
	struct dg6 d = {
		.nh = nh,
		.id = ID6_BASE + idx,
		.dst = dst,
		.eth_dst = g->gw_mac,
		.hlim = HLIM,
	};

	return d;
}

/*
 * The catalogue, IPv6 entries.  idx is the entry's number, from 1.
 */

static void v6_m1_not8(struct gen *g, unsigned int idx)
{
	struct dg6 d = dg6(g, IPPROTO_UDP, idx, &g->dst6);
	size_t len = mk_udp(dgram, 1, UDP_HLEN + 1);

	l4_csum6(dgram, len, IPPROTO_UDP, &g->src6, &g->dst6);
	frag6(g, &d, 0, dgram, len, true);
}

static void v6_first_cut_tcp(struct gen *g, unsigned int idx)
{
	struct dg6 d = dg6(g, IPPROTO_TCP, idx, &g->dst6);
	size_t len = mk_tcp(dgram);

	l4_csum6(dgram, len, IPPROTO_TCP, &g->src6, &g->dst6);
	frag6(g, &d, 0, dgram, 8, true);
}

static void v6_first_cut_udp(struct gen *g, unsigned int idx)
{
	struct dg6 d = dg6(g, IPPROTO_UDP, idx, &g->dst6);
	size_t len = mk_udp(dgram, 8, UDP_HLEN + 8);

	l4_csum6(dgram, len, IPPROTO_UDP, &g->src6, &g->dst6);
	frag6(g, &d, 0, dgram, 4, true);
}

static void v6_first_cut_icmp6(struct gen *g, unsigned int idx)
{
	struct dg6 d = dg6(g, IPPROTO_ICMPV6, idx, &g->gw6);
	size_t len = mk_echo(dgram, ICMP6_ECHO, 8);

	l4_csum6(dgram, len, IPPROTO_ICMPV6, &g->src6, &g->gw6);
	frag6(g, &d, 0, dgram, 4, true);
}

/*
 * n atomic fragment headers, then the first fragment of a 24-byte UDP
 * datagram; its last fragment follows in a frame of its own.
 */
static void v6_atomic_chain(struct gen *g, unsigned int idx, unsigned int n)
{
	struct dg6 d = dg6(g, IPPROTO_UDP, idx, &g->dst6);
	size_t len = mk_udp(dgram, 16, UDP_HLEN + 16);
	size_t plen = (n + 1) * FRAG_HLEN + 16;
	unsigned int i;
	uint8_t *p;

	l4_csum6(dgram, len, IPPROTO_UDP, &g->src6, &g->dst6);
	p = put_eth(g, frame, g->gw_mac, ETH_P_IPV6);
	p = put_ip6(p, IPPROTO_FRAGMENT, plen, &g->src6, &g->dst6, HLIM);
	for (i = 0; i < n; i++)
		p = put_frag6(p, IPPROTO_FRAGMENT, 0, false, d.id | ID6_INNER);
	p = put_frag6(p, IPPROTO_UDP, 0, true, d.id);
	memcpy(p, dgram, 16);
	tx(g, p + 16 - frame);
	frag6(g, &d, 16, dgram + 16, len - 16, false);
}

static void v6_atomic_chain_1(struct gen *g, unsigned int idx)
{
	v6_atomic_chain(g, idx, 1);
}

static void v6_atomic_chain_50(struct gen *g, unsigned int idx)
{
	v6_atomic_chain(g, idx, 50);
}

static void v6_atomic_chain_500(struct gen *g, unsigned int idx)
{
	v6_atomic_chain(g, idx, 500);
}

static void v6_beyond_65535(struct gen *g, unsigned int idx)
{
	struct dg6 d = dg6(g, IPPROTO_UDP, idx, &g->dst6);

	pattern(dgram, 16);
	frag6(g, &d, 65528, dgram, 16, false);
}

/* A 40-byte datagram: bytes 0-23, then 16-39. */
static void v6_overlap(struct gen *g, unsigned int idx)
{
	struct dg6 d = dg6(g, IPPROTO_UDP, idx, &g->dst6);
	size_t len = mk_udp(dgram, 32, UDP_HLEN + 32);

	l4_csum6(dgram, len, IPPROTO_UDP, &g->src6, &g->dst6);
	frag6(g, &d, 0, dgram, 24, true);
	frag6(g, &d, 16, dgram + 16, 24, false);
}

static void v6_duplicate(struct gen *g, unsigned int idx)
{
	struct dg6 d = dg6(g, IPPROTO_UDP, idx, &g->dst6);
	size_t len = mk_udp(dgram, 16, UDP_HLEN + 16);

	l4_csum6(dgram, len, IPPROTO_UDP, &g->src6, &g->dst6);
	frag6(g, &d, 0, dgram, 16, true);
	frag6(g, &d, 0, dgram, 16, true);
	frag6(g, &d, 16, dgram + 16, 8, false);
}

static void v6_two_frag_headers(struct gen *g, unsigned int idx)
{
	uint32_t id = ID6_BASE + idx;
	size_t len = mk_udp(dgram, 8, UDP_HLEN + 8);
	uint8_t *p;

	l4_csum6(dgram, len, IPPROTO_UDP, &g->src6, &g->dst6);
	p = put_eth(g, frame, g->gw_mac, ETH_P_IPV6);
	p = put_ip6(p, IPPROTO_FRAGMENT, 2 * FRAG_HLEN + len, &g->src6,
		    &g->dst6, HLIM);
	p = put_frag6(p, IPPROTO_FRAGMENT, 0, true, id);
	p = put_frag6(p, IPPROTO_UDP, 0, false, id | ID6_INNER);
	memcpy(p, dgram, len);
	tx(g, p + len - frame);
}

/* Reassembled, the payload is an atomic fragment header and UDP. */
static void v6_reassembled_frag(struct gen *g, unsigned int idx)
{
	struct dg6 d = dg6(g, IPPROTO_FRAGMENT, idx, &g->dst6);
	size_t len;

	put_frag6(dgram, IPPROTO_UDP, 0, false, d.id | ID6_INNER);
	len = mk_udp(dgram + FRAG_HLEN, 8, UDP_HLEN + 8);
	l4_csum6(dgram + FRAG_HLEN, len, IPPROTO_UDP, &g->src6, &g->dst6);
	frag6(g, &d, 0, dgram, 16, true);
	frag6(g, &d, 16, dgram + 16, FRAG_HLEN + len - 16, false);
}

static void v6_ndp_fragment(struct gen *g, unsigned int idx)
{
	struct in6_addr group;
	uint8_t mac[ETH_ALEN];
	struct dg6 d = dg6(g, IPPROTO_ICMPV6, idx, &group);
	size_t len = mk_ns(g, dgram, &g->gw6);

	solicited_node(&g->gw6, &group);
	mcast_mac(&group, mac);
	d.eth_dst = mac;
	d.hlim = HLIM_ND;
	l4_csum6(dgram, len, IPPROTO_ICMPV6, &g->src6, &group);
	frag6_split(g, &d, dgram, len, 16);
}

static void v6_payload_len_0(struct gen *g, unsigned int idx)
{
	size_t len = mk_udp(dgram, 8, UDP_HLEN + 8);
	uint8_t *p;

	l4_csum6(dgram, len, IPPROTO_UDP, &g->src6, &g->dst6);
	p = put_eth(g, frame, g->gw_mac, ETH_P_IPV6);
	p = put_ip6(p, IPPROTO_FRAGMENT, 0, &g->src6, &g->dst6, HLIM);
	p = put_frag6(p, IPPROTO_UDP, 0, true, ID6_BASE + idx);
	memcpy(p, dgram, 8);
	tx(g, p + 8 - frame);
}

static void v6_id_reuse(struct gen *g, unsigned int idx)
{
	struct dg6 d = dg6(g, IPPROTO_ICMPV6, idx, &g->gw6);
	size_t len = mk_echo(dgram, ICMP6_ECHO, 24);

	l4_csum6(dgram, len, IPPROTO_ICMPV6, &g->src6, &g->gw6);
	frag6_split(g, &d, dgram, len, 16);
	frag6_split(g, &d, dgram, len, 16);
}

static void v6_echo_fragmented_ok(struct gen *g, unsigned int idx)
{
	struct dg6 d = dg6(g, IPPROTO_ICMPV6, idx, &g->gw6);
	size_t len = mk_echo(dgram, ICMP6_ECHO, 48);

	l4_csum6(dgram, len, IPPROTO_ICMPV6, &g->src6, &g->gw6);
	frag6_split(g, &d, dgram, len, 24);
}

/*
 * The catalogue, IPv4 entries.
 */

static void v4_mf_not8(struct gen *g, unsigned int idx)
{
	struct dg4 d = dg4(IPPROTO_UDP, idx, &g->dst4);
	size_t len = mk_udp(dgram, 1, UDP_HLEN + 1);

	l4_csum4(dgram, len, IPPROTO_UDP, &g->src4, &g->dst4);
	frag4(g, &d, 0, dgram, len, true);
}

/* 16 bytes of a TCP header, in two fragments. */
static void v4_first_cut_tcp(struct gen *g, unsigned int idx)
{
	struct dg4 d = dg4(IPPROTO_TCP, idx, &g->dst4);
	size_t len = mk_tcp(dgram);

	l4_csum4(dgram, len, IPPROTO_TCP, &g->src4, &g->dst4);
	frag4_split(g, &d, dgram, 16, 8);
}

/* 16 bytes of UDP whose length field says 100. */
static void v4_first_cut_udp(struct gen *g, unsigned int idx)
{
	struct dg4 d = dg4(IPPROTO_UDP, idx, &g->dst4);
	size_t len = mk_udp(dgram, 8, 100);

	l4_csum4(dgram, len, IPPROTO_UDP, &g->src4, &g->dst4);
	frag4_split(g, &d, dgram, len, 8);
}

/* An echo header, then an empty last fragment. */
static void v4_first_cut_icmp(struct gen *g, unsigned int idx)
{
	struct dg4 d = dg4(IPPROTO_ICMP, idx, &g->gw4);
	size_t len = mk_echo(dgram, ICMP_ECHO, 0);

	l4_csum4(dgram, len, IPPROTO_ICMP, &g->src4, &g->gw4);
	frag4(g, &d, 0, dgram, len, true);
	frag4(g, &d, len, dgram + len, 0, false);
}

static void v4_beyond_65535(struct gen *g, unsigned int idx)
{
	struct dg4 d = dg4(IPPROTO_UDP, idx, &g->dst4);

	pattern(dgram, 16);
	frag4(g, &d, 65528, dgram, 16, false);
}

static void v4_overlap(struct gen *g, unsigned int idx)
{
	struct dg4 d = dg4(IPPROTO_UDP, idx, &g->dst4);
	size_t len = mk_udp(dgram, 32, UDP_HLEN + 32);

	l4_csum4(dgram, len, IPPROTO_UDP, &g->src4, &g->dst4);
	frag4(g, &d, 0, dgram, 24, true);
	frag4(g, &d, 16, dgram + 16, 24, false);
}

static void v4_duplicate(struct gen *g, unsigned int idx)
{
	struct dg4 d = dg4(IPPROTO_UDP, idx, &g->dst4);
	size_t len = mk_udp(dgram, 16, UDP_HLEN + 16);

	l4_csum4(dgram, len, IPPROTO_UDP, &g->src4, &g->dst4);
	frag4(g, &d, 0, dgram, 16, true);
	frag4(g, &d, 0, dgram, 16, true);
	frag4(g, &d, 16, dgram + 16, 8, false);
}

static void v4_id_reuse(struct gen *g, unsigned int idx)
{
	struct dg4 d = dg4(IPPROTO_ICMP, idx, &g->gw4);
	size_t len = mk_echo(dgram, ICMP_ECHO, 24);

	l4_csum4(dgram, len, IPPROTO_ICMP, &g->src4, &g->gw4);
	frag4_split(g, &d, dgram, len, 16);
	frag4_split(g, &d, dgram, len, 16);
}

static void v4_echo_fragmented_ok(struct gen *g, unsigned int idx)
{
	struct dg4 d = dg4(IPPROTO_ICMP, idx, &g->gw4);
	size_t len = mk_echo(dgram, ICMP_ECHO, 48);

	l4_csum4(dgram, len, IPPROTO_ICMP, &g->src4, &g->gw4);
	frag4_split(g, &d, dgram, len, 24);
}

struct entry {
	const char *name;
	void (*send)(struct gen *g, unsigned int idx);
};

static const struct entry catalogue[] = {
	{ "v6-m1-not-multiple-of-8", v6_m1_not8 },
	{ "v6-first-cut-tcp", v6_first_cut_tcp },
	{ "v6-first-cut-udp", v6_first_cut_udp },
	{ "v6-first-cut-icmp6", v6_first_cut_icmp6 },
	{ "v6-atomic-chain-1", v6_atomic_chain_1 },
	{ "v6-atomic-chain-50", v6_atomic_chain_50 },
	{ "v6-atomic-chain-500", v6_atomic_chain_500 },
	{ "v6-beyond-65535", v6_beyond_65535 },
	{ "v6-overlap", v6_overlap },
	{ "v6-duplicate", v6_duplicate },
	{ "v6-two-frag-headers", v6_two_frag_headers },
	{ "v6-reassembled-starts-with-frag", v6_reassembled_frag },
	{ "v6-ndp-fragment", v6_ndp_fragment },
	{ "v6-payload-len-0", v6_payload_len_0 },
	{ "v6-id-reuse", v6_id_reuse },
	{ "v6-echo-fragmented-ok", v6_echo_fragmented_ok },
	{ "v4-mf-not-multiple-of-8", v4_mf_not8 },
	{ "v4-first-cut-tcp", v4_first_cut_tcp },
	{ "v4-first-cut-udp", v4_first_cut_udp },
	{ "v4-first-cut-icmp", v4_first_cut_icmp },
	{ "v4-beyond-65535", v4_beyond_65535 },
	{ "v4-overlap", v4_overlap },
	{ "v4-duplicate", v4_duplicate },
	{ "v4-id-reuse", v4_id_reuse },
	{ "v4-echo-fragmented-ok", v4_echo_fragmented_ok },
};

static int find_entry(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(catalogue); i++)
		if (!strcmp(catalogue[i].name, name))
			return i;
	return -1;
}

static void tx_error(const struct gen *g)
{
	fprintf(stderr, "unat-frames: %s: sendto: %s\n", g->name,
		strerror(g->err));
}

/* Send catalogue[i]; false if a frame could not be sent. */
static bool send_entry(struct gen *g, unsigned int i)
{
	g->name = catalogue[i].name;
	g->frames = 0;
	g->status = TX_OK;
	catalogue[i].send(g, i + 1);
	switch (g->status) {
	case TX_OK:
		printf("sent %s %u\n", g->name, g->frames);
		return true;
	case TX_TOOBIG:
		printf("skipped %s (too large for MTU)\n", g->name);
		return true;
	default:
		tx_error(g);
		return false;
	}
}

/*
 * Random frames
 */

/* xorshift64* */
static uint64_t rnd(struct gen *g)
{
	uint64_t x = g->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	g->rng = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static void rnd_seed(struct gen *g, uint64_t seed)
{
	/* one splitmix64 step, so that small seeds give busy states */
	uint64_t z = seed + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	g->rng = z ? z : 1;
}

/* Uniform in [0, n), n > 0. */
static uint32_t rnd_below(struct gen *g, uint32_t n)
{
	return (uint32_t)(((rnd(g) >> 32) * n) >> 32);
}

/* Uniform in [lo, hi]. */
static size_t rnd_range(struct gen *g, size_t lo, size_t hi)
{
	return lo + rnd_below(g, (uint32_t)(hi - lo + 1));
}

static bool chance(struct gen *g, unsigned int percent)
{
	return rnd_below(g, 100) < percent;
}

static uint8_t rnd8(struct gen *g)
{
	return rnd(g) & 0xff;
}

static void rnd_fill(struct gen *g, uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = rnd8(g);
}

static const struct in_addr *rnd_dst4(struct gen *g)
{
	return chance(g, 60) ? &g->dst4 : &g->gw4;
}

static const struct in6_addr *rnd_dst6(struct gen *g)
{
	return chance(g, 60) ? &g->dst6 : &g->gw6;
}

/* A random frame being made, in frame[]. */
struct rframe {
	size_t len;
	size_t udp;		/* offset of a UDP header, 0 if none */
	bool broken;		/* the IPv4 header checksum may be wrong */
};

/*
 * Random fragments with the id of the pool's slot are often cut in chunks
 * of this many 8-byte units, so that some of them fit together.
 */
static unsigned int frag_chunk(unsigned int slot)
{
	return slot % 4 + 1;
}

/* A fragment offset in 8-byte units: often 0, often a few chunks. */
static unsigned int rnd_frag_off(struct gen *g, unsigned int slot)
{
	unsigned int roll = rnd_below(g, 100);

	if (roll < 50)
		return 0;
	if (roll < 75)
		return frag_chunk(slot) * rnd_range(g, 1, 4);
	return rnd_below(g, IP4_OFFMASK + 1);
}

/* A fragment's length: often a chunk or two, mostly a multiple of 8. */
static size_t rnd_frag_len(struct gen *g, unsigned int slot, size_t room)
{
	unsigned int roll = rnd_below(g, 100);
	size_t len;

	if (roll < 40)
		len = 8 * frag_chunk(slot) * rnd_range(g, 1, 2);
	else if (roll < 75)
		len = 8 * rnd_range(g, 0, room / 8);
	else
		len = rnd_range(g, 0, room);
	return len <= room ? len : room & ~(size_t)7;
}

/* Where a random fragment goes and how long it is. */
struct rfrag {
	unsigned int slot;	/* in the id pool */
	unsigned int off;	/* in 8-byte units */
	bool more;
	size_t len;
};

/*
 * Often right after the last fragment of the same id, so that datagrams
 * complete now and then; next[] remembers where each id's last one ended.
 */
static void rnd_frag_pos(struct gen *g, struct rfrag *f, unsigned int *next,
			 size_t room)
{
	unsigned int end;

	f->slot = rnd_below(g, ID_POOL_SIZE);
	if (next[f->slot] && chance(g, 40)) {
		f->off = next[f->slot];
		f->more = chance(g, 50);
	} else {
		f->off = rnd_frag_off(g, f->slot);
		f->more = !f->off || chance(g, 50);
	}
	f->len = rnd_frag_len(g, f->slot, room);
	end = f->off + f->len / 8;
	if (f->more && !(f->len % 8) && end <= IP4_OFFMASK)
		next[f->slot] = end;
	else
		next[f->slot] = 0;
}

static uint8_t rnd_nexthdr(struct gen *g)
{
	static const uint8_t nh[] = {
		IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMPV6, IPPROTO_FRAGMENT,
		IPPROTO_HOPOPTS, IPPROTO_DSTOPTS,
	};

	return chance(g, 85) ? nh[rnd_below(g, ARRAY_SIZE(nh))] : rnd8(g);
}

/*
 * The start of a transport header over the random bytes of the len-byte
 * payload at p; true if that is a whole UDP header.
 */
static bool rnd_l4_head(struct gen *g, uint8_t *p, size_t len, uint8_t proto)
{
	switch (proto) {
	case IPPROTO_UDP:
	case IPPROTO_TCP:
		if (len < 4)
			return false;
		put16(p, (proto == IPPROTO_UDP ? UDP_SPORT : TCP_SPORT) +
		      rnd_below(g, 4));
		put16(p + 2, proto == IPPROTO_UDP ? UDP_DPORT : TCP_DPORT);
		if (proto == IPPROTO_TCP && len >= TCP_HLEN)
			p[12] = (TCP_HLEN / 4) << 4;
		if (proto != IPPROTO_UDP || len < UDP_HLEN)
			return false;
		put16(p + 4, chance(g, 50) ? len : rnd_range(g, 0, len + 64));
		return true;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if (len >= ICMP_HLEN && chance(g, 70)) {
			p[0] = proto == IPPROTO_ICMP ? ICMP_ECHO : ICMP6_ECHO;
			p[1] = 0;
			put16(p + 4, ECHO_ID);
		}
		return false;
	default:
		return false;
	}
}

/*
 * Each id of the pool mostly goes with one protocol and destination, so that
 * fragments of one datagram (same id, addresses and protocol) meet.
 */
static void rnd_frag4(struct gen *g, struct rframe *r)
{
	static const uint8_t protos[] = {
		IPPROTO_UDP, IPPROTO_TCP, IPPROTO_ICMP, IPPROTO_UDP,
	};
	const struct in_addr *dst;
	struct rfrag f;
	uint8_t proto;
	uint8_t *p;

	rnd_frag_pos(g, &f, g->next4, g->random_max - ETH_HLEN - IP4_HLEN);
	dst = f.slot & 1 ? &g->gw4 : &g->dst4;
	proto = protos[f.slot % ARRAY_SIZE(protos)];
	if (chance(g, 10))
		proto = rnd8(g);
	if (chance(g, 10))
		dst = rnd_dst4(g);
	p = put_eth(g, frame, g->gw_mac, ETH_P_IP);
	p = put_ip4(p, proto, ID4_POOL + f.slot,
		    f.off | (f.more ? IP4_MF : 0), f.len, &g->src4, dst);
	rnd_fill(g, p, f.len);
	if (!f.off && rnd_l4_head(g, p, f.len, proto))
		r->udp = p - frame;
	r->len = p + f.len - frame;
}

/* Hop-by-hop or destination options: a random mix of TLVs. */
static void rnd_tlvs(struct gen *g, uint8_t *p, size_t len)
{
	unsigned int roll;
	size_t n;

	while (len) {
		roll = rnd_below(g, 100);
		if (len == 1 || roll < 25) {
			*p++ = 0;		/* Pad1 */
			len--;
			continue;
		}
		n = rnd_range(g, 0, len - 2);
		if (roll < 50) {
			p[0] = 1;		/* PadN */
			memset(p + 2, 0, n);
		} else if (roll < 60 && len >= 4) {
			p[0] = 5;		/* router alert */
			n = 2;
			put16(p + 2, 0);
		} else {
			p[0] = rnd8(g);
			rnd_fill(g, p + 2, n);
		}
		p[1] = chance(g, 95) ? n : rnd8(g);
		p += 2 + n;
		len -= 2 + n;
	}
}

static size_t rnd_opts_hdr(struct gen *g, uint8_t *p, size_t room)
{
	size_t units = chance(g, 90) ? rnd_range(g, 0, 4) : rnd8(g);

	if ((units + 1) * 8 > room)
		units = room / 8 - 1;
	p[1] = units;
	rnd_tlvs(g, p + 2, (units + 1) * 8 - 2);
	return (units + 1) * 8;
}

static void rnd_addr6(struct gen *g, uint8_t *p)
{
	switch (rnd_below(g, 4)) {
	case 0:
		memcpy(p, &g->dst6, sizeof(g->dst6));
		break;
	case 1:
		memcpy(p, &g->gw6, sizeof(g->gw6));
		break;
	case 2:
		memcpy(p, &g->src6, sizeof(g->src6));
		break;
	default:
		rnd_fill(g, p, sizeof(struct in6_addr));
	}
}

/* A routing header of type 0 (RFC 2460) or 4 (segment routing). */
static size_t rnd_routing_hdr(struct gen *g, uint8_t *p, size_t room)
{
	size_t n = rnd_range(g, 0, 4), i;
	unsigned int roll = rnd_below(g, 100);

	while (n && 8 + 16 * n > room)
		n--;
	memset(p + 1, 0, 7);
	p[1] = 2 * n;
	p[2] = roll < 45 ? 0 : roll < 90 ? 4 : rnd8(g);
	p[3] = chance(g, 90) ? rnd_range(g, 0, n) : rnd8(g);
	if (p[2] == 4) {
		p[4] = n ? n - 1 : 0;		/* last entry */
		put16(p + 6, rnd_below(g, 0x10000));	/* tag */
	}
	for (i = 0; i < n; i++)
		rnd_addr6(g, p + 8 + 16 * i);
	return 8 + 16 * n;
}

/* Fragment headers: half of them atomic. */
static size_t rnd_frag_hdr(struct gen *g, uint8_t *p)
{
	unsigned int slot = rnd_below(g, ID_POOL_SIZE);
	unsigned int off = chance(g, 50) ? 0 : rnd_frag_off(g, slot);

	put_frag6(p, 0, 8 * off, chance(g, 50), ID6_POOL + slot);
	return FRAG_HLEN;
}

/* An extension header but for its next header byte; 0 if no room. */
static size_t rnd_ext_hdr(struct gen *g, uint8_t *p, uint8_t type,
			  size_t room)
{
	if (room < 8)
		return 0;
	switch (type) {
	case IPPROTO_FRAGMENT:
		return rnd_frag_hdr(g, p);
	case IPPROTO_ROUTING:
		return rnd_routing_hdr(g, p, room);
	default:
		return rnd_opts_hdr(g, p, room);
	}
}

static bool is_ext_hdr(uint8_t nh)
{
	return nh == IPPROTO_HOPOPTS || nh == IPPROTO_ROUTING ||
	       nh == IPPROTO_FRAGMENT || nh == IPPROTO_DSTOPTS;
}

static void rnd_frag6(struct gen *g, struct rframe *r)
{
	size_t room = g->random_max - ETH_HLEN - IP6_HLEN - FRAG_HLEN;
	uint8_t nh = rnd_nexthdr(g);
	const struct in6_addr *dst;
	struct rfrag f;
	uint8_t *p;

	rnd_frag_pos(g, &f, g->next6, room);
	dst = f.slot & 1 ? &g->gw6 : &g->dst6;
	if (chance(g, 10))
		dst = rnd_dst6(g);
	p = put_eth(g, frame, g->gw_mac, ETH_P_IPV6);
	p = put_ip6(p, IPPROTO_FRAGMENT, FRAG_HLEN + f.len, &g->src6, dst,
		    HLIM);
	p = put_frag6(p, nh, 8 * f.off, f.more, ID6_POOL + f.slot);
	rnd_fill(g, p, f.len);
	if (!f.off && is_ext_hdr(nh)) {
		if (rnd_ext_hdr(g, p, nh, f.len))
			p[0] = rnd_nexthdr(g);
	} else if (!f.off && rnd_l4_head(g, p, f.len, nh)) {
		r->udp = p - frame;
	}
	r->len = p + f.len - frame;
}

/* The upper layer after an extension header chain; its length. */
static size_t rnd_upper6(struct gen *g, uint8_t *p, size_t room,
			 uint8_t *nh, const struct in6_addr *dst,
			 struct rframe *r)
{
	static const uint8_t up[] = {
		IPPROTO_UDP, IPPROTO_TCP, IPPROTO_ICMPV6, IPPROTO_NONE,
	};
	size_t len = rnd_range(g, 0, room < SHORT_MAX ? room : SHORT_MAX);

	*nh = chance(g, 90) ? up[rnd_below(g, ARRAY_SIZE(up))] : rnd8(g);
	rnd_fill(g, p, len);
	if (rnd_l4_head(g, p, len, *nh))
		r->udp = p - frame;
	if (*nh == IPPROTO_UDP || *nh == IPPROTO_TCP || *nh == IPPROTO_ICMPV6)
		l4_csum6(p, len, *nh, &g->src6, dst);
	return len;
}

/* 1-12 extension headers in random order, then an upper layer. */
static void rnd_chain6(struct gen *g, struct rframe *r)
{
	static const uint8_t types[] = {
		IPPROTO_HOPOPTS, IPPROTO_DSTOPTS, IPPROTO_ROUTING,
		IPPROTO_FRAGMENT,
	};
	const struct in6_addr *dst = rnd_dst6(g);
	unsigned int i, n = rnd_range(g, 1, 12);
	uint8_t *ip, *p, *nh, *end = frame + g->random_max;
	uint8_t type;
	size_t len;

	ip = put_eth(g, frame, g->gw_mac, ETH_P_IPV6);
	p = put_ip6(ip, 0, 0, &g->src6, dst, HLIM);
	nh = ip + 6;
	for (i = 0; i < n; i++) {
		type = types[rnd_below(g, ARRAY_SIZE(types))];
		len = rnd_ext_hdr(g, p, type, end - p);
		if (!len)
			break;
		*nh = type;
		nh = p;
		p += len;
	}
	p += rnd_upper6(g, p, end - p, nh, dst, r);
	put16(ip + 4, p - ip - IP6_HLEN);
	r->len = p - frame;
}

static void rnd_arp(struct gen *g, struct rframe *r)
{
	unsigned int roll = rnd_below(g, 100);
	uint8_t dst[ETH_ALEN];
	uint8_t *p;

	if (roll < 50)
		memcpy(dst, bcast_mac, ETH_ALEN);
	else if (roll < 80)
		memcpy(dst, g->gw_mac, ETH_ALEN);
	else
		rnd_fill(g, dst, ETH_ALEN);
	p = put_eth(g, frame, dst, ETH_P_ARP);
	rnd_fill(g, p, ARP_LEN);
	put16(p, chance(g, 90) ? 1 : rnd_below(g, 0x10000));
	put16(p + 2, chance(g, 90) ? ETH_P_IP : rnd_below(g, 0x10000));
	p[4] = chance(g, 90) ? ETH_ALEN : rnd8(g);
	p[5] = chance(g, 90) ? 4 : rnd8(g);
	put16(p + 6, chance(g, 80) ? rnd_range(g, 1, 2) : rnd_below(g, 0x10000));
	if (chance(g, 80))
		memcpy(p + 8, g->mac, ETH_ALEN);
	if (chance(g, 70))
		memcpy(p + 14, &g->src4, 4);
	if (chance(g, 50))
		memset(p + 18, 0, ETH_ALEN);
	roll = rnd_below(g, 100);
	if (roll < 60)
		memcpy(p + 24, &g->gw4, 4);
	else if (roll < 80)
		memcpy(p + 24, &g->src4, 4);
	p += ARP_LEN;
	if (chance(g, 50)) {
		memset(p, 0, ETH_MIN - ETH_HLEN - ARP_LEN);
		p += ETH_MIN - ETH_HLEN - ARP_LEN;
	}
	r->len = p - frame;
}

/* The most a payload may be: mostly short, sometimes all there is room for. */
static size_t rnd_short(struct gen *g, size_t room)
{
	return chance(g, 80) && room > SHORT_MAX ? SHORT_MAX : room;
}

/* UDP, TCP or ICMP, checksummed: the datagram as a guest would send it. */
static void rnd_ip4(struct gen *g, struct rframe *r)
{
	static const uint8_t protos[] = {
		IPPROTO_UDP, IPPROTO_UDP, IPPROTO_TCP, IPPROTO_ICMP,
	};
	uint8_t proto = protos[rnd_below(g, ARRAY_SIZE(protos))];
	const struct in_addr *dst = rnd_dst4(g);
	size_t room = g->random_max - ETH_HLEN - IP4_HLEN;
	size_t len = rnd_range(g, TCP_HLEN, rnd_short(g, room));
	uint8_t *ip, *p;

	ip = put_eth(g, frame, g->gw_mac, ETH_P_IP);
	p = put_ip4(ip, proto, rnd_below(g, 0x10000),
		    chance(g, 50) ? IP4_DF : 0, len, &g->src4, dst);
	if (chance(g, 10)) {
		ip[8] = rnd_range(g, 0, 2);	/* ttl */
		ip4_csum(ip, IP4_HLEN);
	}
	rnd_fill(g, p, len);
	if (rnd_l4_head(g, p, len, proto)) {
		put16(p + 4, len);
		r->udp = p - frame;
	}
	if (proto == IPPROTO_ICMP && chance(g, 30))
		p[0] = rnd_below(g, 20);
	l4_csum4(p, len, proto, &g->src4, dst);
	r->len = p + len - frame;
}

/* A few random neighbour discovery options, as many as fit. */
static size_t rnd_nd_opts(struct gen *g, uint8_t *p, size_t room)
{
	unsigned int i, n = rnd_below(g, 5), roll;
	size_t len = 0, olen;
	uint8_t mac[ETH_ALEN];

	for (i = 0; i < n; i++) {
		roll = rnd_below(g, 100);
		olen = roll < 60 ? 8 : roll < 75 ? 32 : 8 * rnd_range(g, 1, 3);
		if (len + olen > room)
			break;
		rnd_fill(g, p + len, olen);
		rnd_fill(g, mac, ETH_ALEN);
		if (roll < 60)
			mk_lla(p + len, rnd_range(g, ND_OPT_SLLA, ND_OPT_TLLA),
			       chance(g, 80) ? g->mac : mac);
		else if (roll < 75)
			p[len] = ND_OPT_PREFIX;
		else if (roll < 85)
			p[len] = ND_OPT_MTU;
		p[len + 1] = chance(g, 90) ? olen / 8 : rnd_below(g, 4);
		len += olen;
	}
	return len;
}

/* RS, NS or NA; returns the message length and sets the destination. */
static size_t rnd_nd(struct gen *g, uint8_t *p, size_t room,
		     struct in6_addr *dst)
{
	static const struct in6_addr all_nodes = {
		{ { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } }
	};
	static const struct in6_addr all_routers = {
		{ { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 } }
	};
	unsigned int roll = rnd_below(g, 3);
	size_t len = roll ? NS_LEN : 8;
	struct in6_addr target;

	memset(p, 0, len);
	if (!roll) {
		p[0] = ND_RS;
		*dst = chance(g, 80) ? all_routers : g->gw6;
	} else if (roll == 1) {
		p[0] = ND_NS;
		if (chance(g, 80))
			memcpy(p + 8, &g->gw6, sizeof(g->gw6));
		else
			rnd_addr6(g, p + 8);
		memcpy(&target, p + 8, sizeof(target));
		if (chance(g, 60))
			solicited_node(&target, dst);
		else
			*dst = g->gw6;
	} else {
		p[0] = ND_NA;
		p[4] = rnd8(g) & 0xe0;		/* R, S, O */
		memcpy(p + 8, &g->src6, sizeof(g->src6));
		*dst = chance(g, 50) ? all_nodes : g->gw6;
	}
	if (chance(g, 5))
		p[1] = rnd8(g);			/* code */
	return len + rnd_nd_opts(g, p + len, room - len);
}

/* UDP, TCP, an echo request or ND, checksummed. */
static void rnd_ip6(struct gen *g, struct rframe *r)
{
	static const uint8_t protos[] = {
		IPPROTO_UDP, IPPROTO_TCP, IPPROTO_ICMPV6, IPPROTO_ICMPV6,
	};
	uint8_t proto = protos[rnd_below(g, ARRAY_SIZE(protos))];
	size_t room = g->random_max - ETH_HLEN - IP6_HLEN;
	size_t len = rnd_range(g, TCP_HLEN, rnd_short(g, room));
	uint8_t hlim = HLIM, eth_dst[ETH_ALEN];
	struct in6_addr dst = *rnd_dst6(g);
	uint8_t *p = frame + ETH_HLEN + IP6_HLEN;

	rnd_fill(g, p, len);
	if (proto == IPPROTO_ICMPV6 && chance(g, 60)) {
		len = rnd_nd(g, p, room, &dst);
		hlim = chance(g, 90) ? HLIM_ND : HLIM;
	} else if (rnd_l4_head(g, p, len, proto)) {
		put16(p + 4, len);
		r->udp = p - frame;
	}
	l4_csum6(p, len, proto, &g->src6, &dst);
	if (dst.s6_addr[0] == 0xff)
		mcast_mac(&dst, eth_dst);
	else
		memcpy(eth_dst, g->gw_mac, ETH_ALEN);
	put_ip6(put_eth(g, frame, eth_dst, ETH_P_IPV6), proto, len, &g->src6,
		&dst, hlim);
	r->len = p + len - frame;
}

/* Random bytes after a plausible Ethernet header. */
static void rnd_bytes(struct gen *g, struct rframe *r)
{
	static const unsigned int types[] = { ETH_P_IP, ETH_P_IPV6, ETH_P_ARP };
	unsigned int type = types[rnd_below(g, ARRAY_SIZE(types))];

	r->len = rnd_range(g, ETH_HLEN, g->random_max);
	put_eth(g, frame, g->gw_mac, type);
	rnd_fill(g, frame + ETH_HLEN, r->len - ETH_HLEN);
	r->broken = true;
}

/* Overwrite IPv4 tot_len, IPv6 payload_len or UDP len: often off by little. */
static void rnd_length_field(struct gen *g, struct rframe *r)
{
	unsigned int type = get16(frame + 2 * ETH_ALEN);
	uint8_t *field = NULL;

	if (r->udp && r->udp + UDP_HLEN <= r->len && chance(g, 50))
		field = frame + r->udp + 4;
	else if (type == ETH_P_IP && r->len >= ETH_HLEN + IP4_HLEN)
		field = frame + ETH_HLEN + 2;
	else if (type == ETH_P_IPV6 && r->len >= ETH_HLEN + IP6_HLEN)
		field = frame + ETH_HLEN + 4;
	if (!field)
		return;
	if (chance(g, 50))
		put16(field, (get16(field) + rnd_below(g, 33) - 16) & 0xffff);
	else
		put16(field, rnd_below(g, 0x10000));
}

static void rnd_mutate(struct gen *g, struct rframe *r)
{
	unsigned int i, n;
	size_t at;

	r->broken = true;
	switch (rnd_below(g, 3)) {
	case 0:
		n = rnd_range(g, 1, 4);
		for (i = 0; i < n; i++) {
			at = rnd_below(g, r->len);
			frame[at] ^= 1 << rnd_below(g, 8);
		}
		break;
	case 1:
		if (r->len > ETH_HLEN)
			r->len = rnd_range(g, ETH_HLEN, r->len - 1);
		break;
	default:
		rnd_length_field(g, r);
	}
}

/* Make a broken IPv4 header's checksum right again, if it is all there. */
static void rnd_fix_ip4(struct rframe *r)
{
	uint8_t *ip = frame + ETH_HLEN;
	size_t hlen = (ip[0] & 0xf) * 4;

	if (hlen < IP4_HLEN)
		hlen = IP4_HLEN;
	if (r->len >= ETH_HLEN + hlen)
		ip4_csum(ip, hlen);
}

struct rkind {
	unsigned int weight;	/* in percent */
	const char *name;
	void (*make)(struct gen *g, struct rframe *r);
};

static const struct rkind rkinds[] = {
	{ 25, "frag4", rnd_frag4 },
	{ 25, "frag6", rnd_frag6 },
	{ 10, "chain6", rnd_chain6 },
	{ 10, "arp", rnd_arp },
	{ 10, "ip4", rnd_ip4 },
	{ 10, "ip6", rnd_ip6 },
	{ 10, "bytes", rnd_bytes },
};

/* Make a random frame in frame[]; returns its kind. */
static const char *rnd_frame(struct gen *g, struct rframe *r)
{
	unsigned int i, roll = rnd_below(g, 100);

	memset(r, 0, sizeof(*r));
	for (i = 0; i + 1 < ARRAY_SIZE(rkinds); i++) {
		if (roll < rkinds[i].weight)
			break;
		roll -= rkinds[i].weight;
	}
	rkinds[i].make(g, r);
	if (chance(g, 30))
		rnd_mutate(g, r);
	if (r->broken && get16(frame + 2 * ETH_ALEN) == ETH_P_IP &&
	    chance(g, 80))
		rnd_fix_ip4(r);
	return rkinds[i].name;
}

/* Does an IPv6 packet have a fragment header with an offset or M set? */
static bool ip6_is_fragment(const uint8_t *ip, size_t len)
{
	size_t off = IP6_HLEN;
	uint8_t nh = ip[6];
	unsigned int i;

	for (i = 0; i < 64 && off + FRAG_HLEN <= len; i++) {
		if (nh == IPPROTO_FRAGMENT) {
			if (get16(ip + off + 2) & FRAG_MASK)
				return true;
			nh = ip[off];
			off += FRAG_HLEN;
		} else if (nh == IPPROTO_HOPOPTS || nh == IPPROTO_ROUTING ||
			   nh == IPPROTO_DSTOPTS) {
			nh = ip[off];
			off += (ip[off + 1] + 1) * 8;
		} else if (nh == IPPROTO_AH) {
			nh = ip[off];
			off += (ip[off + 1] + 2) * 4;
		} else {
			break;
		}
	}
	return false;
}

/* 4 or 6 if the frame's header says it is an IPv4 or IPv6 fragment. */
static int frame_fragment(size_t len)
{
	unsigned int type = get16(frame + 2 * ETH_ALEN);
	const uint8_t *ip = frame + ETH_HLEN;

	if (type == ETH_P_IP && len >= ETH_HLEN + IP4_HLEN &&
	    ip[0] >> 4 == 4 && (get16(ip + 6) & IP4_FRAGMASK))
		return 4;
	if (type == ETH_P_IPV6 && len >= ETH_HLEN + IP6_HLEN &&
	    ip[0] >> 4 == 6 && ip6_is_fragment(ip, len - ETH_HLEN))
		return 6;
	return 0;
}

struct rstats {
	unsigned long sent, frag4, frag6, other, dropped;
};

static bool send_random(struct gen *g, uint64_t n, uint64_t seed)
{
	struct rstats s = { 0 };
	struct rframe r;
	char name[64];
	const char *kind;
	uint64_t i;
	bool ok = true;

	printf("seed %llu\n", (unsigned long long)seed);
	rnd_seed(g, seed);
	memset(g->next4, 0, sizeof(g->next4));
	memset(g->next6, 0, sizeof(g->next6));
	g->name = name;
	for (i = 0; i < n && ok; i++) {
		kind = rnd_frame(g, &r);
		snprintf(name, sizeof(name), "random-%llu-%s",
			 (unsigned long long)i, kind);
		g->frames = 0;
		g->status = TX_OK;
		tx(g, r.len);
		switch (g->status) {
		case TX_OK:
			s.sent++;
			break;
		case TX_DROPPED:
			s.dropped++;
			continue;
		default:
			tx_error(g);
			ok = false;
			continue;
		}
		switch (frame_fragment(r.len)) {
		case 4:
			s.frag4++;
			break;
		case 6:
			s.frag6++;
			break;
		default:
			s.other++;
		}
	}
	printf("sent %lu frames: %lu ipv4 fragments, %lu ipv6 fragments, %lu other, %lu not sent\n",
	       s.sent, s.frag4, s.frag6, s.other, s.dropped);
	return ok;
}

/*
 * Floods: many frames of one kind, each with fresh identities, to load one
 * of the gateway's services (DNS, reassembly, ARP, NDP, DHCP) or to spoof.
 */

#define FLOOD_FRAG_DATA	1024		/* data in each first fragment */
#define FLOOD_FRAG_ULEN	4000		/* the UDP length it claims */
#define FLOOD_NAME_LEN	12		/* random label of a DNS name */
#define DNS_PORT	53
#define BOOTPS		67
#define BOOTPC		68
#define BOOTP_LEN	236
#define DHCP_MAGIC	0x63825363
#define DHCP_DISCOVER	1
#define DHCP_REQUEST	3
#define CLIENT_ID_LEN	9		/* type 0xff, IAID, DUID: any bytes */
#define ND_RS_LEN	8

/* A random unicast, locally administered MAC address. */
static void rnd_mac(struct gen *g, uint8_t *mac)
{
	rnd_fill(g, mac, ETH_ALEN);
	mac[0] = (mac[0] & 0xfc) | 0x02;
}

/* A UDP datagram of plen bytes (already at p + 8), checksummed. */
static size_t put_udp4(uint8_t *p, unsigned int sport, unsigned int dport,
		       size_t plen, const struct in_addr *src,
		       const struct in_addr *dst)
{
	put16(p, sport);
	put16(p + 2, dport);
	put16(p + 4, UDP_HLEN + plen);
	put16(p + 6, 0);
	l4_csum4(p, UDP_HLEN + plen, IPPROTO_UDP, src, dst);
	return UDP_HLEN + plen;
}

static size_t put_udp6(uint8_t *p, unsigned int sport, unsigned int dport,
		       size_t plen, const struct in6_addr *src,
		       const struct in6_addr *dst)
{
	put16(p, sport);
	put16(p + 2, dport);
	put16(p + 4, UDP_HLEN + plen);
	put16(p + 6, 0);
	l4_csum6(p, UDP_HLEN + plen, IPPROTO_UDP, src, dst);
	return UDP_HLEN + plen;
}

/* A query for a random name under flood.example: its length. */
static size_t mk_dns_query(struct gen *g, uint8_t *p)
{
	static const char zone[] = {
		5, 'f', 'l', 'o', 'o', 'd', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0
	};
	uint8_t *q = p + 12;
	unsigned int i;

	put16(p, rnd(g) & 0xffff);
	put16(p + 2, 0x0100);			/* RD */
	put16(p + 4, 1);
	memset(p + 6, 0, 6);
	*q++ = FLOOD_NAME_LEN;
	for (i = 0; i < FLOOD_NAME_LEN; i++)
		*q++ = 'a' + rnd_below(g, 26);
	memcpy(q, zone, sizeof(zone));		/* with the root's 0 */
	q += sizeof(zone);
	put16(q, 1);				/* A */
	put16(q + 2, 1);			/* IN */
	return q + 4 - p;
}

static unsigned int flood_sport(struct gen *g)
{
	return g->sport ? g->sport : rnd_range(g, 1024, 65535);
}

static size_t flood_dns(struct gen *g, uint64_t i)
{
	uint8_t *l3 = put_eth(g, frame, g->gw_mac, ETH_P_IP);
	uint8_t *l4 = l3 + IP4_HLEN;
	size_t len;

	len = put_udp4(l4, flood_sport(g), DNS_PORT,
		       mk_dns_query(g, l4 + UDP_HLEN), &g->src4, &g->dns4);
	put_ip4(l3, IPPROTO_UDP, i & 0xffff, 0, len, &g->src4, &g->dns4);
	return l4 + len - frame;
}

/* First fragments only, each of its own datagram: reassembly holds them. */
static size_t flood_frag4(struct gen *g, uint64_t i)
{
	uint8_t *l3 = put_eth(g, frame, g->gw_mac, ETH_P_IP);
	uint8_t *l4 = l3 + IP4_HLEN;

	(void)i;
	mk_udp(l4, FLOOD_FRAG_DATA - UDP_HLEN, FLOOD_FRAG_ULEN);
	put16(l4, flood_sport(g));
	put16(l4 + 2, g->dport);
	put_ip4(l3, IPPROTO_UDP, rnd(g) & 0xffff, IP4_MF, FLOOD_FRAG_DATA,
		&g->src4, &g->dst4);
	return l4 + FLOOD_FRAG_DATA - frame;
}

static size_t flood_frag6(struct gen *g, uint64_t i)
{
	uint8_t *l3 = put_eth(g, frame, g->gw_mac, ETH_P_IPV6);
	uint8_t *fh = l3 + IP6_HLEN;
	uint8_t *l4 = fh + FRAG_HLEN;

	(void)i;
	put_ip6(l3, IPPROTO_FRAGMENT, FRAG_HLEN + FLOOD_FRAG_DATA, &g->src6,
		&g->dst6, HLIM);
	put_frag6(fh, IPPROTO_UDP, 0, true, (uint32_t)rnd(g));
	mk_udp(l4, FLOOD_FRAG_DATA - UDP_HLEN, FLOOD_FRAG_ULEN);
	put16(l4, flood_sport(g));
	put16(l4 + 2, g->dport);
	return l4 + FLOOD_FRAG_DATA - frame;
}

/* Who-has the gateway, from a new MAC and a new address of the subnet
 * every time (never the guest's: .16 to .250).
 */
static size_t flood_arp(struct gen *g, uint64_t i)
{
	uint8_t *p = put_eth(g, frame, bcast_mac, ETH_P_ARP);
	uint32_t sip = ntohl(g->gw4.s_addr) & 0xffffff00;

	(void)i;
	put16(p, ARPHRD_ETHER);
	put16(p + 2, ETH_P_IP);
	p[4] = ETH_ALEN;
	p[5] = 4;
	put16(p + 6, 1);			/* request */
	memcpy(p + 8, g->mac, ETH_ALEN);
	put32(p + 14, sip | rnd_range(g, 16, 250));
	memset(p + 18, 0, ETH_ALEN);
	memcpy(p + 24, &g->gw4, 4);
	memset(p + ARP_LEN, 0, ETH_MIN - ETH_HLEN - ARP_LEN);
	return ETH_MIN;
}

/* A link-local address whose interface identifier is random. */
static void rnd_ll6(struct gen *g, struct in6_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->s6_addr[0] = 0xfe;
	a->s6_addr[1] = 0x80;
	rnd_fill(g, a->s6_addr + 8, 8);
}

/* Even frames a Neighbour Solicitation for the gateway, odd ones a Router
 * Solicitation: from a new MAC and link-local address every time.
 */
static size_t flood_ndp(struct gen *g, uint64_t i)
{
	static const struct in6_addr all_routers = {
		{ { 0xff, 0x02, [15] = 0x02 } }
	};
	struct in6_addr src, group;
	const struct in6_addr *dst;
	uint8_t mac[ETH_ALEN];
	uint8_t *l3, *l4;
	size_t len;

	rnd_ll6(g, &src);
	if (i & 1) {
		dst = &all_routers;
		mcast_mac(dst, mac);
	} else {
		solicited_node(&g->gw6, &group);
		dst = &group;
		mcast_mac(dst, mac);
	}
	l3 = put_eth(g, frame, mac, ETH_P_IPV6);
	l4 = l3 + IP6_HLEN;
	if (i & 1) {
		memset(l4, 0, ND_RS_LEN);
		l4[0] = ND_RS;
		len = ND_RS_LEN + mk_lla(l4 + ND_RS_LEN, ND_OPT_SLLA, g->mac);
	} else {
		len = mk_ns(g, l4, &g->gw6);
	}
	put_ip6(l3, IPPROTO_ICMPV6, len, &src, dst, HLIM_ND);
	l4_csum6(l4, len, IPPROTO_ICMPV6, &src, dst);
	return l4 + len - frame;
}

/* DHCP DISCOVERs (even) and INIT-REBOOT REQUESTs for the guest's address
 * (odd), a new chaddr, client identifier and xid every time.
 */
static size_t flood_dhcp(struct gen *g, uint64_t i)
{
	static const struct in_addr any = { 0 };
	struct in_addr bcast = { htonl(INADDR_BROADCAST) };
	uint8_t *l3 = put_eth(g, frame, bcast_mac, ETH_P_IP);
	uint8_t *l4 = l3 + IP4_HLEN;
	uint8_t *b = l4 + UDP_HLEN, *o;
	size_t len;

	memset(b, 0, BOOTP_LEN);
	b[0] = 1;				/* BOOTREQUEST */
	b[1] = ARPHRD_ETHER;
	b[2] = ETH_ALEN;
	rnd_fill(g, b + 4, 4);			/* xid */
	put16(b + 10, 0x8000);			/* broadcast */
	memcpy(b + 28, g->mac, ETH_ALEN);	/* chaddr */
	o = b + BOOTP_LEN;
	put32(o, DHCP_MAGIC);
	o += 4;
	*o++ = 53;
	*o++ = 1;
	*o++ = i & 1 ? DHCP_REQUEST : DHCP_DISCOVER;
	*o++ = 61;
	*o++ = CLIENT_ID_LEN;
	*o++ = 0xff;
	rnd_fill(g, o, CLIENT_ID_LEN - 1);
	o += CLIENT_ID_LEN - 1;
	if (i & 1) {
		*o++ = 50;			/* requested address */
		*o++ = 4;
		memcpy(o, &g->src4, 4);
		o += 4;
	}
	*o++ = 255;
	len = put_udp4(l4, BOOTPC, BOOTPS, o - b, &any, &bcast);
	put_ip4(l3, IPPROTO_UDP, i & 0xffff, 0, len, &any, &bcast);
	return l4 + len - frame;
}

/* The payload of a flood datagram: its number, then a pattern. */
static void flood_payload(struct gen *g, uint8_t *p, uint64_t i)
{
	pattern(p + 16, g->payload - 16);
	snprintf((char *)p, 17, "spoof %010llu", (unsigned long long)i);
}

/* Plain datagrams from --src4/--src6 and --sport to --dst4/--dst6 and
 * --dport, --payload bytes: with those options and --src-mac, a spoofer.
 */
static size_t flood_udp4(struct gen *g, uint64_t i)
{
	uint8_t *l3 = put_eth(g, frame, g->gw_mac, ETH_P_IP);
	uint8_t *l4 = l3 + IP4_HLEN;
	size_t len;

	flood_payload(g, l4 + UDP_HLEN, i);
	len = put_udp4(l4, flood_sport(g), g->dport, g->payload, &g->src4,
		       &g->dst4);
	put_ip4(l3, IPPROTO_UDP, i & 0xffff, 0, len, &g->src4, &g->dst4);
	return l4 + len - frame;
}

static size_t flood_udp6(struct gen *g, uint64_t i)
{
	uint8_t *l3 = put_eth(g, frame, g->gw_mac, ETH_P_IPV6);
	uint8_t *l4 = l3 + IP6_HLEN;
	size_t len;

	flood_payload(g, l4 + UDP_HLEN, i);
	len = put_udp6(l4, flood_sport(g), g->dport, g->payload, &g->src6,
		       &g->dst6);
	put_ip6(l3, IPPROTO_UDP, len, &g->src6, &g->dst6, HLIM);
	return l4 + len - frame;
}

/* A SYN from a random source port and sequence number to --dport. */
static size_t mk_syn(struct gen *g, uint8_t *p)
{
	memset(p, 0, TCP_HLEN);
	put16(p, flood_sport(g));
	put16(p + 2, g->dport);
	put32(p + 4, (uint32_t)rnd(g));
	p[12] = (TCP_HLEN / 4) << 4;
	p[13] = TCP_SYN;
	put16(p + 14, 0xffff);
	return TCP_HLEN;
}

/* The IPv4 or IPv6 header and checksum around @len bytes of @proto at l4. */
static size_t wrap4(struct gen *g, uint8_t *l3, uint8_t proto, size_t len,
		    uint64_t i)
{
	uint8_t *l4 = l3 + IP4_HLEN;

	l4_csum4(l4, len, proto, &g->src4, &g->dst4);
	put_ip4(l3, proto, i & 0xffff, 0, len, &g->src4, &g->dst4);
	return l4 + len - frame;
}

static size_t wrap6(struct gen *g, uint8_t *l3, uint8_t proto, size_t len)
{
	uint8_t *l4 = l3 + IP6_HLEN;

	l4_csum6(l4, len, proto, &g->src6, &g->dst6);
	put_ip6(l3, proto, len, &g->src6, &g->dst6, HLIM);
	return l4 + len - frame;
}

static size_t flood_syn4(struct gen *g, uint64_t i)
{
	uint8_t *l3 = put_eth(g, frame, g->gw_mac, ETH_P_IP);

	return wrap4(g, l3, IPPROTO_TCP, mk_syn(g, l3 + IP4_HLEN), i);
}

static size_t flood_syn6(struct gen *g, uint64_t i)
{
	uint8_t *l3 = put_eth(g, frame, g->gw_mac, ETH_P_IPV6);

	(void)i;
	return wrap6(g, l3, IPPROTO_TCP, mk_syn(g, l3 + IP6_HLEN));
}

/* An echo request with a random identifier, sequence number i. */
static size_t mk_ping(struct gen *g, uint8_t *p, uint8_t type, uint64_t i)
{
	size_t len = mk_echo(p, type, 8);

	put16(p + 4, rnd(g) & 0xffff);
	put16(p + 6, i & 0xffff);
	return len;
}

static size_t flood_ping4(struct gen *g, uint64_t i)
{
	uint8_t *l3 = put_eth(g, frame, g->gw_mac, ETH_P_IP);

	return wrap4(g, l3, IPPROTO_ICMP,
		     mk_ping(g, l3 + IP4_HLEN, ICMP_ECHO, i), i);
}

static size_t flood_ping6(struct gen *g, uint64_t i)
{
	uint8_t *l3 = put_eth(g, frame, g->gw_mac, ETH_P_IPV6);

	return wrap6(g, l3, IPPROTO_ICMPV6,
		     mk_ping(g, l3 + IP6_HLEN, ICMP6_ECHO, i));
}

struct flood {
	const char *name;
	size_t (*make)(struct gen *g, uint64_t i);
	bool new_mac;		/* a random source MAC for every frame */
};

static const struct flood floods[] = {
	{ "dns", flood_dns, false },
	{ "frag4", flood_frag4, false },
	{ "frag6", flood_frag6, false },
	{ "arp", flood_arp, true },
	{ "ndp", flood_ndp, true },
	{ "dhcp", flood_dhcp, true },
	{ "udp4", flood_udp4, false },
	{ "udp6", flood_udp6, false },
	{ "syn4", flood_syn4, false },
	{ "syn6", flood_syn6, false },
	{ "ping4", flood_ping4, false },
	{ "ping6", flood_ping6, false },
};

static const struct flood *find_flood(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(floods); i++)
		if (!strcmp(floods[i].name, name))
			return &floods[i];
	return NULL;
}

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + t.tv_nsec;
}

/* Sleep until frame i is due at rate frames a second from start. */
static void flood_pace(uint64_t start, uint64_t i, uint64_t rate)
{
	uint64_t due = start + i * 1000000000ULL / rate, now = now_ns();
	struct timespec t;

	if (due <= now)
		return;
	t.tv_sec = (due - now) / 1000000000ULL;
	t.tv_nsec = (due - now) % 1000000000ULL;
	nanosleep(&t, NULL);
}

static bool send_flood(struct gen *g, const struct flood *f, uint64_t n,
		       uint64_t seed)
{
	uint8_t own_mac[ETH_ALEN];
	uint64_t i, start, dropped = 0;
	char name[32];
	bool ok = true;

	printf("seed %llu\n", (unsigned long long)seed);
	rnd_seed(g, seed);
	memcpy(own_mac, g->mac, ETH_ALEN);
	snprintf(name, sizeof(name), "flood-%s", f->name);
	g->name = name;
	start = now_ns();
	for (i = 0; i < n && ok; i++) {
		if (g->rate)
			flood_pace(start, i, g->rate);
		if (f->new_mac)
			rnd_mac(g, g->mac);
		if (g->ndst4)
			g->dst4 = g->dsts4[i % g->ndst4];
		if (g->ndst6)
			g->dst6 = g->dsts6[i % g->ndst6];
		g->frames = 0;
		g->status = TX_OK;
		tx(g, f->make(g, i));
		if (g->status == TX_DROPPED) {
			dropped++;
		} else if (g->status != TX_OK) {
			tx_error(g);
			ok = false;
		}
	}
	memcpy(g->mac, own_mac, ETH_ALEN);
	printf("sent %s %llu in %llu ms, %llu not sent\n", name,
	       (unsigned long long)(i - dropped),
	       (unsigned long long)((now_ns() - start) / 1000000),
	       (unsigned long long)dropped);
	return ok;
}

/*
 * Command line
 */

static void print_help(FILE *f)
{
	fprintf(f,
		"usage: unat-frames [options] IFACE COMMAND [ARGS...]\n"
		"commands:\n"
		"  list             the catalogue's names (IFACE may be -)\n"
		"  send NAME...     send the named catalogue entries\n"
		"  all              send the whole catalogue\n"
		"  random N         send N random, often mutated, frames\n"
		"  echo4|echo6 N    N echo requests, identifiers 1..N\n"
		"  flood KIND N     N frames of KIND: dns frag4 frag6 arp ndp dhcp\n"
		"                   udp4 udp6 syn4 syn6 ping4 ping6\n"
		"options:\n"
		"  --gw-mac MAC     Ethernet destination (needed to send)\n"
		"  --src4 A         guest IPv4 address (10.0.2.15)\n"
		"  --dst4 A         remote IPv4 address (203.0.113.2); given\n"
		"                   again, floods take each in turn\n"
		"  --gw4 A          gateway IPv4 address (10.0.2.2)\n"
		"  --src6 A         guest IPv6 address (fd75:6e61:7400:2::15)\n"
		"  --dst6 A         remote IPv6 address (2001:db8:1::2), as --dst4\n"
		"  --gw6 A          gateway IPv6 address (fd75:6e61:7400:2::2)\n"
		"  --dns4 A         DNS address (10.0.2.3)\n"
		"  --sport P        flood: UDP source port (random)\n"
		"  --dport P        flood: UDP destination port (7777)\n"
		"  --rate R         flood: at most R frames a second\n"
		"  --payload N      flood udp4/udp6: UDP payload bytes (16)\n"
		"  --src-mac MAC    Ethernet source (the interface's)\n"
		"  --seed N         PRNG seed for random and flood (getrandom())\n"
		"  --verbose        one line per frame, on stderr\n");
}

static int usage_error(const char *what, const char *arg)
{
	fprintf(stderr, "unat-frames: %s%s%s\n", what, arg ? ": " : "",
		arg ? arg : "");
	print_help(stderr);
	return 2;
}

static bool parse_mac(const char *s, uint8_t *mac)
{
	unsigned int i;
	unsigned long v;
	char *end;

	for (i = 0; i < ETH_ALEN; i++) {
		if (!isxdigit((unsigned char)*s))
			return false;
		v = strtoul(s, &end, 16);
		if (end - s > 2)
			return false;
		mac[i] = v;
		s = end;
		if (i + 1 < ETH_ALEN && *s++ != ':')
			return false;
	}
	return !*s;
}

static bool parse_u64(const char *s, uint64_t *v)
{
	unsigned long long n;
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || *end)
		return false;
	*v = n;
	return true;
}

enum {
	OPT_GW_MAC = 256, OPT_SRC4, OPT_DST4, OPT_GW4, OPT_SRC6, OPT_DST6,
	OPT_GW6, OPT_DNS4, OPT_SEED, OPT_SPORT, OPT_DPORT, OPT_RATE,
	OPT_SRC_MAC, OPT_PAYLOAD,
};

static const struct option long_opts[] = {
	{ "gw-mac", required_argument, NULL, OPT_GW_MAC },
	{ "src4", required_argument, NULL, OPT_SRC4 },
	{ "dst4", required_argument, NULL, OPT_DST4 },
	{ "gw4", required_argument, NULL, OPT_GW4 },
	{ "src6", required_argument, NULL, OPT_SRC6 },
	{ "dst6", required_argument, NULL, OPT_DST6 },
	{ "gw6", required_argument, NULL, OPT_GW6 },
	{ "dns4", required_argument, NULL, OPT_DNS4 },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "sport", required_argument, NULL, OPT_SPORT },
	{ "dport", required_argument, NULL, OPT_DPORT },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "src-mac", required_argument, NULL, OPT_SRC_MAC },
	{ "payload", required_argument, NULL, OPT_PAYLOAD },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct cmdline {
	const char *ifname;
	const char *cmd;
	char **args;
	int nargs;
	uint64_t seed;
	bool have_seed;
	uint64_t count;		/* random N */
	const struct flood *flood;
	uint8_t src_mac[ETH_ALEN];
	bool have_src_mac;
};

/* The address options; false if the argument is no address. */
static bool parse_addr(struct gen *g, int opt, const char *arg)
{
	switch (opt) {
	case OPT_SRC4:
		return inet_pton(AF_INET, arg, &g->src4) == 1;
	case OPT_DST4:
		if (g->ndst4 == MAX_DSTS ||
		    inet_pton(AF_INET, arg, &g->dsts4[g->ndst4]) != 1)
			return false;
		g->dst4 = g->dsts4[g->ndst4++];
		return true;
	case OPT_GW4:
		return inet_pton(AF_INET, arg, &g->gw4) == 1;
	case OPT_SRC6:
		return inet_pton(AF_INET6, arg, &g->src6) == 1;
	case OPT_DST6:
		if (g->ndst6 == MAX_DSTS ||
		    inet_pton(AF_INET6, arg, &g->dsts6[g->ndst6]) != 1)
			return false;
		g->dst6 = g->dsts6[g->ndst6++];
		return true;
	case OPT_DNS4:
		return inet_pton(AF_INET, arg, &g->dns4) == 1;
	default:
		return inet_pton(AF_INET6, arg, &g->gw6) == 1;
	}
}

/* 0 to go on, else the exit status. */
static int parse_opts(struct gen *g, struct cmdline *c, int argc,
		      char **argv)
{
	uint64_t v;
	int opt;

	while ((opt = getopt_long(argc, argv, "vh", long_opts, NULL)) != -1) {
		switch (opt) {
		case OPT_GW_MAC:
			if (!parse_mac(optarg, g->gw_mac))
				return usage_error("bad MAC address", optarg);
			g->have_gw_mac = true;
			break;
		case OPT_SRC4 ... OPT_DNS4:
			if (!parse_addr(g, opt, optarg))
				return usage_error("bad address (or too many)",
						   optarg);
			break;
		case OPT_SEED:
			if (!parse_u64(optarg, &c->seed))
				return usage_error("bad seed", optarg);
			c->have_seed = true;
			break;
		case OPT_SPORT:
		case OPT_DPORT:
			if (!parse_u64(optarg, &v) || !v || v > 65535)
				return usage_error("bad port", optarg);
			*(opt == OPT_SPORT ? &g->sport : &g->dport) = v;
			break;
		case OPT_RATE:
			if (!parse_u64(optarg, &g->rate))
				return usage_error("bad rate", optarg);
			break;
		case OPT_PAYLOAD:
			if (!parse_u64(optarg, &v) || v < 16 ||
			    v > FLOOD_PAYLOAD_MAX)
				return usage_error("bad payload size", optarg);
			g->payload = v;
			break;
		case OPT_SRC_MAC:
			if (!parse_mac(optarg, c->src_mac))
				return usage_error("bad MAC address", optarg);
			c->have_src_mac = true;
			break;
		case 'v':
			g->verbose = true;
			break;
		case 'h':
			print_help(stdout);
			exit(0);
		default:
			print_help(stderr);
			return 2;
		}
	}
	if (argc - optind < 2)
		return usage_error("IFACE and COMMAND needed", NULL);
	c->ifname = argv[optind];
	c->cmd = argv[optind + 1];
	c->args = argv + optind + 2;
	c->nargs = argc - optind - 2;
	return 0;
}

/* Check the command's arguments before anything is sent. */
static int check_cmd(const struct gen *g, struct cmdline *c)
{
	int i;

	if (!strcmp(c->cmd, "list") || !strcmp(c->cmd, "all")) {
		if (c->nargs)
			return usage_error("too many arguments", c->args[0]);
	} else if (!strcmp(c->cmd, "send")) {
		if (!c->nargs)
			return usage_error("send: no NAME", NULL);
		for (i = 0; i < c->nargs; i++)
			if (find_entry(c->args[i]) < 0)
				return usage_error("unknown name", c->args[i]);
	} else if (!strcmp(c->cmd, "random") || !strcmp(c->cmd, "echo4") ||
		   !strcmp(c->cmd, "echo6")) {
		if (c->nargs != 1 || !parse_u64(c->args[0], &c->count))
			return usage_error("a count N is needed", c->cmd);
		if (c->cmd[0] == 'e' && (!c->count || c->count > 65535))
			return usage_error("echo: N from 1 to 65535", NULL);
	} else if (!strcmp(c->cmd, "flood")) {
		if (c->nargs != 2 || !parse_u64(c->args[1], &c->count))
			return usage_error("flood: KIND and a count N are needed",
					   NULL);
		c->flood = find_flood(c->args[0]);
		if (!c->flood)
			return usage_error("unknown flood", c->args[0]);
	} else {
		return usage_error("unknown command", c->cmd);
	}
	if (!strcmp(c->cmd, "list"))
		return 0;
	if (!g->have_gw_mac)
		return usage_error("--gw-mac is needed to send", NULL);
	if (!strcmp(c->ifname, "-"))
		return usage_error("an interface is needed to send", NULL);
	return 0;
}

static bool ifreq_ioctl(int fd, unsigned long req, struct ifreq *ifr,
			const char *what)
{
	if (ioctl(fd, req, ifr) == 0)
		return true;
	fprintf(stderr, "unat-frames: %s: %s: %s\n", ifr->ifr_name, what,
		strerror(errno));
	return false;
}

/* The AF_PACKET socket, bound to ifname, and the interface's MAC and MTU. */
static bool open_iface(struct gen *g, const char *ifname)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	int sndbuf = 64 << 20;
	struct ifreq ifr;
	size_t max;

	if (strlen(ifname) >= IFNAMSIZ) {
		fprintf(stderr, "unat-frames: %s: name too long\n", ifname);
		return false;
	}
	g->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (g->fd < 0) {
		perror("unat-frames: socket(AF_PACKET)");
		return false;
	}
	/*
	 * Frames a device still holds are charged to this socket: with the
	 * default send buffer, a flood of large frames would stop at three
	 * in flight.  A VM's macvtap has no such limit; neither has this.
	 */
	setsockopt(g->fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf));
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (!ifreq_ioctl(g->fd, SIOCGIFINDEX, &ifr, "SIOCGIFINDEX"))
		return false;
	g->ifindex = ifr.ifr_ifindex;
	if (!ifreq_ioctl(g->fd, SIOCGIFHWADDR, &ifr, "SIOCGIFHWADDR"))
		return false;
	if (ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
		fprintf(stderr, "unat-frames: %s: not an Ethernet device\n",
			ifname);
		return false;
	}
	memcpy(g->mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	if (!ifreq_ioctl(g->fd, SIOCGIFMTU, &ifr, "SIOCGIFMTU"))
		return false;
	max = ifr.ifr_mtu > 0 ? (size_t)ifr.ifr_mtu + ETH_HLEN : 0;
	if (max > RANDOM_MAX)
		max = max < JUMBO_MAX ? max : JUMBO_MAX;
	g->random_max = max > RANDOM_MIN ? max : RANDOM_MIN;
	sll.sll_ifindex = g->ifindex;
	if (bind(g->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		perror("unat-frames: bind");
		return false;
	}
	return true;
}

static void set_defaults(struct gen *g)
{
	memset(g, 0, sizeof(*g));
	g->fd = -1;
	inet_pton(AF_INET, "10.0.2.15", &g->src4);
	inet_pton(AF_INET, "203.0.113.2", &g->dst4);
	inet_pton(AF_INET, "10.0.2.2", &g->gw4);
	inet_pton(AF_INET6, "fd75:6e61:7400:2::15", &g->src6);
	inet_pton(AF_INET6, "2001:db8:1::2", &g->dst6);
	inet_pton(AF_INET6, "fd75:6e61:7400:2::2", &g->gw6);
	inet_pton(AF_INET, "10.0.2.3", &g->dns4);
	g->dport = UDP_DPORT;
	g->payload = 16;
}

static uint64_t default_seed(void)
{
	uint64_t seed;

	if (getrandom(&seed, sizeof(seed), 0) == sizeof(seed))
		return seed;
	return (uint64_t)time(NULL) << 20 ^ (uint64_t)getpid();
}

/* @n echo requests, identifiers 1..@n, to the remote of @six's family. */
static bool send_echoes(struct gen *g, uint64_t n, bool six)
{
	uint8_t *l3, *l4;
	uint64_t id;
	size_t len;

	g->name = six ? "echo6" : "echo4";
	g->frames = 0;
	g->status = TX_OK;
	for (id = 1; id <= n && g->status == TX_OK; id++) {
		l3 = put_eth(g, frame, g->gw_mac,
			     six ? ETH_P_IPV6 : ETH_P_IP);
		l4 = l3 + (six ? IP6_HLEN : IP4_HLEN);
		len = mk_echo(l4, six ? ICMP6_ECHO : ICMP_ECHO, 16);
		put16(l4 + 4, id);
		if (six) {
			put_ip6(l3, IPPROTO_ICMPV6, len, &g->src6, &g->dst6,
				HLIM);
			l4_csum6(l4, len, IPPROTO_ICMPV6, &g->src6, &g->dst6);
		} else {
			put_ip4(l3, IPPROTO_ICMP, id, 0, len, &g->src4,
				&g->dst4);
			l4_csum4(l4, len, IPPROTO_ICMP, &g->src4, &g->dst4);
		}
		tx(g, l4 + len - frame);
	}
	if (g->status != TX_OK) {
		tx_error(g);
		return false;
	}
	printf("sent %s %u\n", g->name, g->frames);
	return true;
}

static int run(struct gen *g, const struct cmdline *c)
{
	unsigned int i;
	uint64_t seed;
	int k;

	if (!strcmp(c->cmd, "random")) {
		seed = c->have_seed ? c->seed : default_seed();
		return send_random(g, c->count, seed) ? 0 : 1;
	}
	if (c->flood) {
		seed = c->have_seed ? c->seed : default_seed();
		return send_flood(g, c->flood, c->count, seed) ? 0 : 1;
	}
	if (!strcmp(c->cmd, "echo4") || !strcmp(c->cmd, "echo6"))
		return send_echoes(g, c->count, c->cmd[4] == '6') ? 0 : 1;
	if (!strcmp(c->cmd, "all")) {
		for (i = 0; i < ARRAY_SIZE(catalogue); i++)
			if (!send_entry(g, i))
				return 1;
		return 0;
	}
	for (k = 0; k < c->nargs; k++)
		if (!send_entry(g, find_entry(c->args[k])))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	struct cmdline c = { 0 };
	struct gen g;
	unsigned int i;
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	set_defaults(&g);
	ret = parse_opts(&g, &c, argc, argv);
	if (!ret)
		ret = check_cmd(&g, &c);
	if (ret)
		return ret;
	if (!strcmp(c.cmd, "list")) {
		for (i = 0; i < ARRAY_SIZE(catalogue); i++)
			printf("%s\n", catalogue[i].name);
		return 0;
	}
	if (!open_iface(&g, c.ifname))
		return 1;
	if (c.have_src_mac)
		memcpy(g.mac, c.src_mac, ETH_ALEN);
	ret = run(&g, &c);
	close(g.fd);
	return ret;
}
