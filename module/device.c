// SPDX-License-Identifier: GPL-2.0
/*
 * The unat net_device: netdev ops, rtnl link ops ("ip link add ... type
 * unat ..."), and the pernet hook that cuts a device off its creating netns.
 */
#include <kunit/visibility.h>
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>
#include <net/net_namespace.h>
#include <net/rtnetlink.h>

#include "device.h"
#include "flow.h"
#include "services.h"
#include "demux.h"
#include "fwd.h"
#include "netlink.h"

/* Every unat device, in whatever netns.  Protected by RTNL. */
static LIST_HEAD(unat_device_list);

#define UNAT_FEATURES	(NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_RXCSUM | \
			 NETIF_F_HIGHDMA | NETIF_F_ALL_TSO | NETIF_F_GSO_UDP_L4)

static int unat_dev_init(struct net_device *dev)
{
	struct unat_dev *unat = netdev_priv(dev);

	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	if (!dev->tstats)
		return -ENOMEM;
	unat->stats = unat_stats_alloc();
	if (!unat->stats) {
		free_percpu(dev->tstats);
		return -ENOMEM;
	}
	return 0;
}

static void unat_dev_uninit(struct net_device *dev)
{
	struct unat_dev *unat = netdev_priv(dev);

	/* before the flows' table and the netns can go */
	unat_fwd_flush(unat);
	unat_stats_free(unat->stats);
	free_percpu(dev->tstats);
}

static int unat_open(struct net_device *dev)
{
	struct unat_dev *unat = netdev_priv(dev);

	unat_flow_table_start(unat->flows);
	netif_carrier_on(dev);
	unat_ndp_start(unat);
	return 0;
}

/* Down: every flow closes (the guest lost its link). */
static int unat_stop(struct net_device *dev)
{
	struct unat_dev *unat = netdev_priv(dev);

	netif_carrier_off(dev);
	unat_ndp_stop(unat);
	unat_flow_flush(unat->flows);
	return 0;
}

/* Unicast filtering is meaningless here: every frame goes to the gateway. */
static void unat_set_rx_mode(struct net_device *dev)
{
}

static const struct net_device_ops unat_netdev_ops = {
	.ndo_init		= unat_dev_init,
	.ndo_uninit		= unat_dev_uninit,
	.ndo_open		= unat_open,
	.ndo_stop		= unat_stop,
	.ndo_start_xmit		= unat_xmit,
	.ndo_get_stats64	= dev_get_tstats64,
	.ndo_set_rx_mode	= unat_set_rx_mode,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
};

static void unat_destruct(struct net_device *dev)
{
	struct unat_dev *unat = netdev_priv(dev);

	/* unregister_netdevice() waited out every RCU reader, and ndo_stop
	 * closed every flow.
	 */
	unat_flow_table_free(unat->flows);
	kfree(rcu_dereference_protected(unat->config, true));
}

static void unat_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &unat_netdev_ops;
	dev->ethtool_ops = &unat_ethtool_ops;
	dev->priv_flags |= IFF_NO_QUEUE | IFF_UNICAST_FLT |
			   IFF_LIVE_ADDR_CHANGE;
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	unat_compat_set_lltx(dev);
	dev->features |= UNAT_FEATURES;
	dev->hw_features |= UNAT_FEATURES;
	dev->vlan_features |= UNAT_FEATURES;
	dev->mtu = UNAT_DEFAULT_MTU;
	dev->min_mtu = UNAT_MIN_MTU;
	dev->max_mtu = UNAT_MAX_MTU;
	dev->needs_free_netdev = true;
	eth_hw_addr_random(dev);
	unat_ndp_init(netdev_priv(dev));
}

static int unat_validate(struct nlattr *tb[], struct nlattr *data[],
			 struct netlink_ext_ack *extack)
{
	if (tb[IFLA_ADDRESS]) {
		if (nla_len(tb[IFLA_ADDRESS]) != ETH_ALEN) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "invalid link address length");
			return -EINVAL;
		}
		if (!is_valid_ether_addr(nla_data(tb[IFLA_ADDRESS]))) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "invalid link address");
			return -EADDRNOTAVAIL;
		}
	}
	return 0;
}

/* Build a configuration from @base (or the defaults) and @data. */
struct unat_config *unat_config_build(const struct unat_config *base,
				      struct nlattr *data[],
				      struct netlink_ext_ack *extack)
{
	struct unat_config *cfg;
	int err;

	cfg = kmalloc(sizeof(*cfg), GFP_KERNEL);
	if (!cfg)
		return ERR_PTR(-ENOMEM);
	if (base)
		memcpy(cfg, base, sizeof(*cfg));
	else
		unat_config_set_defaults(cfg);
	err = unat_config_apply(cfg, data, !base, extack) ?:
	      unat_config_validate(cfg, extack);
	if (err) {
		kfree(cfg);
		return ERR_PTR(err);
	}
	return cfg;
}

static int unat_newlink(struct net *src_net, struct net_device *dev,
			struct nlattr *tb[], struct nlattr *data[],
			struct netlink_ext_ack *extack)
{
	struct unat_dev *unat = netdev_priv(dev);
	struct unat_config *cfg;
	int err;

	cfg = unat_config_build(NULL, data, extack);
	if (IS_ERR(cfg))
		return PTR_ERR(cfg);
	if (data && data[IFLA_UNAT_MTU])
		dev->mtu = nla_get_u32(data[IFLA_UNAT_MTU]);

	unat->flows = unat_flow_table_alloc(unat);
	if (!unat->flows) {
		kfree(cfg);
		return -ENOMEM;
	}
	unat->dev = dev;
	unat_guest_init(&unat->guest);
	unat_fwds_init(&unat->fwds);
	RCU_INIT_POINTER(unat->config, cfg);
	rcu_assign_pointer(unat->creating_net, src_net);
	/* listening before the device is up: what comes meanwhile is refused */
	if (data && data[IFLA_UNAT_FWDS]) {
		err = unat_nl_fwds_add(unat, data[IFLA_UNAT_FWDS], extack);
		if (err)
			goto err_free_fwds;
	}

	err = register_netdevice(dev);
	if (err)
		goto err_free_fwds;
	list_add(&unat->device_list, &unat_device_list);
	/* Assigned only now, so that a failed register_netdevice() does not
	 * run it: the config is freed below instead.
	 */
	dev->priv_destructor = unat_destruct;
	netdev_dbg(dev, "created\n");
	return 0;

err_free_fwds:
	unat_fwd_flush(unat);
	RCU_INIT_POINTER(unat->config, NULL);
	kfree(cfg);
	unat_flow_table_free(unat->flows);
	return err;
}

/* Publish @cfg in place of the current configuration.  RTNL held. */
void unat_config_replace(struct unat_dev *unat, struct unat_config *cfg)
{
	struct unat_config *old = rtnl_dereference(unat->config);

	ASSERT_RTNL();
	rcu_assign_pointer(unat->config, cfg);
	if (!unat_config_same_network(old, cfg))
		unat_guest_forget_lease(&unat->guest);
	if (!unat_config_same_network6(old, cfg))
		unat_guest_forget_lease6(&unat->guest);
	if (!unat_config_same_ra(old, cfg))
		unat_ndp_changed(unat);
	kfree_rcu(old, rcu);
}

static int unat_changelink(struct net_device *dev, struct nlattr *tb[],
			   struct nlattr *data[],
			   struct netlink_ext_ack *extack)
{
	struct unat_dev *unat = netdev_priv(dev);
	struct unat_config *old, *cfg;
	int err;

	if (data && data[IFLA_UNAT_FWDS]) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_UNAT_FWDS],
				    "forwards change at run time through unat fwd (generic netlink)");
		return -EOPNOTSUPP;
	}
	old = rtnl_dereference(unat->config);
	cfg = unat_config_build(old, data, extack);
	if (IS_ERR(cfg))
		return PTR_ERR(cfg);
	if (data && data[IFLA_UNAT_MTU]) {
		err = dev_set_mtu(dev, nla_get_u32(data[IFLA_UNAT_MTU]));
		if (err) {
			NL_SET_ERR_MSG(extack, "cannot set the MTU");
			kfree(cfg);
			return err;
		}
	}
	unat_config_replace(unat, cfg);
	return 0;
}

static void unat_dellink(struct net_device *dev, struct list_head *head)
{
	struct unat_dev *unat = netdev_priv(dev);

	list_del(&unat->device_list);
	netdev_dbg(dev, "destroyed\n");
	unregister_netdevice_queue(dev, head);
}

static size_t unat_get_size(const struct net_device *dev)
{
	return unat_config_nl_size();
}

static int unat_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	struct unat_dev *unat = netdev_priv(dev);
	const struct unat_config *cfg;
	int err;

	rcu_read_lock();
	cfg = rcu_dereference(unat->config);
	err = unat_config_fill(skb, cfg, READ_ONCE(dev->mtu));
	rcu_read_unlock();
	return err;
}

static struct rtnl_link_ops unat_link_ops __read_mostly = {
	.kind		= UNAT_KIND,
	.priv_size	= sizeof(struct unat_dev),
	.setup		= unat_setup,
	.maxtype	= IFLA_UNAT_MAX,
	.policy		= unat_link_policy,
	.validate	= unat_validate,
	.newlink	= unat_newlink,
	.changelink	= unat_changelink,
	.dellink	= unat_dellink,
	.get_size	= unat_get_size,
	.fill_info	= unat_fill_info,
};

#if IS_ENABLED(CONFIG_KUNIT)
/*
 * KUnit: a device in @net as `ip link add NAME type unat` makes it, left
 * down; its frames go through unat_xmit() as a guest's would, with the
 * netns's reassembly queues behind them.  RTNL held.
 */
struct net_device *unat_dev_create_for_test(struct net *net, const char *name)
{
	struct nlattr *tb[IFLA_MAX + 1] = {};
	struct net_device *dev;
	int err;

	ASSERT_RTNL();
	dev = rtnl_create_link(net, name, NET_NAME_USER, &unat_link_ops, tb,
			       NULL);
	if (IS_ERR(dev))
		return dev;
	err = unat_newlink(net, dev, tb, NULL, NULL);
	if (err) {
		free_netdev(dev);
		return ERR_PTR(err);
	}
	return dev;
}
EXPORT_SYMBOL_IF_KUNIT(unat_dev_create_for_test);

/* KUnit: delete a unat_dev_create_for_test() device.  RTNL held. */
void unat_dev_destroy_for_test(struct net_device *dev)
{
	ASSERT_RTNL();
	unat_dellink(dev, NULL);
}
EXPORT_SYMBOL_IF_KUNIT(unat_dev_destroy_for_test);
#endif

bool unat_dev_is_unat(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &unat_link_ops;
}

/* The creating netns is going away: cut every device created there off it.
 * Devices that sit elsewhere stay; what needs that netns fails from now on.
 */
static void unat_netns_detach(struct net *net)
{
	struct unat_dev *unat;

	ASSERT_RTNL();
	list_for_each_entry(unat, &unat_device_list, device_list) {
		if (rcu_access_pointer(unat->creating_net) != net)
			continue;
		RCU_INIT_POINTER(unat->creating_net, NULL);
		/* its sockets must go before it does */
		unat_fwd_flush(unat);
		unat_flow_flush(unat->flows);
		if (netif_running(unat->dev))
			unat_flow_table_start(unat->flows);
		netdev_dbg(unat->dev, "creating netns gone\n");
	}
}

#ifdef UNAT_HAVE_EXIT_RTNL
static void unat_netns_exit_rtnl(struct net *net,
				 struct list_head *dev_kill_list)
{
	unat_netns_detach(net);
}
#else
static void unat_netns_pre_exit(struct net *net)
{
	rtnl_lock();
	unat_netns_detach(net);
	rtnl_unlock();
}
#endif

static struct pernet_operations unat_net_ops = {
#ifdef UNAT_HAVE_EXIT_RTNL
	.exit_rtnl = unat_netns_exit_rtnl,
#else
	.pre_exit = unat_netns_pre_exit,
#endif
};

int unat_device_init(void)
{
	int err;

	err = register_pernet_device(&unat_net_ops);
	if (err)
		return err;
	err = rtnl_link_register(&unat_link_ops);
	if (err)
		goto err_pernet;
	return 0;

err_pernet:
	unregister_pernet_device(&unat_net_ops);
	return err;
}

void unat_device_uninit(void)
{
	rtnl_link_unregister(&unat_link_ops);
	unregister_pernet_device(&unat_net_ops);
}
