// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "unat": device configuration and counters,
 * the flow dump and port forwards.  Devices are named by ifindex or name in
 * the caller's netns.  The policies and the op table are rendered from
 * docs/netlink/unat.yaml into netlink-gen.c (tools/ynl-gen.sh); a doit's
 * device is looked up once, by the spec's pre hook, and released by its
 * post hook.
 */
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/netlink.h>
#include <net/sock.h>
#include <uapi/linux/unat.h>

#include "device.h"
#include "flow.h"
#include "fwd.h"
#include "netlink.h"
#include "netlink-gen.h"

static struct genl_family unat_genl_family;

/*
 * The unat device that @ifindex or @ifname names in @net, with a reference.
 * Either may be NULL; with both, they must agree.
 */
static struct net_device *unat_nl_dev_get(struct net *net,
					  const struct nlattr *ifindex,
					  const struct nlattr *ifname,
					  struct netlink_ext_ack *extack)
{
	struct net_device *dev;

	if (!ifindex && !ifname) {
		NL_SET_ERR_MSG(extack, "name the device by ifindex or ifname");
		return ERR_PTR(-EINVAL);
	}
	if (ifindex)
		dev = dev_get_by_index(net, nla_get_u32(ifindex));
	else
		dev = dev_get_by_name(net, nla_data(ifname));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(extack, ifindex ?: ifname, "no such device");
		return ERR_PTR(-ENODEV);
	}
	if (!unat_dev_is_unat(dev)) {
		dev_put(dev);
		NL_SET_ERR_MSG_ATTR(extack, ifindex ?: ifname,
				    "not a unat device");
		return ERR_PTR(-EOPNOTSUPP);
	}
	if (ifindex && ifname && strcmp(dev->name, nla_data(ifname))) {
		dev_put(dev);
		NL_SET_ERR_MSG(extack, "ifindex and ifname name different devices");
		return ERR_PTR(-EINVAL);
	}
	return dev;
}

/*
 * The spec's pre hook of every doit: the device the request names, with a
 * reference, in info->user_ptr[0] until the post hook.  Every attribute
 * set names the device with the same two attribute ids.
 */
int unat_nl_pre_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
		     struct genl_info *info)
{
	struct net_device *dev;

	BUILD_BUG_ON((int)UNAT_A_FWD_IFINDEX != (int)UNAT_A_DEV_IFINDEX ||
		     (int)UNAT_A_FWD_IFNAME != (int)UNAT_A_DEV_IFNAME);
	dev = unat_nl_dev_get(genl_info_net(info),
			      info->attrs[UNAT_A_DEV_IFINDEX],
			      info->attrs[UNAT_A_DEV_IFNAME], info->extack);
	if (IS_ERR(dev))
		return PTR_ERR(dev);
	info->user_ptr[0] = dev;
	return 0;
}

void unat_nl_post_doit(const struct genl_split_ops *ops, struct sk_buff *skb,
		       struct genl_info *info)
{
	dev_put(info->user_ptr[0]);
}

/* As unat_nl_pre_doit(), the device found and kept under RTNL. */
int unat_nl_pre_doit_rtnl(const struct genl_split_ops *ops,
			  struct sk_buff *skb, struct genl_info *info)
{
	int err;

	rtnl_lock();
	err = unat_nl_pre_doit(ops, skb, info);
	if (err)
		rtnl_unlock();
	return err;
}

void unat_nl_post_doit_rtnl(const struct genl_split_ops *ops,
			    struct sk_buff *skb, struct genl_info *info)
{
	unat_nl_post_doit(ops, skb, info);
	rtnl_unlock();
}

static int unat_nl_put_endpoint(struct sk_buff *skb, int type, int family,
				const union unat_addr *addr, __be16 port)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest)
		return -EMSGSIZE;
	if ((family == AF_INET ?
	     nla_put_in_addr(skb, UNAT_A_ENDPOINT_ADDR4, addr->v4) :
	     nla_put_in6_addr(skb, UNAT_A_ENDPOINT_ADDR6, &addr->v6)) ||
	    nla_put_u16(skb, UNAT_A_ENDPOINT_PORT, ntohs(port))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int unat_nl_put_dns(struct sk_buff *skb, const struct unat_config *cfg)
{
	struct nlattr *nest = nla_nest_start(skb, UNAT_A_DEV_DNS);
	int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < cfg->n_dns; i++) {
		const struct unat_dns_upstream *up = &cfg->dns_up[i];

		if (unat_nl_put_endpoint(skb, UNAT_A_DNS_SERVER, up->family,
					 &up->addr, up->port))
			return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int unat_nl_put_stats(struct sk_buff *skb, struct unat_dev *unat)
{
	struct nlattr *nest, *entry;
	u64 sum[UNAT_STAT_MAX];
	int i;

	unat_stats_sum(unat->stats, sum);
	nest = nla_nest_start(skb, UNAT_A_DEV_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = UNAT_STAT_FIRST; i < UNAT_STAT_MAX; i++) {
		entry = nla_nest_start(skb, UNAT_A_STATS_ENTRY);
		if (!entry ||
		    nla_put_string(skb, UNAT_A_STAT_NAME, unat_stat_names[i]) ||
		    nla_put_u64_64bit(skb, UNAT_A_STAT_VALUE, sum[i],
				      UNAT_A_STAT_PAD))
			return -EMSGSIZE;
		nla_nest_end(skb, entry);
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int unat_nl_fill_dev(struct sk_buff *skb, struct net_device *dev,
			    u32 portid, u32 seq, int flags)
{
	struct unat_dev *unat = netdev_priv(dev);
	const struct unat_config *cfg;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &unat_genl_family, flags,
			  UNAT_CMD_DEV_GET);
	if (!hdr)
		return -EMSGSIZE;
	rcu_read_lock();
	cfg = rcu_dereference(unat->config);
	if (nla_put_u32(skb, UNAT_A_DEV_IFINDEX, dev->ifindex) ||
	    nla_put_string(skb, UNAT_A_DEV_IFNAME, dev->name) ||
	    unat_nl_put_dns(skb, cfg) ||
	    nla_put_u32(skb, UNAT_A_DEV_UDP_TIMEOUT, cfg->udp_timeout) ||
	    nla_put_u32(skb, UNAT_A_DEV_TCP_TIMEOUT, cfg->tcp_timeout) ||
	    nla_put_u32(skb, UNAT_A_DEV_FLOW_LIMIT, cfg->flow_limit) ||
	    nla_put_u32(skb, UNAT_A_DEV_FLOW_COUNT,
			READ_ONCE(unat->flows->count)) ||
	    nla_put_u32(skb, UNAT_A_DEV_CONNECT_LIMIT, cfg->connect_limit) ||
	    nla_put_u32(skb, UNAT_A_DEV_CONNECT_COUNT,
			READ_ONCE(unat->flows->connecting)) ||
	    nla_put_u8(skb, UNAT_A_DEV_PORT_SHARE, cfg->port_share) ||
	    nla_put_u32(skb, UNAT_A_DEV_PORT_COUNT,
			READ_ONCE(unat->flows->ports)) ||
	    nla_put_u32(skb, UNAT_A_DEV_PORT_CAP, unat_flow_port_cap(unat)) ||
	    nla_put_u32(skb, UNAT_A_DEV_QUEUE_LIMIT, cfg->queue_limit) ||
	    nla_put_u32(skb, UNAT_A_DEV_QUEUE_BYTES,
			atomic_long_read(&unat->flows->queued)) ||
	    nla_put_u32(skb, UNAT_A_DEV_QUEUE_PEAK,
			READ_ONCE(unat->flows->queued_peak)) ||
	    nla_put_u8(skb, UNAT_A_DEV_HOSTLOOP, cfg->hostloop) ||
	    nla_put_u8(skb, UNAT_A_DEV_RESTRICT, cfg->restricted) ||
	    (cfg->domain[0] &&
	     nla_put_string(skb, UNAT_A_DEV_DOMAIN, cfg->domain)) ||
	    (cfg->search[0] &&
	     nla_put_string(skb, UNAT_A_DEV_SEARCH, cfg->search)) ||
	    unat_nl_put_stats(skb, unat)) {
		rcu_read_unlock();
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	rcu_read_unlock();
	genlmsg_end(skb, hdr);
	return 0;
}

int unat_nl_dev_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev = info->user_ptr[0];
	struct sk_buff *msg;
	int err;

	msg = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = unat_nl_fill_dev(msg, dev, info->snd_portid, info->snd_seq, 0);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* Every unat device of the caller's netns; cb->args[0]: devices done. */
int unat_nl_dev_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct net_device *dev;
	long i = 0;

	rcu_read_lock();
	for_each_netdev_rcu(net, dev) {
		if (!unat_dev_is_unat(dev))
			continue;
		if (i++ < cb->args[0])
			continue;
		if (unat_nl_fill_dev(skb, dev, NETLINK_CB(cb->skb).portid,
				     cb->nlh->nlmsg_seq, NLM_F_MULTI))
			break;
		cb->args[0] = i;
	}
	rcu_read_unlock();
	return skb->len;
}

static int unat_nl_parse_endpoint(const struct nlattr *nest,
				  struct unat_dns_upstream *up,
				  struct netlink_ext_ack *extack)
{
	struct nlattr *tb[UNAT_A_ENDPOINT_MAX + 1];
	int err;

	err = nla_parse_nested(tb, UNAT_A_ENDPOINT_MAX, nest,
			       unat_endpoint_nl_policy, extack);
	if (err)
		return err;
	if (!!tb[UNAT_A_ENDPOINT_ADDR4] == !!tb[UNAT_A_ENDPOINT_ADDR6]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "a DNS server needs one IPv4 or IPv6 address");
		return -EINVAL;
	}
	memset(up, 0, sizeof(*up));
	if (tb[UNAT_A_ENDPOINT_ADDR4]) {
		up->family = AF_INET;
		up->addr.v4 = nla_get_in_addr(tb[UNAT_A_ENDPOINT_ADDR4]);
		if (ipv4_is_zeronet(up->addr.v4) ||
		    ipv4_is_multicast(up->addr.v4) ||
		    ipv4_is_lbcast(up->addr.v4)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[UNAT_A_ENDPOINT_ADDR4],
					    "DNS server address must be unicast");
			return -EINVAL;
		}
	} else {
		up->family = AF_INET6;
		up->addr.v6 = nla_get_in6_addr(tb[UNAT_A_ENDPOINT_ADDR6]);
		if (ipv6_addr_any(&up->addr.v6) ||
		    ipv6_addr_is_multicast(&up->addr.v6)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[UNAT_A_ENDPOINT_ADDR6],
					    "DNS server address must be unicast");
			return -EINVAL;
		}
	}
	up->port = htons(tb[UNAT_A_ENDPOINT_PORT] ?
			 nla_get_u16(tb[UNAT_A_ENDPOINT_PORT]) ?: 53 : 53);
	return 0;
}

static int unat_nl_parse_dns(struct unat_config *cfg, const struct nlattr *attr,
			     struct netlink_ext_ack *extack)
{
	struct nlattr *pos;
	int rem, err, n = 0;

	nla_for_each_nested(pos, attr, rem) {
		if (nla_type(pos) != UNAT_A_DNS_SERVER)
			continue;
		if (n == UNAT_MAX_DNS_UPSTREAMS) {
			NL_SET_ERR_MSG_ATTR(extack, pos,
					    "at most 4 DNS servers");
			return -E2BIG;
		}
		err = unat_nl_parse_endpoint(pos, &cfg->dns_up[n], extack);
		if (err)
			return err;
		n++;
	}
	cfg->n_dns = n;
	return 0;
}

static int unat_nl_apply(struct unat_config *cfg, struct nlattr **attrs,
			 struct netlink_ext_ack *extack)
{
	int err = 0;

	if (attrs[UNAT_A_DEV_DNS])
		err = unat_nl_parse_dns(cfg, attrs[UNAT_A_DEV_DNS], extack);
	if (!err && attrs[UNAT_A_DEV_DOMAIN])
		err = unat_config_set_domain(cfg, attrs[UNAT_A_DEV_DOMAIN],
					     extack);
	if (!err && attrs[UNAT_A_DEV_SEARCH])
		err = unat_config_set_search(cfg, attrs[UNAT_A_DEV_SEARCH],
					     extack);
	if (err)
		return err;
	/* ranges: the spec's checks, in the policy */
	if (attrs[UNAT_A_DEV_UDP_TIMEOUT])
		cfg->udp_timeout = nla_get_u32(attrs[UNAT_A_DEV_UDP_TIMEOUT]);
	if (attrs[UNAT_A_DEV_TCP_TIMEOUT])
		cfg->tcp_timeout = nla_get_u32(attrs[UNAT_A_DEV_TCP_TIMEOUT]);
	if (attrs[UNAT_A_DEV_FLOW_LIMIT])
		cfg->flow_limit = nla_get_u32(attrs[UNAT_A_DEV_FLOW_LIMIT]);
	if (attrs[UNAT_A_DEV_CONNECT_LIMIT])
		cfg->connect_limit = nla_get_u32(attrs[UNAT_A_DEV_CONNECT_LIMIT]);
	if (attrs[UNAT_A_DEV_PORT_SHARE])
		cfg->port_share = nla_get_u8(attrs[UNAT_A_DEV_PORT_SHARE]);
	if (attrs[UNAT_A_DEV_QUEUE_LIMIT])
		cfg->queue_limit = nla_get_u32(attrs[UNAT_A_DEV_QUEUE_LIMIT]);
	if (attrs[UNAT_A_DEV_HOSTLOOP])
		cfg->hostloop = nla_get_u8(attrs[UNAT_A_DEV_HOSTLOOP]);
	if (attrs[UNAT_A_DEV_RESTRICT])
		cfg->restricted = nla_get_u8(attrs[UNAT_A_DEV_RESTRICT]);
	return 0;
}

/* Change what the request carries, all or nothing; RTNL held. */
int unat_nl_dev_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev = info->user_ptr[0];
	struct unat_dev *unat = netdev_priv(dev);
	struct unat_config *cfg;
	int err;

	ASSERT_RTNL();
	cfg = unat_config_build(rtnl_dereference(unat->config), NULL,
				info->extack);
	if (IS_ERR(cfg))
		return PTR_ERR(cfg);
	err = unat_nl_apply(cfg, info->attrs, info->extack);
	if (err) {
		kfree(cfg);
		return err;
	}
	unat_config_replace(unat, cfg);
	/* a new limit starts a new peak */
	if (info->attrs[UNAT_A_DEV_QUEUE_LIMIT])
		WRITE_ONCE(unat->flows->queued_peak, 0);
	return 0;
}

/*
 * The device a dump is about, with a reference: named by the request
 * (@ifindex_attr, @ifname_attr) on the first pass, which leaves its index
 * in *@ifindex; found again by that index on the next.  NULL when it went
 * meanwhile: the dump ends.
 */
static struct net_device *unat_nl_dump_dev(struct sk_buff *skb,
					   struct netlink_callback *cb,
					   const struct nlattr *ifindex_attr,
					   const struct nlattr *ifname_attr,
					   long *ifindex)
{
	struct net_device *dev;

	if (!*ifindex) {
		dev = unat_nl_dev_get(sock_net(skb->sk), ifindex_attr,
				      ifname_attr, cb->extack);
		if (!IS_ERR(dev))
			*ifindex = dev->ifindex;
		return dev;
	}
	dev = dev_get_by_index(sock_net(skb->sk), *ifindex);
	if (dev && !unat_dev_is_unat(dev)) {
		dev_put(dev);
		dev = NULL;
	}
	return dev;
}

/* Flow dump state in cb->args: the device, then the table cursor. */
struct unat_nl_flow_dump {
	long ifindex;
	unsigned long bucket;
	unsigned long idx;
};

struct unat_nl_flow_ctx {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	unsigned long now;
};

static int unat_nl_fill_flow(struct unat_flow *flow, void *arg)
{
	struct unat_nl_flow_ctx *ctx = arg;
	const struct unat_flow_key *k = &flow->key;
	struct sk_buff *skb = ctx->skb;
	union unat_addr raddr = k->raddr, host;
	void *hdr;

	unat_flow_host_addr(flow, &host);
	hdr = genlmsg_put(skb, NETLINK_CB(ctx->cb->skb).portid,
			  ctx->cb->nlh->nlmsg_seq, &unat_genl_family,
			  NLM_F_MULTI, UNAT_CMD_FLOW_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u8(skb, UNAT_A_FLOW_PROTO, k->proto) ||
	    nla_put_u8(skb, UNAT_A_FLOW_KIND, k->kind) ||
	    nla_put_u8(skb, UNAT_A_FLOW_STATE, READ_ONCE(flow->state)) ||
	    (flow->ops->dump_state &&
	     nla_put_u8(skb, UNAT_A_FLOW_TCP_STATE,
			flow->ops->dump_state(flow))) ||
	    unat_nl_put_endpoint(skb, UNAT_A_FLOW_GUEST, k->family, &k->gaddr,
				 k->gport) ||
	    ((k->rport || memchr_inv(&raddr, 0, sizeof(raddr))) &&
	     unat_nl_put_endpoint(skb, UNAT_A_FLOW_REMOTE, k->family, &raddr,
				  k->rport)) ||
	    unat_nl_put_endpoint(skb, UNAT_A_FLOW_HOST, k->family,
				 &host, flow->host_port) ||
	    nla_put_u64_64bit(skb, UNAT_A_FLOW_AGE,
			      jiffies_to_msecs(ctx->now - flow->created),
			      UNAT_A_FLOW_PAD) ||
	    nla_put_u64_64bit(skb, UNAT_A_FLOW_IDLE,
			      jiffies_to_msecs(ctx->now -
					       READ_ONCE(flow->last_used)),
			      UNAT_A_FLOW_PAD) ||
	    nla_put_u64_64bit(skb, UNAT_A_FLOW_PKTS_OUT,
			      atomic64_read(&flow->pkts_out), UNAT_A_FLOW_PAD) ||
	    nla_put_u64_64bit(skb, UNAT_A_FLOW_BYTES_OUT,
			      atomic64_read(&flow->bytes_out), UNAT_A_FLOW_PAD) ||
	    nla_put_u64_64bit(skb, UNAT_A_FLOW_PKTS_IN,
			      atomic64_read(&flow->pkts_in), UNAT_A_FLOW_PAD) ||
	    nla_put_u64_64bit(skb, UNAT_A_FLOW_BYTES_IN,
			      atomic64_read(&flow->bytes_in), UNAT_A_FLOW_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int unat_nl_flow_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct unat_nl_flow_dump *st = (struct unat_nl_flow_dump *)cb->args;
	struct nlattr **attrs = unat_genl_dump_attrs(cb);
	struct unat_nl_flow_ctx ctx = { .skb = skb, .cb = cb };
	struct net_device *dev;
	int err;

	BUILD_BUG_ON(sizeof(*st) > sizeof(cb->args));
	dev = unat_nl_dump_dev(skb, cb, attrs[UNAT_A_FLOW_IFINDEX],
			       attrs[UNAT_A_FLOW_IFNAME], &st->ifindex);
	if (IS_ERR_OR_NULL(dev))
		return PTR_ERR_OR_ZERO(dev);
	ctx.now = jiffies;
	err = unat_flow_walk(((struct unat_dev *)netdev_priv(dev))->flows,
			     &st->bucket, &st->idx, unat_nl_fill_flow, &ctx);
	dev_put(dev);
	if (err && !skb->len)
		return err;
	return skb->len;
}

/*
 * A forward's key, what fwd-del takes: protocol, host address and first
 * port; one port to the same guest port unless the request says more.
 * @attrs holds only the op's attributes (up to its policy's maxattr).
 */
static int unat_nl_parse_fwd_key(struct nlattr **attrs,
				 struct unat_fwd_req *req,
				 struct netlink_ext_ack *extack)
{
	struct nlattr *tb[UNAT_A_ENDPOINT_MAX + 1];
	int err;

	memset(req, 0, sizeof(*req));
	if (!attrs[UNAT_A_FWD_PROTO] || !attrs[UNAT_A_FWD_HOST]) {
		NL_SET_ERR_MSG(extack, "a forward needs a protocol and a host port");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, UNAT_A_ENDPOINT_MAX, attrs[UNAT_A_FWD_HOST],
			       unat_endpoint_nl_policy, extack);
	if (err)
		return err;
	if (tb[UNAT_A_ENDPOINT_ADDR4] && tb[UNAT_A_ENDPOINT_ADDR6]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[UNAT_A_ENDPOINT_ADDR6],
				    "a forward is IPv4 or IPv6, not both");
		return -EINVAL;
	}
	if (!tb[UNAT_A_ENDPOINT_PORT]) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[UNAT_A_FWD_HOST],
				    "a forward needs a host port");
		return -EINVAL;
	}
	req->proto = nla_get_u8(attrs[UNAT_A_FWD_PROTO]);
	if (tb[UNAT_A_ENDPOINT_ADDR4])
		req->addr = nla_get_in_addr(tb[UNAT_A_ENDPOINT_ADDR4]);
	if (tb[UNAT_A_ENDPOINT_ADDR6]) {
		req->ipv6 = true;
		req->addr6 = nla_get_in6_addr(tb[UNAT_A_ENDPOINT_ADDR6]);
	}
	req->port = nla_get_u16(tb[UNAT_A_ENDPOINT_PORT]);
	req->gport = req->port;
	req->count = 1;
	return 0;
}

/* A whole forward (fwd-add, IFLA_UNAT_FWDS), the defaults filled in. */
static int unat_nl_parse_fwd(struct nlattr **attrs, struct unat_fwd_req *req,
			     struct netlink_ext_ack *extack)
{
	int err = unat_nl_parse_fwd_key(attrs, req, extack);

	if (err)
		return err;
	if (attrs[UNAT_A_FWD_GUEST_PORT] &&
	    nla_get_u16(attrs[UNAT_A_FWD_GUEST_PORT]))
		req->gport = nla_get_u16(attrs[UNAT_A_FWD_GUEST_PORT]);
	if (attrs[UNAT_A_FWD_COUNT])
		req->count = nla_get_u16(attrs[UNAT_A_FWD_COUNT]);
	if (attrs[UNAT_A_FWD_FLAGS])
		req->flags = nla_get_u32(attrs[UNAT_A_FWD_FLAGS]);
	return 0;
}

/*
 * The forwards of IFLA_UNAT_FWDS, made with the device (newlink, RTNL
 * held, before the device registers), each checked with fwd-add's
 * policy.  On failure, those made stay: the caller removes them with
 * unat_fwd_flush().
 */
int unat_nl_fwds_add(struct unat_dev *unat, const struct nlattr *nest,
		     struct netlink_ext_ack *extack)
{
	const struct genl_split_ops *op;
	struct nlattr *tb[UNAT_A_FWD_MAX + 1];
	struct unat_fwd_req req, made;
	const struct nlattr *pos;
	int rem, err;

	ASSERT_RTNL();
	op = unat_nl_find_op(UNAT_CMD_FWD_ADD, GENL_CMD_CAP_DO);
	/* @tb must hold what the generated policy parses */
	if (WARN_ON_ONCE(!op || op->maxattr > UNAT_A_FWD_MAX))
		return -EINVAL;
	nla_for_each_nested(pos, nest, rem) {
		if (nla_type(pos) != UNAT_A_FWDS_FWD) {
			NL_SET_ERR_MSG_ATTR(extack, pos, "not a forward");
			return -EINVAL;
		}
		memset(tb, 0, sizeof(tb));
		err = nla_parse_nested(tb, op->maxattr, pos, op->policy,
				       extack);
		if (!err)
			err = unat_nl_parse_fwd(tb, &req, extack);
		if (!err)
			err = unat_fwd_add(unat, &req, &made, extack);
		if (err)
			return err;
	}
	return 0;
}

static int unat_nl_fill_fwd(struct sk_buff *skb, int ifindex,
			    const struct unat_fwd_req *req)
{
	union unat_addr addr = { .v4 = req->addr };

	if (req->ipv6)
		addr.v6 = req->addr6;
	if (nla_put_u32(skb, UNAT_A_FWD_IFINDEX, ifindex) ||
	    nla_put_u8(skb, UNAT_A_FWD_PROTO, req->proto) ||
	    unat_nl_put_endpoint(skb, UNAT_A_FWD_HOST,
				 req->ipv6 ? AF_INET6 : AF_INET, &addr,
				 htons(req->port)) ||
	    nla_put_u16(skb, UNAT_A_FWD_GUEST_PORT, req->gport) ||
	    nla_put_u16(skb, UNAT_A_FWD_COUNT, req->count) ||
	    nla_put_u32(skb, UNAT_A_FWD_FLAGS, req->flags))
		return -EMSGSIZE;
	return 0;
}

int unat_nl_fwd_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct net_device *dev = info->user_ptr[0];
	struct unat_fwd_req req, made;
	struct sk_buff *msg;
	void *hdr;
	int err;

	err = unat_nl_parse_fwd(info->attrs, &req, info->extack);
	if (err)
		return err;
	msg = nlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = unat_fwd_add(netdev_priv(dev), &req, &made, info->extack);
	if (err)
		goto out_free;
	hdr = genlmsg_put_reply(msg, info, &unat_genl_family, 0,
				UNAT_CMD_FWD_ADD);
	if (!hdr || unat_nl_fill_fwd(msg, dev->ifindex, &made)) {
		err = -EMSGSIZE;	/* cannot happen: a few attributes */
		goto out_free;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

out_free:
	nlmsg_free(msg);
	return err;
}

int unat_nl_fwd_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct unat_fwd_req req;
	int err;

	err = unat_nl_parse_fwd_key(info->attrs, &req, info->extack);
	if (err)
		return err;
	return unat_fwd_del(netdev_priv(info->user_ptr[0]), &req,
			    info->extack);
}

struct unat_nl_fwd_ctx {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	int ifindex;
};

static int unat_nl_fwd_dump_one(const struct unat_fwd_req *req, void *arg)
{
	struct unat_nl_fwd_ctx *ctx = arg;
	void *hdr;

	hdr = genlmsg_put(ctx->skb, NETLINK_CB(ctx->cb->skb).portid,
			  ctx->cb->nlh->nlmsg_seq, &unat_genl_family,
			  NLM_F_MULTI, UNAT_CMD_FWD_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (unat_nl_fill_fwd(ctx->skb, ctx->ifindex, req)) {
		genlmsg_cancel(ctx->skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(ctx->skb, hdr);
	return 0;
}

/* cb->args[0]: the device's ifindex once found, [1]: forwards done. */
int unat_nl_fwd_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **attrs = unat_genl_dump_attrs(cb);
	struct unat_nl_fwd_ctx ctx = { .skb = skb, .cb = cb };
	struct net_device *dev;
	int err;

	dev = unat_nl_dump_dev(skb, cb, attrs[UNAT_A_FWD_IFINDEX],
			       attrs[UNAT_A_FWD_IFNAME], &cb->args[0]);
	if (IS_ERR_OR_NULL(dev))
		return PTR_ERR_OR_ZERO(dev);
	ctx.ifindex = dev->ifindex;
	err = unat_fwd_walk(netdev_priv(dev), &cb->args[1],
			    unat_nl_fwd_dump_one, &ctx);
	dev_put(dev);
	if (err && !skb->len)
		return err;
	return skb->len;
}

#ifndef UNAT_HAVE_GENL_SPLIT_OPS
/* before 6.2: the generated table folded, by unat_netlink_init() */
static struct genl_ops unat_nl_folded_ops[ARRAY_SIZE(unat_nl_ops)] __ro_after_init;
#endif

static struct genl_family unat_genl_family __ro_after_init = {
	.name = UNAT_GENL_NAME,
	.version = UNAT_GENL_VERSION,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
#ifdef UNAT_HAVE_GENL_SPLIT_OPS
	.split_ops = unat_nl_ops,
	.n_split_ops = ARRAY_SIZE(unat_nl_ops),
#else
	.ops = unat_nl_folded_ops,
	.pre_doit = unat_nl_compat_pre_doit,
	.post_doit = unat_nl_compat_post_doit,
#endif
	.resv_start_op = UNAT_CMD_FWD_GET + 1,
};

int unat_netlink_init(void)
{
#ifndef UNAT_HAVE_GENL_SPLIT_OPS
	unat_genl_family.n_ops = unat_nl_ops_fold(unat_nl_ops,
						  ARRAY_SIZE(unat_nl_ops),
						  unat_nl_folded_ops);
#endif
	return genl_register_family(&unat_genl_family);
}

void unat_netlink_uninit(void)
{
	genl_unregister_family(&unat_genl_family);
}
