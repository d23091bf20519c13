// SPDX-License-Identifier: GPL-2.0
/*
 * ethtool: driver information and the event/drop counters (`ethtool -S`).
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>

#include "device.h"
#include "netlink.h"

#define UNAT_NSTATS	(UNAT_STAT_MAX - UNAT_STAT_FIRST)

static void unat_get_drvinfo(struct net_device *dev,
			     struct ethtool_drvinfo *info)
{
	strscpy(info->driver, KBUILD_MODNAME, sizeof(info->driver));
	strscpy(info->version, UNAT_VERSION, sizeof(info->version));
}

static int unat_get_sset_count(struct net_device *dev, int sset)
{
	return sset == ETH_SS_STATS ? UNAT_NSTATS : -EOPNOTSUPP;
}

static void unat_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	int i;

	if (sset != ETH_SS_STATS)
		return;
	for (i = UNAT_STAT_FIRST; i < UNAT_STAT_MAX; i++) {
		strscpy(data, unat_stat_names[i], ETH_GSTRING_LEN);
		data += ETH_GSTRING_LEN;
	}
}

static void unat_get_ethtool_stats(struct net_device *dev,
				   struct ethtool_stats *stats, u64 *data)
{
	struct unat_dev *unat = netdev_priv(dev);
	u64 sum[UNAT_STAT_MAX];

	unat_stats_sum(unat->stats, sum);
	memcpy(data, sum + UNAT_STAT_FIRST, sizeof(u64) * UNAT_NSTATS);
}

const struct ethtool_ops unat_ethtool_ops = {
	.get_drvinfo		= unat_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_sset_count		= unat_get_sset_count,
	.get_strings		= unat_get_strings,
	.get_ethtool_stats	= unat_get_ethtool_stats,
};
