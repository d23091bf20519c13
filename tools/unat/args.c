// SPDX-License-Identifier: GPL-2.0
/*
 * Command line parsing: numbers, on/off, addresses with ports, device
 * names, /etc/resolv.conf, and the arguments of `unat set` and `unat fwd`.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>

#include "cli.h"

FILE *unat_errf;

void unat_err(const char *fmt, ...)
{
	FILE *f = unat_errf ? unat_errf : stderr;
	va_list ap;

	fputs("unat: ", f);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
}

/* Decimal digits only: no sign, no blanks, no base prefix. */
static int parse_ulong(const char *s, unsigned long max, unsigned long *val)
{
	unsigned long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*val = v;
	return 0;
}

int unat_parse_u32(const char *s, const char *what, uint32_t *val)
{
	unsigned long v;

	if (parse_ulong(s, UINT32_MAX, &v)) {
		unat_err("invalid %s '%s': expected a number from 0 to %u",
			 what, s, UINT32_MAX);
		return -1;
	}
	*val = v;
	return 0;
}

int unat_parse_onoff(const char *s, const char *what, bool *val)
{
	if (!strcmp(s, "on")) {
		*val = true;
	} else if (!strcmp(s, "off")) {
		*val = false;
	} else {
		unat_err("invalid %s '%s': expected 'on' or 'off'", what, s);
		return -1;
	}
	return 0;
}

/*
 * a.b.c.d, a.b.c.d:PORT, [IPv6]:PORT, [IPv6] or a bare IPv6 address.
 * A missing port is default_port.
 */
int unat_parse_endpoint(const char *s, uint16_t default_port,
			struct unat_endpoint *ep)
{
	const char *orig = s, *port = NULL, *colon;
	char addr[INET6_ADDRSTRLEN];
	unsigned long p;
	size_t len;

	memset(ep, 0, sizeof(*ep));
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (!close)
			goto bad;
		len = close - (s + 1);
		if (close[1] == ':')
			port = close + 2;
		else if (close[1])
			goto bad;
		s++;
		ep->family = AF_INET6;
	} else {
		colon = strchr(s, ':');
		if (colon && strchr(colon + 1, ':')) {
			len = strlen(s);	/* bare IPv6 */
			ep->family = AF_INET6;
		} else {
			len = colon ? (size_t)(colon - s) : strlen(s);
			if (colon)
				port = colon + 1;
			ep->family = AF_INET;
		}
	}
	if (!len || len >= sizeof(addr))
		goto bad;
	memcpy(addr, s, len);
	addr[len] = '\0';
	if (inet_pton(ep->family, addr, &ep->addr) != 1)
		goto bad;
	if (port) {
		if (parse_ulong(port, 65535, &p) || !p) {
			unat_err("invalid port in '%s': expected 1 to 65535",
				 orig);
			return -1;
		}
		ep->port = p;
	} else {
		ep->port = default_port;
	}
	return 0;
bad:
	unat_err("invalid address '%s': expected A.B.C.D[:PORT], [IPV6]:PORT or IPV6",
		 orig);
	return -1;
}

int unat_parse_ifname(const char *s)
{
	if (!*s || strlen(s) >= IF_NAMESIZE) {
		unat_err("invalid device name '%s'", s);
		return -1;
	}
	return 0;
}

/*
 * The "nameserver ADDR" lines of a resolv.conf, in order, as the C library
 * reads them: the keyword at the start of a line, then one address. Scoped
 * IPv6 addresses (fe80::1%eth0) cannot be given to the kernel and are
 * skipped. Returns how many were stored (at most max), or -1.
 */
int unat_read_resolv_conf(const char *path, struct unat_endpoint *eps,
			  int max)
{
	char *line = NULL;
	size_t cap = 0;
	int n = 0, lineno = 0;
	FILE *f;

	f = fopen(path, "r");
	if (!f) {
		unat_err("cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, f) > 0) {
		struct unat_endpoint ep = { .port = UNAT_DNS_PORT };
		char *p = line;

		lineno++;
		if (strncmp(p, "nameserver", 10) || !isblank((unsigned char)p[10]))
			continue;
		p += 10;
		p += strspn(p, " \t");
		p[strcspn(p, " \t\r\n")] = '\0';
		if (strchr(p, '%')) {
			unat_err("%s:%d: skipping scoped address %s", path,
				 lineno, p);
			continue;
		}
		if (inet_pton(AF_INET, p, &ep.addr.v4) == 1) {
			ep.family = AF_INET;
		} else if (inet_pton(AF_INET6, p, &ep.addr.v6) == 1) {
			ep.family = AF_INET6;
		} else {
			unat_err("%s:%d: skipping invalid address '%s'", path,
				 lineno, p);
			continue;
		}
		if (n < max)
			eps[n++] = ep;
	}
	free(line);
	if (ferror(f)) {
		unat_err("cannot read %s", path);
		fclose(f);
		return -1;
	}
	fclose(f);
	if (!n) {
		unat_err("no nameserver in %s", path);
		return -1;
	}
	return n;
}

static const char *const set_keywords[] = {
	"dns", "udp-timeout", "tcp-timeout", "flow-limit", "hostloop",
	"restrict", "domain", "search",
};

static bool is_keyword(const char *s)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(set_keywords); i++)
		if (!strcmp(s, set_keywords[i]))
			return true;
	return false;
}

/* dns ADDR[:PORT]... | dns none | dns resolv-conf [FILE]; *i is past "dns" */
static int parse_dns(int argc, char **argv, int *i, struct unat_set_req *req)
{
	const char *file = UNAT_RESOLV_CONF;
	int n;

	if (*i >= argc || is_keyword(argv[*i])) {
		unat_err("'dns' needs ADDR[:PORT]..., 'none' or 'resolv-conf [FILE]'");
		return UNAT_EXIT_USAGE;
	}
	if (!strcmp(argv[*i], "none") || !strcmp(argv[*i], "resolv-conf")) {
		bool none = argv[*i][0] == 'n';

		(*i)++;
		if (!none && *i < argc && !is_keyword(argv[*i]))
			file = argv[(*i)++];
		if (*i < argc && !is_keyword(argv[*i])) {
			unat_err("unexpected '%s' after 'dns %s'", argv[*i],
				 none ? "none" : "resolv-conf FILE");
			return UNAT_EXIT_USAGE;
		}
		if (none)
			return 0;
		n = unat_read_resolv_conf(file, req->dns,
					  UNAT_MAX_DNS_UPSTREAMS);
		if (n < 0)
			return UNAT_EXIT_FAIL;
		req->n_dns = n;
		return 0;
	}
	for (; *i < argc && !is_keyword(argv[*i]); (*i)++) {
		if (req->n_dns == UNAT_MAX_DNS_UPSTREAMS) {
			unat_err("at most %d DNS servers", UNAT_MAX_DNS_UPSTREAMS);
			return UNAT_EXIT_USAGE;
		}
		if (unat_parse_endpoint(argv[*i], UNAT_DNS_PORT,
					&req->dns[req->n_dns]))
			return UNAT_EXIT_USAGE;
		req->n_dns++;
	}
	return 0;
}

/* The kernel checks names; this only keeps requests within their size. */
static int check_len(const char *what, const char *s, size_t max)
{
	if (strlen(s) > max) {
		unat_err("%s is longer than %zu characters", what, max);
		return -1;
	}
	return 0;
}

int unat_parse_set(int argc, char **argv, struct unat_set_req *req)
{
	int i = 1, ret;

	memset(req, 0, sizeof(*req));
	if (argc < 1) {
		unat_err("'set' needs a device");
		return UNAT_EXIT_USAGE;
	}
	if (unat_parse_ifname(argv[0]))
		return UNAT_EXIT_USAGE;
	req->ifname = argv[0];
	if (argc < 2) {
		unat_err("'set %s' needs something to set", argv[0]);
		return UNAT_EXIT_USAGE;
	}
	while (i < argc) {
		const char *key = argv[i++];
		bool seen;

		if (!is_keyword(key)) {
			unat_err("unknown setting '%s'", key);
			return UNAT_EXIT_USAGE;
		}
		if (!strcmp(key, "dns"))
			seen = req->has_dns;
		else if (!strcmp(key, "udp-timeout"))
			seen = req->has_udp_timeout;
		else if (!strcmp(key, "tcp-timeout"))
			seen = req->has_tcp_timeout;
		else if (!strcmp(key, "flow-limit"))
			seen = req->has_flow_limit;
		else if (!strcmp(key, "hostloop"))
			seen = req->has_hostloop;
		else if (!strcmp(key, "restrict"))
			seen = req->has_restrict;
		else if (!strcmp(key, "domain"))
			seen = req->domain;
		else
			seen = req->search;
		if (seen) {
			unat_err("'%s' given twice", key);
			return UNAT_EXIT_USAGE;
		}

		if (!strcmp(key, "dns")) {
			req->has_dns = true;
			ret = parse_dns(argc, argv, &i, req);
			if (ret)
				return ret;
			continue;
		}
		if (i >= argc) {
			unat_err("'%s' needs a value", key);
			return UNAT_EXIT_USAGE;
		}
		if (!strcmp(key, "udp-timeout")) {
			req->has_udp_timeout = true;
			ret = unat_parse_u32(argv[i], key, &req->udp_timeout);
		} else if (!strcmp(key, "tcp-timeout")) {
			req->has_tcp_timeout = true;
			ret = unat_parse_u32(argv[i], key, &req->tcp_timeout);
		} else if (!strcmp(key, "flow-limit")) {
			req->has_flow_limit = true;
			ret = unat_parse_u32(argv[i], key, &req->flow_limit);
		} else if (!strcmp(key, "hostloop")) {
			req->has_hostloop = true;
			ret = unat_parse_onoff(argv[i], key, &req->hostloop);
		} else if (!strcmp(key, "restrict")) {
			req->has_restrict = true;
			ret = unat_parse_onoff(argv[i], key, &req->restricted);
		} else if (!strcmp(key, "domain")) {
			req->domain = argv[i];
			ret = check_len(key, argv[i], UNAT_MAX_NAME_LEN);
		} else {
			req->search = argv[i];
			ret = check_len(key, argv[i], UNAT_MAX_SEARCH_LEN);
		}
		if (ret)
			return UNAT_EXIT_USAGE;
		i++;
	}
	return 0;
}

/* --- `fwd` ---------------------------------------------------------------- */

#define FWD_BAD		"bad forward '%s': "
#define FWD_SYNTAX	"PROTO:[ADDR:]HPORT[-HEND][:GPORT[-GEND]]"
/* "udp:255.255.255.255:65535-65535:65535-65535" and leading zeros */
#define FWD_MAX_LEN	63
#define FWD_MAX_PARTS	3	/* after PROTO: ADDR, HOST, GUEST */

struct port_range {
	unsigned long first, last;
	bool ranged;
};

static bool is_port_range(const char *s)
{
	size_t n = strspn(s, "0123456789");

	if (!n)
		return false;
	if (s[n] == '-') {
		s += n + 1;
		n = strspn(s, "0123456789");
		if (!n)
			return false;
	}
	return !s[n];
}

/* Decimal digits, checked: only the value's size can be wrong. */
static int parse_port_num(const char *spec, const char *s, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 10);
	if (errno || *v > 65535) {
		unat_err(FWD_BAD "port must be 1-65535", spec);
		return -1;
	}
	return 0;
}

/* "P" or "P-Q". Port 0 is refused in a range, the caller checks it alone. */
static int parse_ports(const char *spec, const char *s, struct port_range *r)
{
	const char *dash = strchr(s, '-');

	if (!is_port_range(s)) {
		unat_err(FWD_BAD "'%s' is not a port or a port range", spec, s);
		return -1;
	}
	if (parse_port_num(spec, s, &r->first))
		return -1;
	r->last = r->first;
	r->ranged = dash;
	if (dash && parse_port_num(spec, dash + 1, &r->last))
		return -1;
	if (r->ranged && (!r->first || !r->last)) {
		unat_err(FWD_BAD "port must be 1-65535 in a range", spec);
		return -1;
	}
	if (r->last < r->first) {
		unat_err(FWD_BAD "range %lu-%lu ends below its start", spec,
			 r->first, r->last);
		return -1;
	}
	if (r->last - r->first >= UNAT_MAX_FWD_PORTS) {
		unat_err(FWD_BAD "a range has at most %d ports", spec,
			 UNAT_MAX_FWD_PORTS);
		return -1;
	}
	return 0;
}

static int parse_fwd_proto(const char *spec, const char *s, uint8_t *proto)
{
	if (!strcmp(s, "tcp") || !strcmp(s, "udp")) {
		*proto = s[0] == 't' ? IPPROTO_TCP : IPPROTO_UDP;
		return 0;
	}
	if (!*s || isdigit((unsigned char)*s))
		unat_err(FWD_BAD "the protocol is missing: expected %s", spec,
			 FWD_SYNTAX);
	else
		unat_err(FWD_BAD "unknown protocol '%s': expected tcp or udp",
			 spec, s);
	return -1;
}

/*
 * Splits what follows "PROTO:" at its colons, in place. Returns how many
 * parts, or -1 after saying what is wrong.
 */
static int split_fwd(const char *spec, char *s, char **parts)
{
	int n = 0;

	for (;;) {
		char *colon = strchr(s, ':');

		if (n == FWD_MAX_PARTS) {
			unat_err(FWD_BAD "too many ':': expected %s", spec,
				 FWD_SYNTAX);
			return -1;
		}
		if (colon)
			*colon = '\0';
		if (!*s) {
			unat_err(FWD_BAD "an empty part between ':'", spec);
			return -1;
		}
		parts[n++] = s;
		if (!colon)
			return n;
		s = colon + 1;
	}
}

/* The guest ports: as many as the host's, from a port or as a range. */
static int fwd_guest(const char *spec, const char *s,
		     const struct port_range *host, struct unat_fwd_spec *f)
{
	struct port_range g;

	if (parse_ports(spec, s, &g))
		return -1;
	if (!g.first) {
		unat_err(FWD_BAD "port must be 1-65535", spec);
		return -1;
	}
	if (g.ranged && g.last - g.first != host->last - host->first) {
		unat_err(FWD_BAD "host and guest ranges differ in length", spec);
		return -1;
	}
	if (g.first + (host->last - host->first) > 65535) {
		unat_err(FWD_BAD "the guest ports go past 65535", spec);
		return -1;
	}
	f->has_guest = true;
	f->guest_port = g.first;
	return 0;
}

/*
 * PROTO:[ADDR:]HPORT[-HEND][:GPORT[-GEND]]. After PROTO, three parts are
 * ADDR, HOST and GUEST; two are ADDR and HOST when the first has a '.',
 * else HOST and GUEST; one is HOST. No guest part: the host's ports.
 */
int unat_parse_fwd(const char *s, struct unat_fwd_spec *f)
{
	char buf[FWD_MAX_LEN + 1], *colon, *parts[FWD_MAX_PARTS];
	const char *addr = NULL, *host, *guest = NULL;
	size_t len = strlen(s);
	struct port_range h;
	int n;

	memset(f, 0, sizeof(*f));
	if (len > FWD_MAX_LEN) {
		unat_err("bad forward '%.*s...': longer than %d characters",
			 FWD_MAX_LEN, s, FWD_MAX_LEN);
		return -1;
	}
	memcpy(buf, s, len + 1);
	colon = strchr(buf, ':');
	if (colon)
		*colon = '\0';
	if (parse_fwd_proto(s, buf, &f->proto))
		return -1;
	if (!colon) {
		unat_err(FWD_BAD "the host port is missing: expected %s", s,
			 FWD_SYNTAX);
		return -1;
	}
	if (strchr(colon + 1, '[')) {
		unat_err(FWD_BAD "only IPv4 addresses can be forwarded", s);
		return -1;
	}
	n = split_fwd(s, colon + 1, parts);
	if (n < 0)
		return -1;
	if (n == 1 && strchr(parts[0], '.')) {
		unat_err(FWD_BAD "the host port is missing after the address",
			 s);
		return -1;
	}
	if (n == 3 || (n == 2 && strchr(parts[0], '.')))
		addr = parts[0];
	host = parts[addr ? 1 : 0];
	if (n == 3 || (n == 2 && !addr))
		guest = parts[n - 1];

	if (addr) {
		if (inet_pton(AF_INET, addr, &f->addr) != 1) {
			unat_err(FWD_BAD "invalid IPv4 address '%s'", s, addr);
			return -1;
		}
		f->has_addr = true;
	}
	if (parse_ports(s, host, &h))
		return -1;
	f->port = h.first;
	f->count = h.last - h.first + 1;
	if (guest)
		return fwd_guest(s, guest, &h, f);
	f->guest_port = f->port;
	return 0;
}

/* add: [source client|gateway] */
static int parse_fwd_opts(int argc, char **argv, struct unat_fwd_req *req)
{
	bool seen = false;
	int i;

	for (i = 2; i < argc; i += 2) {
		if (strcmp(argv[i], "source")) {
			unat_err("unexpected '%s' after the forward", argv[i]);
			return UNAT_EXIT_USAGE;
		}
		if (seen) {
			unat_err("'source' given twice");
			return UNAT_EXIT_USAGE;
		}
		seen = true;
		if (i + 1 < argc && !strcmp(argv[i + 1], "client")) {
			req->flags = 0;
		} else if (i + 1 < argc && !strcmp(argv[i + 1], "gateway")) {
			req->flags = UNAT_FWD_F_GATEWAY_SOURCE;
		} else {
			unat_err("'source' takes client or gateway");
			return UNAT_EXIT_USAGE;
		}
	}
	return 0;
}

int unat_parse_fwd_req(int argc, char **argv, bool del,
		       struct unat_fwd_req *req)
{
	const char *cmd = del ? "del" : "add";

	memset(req, 0, sizeof(*req));
	if (argc < 2) {
		unat_err("'fwd %s' needs a device and a forward (%s)", cmd,
			 FWD_SYNTAX);
		return UNAT_EXIT_USAGE;
	}
	if (unat_parse_ifname(argv[0]))
		return UNAT_EXIT_USAGE;
	req->ifname = argv[0];
	if (unat_parse_fwd(argv[1], &req->spec))
		return UNAT_EXIT_USAGE;
	if (del && argc > 2) {
		unat_err("unexpected '%s': 'fwd del' takes a device and a forward",
			 argv[2]);
		return UNAT_EXIT_USAGE;
	}
	if (del && !req->spec.port) {
		unat_err(FWD_BAD "'fwd del' needs the host port, not 0",
			 argv[1]);
		return UNAT_EXIT_USAGE;
	}
	if (!del && !req->spec.guest_port) {
		unat_err(FWD_BAD "host port 0 (the kernel picks one) needs a guest port",
			 argv[1]);
		return UNAT_EXIT_USAGE;
	}
	return del ? 0 : parse_fwd_opts(argc, argv, req);
}
