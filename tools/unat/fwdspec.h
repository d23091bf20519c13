/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UNAT_FWDSPEC_H
#define UNAT_FWDSPEC_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>
#include <linux/unat.h>

/* Says what is wrong, on stderr: each program that parses defines it. */
void unat_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define FWD_BAD		"bad forward '%s': "
#define FWD_SYNTAX	\
	"PROTO:[ADDR:]HPORT[-HEND][:GPORT[-GEND]] (ADDR: A.B.C.D or [ADDR6])"

/*
 * A port forward: PROTO:[ADDR:]HPORT[-HEND][:GPORT[-GEND]] listens on IPv4,
 * PROTO:[ADDR6]:HPORT... (brackets included) on IPv6.
 */
struct unat_fwd_spec {
	uint8_t proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	int family;		/* AF_INET, or AF_INET6 for [ADDR6] */
	bool has_addr;		/* else every IPv4 address; always set for
				 * AF_INET6, whose every address is [::]
				 */
	struct in_addr addr;	/* AF_INET */
	struct in6_addr addr6;	/* AF_INET6 */
	uint16_t port;		/* first host port; 0: the kernel picks one */
	uint16_t count;		/* ports, 1-UNAT_MAX_FWD_PORTS */
	bool has_guest;		/* a guest part was given */
	uint16_t guest_port;	/* first guest port; 0 only if port is 0 and
				 * no guest part was given
				 */
};

/* Returns 0, or -1 after saying what is wrong. */
int unat_parse_fwd(const char *s, struct unat_fwd_spec *f);

#endif /* UNAT_FWDSPEC_H */
