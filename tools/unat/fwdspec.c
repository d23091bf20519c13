// SPDX-License-Identifier: GPL-2.0
/*
 * A port forward's specification, PROTO:[ADDR:]HPORT[-HEND][:GPORT[-GEND]]
 * with ADDR an IPv4 address or an IPv6 one in brackets ([::], [fd00::1]):
 * parsed alike by `unat fwd` and by the iproute2 plugin's `fwd` option,
 * which both build this file.  Diagnostics go through unat_err(), which
 * each of them defines.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "fwdspec.h"

/*
 * The longest, 75 characters, with room for leading zeros in the ports:
 * "udp:[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]:65535-65535:65535-65535"
 */
#define FWD_MAX_LEN	95
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
	if (!*s || isdigit((unsigned char)*s) || *s == '[')
		unat_err(FWD_BAD "the protocol is missing: expected %s", spec,
			 FWD_SYNTAX);
	else
		unat_err(FWD_BAD "unknown protocol '%s': expected tcp or udp",
			 spec, s);
	return -1;
}

/*
 * Splits what follows "PROTO:" (or "PROTO:[ADDR6]:") at its colons, in
 * place, into at most @max parts. Returns how many, or -1 after saying
 * what is wrong.
 */
static int split_fwd(const char *spec, char *s, char **parts, int max)
{
	int n = 0;

	for (;;) {
		char *colon = strchr(s, ':');

		if (n == max) {
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
 * "[ADDR6]:" at the start of @s: the address goes to @f, and what follows
 * the ':' is returned, or NULL after saying what is wrong. An IPv4 address
 * in brackets is refused rather than guessed at: is it meant as IPv4, or as
 * its IPv4-mapped IPv6 twin ([::ffff:A.B.C.D], which is taken as written)?
 */
static char *parse_fwd_addr6(const char *spec, char *s,
			     struct unat_fwd_spec *f)
{
	char *end = strchr(s, ']');
	struct in_addr a4;

	if (!end) {
		unat_err(FWD_BAD "']' is missing after the IPv6 address", spec);
		return NULL;
	}
	*end = '\0';
	s++;
	if (inet_pton(AF_INET, s, &a4) == 1) {
		unat_err(FWD_BAD "IPv4 address '%s' in brackets: give it without them",
			 spec, s);
		return NULL;
	}
	if (inet_pton(AF_INET6, s, &f->addr6) != 1) {
		unat_err(FWD_BAD "invalid IPv6 address '%s'", spec, s);
		return NULL;
	}
	if (!end[1]) {
		unat_err(FWD_BAD "the host port is missing after the address",
			 spec);
		return NULL;
	}
	if (end[1] != ':') {
		unat_err(FWD_BAD "']' must be followed by ':' and the host port",
			 spec);
		return NULL;
	}
	f->family = AF_INET6;
	f->has_addr = true;
	return end + 2;
}

/*
 * An IPv6 address without its brackets, as in "tcp:::1:8080": the whole of
 * @s, or @s up to one of its colons, is one. Only asked of what has "::" or
 * more than two colons, which no IPv4 forward has, so that a valid spec is
 * never taken for one.
 */
static bool is_bare_addr6(const char *s)
{
	char buf[FWD_MAX_LEN + 1], *colon;
	struct in6_addr a;
	int colons = 0;
	const char *p;

	for (p = s; *p; p++)
		colons += *p == ':';
	if (colons <= 2 && !strstr(s, "::"))
		return false;
	snprintf(buf, sizeof(buf), "%s", s);
	do {
		if (inet_pton(AF_INET6, buf, &a) == 1)
			return true;
		colon = strrchr(buf, ':');
		if (colon)
			*colon = '\0';
	} while (colon);
	return false;
}

/*
 * What follows "PROTO:" in an IPv4 forward, split at its colons: three
 * parts are ADDR, HOST and GUEST; two are ADDR and HOST when the first has
 * a '.', else HOST and GUEST; one is HOST.
 */
static int fwd_parts4(const char *spec, char *s, const char **addr,
		      const char **host, const char **guest)
{
	char *parts[FWD_MAX_PARTS];
	int n;

	if (is_bare_addr6(s)) {
		unat_err(FWD_BAD "an IPv6 address must be in brackets: expected %s",
			 spec, FWD_SYNTAX);
		return -1;
	}
	n = split_fwd(spec, s, parts, FWD_MAX_PARTS);
	if (n < 0)
		return -1;
	if (n == 1 && strchr(parts[0], '.')) {
		unat_err(FWD_BAD "the host port is missing after the address",
			 spec);
		return -1;
	}
	if (n == 3 || (n == 2 && strchr(parts[0], '.')))
		*addr = parts[0];
	*host = parts[*addr ? 1 : 0];
	if (n == 3 || (n == 2 && !*addr))
		*guest = parts[n - 1];
	return 0;
}

/* What follows "PROTO:[ADDR6]:": HOST, or HOST and GUEST. */
static int fwd_parts6(const char *spec, char *s, const char **host,
		      const char **guest)
{
	char *parts[FWD_MAX_PARTS - 1];
	int n;

	n = split_fwd(spec, s, parts, FWD_MAX_PARTS - 1);
	if (n < 0)
		return -1;
	*host = parts[0];
	if (n == 2)
		*guest = parts[1];
	return 0;
}

/*
 * PROTO:[ADDR:]HPORT[-HEND][:GPORT[-GEND]], ADDR an IPv4 address or
 * "[ADDR6]". No address: every IPv4 address ("[::]" is every IPv6 one).
 * No guest part: the host's ports.
 */
int unat_parse_fwd(const char *s, struct unat_fwd_spec *f)
{
	char buf[FWD_MAX_LEN + 1], *colon, *rest;
	const char *addr = NULL, *host, *guest = NULL;
	size_t len = strlen(s);
	struct port_range h;
	int err;

	memset(f, 0, sizeof(*f));
	f->family = AF_INET;
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
	rest = colon + 1;
	if (*rest == '[') {
		rest = parse_fwd_addr6(s, rest, f);
		if (!rest)
			return -1;
	}
	/* brackets only around an address, right after PROTO: */
	if (strpbrk(rest, "[]")) {
		unat_err(FWD_BAD "'[' or ']' out of place: expected %s", s,
			 FWD_SYNTAX);
		return -1;
	}
	if (f->family == AF_INET6)
		err = fwd_parts6(s, rest, &host, &guest);
	else
		err = fwd_parts4(s, rest, &addr, &host, &guest);
	if (err)
		return -1;

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
