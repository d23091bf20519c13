/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _UNAT_GUEST_H
#define _UNAT_GUEST_H

#include <linux/etherdevice.h>
#include <linux/if_ether.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/in6.h>

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
	/*
	 * The interface identifier (low 64 bits) of the last address in the
	 * prefix the guest used or probed: SLAAC, DHCPv6 or static alike.
	 * Forwards over IPv6 connect to it.  0: none yet.  Lockless:
	 * READ_ONCE/WRITE_ONCE.
	 */
	u64 iid6;
	struct unat_lease lease;
	struct unat_lease6 lease6;
};

void unat_guest_init(struct unat_guest *g);
void unat_guest_learn_mac(struct unat_guest *g, const u8 *mac);
void unat_guest_forget_lease(struct unat_guest *g);
void unat_guest_forget_lease6(struct unat_guest *g);
void unat_guest_note_mac(struct unat_guest *g, const u8 *mac);

/* The guest used @addr, an address of its in the prefix (BH). */
static inline void unat_guest_note_addr6(struct unat_guest *g,
					 const struct in6_addr *addr)
{
	u64 iid = get_unaligned_be64(&addr->s6_addr[8]);

	if (READ_ONCE(g->iid6) != iid)
		WRITE_ONCE(g->iid6, iid);
}

/*
 * The guest's IPv6 address in the prefix @prefix (the device's), for
 * connections to it; false while it never used one.
 */
static inline bool unat_guest_addr6(const struct unat_guest *g,
				    const struct in6_addr *prefix,
				    struct in6_addr *addr)
{
	u64 iid = READ_ONCE(g->iid6);

	*addr = *prefix;
	put_unaligned_be64(iid, &addr->s6_addr[8]);
	return iid != 0;
}

/* The guest's MAC, for frames to it; false while unknown. */
static inline bool unat_guest_mac(const struct unat_guest *g, u8 *mac)
{
	u64 v = READ_ONCE(g->mac64);

	u64_to_ether_addr(v, mac);
	return v != 0;
}

#endif /* _UNAT_GUEST_H */
