// SPDX-License-Identifier: GPL-2.0
/*
 * unat: a network device that is a guest's whole network.  ARP, DHCP and
 * the gateway's own services are answered inside the module; flows leave
 * through ordinary sockets of the netns where the device was created.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>

#include "device.h"
#include "flow.h"
#include "netlink.h"

static int __init unat_init(void)
{
	int err;

	err = unat_flow_init();
	if (err)
		return err;
	err = unat_icmp_sock_init();
	if (err)
		goto err_flow;
	err = unat_device_init();
	if (err)
		goto err_icmp;
	err = unat_netlink_init();
	if (err)
		goto err_device;
	pr_info("unat " UNAT_VERSION " loaded\n");
	return 0;

err_device:
	unat_device_uninit();
err_icmp:
	unat_icmp_sock_uninit();
err_flow:
	unat_flow_uninit();
	return err;
}

/* Teardown order: no new configuration, then no device (each closing its
 * flows, and with the last echo flows the shared ICMP sockets), then the
 * netns state of those sockets, then the flow workqueue and cache.
 */
static void __exit unat_exit(void)
{
	unat_netlink_uninit();
	unat_device_uninit();
	unat_icmp_sock_uninit();
	unat_flow_uninit();
}

module_init(unat_init);
module_exit(unat_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("User-mode NAT semantics as a kernel network device");
MODULE_AUTHOR("unat developers");
MODULE_VERSION(UNAT_VERSION);
MODULE_ALIAS_RTNL_LINK(UNAT_KIND);
MODULE_ALIAS_GENL_FAMILY(UNAT_GENL_NAME);
