/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_DNSNAME_H
#define _UNAT_DNSNAME_H

#include <linux/types.h>

/* Longest wire form of one name: 255 octets (RFC 1035 3.1). */
#define UNAT_DNS_WIRE_MAX	255

int unat_dns_name_encode(const char *name, size_t len, u8 *out,
			 size_t outlen);
int unat_dns_list_encode(const char *list, u8 *out, size_t outlen);

#endif /* _UNAT_DNSNAME_H */
