// SPDX-License-Identifier: GPL-2.0
/*
 * DNS names in wire form (RFC 1035 3.1), for DHCP's domain search option
 * (RFC 3397) and for validating configured names.  No compression.
 */
#include <kunit/visibility.h>
#include <linux/ctype.h>
#include <linux/errno.h>
#include <linux/string.h>

#include "types.h"

static bool unat_dns_label_char_ok(char c)
{
	return isalnum(c) || c == '-' || c == '_';
}

/*
 * Encode the presentation-form name @name of @len bytes (an optional final
 * dot is allowed) into @out.  Returns the wire length, or -EINVAL for a name
 * that is empty, has an empty or over-long label, a character outside
 * letters, digits, '-' and '_', or is longer than 255 octets in wire form;
 * -ENOSPC if @outlen is too small.
 */
int unat_dns_name_encode(const char *name, size_t len, u8 *out, size_t outlen)
{
	size_t pos = 0, start = 0, i;

	if (len && name[len - 1] == '.')
		len--;
	if (!len)
		return -EINVAL;
	for (i = 0; i <= len; i++) {
		size_t lab;

		if (i < len && name[i] != '.') {
			if (!unat_dns_label_char_ok(name[i]))
				return -EINVAL;
			continue;
		}
		lab = i - start;
		if (!lab || lab > 63)
			return -EINVAL;
		if (pos + 1 + lab + 1 > UNAT_DNS_WIRE_MAX)
			return -EINVAL;
		if (pos + 1 + lab + 1 > outlen)
			return -ENOSPC;
		out[pos++] = lab;
		memcpy(out + pos, name + start, lab);
		pos += lab;
		start = i + 1;
	}
	out[pos++] = 0;
	return pos;
}
EXPORT_SYMBOL_IF_KUNIT(unat_dns_name_encode);

/*
 * Encode a list of names separated by spaces, tabs or commas into the
 * concatenated wire forms @out.  Returns the total length (0 for an empty
 * list) or a negative error as unat_dns_name_encode().
 */
int unat_dns_list_encode(const char *list, u8 *out, size_t outlen)
{
	static const char seps[] = " \t,";
	size_t pos = 0;

	while (*list) {
		size_t n;
		int ret;

		list += strspn(list, seps);
		n = strcspn(list, seps);
		if (!n)
			break;
		ret = unat_dns_name_encode(list, n, out + pos, outlen - pos);
		if (ret < 0)
			return ret;
		pos += ret;
		list += n;
	}
	return pos;
}
EXPORT_SYMBOL_IF_KUNIT(unat_dns_list_encode);
