/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_ETHTOOL_H
#define _UNAT_ETHTOOL_H

#include <linux/ethtool.h>

extern const struct ethtool_ops unat_ethtool_ops;

#endif /* _UNAT_ETHTOOL_H */
