// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's answers as text and JSON: one device per UNAT_CMD_DEV_GET
 * message, one flow per UNAT_CMD_FLOW_GET message, one forward per
 * UNAT_CMD_FWD_GET or UNAT_CMD_FWD_ADD message, printed as they arrive so
 * that dumps of any size take no memory here.
 */
#include <inttypes.h>
#include <string.h>
#include <net/if.h>
#include <linux/genetlink.h>

#include "cli.h"

unsigned int unat_malformed;

/* --- attribute tables ---------------------------------------------------- */

struct attr_rule {
	enum mnl_attr_data_type type;	/* MNL_TYPE_UNSPEC: not expected */
	uint16_t len;			/* binary: exact length */
};

struct attr_table {
	const struct attr_rule *rules;
	unsigned int max;
	const struct nlattr **tb;
};

/* Keeps the last attribute of each known type that has the right shape. */
static int table_cb(const struct nlattr *a, void *data)
{
	const struct attr_table *t = data;
	unsigned int type = mnl_attr_get_type(a);
	const struct attr_rule *r;
	int ret;

	if (type > t->max || t->rules[type].type == MNL_TYPE_UNSPEC)
		return MNL_CB_OK;	/* newer than this tool: ignored */
	r = &t->rules[type];
	if (r->len)
		ret = mnl_attr_validate2(a, r->type, r->len);
	else
		ret = mnl_attr_validate(a, r->type);
	if (ret < 0) {
		unat_malformed++;
		return MNL_CB_OK;
	}
	t->tb[type] = a;
	return MNL_CB_OK;
}

static void parse_msg(const struct nlmsghdr *nlh, const struct attr_rule *rules,
		      unsigned int max, const struct nlattr **tb)
{
	struct attr_table t = { rules, max, tb };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), table_cb, &t);
}

static void parse_nest(const struct nlattr *nest, const struct attr_rule *rules,
		       unsigned int max, const struct nlattr **tb)
{
	struct attr_table t = { rules, max, tb };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	mnl_attr_parse_nested(nest, table_cb, &t);
}

static const struct attr_rule endpoint_rules[UNAT_A_ENDPOINT_MAX + 1] = {
	[UNAT_A_ENDPOINT_ADDR4]	= { MNL_TYPE_U32 },
	[UNAT_A_ENDPOINT_ADDR6]	= { MNL_TYPE_BINARY, 16 },
	[UNAT_A_ENDPOINT_PORT]	= { MNL_TYPE_U16 },
};

static const struct attr_rule stat_rules[UNAT_A_STAT_MAX + 1] = {
	[UNAT_A_STAT_NAME]	= { MNL_TYPE_NUL_STRING },
	[UNAT_A_STAT_VALUE]	= { MNL_TYPE_U64 },
};

static const struct attr_rule dev_rules[UNAT_A_DEV_MAX + 1] = {
	[UNAT_A_DEV_IFINDEX]	= { MNL_TYPE_U32 },
	[UNAT_A_DEV_IFNAME]	= { MNL_TYPE_NUL_STRING },
	[UNAT_A_DEV_DNS]	= { MNL_TYPE_NESTED },
	[UNAT_A_DEV_UDP_TIMEOUT] = { MNL_TYPE_U32 },
	[UNAT_A_DEV_TCP_TIMEOUT] = { MNL_TYPE_U32 },
	[UNAT_A_DEV_FLOW_LIMIT]	= { MNL_TYPE_U32 },
	[UNAT_A_DEV_FLOW_COUNT]	= { MNL_TYPE_U32 },
	[UNAT_A_DEV_CONNECT_LIMIT] = { MNL_TYPE_U32 },
	[UNAT_A_DEV_CONNECT_COUNT] = { MNL_TYPE_U32 },
	[UNAT_A_DEV_PORT_SHARE]	= { MNL_TYPE_U8 },
	[UNAT_A_DEV_PORT_COUNT]	= { MNL_TYPE_U32 },
	[UNAT_A_DEV_PORT_CAP]	= { MNL_TYPE_U32 },
	[UNAT_A_DEV_QUEUE_LIMIT] = { MNL_TYPE_U32 },
	[UNAT_A_DEV_QUEUE_BYTES] = { MNL_TYPE_U32 },
	[UNAT_A_DEV_QUEUE_PEAK]	= { MNL_TYPE_U32 },
	[UNAT_A_DEV_HOSTLOOP]	= { MNL_TYPE_U8 },
	[UNAT_A_DEV_RESTRICT]	= { MNL_TYPE_U8 },
	[UNAT_A_DEV_DOMAIN]	= { MNL_TYPE_NUL_STRING },
	[UNAT_A_DEV_SEARCH]	= { MNL_TYPE_NUL_STRING },
	[UNAT_A_DEV_STATS]	= { MNL_TYPE_NESTED },
};

static const struct attr_rule flow_rules[UNAT_A_FLOW_MAX + 1] = {
	[UNAT_A_FLOW_IFINDEX]	= { MNL_TYPE_U32 },
	[UNAT_A_FLOW_IFNAME]	= { MNL_TYPE_NUL_STRING },
	[UNAT_A_FLOW_PROTO]	= { MNL_TYPE_U8 },
	[UNAT_A_FLOW_GUEST]	= { MNL_TYPE_NESTED },
	[UNAT_A_FLOW_REMOTE]	= { MNL_TYPE_NESTED },
	[UNAT_A_FLOW_HOST]	= { MNL_TYPE_NESTED },
	[UNAT_A_FLOW_STATE]	= { MNL_TYPE_U8 },
	[UNAT_A_FLOW_AGE]	= { MNL_TYPE_U64 },
	[UNAT_A_FLOW_IDLE]	= { MNL_TYPE_U64 },
	[UNAT_A_FLOW_PKTS_OUT]	= { MNL_TYPE_U64 },
	[UNAT_A_FLOW_BYTES_OUT]	= { MNL_TYPE_U64 },
	[UNAT_A_FLOW_PKTS_IN]	= { MNL_TYPE_U64 },
	[UNAT_A_FLOW_BYTES_IN]	= { MNL_TYPE_U64 },
	[UNAT_A_FLOW_KIND]	= { MNL_TYPE_U8 },
	[UNAT_A_FLOW_TCP_STATE]	= { MNL_TYPE_U8 },
};

static const struct attr_rule fwd_rules[UNAT_A_FWD_MAX + 1] = {
	[UNAT_A_FWD_IFINDEX]	= { MNL_TYPE_U32 },
	[UNAT_A_FWD_IFNAME]	= { MNL_TYPE_NUL_STRING },
	[UNAT_A_FWD_PROTO]	= { MNL_TYPE_U8 },
	[UNAT_A_FWD_HOST]	= { MNL_TYPE_NESTED },
	[UNAT_A_FWD_GUEST_PORT]	= { MNL_TYPE_U16 },
	[UNAT_A_FWD_COUNT]	= { MNL_TYPE_U16 },
	[UNAT_A_FWD_FLAGS]	= { MNL_TYPE_U32 },
};

/* An UNAT_A_ENDPOINT_* nest; false (and family 0) if it has no address. */
static bool get_endpoint(const struct nlattr *nest, struct unat_endpoint *ep)
{
	const struct nlattr *tb[UNAT_A_ENDPOINT_MAX + 1];

	memset(ep, 0, sizeof(*ep));
	if (!nest)
		return false;
	parse_nest(nest, endpoint_rules, UNAT_A_ENDPOINT_MAX, tb);
	if (tb[UNAT_A_ENDPOINT_ADDR4]) {
		ep->family = AF_INET;
		memcpy(&ep->addr.v4, mnl_attr_get_payload(tb[UNAT_A_ENDPOINT_ADDR4]),
		       sizeof(ep->addr.v4));
	} else if (tb[UNAT_A_ENDPOINT_ADDR6]) {
		ep->family = AF_INET6;
		memcpy(&ep->addr.v6, mnl_attr_get_payload(tb[UNAT_A_ENDPOINT_ADDR6]),
		       sizeof(ep->addr.v6));
	} else {
		return false;
	}
	if (tb[UNAT_A_ENDPOINT_PORT])
		ep->port = mnl_attr_get_u16(tb[UNAT_A_ENDPOINT_PORT]);
	return true;
}

/* a.b.c.d:port, [v6]:port; the bare address when the port is 0. */
const char *unat_endpoint_str(const struct unat_endpoint *ep, char *buf,
			      size_t len)
{
	char addr[INET6_ADDRSTRLEN];

	if (!inet_ntop(ep->family, &ep->addr, addr, sizeof(addr)))
		snprintf(addr, sizeof(addr), "?");
	if (!ep->port)
		snprintf(buf, len, "%s", addr);
	else if (ep->family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", addr, ep->port);
	else
		snprintf(buf, len, "%s:%u", addr, ep->port);
	return buf;
}

/* --- output framing -------------------------------------------------------- */

/*
 * Nothing is written until the first object arrives, so that a request
 * failing at once prints only its error. A JSON array started is always
 * closed, even after an error, to keep the output parseable. A single
 * object (out->single) is printed as it is, or not at all.
 */
void unat_out_begin(struct unat_out *out, FILE *f, bool json, bool pretty,
		    bool flows)
{
	memset(out, 0, sizeof(*out));
	out->f = f;
	out->json = json;
	out->flows = flows;
	json_init(&out->j, f, pretty);
}

static void flows_header(FILE *f);

static void out_start(struct unat_out *out)
{
	if (out->started)
		return;
	out->started = true;
	if (out->json && !out->single)
		json_arr_open(&out->j);
	else if (out->flows)
		flows_header(out->f);
}

void unat_out_end(struct unat_out *out, bool ok)
{
	if ((!ok || out->single) && !out->started)
		return;
	out_start(out);
	if (out->json) {
		if (!out->single)
			json_arr_close(&out->j);
		json_end(&out->j);
	}
}

/* --- devices ------------------------------------------------------------- */

struct dev_info {
	const struct nlattr *tb[UNAT_A_DEV_MAX + 1];
	char ifname[IF_NAMESIZE];
	int n_dns;
	struct unat_endpoint dns[16];
};

/* The u32 attribute @type through @fmt, if the message has it. */
static void text_u32(FILE *f, const struct nlattr *const *tb, int type,
		     const char *fmt)
{
	if (tb[type])
		fprintf(f, fmt, mnl_attr_get_u32(tb[type]));
}

/*
 * "    connect-limit N connecting N port-share N% ports N of N"
 * "    queue-limit N queued N peak N"
 */
static void dev_text_limits(FILE *f, const struct nlattr *const *tb)
{
	if (!tb[UNAT_A_DEV_CONNECT_LIMIT] || !tb[UNAT_A_DEV_PORT_SHARE])
		return;
	text_u32(f, tb, UNAT_A_DEV_CONNECT_LIMIT, "    connect-limit %u");
	text_u32(f, tb, UNAT_A_DEV_CONNECT_COUNT, " connecting %u");
	fprintf(f, " port-share %u%%",
		mnl_attr_get_u8(tb[UNAT_A_DEV_PORT_SHARE]));
	if (tb[UNAT_A_DEV_PORT_COUNT] && tb[UNAT_A_DEV_PORT_CAP])
		fprintf(f, " ports %u of %u",
			mnl_attr_get_u32(tb[UNAT_A_DEV_PORT_COUNT]),
			mnl_attr_get_u32(tb[UNAT_A_DEV_PORT_CAP]));
	fputc('\n', f);
	if (!tb[UNAT_A_DEV_QUEUE_LIMIT])
		return;
	text_u32(f, tb, UNAT_A_DEV_QUEUE_LIMIT, "    queue-limit %u");
	text_u32(f, tb, UNAT_A_DEV_QUEUE_BYTES, " queued %u");
	text_u32(f, tb, UNAT_A_DEV_QUEUE_PEAK, " peak %u");
	fputc('\n', f);
}

static void dev_text(FILE *f, const struct dev_info *d)
{
	const struct nlattr *const *tb = d->tb;
	const struct nlattr *a, *s[UNAT_A_STAT_MAX + 1];
	char ep[UNAT_ENDPOINT_STRLEN];
	const char *domain = NULL, *search = NULL;
	int i, col = 0;

	fprintf(f, "%s:", d->ifname);
	if (tb[UNAT_A_DEV_HOSTLOOP])
		fprintf(f, " hostloop %s",
			mnl_attr_get_u8(tb[UNAT_A_DEV_HOSTLOOP]) ? "on" : "off");
	if (tb[UNAT_A_DEV_RESTRICT])
		fprintf(f, " restrict %s",
			mnl_attr_get_u8(tb[UNAT_A_DEV_RESTRICT]) ? "on" : "off");
	text_u32(f, tb, UNAT_A_DEV_UDP_TIMEOUT, " udp-timeout %u");
	text_u32(f, tb, UNAT_A_DEV_TCP_TIMEOUT, " tcp-timeout %u");
	text_u32(f, tb, UNAT_A_DEV_FLOW_LIMIT, " flow-limit %u");
	text_u32(f, tb, UNAT_A_DEV_FLOW_COUNT, " flows %u");
	fputc('\n', f);
	dev_text_limits(f, tb);

	fputs("    dns", f);
	for (i = 0; i < d->n_dns; i++)
		fprintf(f, " %s", unat_endpoint_str(&d->dns[i], ep, sizeof(ep)));
	fputs(d->n_dns ? "\n" : " none\n", f);

	if (tb[UNAT_A_DEV_DOMAIN] && *mnl_attr_get_str(tb[UNAT_A_DEV_DOMAIN]))
		domain = mnl_attr_get_str(tb[UNAT_A_DEV_DOMAIN]);
	if (tb[UNAT_A_DEV_SEARCH] && *mnl_attr_get_str(tb[UNAT_A_DEV_SEARCH]))
		search = mnl_attr_get_str(tb[UNAT_A_DEV_SEARCH]);
	if (domain && search)
		fprintf(f, "    domain %s search %s\n", domain, search);
	else if (domain)
		fprintf(f, "    domain %s\n", domain);
	else if (search)
		fprintf(f, "    search %s\n", search);

	/* the counters that are not zero, wrapped before 80 columns */
	if (!tb[UNAT_A_DEV_STATS])
		return;
	mnl_attr_for_each_nested(a, tb[UNAT_A_DEV_STATS]) {
		char item[128];
		uint64_t v;
		int len;

		if (mnl_attr_get_type(a) != UNAT_A_STATS_ENTRY)
			continue;
		parse_nest(a, stat_rules, UNAT_A_STAT_MAX, s);
		if (!s[UNAT_A_STAT_NAME] || !s[UNAT_A_STAT_VALUE])
			continue;
		v = mnl_attr_get_u64(s[UNAT_A_STAT_VALUE]);
		if (!v)
			continue;
		len = snprintf(item, sizeof(item), " %s %" PRIu64,
			       mnl_attr_get_str(s[UNAT_A_STAT_NAME]), v);
		if (!col) {
			fputs("    counters:", f);
			col = 13;
		} else if (col + len > 79) {
			fputs("\n             ", f);
			col = 13;
		}
		fputs(item, f);
		col += len;
	}
	if (col)
		fputc('\n', f);
}

static void dev_json_limits(struct json *j, const struct nlattr *const *tb)
{
	static const struct {
		int type;
		const char *key;
	} keys[] = {
		{ UNAT_A_DEV_CONNECT_LIMIT, "connect_limit" },
		{ UNAT_A_DEV_CONNECT_COUNT, "connect_count" },
		{ UNAT_A_DEV_PORT_COUNT, "port_count" },
		{ UNAT_A_DEV_PORT_CAP, "port_cap" },
		{ UNAT_A_DEV_QUEUE_LIMIT, "queue_limit" },
		{ UNAT_A_DEV_QUEUE_BYTES, "queue_bytes" },
		{ UNAT_A_DEV_QUEUE_PEAK, "queue_peak" },
	};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (tb[keys[i].type])
			json_kv_u64(j, keys[i].key,
				    mnl_attr_get_u32(tb[keys[i].type]));
	if (tb[UNAT_A_DEV_PORT_SHARE])
		json_kv_u64(j, "port_share",
			    mnl_attr_get_u8(tb[UNAT_A_DEV_PORT_SHARE]));
}

static void dev_json(struct json *j, const struct dev_info *d)
{
	const struct nlattr *const *tb = d->tb;
	const struct nlattr *a, *s[UNAT_A_STAT_MAX + 1];
	char ep[UNAT_ENDPOINT_STRLEN];
	int i;

	json_obj_open(j);
	json_kv_str(j, "ifname", d->ifname);
	if (tb[UNAT_A_DEV_IFINDEX])
		json_kv_u64(j, "ifindex",
			    mnl_attr_get_u32(tb[UNAT_A_DEV_IFINDEX]));
	if (tb[UNAT_A_DEV_HOSTLOOP])
		json_kv_bool(j, "hostloop",
			     mnl_attr_get_u8(tb[UNAT_A_DEV_HOSTLOOP]));
	if (tb[UNAT_A_DEV_RESTRICT])
		json_kv_bool(j, "restrict",
			     mnl_attr_get_u8(tb[UNAT_A_DEV_RESTRICT]));
	if (tb[UNAT_A_DEV_UDP_TIMEOUT])
		json_kv_u64(j, "udp_timeout",
			    mnl_attr_get_u32(tb[UNAT_A_DEV_UDP_TIMEOUT]));
	if (tb[UNAT_A_DEV_TCP_TIMEOUT])
		json_kv_u64(j, "tcp_timeout",
			    mnl_attr_get_u32(tb[UNAT_A_DEV_TCP_TIMEOUT]));
	if (tb[UNAT_A_DEV_FLOW_LIMIT])
		json_kv_u64(j, "flow_limit",
			    mnl_attr_get_u32(tb[UNAT_A_DEV_FLOW_LIMIT]));
	if (tb[UNAT_A_DEV_FLOW_COUNT])
		json_kv_u64(j, "flow_count",
			    mnl_attr_get_u32(tb[UNAT_A_DEV_FLOW_COUNT]));
	dev_json_limits(j, tb);

	json_key(j, "dns");
	json_arr_open(j);
	for (i = 0; i < d->n_dns; i++)
		json_str(j, unat_endpoint_str(&d->dns[i], ep, sizeof(ep)));
	json_arr_close(j);

	json_kv_str(j, "domain", tb[UNAT_A_DEV_DOMAIN] ?
		    mnl_attr_get_str(tb[UNAT_A_DEV_DOMAIN]) : NULL);
	json_kv_str(j, "search", tb[UNAT_A_DEV_SEARCH] ?
		    mnl_attr_get_str(tb[UNAT_A_DEV_SEARCH]) : NULL);

	json_key(j, "stats");
	json_obj_open(j);
	if (tb[UNAT_A_DEV_STATS]) {
		mnl_attr_for_each_nested(a, tb[UNAT_A_DEV_STATS]) {
			if (mnl_attr_get_type(a) != UNAT_A_STATS_ENTRY)
				continue;
			parse_nest(a, stat_rules, UNAT_A_STAT_MAX, s);
			if (!s[UNAT_A_STAT_NAME] || !s[UNAT_A_STAT_VALUE])
				continue;
			json_kv_u64(j, mnl_attr_get_str(s[UNAT_A_STAT_NAME]),
				    mnl_attr_get_u64(s[UNAT_A_STAT_VALUE]));
		}
	}
	json_obj_close(j);
	/* the device's object is closed by unat_print_dev_close() */
}

/* The device's forwards: "    forwards:" in text, "forwards": [ in JSON */
static void fwd_block_start(struct unat_out *out)
{
	if (out->fwd_started)
		return;
	out->fwd_started = true;
	if (out->json) {
		json_key(&out->j, "forwards");
		json_arr_open(&out->j);
	} else {
		fputs("    forwards:\n", out->f);
	}
}

/* The first half of unat_print_dev(): all but the device's end. */
int unat_print_dev_open(const struct nlmsghdr *nlh, void *data)
{
	struct unat_out *out = data;
	struct dev_info d;
	const struct nlattr *a;

	memset(&d, 0, sizeof(d));
	parse_msg(nlh, dev_rules, UNAT_A_DEV_MAX, d.tb);
	if (d.tb[UNAT_A_DEV_IFNAME])
		snprintf(d.ifname, sizeof(d.ifname), "%s",
			 mnl_attr_get_str(d.tb[UNAT_A_DEV_IFNAME]));
	else if (!d.tb[UNAT_A_DEV_IFINDEX] ||
		 !if_indextoname(mnl_attr_get_u32(d.tb[UNAT_A_DEV_IFINDEX]),
				 d.ifname))
		snprintf(d.ifname, sizeof(d.ifname), "?");

	if (d.tb[UNAT_A_DEV_DNS]) {
		mnl_attr_for_each_nested(a, d.tb[UNAT_A_DEV_DNS]) {
			if (mnl_attr_get_type(a) != UNAT_A_DNS_SERVER ||
			    d.n_dns == (int)ARRAY_SIZE(d.dns))
				continue;
			if (get_endpoint(a, &d.dns[d.n_dns]))
				d.n_dns++;
		}
	}

	out_start(out);
	if (out->json)
		dev_json(&out->j, &d);
	else
		dev_text(out->f, &d);
	out->count++;
	out->in_dev = true;
	out->fwd_started = false;
	out->ifindex = d.tb[UNAT_A_DEV_IFINDEX] ?
		       mnl_attr_get_u32(d.tb[UNAT_A_DEV_IFINDEX]) : 0;
	memcpy(out->ifname, d.ifname, sizeof(out->ifname));
	return 0;
}

void unat_print_dev_close(struct unat_out *out, bool fwd_ok)
{
	if (out->json) {
		if (fwd_ok)
			fwd_block_start(out);
		if (out->fwd_started)
			json_arr_close(&out->j);
		json_obj_close(&out->j);
	}
	out->in_dev = false;
	out->fwd_started = false;
}

/* unat_msg_cb for UNAT_CMD_DEV_GET answers. */
int unat_print_dev(const struct nlmsghdr *nlh, void *data)
{
	int ret = unat_print_dev_open(nlh, data);

	unat_print_dev_close(data, false);
	return ret;
}

/* --- flows ---------------------------------------------------------------- */

static const char *const proto_names[] = {
	[IPPROTO_ICMP]	= "icmp",
	[IPPROTO_TCP]	= "tcp",
	[IPPROTO_UDP]	= "udp",
	[IPPROTO_ICMPV6] = "icmp6",
};

static const char *const kind_names[] = {
	[UNAT_FLOW_KIND_NAT]	= "nat",
	[UNAT_FLOW_KIND_DNS]	= "dns",
	[UNAT_FLOW_KIND_HOST]	= "host",
	[UNAT_FLOW_KIND_FWD]	= "fwd",
};

static const char *const state_names[] = {
	[UNAT_FLOW_OPENING]	= "opening",
	[UNAT_FLOW_OPEN]	= "open",
	[UNAT_FLOW_CLOSING]	= "closing",
	[UNAT_FLOW_FAILED]	= "failed",
};

static const char *const tcp_state_names[] = {
	[UNAT_FLOW_TCP_CONNECTING]	= "connect",
	[UNAT_FLOW_TCP_SYN_SENT]	= "synsent",
	[UNAT_FLOW_TCP_ESTABLISHED]	= "estab",
	[UNAT_FLOW_TCP_FIN_IN]		= "fin-in",
	[UNAT_FLOW_TCP_FIN_OUT]		= "fin-out",
	[UNAT_FLOW_TCP_CLOSING]		= "closing",
	[UNAT_FLOW_TCP_CLOSED]		= "closed",
	[UNAT_FLOW_TCP_SYN_OUT]		= "synout",
};

/* The name of a u8 attribute's value, its number if it has none. */
static const char *u8_name(const struct nlattr *a, const char *const *names,
			   size_t n, char *buf, size_t len)
{
	uint8_t v;

	if (!a)
		return NULL;
	v = mnl_attr_get_u8(a);
	if (v < n && names[v])
		return names[v];
	snprintf(buf, len, "%u", v);
	return buf;
}

#define FLOW_FMT "%-5s %-4s %-7s %-21s %-21s %-21s %7s %7s %9s %11s %9s %11s\n"

static void flows_header(FILE *f)
{
	fprintf(f, FLOW_FMT, "PROTO", "KIND", "STATE", "GUEST", "REMOTE",
		"HOST", "AGE", "IDLE", "PKTS_OUT", "BYTES_OUT", "PKTS_IN",
		"BYTES_IN");
}

static const char *u64_str(const struct nlattr *a, char *buf, size_t len)
{
	if (!a)
		return "-";
	snprintf(buf, len, "%" PRIu64, mnl_attr_get_u64(a));
	return buf;
}

/* milliseconds as seconds with one decimal */
static const char *ms_str(const struct nlattr *a, char *buf, size_t len)
{
	uint64_t ms;

	if (!a)
		return "-";
	ms = mnl_attr_get_u64(a);
	snprintf(buf, len, "%" PRIu64 ".%" PRIu64, ms / 1000, ms % 1000 / 100);
	return buf;
}

static const char *ep_str(const struct nlattr *nest, const char *none,
			  char *buf, size_t len)
{
	struct unat_endpoint ep;

	if (!get_endpoint(nest, &ep))
		return none;
	return unat_endpoint_str(&ep, buf, len);
}

static void flow_text(FILE *f, const struct nlattr **tb)
{
	char proto[4], kind[4], state[4], n[6][24];
	char guest[UNAT_ENDPOINT_STRLEN], remote[UNAT_ENDPOINT_STRLEN];
	char host[UNAT_ENDPOINT_STRLEN];
	const char *p, *k, *s;

	p = u8_name(tb[UNAT_A_FLOW_PROTO], proto_names, ARRAY_SIZE(proto_names),
		    proto, sizeof(proto));
	k = u8_name(tb[UNAT_A_FLOW_KIND], kind_names, ARRAY_SIZE(kind_names),
		    kind, sizeof(kind));
	/* a TCP flow's state is its connection's */
	if (tb[UNAT_A_FLOW_TCP_STATE])
		s = u8_name(tb[UNAT_A_FLOW_TCP_STATE], tcp_state_names,
			    ARRAY_SIZE(tcp_state_names), state, sizeof(state));
	else
		s = u8_name(tb[UNAT_A_FLOW_STATE], state_names,
			    ARRAY_SIZE(state_names), state, sizeof(state));
	fprintf(f, FLOW_FMT, p ? p : "-", k ? k : "-", s ? s : "-",
		ep_str(tb[UNAT_A_FLOW_GUEST], "-", guest, sizeof(guest)),
		ep_str(tb[UNAT_A_FLOW_REMOTE], "*", remote, sizeof(remote)),
		ep_str(tb[UNAT_A_FLOW_HOST], "-", host, sizeof(host)),
		ms_str(tb[UNAT_A_FLOW_AGE], n[0], sizeof(n[0])),
		ms_str(tb[UNAT_A_FLOW_IDLE], n[1], sizeof(n[1])),
		u64_str(tb[UNAT_A_FLOW_PKTS_OUT], n[2], sizeof(n[2])),
		u64_str(tb[UNAT_A_FLOW_BYTES_OUT], n[3], sizeof(n[3])),
		u64_str(tb[UNAT_A_FLOW_PKTS_IN], n[4], sizeof(n[4])),
		u64_str(tb[UNAT_A_FLOW_BYTES_IN], n[5], sizeof(n[5])));
}

/* A named value as its name, an unnamed one as its number, absent: null. */
static void json_u8_name(struct json *j, const char *key,
			 const struct nlattr *a, const char *const *names,
			 size_t n)
{
	uint8_t v;

	json_key(j, key);
	if (!a) {
		json_null(j);
		return;
	}
	v = mnl_attr_get_u8(a);
	if (v < n && names[v])
		json_str(j, names[v]);
	else
		json_u64(j, v);
}

static void json_ep(struct json *j, const char *key, const struct nlattr *nest)
{
	char buf[UNAT_ENDPOINT_STRLEN];
	struct unat_endpoint ep;

	json_key(j, key);
	if (get_endpoint(nest, &ep))
		json_str(j, unat_endpoint_str(&ep, buf, sizeof(buf)));
	else
		json_null(j);
}

static void json_u64_attr(struct json *j, const char *key,
			  const struct nlattr *a)
{
	json_key(j, key);
	if (a)
		json_u64(j, mnl_attr_get_u64(a));
	else
		json_null(j);
}

static void flow_json(struct json *j, const struct nlattr **tb)
{
	json_obj_open(j);
	json_u8_name(j, "proto", tb[UNAT_A_FLOW_PROTO], proto_names,
		     ARRAY_SIZE(proto_names));
	json_u8_name(j, "kind", tb[UNAT_A_FLOW_KIND], kind_names,
		     ARRAY_SIZE(kind_names));
	json_u8_name(j, "state", tb[UNAT_A_FLOW_STATE], state_names,
		     ARRAY_SIZE(state_names));
	if (tb[UNAT_A_FLOW_TCP_STATE])
		json_u8_name(j, "tcp_state", tb[UNAT_A_FLOW_TCP_STATE],
			     tcp_state_names, ARRAY_SIZE(tcp_state_names));
	json_ep(j, "guest", tb[UNAT_A_FLOW_GUEST]);
	json_ep(j, "remote", tb[UNAT_A_FLOW_REMOTE]);
	json_ep(j, "host", tb[UNAT_A_FLOW_HOST]);
	json_u64_attr(j, "age_ms", tb[UNAT_A_FLOW_AGE]);
	json_u64_attr(j, "idle_ms", tb[UNAT_A_FLOW_IDLE]);
	json_u64_attr(j, "pkts_out", tb[UNAT_A_FLOW_PKTS_OUT]);
	json_u64_attr(j, "bytes_out", tb[UNAT_A_FLOW_BYTES_OUT]);
	json_u64_attr(j, "pkts_in", tb[UNAT_A_FLOW_PKTS_IN]);
	json_u64_attr(j, "bytes_in", tb[UNAT_A_FLOW_BYTES_IN]);
	json_obj_close(j);
}

/* unat_msg_cb for UNAT_CMD_FLOW_GET answers. */
int unat_print_flow(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[UNAT_A_FLOW_MAX + 1];
	struct unat_out *out = data;

	parse_msg(nlh, flow_rules, UNAT_A_FLOW_MAX, tb);
	out_start(out);
	if (out->json)
		flow_json(&out->j, tb);
	else
		flow_text(out->f, tb);
	out->count++;
	return 0;
}

/* --- forwards --------------------------------------------------------------- */

/* A forward, the absent attributes as the kernel takes them in requests. */
struct fwd_info {
	const struct nlattr *proto_attr;
	const char *proto;		/* NULL: absent */
	char proto_buf[4];
	int family;			/* AF_INET6: ADDR6 was given */
	char addr[INET6_ADDRSTRLEN];
	unsigned int port, guest_port, count;
	bool gateway_source;
};

static void get_fwd(const struct nlattr **tb, struct fwd_info *fw)
{
	const struct nlattr *ep[UNAT_A_ENDPOINT_MAX + 1] = { NULL };
	struct in6_addr addr6;
	struct in_addr addr = { 0 };

	memset(fw, 0, sizeof(*fw));
	fw->proto_attr = tb[UNAT_A_FWD_PROTO];
	fw->proto = u8_name(tb[UNAT_A_FWD_PROTO], proto_names,
			    ARRAY_SIZE(proto_names), fw->proto_buf,
			    sizeof(fw->proto_buf));
	if (tb[UNAT_A_FWD_HOST])
		parse_nest(tb[UNAT_A_FWD_HOST], endpoint_rules,
			   UNAT_A_ENDPOINT_MAX, ep);
	/* ADDR6 makes an IPv6 forward; no address is every IPv4 one */
	if (ep[UNAT_A_ENDPOINT_ADDR6] && !ep[UNAT_A_ENDPOINT_ADDR4]) {
		fw->family = AF_INET6;
		memcpy(&addr6, mnl_attr_get_payload(ep[UNAT_A_ENDPOINT_ADDR6]),
		       sizeof(addr6));
		inet_ntop(AF_INET6, &addr6, fw->addr, sizeof(fw->addr));
	} else {
		fw->family = AF_INET;
		if (ep[UNAT_A_ENDPOINT_ADDR4])
			memcpy(&addr,
			       mnl_attr_get_payload(ep[UNAT_A_ENDPOINT_ADDR4]),
			       sizeof(addr));
		inet_ntop(AF_INET, &addr, fw->addr, sizeof(fw->addr));
	}
	if (ep[UNAT_A_ENDPOINT_PORT])
		fw->port = mnl_attr_get_u16(ep[UNAT_A_ENDPOINT_PORT]);
	if (tb[UNAT_A_FWD_GUEST_PORT])
		fw->guest_port = mnl_attr_get_u16(tb[UNAT_A_FWD_GUEST_PORT]);
	if (!fw->guest_port)
		fw->guest_port = fw->port;
	if (tb[UNAT_A_FWD_COUNT])
		fw->count = mnl_attr_get_u16(tb[UNAT_A_FWD_COUNT]);
	if (!fw->count)
		fw->count = 1;
	if (tb[UNAT_A_FWD_FLAGS])
		fw->gateway_source = mnl_attr_get_u32(tb[UNAT_A_FWD_FLAGS]) &
				     UNAT_FWD_F_GATEWAY_SOURCE;
}

/* "P" or "P-Q" */
static const char *ports_str(unsigned int first, unsigned int count,
			     char *buf, size_t len)
{
	if (count > 1)
		snprintf(buf, len, "%u-%u", first, first + count - 1);
	else
		snprintf(buf, len, "%u", first);
	return buf;
}

/*
 * "tcp 0.0.0.0:8000-8009 -> 9000-9009 source gateway",
 * "tcp [::]:8080 -> 80 source client"
 */
static void fwd_text(FILE *f, const struct fwd_info *fw, const char *indent)
{
	bool v6 = fw->family == AF_INET6;
	char host[16], guest[16];

	fprintf(f, "%s%s %s%s%s:%s -> %s source %s\n", indent,
		fw->proto ? fw->proto : "-", v6 ? "[" : "", fw->addr,
		v6 ? "]" : "",
		ports_str(fw->port, fw->count, host, sizeof(host)),
		ports_str(fw->guest_port, fw->count, guest, sizeof(guest)),
		fw->gateway_source ? "gateway" : "client");
}

/*
 * "host" is the bare address, "0.0.0.0" or "::" for every one of its
 * family, which a script tells by its form.
 */
static void fwd_json(struct json *j, const struct fwd_info *fw)
{
	json_obj_open(j);
	json_u8_name(j, "proto", fw->proto_attr, proto_names,
		     ARRAY_SIZE(proto_names));
	json_kv_str(j, "host", fw->addr);
	json_kv_u64(j, "port", fw->port);
	json_kv_u64(j, "guest_port", fw->guest_port);
	json_kv_u64(j, "count", fw->count);
	json_kv_str(j, "source", fw->gateway_source ? "gateway" : "client");
	json_obj_close(j);
}

/*
 * unat_msg_cb for UNAT_CMD_FWD_GET and UNAT_CMD_FWD_ADD answers: a line or
 * an object, in the device's "forwards" block while one is open.
 */
int unat_print_fwd(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[UNAT_A_FWD_MAX + 1];
	struct unat_out *out = data;
	struct fwd_info fw;

	if (out->single && out->count)
		return 0;		/* one object only */
	parse_msg(nlh, fwd_rules, UNAT_A_FWD_MAX, tb);
	get_fwd(tb, &fw);
	if (out->in_dev)
		fwd_block_start(out);
	else
		out_start(out);
	if (out->json)
		fwd_json(&out->j, &fw);
	else
		fwd_text(out->f, &fw, out->in_dev ? "        " : "");
	if (!out->in_dev)
		out->count++;
	return 0;
}
