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

/*
 * "N", "NK", "NM" or "NG" bytes (binary multiples), at most UINT32_MAX:
 * the kernel says which it takes.
 */
static int parse_size(const char *s, const char *what, uint32_t *val)
{
	static const char units[] = "KMG";
	unsigned long v, shift = 0;
	size_t len = strlen(s);
	const char *u;
	char num[16];

	if (len && (u = strchr(units, toupper((unsigned char)s[len - 1])))) {
		shift = 10 * (u - units + 1);
		len--;
	}
	if (!len || len >= sizeof(num))
		goto bad;
	memcpy(num, s, len);
	num[len] = '\0';
	if (parse_ulong(num, UINT32_MAX >> shift, &v))
		goto bad;
	*val = v << shift;
	return 0;
bad:
	unat_err("invalid %s '%s': expected a size in bytes, up to 4G", what, s);
	return -1;
}

/* "N" or "N%", 0 to 255: the kernel says which it takes. */
static int parse_percent(const char *s, const char *what, uint8_t *val)
{
	char num[8];
	size_t len = strlen(s);
	unsigned long v;

	if (len && s[len - 1] == '%')
		len--;
	if (!len || len >= sizeof(num))
		goto bad;
	memcpy(num, s, len);
	num[len] = '\0';
	if (parse_ulong(num, UINT8_MAX, &v))
		goto bad;
	*val = v;
	return 0;
bad:
	unat_err("invalid %s '%s': expected a percentage", what, s);
	return -1;
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
	"dns", "udp-timeout", "tcp-timeout", "flow-limit", "connect-limit",
	"port-share", "queue-limit", "hostloop", "restrict", "domain", "search",
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
		else if (!strcmp(key, "connect-limit"))
			seen = req->has_connect_limit;
		else if (!strcmp(key, "port-share"))
			seen = req->has_port_share;
		else if (!strcmp(key, "queue-limit"))
			seen = req->has_queue_limit;
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
		} else if (!strcmp(key, "connect-limit")) {
			req->has_connect_limit = true;
			ret = unat_parse_u32(argv[i], key, &req->connect_limit);
		} else if (!strcmp(key, "port-share")) {
			req->has_port_share = true;
			ret = parse_percent(argv[i], key, &req->port_share);
		} else if (!strcmp(key, "queue-limit")) {
			req->has_queue_limit = true;
			ret = parse_size(argv[i], key, &req->queue_limit);
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
		unat_err("'fwd %s' needs a device and a forward, %s", cmd,
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
