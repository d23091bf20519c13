// SPDX-License-Identifier: GPL-2.0
/*
 * A port forward's specification, PROTO:[ADDR:]HPORT[-HEND][:GPORT[-GEND]]:
 * parsed alike by `unat fwd` and by the iproute2 plugin's `fwd` option,
 * which both build this file.  Diagnostics go through unat_err(), which
 * each of them defines.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "fwdspec.h"

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
