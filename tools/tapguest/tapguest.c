// SPDX-License-Identifier: GPL-2.0
/*
 * unat-tapguest: behave like a virtio-net guest on a macvtap (or tap)
 * character device, to exercise a unat device without a VM.
 *
 * Every frame written to or read from the device is preceded by a 12-byte
 * struct virtio_net_hdr_v1 (TUNSETVNETHDRSZ 12, little endian), exactly as
 * QEMU/vhost pass frames for a modern virtio-net guest.
 *
 * Commands run in order and print one line each:
 *   dhcp              DISCOVER/OFFER/REQUEST/ACK, remember the lease
 *   arp IP            ARP who-has IP from the leased (or --ip) address
 *   ping IP [COUNT]   ICMP echo via the (ARP-resolved) gateway MAC
 *   garbage N         N malformed frames; the device must survive them
 *   vnetfuzz N        N frames behind random and mutated virtio-net
 *                     headers; writes the tap driver refuses are counted
 *   tcp IP PORT BYTES connect, send BYTES of a fixed pattern (as TSO
 *                     super-frames with --offload tso4), half-close, and
 *                     read the answer until the server's FIN
 * The exit status is 0 only if every command succeeded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <endian.h>
#include <linux/if.h>
#include <linux/if_ether.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>

/* newer than Debian 12's linux-libc-dev */
#ifndef VIRTIO_NET_HDR_GSO_UDP_L4
#define VIRTIO_NET_HDR_GSO_UDP_L4	5
#endif
#ifndef TUN_F_USO4
#define TUN_F_USO4	0x20
#define TUN_F_USO6	0x40
#endif

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define VNET_HDR_LEN	((int)sizeof(struct virtio_net_hdr_v1))
#define FRAME_MAX	65550		/* one GSO frame plus headers */
#define DEFAULT_TIMEOUT	2000		/* ms, per reply awaited */
#define RETRANSMIT_MS	1000		/* DHCP and ARP requests */
#define DEFAULT_COUNT	3		/* ping */
#define ARP_CACHE	8

/* header offsets, relative to the start of each header */
#define ETH_DST		0
#define ETH_SRC		6
#define ETH_TYPE	12

#define IPH_VIHL		0
#define IPH_TOTLEN	2
#define IPH_ID		4
#define IPH_FRAG		6
#define IPH_TTL		8
#define IPH_PROTO	9
#define IPH_CSUM		10
#define IPH_SADDR	12
#define IPH_DADDR	16
#define IPH_HLEN		20
#define IPH_MF		0x2000
#define IPH_OFFMASK	0x1fff
#define PROTO_ICMP	1
#define PROTO_UDP	17
#define PROTO_TCP	6

#define UDP_SPORT	0
#define UDP_DPORT	2
#define UDP_LEN		4
#define UDP_CSUM	6
#define UDP_HLEN	8

#define ICMP_TYPE	0
#define ICMP_CODE	1
#define ICMP_CSUM	2
#define ICMP_ID		4
#define ICMP_SEQ	6
#define ICMP_HLEN	8
#define ICMP_ECHOREPLY	0
#define ICMP_UNREACH	3
#define ICMP_ECHO	8
#define PING_DATA	56		/* echo payload bytes by default */
#define PING_DATA_MAX	8000

#define ARP_HTYPE	0
#define ARP_PTYPE	2
#define ARP_HLEN	4
#define ARP_PLEN	5
#define ARP_OP		6
#define ARP_SHA		8
#define ARP_SPA		14
#define ARP_THA		18
#define ARP_TPA		24
#define ARP_LEN		28
#define ARP_REQUEST	1
#define ARP_REPLY	2

#define BOOTP_OP	0
#define BOOTP_HTYPE	1
#define BOOTP_HLEN	2
#define BOOTP_XID	4
#define BOOTP_FLAGS	10
#define BOOTP_CIADDR	12
#define BOOTP_YIADDR	16
#define BOOTP_SIADDR	20
#define BOOTP_CHADDR	28
#define BOOTP_SNAME	44
#define BOOTP_FILE	108
#define BOOTP_MAGIC	236
#define BOOTP_OPTS	240
#define BOOTP_MINLEN	300		/* RFC 1542 minimum BOOTP message */
#define BOOTP_REQUEST	1
#define BOOTP_REPLY	2
#define DHCP_MAGIC	0x63825363
#define DHCP_SERVER	67
#define DHCP_CLIENT	68

enum {
	OPT_PAD = 0, OPT_MASK = 1, OPT_ROUTER = 3, OPT_DNS = 6,
	OPT_DOMAIN = 15, OPT_MTU = 26, OPT_BCAST = 28, OPT_REQIP = 50,
	OPT_LEASE = 51, OPT_OVERLOAD = 52, OPT_MSGTYPE = 53, OPT_SERVER = 54,
	OPT_PRL = 55, OPT_MAXSIZE = 57, OPT_CLIENTID = 61, OPT_SEARCH = 119,
	OPT_END = 255,
};

enum {
	DHCPDISCOVER = 1, DHCPOFFER, DHCPREQUEST, DHCPDECLINE, DHCPACK,
	DHCPNAK, DHCPRELEASE, DHCPINFORM,
};

static const uint8_t bcast_mac[ETH_ALEN] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff
};

/* A frame to send: vnet header plus Ethernet frame. */
struct pkt {
	struct virtio_net_hdr_v1 vh;
	uint8_t f[FRAME_MAX];	/* up to a 64 KiB super-frame (vnetfuzz) */
	size_t len;
};

/* A received frame, with the IPv4 layer parsed when there is one. */
struct rx {
	const uint8_t *f;	/* Ethernet frame */
	size_t len;
	bool csum_trusted;	/* NEEDS_CSUM or DATA_VALID */
	const uint8_t *ip;	/* IPv4 header, or NULL */
	size_t ip_len;		/* tot_len */
	const uint8_t *l4;
	size_t l4_len;
	uint32_t saddr, daddr;
	uint8_t proto;
};

struct lease {
	uint32_t addr, server, router, dns, mask, mtu, lease;
	int prefix;
	char domain[256];
	char search[1100];
};

struct expect {
	const char *addr, *router, *dns, *domain, *search;
	long mtu, lease;
};

struct guest {
	int fd;
	uint8_t mac[ETH_ALEN];
	bool mac_set;
	int timeout;
	bool verbose;
	bool csum_partial;
	bool bcast_flag;
	unsigned int ping_data;		/* echo payload bytes */
	bool ping_offload;		/* echo checksum left to the device */
	uint16_t ping_csum_start, ping_csum_off;
	unsigned int offload;
	uint64_t seed, rng;
	uint8_t gw_mac[ETH_ALEN];	/* --gw-mac: no ARP needed */
	bool gw_mac_set;
	bool detach;			/* --detach: a queue that only writes */
	uint16_t ip_id;

	/* our address: from the last DHCP ACK, or --ip */
	uint32_t addr;
	int prefix;
	uint32_t router;
	struct lease lease;

	struct {
		uint32_t ip;
		uint8_t mac[ETH_ALEN];
	} arp[ARP_CACHE];
	int narp;

	/* malformed frames seen while waiting, for the failure message */
	unsigned int nbad;
	char bad[160];

	struct expect expect;
	uint8_t rxbuf[VNET_HDR_LEN + FRAME_MAX];
};

/* ---- small helpers ----------------------------------------------------- */

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static uint16_t get16(const uint8_t *p)
{
	return p[0] << 8 | p[1];
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static const char *ipstr(uint32_t a)
{
	static char buf[4][INET_ADDRSTRLEN];
	static int i;
	struct in_addr in = { .s_addr = htonl(a) };

	i = (i + 1) % 4;
	inet_ntop(AF_INET, &in, buf[i], sizeof(buf[i]));
	return buf[i];
}

static const char *macstr(const uint8_t *m)
{
	static char buf[4][18];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%02x:%02x:%02x:%02x:%02x:%02x",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf[i];
}

static bool parse_ip(const char *s, uint32_t *a)
{
	struct in_addr in;

	if (inet_pton(AF_INET, s, &in) != 1)
		return false;
	*a = ntohl(in.s_addr);
	return true;
}

static bool parse_mac(const char *s, uint8_t *m)
{
	unsigned int b[ETH_ALEN];
	char end;
	int i;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2],
		   &b[3], &b[4], &b[5], &end) != ETH_ALEN)
		return false;
	for (i = 0; i < ETH_ALEN; i++)
		m[i] = b[i];
	return true;
}

static bool parse_ulong(const char *s, unsigned long min, unsigned long max,
			unsigned long *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return !errno && !*end && *v >= min && *v <= max;
}

static uint32_t prefix_mask(int prefix)
{
	return prefix ? ~0u << (32 - prefix) : 0;
}

static int mask_prefix(uint32_t mask)
{
	int prefix = 0;

	while (prefix < 32 && mask & (1u << (31 - prefix)))
		prefix++;
	return mask == prefix_mask(prefix) ? prefix : -1;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* xorshift64*: reproducible with --seed, good enough for test traffic */
static uint32_t rnd(struct guest *g)
{
	g->rng ^= g->rng >> 12;
	g->rng ^= g->rng << 25;
	g->rng ^= g->rng >> 27;
	return (g->rng * 0x2545f4914f6cdd1dULL) >> 32;
}

static void rnd_fill(struct guest *g, uint8_t *p, size_t len)
{
	while (len--)
		*p++ = rnd(g);
}

static void __attribute__((format(printf, 2, 3)))
bad_frame(struct guest *g, const char *fmt, ...)
{
	va_list ap;

	g->nbad++;
	va_start(ap, fmt);
	vsnprintf(g->bad, sizeof(g->bad), fmt, ap);
	va_end(ap);
	if (g->verbose)
		fprintf(stderr, "rx: malformed frame: %s\n", g->bad);
}

/* Print a command's result line; returns 0 for "ok", -1 otherwise. */
static int __attribute__((format(printf, 4, 5)))
result(struct guest *g, const char *cmd, bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s: ", cmd);
	if (!ok)
		printf("FAIL ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (!ok && g->nbad)
		printf(" (%u malformed frames seen, last: %s)", g->nbad,
		       g->bad);
	printf("\n");
	fflush(stdout);
	return ok ? 0 : -1;
}

static void hexdump(const char *dir, const struct virtio_net_hdr_v1 *vh,
		    const uint8_t *p, size_t len)
{
	size_t i;

	fprintf(stderr,
		"%s: %zu bytes, vnet flags 0x%x gso_type 0x%x hdr_len %u gso_size %u csum_start %u csum_offset %u\n",
		dir, len, vh->flags, vh->gso_type, le16toh(vh->hdr_len),
		le16toh(vh->gso_size), le16toh(vh->csum_start),
		le16toh(vh->csum_offset));
	for (i = 0; i < len; i++) {
		if (i % 16 == 0)
			fprintf(stderr, "  %04zx:", i);
		fprintf(stderr, " %02x", p[i]);
		if (i % 16 == 15 || i + 1 == len)
			fprintf(stderr, "\n");
	}
}

/* ---- checksums ---------------------------------------------------------- */

static uint64_t csum_add(uint64_t sum, const uint8_t *p, size_t len)
{
	while (len > 1) {
		sum += get16(p);
		p += 2;
		len -= 2;
	}
	if (len)
		sum += p[0] << 8;
	return sum;
}

static uint16_t csum_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

static uint16_t csum(const uint8_t *p, size_t len)
{
	return ~csum_fold(csum_add(0, p, len));
}

static uint64_t csum_pseudo(uint32_t saddr, uint32_t daddr, uint8_t proto,
			    size_t len)
{
	return (saddr >> 16) + (saddr & 0xffff) + (daddr >> 16) +
	       (daddr & 0xffff) + proto + len;
}

/* ---- frame building ----------------------------------------------------- */

static void pkt_init(struct pkt *p)
{
	memset(&p->vh, 0, sizeof(p->vh));
	p->len = 0;
}

static uint8_t *eth_build(struct pkt *p, const uint8_t *dst,
			  const uint8_t *src, uint16_t type)
{
	memcpy(p->f + ETH_DST, dst, ETH_ALEN);
	memcpy(p->f + ETH_SRC, src, ETH_ALEN);
	put16(p->f + ETH_TYPE, type);
	p->len = ETH_HLEN;
	return p->f + ETH_HLEN;
}

/* IPv4 header without options at p->f + ETH_HLEN, for @l4_len bytes. */
static uint8_t *ip_build(struct guest *g, struct pkt *p, uint32_t saddr,
			 uint32_t daddr, uint8_t proto, size_t l4_len)
{
	uint8_t *ip = p->f + ETH_HLEN;

	memset(ip, 0, IPH_HLEN);
	ip[IPH_VIHL] = 0x45;
	put16(ip + IPH_TOTLEN, IPH_HLEN + l4_len);
	put16(ip + IPH_ID, g->ip_id++);
	ip[IPH_TTL] = 64;
	ip[IPH_PROTO] = proto;
	put32(ip + IPH_SADDR, saddr);
	put32(ip + IPH_DADDR, daddr);
	put16(ip + IPH_CSUM, csum(ip, IPH_HLEN));
	p->len = ETH_HLEN + IPH_HLEN + l4_len;
	return ip + IPH_HLEN;
}

/*
 * Fill in the UDP header of a frame whose IPv4 header (no options) and UDP
 * payload are in place.  With --csum-partial the checksum is left to the
 * "device", as a virtio guest with TX checksum offload does: the field holds
 * the folded pseudo-header sum and the vnet header says where to finish it.
 */
static void udp_finish(struct guest *g, struct pkt *p, uint16_t sport,
		       uint16_t dport)
{
	uint8_t *ip = p->f + ETH_HLEN, *udp = ip + IPH_HLEN;
	size_t len = get16(ip + IPH_TOTLEN) - IPH_HLEN;
	uint64_t sum = csum_pseudo(get32(ip + IPH_SADDR), get32(ip + IPH_DADDR),
				   PROTO_UDP, len);
	uint16_t c;

	put16(udp + UDP_SPORT, sport);
	put16(udp + UDP_DPORT, dport);
	put16(udp + UDP_LEN, len);
	put16(udp + UDP_CSUM, 0);
	if (g->csum_partial) {
		put16(udp + UDP_CSUM, csum_fold(sum));
		p->vh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		p->vh.csum_start = htole16(ETH_HLEN + IPH_HLEN);
		p->vh.csum_offset = htole16(UDP_CSUM);
		return;
	}
	c = ~csum_fold(csum_add(sum, udp, len));
	put16(udp + UDP_CSUM, c ? c : 0xffff);
}

static uint8_t *dhcp_opt_put(uint8_t *o, uint8_t code, const void *data,
			     uint8_t len)
{
	o[0] = code;
	o[1] = len;
	memcpy(o + 2, data, len);
	return o + 2 + len;
}

static uint8_t *dhcp_opt_put32(uint8_t *o, uint8_t code, uint32_t v)
{
	uint8_t b[4];

	put32(b, v);
	return dhcp_opt_put(o, code, b, 4);
}

/*
 * A complete client message in @p: broadcast Ethernet and IP, 0.0.0.0:68 to
 * 255.255.255.255:67 (or from @ciaddr when it is non-zero, for INFORM).
 */
static void dhcp_build(struct guest *g, struct pkt *p, uint8_t type,
		       uint32_t xid, uint32_t ciaddr, uint32_t reqip,
		       uint32_t server)
{
	static const uint8_t prl[] = {
		OPT_MASK, OPT_ROUTER, OPT_DNS, OPT_DOMAIN, OPT_MTU, OPT_BCAST,
		OPT_LEASE, OPT_SERVER, OPT_SEARCH,
	};
	uint8_t clientid[1 + ETH_ALEN], maxsize[2];
	uint8_t *bootp, *o;
	size_t len;

	pkt_init(p);
	eth_build(p, bcast_mac, g->mac, ETH_P_IP);
	bootp = p->f + ETH_HLEN + IPH_HLEN + UDP_HLEN;
	memset(bootp, 0, BOOTP_MINLEN);
	bootp[BOOTP_OP] = BOOTP_REQUEST;
	bootp[BOOTP_HTYPE] = 1;
	bootp[BOOTP_HLEN] = ETH_ALEN;
	put32(bootp + BOOTP_XID, xid);
	put16(bootp + BOOTP_FLAGS, g->bcast_flag ? 0x8000 : 0);
	put32(bootp + BOOTP_CIADDR, ciaddr);
	memcpy(bootp + BOOTP_CHADDR, g->mac, ETH_ALEN);
	put32(bootp + BOOTP_MAGIC, DHCP_MAGIC);

	o = bootp + BOOTP_OPTS;
	o = dhcp_opt_put(o, OPT_MSGTYPE, &type, 1);
	clientid[0] = 1;
	memcpy(clientid + 1, g->mac, ETH_ALEN);
	o = dhcp_opt_put(o, OPT_CLIENTID, clientid, sizeof(clientid));
	put16(maxsize, 1500);
	o = dhcp_opt_put(o, OPT_MAXSIZE, maxsize, sizeof(maxsize));
	if (reqip)
		o = dhcp_opt_put32(o, OPT_REQIP, reqip);
	if (server)
		o = dhcp_opt_put32(o, OPT_SERVER, server);
	o = dhcp_opt_put(o, OPT_PRL, prl, sizeof(prl));
	*o++ = OPT_END;

	len = o - bootp;
	if (len < BOOTP_MINLEN)
		len = BOOTP_MINLEN;	/* already zeroed: OPT_PAD */
	ip_build(g, p, ciaddr, 0xffffffff, PROTO_UDP, UDP_HLEN + len);
	udp_finish(g, p, DHCP_CLIENT, DHCP_SERVER);
}

static void arp_build(struct guest *g, struct pkt *p, const uint8_t *dst,
		      uint16_t op, uint32_t spa, const uint8_t *tha,
		      uint32_t tpa)
{
	uint8_t *a;

	pkt_init(p);
	a = eth_build(p, dst, g->mac, ETH_P_ARP);
	put16(a + ARP_HTYPE, 1);
	put16(a + ARP_PTYPE, ETH_P_IP);
	a[ARP_HLEN] = ETH_ALEN;
	a[ARP_PLEN] = 4;
	put16(a + ARP_OP, op);
	memcpy(a + ARP_SHA, g->mac, ETH_ALEN);
	put32(a + ARP_SPA, spa);
	memcpy(a + ARP_THA, tha, ETH_ALEN);
	put32(a + ARP_TPA, tpa);
	p->len = ETH_HLEN + ARP_LEN;
}

static void ping_payload(uint8_t *d, unsigned int len, uint16_t seq)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		d[i] = (0x10 + i + seq * 7) & 0xff;
}

static void icmp_echo_build(struct guest *g, struct pkt *p,
			    const uint8_t *dst, uint32_t daddr, uint16_t id,
			    uint16_t seq)
{
	uint8_t *icmp;

	pkt_init(p);
	eth_build(p, dst, g->mac, ETH_P_IP);
	icmp = ip_build(g, p, g->addr, daddr, PROTO_ICMP,
			ICMP_HLEN + g->ping_data);
	icmp[ICMP_TYPE] = ICMP_ECHO;
	icmp[ICMP_CODE] = 0;
	put16(icmp + ICMP_CSUM, 0);
	put16(icmp + ICMP_ID, id);
	put16(icmp + ICMP_SEQ, seq);
	ping_payload(icmp + ICMP_HLEN, g->ping_data, seq);
	if (g->ping_offload) {
		/* the "device" sums from csum_start into the field at 0 */
		p->vh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		p->vh.csum_start = htole16(g->ping_csum_start);
		p->vh.csum_offset = htole16(g->ping_csum_off);
		return;
	}
	put16(icmp + ICMP_CSUM, csum(icmp, ICMP_HLEN + g->ping_data));
}

/* ---- device I/O ----------------------------------------------------------- */

static int tx(struct guest *g, struct pkt *p)
{
	struct iovec iov[2] = {
		{ .iov_base = &p->vh, .iov_len = VNET_HDR_LEN },
		{ .iov_base = p->f, .iov_len = p->len },
	};
	ssize_t n;

	if (g->verbose)
		hexdump("tx", &p->vh, p->f, p->len);
	n = writev(g->fd, iov, 2);
	if (n < 0)
		return -errno;
	if (n != (ssize_t)(VNET_HDR_LEN + p->len))
		return -EIO;
	return 0;
}

/*
 * Parse the IPv4 layer of @r if it has one.  Returns 0 for a non-IPv4 frame,
 * 1 when r->ip/l4 are valid, -1 for a malformed packet (recorded).
 */
static int rx_parse_ip(struct guest *g, struct rx *r)
{
	const uint8_t *ip = r->f + ETH_HLEN;
	size_t caplen = r->len - ETH_HLEN, ihl, totlen;

	r->ip = NULL;
	if (get16(r->f + ETH_TYPE) != ETH_P_IP)
		return 0;
	if (caplen < IPH_HLEN) {
		bad_frame(g, "IPv4 packet of %zu bytes", caplen);
		return -1;
	}
	if (ip[IPH_VIHL] >> 4 != 4) {
		bad_frame(g, "IP version %u", ip[IPH_VIHL] >> 4);
		return -1;
	}
	ihl = (ip[IPH_VIHL] & 0xf) * 4;
	totlen = get16(ip + IPH_TOTLEN);
	if (ihl < IPH_HLEN || ihl > caplen || totlen < ihl || totlen > caplen) {
		bad_frame(g, "IP ihl %zu tot_len %zu in %zu bytes", ihl,
			  totlen, caplen);
		return -1;
	}
	if (csum(ip, ihl)) {
		bad_frame(g, "bad IP header checksum from %s",
			  ipstr(get32(ip + IPH_SADDR)));
		return -1;
	}
	if (get16(ip + IPH_FRAG) & (IPH_MF | IPH_OFFMASK)) {
		bad_frame(g, "unexpected IP fragment from %s",
			  ipstr(get32(ip + IPH_SADDR)));
		return -1;
	}
	r->ip = ip;
	r->ip_len = totlen;
	r->l4 = ip + ihl;
	r->l4_len = totlen - ihl;
	r->saddr = get32(ip + IPH_SADDR);
	r->daddr = get32(ip + IPH_DADDR);
	r->proto = ip[IPH_PROTO];
	return 1;
}

/* A pending ARP request for our address is answered, as a guest would. */
static void rx_answer_arp(struct guest *g, const struct rx *r)
{
	const uint8_t *a = r->f + ETH_HLEN;
	struct pkt p;

	if (!g->addr || get16(r->f + ETH_TYPE) != ETH_P_ARP ||
	    r->len < ETH_HLEN + ARP_LEN || get16(a + ARP_HTYPE) != 1 ||
	    get16(a + ARP_PTYPE) != ETH_P_IP || a[ARP_HLEN] != ETH_ALEN ||
	    a[ARP_PLEN] != 4 || get16(a + ARP_OP) != ARP_REQUEST ||
	    get32(a + ARP_TPA) != g->addr)
		return;
	arp_build(g, &p, a + ARP_SHA, ARP_REPLY, g->addr, a + ARP_SHA,
		  get32(a + ARP_SPA));
	tx(g, &p);
}

/*
 * Wait until @deadline (ms, CLOCK_MONOTONIC) for the next frame addressed to
 * us or broadcast.  Returns 1 with @r filled, 0 on timeout, -1 on error.
 */
static int rx_next(struct guest *g, uint64_t deadline, struct rx *r)
{
	const struct virtio_net_hdr_v1 *vh = (void *)g->rxbuf;

	for (;;) {
		struct pollfd pfd = { .fd = g->fd, .events = POLLIN };
		uint64_t now = now_ms();
		ssize_t n;
		int ret;

		if (now >= deadline)
			return 0;
		ret = poll(&pfd, 1, deadline - now);
		if (ret < 0 && errno != EINTR) {
			perror("poll");
			return -1;
		}
		if (ret <= 0)
			continue;
		n = read(g->fd, g->rxbuf, sizeof(g->rxbuf));
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			perror("read");
			return -1;
		}
		if (n < VNET_HDR_LEN + ETH_HLEN) {
			if (n >= VNET_HDR_LEN)
				bad_frame(g, "runt frame of %zd bytes",
					  n - VNET_HDR_LEN);
			continue;
		}
		r->f = g->rxbuf + VNET_HDR_LEN;
		r->len = n - VNET_HDR_LEN;
		if (g->verbose)
			hexdump("rx", vh, r->f, r->len);
		if (memcmp(r->f + ETH_DST, g->mac, ETH_ALEN) &&
		    memcmp(r->f + ETH_DST, bcast_mac, ETH_ALEN))
			continue;
		r->csum_trusted = vh->flags & (VIRTIO_NET_HDR_F_NEEDS_CSUM |
					       VIRTIO_NET_HDR_F_DATA_VALID);
		rx_answer_arp(g, r);
		if (rx_parse_ip(g, r) < 0)
			continue;
		return 1;
	}
}

/*
 * Read and drop what is queued (replies to garbage, say) until the device
 * has been quiet for a while, so that a full queue cannot swallow the next
 * reply; bounded by --timeout.
 */
static void rx_drain(struct guest *g)
{
	uint64_t end = now_ms() + g->timeout;
	struct rx r;

	while (now_ms() < end) {
		uint64_t quiet = now_ms() + 100;

		if (rx_next(g, quiet < end ? quiet : end, &r) <= 0)
			break;
	}
}

/* UDP header of an IPv4 frame; returns the payload or NULL (recorded). */
static const uint8_t *rx_udp(struct guest *g, const struct rx *r,
			     size_t *len)
{
	const uint8_t *udp = r->l4;
	size_t ulen;

	if (r->l4_len < UDP_HLEN) {
		bad_frame(g, "UDP datagram of %zu bytes", r->l4_len);
		return NULL;
	}
	ulen = get16(udp + UDP_LEN);
	if (ulen < UDP_HLEN || ulen > r->l4_len) {
		bad_frame(g, "UDP length %zu in %zu bytes", ulen, r->l4_len);
		return NULL;
	}
	if (!r->csum_trusted && get16(udp + UDP_CSUM) &&
	    csum_fold(csum_add(csum_pseudo(r->saddr, r->daddr, PROTO_UDP,
					   ulen), udp, ulen)) != 0xffff) {
		bad_frame(g, "bad UDP checksum from %s:%u", ipstr(r->saddr),
			  get16(udp + UDP_SPORT));
		return NULL;
	}
	*len = ulen - UDP_HLEN;
	return udp + UDP_HLEN;
}

/* ---- DHCP option parsing -------------------------------------------------- */

/*
 * Walk one option area.  For every instance of @code, its data is appended
 * to @out (RFC 3396 concatenation).  Returns 0, or -1 if the area is
 * malformed (overrun, no END option) or @out would overflow.
 */
static int dhcp_walk(const uint8_t *p, size_t len, uint8_t code,
		     uint8_t *out, size_t outmax, int *outlen, int *overload)
{
	size_t i = 0;

	while (i < len) {
		uint8_t c = p[i], l;

		if (c == OPT_PAD) {
			i++;
			continue;
		}
		if (c == OPT_END)
			return 0;
		if (i + 2 > len || i + 2 + p[i + 1] > len)
			return -1;
		l = p[i + 1];
		if (c == code) {
			if (*outlen < 0)
				*outlen = 0;
			if (*outlen + l > (int)outmax)
				return -1;
			memcpy(out + *outlen, p + i + 2, l);
			*outlen += l;
		}
		if (c == OPT_OVERLOAD && overload) {
			if (l != 1 || p[i + 2] < 1 || p[i + 2] > 3)
				return -1;
			*overload = p[i + 2];
		}
		i += 2 + l;
	}
	return -1;	/* no END */
}

/*
 * Get option @code of a BOOTP message of @len bytes (already checked to be
 * at least BOOTP_OPTS long) into @out.  Returns its length, -1 if absent,
 * -2 if the options are malformed.
 */
static int dhcp_opt(const uint8_t *bootp, size_t len, uint8_t code,
		    uint8_t *out, size_t outmax)
{
	int outlen = -1, overload = 0;

	if (dhcp_walk(bootp + BOOTP_OPTS, len - BOOTP_OPTS, code, out,
		      outmax, &outlen, &overload))
		return -2;
	if (overload & 1 &&
	    dhcp_walk(bootp + BOOTP_FILE, BOOTP_MAGIC - BOOTP_FILE, code, out,
		      outmax, &outlen, NULL))
		return -2;
	if (overload & 2 &&
	    dhcp_walk(bootp + BOOTP_SNAME, BOOTP_FILE - BOOTP_SNAME, code,
		      out, outmax, &outlen, NULL))
		return -2;
	return outlen;
}

static bool dhcp_opt_addr(const uint8_t *bootp, size_t len, uint8_t code,
			  uint32_t *a, bool list)
{
	uint8_t buf[256];
	int n = dhcp_opt(bootp, len, code, buf, sizeof(buf));

	if (n != 4 && !(list && n > 4 && n % 4 == 0))
		return false;
	*a = get32(buf);
	return true;
}

static bool name_char_ok(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/*
 * Decode an RFC 1035 encoded name list (option 119, RFC 3397), with
 * compression pointers, into space-separated names.  Pointers must point
 * backwards, so that every name terminates.
 */
static bool dns_decode_list(const uint8_t *p, size_t len, char *out,
			    size_t outmax)
{
	size_t pos = 0, o = 0;

	while (pos < len) {
		size_t i = pos, lim = pos, n = 0;
		bool jumped = false;

		if (o && o + 1 < outmax)
			out[o++] = ' ';
		for (;;) {
			uint8_t l;

			if (i >= len)
				return false;
			l = p[i];
			if (!l) {
				if (!jumped)
					pos = i + 1;
				break;
			}
			if ((l & 0xc0) == 0xc0) {
				size_t ptr;

				if (i + 1 >= len)
					return false;
				ptr = (l & 0x3f) << 8 | p[i + 1];
				if (ptr >= lim)
					return false;
				if (!jumped)
					pos = i + 2;
				jumped = true;
				lim = ptr;
				i = ptr;
				continue;
			}
			if (l & 0xc0 || i + 1 + l > len)
				return false;
			if (n++ && o + 1 < outmax)
				out[o++] = '.';
			for (i++; l--; i++) {
				if (!name_char_ok(p[i]) || o + 1 >= outmax)
					return false;
				out[o++] = p[i];
			}
		}
		if (!jumped && !n)
			return false;	/* empty name */
	}
	out[o] = '\0';
	return o > 0;
}

/*
 * Validate a DHCP reply to us (op, hardware, xid, chaddr, cookie) and return
 * its message type; 0 if it is not one of ours, -1 if malformed (recorded).
 */
static int dhcp_reply_type(struct guest *g, const struct rx *r, uint32_t xid,
			   const uint8_t **bootp, size_t *len)
{
	uint8_t type;
	int n;

	if (!r->ip || r->proto != PROTO_UDP || r->l4_len < UDP_HLEN ||
	    get16(r->l4 + UDP_SPORT) != DHCP_SERVER ||
	    get16(r->l4 + UDP_DPORT) != DHCP_CLIENT)
		return 0;
	*bootp = rx_udp(g, r, len);
	if (!*bootp)
		return -1;
	if (*len < BOOTP_OPTS || get32(*bootp + BOOTP_XID) != xid)
		return 0;
	if ((*bootp)[BOOTP_OP] != BOOTP_REPLY || (*bootp)[BOOTP_HTYPE] != 1 ||
	    (*bootp)[BOOTP_HLEN] != ETH_ALEN ||
	    memcmp(*bootp + BOOTP_CHADDR, g->mac, ETH_ALEN) ||
	    get32(*bootp + BOOTP_MAGIC) != DHCP_MAGIC) {
		bad_frame(g, "BOOTP reply header (op %u htype %u hlen %u)",
			  (*bootp)[BOOTP_OP], (*bootp)[BOOTP_HTYPE],
			  (*bootp)[BOOTP_HLEN]);
		return -1;
	}
	n = dhcp_opt(*bootp, *len, OPT_MSGTYPE, &type, 1);
	if (n != 1 || type < DHCPDISCOVER || type > DHCPINFORM) {
		bad_frame(g, "DHCP reply with %s",
			  n == -2 ? "malformed options" :
			  "bad or no message type");
		return -1;
	}
	/* a reply must come to our MAC, or broadcast to our MAC's address */
	if (r->daddr != 0xffffffff && r->daddr != get32(*bootp + BOOTP_YIADDR) &&
	    type != DHCPNAK) {
		bad_frame(g, "DHCP reply sent to %s", ipstr(r->daddr));
		return -1;
	}
	return type;
}

/* Extract the lease from an ACK; false (recorded) on malformed options. */
static bool dhcp_parse_lease(struct guest *g, const uint8_t *bootp,
			     size_t len, struct lease *l)
{
	uint8_t buf[1024];
	int n;

	memset(l, 0, sizeof(*l));
	l->addr = get32(bootp + BOOTP_YIADDR);
	l->prefix = -1;
	if (dhcp_opt(bootp, len, OPT_END, buf, sizeof(buf)) == -2) {
		bad_frame(g, "malformed DHCP options");
		return false;
	}
	if (!dhcp_opt_addr(bootp, len, OPT_SERVER, &l->server, false)) {
		bad_frame(g, "DHCP reply without a valid server identifier");
		return false;
	}
	n = dhcp_opt(bootp, len, OPT_MASK, buf, sizeof(buf));
	if (n >= 0) {
		if (n != 4 || mask_prefix(get32(buf)) < 0) {
			bad_frame(g, "bad subnet mask option");
			return false;
		}
		l->mask = get32(buf);
		l->prefix = mask_prefix(l->mask);
	}
	n = dhcp_opt(bootp, len, OPT_ROUTER, buf, sizeof(buf));
	if (n >= 0 && (n < 4 || n % 4)) {
		bad_frame(g, "bad router option length %d", n);
		return false;
	}
	if (n >= 4)
		l->router = get32(buf);
	n = dhcp_opt(bootp, len, OPT_DNS, buf, sizeof(buf));
	if (n >= 0 && (n < 4 || n % 4)) {
		bad_frame(g, "bad DNS option length %d", n);
		return false;
	}
	if (n >= 4)
		l->dns = get32(buf);
	n = dhcp_opt(bootp, len, OPT_MTU, buf, sizeof(buf));
	if (n >= 0 && (n != 2 || get16(buf) < 68)) {
		bad_frame(g, "bad MTU option");
		return false;
	}
	if (n == 2)
		l->mtu = get16(buf);
	n = dhcp_opt(bootp, len, OPT_LEASE, buf, sizeof(buf));
	if (n >= 0 && n != 4) {
		bad_frame(g, "bad lease time option");
		return false;
	}
	if (n == 4)
		l->lease = get32(buf);
	n = dhcp_opt(bootp, len, OPT_DOMAIN, buf, sizeof(buf));
	if (n >= 0) {
		int i;

		if (n && !buf[n - 1])
			n--;	/* tolerate a terminating NUL */
		for (i = 0; i < n; i++)
			if (!name_char_ok(buf[i]) && buf[i] != '.')
				break;
		if (!n || i < n || n >= (int)sizeof(l->domain)) {
			bad_frame(g, "bad domain name option");
			return false;
		}
		memcpy(l->domain, buf, n);
		l->domain[n] = '\0';
	}
	n = dhcp_opt(bootp, len, OPT_SEARCH, buf, sizeof(buf));
	if (n >= 0 && !dns_decode_list(buf, n, l->search,
				       sizeof(l->search))) {
		bad_frame(g, "bad domain search option");
		return false;
	}
	return true;
}

/*
 * Send @p, then wait for a DHCP reply of type @want (or NAK) to @xid,
 * retransmitting every second.  Returns the type received, 0 on timeout,
 * -1 on error.
 */
static int dhcp_exchange(struct guest *g, struct pkt *p, uint32_t xid,
			 int want, const uint8_t **bootp, size_t *len)
{
	uint64_t deadline = now_ms() + g->timeout, next = 0;
	struct rx r;

	for (;;) {
		uint64_t now = now_ms();
		int ret;

		if (now >= next) {
			ret = tx(g, p);
			if (ret) {
				fprintf(stderr, "write: %s\n", strerror(-ret));
				return -1;
			}
			next = now + RETRANSMIT_MS;
		}
		ret = rx_next(g, next < deadline ? next : deadline, &r);
		if (ret < 0)
			return -1;
		if (!ret) {
			if (now_ms() >= deadline)
				return 0;
			continue;
		}
		ret = dhcp_reply_type(g, &r, xid, bootp, len);
		if (ret == want || ret == DHCPNAK)
			return ret;
	}
}

static bool expect_addr(const char *want, uint32_t got, const char *what,
			char *err, size_t errlen)
{
	uint32_t a;

	if (!want)
		return true;
	if (parse_ip(want, &a) && a == got)
		return true;
	snprintf(err, errlen, "%s %s, expected %s", what, ipstr(got), want);
	return false;
}

static bool dhcp_check_expect(struct guest *g, const struct lease *l,
			      char *err, size_t errlen)
{
	const struct expect *e = &g->expect;
	char want[64];

	if (e->addr) {
		const char *slash = strchr(e->addr, '/');
		size_t alen = slash ? (size_t)(slash - e->addr) :
			      strlen(e->addr);

		snprintf(want, sizeof(want), "%.*s", (int)alen, e->addr);
		if (!expect_addr(want, l->addr, "address", err, errlen))
			return false;
		if (slash && atoi(slash + 1) != l->prefix) {
			snprintf(err, errlen, "prefix /%d, expected %s",
				 l->prefix, slash);
			return false;
		}
	}
	if (!expect_addr(e->router, l->router, "router", err, errlen) ||
	    !expect_addr(e->dns, l->dns, "dns", err, errlen))
		return false;
	if (e->mtu >= 0 && l->mtu != (uint32_t)e->mtu) {
		snprintf(err, errlen, "mtu %u, expected %ld", l->mtu, e->mtu);
		return false;
	}
	if (e->lease >= 0 && l->lease != (uint32_t)e->lease) {
		snprintf(err, errlen, "lease %u, expected %ld", l->lease,
			 e->lease);
		return false;
	}
	if (e->domain && strcmp(e->domain, l->domain)) {
		snprintf(err, errlen, "domain \"%s\", expected \"%s\"",
			 l->domain, e->domain);
		return false;
	}
	if (e->search && strcmp(e->search, l->search)) {
		snprintf(err, errlen, "search \"%s\", expected \"%s\"",
			 l->search, e->search);
		return false;
	}
	return true;
}

/* ---- commands ------------------------------------------------------------- */

static int cmd_dhcp(struct guest *g)
{
	const uint8_t *bootp;
	uint32_t xid = rnd(g), offered;
	struct lease l;
	char err[2400], opt[1400] = "";
	struct pkt p;
	size_t len;
	int ret;

	g->nbad = 0;
	dhcp_build(g, &p, DHCPDISCOVER, xid, 0, 0, 0);
	ret = dhcp_exchange(g, &p, xid, DHCPOFFER, &bootp, &len);
	if (ret <= 0)
		return result(g, "dhcp", false, "%s waiting for OFFER",
			      ret ? "error" : "timeout");
	if (ret == DHCPNAK)
		return result(g, "dhcp", false, "NAK in reply to DISCOVER");
	if (!dhcp_parse_lease(g, bootp, len, &l))
		return result(g, "dhcp", false, "malformed OFFER");
	offered = l.addr;
	if (!offered || offered == 0xffffffff)
		return result(g, "dhcp", false, "OFFER of address %s",
			      ipstr(offered));

	dhcp_build(g, &p, DHCPREQUEST, xid, 0, offered, l.server);
	ret = dhcp_exchange(g, &p, xid, DHCPACK, &bootp, &len);
	if (ret <= 0)
		return result(g, "dhcp", false, "%s waiting for ACK",
			      ret ? "error" : "timeout");
	if (ret == DHCPNAK)
		return result(g, "dhcp", false, "NAK in reply to REQUEST");
	if (!dhcp_parse_lease(g, bootp, len, &l))
		return result(g, "dhcp", false, "malformed ACK");
	if (l.addr != offered)
		return result(g, "dhcp", false, "ACK for %s, offered %s",
			      ipstr(l.addr), ipstr(offered));
	if (l.prefix < 0)
		return result(g, "dhcp", false, "ACK without subnet mask");

	g->lease = l;
	g->addr = l.addr;
	g->prefix = l.prefix;
	g->router = l.router;
	g->narp = 0;

	if (l.domain[0])
		snprintf(opt, sizeof(opt), " domain %s", l.domain);
	if (l.search[0])
		snprintf(opt + strlen(opt), sizeof(opt) - strlen(opt),
			 " search \"%s\"", l.search);
	if (!dhcp_check_expect(g, &l, err, sizeof(err)))
		return result(g, "dhcp", false, "%s", err);
	return result(g, "dhcp", true,
		      "address %s/%d router %s dns %s mtu %u lease %u server %s%s",
		      ipstr(l.addr), l.prefix,
		      l.router ? ipstr(l.router) : "none",
		      l.dns ? ipstr(l.dns) : "none", l.mtu, l.lease,
		      ipstr(l.server), opt);
}

static const uint8_t *arp_lookup(struct guest *g, uint32_t ip)
{
	int i;

	for (i = 0; i < g->narp; i++)
		if (g->arp[i].ip == ip)
			return g->arp[i].mac;
	return NULL;
}

static void arp_store(struct guest *g, uint32_t ip, const uint8_t *mac)
{
	int i;

	for (i = 0; i < g->narp; i++)
		if (g->arp[i].ip == ip)
			break;
	if (i == ARP_CACHE)
		i = ARP_CACHE - 1;
	else if (i == g->narp)
		g->narp++;
	g->arp[i].ip = ip;
	memcpy(g->arp[i].mac, mac, ETH_ALEN);
}

/*
 * Resolve @ip; returns 1 with the MAC stored in the cache, 0 on timeout,
 * -1 on error (a malformed reply from the target is reported as such).
 */
static int arp_resolve(struct guest *g, uint32_t ip, char *err,
		       size_t errlen)
{
	static const uint8_t zero[ETH_ALEN];
	uint64_t deadline = now_ms() + g->timeout, next = 0;
	struct pkt p;
	struct rx r;

	arp_build(g, &p, bcast_mac, ARP_REQUEST, g->addr, zero, ip);
	for (;;) {
		uint64_t now = now_ms();
		const uint8_t *a;
		int ret;

		if (now >= next) {
			ret = tx(g, &p);
			if (ret) {
				snprintf(err, errlen, "write: %s",
					 strerror(-ret));
				return -1;
			}
			next = now + RETRANSMIT_MS;
		}
		ret = rx_next(g, next < deadline ? next : deadline, &r);
		if (ret < 0) {
			snprintf(err, errlen, "receive error");
			return -1;
		}
		if (!ret) {
			if (now_ms() >= deadline) {
				snprintf(err, errlen, "no reply for %s",
					 ipstr(ip));
				return 0;
			}
			continue;
		}
		if (get16(r.f + ETH_TYPE) != ETH_P_ARP)
			continue;
		a = r.f + ETH_HLEN;
		if (r.len < ETH_HLEN + ARP_LEN) {
			bad_frame(g, "ARP packet of %zu bytes",
				  r.len - ETH_HLEN);
			continue;
		}
		if (get16(a + ARP_OP) != ARP_REPLY ||
		    get32(a + ARP_SPA) != ip)
			continue;
		if (get16(a + ARP_HTYPE) != 1 ||
		    get16(a + ARP_PTYPE) != ETH_P_IP ||
		    a[ARP_HLEN] != ETH_ALEN || a[ARP_PLEN] != 4 ||
		    get32(a + ARP_TPA) != g->addr ||
		    memcmp(a + ARP_THA, g->mac, ETH_ALEN) ||
		    memcmp(a + ARP_SHA, r.f + ETH_SRC, ETH_ALEN) ||
		    a[ARP_SHA] & 1) {
			snprintf(err, errlen,
				 "malformed ARP reply for %s (sha %s tha %s tpa %s, from %s)",
				 ipstr(ip), macstr(a + ARP_SHA),
				 macstr(a + ARP_THA),
				 ipstr(get32(a + ARP_TPA)),
				 macstr(r.f + ETH_SRC));
			return -1;
		}
		arp_store(g, ip, a + ARP_SHA);
		return 1;
	}
}

static int cmd_arp(struct guest *g, uint32_t ip)
{
	char err[200];

	g->nbad = 0;
	if (!g->addr)
		return result(g, "arp", false,
			      "no address (run dhcp first or pass --ip)");
	if (arp_resolve(g, ip, err, sizeof(err)) <= 0)
		return result(g, "arp", false, "%s", err);
	return result(g, "arp", true, "%s is-at %s", ipstr(ip),
		      macstr(arp_lookup(g, ip)));
}

/*
 * Check an ICMP message from @r against our echo @id/@seq.  Returns 1 for a
 * good reply, 0 for an unrelated packet, -1 for a bad reply or an error
 * about our echo (recorded).
 */
static int ping_check(struct guest *g, const struct rx *r, uint32_t dst,
		      uint16_t id, uint16_t seq)
{
	const uint8_t *icmp = r->l4;
	static uint8_t want[PING_DATA_MAX];

	if (!r->ip || r->proto != PROTO_ICMP || r->daddr != g->addr ||
	    r->l4_len < ICMP_HLEN)
		return 0;
	if (icmp[ICMP_TYPE] == ICMP_UNREACH && r->l4_len >= ICMP_HLEN + 28 &&
	    get32(icmp + ICMP_HLEN + IPH_DADDR) == dst) {
		bad_frame(g, "ICMP unreachable code %u from %s",
			  icmp[ICMP_CODE], ipstr(r->saddr));
		return -1;
	}
	if (icmp[ICMP_TYPE] != ICMP_ECHOREPLY || r->saddr != dst ||
	    get16(icmp + ICMP_ID) != id)
		return 0;
	if (get16(icmp + ICMP_SEQ) != seq)
		return 0;	/* late or duplicate */
	if (icmp[ICMP_CODE] != 0) {
		bad_frame(g, "echo reply with code %u", icmp[ICMP_CODE]);
		return -1;
	}
	if (!r->csum_trusted && csum(icmp, r->l4_len)) {
		bad_frame(g, "bad ICMP checksum in echo reply seq %u", seq);
		return -1;
	}
	ping_payload(want, g->ping_data, seq);
	if (r->l4_len != ICMP_HLEN + g->ping_data ||
	    memcmp(icmp + ICMP_HLEN, want, g->ping_data)) {
		bad_frame(g, "echo reply seq %u: payload differs (%zu bytes)",
			  seq, r->l4_len - ICMP_HLEN);
		return -1;
	}
	return 1;
}

static int cmd_ping(struct guest *g, uint32_t dst, unsigned long count)
{
	uint16_t id = rnd(g);
	const uint8_t *mac;
	unsigned long seq, ok = 0;
	uint32_t hop = dst;
	char err[200];

	g->nbad = 0;
	if (!g->addr)
		return result(g, "ping", false,
			      "no address (run dhcp first or pass --ip)");
	/* off-link destinations go through the router, as in a guest */
	if (g->router && g->prefix >= 0 &&
	    (dst ^ g->addr) & prefix_mask(g->prefix))
		hop = g->router;
	mac = arp_lookup(g, hop);
	if (!mac) {
		if (arp_resolve(g, hop, err, sizeof(err)) <= 0)
			return result(g, "ping", false, "arp: %s", err);
		mac = arp_lookup(g, hop);
	}

	for (seq = 1; seq <= count; seq++) {
		uint64_t deadline = now_ms() + g->timeout;
		struct pkt p;
		struct rx r;
		int ret, got = 0;

		icmp_echo_build(g, &p, mac, dst, id, seq);
		ret = tx(g, &p);
		if (ret)
			return result(g, "ping", false, "write: %s",
				      strerror(-ret));
		while (!got && (ret = rx_next(g, deadline, &r)) > 0)
			got = ping_check(g, &r, dst, id, seq);
		if (ret < 0)
			return result(g, "ping", false, "receive error");
		if (got > 0)
			ok++;
	}
	return result(g, "ping", ok == count, "%lu/%lu replies", ok, count);
}

/* ---- garbage -------------------------------------------------------------- */

enum garbage_kind {
	G_ETH_SHORT, G_ETH_ONLY, G_IP_SHORT, G_IP_VERSION, G_IP_IHL_SMALL,
	G_IP_IHL_LONG, G_IP_TOTLEN_BIG, G_IP_TOTLEN_SMALL, G_IP_CSUM,
	G_IP_OPTIONS, G_IP_FRAG, G_UDP_SHORT, G_UDP_LEN_BIG, G_UDP_LEN_SMALL,
	G_UDP_CSUM, G_DHCP_TRUNC, G_DHCP_MAGIC, G_DHCP_OPT_OVERRUN,
	G_DHCP_NO_END, G_DHCP_OPT_ZERO, G_DHCP_OVERLOAD, G_DHCP_HW,
	G_DHCP_TYPES, G_DHCP_REQUEST, G_ARP_HLEN, G_ARP_PLEN, G_ARP_SHORT,
	G_ARP_ODD, G_ICMP_SHORT, G_ICMP_CSUM, G_ICMP_TYPES, G_RANDOM,
	G_RANDOM_IP, G_VLAN, G_VNET_GSO_TYPE, G_VNET_HDR_LEN, G_VNET_CSUM,
	G_VNET_GSO_UDP,
	G_NUM
};

/* ---- TCP ------------------------------------------------------------------ */

#define TCP_HLEN	20
#define TCP_FIN		0x01
#define TCP_SYN		0x02
#define TCP_RST		0x04
#define TCP_PSH		0x08
#define TCP_ACK		0x10
#define TCP_MSS		1460
#define TCP_TRIES	8

/* One connection; a stop-and-wait sender, an in-order receiver. */
struct tcpconn {
	const uint8_t *mac;	/* next hop */
	uint32_t dst;
	uint16_t sport, dport;
	uint32_t iss, snd_nxt, snd_una, rcv_nxt;
	/* what came back */
	uint64_t rx_bytes;
	unsigned int rx_frames, rx_gso;
	size_t rx_largest, tx_largest;
	unsigned int tx_frames;
	char line[100];
	size_t line_len;
	bool fin;
};

/* The byte at offset @k of what the tcp command sends. */
static uint8_t tcp_pattern(uint64_t k)
{
	return (k % 251) ^ ((k / 251) & 0xff);
}

static struct {
	struct virtio_net_hdr_v1 vh;
	uint8_t f[FRAME_MAX];
} tcp_big;

/*
 * Send one segment: @paylen bytes of the pattern from offset @payoff.
 * Larger than the MSS, it goes as one TSO super-frame for the device to
 * segment, as a virtio guest with host TSO does.
 */
static int tcp_tx(struct guest *g, struct tcpconn *c, uint8_t flags,
		  uint32_t seq, uint64_t payoff, size_t paylen)
{
	static const uint8_t syn_opts[] = { 2, 4, TCP_MSS >> 8, TCP_MSS & 0xff,
					    1, 3, 3, 7 };
	size_t optlen = flags & TCP_SYN ? sizeof(syn_opts) : 0;
	size_t l4len = TCP_HLEN + optlen + paylen, i;
	uint8_t *f = tcp_big.f, *ip = f + ETH_HLEN, *th = ip + IPH_HLEN;
	struct iovec iov[2];
	uint64_t sum;
	uint16_t cs;
	ssize_t n;

	memset(&tcp_big.vh, 0, sizeof(tcp_big.vh));
	memcpy(f + ETH_DST, c->mac, ETH_ALEN);
	memcpy(f + ETH_SRC, g->mac, ETH_ALEN);
	put16(f + ETH_TYPE, ETH_P_IP);
	memset(ip, 0, IPH_HLEN);
	ip[IPH_VIHL] = 0x45;
	put16(ip + IPH_TOTLEN, IPH_HLEN + l4len);
	put16(ip + IPH_ID, g->ip_id++);
	put16(ip + IPH_FRAG, 0x4000);
	ip[IPH_TTL] = 64;
	ip[IPH_PROTO] = PROTO_TCP;
	put32(ip + IPH_SADDR, g->addr);
	put32(ip + IPH_DADDR, c->dst);
	put16(ip + IPH_CSUM, csum(ip, IPH_HLEN));
	memset(th, 0, TCP_HLEN);
	put16(th, c->sport);
	put16(th + 2, c->dport);
	put32(th + 4, seq);
	put32(th + 8, flags & TCP_ACK ? c->rcv_nxt : 0);
	th[12] = ((TCP_HLEN + optlen) / 4) << 4;
	th[13] = flags;
	put16(th + 14, 0xffff);
	memcpy(th + TCP_HLEN, syn_opts, optlen);
	for (i = 0; i < paylen; i++)
		th[TCP_HLEN + optlen + i] = tcp_pattern(payoff + i);
	sum = csum_pseudo(g->addr, c->dst, PROTO_TCP, l4len);
	if (g->csum_partial || paylen > TCP_MSS) {
		put16(th + 16, csum_fold(sum));
		tcp_big.vh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		tcp_big.vh.csum_start = htole16(ETH_HLEN + IPH_HLEN);
		tcp_big.vh.csum_offset = htole16(16);
	} else {
		cs = ~csum_fold(csum_add(sum, th, l4len));
		put16(th + 16, cs);
	}
	if (paylen > TCP_MSS) {
		tcp_big.vh.gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
		tcp_big.vh.gso_size = htole16(TCP_MSS);
		tcp_big.vh.hdr_len = htole16(ETH_HLEN + IPH_HLEN + TCP_HLEN);
	}
	iov[0].iov_base = &tcp_big.vh;
	iov[0].iov_len = VNET_HDR_LEN;
	iov[1].iov_base = f;
	iov[1].iov_len = ETH_HLEN + IPH_HLEN + l4len;
	n = writev(g->fd, iov, 2);
	if (n != (ssize_t)(VNET_HDR_LEN + iov[1].iov_len))
		return n < 0 ? -errno : -EIO;
	c->tx_frames++;
	if (iov[1].iov_len > c->tx_largest)
		c->tx_largest = iov[1].iov_len;
	return 0;
}

/* Keep the in-order payload of @r (the answer's first line, counts). */
static void tcp_take(struct tcpconn *c, const struct rx *r,
		     const uint8_t *data, size_t len)
{
	const struct virtio_net_hdr_v1 *vh = (const void *)r->f - VNET_HDR_LEN;
	size_t i;

	c->rx_bytes += len;
	c->rx_frames++;
	if (vh->gso_type != VIRTIO_NET_HDR_GSO_NONE)
		c->rx_gso++;
	if (r->len > c->rx_largest)
		c->rx_largest = r->len;
	for (i = 0; i < len && c->line_len < sizeof(c->line) - 1; i++) {
		if (data[i] == '\n')
			c->line_len = sizeof(c->line) - 1;
		else
			c->line[c->line_len++] = data[i];
	}
}

/*
 * Wait for a segment of the connection and handle its data: in-order
 * payload is taken and ACKed, anything else ACKed as it stands.  Returns
 * the segment's flags with its ACK number in *@ack, 0 on timeout, -1 on
 * error or reset.
 */
static int tcp_rx(struct guest *g, struct tcpconn *c, uint64_t deadline,
		  uint32_t *ack)
{
	const uint8_t *th, *data;
	size_t doff, len;
	uint32_t seq;
	struct rx r;
	int ret;

	while ((ret = rx_next(g, deadline, &r)) > 0) {
		if (!r.ip || r.proto != PROTO_TCP || r.saddr != c->dst ||
		    r.l4_len < TCP_HLEN)
			continue;
		th = r.l4;
		if (get16(th) != c->dport || get16(th + 2) != c->sport)
			continue;
		doff = (th[12] >> 4) * 4;
		if (doff < TCP_HLEN || doff > r.l4_len) {
			bad_frame(g, "TCP data offset %zu", doff);
			continue;
		}
		if (th[13] & TCP_RST)
			return -1;
		seq = get32(th + 4);
		*ack = get32(th + 8);
		data = th + doff;
		len = r.l4_len - doff;
		if (th[13] & TCP_SYN) {
			c->rcv_nxt = seq + 1;
			return th[13];
		}
		if (seq == c->rcv_nxt && (len || th[13] & TCP_FIN)) {
			tcp_take(c, &r, data, len);
			c->rcv_nxt += len;
			if (th[13] & TCP_FIN) {
				c->rcv_nxt++;
				c->fin = true;
			}
		}
		if (len || th[13] & TCP_FIN)
			tcp_tx(g, c, TCP_ACK, c->snd_nxt, 0, 0);
		return th[13];
	}
	return ret < 0 ? -1 : 0;
}

/* Send @len bytes from stream offset @off until the peer ACKs them all. */
static int tcp_send(struct guest *g, struct tcpconn *c, uint64_t off,
		    size_t len)
{
	uint32_t end = c->iss + 1 + off + len, ack;
	int tries = 0, ret;

	while ((int32_t)(c->snd_una - end) < 0) {
		uint64_t o = c->snd_una - c->iss - 1;
		size_t n = end - c->snd_una;

		if (++tries > TCP_TRIES)
			return -1;
		if (tcp_tx(g, c, TCP_ACK | TCP_PSH, c->snd_una, o, n))
			return -1;
		c->snd_nxt = end;
		while ((ret = tcp_rx(g, c, now_ms() + g->timeout, &ack)) > 0) {
			if (!(ret & TCP_ACK) ||
			    (int32_t)(ack - c->snd_una) <= 0)
				continue;
			c->snd_una = ack;
			tries = 0;
			if ((int32_t)(ack - end) >= 0)
				break;
		}
		if (ret < 0)
			return -1;
		c->snd_nxt = c->snd_una;
	}
	c->snd_nxt = end;
	return 0;
}

static int tcp_connect(struct guest *g, struct tcpconn *c)
{
	uint32_t ack;
	int i, ret;

	for (i = 0; i < TCP_TRIES; i++) {
		if (tcp_tx(g, c, TCP_SYN, c->iss, 0, 0))
			return -1;
		while ((ret = tcp_rx(g, c, now_ms() + g->timeout, &ack)) > 0)
			if ((ret & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK) &&
			    ack == c->iss + 1)
				break;
		if (ret < 0)
			return -1;
		if (ret > 0) {
			c->snd_una = c->iss + 1;
			c->snd_nxt = c->snd_una;
			return tcp_tx(g, c, TCP_ACK, c->snd_nxt, 0, 0);
		}
	}
	return -1;
}

static int cmd_tcp(struct guest *g, uint32_t dst, unsigned long port,
		   unsigned long bytes)
{
	size_t chunk = g->offload & TUN_F_TSO4 ? 44 * TCP_MSS : TCP_MSS;
	struct tcpconn c = { .dst = dst, .dport = port };
	uint64_t off, deadline;
	uint32_t hop = dst, ack;
	char err[200];
	int ret = 0;

	g->nbad = 0;
	if (!g->addr)
		return result(g, "tcp", false, "no address");
	if (g->router && g->prefix >= 0 &&
	    (dst ^ g->addr) & prefix_mask(g->prefix))
		hop = g->router;
	c.mac = arp_lookup(g, hop);
	if (!c.mac && arp_resolve(g, hop, err, sizeof(err)) <= 0)
		return result(g, "tcp", false, "arp: %s", err);
	c.mac = arp_lookup(g, hop);
	c.sport = 32768 + rnd(g) % 28000;
	c.iss = rnd(g);
	if (tcp_connect(g, &c))
		return result(g, "tcp", false, "no connection");
	for (off = 0; off < bytes; off += chunk)
		if (tcp_send(g, &c, off, bytes - off < chunk ?
			     bytes - off : chunk))
			return result(g, "tcp", false, "send stalled at %llu",
				      (unsigned long long)off);
	/* our FIN, then the answer until the server's */
	tcp_tx(g, &c, TCP_FIN | TCP_ACK, c.snd_nxt, 0, 0);
	c.snd_nxt++;
	deadline = now_ms() + 10 * g->timeout;
	while (!c.fin && now_ms() < deadline &&
	       (ret = tcp_rx(g, &c, deadline, &ack)) >= 0)
		;
	c.line[c.line_len < sizeof(c.line) ? c.line_len :
	       sizeof(c.line) - 1] = 0;
	return result(g, "tcp", c.fin && ret >= 0,
		      "sent %lu bytes in %u frames (largest %zu), received %llu bytes in %u frames (largest %zu, %u GSO), answer \"%s\"",
		      bytes, c.tx_frames, c.tx_largest,
		      (unsigned long long)c.rx_bytes, c.rx_frames,
		      c.rx_largest, c.rx_gso, c.line);
}

/* Put @n random option bytes, no END, at the start of the option area. */
static void garbage_dhcp(struct guest *g, struct pkt *p, int kind)
{
	uint8_t *ip = p->f + ETH_HLEN, *udp = ip + IPH_HLEN;
	uint8_t *bootp = udp + UDP_HLEN, *o = bootp + BOOTP_OPTS;
	size_t blen = get16(udp + UDP_LEN) - UDP_HLEN;
	size_t i;

	switch (kind) {
	case G_DHCP_TRUNC:
		blen = rnd(g) % BOOTP_OPTS;
		break;
	case G_DHCP_MAGIC:
		put32(bootp + BOOTP_MAGIC, rnd(g) | 1);
		break;
	case G_DHCP_OPT_OVERRUN:
		/* type DISCOVER, then an option running past the end */
		o[0] = OPT_MSGTYPE;
		o[1] = 1;
		o[2] = DHCPDISCOVER;
		blen = BOOTP_OPTS + 3 + 2 + rnd(g) % 8;
		o[3] = (rnd(g) % 2) ? OPT_PRL : OPT_CLIENTID;
		o[4] = 255;
		break;
	case G_DHCP_NO_END:
		for (i = 0; i < blen - BOOTP_OPTS; i += 3) {
			o[i] = OPT_PRL;
			o[i + 1] = 1;
			o[i + 2] = rnd(g);
		}
		break;
	case G_DHCP_OPT_ZERO: {
		static const uint8_t codes[] = {
			OPT_MSGTYPE, OPT_REQIP, OPT_SERVER, OPT_CLIENTID,
			OPT_MAXSIZE, OPT_PRL, OPT_OVERLOAD, OPT_SEARCH,
		};

		for (i = 0; i < sizeof(codes); i++) {
			o[2 * i] = codes[(i + rnd(g)) % sizeof(codes)];
			o[2 * i + 1] = 0;
		}
		o[2 * i] = OPT_END;
		break;
	}
	case G_DHCP_OVERLOAD:
		/* overload pointing at sname/file full of junk, no END */
		o[0] = OPT_MSGTYPE;
		o[1] = 1;
		o[2] = DHCPDISCOVER;
		o[3] = OPT_OVERLOAD;
		o[4] = 1;
		o[5] = rnd(g) % 5;	/* also the invalid 0 and 4 */
		o[6] = OPT_END;
		rnd_fill(g, bootp + BOOTP_SNAME, BOOTP_MAGIC - BOOTP_SNAME);
		if (rnd(g) % 2)
			bootp[BOOTP_FILE + 1] = 0xff;	/* length overrun */
		break;
	case G_DHCP_HW:
		bootp[BOOTP_HTYPE] = rnd(g);
		bootp[BOOTP_HLEN] = 17 + rnd(g) % 239;	/* > 16 */
		if (rnd(g) % 2)
			bootp[BOOTP_OP] = BOOTP_REPLY;
		break;
	case G_DHCP_TYPES: {
		/* message types a server must ignore (or answer harmlessly) */
		static const uint8_t types[] = {
			0, DHCPOFFER, DHCPACK, DHCPNAK, DHCPINFORM, 9, 18, 200,
		};

		o[0] = OPT_MSGTYPE;
		o[1] = 1;
		o[2] = types[rnd(g) % sizeof(types)];
		if (rnd(g) % 2)
			o[1] = 2 + rnd(g) % 3;	/* bad length, same data */
		break;
	}
	}
	/* keep the headers consistent with the (new) BOOTP length */
	put16(udp + UDP_LEN, UDP_HLEN + blen);
	put16(ip + IPH_TOTLEN, IPH_HLEN + UDP_HLEN + blen);
	put16(ip + IPH_CSUM, 0);
	put16(ip + IPH_CSUM, csum(ip, IPH_HLEN));
	p->len = ETH_HLEN + IPH_HLEN + UDP_HLEN + blen;
	put16(udp + UDP_CSUM, 0);	/* no checksum: legal for IPv4 UDP */
}

static void garbage_build(struct guest *g, struct pkt *p, int kind,
			  const uint8_t *gwmac, uint32_t gw)
{
	uint32_t src = g->addr ? g->addr : 0x0a00020f;
	uint8_t *ip = p->f + ETH_HLEN, *l4 = ip + IPH_HLEN;
	bool partial = g->csum_partial;
	uint32_t xid = rnd(g);
	size_t ihl;

	/*
	 * Most kinds start from a valid DHCPDISCOVER (full checksums, no
	 * offload) and break one thing in it.
	 */
	g->csum_partial = false;
	dhcp_build(g, p, DHCPDISCOVER, xid, 0, 0, 0);
	g->csum_partial = partial;

	switch (kind) {
	case G_ETH_SHORT:
		p->len = rnd(g) % ETH_HLEN;
		break;
	case G_ETH_ONLY:
		p->len = ETH_HLEN;
		break;
	case G_IP_SHORT:
		p->len = ETH_HLEN + rnd(g) % IPH_HLEN;
		break;
	case G_IP_VERSION:
		ip[IPH_VIHL] = (rnd(g) % 16) << 4 | 5;
		if (ip[IPH_VIHL] == 0x45)
			ip[IPH_VIHL] = 0x65;
		break;
	case G_IP_IHL_SMALL:
		ip[IPH_VIHL] = 0x40 | rnd(g) % 5;
		break;
	case G_IP_IHL_LONG:
		ip[IPH_VIHL] = 0x4f;
		p->len = ETH_HLEN + IPH_HLEN + 4 + rnd(g) % 30;
		put16(ip + IPH_TOTLEN, p->len - ETH_HLEN);
		break;
	case G_IP_TOTLEN_BIG:
		put16(ip + IPH_TOTLEN, get16(ip + IPH_TOTLEN) + 1 +
		      rnd(g) % 60000);
		break;
	case G_IP_TOTLEN_SMALL:
		put16(ip + IPH_TOTLEN, rnd(g) % (IPH_HLEN + UDP_HLEN));
		break;
	case G_IP_CSUM:
		put16(ip + IPH_CSUM, get16(ip + IPH_CSUM) ^ (1 + rnd(g) % 0xfffe));
		return;
	case G_IP_OPTIONS: {
		/* ihl 6: one option with a bad length, then the UDP header */
		size_t l4len = p->len - ETH_HLEN - IPH_HLEN;

		memmove(l4 + 4, l4, l4len);
		l4[0] = 0x07 + (rnd(g) % 2) * 0x80;	/* RR or junk */
		l4[1] = rnd(g) % 2 ? 0 : 200;
		l4[2] = 0;
		l4[3] = 0;
		ip[IPH_VIHL] = 0x46;
		put16(ip + IPH_TOTLEN, 24 + l4len);
		p->len += 4;
		break;
	}
	case G_IP_FRAG:
		put16(ip + IPH_FRAG, rnd(g) % 2 ? IPH_MF : 1 + rnd(g) % 100);
		break;
	case G_UDP_SHORT:
		p->len = ETH_HLEN + IPH_HLEN + rnd(g) % UDP_HLEN;
		put16(ip + IPH_TOTLEN, p->len - ETH_HLEN);
		break;
	case G_UDP_LEN_BIG:
		put16(l4 + UDP_LEN, get16(l4 + UDP_LEN) + 1 + rnd(g) % 1000);
		put16(l4 + UDP_CSUM, 0);
		return;
	case G_UDP_LEN_SMALL:
		put16(l4 + UDP_LEN, rnd(g) % UDP_HLEN);
		put16(l4 + UDP_CSUM, 0);
		return;
	case G_UDP_CSUM:
		put16(l4 + UDP_CSUM, get16(l4 + UDP_CSUM) ^ 0x0101);
		return;
	case G_DHCP_TRUNC:
	case G_DHCP_MAGIC:
	case G_DHCP_OPT_OVERRUN:
	case G_DHCP_NO_END:
	case G_DHCP_OPT_ZERO:
	case G_DHCP_OVERLOAD:
	case G_DHCP_HW:
	case G_DHCP_TYPES:
		garbage_dhcp(g, p, kind);
		return;
	case G_DHCP_REQUEST: {
		/* requests for addresses that cannot be leased */
		static const uint32_t bogus[] = {
			0, 0xffffffff, 0x7f000001, 0xe0000001, 0x0a0002ff,
		};
		uint32_t req = rnd(g) % 2 ? bogus[rnd(g) % 5] : rnd(g);

		dhcp_build(g, p, DHCPREQUEST, xid, 0, req,
			   rnd(g) % 2 ? gw : rnd(g));
		if (rnd(g) % 2)
			dhcp_build(g, p, DHCPINFORM, xid, rnd(g), 0, 0);
		return;
	}
	case G_ARP_HLEN:
	case G_ARP_PLEN:
	case G_ARP_SHORT:
	case G_ARP_ODD: {
		static const uint8_t zero[ETH_ALEN];
		uint8_t *a;

		arp_build(g, p, bcast_mac, ARP_REQUEST, src, zero, gw);
		a = p->f + ETH_HLEN;
		if (kind == G_ARP_HLEN) {
			a[ARP_HLEN] = rnd(g) % 2 ? 0 : 7 + rnd(g) % 249;
		} else if (kind == G_ARP_PLEN) {
			a[ARP_PLEN] = rnd(g) % 2 ? 0 : 5 + rnd(g) % 251;
		} else if (kind == G_ARP_SHORT) {
			p->len = ETH_HLEN + rnd(g) % ARP_LEN;
		} else {
			/* odd htype/ptype/op, or a multicast sender */
			switch (rnd(g) % 4) {
			case 0:
				put16(a + ARP_HTYPE, 2 + rnd(g) % 100);
				break;
			case 1:
				put16(a + ARP_PTYPE, 0x86dd);
				break;
			case 2:
				put16(a + ARP_OP, 3 + rnd(g) % 100);
				break;
			default:
				a[ARP_SHA] |= 1;
				break;
			}
		}
		return;
	}
	case G_ICMP_SHORT:
	case G_ICMP_CSUM:
	case G_ICMP_TYPES: {
		uint8_t *icmp;

		icmp_echo_build(g, p, gwmac, gw, rnd(g), rnd(g));
		icmp = p->f + ETH_HLEN + IPH_HLEN;
		/* the source may be unset: use the default guest address */
		put32(ip + IPH_SADDR, src);
		put16(ip + IPH_CSUM, 0);
		if (kind == G_ICMP_SHORT) {
			size_t l = rnd(g) % ICMP_HLEN;

			put16(ip + IPH_TOTLEN, IPH_HLEN + l);
			p->len = ETH_HLEN + IPH_HLEN + l;
		} else if (kind == G_ICMP_CSUM) {
			put16(icmp + ICMP_CSUM, get16(icmp + ICMP_CSUM) ^ 0x8001);
		} else {
			icmp[ICMP_TYPE] = rnd(g) % 2 ? 13 + rnd(g) % 6 :
					 rnd(g);
			icmp[ICMP_CODE] = rnd(g);
			put16(icmp + ICMP_CSUM, 0);
			put16(icmp + ICMP_CSUM,
			      csum(icmp, ICMP_HLEN + g->ping_data));
		}
		put16(ip + IPH_CSUM, csum(ip, IPH_HLEN));
		return;
	}
	case G_RANDOM:
		pkt_init(p);
		p->len = rnd(g) % 600;
		rnd_fill(g, p->f, p->len);
		if (p->len >= ETH_HLEN && rnd(g) % 2)
			memcpy(p->f, gwmac, ETH_ALEN);
		return;
	case G_RANDOM_IP:
		p->len = ETH_HLEN + rnd(g) % 600;
		rnd_fill(g, ip, p->len - ETH_HLEN);
		if (p->len > ETH_HLEN)
			ip[IPH_VIHL] = 0x40 | (ip[IPH_VIHL] & 0xf);
		return;
	case G_VLAN:
		/* 802.1Q tag: truncated, or a tagged DHCPDISCOVER */
		memmove(p->f + ETH_HLEN + 4, p->f + ETH_HLEN,
			p->len - ETH_HLEN);
		put16(p->f + ETH_TYPE, 0x8100);
		put16(p->f + ETH_HLEN, rnd(g) % 4096);		/* TCI */
		put16(p->f + ETH_HLEN + 2, ETH_P_IP);
		p->len = rnd(g) % 2 ? ETH_HLEN + rnd(g) % 4 : p->len + 4;
		return;
	case G_VNET_GSO_TYPE:
		p->vh.gso_type = rnd(g) % 2 ? 0x7f : 0x02 + rnd(g) % 0x7e;
		p->vh.gso_size = htole16(rnd(g) % 2000);
		p->vh.hdr_len = htole16(rnd(g) % 200);
		return;
	case G_VNET_HDR_LEN:
		p->vh.gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
		p->vh.gso_size = htole16(rnd(g) % 2 ? 0 : 1 + rnd(g) % 100);
		p->vh.hdr_len = htole16(p->len + 1 + rnd(g) % 60000);
		return;
	case G_VNET_CSUM:
		p->vh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		switch (rnd(g) % 3) {
		case 0:		/* beyond the frame */
			p->vh.csum_start = htole16(p->len + rnd(g) % 1000);
			p->vh.csum_offset = htole16(rnd(g));
			break;
		case 1:		/* inside the Ethernet header */
			p->vh.csum_start = htole16(rnd(g) % ETH_HLEN);
			p->vh.csum_offset = htole16(rnd(g) % 8);
			break;
		default:	/* field past the end */
			p->vh.csum_start = htole16(ETH_HLEN + IPH_HLEN);
			p->vh.csum_offset = htole16(p->len);
			break;
		}
		return;
	case G_VNET_GSO_UDP:
		/* a GSO (USO or UFO) DHCP message, as no guest sends one */
		p->vh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		p->vh.csum_start = htole16(ETH_HLEN + IPH_HLEN);
		p->vh.csum_offset = htole16(UDP_CSUM);
		p->vh.gso_type = rnd(g) % 2 ? VIRTIO_NET_HDR_GSO_UDP_L4 :
			VIRTIO_NET_HDR_GSO_UDP;
		p->vh.gso_size = htole16(64 + rnd(g) % 200);
		p->vh.hdr_len = htole16(ETH_HLEN + IPH_HLEN + UDP_HLEN);
		put16(l4 + UDP_CSUM, csum_fold(csum_pseudo(0, 0xffffffff,
							   PROTO_UDP,
							   get16(l4 + UDP_LEN))));
		return;
	}
	/* IP-level kinds: only the intended defect, not a bad checksum */
	if (p->len < ETH_HLEN + IPH_HLEN)
		return;
	ihl = (ip[IPH_VIHL] & 0xf) * 4;
	if (ihl < IPH_HLEN || ihl > p->len - ETH_HLEN)
		ihl = IPH_HLEN;
	put16(ip + IPH_CSUM, 0);
	put16(ip + IPH_CSUM, csum(ip, ihl));
}

static int cmd_garbage(struct guest *g, unsigned long n)
{
	const uint8_t *gwmac = NULL;
	unsigned long i, refused = 0;
	uint32_t gw = g->router;

	g->nbad = 0;
	if (!gw)
		gw = 0x0a000202;	/* the default unat gateway */
	gwmac = arp_lookup(g, gw);
	if (!gwmac)
		gwmac = bcast_mac;

	for (i = 0; i < n; i++) {
		struct pkt p;
		int ret;

		garbage_build(g, &p, i % G_NUM, gwmac, gw);
		ret = tx(g, &p);
		if (ret == -EINVAL || ret == -EFAULT || ret == -EIO) {
			/* the tap driver itself refused it: fine */
			if (g->verbose)
				fprintf(stderr, "garbage %lu (kind %lu): %s\n",
					i, i % G_NUM, strerror(-ret));
			refused++;
		} else if (ret) {
			return result(g, "garbage", false, "write: %s",
				      strerror(-ret));
		}
	}
	rx_drain(g);
	if (refused)
		return result(g, "garbage", true,
			      "sent %lu (%lu refused by the tap device)", n,
			      refused);
	return result(g, "garbage", true, "sent %lu", n);
}

/* ---- vnetfuzz ------------------------------------------------------------- */

/*
 * Mostly plausible frames (ARP, DHCP, garbage, and IPv4/IPv6 TCP, UDP and
 * echo to the gateway, the DNS address or a remote, from a few bytes to
 * 64 KiB super-frames) behind a virtio-net header that is valid, mutated
 * field by field, or random.  Guest ports and echo ids come from a small
 * set, so the flows opened stay far below unat's flow limit and clear of
 * a concurrent tcp command's ports (32768 and up).
 */

#define IP6H_HLEN	40
#define IP6H_PLEN	4
#define IP6H_NEXT	6
#define IP6H_HOPS	7
#define IP6H_SADDR	8
#define IP6H_DADDR	24
#define PROTO_ICMP6	58
#define ICMP6_ECHO	128
#define FZ_PORT		20000		/* guest ports FZ_PORT + 0..63 */
#define FZ_PORTS	64
#define FZ_RPORTS	16		/* remote ports 1..16 */
#define FZ_ERRNOS	134
#define FZ_DRAIN	256		/* read what came back every so often */

struct fuzz {
	const uint8_t *gwmac;
	uint32_t gw;
	unsigned long accepted, refused, gso, big;
	unsigned long err[FZ_ERRNOS];
	size_t largest;
};

/* the default unat network: 10.0.2.0/24 and fd75:6e61:7400:2::/64 */
static const uint32_t fz_dst4[] = { 0x0a000202, 0x0a000203, 0xcb007102 };

static const uint8_t fz_prefix6[8] = {
	0xfd, 0x75, 0x6e, 0x61, 0x74, 0x00, 0x00, 0x02,
};

/* a remote: 2001:db8::2 */
static const uint8_t fz_remote6[8] = {
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00,
};

static void fz_addr6(uint8_t *a, const uint8_t *prefix, uint8_t low)
{
	memset(a, 0, 16);
	memcpy(a, prefix, 8);
	a[15] = low;
}

/* IPv6 header at p->f + ETH_HLEN, from the guest's ::15; @dst as fz_dst4. */
static uint8_t *ip6_build(struct pkt *p, unsigned int dst, uint8_t next,
			  size_t l4_len)
{
	uint8_t *ip6 = p->f + ETH_HLEN;

	memset(ip6, 0, IP6H_HLEN);
	ip6[0] = 0x60;
	put16(ip6 + IP6H_PLEN, l4_len);
	ip6[IP6H_NEXT] = next;
	ip6[IP6H_HOPS] = 64;
	fz_addr6(ip6 + IP6H_SADDR, fz_prefix6, 0x15);
	fz_addr6(ip6 + IP6H_DADDR, dst < 2 ? fz_prefix6 : fz_remote6,
		 dst == 1 ? 3 : 2);
	p->len = ETH_HLEN + IP6H_HLEN + l4_len;
	return ip6 + IP6H_HLEN;
}

/* Payload bytes: mostly small, some jumbo, some up to @max. */
static size_t fz_paylen(struct guest *g, size_t max)
{
	unsigned int k = rnd(g) % 16;
	size_t n;

	if (k < 6)
		n = rnd(g) % 64;
	else if (k < 11)
		n = rnd(g) % 1500;
	else if (k < 14)
		n = 1400 + rnd(g) % 8000;
	else if (k < 15)
		n = rnd(g) % (max + 1);
	else
		n = max;
	return n < max ? n : max;
}

/*
 * The transport header at @l4 (@len bytes with the payload); returns the
 * offset of its checksum field.
 */
static size_t fz_l4_header(struct guest *g, uint8_t proto, uint8_t *l4,
			   size_t len, bool v6, bool to_dns)
{
	static const uint8_t flags[] = {
		TCP_SYN, TCP_ACK, TCP_ACK | TCP_PSH, TCP_RST, TCP_FIN | TCP_ACK,
		TCP_SYN | TCP_ACK, TCP_RST | TCP_ACK,
	};

	switch (proto) {
	case PROTO_TCP:
		put16(l4, FZ_PORT + rnd(g) % FZ_PORTS);
		put16(l4 + 2, 1 + rnd(g) % FZ_RPORTS);
		put32(l4 + 4, rnd(g));
		put32(l4 + 8, rnd(g));
		l4[12] = (TCP_HLEN / 4) << 4;
		l4[13] = rnd(g) % 8 ? flags[rnd(g) % ARRAY_SIZE(flags)] : rnd(g);
		put16(l4 + 14, rnd(g));
		put32(l4 + 16, 0);
		return 16;
	case PROTO_UDP:
		put16(l4 + UDP_SPORT, FZ_PORT + rnd(g) % FZ_PORTS);
		put16(l4 + UDP_DPORT, to_dns ? 53 : 1 + rnd(g) % FZ_RPORTS);
		put16(l4 + UDP_LEN, len);
		put16(l4 + UDP_CSUM, 0);
		return UDP_CSUM;
	default:
		l4[ICMP_TYPE] = v6 ? ICMP6_ECHO : ICMP_ECHO;
		l4[ICMP_CODE] = 0;
		put16(l4 + ICMP_CSUM, 0);
		put16(l4 + ICMP_ID, FZ_PORT + rnd(g) % FZ_PORTS);
		put16(l4 + ICMP_SEQ, rnd(g));
		return ICMP_CSUM;
	}
}

/* A complete checksum, or one left to the device (NEEDS_CSUM). */
static void fz_l4_csum(struct pkt *p, uint8_t *l4, size_t len, uint8_t proto,
		       bool v6, size_t field, bool partial)
{
	const uint8_t *l3 = p->f + ETH_HLEN;
	uint64_t sum = 0;
	uint16_t c;

	if (v6)
		sum = csum_add(0, l3 + IP6H_SADDR, 32) + l3[IP6H_NEXT] + len;
	else if (proto != PROTO_ICMP)
		sum = csum_pseudo(get32(l3 + IPH_SADDR), get32(l3 + IPH_DADDR),
				  proto, len);
	if (partial) {
		put16(l4 + field, csum_fold(sum));
		p->vh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		p->vh.csum_start = htole16(l4 - p->f);
		p->vh.csum_offset = htole16(field);
		return;
	}
	c = ~csum_fold(csum_add(sum, l4, len));
	put16(l4 + field, c || proto != PROTO_UDP ? c : 0xffff);
}

/* What a guest with TSO and USO would say about a large frame. */
static void fz_gso(struct pkt *p, uint8_t proto, bool v6, size_t l4off,
		   size_t paylen)
{
	size_t mss = v6 ? TCP_MSS - 20 : TCP_MSS;

	if (p->vh.flags != VIRTIO_NET_HDR_F_NEEDS_CSUM)
		return;
	if (proto == PROTO_TCP && paylen > mss) {
		p->vh.gso_type = v6 ? VIRTIO_NET_HDR_GSO_TCPV6 :
				 VIRTIO_NET_HDR_GSO_TCPV4;
		p->vh.gso_size = htole16(mss);
		p->vh.hdr_len = htole16(l4off + TCP_HLEN);
	} else if (proto == PROTO_UDP && paylen > mss) {
		p->vh.gso_type = VIRTIO_NET_HDR_GSO_UDP_L4;
		p->vh.gso_size = htole16(mss);
		p->vh.hdr_len = htole16(l4off + UDP_HLEN);
	}
}

/*
 * Ethernet, IPv4 or IPv6, TCP, UDP or echo to the gateway, DNS or a
 * remote, with a valid vnet header; returns the transport's offset.
 */
static size_t fz_ip_frame(struct guest *g, struct fuzz *fz, struct pkt *p)
{
	static const uint8_t protos[] = {
		PROTO_TCP, PROTO_TCP, PROTO_UDP, PROTO_UDP, PROTO_ICMP,
	};
	bool v6 = rnd(g) % 3 == 0;
	uint8_t proto = protos[rnd(g) % ARRAY_SIZE(protos)];
	unsigned int dst = rnd(g) % 3;
	size_t hlen = proto == PROTO_TCP ? TCP_HLEN : UDP_HLEN;
	size_t l3len = v6 ? IP6H_HLEN : IPH_HLEN;
	size_t max = FRAME_MAX - ETH_HLEN - l3len - hlen, paylen, field;
	bool partial;
	uint8_t *l4;

	if (!v6 && max > 65535 - IPH_HLEN - hlen)
		max = 65535 - IPH_HLEN - hlen;
	paylen = fz_paylen(g, max);
	/* a super-frame's checksum is the device's, mostly */
	partial = paylen > TCP_MSS ? rnd(g) % 8 : rnd(g) % 2;
	pkt_init(p);
	eth_build(p, fz->gwmac, g->mac, v6 ? ETH_P_IPV6 : ETH_P_IP);
	if (v6)
		l4 = ip6_build(p, dst, proto == PROTO_ICMP ? PROTO_ICMP6 : proto,
			       hlen + paylen);
	else
		l4 = ip_build(g, p, g->addr, fz_dst4[dst], proto,
			      hlen + paylen);
	memset(l4 + hlen, rnd(g), paylen);
	field = fz_l4_header(g, proto, l4, hlen + paylen, v6, dst == 1);
	fz_l4_csum(p, l4, hlen + paylen, proto, v6, field, partial);
	fz_gso(p, proto, v6, l4 - p->f, paylen);
	return l4 - p->f;
}

/* Any frame of the mix, with its (so far valid) vnet header. */
static size_t fz_frame(struct guest *g, struct fuzz *fz, struct pkt *p)
{
	static const uint8_t zero[ETH_ALEN];
	unsigned int k = rnd(g) % 100;

	if (k < 8) {
		arp_build(g, p, rnd(g) % 2 ? fz->gwmac : bcast_mac,
			  ARP_REQUEST, g->addr, zero, fz->gw);
		return ETH_HLEN;
	}
	if (k < 12) {
		dhcp_build(g, p, DHCPDISCOVER, rnd(g), 0, 0, 0);
		return ETH_HLEN + IPH_HLEN;
	}
	if (k < 22) {
		garbage_build(g, p, rnd(g) % G_NUM, fz->gwmac, fz->gw);
		return ETH_HLEN + IPH_HLEN;
	}
	return fz_ip_frame(g, fz, p);
}

static uint8_t fz_gso_type(struct guest *g)
{
	static const uint8_t types[] = {
		VIRTIO_NET_HDR_GSO_NONE, VIRTIO_NET_HDR_GSO_TCPV4,
		VIRTIO_NET_HDR_GSO_TCPV6, VIRTIO_NET_HDR_GSO_UDP,
		VIRTIO_NET_HDR_GSO_UDP_L4, VIRTIO_NET_HDR_GSO_ECN,
		VIRTIO_NET_HDR_GSO_TCPV4 | VIRTIO_NET_HDR_GSO_ECN,
		VIRTIO_NET_HDR_GSO_TCPV6 | VIRTIO_NET_HDR_GSO_ECN,
		VIRTIO_NET_HDR_GSO_UDP | VIRTIO_NET_HDR_GSO_ECN,
		VIRTIO_NET_HDR_GSO_UDP_L4 | VIRTIO_NET_HDR_GSO_ECN, 2, 6, 0x7f,
	};

	return rnd(g) % 8 ? types[rnd(g) % ARRAY_SIZE(types)] : rnd(g);
}

static uint16_t fz_gso_size(struct guest *g, size_t len)
{
	switch (rnd(g) % 8) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 2:
		return 2 + rnd(g) % 64;
	case 3:
		return 536;
	case 4:
		return TCP_MSS;
	case 5:
		return len + rnd(g) % 1000;
	case 6:
		return 0xffff;
	default:
		return rnd(g);
	}
}

/* An offset for hdr_len or csum_start: inside the headers, at, or past. */
static uint16_t fz_offset(struct guest *g, size_t len, size_t l4off)
{
	switch (rnd(g) % 10) {
	case 0:
		return 0;
	case 1:
		return rnd(g) % l4off;
	case 2:
		return l4off;
	case 3:
		return l4off + TCP_HLEN;
	case 4:
		return len ? len - 1 : 0;
	case 5:
		return len;
	case 6:
		return len + 1 + rnd(g) % 100;
	case 7:
		return 0xffff;
	case 8:
		return rnd(g) % (len + 1);
	default:
		return rnd(g);
	}
}

static uint16_t fz_csum_offset(struct guest *g, size_t len)
{
	static const uint16_t offs[] = { 0, 1, 2, 6, 16, 17, 0xffff, 0xfffe };

	switch (rnd(g) % 4) {
	case 0:
		return rnd(g) % 64;
	case 1:
		return len;
	case 2:
		return rnd(g);
	default:
		return offs[rnd(g) % ARRAY_SIZE(offs)];
	}
}

static uint8_t fz_flags(struct guest *g)
{
	static const uint8_t flags[] = {
		0, VIRTIO_NET_HDR_F_NEEDS_CSUM, VIRTIO_NET_HDR_F_DATA_VALID,
		VIRTIO_NET_HDR_F_NEEDS_CSUM | VIRTIO_NET_HDR_F_DATA_VALID,
		VIRTIO_NET_HDR_F_RSC_INFO, 0x08, 0x80,
	};

	return rnd(g) % 4 ? flags[rnd(g) % ARRAY_SIZE(flags)] : rnd(g);
}

/* Change one to four fields of the vnet header, or all of it. */
static void fz_vnet_mutate(struct guest *g, struct pkt *p, size_t l4off)
{
	struct virtio_net_hdr_v1 *vh = &p->vh;
	unsigned int n = 1 + rnd(g) % 4;

	if (rnd(g) % 10 == 0) {
		rnd_fill(g, (uint8_t *)vh, sizeof(*vh));
		return;
	}
	while (n--) {
		switch (rnd(g) % 6) {
		case 0:
			vh->gso_type = fz_gso_type(g);
			break;
		case 1:
			vh->gso_size = htole16(fz_gso_size(g, p->len));
			break;
		case 2:
			vh->hdr_len = htole16(fz_offset(g, p->len, l4off));
			break;
		case 3:
			vh->csum_start = htole16(fz_offset(g, p->len, l4off));
			break;
		case 4:
			vh->csum_offset = htole16(fz_csum_offset(g, p->len));
			break;
		default:
			vh->flags = fz_flags(g);
			break;
		}
	}
}

/* Flip a few header bytes (past the MACs), or cut the frame short. */
static void fz_frame_mutate(struct guest *g, struct pkt *p)
{
	size_t span = p->len < 100 ? p->len : 100;
	unsigned int n = 1 + rnd(g) % 4;

	if (rnd(g) % 3 == 0 || span <= ETH_ALEN * 2) {
		p->len = rnd(g) % (p->len + 1);
		return;
	}
	while (n--)
		p->f[ETH_ALEN * 2 + rnd(g) % (span - ETH_ALEN * 2)] ^=
			1 << rnd(g) % 8;
}

/* Write one frame, waiting out a full send buffer; count the outcome. */
static void fz_tx(struct guest *g, struct fuzz *fz, struct pkt *p)
{
	int ret, tries = 0;

	while ((ret = tx(g, p)) == -EAGAIN && tries++ < 50) {
		struct pollfd pfd = { .fd = g->fd, .events = POLLOUT };

		poll(&pfd, 1, 20);
	}
	if (ret) {
		fz->refused++;
		fz->err[-ret < FZ_ERRNOS ? -ret : 0]++;
		return;
	}
	fz->accepted++;
	if (p->len > fz->largest)
		fz->largest = p->len;
	if (p->vh.gso_type != VIRTIO_NET_HDR_GSO_NONE)
		fz->gso++;
	if (p->len > 9000)
		fz->big++;
}

/* Take what is queued for us without waiting, answering ARP as we go. */
static void fz_drain(struct guest *g)
{
	struct rx r;
	int i;

	for (i = 0; i < FZ_DRAIN && rx_next(g, now_ms() + 1, &r) > 0; i++)
		;
}

static int fz_report(struct guest *g, struct fuzz *fz, unsigned long n)
{
	char errs[400] = "", *e = errs;
	int i;

	for (i = 0; i < FZ_ERRNOS; i++) {
		if (!fz->err[i] || e - errs > (int)sizeof(errs) - 40)
			continue;
		e += sprintf(e, "%s%s %lu", e == errs ? "" : ", ",
			     i ? strerrorname_np(i) ?: "?" : "other",
			     fz->err[i]);
	}
	return result(g, "vnetfuzz", fz->accepted > 0,
	       "seed %llu: %lu frames, %lu accepted (%lu GSO, %lu over 9000 bytes, largest %zu), %lu refused (%s)",
	       (unsigned long long)g->seed, n, fz->accepted, fz->gso,
	       fz->big, fz->largest, fz->refused, fz->refused ? errs : "none");
}

static int cmd_vnetfuzz(struct guest *g, unsigned long n)
{
	static struct pkt p;
	struct fuzz fz = { .gw = g->router ? g->router : fz_dst4[0] };
	unsigned long i;
	char err[200];

	g->nbad = 0;
	if (!g->addr)
		return result(g, "vnetfuzz", false, "no address");
	if (g->gw_mac_set)
		arp_store(g, fz.gw, g->gw_mac);
	if (!arp_lookup(g, fz.gw) && arp_resolve(g, fz.gw, err, sizeof(err)) <= 0)
		return result(g, "vnetfuzz", false, "arp: %s", err);
	fz.gwmac = arp_lookup(g, fz.gw);
	printf("vnetfuzz: seed %llu, %lu frames\n", (unsigned long long)g->seed,
	       n);
	fflush(stdout);

	for (i = 0; i < n; i++) {
		size_t l4off = fz_frame(g, &fz, &p);

		if (rnd(g) % 10 < 7)
			fz_vnet_mutate(g, &p, l4off);
		if (rnd(g) % 2)
			p.vh.num_buffers = htole16(rnd(g));
		if (rnd(g) % 8 == 0)
			fz_frame_mutate(g, &p);
		fz_tx(g, &fz, &p);
		if (i % FZ_DRAIN == FZ_DRAIN - 1)
			fz_drain(g);
	}
	rx_drain(g);
	return fz_report(g, &fz, n);
}

/* ---- setup ---------------------------------------------------------------- */

/*
 * A macvtap only delivers unicast for its own MAC, so that is the guest's;
 * the tap driver reports it on the queue fd (SIOCGIFHWADDR).
 */
static bool macvtap_mac(int fd, uint8_t *mac)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (ioctl(fd, SIOCGIFHWADDR, &ifr))
		return false;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, ETH_ALEN);
	return true;
}

static int tap_open(struct guest *g, const char *dev, const char *ifname)
{
	bool is_tun = ifname || !strcmp(dev, "/dev/net/tun");
	int hdrsz = VNET_HDR_LEN, le = 1;
	uint8_t tapmac[ETH_ALEN];
	struct ifreq ifr;

	g->fd = open(dev, O_RDWR | O_NONBLOCK);
	if (g->fd < 0) {
		fprintf(stderr, "open %s: %s\n", dev, strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	if (ifname)
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(g->fd, TUNSETIFF, &ifr)) {
		fprintf(stderr, "TUNSETIFF: %s\n", strerror(errno));
		return -1;
	}
	if (ioctl(g->fd, TUNSETVNETHDRSZ, &hdrsz)) {
		fprintf(stderr, "TUNSETVNETHDRSZ: %s\n", strerror(errno));
		return -1;
	}
	/* virtio 1.0 headers are little endian, whatever the host */
	if (ioctl(g->fd, TUNSETVNETLE, &le) && errno != EINVAL) {
		fprintf(stderr, "TUNSETVNETLE: %s\n", strerror(errno));
		return -1;
	}
	if (ioctl(g->fd, TUNSETOFFLOAD, g->offload)) {
		fprintf(stderr, "TUNSETOFFLOAD 0x%x: %s\n", g->offload,
			strerror(errno));
		return -1;
	}
	/* out of the queues the device delivers to: another process reads */
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_DETACH_QUEUE;
	if (g->detach && ioctl(g->fd, TUNSETQUEUE, &ifr)) {
		fprintf(stderr, "TUNSETQUEUE: %s\n", strerror(errno));
		return -1;
	}
	if (is_tun) {
		/* a plain tap: the guest has its own, random, address */
		if (!g->mac_set) {
			rnd_fill(g, g->mac, ETH_ALEN);
			g->mac[0] = (g->mac[0] & 0xfe) | 0x02;
		}
	} else if (!macvtap_mac(g->fd, tapmac)) {
		if (!g->mac_set) {
			fprintf(stderr, "%s: cannot get the MAC, use --mac\n",
				dev);
			return -1;
		}
	} else if (!g->mac_set) {
		memcpy(g->mac, tapmac, ETH_ALEN);
	} else if (memcmp(g->mac, tapmac, ETH_ALEN)) {
		fprintf(stderr,
			"warning: --mac %s is not %s's MAC %s: unicast replies will not reach us\n",
			macstr(g->mac), dev, macstr(tapmac));
	}
	return 0;
}

static bool parse_offload(const char *s, unsigned int *flags)
{
	static const struct {
		const char *name;
		unsigned int flag;
	} names[] = {
		{ "csum", TUN_F_CSUM }, { "tso4", TUN_F_TSO4 },
		{ "tso6", TUN_F_TSO6 }, { "ecn", TUN_F_TSO_ECN },
		{ "ufo", TUN_F_UFO }, { "uso4", TUN_F_USO4 },
		{ "uso6", TUN_F_USO6 },
	};
	char buf[128], *tok, *save;
	size_t i;

	*flags = 0;
	if (!strcmp(s, "none"))
		return true;
	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < ARRAY_SIZE(names); i++)
			if (!strcmp(tok, names[i].name))
				break;
		if (i == ARRAY_SIZE(names))
			return false;
		*flags |= names[i].flag;
	}
	return true;
}

/* --ping-csum: "icmp", or START:OFFSET in bytes from the frame's start. */
static bool parse_ping_csum(const char *s, struct guest *g)
{
	unsigned long start, off;
	char *end;

	g->ping_offload = true;
	if (!strcmp(s, "icmp")) {
		g->ping_csum_start = ETH_HLEN + IPH_HLEN;
		g->ping_csum_off = ICMP_CSUM;
		return true;
	}
	errno = 0;
	start = strtoul(s, &end, 0);
	if (errno || *end != ':' || start > 65535)
		return false;
	off = strtoul(end + 1, &end, 0);
	if (errno || *end || off > 65535)
		return false;
	g->ping_csum_start = start;
	g->ping_csum_off = off;
	return true;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: unat-tapguest --dev DEV [OPTIONS] COMMAND...\n"
		"Commands (run in order, one result line each):\n"
		"  dhcp              DISCOVER/OFFER/REQUEST/ACK\n"
		"  arp IP            ARP for IP from the leased (or --ip) address\n"
		"  ping IP [COUNT]   ICMP echo (default %d), via the gateway MAC\n"
		"  garbage N         send N malformed frames\n"
		"  vnetfuzz N        send N frames behind random and mutated vnet\n"
		"                    headers, count the writes refused by errno\n"
		"  tcp IP PORT BYTES send BYTES (TSO frames with --offload tso4),\n"
		"                    half-close, read the answer until FIN\n"
		"Options:\n"
		"  --dev DEV         /dev/tapN of a macvtap, or /dev/net/tun\n"
		"  --ifname NAME     tap interface to attach with /dev/net/tun\n"
		"  --mac MAC         guest MAC (default: the macvtap's, or random)\n"
		"  --ip A.B.C.D[/N]  address to use before/without dhcp\n"
		"  --timeout MS      wait per reply (default %d)\n"
		"  --offload LIST    TUNSETOFFLOAD: none or csum,tso4,tso6,ecn,ufo,uso4,uso6\n"
		"                    (default none)\n"
		"  --csum-partial    send UDP with VIRTIO_NET_HDR_F_NEEDS_CSUM\n"
		"  --ping-size N     echo payload bytes (default %d, at most %d)\n"
		"  --ping-csum S:O   echo with NEEDS_CSUM, csum_start S and\n"
		"                    csum_offset O (bytes from the frame's start);\n"
		"                    \"icmp\" for the ICMP checksum's own\n"
		"  --broadcast       set the BOOTP broadcast flag\n"
		"  --seed N          random seed (xid, garbage, vnetfuzz)\n"
		"  --gw-mac MAC      the gateway's MAC, instead of ARP\n"
		"  --detach          leave the receive queues (a writer only,\n"
		"                    for a second process on one macvtap)\n"
		"  --expect-addr A[/N] --expect-router R --expect-dns D\n"
		"  --expect-mtu N --expect-lease S --expect-domain D\n"
		"  --expect-search \"A B\"   fail dhcp on any difference\n"
		"  --verbose         hex dump frames to stderr\n",
		DEFAULT_COUNT, DEFAULT_TIMEOUT, PING_DATA, PING_DATA_MAX);
}

enum {
	O_DEV = 256, O_IFNAME, O_MAC, O_IP, O_TIMEOUT, O_OFFLOAD, O_CSUM,
	O_PING_SIZE, O_PING_CSUM,
	O_BCAST, O_SEED, O_GW_MAC, O_DETACH, O_VERBOSE, O_E_ADDR, O_E_ROUTER, O_E_DNS, O_E_MTU,
	O_E_LEASE, O_E_DOMAIN, O_E_SEARCH, O_HELP,
};

static const struct option long_opts[] = {
	{ "dev", required_argument, NULL, O_DEV },
	{ "ifname", required_argument, NULL, O_IFNAME },
	{ "mac", required_argument, NULL, O_MAC },
	{ "ip", required_argument, NULL, O_IP },
	{ "timeout", required_argument, NULL, O_TIMEOUT },
	{ "offload", required_argument, NULL, O_OFFLOAD },
	{ "csum-partial", no_argument, NULL, O_CSUM },
	{ "ping-size", required_argument, NULL, O_PING_SIZE },
	{ "ping-csum", required_argument, NULL, O_PING_CSUM },
	{ "broadcast", no_argument, NULL, O_BCAST },
	{ "seed", required_argument, NULL, O_SEED },
	{ "gw-mac", required_argument, NULL, O_GW_MAC },
	{ "detach", no_argument, NULL, O_DETACH },
	{ "verbose", no_argument, NULL, O_VERBOSE },
	{ "expect-addr", required_argument, NULL, O_E_ADDR },
	{ "expect-router", required_argument, NULL, O_E_ROUTER },
	{ "expect-dns", required_argument, NULL, O_E_DNS },
	{ "expect-mtu", required_argument, NULL, O_E_MTU },
	{ "expect-lease", required_argument, NULL, O_E_LEASE },
	{ "expect-domain", required_argument, NULL, O_E_DOMAIN },
	{ "expect-search", required_argument, NULL, O_E_SEARCH },
	{ "help", no_argument, NULL, O_HELP },
	{ NULL, 0, NULL, 0 },
};

static bool check_ip_arg(const char *s, bool prefix_ok)
{
	char buf[INET_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	unsigned long plen;
	uint32_t a;

	if (!slash)
		return parse_ip(s, &a);
	if (!prefix_ok || slash - s >= (int)sizeof(buf))
		return false;
	snprintf(buf, sizeof(buf), "%.*s", (int)(slash - s), s);
	return parse_ip(buf, &a) && parse_ulong(slash + 1, 0, 32, &plen);
}

/*
 * Check the command list before running anything.  Returns the number of
 * words used by the command at @argv, or 0 if it is invalid.
 */
static int cmd_words(char **argv, int argc)
{
	unsigned long v;
	uint32_t a;

	if (!strcmp(argv[0], "dhcp"))
		return 1;
	if (!strcmp(argv[0], "arp"))
		return argc > 1 && parse_ip(argv[1], &a) ? 2 : 0;
	if (!strcmp(argv[0], "ping")) {
		if (argc < 2 || !parse_ip(argv[1], &a))
			return 0;
		if (argc > 2 && parse_ulong(argv[2], 1, 100000, &v))
			return 3;
		return 2;
	}
	if (!strcmp(argv[0], "garbage") || !strcmp(argv[0], "vnetfuzz"))
		return argc > 1 && parse_ulong(argv[1], 0, 10000000, &v) ?
		       2 : 0;
	if (!strcmp(argv[0], "tcp"))
		return argc > 3 && parse_ip(argv[1], &a) &&
		       parse_ulong(argv[2], 1, 65535, &v) &&
		       parse_ulong(argv[3], 0, 1UL << 30, &v) ? 4 : 0;
	return 0;
}

static int run_cmd(struct guest *g, char **argv, int words)
{
	unsigned long v = DEFAULT_COUNT;
	uint32_t a = 0;

	if (words > 1)
		parse_ip(argv[1], &a);
	if (!strcmp(argv[0], "dhcp"))
		return cmd_dhcp(g);
	if (!strcmp(argv[0], "arp"))
		return cmd_arp(g, a);
	if (!strcmp(argv[0], "ping")) {
		if (words > 2)
			parse_ulong(argv[2], 1, 100000, &v);
		return cmd_ping(g, a, v);
	}
	if (!strcmp(argv[0], "tcp")) {
		unsigned long port, bytes;

		parse_ulong(argv[2], 1, 65535, &port);
		parse_ulong(argv[3], 0, 1UL << 30, &bytes);
		return cmd_tcp(g, a, port, bytes);
	}
	parse_ulong(argv[1], 0, 10000000, &v);
	if (!strcmp(argv[0], "vnetfuzz"))
		return cmd_vnetfuzz(g, v);
	return cmd_garbage(g, v);
}

int main(int argc, char **argv)
{
	static struct guest guest;
	struct guest *g = &guest;
	const char *dev = NULL, *ifname = NULL;
	bool seeded = false;
	unsigned long v;
	int c, i, words;

	g->fd = -1;
	g->timeout = DEFAULT_TIMEOUT;
	g->ping_data = PING_DATA;
	g->prefix = -1;
	g->expect.mtu = -1;
	g->expect.lease = -1;

	while ((c = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
		switch (c) {
		case O_DEV:
			dev = optarg;
			break;
		case O_IFNAME:
			ifname = optarg;
			break;
		case O_MAC:
			if (!parse_mac(optarg, g->mac) || g->mac[0] & 1)
				goto bad;
			g->mac_set = true;
			break;
		case O_IP: {
			char buf[INET_ADDRSTRLEN];
			const char *slash = strchr(optarg, '/');

			if (!check_ip_arg(optarg, true))
				goto bad;
			snprintf(buf, sizeof(buf), "%.*s",
				 slash ? (int)(slash - optarg) :
				 (int)strlen(optarg), optarg);
			parse_ip(buf, &g->addr);
			g->prefix = slash ? atoi(slash + 1) : -1;
			break;
		}
		case O_TIMEOUT:
			if (!parse_ulong(optarg, 1, 3600000, &v))
				goto bad;
			g->timeout = v;
			break;
		case O_OFFLOAD:
			if (!parse_offload(optarg, &g->offload))
				goto bad;
			break;
		case O_CSUM:
			g->csum_partial = true;
			break;
		case O_PING_SIZE:
			if (!parse_ulong(optarg, 0, PING_DATA_MAX, &v))
				goto bad;
			g->ping_data = v;
			break;
		case O_PING_CSUM:
			if (!parse_ping_csum(optarg, g))
				goto bad;
			break;
		case O_BCAST:
			g->bcast_flag = true;
			break;
		case O_SEED:
			if (!parse_ulong(optarg, 0, ULONG_MAX, &v))
				goto bad;
			g->seed = v;
			seeded = true;
			break;
		case O_GW_MAC:
			if (!parse_mac(optarg, g->gw_mac) || g->gw_mac[0] & 1)
				goto bad;
			g->gw_mac_set = true;
			break;
		case O_DETACH:
			g->detach = true;
			break;
		case O_VERBOSE:
			g->verbose = true;
			break;
		case O_E_ADDR:
			if (!check_ip_arg(optarg, true))
				goto bad;
			g->expect.addr = optarg;
			break;
		case O_E_ROUTER:
			if (!check_ip_arg(optarg, false))
				goto bad;
			g->expect.router = optarg;
			break;
		case O_E_DNS:
			if (!check_ip_arg(optarg, false))
				goto bad;
			g->expect.dns = optarg;
			break;
		case O_E_MTU:
			if (!parse_ulong(optarg, 0, 65535, &v))
				goto bad;
			g->expect.mtu = v;
			break;
		case O_E_LEASE:
			if (!parse_ulong(optarg, 0, 0xffffffffUL, &v))
				goto bad;
			g->expect.lease = v;
			break;
		case O_E_DOMAIN:
			g->expect.domain = optarg;
			break;
		case O_E_SEARCH:
			g->expect.search = optarg;
			break;
		case O_HELP:
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
		continue;
bad:
		fprintf(stderr, "unat-tapguest: invalid value \"%s\" for --%s\n",
			optarg, long_opts[c - O_DEV].name);
		return 2;
	}
	if (!dev || optind >= argc) {
		usage(stderr);
		return 2;
	}
	for (i = optind; i < argc; i += words) {
		words = cmd_words(argv + i, argc - i);
		if (!words) {
			fprintf(stderr, "unat-tapguest: bad command at \"%s\"\n",
				argv[i]);
			usage(stderr);
			return 2;
		}
	}

	/* a seed of 32 bits, short enough to quote from a log */
	if (!seeded) {
		uint32_t s;

		if (getrandom(&s, sizeof(s), 0) != sizeof(s))
			s = now_ms() ^ getpid();
		g->seed = s;
	}
	g->rng = g->seed * 0x9e3779b97f4a7c15ULL + 1;
	g->rng |= 1;
	g->ip_id = rnd(g);
	if (tap_open(g, dev, ifname))
		return 2;
	if (g->verbose)
		fprintf(stderr, "guest MAC %s\n", macstr(g->mac));

	for (i = optind; i < argc; i += words) {
		words = cmd_words(argv + i, argc - i);
		if (run_cmd(g, argv + i, words))
			return 1;
	}
	return 0;
}
