// SPDX-License-Identifier: GPL-2.0
/*
 * The flow table: one per device, an RCU hash table of guest flows keyed
 * family-agnostically, with a flow limit, bounded per-flow queues, and a
 * reaper that expires idle flows.
 */
#include <kunit/visibility.h>
#include <linux/jhash.h>
#include <linux/net.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <net/ip.h>
#include <uapi/linux/unat.h>

#include "device.h"
#include "flow.h"

struct workqueue_struct *unat_wq;
static struct kmem_cache *unat_flow_cache;

#define UNAT_REAP_INTERVAL	HZ

static_assert(sizeof(struct unat_flow_key) % sizeof(u32) == 0);

static u32 unat_flow_hash(const struct unat_flow_table *t,
			  const struct unat_flow_key *key)
{
	return jhash2((const u32 *)key, sizeof(*key) / sizeof(u32), t->seed) &
	       ((1 << UNAT_FLOW_HASH_BITS) - 1);
}

static void unat_flow_reap(struct work_struct *work);

struct unat_flow_table *unat_flow_table_alloc(struct unat_dev *unat)
{
	struct unat_flow_table *t;

	t = kvzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return NULL;
	t->unat = unat;
	spin_lock_init(&t->lock);
	spin_lock_init(&t->connect_lock);
	INIT_LIST_HEAD(&t->connects);
	INIT_LIST_HEAD(&t->answered);
	t->seed = get_random_u32();
	INIT_DELAYED_WORK(&t->reaper, unat_flow_reap);
	return t;
}
EXPORT_SYMBOL_IF_KUNIT(unat_flow_table_alloc);

/* The device is up: expire flows from now on. */
void unat_flow_table_start(struct unat_flow_table *t)
{
	spin_lock_bh(&t->lock);
	t->dead = false;
	spin_unlock_bh(&t->lock);
	queue_delayed_work(unat_wq, &t->reaper, UNAT_REAP_INTERVAL);
}

/* Called with no flow left (unat_flow_flush()). */
void unat_flow_table_free(struct unat_flow_table *t)
{
	if (!t)
		return;
	WARN_ON(t->count || t->connecting || atomic_long_read(&t->queued));
	kvfree(t);
}
EXPORT_SYMBOL_IF_KUNIT(unat_flow_table_free);

/*
 * Guest TCP connects not yet established, for the connect limit: @node
 * joins the unanswered ones.  At @limit the oldest connect the remote has
 * not answered gives up its place (the oldest answered one only when there
 * is none), and is returned for its owner to expire; else NULL.  So a SYN
 * flood into a black hole turns its own half-open connects over, never
 * holds more than @limit, never keeps a new connect from starting, and
 * never takes the place of a connect the remote accepted, which waits only
 * for the guest's ACK.
 */
struct list_head *unat_flow_connect_add(struct unat_flow_table *t,
					struct list_head *node, u32 limit)
{
	struct list_head *victims, *evicted = NULL;

	spin_lock_bh(&t->connect_lock);
	victims = list_empty(&t->connects) ? &t->answered : &t->connects;
	if (t->connecting >= limit && !list_empty(victims)) {
		evicted = victims->next;
		list_del_init(evicted);
	} else {
		WRITE_ONCE(t->connecting, t->connecting + 1);
	}
	list_add_tail(node, &t->connects);
	spin_unlock_bh(&t->connect_lock);
	return evicted;
}
EXPORT_SYMBOL_IF_KUNIT(unat_flow_connect_add);

/* The remote accepted the connect @node: evicted only after the rest. */
void unat_flow_connect_answered(struct unat_flow_table *t,
				struct list_head *node)
{
	spin_lock_bh(&t->connect_lock);
	if (!list_empty(node))
		list_move_tail(node, &t->answered);
	spin_unlock_bh(&t->connect_lock);
}
EXPORT_SYMBOL_IF_KUNIT(unat_flow_connect_answered);

/* The connect @node, if still counted, no longer is. */
void unat_flow_connect_done(struct unat_flow_table *t, struct list_head *node)
{
	spin_lock_bh(&t->connect_lock);
	if (!list_empty(node)) {
		list_del_init(node);
		WRITE_ONCE(t->connecting, t->connecting - 1);
	}
	spin_unlock_bh(&t->connect_lock);
}
EXPORT_SYMBOL_IF_KUNIT(unat_flow_connect_done);

/* Caller holds RCU (BH). */
struct unat_flow *unat_flow_lookup(struct unat_flow_table *t,
				   const struct unat_flow_key *key)
{
	struct hlist_head *head = &t->buckets[unat_flow_hash(t, key)];
	struct unat_flow *flow;

	hlist_for_each_entry_rcu(flow, head, node)
		if (!memcmp(&flow->key, key, sizeof(*key)))
			return flow;
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(unat_flow_lookup);

static void unat_flow_open_work(struct work_struct *work)
{
	struct unat_flow *flow = container_of(work, struct unat_flow,
					      open_work);

	flow->ops->work(flow);
}

/*
 * The local ports @unat's flows may hold: its port share of the creating
 * netns's ip_local_port_range as it is now, at least one; 0 once that
 * netns is gone.
 */
unsigned int unat_flow_port_cap(struct unat_dev *unat)
{
	unsigned int cap = 0;
	struct net *net;
	int lo, hi;

	rcu_read_lock();
	net = rcu_dereference(unat->creating_net);
	if (net) {
		inet_get_local_port_range(net, &lo, &hi);
		cap = (hi - lo + 1) * rcu_dereference(unat->config)->port_share;
		cap = max(cap / 100, 1U);
	}
	rcu_read_unlock();
	return cap;
}
EXPORT_SYMBOL_IF_KUNIT(unat_flow_port_cap);

/* The counter for unat_flow_create()'s failure @err. */
enum unat_stat unat_flow_create_stat(int err)
{
	switch (err) {
	case -ENOSPC:
		return UNAT_STAT_DROP_FLOW_LIMIT;
	case -EADDRINUSE:
		return UNAT_STAT_DROP_PORT_SHARE;
	default:
		return UNAT_STAT_DROP_NOMEM;
	}
}
EXPORT_SYMBOL_IF_KUNIT(unat_flow_create_stat);

/*
 * Create and link a flow for @key, in state OPENING, run by @ops.  The
 * caller queues its first frame, then unat_flow_start_open().  Fails with
 * -ENOSPC when the table holds @limit flows, -EADDRINUSE when the flow
 * would take a local port past the device's port share, -EEXIST when
 * another CPU created it first (its flow is returned), or -ENODEV when the
 * device is going away.
 */
struct unat_flow *unat_flow_create(struct unat_flow_table *t,
				   const struct unat_flow_key *key,
				   const struct unat_flow_ops *ops,
				   unsigned int limit, unsigned long timeout,
				   int *err)
{
	struct hlist_head *head = &t->buckets[unat_flow_hash(t, key)];
	struct unat_flow *flow, *old;
	unsigned int port_cap;

	flow = kmem_cache_zalloc(unat_flow_cache, GFP_ATOMIC);
	if (!flow) {
		*err = -ENOMEM;
		return NULL;
	}
	flow->key = *key;
	flow->ops = ops;
	flow->unat = t->unat;
	skb_queue_head_init(&flow->pending);
	INIT_WORK(&flow->open_work, unat_flow_open_work);
	flow->created = jiffies;
	flow->last_used = flow->created;
	flow->timeout = timeout;
	flow->state = UNAT_FLOW_OPENING;
	flow->holds_port = ops->own_port && key->kind != UNAT_FLOW_KIND_FWD;
	/* a table without a device (KUnit's) has no netns, nor a share */
	port_cap = flow->holds_port && t->unat ?
		   unat_flow_port_cap(t->unat) : UINT_MAX;

	spin_lock_bh(&t->lock);
	*err = t->dead ? -ENODEV : t->count >= limit ? -ENOSPC : 0;
	if (!*err && flow->holds_port && t->ports >= port_cap)
		*err = -EADDRINUSE;
	hlist_for_each_entry(old, head, node) {
		if (!memcmp(&old->key, key, sizeof(*key))) {
			*err = -EEXIST;
			break;
		}
	}
	if (!*err) {
		hlist_add_head_rcu(&flow->node, head);
		t->count++;
		t->ports += flow->holds_port;
	}
	spin_unlock_bh(&t->lock);
	if (*err) {
		kmem_cache_free(unat_flow_cache, flow);
		return *err == -EEXIST ? old : NULL;
	}
	return flow;
}
EXPORT_SYMBOL_IF_KUNIT(unat_flow_create);

void unat_flow_start_open(struct unat_flow *flow)
{
	queue_work(unat_wq, &flow->open_work);
}

void unat_flow_touch(struct unat_flow *flow)
{
	unsigned long now = jiffies;

	if (READ_ONCE(flow->last_used) != now)
		WRITE_ONCE(flow->last_used, now);
}

void unat_flow_account(atomic64_t *pkts, atomic64_t *bytes, unsigned int len)
{
	atomic64_inc(pkts);
	atomic64_add(len, bytes);
}

/*
 * What @skb costs while it is held: its truesize, but never less than its
 * head's (the host's TCP stack marks a pure ACK with a truesize of 2, and
 * a container's guest is that stack).  Nothing changes a queued skb, so
 * its charge and its uncharge agree.
 */
static unsigned int unat_flow_cost(const struct sk_buff *skb)
{
	return max_t(unsigned int, skb->truesize,
		     SKB_TRUESIZE(skb_end_offset(skb)));
}

/*
 * The byte budget of the device's held frames (flows' pending queues and
 * TCP backlogs): charge @skb's cost to @t before queueing it, or false if
 * that would take the total past @limit.  The total never passes it, not
 * even for a moment: what `unat show` reads is within the bound.  Every
 * charged skb is uncharged exactly once, when it leaves its queue.
 */
bool unat_flow_charge(struct unat_flow_table *t, const struct sk_buff *skb,
		      u32 limit)
{
	unsigned int cost = unat_flow_cost(skb);
	long cur = atomic_long_read(&t->queued);

	do {
		if (cur + cost > limit)
			return false;
	} while (!atomic_long_try_cmpxchg(&t->queued, &cur, cur + cost));
	cur += cost;
	if (cur > READ_ONCE(t->queued_peak))
		WRITE_ONCE(t->queued_peak, cur);
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(unat_flow_charge);

void unat_flow_uncharge(struct unat_flow_table *t, const struct sk_buff *skb)
{
	atomic_long_sub(unat_flow_cost(skb), &t->queued);
}
EXPORT_SYMBOL_IF_KUNIT(unat_flow_uncharge);

/* The next skb of the charged queue @q, uncharged; NULL if none. */
struct sk_buff *unat_flow_dequeue(struct unat_flow_table *t,
				  struct sk_buff_head *q)
{
	struct sk_buff *skb = skb_dequeue(q);

	if (skb)
		unat_flow_uncharge(t, skb);
	return skb;
}
EXPORT_SYMBOL_IF_KUNIT(unat_flow_dequeue);

/* Free what the charged queue @q holds; the caller holds q->lock. */
static void __unat_flow_purge(struct unat_flow_table *t,
			      struct sk_buff_head *q)
{
	struct sk_buff *skb;

	lockdep_assert_held(&q->lock);
	while ((skb = __skb_dequeue(q))) {
		unat_flow_uncharge(t, skb);
		kfree_skb(skb);
	}
}

void unat_flow_purge(struct unat_flow_table *t, struct sk_buff_head *q)
{
	spin_lock_bh(&q->lock);
	__unat_flow_purge(t, q);
	spin_unlock_bh(&q->lock);
}
EXPORT_SYMBOL_IF_KUNIT(unat_flow_purge);

/*
 * Hold @skb until the socket is open.  Returns UNAT_STAT_OK if the flow is
 * open already (the caller sends @skb); @queued once @skb is held; or the
 * drop counter, @skb left to the caller: the flow's queue is full, the
 * device's byte budget @limit spent, or the flow failed.
 */
enum unat_stat unat_flow_queue(struct unat_flow *flow, struct sk_buff *skb,
			       u32 limit, enum unat_stat queued)
{
	struct sk_buff_head *q = &flow->pending;
	enum unat_stat ret = queued;

	spin_lock_bh(&q->lock);
	switch (flow->state) {
	case UNAT_FLOW_OPENING:
		if (skb_queue_len(q) >= UNAT_FLOW_PENDING_MAX)
			ret = UNAT_STAT_DROP_FLOW_BUSY;
		else if (!unat_flow_charge(flow->unat->flows, skb, limit))
			ret = UNAT_STAT_DROP_QUEUE_LIMIT;
		else
			__skb_queue_tail(q, skb);
		break;
	case UNAT_FLOW_OPEN:
		ret = UNAT_STAT_OK;
		break;
	default:
		ret = UNAT_STAT_DROP_FLOW_BUSY;
		break;
	}
	spin_unlock_bh(&q->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(unat_flow_queue);

/* Process context: the socket is ready; send what waited for it. */
void unat_flow_opened(struct unat_flow *flow, struct socket *sock)
{
	struct sk_buff_head q;
	struct sk_buff *skb;

	__skb_queue_head_init(&q);
	flow->sock = sock;
	spin_lock_bh(&flow->pending.lock);
	/* pairs with READ_ONCE(flow->state) on the data path */
	smp_store_release(&flow->state, UNAT_FLOW_OPEN);
	skb_queue_splice_init(&flow->pending, &q);
	spin_unlock_bh(&flow->pending.lock);

	local_bh_disable();
	rcu_read_lock();
	while ((skb = __skb_dequeue(&q))) {
		unat_flow_uncharge(flow->unat->flows, skb);
		if (flow->ops->send)
			flow->ops->send(flow, skb);
		else
			kfree_skb(skb);
	}
	rcu_read_unlock();
	local_bh_enable();
}

/* Process context: no socket; the flow lingers briefly, dropping. */
void unat_flow_failed(struct unat_flow *flow)
{
	spin_lock_bh(&flow->pending.lock);
	WRITE_ONCE(flow->state, UNAT_FLOW_FAILED);
	__unat_flow_purge(flow->unat->flows, &flow->pending);
	spin_unlock_bh(&flow->pending.lock);
	WRITE_ONCE(flow->timeout, min_t(unsigned long, flow->timeout, 5 * HZ));
}
EXPORT_SYMBOL_IF_KUNIT(unat_flow_failed);

/*
 * Any context: the host refused to send @flow's packet (no route, or the
 * host itself with hostloop off).  A flow that never carried a packet
 * holds a socket and a port for nothing: it goes at the next reap.  (A
 * forward's binding is the client's: it stays.)
 */
void unat_flow_refused(struct unat_flow *flow)
{
	if (flow->key.kind == UNAT_FLOW_KIND_NAT &&
	    !atomic64_read(&flow->pkts_out))
		WRITE_ONCE(flow->timeout, 0);
}
EXPORT_SYMBOL_IF_KUNIT(unat_flow_refused);

static void unat_flow_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(unat_flow_cache, container_of(head, struct unat_flow,
						      rcu));
}

/* Process context, the flow already unlinked: wait for its work, close. */
static void unat_flow_destroy(struct unat_flow_table *t,
			      struct unat_flow *flow)
{
	cancel_work_sync(&flow->open_work);
	WRITE_ONCE(flow->state, UNAT_FLOW_CLOSING);
	flow->ops->release(flow);
	unat_flow_purge(t, &flow->pending);
	call_rcu(&flow->rcu, unat_flow_free_rcu);
}

static bool unat_flow_expired(const struct unat_flow *flow, unsigned long now)
{
	return time_after(now, READ_ONCE(flow->last_used) +
			       READ_ONCE(flow->timeout));
}

/* Unlink the flows that @all or expiry select onto @list.  Table lock held. */
static void unat_flow_unlink(struct unat_flow_table *t, bool all,
			     struct list_head *list)
{
	unsigned long now = jiffies;
	struct unat_flow *flow;
	struct hlist_node *tmp;
	int i;

	lockdep_assert_held(&t->lock);
	for (i = 0; i < ARRAY_SIZE(t->buckets); i++) {
		hlist_for_each_entry_safe(flow, tmp, &t->buckets[i], node) {
			if (!all && !unat_flow_expired(flow, now)) {
				if (flow->ops->tick)
					flow->ops->tick(flow);
				continue;
			}
			hlist_del_init_rcu(&flow->node);
			t->count--;
			t->ports -= flow->holds_port;
			list_add_tail(&flow->reap_node, list);
		}
	}
}

static void unat_flow_destroy_list(struct unat_flow_table *t,
				   struct list_head *list)
{
	struct unat_flow *flow, *tmp;

	if (list_empty(list))
		return;
	/* lookups that found these flows are over */
	synchronize_rcu();
	list_for_each_entry_safe(flow, tmp, list, reap_node)
		unat_flow_destroy(t, flow);
}

/* Close the flows idle past their timeout.  Process context. */
void unat_flow_expire(struct unat_flow_table *t)
{
	LIST_HEAD(list);

	spin_lock_bh(&t->lock);
	unat_flow_unlink(t, false, &list);
	spin_unlock_bh(&t->lock);
	unat_flow_destroy_list(t, &list);
}
EXPORT_SYMBOL_IF_KUNIT(unat_flow_expire);

static void unat_flow_reap(struct work_struct *work)
{
	struct unat_flow_table *t = container_of(to_delayed_work(work),
						 struct unat_flow_table,
						 reaper);

	unat_flow_expire(t);
	if (!READ_ONCE(t->dead))
		queue_delayed_work(unat_wq, &t->reaper, UNAT_REAP_INTERVAL);
}

/*
 * Close every flow and stop expiry; new flows are refused until
 * unat_flow_table_start().  Process context (device down, creating netns
 * exiting, device destruction).
 */
void unat_flow_flush(struct unat_flow_table *t)
{
	LIST_HEAD(list);

	spin_lock_bh(&t->lock);
	t->dead = true;
	unat_flow_unlink(t, true, &list);
	spin_unlock_bh(&t->lock);
	cancel_delayed_work_sync(&t->reaper);
	unat_flow_destroy_list(t, &list);
}
EXPORT_SYMBOL_IF_KUNIT(unat_flow_flush);

/*
 * Call @fn on flows from bucket *@bucket, skipping *@idx flows in it, under
 * RCU; stops when @fn fails, leaving the cursor on that flow.
 */
int unat_flow_walk(struct unat_flow_table *t, unsigned long *bucket,
		   unsigned long *idx,
		   int (*fn)(struct unat_flow *flow, void *arg), void *arg)
{
	struct unat_flow *flow;
	unsigned long i;
	int err = 0;

	rcu_read_lock();
	for (; *bucket < ARRAY_SIZE(t->buckets); (*bucket)++, *idx = 0) {
		i = 0;
		hlist_for_each_entry_rcu(flow, &t->buckets[*bucket], node) {
			if (i++ < *idx)
				continue;
			err = fn(flow, arg);
			if (err)
				goto out;
			(*idx)++;
		}
	}
out:
	rcu_read_unlock();
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(unat_flow_walk);

int unat_flow_init(void)
{
	unat_flow_cache = KMEM_CACHE(unat_flow, 0);
	if (!unat_flow_cache)
		return -ENOMEM;
	unat_wq = alloc_workqueue("unat", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	if (!unat_wq) {
		kmem_cache_destroy(unat_flow_cache);
		return -ENOMEM;
	}
	return 0;
}

void unat_flow_uninit(void)
{
	destroy_workqueue(unat_wq);
	rcu_barrier();		/* unat_flow_free_rcu() */
	kmem_cache_destroy(unat_flow_cache);
}
