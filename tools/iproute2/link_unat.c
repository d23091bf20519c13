// SPDX-License-Identifier: GPL-2.0
/*
 * iproute2 plugin for the "unat" link kind.
 *
 * ip(8) loads $IP_LIB_DIR/link_unat.so (default /usr/lib/<triplet>/ip) on
 * "ip link ... type unat" and looks up the symbol unat_link_util.  ip is
 * linked with -export-dynamic, so the helpers used below (addattr*, invarg,
 * print_color_*, ...) resolve against the running ip binary.
 *
 * No iproute2 development headers exist, so the few declarations needed are
 * spelled out here; they match iproute2 v6.1.0 (include/libnetlink.h,
 * include/json_print.h, include/color.h, include/utils.h, ip/ip_common.h).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/unat.h>

#include "fwdspec.h"

/* --- declarations matching iproute2 v6.1.0 ------------------------------ */

struct link_util {
	struct link_util	*next;
	const char		*id;
	int			maxattr;
	int			(*parse_opt)(struct link_util *lu, int argc,
					     char **argv, struct nlmsghdr *n);
	void			(*print_opt)(struct link_util *lu, FILE *f,
					     struct rtattr *tb[]);
	void			(*print_xstats)(struct link_util *lu, FILE *f,
						struct rtattr *xstats);
	void			(*print_help)(struct link_util *lu, int argc,
					      char **argv, FILE *f);
	int			(*parse_ifla_xstats)(struct link_util *lu,
						     int argc, char **argv);
	int			(*print_ifla_xstats)(struct nlmsghdr *n,
						     void *arg);
};

enum output_type {
	PRINT_FP = 1,
	PRINT_JSON = 2,
	PRINT_ANY = 4,
};

enum color_attr {
	COLOR_IFNAME,
	COLOR_MAC,
	COLOR_INET,
	COLOR_INET6,
	COLOR_OPERSTATE_UP,
	COLOR_OPERSTATE_DOWN,
	COLOR_NONE
};

int addattr_l(struct nlmsghdr *n, int maxlen, int type,
	      const void *data, int alen);
struct rtattr *addattr_nest(struct nlmsghdr *n, int maxlen, int type);
int addattr_nest_end(struct nlmsghdr *n, struct rtattr *nest);
#define __noreturn __attribute__((noreturn))

void invarg(const char *msg, const char *arg) __noreturn;
void duparg(const char *key, const char *arg) __noreturn;
void incomplete_command(void) __noreturn;
int print_color_string(enum output_type t, enum color_attr color,
		       const char *key, const char *fmt, const char *value);
int print_color_uint(enum output_type t, enum color_attr color,
		     const char *key, const char *fmt, unsigned int value);
int print_color_on_off(enum output_type t, enum color_attr color,
		       const char *key, const char *fmt, bool value);

/* --- plugin ------------------------------------------------------------- */

/*
 * ip(8) hands parse_opt the header of a struct iplink_req { nlmsghdr;
 * ifinfomsg; char buf[1024]; } (unchanged since v4.x); this is its size.
 * Even so, a search list close to UNAT_MAX_SEARCH_LEN does not fit in one
 * request together with the other attributes: addattr_l() then fails and
 * nothing is sent.
 */
#define UNAT_REQ_MAXLEN	\
	((int)(sizeof(struct nlmsghdr) + sizeof(struct ifinfomsg) + 1024))

static void unat_explain(FILE *f)
{
	fprintf(f,
		"Usage: ... unat [ subnet A.B.C.D/LEN ] [ gateway A.B.C.D ]\n"
		"                [ dns A.B.C.D ] [ guest A.B.C.D ] [ mtu MTU ]\n"
		"                [ lease SECONDS ] [ domain NAME ]\n"
		"                [ search \"NAME [ NAME ... ]\" ]\n"
		"                [ hostloop { on | off } ] [ restrict { on | off } ]\n"
		"                [ fwd SPEC [ source { client | gateway } ] ]...\n"
		"                [ ipv6 { on | off } ] [ prefix6 PREFIX/64 ]\n"
		"                [ gateway6 ADDR6 ] [ dns6 ADDR6 ]\n"
		"                [ gateway6-ll fe80::ID ] [ guest6 ADDR6 ]\n"
		"\n"
		"Where: LEN     := 0-32\n"
		"       MTU     := %u-%u (default %u)\n"
		"       SECONDS := >= %u (default %u)\n"
		"       NAME    := DNS domain name (at most %u characters)\n"
		"Defaults: subnet 10.0.2.0/24 gateway 10.0.2.2 dns 10.0.2.3\n"
		"          guest 10.0.2.15 ipv6 on prefix6 %s/64\n"
		"          gateway6 %s dns6 %s gateway6-ll %s\n"
		"          guest6 %s\n"
		"The search list is space separated, at most %u characters.\n"
		"SPEC := { tcp | udp }:[ADDR:]PORT[-END][:GPORT[-GEND]], a port\n"
		"forward made with the device; at run time: unat fwd (unat(8)).\n"
		"ADDR := { A.B.C.D | [ADDR6] }: every IPv4 address if none, and\n"
		"[::] every IPv6 one, as in fwd tcp:[::]:8080:80.\n",
		UNAT_MIN_MTU, UNAT_MAX_MTU, UNAT_DEFAULT_MTU,
		UNAT_MIN_LEASE_TIME, UNAT_DEFAULT_LEASE_TIME,
		UNAT_MAX_NAME_LEN,
		UNAT_DEFAULT_PREFIX6, UNAT_DEFAULT_GATEWAY6, UNAT_DEFAULT_DNS6,
		UNAT_DEFAULT_GATEWAY6_LL, UNAT_DEFAULT_GUEST6,
		UNAT_MAX_SEARCH_LEN);
}

/* fwdspec.c says what is wrong in a forward through this. */
void unat_err(const char *fmt, ...)
{
	va_list ap;

	fputs("unat: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Forwards given with "fwd", at most this many in one request. */
#define UNAT_MAX_LINK_FWDS	16

struct unat_link_fwd {
	struct unat_fwd_spec spec;
	__u32 flags;
};

static int unat_put(struct nlmsghdr *n, int type, const void *data, int len)
{
	if (addattr_l(n, UNAT_REQ_MAXLEN, type, data, len)) {
		fprintf(stderr, "unat: netlink request too large\n");
		return -1;
	}
	return 0;
}

/* A dotted quad, nothing else (no hostnames, no shorthand like "10.2"). */
static __be32 unat_get_addr(const char *arg)
{
	struct in_addr a;

	if (inet_pton(AF_INET, arg, &a) != 1)
		invarg("invalid IPv4 address", arg);
	return a.s_addr;
}

static struct in6_addr unat_get_addr6(const char *arg)
{
	struct in6_addr a;

	if (inet_pton(AF_INET6, arg, &a) != 1)
		invarg("invalid IPv6 address", arg);
	return a;
}

/* "PREFIX/64" or "PREFIX": the guest's prefix is always a /64. */
static struct in6_addr unat_get_prefix6(const char *arg)
{
	char buf[INET6_ADDRSTRLEN];
	const char *slash = strchr(arg, '/');
	size_t alen = slash ? (size_t)(slash - arg) : strlen(arg);

	if (alen >= sizeof(buf))
		invarg("invalid IPv6 prefix", arg);
	if (slash && strcmp(slash, "/64"))
		invarg("the guest's IPv6 prefix is a /64", arg);
	memcpy(buf, arg, alen);
	buf[alen] = '\0';
	return unat_get_addr6(buf);
}

static __u32 unat_get_u32(const char *arg, unsigned long min,
			  unsigned long max, const char *msg)
{
	unsigned long long v;
	char *end;

	if (!*arg || *arg == '-' || *arg == '+')
		invarg(msg, arg);
	v = strtoull(arg, &end, 10);
	if (*end || v < min || v > max)
		invarg(msg, arg);
	return v;
}

/* "A.B.C.D/LEN"; LEN is mandatory so that a typo does not mean /32. */
static void unat_get_subnet(const char *arg, __be32 *addr, __u8 *plen)
{
	char buf[INET_ADDRSTRLEN + 4];
	const char *slash;
	size_t alen;

	slash = strchr(arg, '/');
	if (!slash)
		invarg("subnet must be A.B.C.D/LEN", arg);
	alen = slash - arg;
	if (alen >= INET_ADDRSTRLEN)
		invarg("invalid subnet address", arg);
	memcpy(buf, arg, alen);
	buf[alen] = '\0';
	*addr = unat_get_addr(buf);
	*plen = unat_get_u32(slash + 1, 0, 32,
			     "prefix length must be 0-32");
}

static __u8 unat_get_on_off(const char *arg, const char *key)
{
	if (!strcmp(arg, "on"))
		return 1;
	if (!strcmp(arg, "off"))
		return 0;
	invarg("must be \"on\" or \"off\"", key);
	return 0;
}

/* Advance to the value of the current keyword; it must not be repeated. */
static void unat_next(int *argc, char ***argv, unsigned int *seen, int attr)
{
	const char *key = **argv;

	(*argv)++;
	if (--(*argc) <= 0)
		incomplete_command();
	if (*seen & (1u << attr))
		duparg(key, **argv);
	*seen |= 1u << attr;
}

/* "fwd SPEC [source client|gateway]"; *argv is "fwd". */
static void unat_get_fwd(int *argc, char ***argv, struct unat_link_fwd *f)
{
	if (*argc < 2)
		incomplete_command();
	(*argc)--, (*argv)++;
	if (unat_parse_fwd(**argv, &f->spec))
		exit(1);
	if (!f->spec.port && !f->spec.has_guest)
		invarg("host port 0 (the kernel picks one) needs a guest port",
		       **argv);
	f->flags = 0;
	if (*argc > 1 && !strcmp((*argv)[1], "source")) {
		if (*argc < 3)
			incomplete_command();
		*argc -= 2, *argv += 2;
		if (!strcmp(**argv, "gateway"))
			f->flags = UNAT_FWD_F_GATEWAY_SOURCE;
		else if (strcmp(**argv, "client"))
			invarg("source is \"client\" or \"gateway\"", **argv);
	}
}

/* The host's endpoint: ADDR6, even "::", is what makes an IPv6 forward. */
static int unat_put_fwd_host(struct nlmsghdr *n, const struct unat_fwd_spec *s)
{
	__u16 port = s->port;

	if (s->family == AF_INET6 &&
	    unat_put(n, UNAT_A_ENDPOINT_ADDR6, &s->addr6, sizeof(s->addr6)))
		return -1;
	if (s->family == AF_INET && s->has_addr &&
	    unat_put(n, UNAT_A_ENDPOINT_ADDR4, &s->addr, sizeof(s->addr)))
		return -1;
	return unat_put(n, UNAT_A_ENDPOINT_PORT, &port, sizeof(port));
}

/* One UNAT_A_FWDS_FWD nest. */
static int unat_put_fwd(struct nlmsghdr *n, const struct unat_link_fwd *f)
{
	__u16 gport = f->spec.guest_port, count = f->spec.count;
	struct rtattr *fwd, *host;
	__u8 proto = f->spec.proto;

	fwd = addattr_nest(n, UNAT_REQ_MAXLEN, UNAT_A_FWDS_FWD | NLA_F_NESTED);
	if (!fwd || unat_put(n, UNAT_A_FWD_PROTO, &proto, sizeof(proto)))
		return -1;
	host = addattr_nest(n, UNAT_REQ_MAXLEN, UNAT_A_FWD_HOST | NLA_F_NESTED);
	if (!host || unat_put_fwd_host(n, &f->spec))
		return -1;
	addattr_nest_end(n, host);
	if (unat_put(n, UNAT_A_FWD_GUEST_PORT, &gport, sizeof(gport)) ||
	    unat_put(n, UNAT_A_FWD_COUNT, &count, sizeof(count)) ||
	    unat_put(n, UNAT_A_FWD_FLAGS, &f->flags, sizeof(f->flags)))
		return -1;
	addattr_nest_end(n, fwd);
	return 0;
}

static int unat_put_fwds(struct nlmsghdr *n, const struct unat_link_fwd *f,
			 int nfwd)
{
	struct rtattr *nest;
	int i;

	if (!nfwd)
		return 0;
	nest = addattr_nest(n, UNAT_REQ_MAXLEN, IFLA_UNAT_FWDS | NLA_F_NESTED);
	if (!nest)
		return -1;
	for (i = 0; i < nfwd; i++)
		if (unat_put_fwd(n, &f[i]))
			return -1;
	addattr_nest_end(n, nest);
	return 0;
}

static int unat_parse_opt(struct link_util *lu, int argc, char **argv,
			  struct nlmsghdr *n)
{
	struct unat_link_fwd fwds[UNAT_MAX_LINK_FWDS];
	int nfwd = 0;
	__be32 subnet = 0, gateway = 0, dns = 0, guest = 0;
	const char *domain = NULL, *search = NULL;
	__u32 mtu = 0, lease = 0;
	__u8 hostloop = 0, restrict_ = 0, ipv6 = 0;
	struct in6_addr prefix6, gateway6, dns6, gateway6_ll, guest6;
	unsigned int seen = 0;
	__u8 plen = 0;
	int err = 0;

	(void)lu;

	/* Parse everything first: a bad value must not send anything.
	 * Ranges and names are the kernel's to judge: its extack message
	 * says what is wrong.
	 */
	for (; argc > 0; argc--, argv++) {
		const char *key = *argv;

		if (!strcmp(key, "subnet")) {
			unat_next(&argc, &argv, &seen, IFLA_UNAT_SUBNET);
			unat_get_subnet(*argv, &subnet, &plen);
		} else if (!strcmp(key, "gateway")) {
			unat_next(&argc, &argv, &seen, IFLA_UNAT_GATEWAY);
			gateway = unat_get_addr(*argv);
		} else if (!strcmp(key, "dns")) {
			unat_next(&argc, &argv, &seen, IFLA_UNAT_DNS);
			dns = unat_get_addr(*argv);
		} else if (!strcmp(key, "guest")) {
			unat_next(&argc, &argv, &seen, IFLA_UNAT_GUEST);
			guest = unat_get_addr(*argv);
		} else if (!strcmp(key, "mtu")) {
			unat_next(&argc, &argv, &seen, IFLA_UNAT_MTU);
			mtu = unat_get_u32(*argv, 0, 0xffffffffUL,
					   "invalid mtu");
		} else if (!strcmp(key, "lease")) {
			unat_next(&argc, &argv, &seen, IFLA_UNAT_LEASE_TIME);
			lease = unat_get_u32(*argv, 0, 0xffffffffUL,
					     "invalid lease time");
		} else if (!strcmp(key, "domain")) {
			unat_next(&argc, &argv, &seen, IFLA_UNAT_DOMAIN);
			domain = *argv;
		} else if (!strcmp(key, "search")) {
			unat_next(&argc, &argv, &seen, IFLA_UNAT_SEARCH);
			search = *argv;
		} else if (!strcmp(key, "hostloop")) {
			unat_next(&argc, &argv, &seen, IFLA_UNAT_HOSTLOOP);
			hostloop = unat_get_on_off(*argv, "hostloop");
		} else if (!strcmp(key, "restrict")) {
			unat_next(&argc, &argv, &seen, IFLA_UNAT_RESTRICT);
			restrict_ = unat_get_on_off(*argv, "restrict");
		} else if (!strcmp(key, "ipv6")) {
			unat_next(&argc, &argv, &seen, IFLA_UNAT_IPV6);
			ipv6 = unat_get_on_off(*argv, "ipv6");
		} else if (!strcmp(key, "prefix6")) {
			unat_next(&argc, &argv, &seen, IFLA_UNAT_PREFIX6);
			prefix6 = unat_get_prefix6(*argv);
		} else if (!strcmp(key, "gateway6")) {
			unat_next(&argc, &argv, &seen, IFLA_UNAT_GATEWAY6);
			gateway6 = unat_get_addr6(*argv);
		} else if (!strcmp(key, "dns6")) {
			unat_next(&argc, &argv, &seen, IFLA_UNAT_DNS6);
			dns6 = unat_get_addr6(*argv);
		} else if (!strcmp(key, "gateway6-ll")) {
			unat_next(&argc, &argv, &seen, IFLA_UNAT_GATEWAY6_LL);
			gateway6_ll = unat_get_addr6(*argv);
		} else if (!strcmp(key, "guest6")) {
			unat_next(&argc, &argv, &seen, IFLA_UNAT_GUEST6);
			guest6 = unat_get_addr6(*argv);
		} else if (!strcmp(key, "fwd")) {
			if (nfwd == UNAT_MAX_LINK_FWDS)
				invarg("too many forwards; add more with unat fwd",
				       key);
			unat_get_fwd(&argc, &argv, &fwds[nfwd++]);
		} else {
			if (strcmp(key, "help"))
				fprintf(stderr,
					"unat: unknown option \"%s\"?\n", key);
			unat_explain(stderr);
			return -1;
		}
	}

	if (seen & (1u << IFLA_UNAT_SUBNET)) {
		err = err ?: unat_put(n, IFLA_UNAT_SUBNET, &subnet,
				      sizeof(subnet));
		err = err ?: unat_put(n, IFLA_UNAT_PREFIXLEN, &plen,
				      sizeof(plen));
	}
	if (seen & (1u << IFLA_UNAT_GATEWAY))
		err = err ?: unat_put(n, IFLA_UNAT_GATEWAY, &gateway,
				      sizeof(gateway));
	if (seen & (1u << IFLA_UNAT_DNS))
		err = err ?: unat_put(n, IFLA_UNAT_DNS, &dns, sizeof(dns));
	if (seen & (1u << IFLA_UNAT_GUEST))
		err = err ?: unat_put(n, IFLA_UNAT_GUEST, &guest,
				      sizeof(guest));
	if (seen & (1u << IFLA_UNAT_MTU))
		err = err ?: unat_put(n, IFLA_UNAT_MTU, &mtu, sizeof(mtu));
	if (seen & (1u << IFLA_UNAT_LEASE_TIME))
		err = err ?: unat_put(n, IFLA_UNAT_LEASE_TIME, &lease,
				      sizeof(lease));
	if (domain)
		err = err ?: unat_put(n, IFLA_UNAT_DOMAIN, domain,
				      strlen(domain) + 1);
	if (search)
		err = err ?: unat_put(n, IFLA_UNAT_SEARCH, search,
				      strlen(search) + 1);
	if (seen & (1u << IFLA_UNAT_HOSTLOOP))
		err = err ?: unat_put(n, IFLA_UNAT_HOSTLOOP, &hostloop, 1);
	if (seen & (1u << IFLA_UNAT_RESTRICT))
		err = err ?: unat_put(n, IFLA_UNAT_RESTRICT, &restrict_, 1);
	if (seen & (1u << IFLA_UNAT_IPV6))
		err = err ?: unat_put(n, IFLA_UNAT_IPV6, &ipv6, 1);
	if (seen & (1u << IFLA_UNAT_PREFIX6))
		err = err ?: unat_put(n, IFLA_UNAT_PREFIX6, &prefix6, 16);
	if (seen & (1u << IFLA_UNAT_GATEWAY6))
		err = err ?: unat_put(n, IFLA_UNAT_GATEWAY6, &gateway6, 16);
	if (seen & (1u << IFLA_UNAT_DNS6))
		err = err ?: unat_put(n, IFLA_UNAT_DNS6, &dns6, 16);
	if (seen & (1u << IFLA_UNAT_GATEWAY6_LL))
		err = err ?: unat_put(n, IFLA_UNAT_GATEWAY6_LL, &gateway6_ll,
				      16);
	if (seen & (1u << IFLA_UNAT_GUEST6))
		err = err ?: unat_put(n, IFLA_UNAT_GUEST6, &guest6, 16);
	err = err ?: unat_put_fwds(n, fwds, nfwd);
	return err;
}

/* Attribute accessors that refuse payloads of the wrong size. */
static bool unat_attr(struct rtattr *tb[], int type, unsigned int len)
{
	return tb[type] && RTA_PAYLOAD(tb[type]) == len;
}

/* An address attribute of @family as "KEY ADDR[SUFFIX]". */
static void unat_print_addr_af(struct rtattr *tb[], int type, int family,
			       const char *key, const char *suffix)
{
	unsigned int len = family == AF_INET ? 4 : 16;
	char buf[INET6_ADDRSTRLEN + 4];
	char fmt[40];

	if (!unat_attr(tb, type, len))
		return;
	if (!inet_ntop(family, RTA_DATA(tb[type]), buf, INET6_ADDRSTRLEN))
		return;
	strcat(buf, suffix);
	snprintf(fmt, sizeof(fmt), "%s %%s ", key);
	print_color_string(PRINT_ANY,
			   family == AF_INET ? COLOR_INET : COLOR_INET6,
			   key, fmt, buf);
}

static void unat_print_addr(struct rtattr *tb[], int type, const char *key)
{
	unat_print_addr_af(tb, type, AF_INET, key, "");
}

/* A NUL-terminated string attribute; anything else is not printed. */
static const char *unat_str(struct rtattr *tb[], int type)
{
	const char *s;
	unsigned int len;

	if (!tb[type])
		return NULL;
	len = RTA_PAYLOAD(tb[type]);
	s = RTA_DATA(tb[type]);
	if (!len || s[len - 1] != '\0' || strlen(s) != len - 1)
		return NULL;
	return s;
}

static void unat_print_opt(struct link_util *lu, FILE *f, struct rtattr *tb[])
{
	const char *s;

	(void)lu;
	(void)f;
	if (!tb)
		return;

	if (unat_attr(tb, IFLA_UNAT_SUBNET, sizeof(__be32))) {
		char buf[INET_ADDRSTRLEN + 4];
		char addr[INET_ADDRSTRLEN];
		bool has_plen;
		__u8 plen = 0;

		has_plen = unat_attr(tb, IFLA_UNAT_PREFIXLEN, sizeof(__u8));
		if (has_plen)
			plen = *(__u8 *)RTA_DATA(tb[IFLA_UNAT_PREFIXLEN]);
		if (inet_ntop(AF_INET, RTA_DATA(tb[IFLA_UNAT_SUBNET]),
			      addr, sizeof(addr))) {
			if (has_plen)
				snprintf(buf, sizeof(buf), "%s/%u", addr, plen);
			else
				snprintf(buf, sizeof(buf), "%s", addr);
			print_color_string(PRINT_FP, COLOR_INET, NULL,
					   "subnet %s ", buf);
			print_color_string(PRINT_JSON, COLOR_NONE, "subnet",
					   NULL, addr);
			if (has_plen)
				print_color_uint(PRINT_JSON, COLOR_NONE,
						 "prefixlen", NULL, plen);
		}
	}
	unat_print_addr(tb, IFLA_UNAT_GATEWAY, "gateway");
	unat_print_addr(tb, IFLA_UNAT_DNS, "dns");
	unat_print_addr(tb, IFLA_UNAT_GUEST, "guest");

	if (unat_attr(tb, IFLA_UNAT_MTU, sizeof(__u32)))
		print_color_uint(PRINT_ANY, COLOR_NONE, "mtu", "mtu %u ",
				 *(__u32 *)RTA_DATA(tb[IFLA_UNAT_MTU]));
	if (unat_attr(tb, IFLA_UNAT_LEASE_TIME, sizeof(__u32)))
		print_color_uint(PRINT_ANY, COLOR_NONE, "lease", "lease %u ",
				 *(__u32 *)RTA_DATA(tb[IFLA_UNAT_LEASE_TIME]));

	s = unat_str(tb, IFLA_UNAT_DOMAIN);
	if (s && *s)
		print_color_string(PRINT_ANY, COLOR_NONE, "domain",
				   "domain %s ", s);
	s = unat_str(tb, IFLA_UNAT_SEARCH);
	if (s && *s)
		print_color_string(PRINT_ANY, COLOR_NONE, "search",
				   "search \"%s\" ", s);

	if (unat_attr(tb, IFLA_UNAT_HOSTLOOP, 1))
		print_color_on_off(PRINT_ANY, COLOR_NONE, "hostloop",
				   "hostloop %s ",
				   *(__u8 *)RTA_DATA(tb[IFLA_UNAT_HOSTLOOP]));
	if (unat_attr(tb, IFLA_UNAT_RESTRICT, 1))
		print_color_on_off(PRINT_ANY, COLOR_NONE, "restrict",
				   "restrict %s ",
				   *(__u8 *)RTA_DATA(tb[IFLA_UNAT_RESTRICT]));

	if (unat_attr(tb, IFLA_UNAT_IPV6, 1))
		print_color_on_off(PRINT_ANY, COLOR_NONE, "ipv6", "ipv6 %s ",
				   *(__u8 *)RTA_DATA(tb[IFLA_UNAT_IPV6]));
	unat_print_addr_af(tb, IFLA_UNAT_PREFIX6, AF_INET6, "prefix6", "/64");
	unat_print_addr_af(tb, IFLA_UNAT_GATEWAY6, AF_INET6, "gateway6", "");
	unat_print_addr_af(tb, IFLA_UNAT_DNS6, AF_INET6, "dns6", "");
	unat_print_addr_af(tb, IFLA_UNAT_GATEWAY6_LL, AF_INET6, "gateway6-ll",
			   "");
	unat_print_addr_af(tb, IFLA_UNAT_GUEST6, AF_INET6, "guest6", "");

	if (unat_attr(tb, IFLA_UNAT_GATEWAY_MAC, 6)) {
		const unsigned char *m = RTA_DATA(tb[IFLA_UNAT_GATEWAY_MAC]);
		char buf[18];

		snprintf(buf, sizeof(buf), "%02x:%02x:%02x:%02x:%02x:%02x",
			 m[0], m[1], m[2], m[3], m[4], m[5]);
		print_color_string(PRINT_ANY, COLOR_MAC, "gwmac", "gwmac %s ",
				   buf);
	}
}

static void unat_print_help(struct link_util *lu, int argc, char **argv,
			    FILE *f)
{
	(void)lu;
	(void)argc;
	(void)argv;
	unat_explain(f);
}

struct link_util unat_link_util = {
	.id		= UNAT_KIND,
	.maxattr	= IFLA_UNAT_MAX,
	.parse_opt	= unat_parse_opt,
	.print_opt	= unat_print_opt,
	.print_help	= unat_print_help,
};
