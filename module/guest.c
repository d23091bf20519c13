// SPDX-License-Identifier: GPL-2.0
/*
 * The guest as unat knows it: its MAC address and its DHCP lease.
 */
#include <kunit/visibility.h>
#include <linux/etherdevice.h>
#include <linux/string.h>

#include "types.h"

void unat_guest_init(struct unat_guest *g)
{
	memset(g, 0, sizeof(*g));
	spin_lock_init(&g->lock);
}
EXPORT_SYMBOL_IF_KUNIT(unat_guest_init);

/* Caller holds g->lock. */
void unat_guest_learn_mac(struct unat_guest *g, const u8 *mac)
{
	lockdep_assert_held(&g->lock);
	if (g->mac_known && ether_addr_equal(g->mac, mac))
		return;
	ether_addr_copy(g->mac, mac);
	g->mac_known = true;
	WRITE_ONCE(g->mac64, ether_addr_to_u64(mac));
}

/* A frame from the guest's address came from @mac (BH). */
void unat_guest_note_mac(struct unat_guest *g, const u8 *mac)
{
	if (READ_ONCE(g->mac64) == ether_addr_to_u64(mac))
		return;
	spin_lock(&g->lock);
	unat_guest_learn_mac(g, mac);
	spin_unlock(&g->lock);
}
EXPORT_SYMBOL_IF_KUNIT(unat_guest_note_mac);

/* The network changed under the lease (changelink): the guest must ask again. */
void unat_guest_forget_lease(struct unat_guest *g)
{
	spin_lock_bh(&g->lock);
	memset(&g->lease, 0, sizeof(g->lease));
	spin_unlock_bh(&g->lock);
}

/* The IPv6 network changed: the DHCPv6 address must be asked for again. */
void unat_guest_forget_lease6(struct unat_guest *g)
{
	spin_lock_bh(&g->lock);
	memset(&g->lease6, 0, sizeof(g->lease6));
	spin_unlock_bh(&g->lock);
}
