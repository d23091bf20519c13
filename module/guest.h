/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_GUEST_H
#define _UNAT_GUEST_H

#include <linux/etherdevice.h>
#include <linux/if_ether.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#define UNAT_CLIENT_ID_MAX	64
#define UNAT_HOSTNAME_MAX	63

/*
 * What unat knows of the guest behind the device: its MAC address, learned
 * from ARP and DHCP, and its DHCP lease.  One address per device for now;
 * a pool would turn @lease into a table keyed the same way.
 *
 * All fields are protected by @lock, taken from BH context (the transmit
 * path) and with spin_lock_bh() elsewhere.
 */
struct unat_lease {
	bool bound;			/* an ACK was given and not released */
	unsigned long expires;		/* jiffies */
	u8 mac[ETH_ALEN];		/* chaddr of the holder */
	u8 client_id_len;		/* 0: the client sent none */
	u8 client_id[UNAT_CLIENT_ID_MAX];
	char hostname[UNAT_HOSTNAME_MAX + 1];
};

/* DHCPv6 (RFC 8415): a DUID is at most 2 + 128 bytes. */
#define UNAT_DUID_MAX		130

/* The one IA_NA address DHCPv6 gives, and its holder. */
struct unat_lease6 {
	bool bound;			/* a Reply gave it and it was not released */
	unsigned long expires;		/* jiffies */
	u8 duid_len;
	u8 duid[UNAT_DUID_MAX];		/* the holder's client DUID */
};

struct unat_guest {
	spinlock_t lock;		/* the fields below and the lease's */
	bool mac_known;
	u8 mac[ETH_ALEN];
	u64 mac64;			/* @mac for lockless readers; 0: none */
	struct unat_lease lease;
	struct unat_lease6 lease6;
};

void unat_guest_init(struct unat_guest *g);
void unat_guest_learn_mac(struct unat_guest *g, const u8 *mac);
void unat_guest_forget_lease(struct unat_guest *g);
void unat_guest_forget_lease6(struct unat_guest *g);
void unat_guest_note_mac(struct unat_guest *g, const u8 *mac);

/* The guest's MAC, for frames to it; false while unknown. */
static inline bool unat_guest_mac(const struct unat_guest *g, u8 *mac)
{
	u64 v = READ_ONCE(g->mac64);

	u64_to_ether_addr(v, mac);
	return v != 0;
}

#endif /* _UNAT_GUEST_H */
