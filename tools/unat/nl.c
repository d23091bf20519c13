// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink side: building requests, looking up the family, running a
 * request or a dump to its end, and decoding the kernel's extended acks
 * into words (message, offending attribute, valid range).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>

#include "cli.h"

struct nlmsghdr *unat_msg_start(void *buf, uint16_t type, uint8_t cmd,
				uint16_t flags)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = UNAT_GENL_VERSION;
	return nlh;
}

void unat_put_endpoint(struct nlmsghdr *nlh, uint16_t type,
		       const struct unat_endpoint *ep)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	if (ep->family == AF_INET)
		mnl_attr_put(nlh, UNAT_A_ENDPOINT_ADDR4, sizeof(ep->addr.v4),
			     &ep->addr.v4);
	else
		mnl_attr_put(nlh, UNAT_A_ENDPOINT_ADDR6, sizeof(ep->addr.v6),
			     &ep->addr.v6);
	if (ep->port)
		mnl_attr_put_u16(nlh, UNAT_A_ENDPOINT_PORT, ep->port);
	mnl_attr_nest_end(nlh, nest);
}

void unat_put_set(struct nlmsghdr *nlh, const struct unat_set_req *req)
{
	int i;

	mnl_attr_put_strz(nlh, UNAT_A_DEV_IFNAME, req->ifname);
	if (req->has_dns) {
		/* an empty nest removes every upstream */
		struct nlattr *nest = mnl_attr_nest_start(nlh, UNAT_A_DEV_DNS);

		for (i = 0; i < req->n_dns; i++)
			unat_put_endpoint(nlh, UNAT_A_DNS_SERVER, &req->dns[i]);
		mnl_attr_nest_end(nlh, nest);
	}
	if (req->has_udp_timeout)
		mnl_attr_put_u32(nlh, UNAT_A_DEV_UDP_TIMEOUT, req->udp_timeout);
	if (req->has_tcp_timeout)
		mnl_attr_put_u32(nlh, UNAT_A_DEV_TCP_TIMEOUT, req->tcp_timeout);
	if (req->has_flow_limit)
		mnl_attr_put_u32(nlh, UNAT_A_DEV_FLOW_LIMIT, req->flow_limit);
	if (req->has_connect_limit)
		mnl_attr_put_u32(nlh, UNAT_A_DEV_CONNECT_LIMIT,
				 req->connect_limit);
	if (req->has_port_share)
		mnl_attr_put_u8(nlh, UNAT_A_DEV_PORT_SHARE, req->port_share);
	if (req->has_queue_limit)
		mnl_attr_put_u32(nlh, UNAT_A_DEV_QUEUE_LIMIT, req->queue_limit);
	if (req->has_hostloop)
		mnl_attr_put_u8(nlh, UNAT_A_DEV_HOSTLOOP, req->hostloop);
	if (req->has_restrict)
		mnl_attr_put_u8(nlh, UNAT_A_DEV_RESTRICT, req->restricted);
	if (req->domain)
		mnl_attr_put_strz(nlh, UNAT_A_DEV_DOMAIN, req->domain);
	if (req->search)
		mnl_attr_put_strz(nlh, UNAT_A_DEV_SEARCH, req->search);
}

void unat_put_fwd(struct nlmsghdr *nlh, const struct unat_fwd_req *req,
		  bool del)
{
	const struct unat_fwd_spec *f = &req->spec;
	struct nlattr *nest;

	mnl_attr_put_strz(nlh, UNAT_A_FWD_IFNAME, req->ifname);
	mnl_attr_put_u8(nlh, UNAT_A_FWD_PROTO, f->proto);
	nest = mnl_attr_nest_start(nlh, UNAT_A_FWD_HOST);
	/* ADDR6, even "::", is what makes an IPv6 forward */
	if (f->family == AF_INET6)
		mnl_attr_put(nlh, UNAT_A_ENDPOINT_ADDR6, sizeof(f->addr6),
			     &f->addr6);
	else if (f->has_addr)
		mnl_attr_put(nlh, UNAT_A_ENDPOINT_ADDR4, sizeof(f->addr),
			     &f->addr);
	mnl_attr_put_u16(nlh, UNAT_A_ENDPOINT_PORT, f->port);
	mnl_attr_nest_end(nlh, nest);
	if (del)
		return;
	mnl_attr_put_u16(nlh, UNAT_A_FWD_GUEST_PORT, f->guest_port);
	mnl_attr_put_u16(nlh, UNAT_A_FWD_COUNT, f->count);
	mnl_attr_put_u32(nlh, UNAT_A_FWD_FLAGS, req->flags);
}

/* --- attribute names, for the kernel's error reports ------------------- */

struct attr_space {
	const char *const *names;
	unsigned int max;
	const struct attr_space *const *nests;	/* NULL: no nests */
};

static const char *const endpoint_names[UNAT_A_ENDPOINT_MAX + 1] = {
	[UNAT_A_ENDPOINT_ADDR4]	= "addr4",
	[UNAT_A_ENDPOINT_ADDR6]	= "addr6",
	[UNAT_A_ENDPOINT_PORT]	= "port",
};

static const struct attr_space endpoint_space = {
	endpoint_names, UNAT_A_ENDPOINT_MAX, NULL
};

static const char *const dns_names[UNAT_A_DNS_MAX + 1] = {
	[UNAT_A_DNS_SERVER]	= "server",
};

static const struct attr_space *const dns_nests[UNAT_A_DNS_MAX + 1] = {
	[UNAT_A_DNS_SERVER]	= &endpoint_space,
};

static const struct attr_space dns_space = {
	dns_names, UNAT_A_DNS_MAX, dns_nests
};

static const char *const stat_names[UNAT_A_STAT_MAX + 1] = {
	[UNAT_A_STAT_NAME]	= "name",
	[UNAT_A_STAT_VALUE]	= "value",
	[UNAT_A_STAT_PAD]	= "pad",
};

static const struct attr_space stat_space = {
	stat_names, UNAT_A_STAT_MAX, NULL
};

static const char *const stats_names[UNAT_A_STATS_MAX + 1] = {
	[UNAT_A_STATS_ENTRY]	= "entry",
};

static const struct attr_space *const stats_nests[UNAT_A_STATS_MAX + 1] = {
	[UNAT_A_STATS_ENTRY]	= &stat_space,
};

static const struct attr_space stats_space = {
	stats_names, UNAT_A_STATS_MAX, stats_nests
};

static const char *const dev_names[UNAT_A_DEV_MAX + 1] = {
	[UNAT_A_DEV_IFINDEX]	= "ifindex",
	[UNAT_A_DEV_IFNAME]	= "ifname",
	[UNAT_A_DEV_DNS]	= "dns",
	[UNAT_A_DEV_UDP_TIMEOUT] = "udp-timeout",
	[UNAT_A_DEV_TCP_TIMEOUT] = "tcp-timeout",
	[UNAT_A_DEV_FLOW_LIMIT]	= "flow-limit",
	[UNAT_A_DEV_FLOW_COUNT]	= "flow-count",
	[UNAT_A_DEV_CONNECT_LIMIT] = "connect-limit",
	[UNAT_A_DEV_CONNECT_COUNT] = "connect-count",
	[UNAT_A_DEV_PORT_SHARE]	= "port-share",
	[UNAT_A_DEV_PORT_COUNT]	= "port-count",
	[UNAT_A_DEV_PORT_CAP]	= "port-cap",
	[UNAT_A_DEV_QUEUE_LIMIT] = "queue-limit",
	[UNAT_A_DEV_QUEUE_BYTES] = "queue-bytes",
	[UNAT_A_DEV_QUEUE_PEAK]	= "queue-peak",
	[UNAT_A_DEV_HOSTLOOP]	= "hostloop",
	[UNAT_A_DEV_RESTRICT]	= "restrict",
	[UNAT_A_DEV_DOMAIN]	= "domain",
	[UNAT_A_DEV_SEARCH]	= "search",
	[UNAT_A_DEV_STATS]	= "stats",
	[UNAT_A_DEV_PAD]	= "pad",
};

static const struct attr_space *const dev_nests[UNAT_A_DEV_MAX + 1] = {
	[UNAT_A_DEV_DNS]	= &dns_space,
	[UNAT_A_DEV_STATS]	= &stats_space,
};

static const struct attr_space dev_space = {
	dev_names, UNAT_A_DEV_MAX, dev_nests
};

static const char *const flow_names[UNAT_A_FLOW_MAX + 1] = {
	[UNAT_A_FLOW_IFINDEX]	= "ifindex",
	[UNAT_A_FLOW_IFNAME]	= "ifname",
	[UNAT_A_FLOW_PROTO]	= "proto",
	[UNAT_A_FLOW_GUEST]	= "guest",
	[UNAT_A_FLOW_REMOTE]	= "remote",
	[UNAT_A_FLOW_HOST]	= "host",
	[UNAT_A_FLOW_STATE]	= "state",
	[UNAT_A_FLOW_AGE]	= "age",
	[UNAT_A_FLOW_IDLE]	= "idle",
	[UNAT_A_FLOW_PKTS_OUT]	= "pkts-out",
	[UNAT_A_FLOW_BYTES_OUT]	= "bytes-out",
	[UNAT_A_FLOW_PKTS_IN]	= "pkts-in",
	[UNAT_A_FLOW_BYTES_IN]	= "bytes-in",
	[UNAT_A_FLOW_KIND]	= "kind",
	[UNAT_A_FLOW_TCP_STATE]	= "tcp-state",
	[UNAT_A_FLOW_PAD]	= "pad",
};

static const struct attr_space *const flow_nests[UNAT_A_FLOW_MAX + 1] = {
	[UNAT_A_FLOW_GUEST]	= &endpoint_space,
	[UNAT_A_FLOW_REMOTE]	= &endpoint_space,
	[UNAT_A_FLOW_HOST]	= &endpoint_space,
};

static const struct attr_space flow_space = {
	flow_names, UNAT_A_FLOW_MAX, flow_nests
};

static const char *const fwd_names[UNAT_A_FWD_MAX + 1] = {
	[UNAT_A_FWD_IFINDEX]	= "ifindex",
	[UNAT_A_FWD_IFNAME]	= "ifname",
	[UNAT_A_FWD_PROTO]	= "proto",
	[UNAT_A_FWD_HOST]	= "host",
	[UNAT_A_FWD_GUEST_PORT]	= "guest-port",
	[UNAT_A_FWD_COUNT]	= "count",
	[UNAT_A_FWD_FLAGS]	= "flags",
};

static const struct attr_space *const fwd_nests[UNAT_A_FWD_MAX + 1] = {
	[UNAT_A_FWD_HOST]	= &endpoint_space,
};

static const struct attr_space fwd_space = {
	fwd_names, UNAT_A_FWD_MAX, fwd_nests
};

/* The attributes at the top of a request, by its command. */
static const struct attr_space *request_space(const struct nlmsghdr *req)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(req);

	if (req->nlmsg_type == GENL_ID_CTRL)
		return NULL;
	switch (genl->cmd) {
	case UNAT_CMD_DEV_GET:
	case UNAT_CMD_DEV_SET:
		return &dev_space;
	case UNAT_CMD_FLOW_GET:
		return &flow_space;
	case UNAT_CMD_FWD_ADD:
	case UNAT_CMD_FWD_DEL:
	case UNAT_CMD_FWD_GET:
		return &fwd_space;
	}
	return NULL;
}

static void path_add(char *path, size_t len, const struct attr_space *sp,
		     unsigned int type)
{
	size_t n = strlen(path);

	if (sp && type <= sp->max && sp->names[type])
		snprintf(path + n, len - n, "%s%s", n ? "." : "",
			 sp->names[type]);
	else
		snprintf(path + n, len - n, "%s#%u", n ? "." : "", type);
}

/*
 * Finds the attribute that starts at offset off of the request (base),
 * among the attributes from a to end and the nests below them. Writes its
 * dotted name to path, and the space of the attributes nested in it to
 * *inner. Returns false if no attribute starts there.
 */
static bool attr_at(const struct attr_space *sp, const char *base,
		    const struct nlattr *a, const char *end, uint32_t off,
		    char *path, size_t len, const struct attr_space **inner)
{
	while ((const char *)a + sizeof(*a) <= end &&
	       a->nla_len >= sizeof(*a) &&
	       (const char *)a + a->nla_len <= end) {
		uint32_t start = (const char *)a - base;
		unsigned int type = a->nla_type & NLA_TYPE_MASK;
		const struct attr_space *sub = NULL;

		if (sp && sp->nests && type <= sp->max)
			sub = sp->nests[type];
		if (off >= start && off < start + a->nla_len) {
			path_add(path, len, sp, type);
			if (off == start) {
				*inner = sub;
				return true;
			}
			if (!sub)
				return false;
			return attr_at(sub, base, mnl_attr_get_payload(a),
				       (const char *)a + a->nla_len, off, path,
				       len, inner);
		}
		a = (const struct nlattr *)((const char *)a +
					    MNL_ALIGN(a->nla_len));
	}
	return false;
}

static bool request_attr(const struct nlmsghdr *req, uint32_t off,
			 char *path, size_t len,
			 const struct attr_space **inner)
{
	const char *base = (const char *)req;
	size_t hdr = MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct genlmsghdr));

	path[0] = '\0';
	if (!req || off < hdr || off >= req->nlmsg_len)
		return false;
	return attr_at(request_space(req), base,
		       (const struct nlattr *)(base + hdr),
		       base + req->nlmsg_len, off, path, len, inner);
}

/* "valid range 1-86400", "at most 253 bytes": what the policy allows. */
static void policy_str(const struct nlattr *policy, char *buf, size_t len)
{
	const struct nlattr *a;
	bool has_umin = false, has_umax = false, has_smin = false;
	bool has_smax = false;
	uint64_t umin = 0, umax = 0, minlen = 0, maxlen = 0;
	int64_t smin = 0, smax = 0;

	buf[0] = '\0';
	mnl_attr_for_each_nested(a, policy) {
		uint16_t plen = mnl_attr_get_payload_len(a);
		uint64_t v = plen == 8 ? mnl_attr_get_u64(a) :
			     plen == 4 ? mnl_attr_get_u32(a) : 0;

		if (plen != 8 && plen != 4)
			continue;
		switch (mnl_attr_get_type(a)) {
		case NL_POLICY_TYPE_ATTR_MIN_VALUE_U:
			has_umin = true;
			umin = v;
			break;
		case NL_POLICY_TYPE_ATTR_MAX_VALUE_U:
			has_umax = true;
			umax = v;
			break;
		case NL_POLICY_TYPE_ATTR_MIN_VALUE_S:
			has_smin = true;
			smin = (int64_t)v;
			break;
		case NL_POLICY_TYPE_ATTR_MAX_VALUE_S:
			has_smax = true;
			smax = (int64_t)v;
			break;
		case NL_POLICY_TYPE_ATTR_MIN_LENGTH:
			minlen = v;
			break;
		case NL_POLICY_TYPE_ATTR_MAX_LENGTH:
			maxlen = v;
			break;
		}
	}
	/* the whole range of the type says nothing */
	if (has_umin && has_umax &&
	    !(umin == 0 && (umax == UINT8_MAX || umax == UINT16_MAX ||
			    umax == UINT32_MAX || umax == UINT64_MAX)))
		snprintf(buf, len, "valid range %llu-%llu",
			 (unsigned long long)umin, (unsigned long long)umax);
	else if (has_smin && has_smax &&
		 !(smin == -smax - 1 &&
		   (smax == INT8_MAX || smax == INT16_MAX ||
		    smax == INT32_MAX || smax == INT64_MAX)))
		snprintf(buf, len, "valid range %lld-%lld", (long long)smin,
			 (long long)smax);
	else if (maxlen && minlen == maxlen)
		snprintf(buf, len, "length %llu", (unsigned long long)maxlen);
	else if (maxlen)
		snprintf(buf, len, "at most %llu bytes",
			 (unsigned long long)maxlen);
}

/*
 * The extended ack of an NLMSG_ERROR or NLMSG_DONE message, in words:
 * "MSG (attribute PATH, valid range A-B)", "missing attribute PATH", or ""
 * when the kernel said nothing beyond the error number. req is the request
 * it answers, to name attributes by their offsets.
 */
void unat_extack_str(const struct nlmsghdr *req, const struct nlmsghdr *nlh,
		     char *buf, size_t len)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = { NULL };
	const struct attr_space *inner = NULL;
	const char *payload = mnl_nlmsg_get_payload(nlh);
	size_t plen = mnl_nlmsg_get_payload_len(nlh), hlen;
	char attr[128], detail[256], range[64];
	const struct nlattr *a;
	size_t n;
	int rem;

	buf[0] = '\0';
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = (const struct nlmsgerr *)payload;

		hlen = sizeof(*e);
		if (plen < hlen)
			return;
		/* unless capped, the request follows, then the TLVs */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			if (e->msg.nlmsg_len < sizeof(struct nlmsghdr))
				return;
			hlen += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
		}
	} else {
		hlen = sizeof(int);	/* NLMSG_DONE: the error number */
	}
	hlen = MNL_ALIGN(hlen);
	if (plen < hlen)
		return;
	a = (const struct nlattr *)(payload + hlen);
	for (rem = plen - hlen; mnl_attr_ok(a, rem);
	     rem -= MNL_ALIGN(a->nla_len), a = mnl_attr_next(a)) {
		unsigned int type = mnl_attr_get_type(a);

		if (type <= NLMSGERR_ATTR_MAX)
			tb[type] = a;
	}

	detail[0] = '\0';
	if (tb[NLMSGERR_ATTR_OFFS] &&
	    mnl_attr_get_payload_len(tb[NLMSGERR_ATTR_OFFS]) == 4 &&
	    request_attr(req, mnl_attr_get_u32(tb[NLMSGERR_ATTR_OFFS]), attr,
			 sizeof(attr), &inner))
		snprintf(detail, sizeof(detail), "attribute %s", attr);
	if (tb[NLMSGERR_ATTR_MISS_TYPE] &&
	    mnl_attr_get_payload_len(tb[NLMSGERR_ATTR_MISS_TYPE]) == 4) {
		unsigned int type = mnl_attr_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
		const struct nlattr *nest = tb[NLMSGERR_ATTR_MISS_NEST];

		/* missing at the top, or inside the nest at MISS_NEST */
		attr[0] = '\0';
		inner = req ? request_space(req) : NULL;
		if (nest && mnl_attr_get_payload_len(nest) == 4 &&
		    !request_attr(req, mnl_attr_get_u32(nest), attr,
				  sizeof(attr), &inner)) {
			attr[0] = '\0';
			inner = NULL;
		}
		path_add(attr, sizeof(attr), inner, type);
		n = strlen(detail);
		snprintf(detail + n, sizeof(detail) - n, "%smissing attribute %s",
			 n ? ", " : "", attr);
	}
	if (tb[NLMSGERR_ATTR_POLICY]) {
		policy_str(tb[NLMSGERR_ATTR_POLICY], range, sizeof(range));
		n = strlen(detail);
		if (range[0])
			snprintf(detail + n, sizeof(detail) - n, "%s%s",
				 n ? ", " : "", range);
	}

	a = tb[NLMSGERR_ATTR_MSG];
	if (a && mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0 &&
	    *mnl_attr_get_str(a)) {
		snprintf(buf, len, detail[0] ? "%s (%s)" : "%s%s",
			 mnl_attr_get_str(a), detail);
	} else {
		snprintf(buf, len, "%s", detail);
	}
}

/* --- requests ------------------------------------------------------------ */

/*
 * Sends req and reads its answers to the end: the ack of a request (which
 * gets NLM_F_ACK here), or NLMSG_DONE of a dump. cb sees every message of
 * the family. Returns 0 or a negative errno (the kernel's, cb's, or the
 * socket's); a kernel error leaves its extended ack in nl->errmsg.
 */
int unat_nl_talk(struct unat_nl *nl, struct nlmsghdr *req, unat_msg_cb cb,
		 void *data)
{
	bool dump = req->nlmsg_flags & NLM_F_DUMP;
	int cb_err = 0;

	nl->errmsg[0] = '\0';
	if (!dump)
		req->nlmsg_flags |= NLM_F_ACK;
	req->nlmsg_seq = ++nl->seq;
	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0)
		return -errno;

	for (;;) {
		const struct nlmsghdr *nlh;
		ssize_t ret;
		int n;

		ret = mnl_socket_recvfrom(nl->sock, nl->buf, UNAT_RECV_SIZE);
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		n = ret;
		for (nlh = nl->buf; mnl_nlmsg_ok(nlh, n);
		     nlh = mnl_nlmsg_next(nlh, &n)) {
			const void *p = mnl_nlmsg_get_payload(nlh);
			size_t plen = mnl_nlmsg_get_payload_len(nlh);
			int err = 0;

			if (nlh->nlmsg_seq != req->nlmsg_seq)
				continue;	/* a late answer to another */
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				nl->dump_intr = true;

			switch (nlh->nlmsg_type) {
			case NLMSG_NOOP:
				continue;
			case NLMSG_OVERRUN:
				return -EIO;
			case NLMSG_ERROR:
				if (plen < sizeof(struct nlmsgerr))
					return -EBADMSG;
				err = ((const struct nlmsgerr *)p)->error;
				break;
			case NLMSG_DONE:
				if (plen >= sizeof(int))
					memcpy(&err, p, sizeof(err));
				break;
			default:
				if (nlh->nlmsg_type >= NLMSG_MIN_TYPE && cb &&
				    !cb_err)
					cb_err = cb(nlh, data);
				continue;
			}
			/* the end: an ack, an error, or NLMSG_DONE */
			if (err < 0) {
				unat_extack_str(req, nlh, nl->errmsg,
						sizeof(nl->errmsg));
				return err;
			}
			return cb_err;
		}
		if (n > 0)
			return -EBADMSG;	/* a truncated message */
	}
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct unat_nl *nl = data;
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID &&
		    mnl_attr_validate(a, MNL_TYPE_U16) == 0)
			nl->family = mnl_attr_get_u16(a);
	}
	return 0;
}

int unat_nl_open(struct unat_nl *nl)
{
	char req[UNAT_REQ_SIZE];
	struct nlmsghdr *nlh;
	int one = 1, err;

	memset(nl, 0, sizeof(*nl));
	nl->buf = malloc(UNAT_RECV_SIZE);
	if (!nl->buf) {
		unat_err("out of memory");
		return -1;
	}
	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock) {
		unat_err("cannot open a generic netlink socket: %s",
			 strerror(errno));
		goto fail;
	}
	/* best effort: older kernels answer without the details */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		unat_err("cannot bind a generic netlink socket: %s",
			 strerror(errno));
		goto fail;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = time(NULL);

	nlh = unat_msg_start(req, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, UNAT_GENL_NAME);
	err = unat_nl_talk(nl, nlh, family_cb, nl);
	if (err == -ENOENT) {
		unat_err("the unat module is not loaded (generic netlink family '%s' not found)",
			 UNAT_GENL_NAME);
		goto fail;
	}
	if (err) {
		unat_nl_report(nl, err, "looking up the generic netlink family");
		goto fail;
	}
	if (!nl->family) {
		unat_err("the kernel's answer to the family lookup has no id");
		goto fail;
	}
	return 0;
fail:
	unat_nl_close(nl);
	return -1;
}

void unat_nl_close(struct unat_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
	free(nl->buf);
	nl->buf = NULL;
}

/* "unat: Error: <kernel's message> (<details>): <strerror>" */
void unat_nl_report(const struct unat_nl *nl, int err, const char *what)
{
	const char *hint = "";

	if (err == -EPERM)
		hint = " (this needs CAP_NET_ADMIN: run it as root)";
	if (nl->errmsg[0])
		unat_err("Error: %s: %s%s", nl->errmsg, strerror(-err), hint);
	else
		unat_err("Error: %s: %s%s", what, strerror(-err), hint);
}
