// SPDX-License-Identifier: GPL-2.0
/*
 * Policy store: an xarray indexed by cgroup id, read locklessly under RCU by
 * the hooks and written under ctg_policy_mutex by netlink requests. Policies
 * of removed cgroups are reclaimed by a periodic scan; cgroup ids are never
 * reused on 64-bit kernels, so a stale entry can never match a new cgroup.
 */

#include <linux/cgroup.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "hooks.h"
#include "policy.h"
#include "rules.h"

DEFINE_XARRAY(ctg_policies);
struct ctg_counters ctg_global_counters;

static DEFINE_MUTEX(ctg_policy_mutex);
static unsigned int ctg_nr_policies;
/*
 * Policies derived from rules are counted apart, with atomics: the cgroup
 * creation probe publishes them without the mutex. Their classes are not
 * counted either: their rule keeps its classes armed while it exists.
 */
static atomic_t ctg_nr_derived = ATOMIC_INIT(0);

struct ctg_bloom __rcu *ctg_bloom;
DEFINE_SPINLOCK(ctg_bloom_lock);
/* The filter a rebuild is filling; additions go to both meanwhile. */
static struct ctg_bloom *ctg_bloom_next;
/* Policies removed since the last rebuild: their bits are stale. */
static unsigned int ctg_bloom_stale;
/* How many policies deny each class bit (and any capability, at CAP). */
static unsigned int ctg_class_users[8];
static u32 ctg_armed_classes;

#define CTG_RECLAIM_INTERVAL (5 * HZ)
static void ctg_reclaim_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(ctg_reclaim_work, ctg_reclaim_work_fn);

u32 ctg_policy_classes(const struct ctg_policy *p)
{
	return p->deny | (p->deny_caps ? CTGUARD_CLASS_CAP : 0);
}

static void ctg_account(const struct ctg_policy *p, int delta)
{
	u32 classes = ctg_policy_classes(p);
	unsigned int bit;

	if (p->rule) {
		atomic_add(delta, &ctg_nr_derived);
		ctg_rule_count_derived(p->rule, delta);
		return;
	}
	for (bit = 0; bit < ARRAY_SIZE(ctg_class_users); bit++)
		if (classes & BIT(bit))
			ctg_class_users[bit] += delta;
	ctg_nr_policies += delta;
}

/* Classes whose probes must be armed for the current set of policies. */
static u32 ctg_needed_classes(void)
{
	u32 needed = 0;
	unsigned int bit;

	for (bit = 0; bit < ARRAY_SIZE(ctg_class_users); bit++)
		if (ctg_class_users[bit])
			needed |= BIT(bit);
	/* The device allowlist is also consulted when nodes are created. */
	if (needed & CTGUARD_CLASS_DEVICES)
		needed |= CTGUARD_CLASS_MKNOD;
	if (ctg_nr_policies)
		needed |= CTGUARD_CLASS_CGROUP;
	return needed;
}

static int ctg_sync_hooks(void)
{
	u32 needed = ctg_needed_classes();
	int err;

	if (needed == ctg_armed_classes)
		return 0;
	err = ctg_hooks_sync(needed, ctg_armed_classes);
	if (!err)
		ctg_armed_classes = needed;
	return err;
}

void ctg_policy_bloom_add(u64 cgid)
{
	unsigned long bit = ctg_bloom_bit(cgid);
	unsigned long flags;

	spin_lock_irqsave(&ctg_bloom_lock, flags);
	set_bit(bit, rcu_dereference_protected(ctg_bloom, true)->bits);
	if (ctg_bloom_next)
		set_bit(bit, ctg_bloom_next->bits);
	spin_unlock_irqrestore(&ctg_bloom_lock, flags);
}

/*
 * Start a filter afresh from the policies that exist, once enough have gone
 * that their stale bits matter. Called with ctg_policy_mutex held.
 */
static void ctg_policy_bloom_rebuild(void)
{
	struct ctg_bloom *new, *old;
	struct ctg_policy *p;
	unsigned long index;

	if (ctg_bloom_stale < max(1024U, ctg_nr_policies / 2))
		return;
	new = kvzalloc(sizeof(*new), GFP_KERNEL);
	if (!new)
		return;	/* the old filter stays correct, only less sharp */
	spin_lock_irq(&ctg_bloom_lock);
	ctg_bloom_next = new;
	spin_unlock_irq(&ctg_bloom_lock);

	xa_for_each(&ctg_policies, index, p)
		set_bit(ctg_bloom_bit(p->cgid), new->bits);

	spin_lock_irq(&ctg_bloom_lock);
	old = rcu_replace_pointer(ctg_bloom, new, true);
	ctg_bloom_next = NULL;
	spin_unlock_irq(&ctg_bloom_lock);
	ctg_bloom_stale = 0;
	kvfree_rcu(old, rcu);
	pr_debug("rebuilt the lookup filter for %u policies\n", ctg_nr_policies);
}

static void ctg_policy_free_rcu(struct rcu_head *rcu)
{
	struct ctg_policy *p = container_of(rcu, struct ctg_policy, rcu);

	if (p->owns_counters)
		kfree(p->counters);
	kfree(p);
}

static void ctg_policy_retire(struct ctg_policy *p)
{
	call_rcu(&p->rcu, ctg_policy_free_rcu);
}

static struct ctg_policy *ctg_policy_alloc(u32 nr_dev_rules)
{
	return kzalloc(struct_size((struct ctg_policy *)NULL, dev_rules, nr_dev_rules),
		       GFP_KERNEL);
}

/* Resolve a cgroup v2 id to a live, non-root cgroup, or explain why not. */
static int ctg_check_cgroup(u64 cgid, struct netlink_ext_ack *extack)
{
	struct cgroup *cgrp = cgroup_get_from_id(cgid);
	int err = 0;

	if (IS_ERR(cgrp)) {
		NL_SET_ERR_MSG_MOD(extack, "no cgroup v2 cgroup has this id");
		return -ENOENT;
	}
	if (!cgroup_parent(cgrp)) {
		NL_SET_ERR_MSG_MOD(extack, "refusing to confine the root cgroup");
		err = -EINVAL;
	}
	cgroup_put(cgrp);
	return err;
}

/**
 * ctg_policy_set() - create or update the policy of a cgroup
 * @up: the request; fields it does not carry keep their value, unless
 *	CTGUARD_F_REPLACE resets them
 * @extack: where to explain a refusal
 *
 * Arms the probes the new policy needs before publishing it, so that it
 * holds from the first operation after this returns.
 */
int ctg_policy_set(const struct ctg_policy_update *up,
		   struct netlink_ext_ack *extack)
{
	struct ctg_policy *old, *new;
	bool replace = up->flags & CTGUARD_F_REPLACE;
	u32 nr_rules;
	int err;

	err = ctg_check_cgroup(up->cgid, extack);
	if (err)
		return err;

	mutex_lock(&ctg_policy_mutex);
	old = xa_load(&ctg_policies, up->cgid);
	if (!old && ctg_policy_count() >= ctg_max_policies) {
		NL_SET_ERR_MSG_MOD(extack, "policy limit (max_policies) reached");
		err = -ENOSPC;
		goto out_unlock;
	}

	if (up->has_dev_rules)
		nr_rules = up->nr_dev_rules;
	else
		nr_rules = (old && !replace) ? old->nr_dev_rules : 0;
	new = ctg_policy_alloc(nr_rules);
	if (!new) {
		err = -ENOMEM;
		goto out_unlock;
	}
	new->cgid = up->cgid;
	new->nr_dev_rules = nr_rules;
	if (old && !replace) {
		new->deny = old->deny;
		new->deny_caps = old->deny_caps;
		new->mode = old->mode;
		if (!up->has_dev_rules)
			memcpy(new->dev_rules, old->dev_rules,
			       flex_array_size(new, dev_rules, nr_rules));
	}
	if (up->has_deny)
		new->deny = up->deny;
	if (up->has_deny_caps)
		new->deny_caps = up->deny_caps;
	if (up->has_mode)
		new->mode = up->mode;
	new->pending = up->flags & CTGUARD_F_ON_EXEC;
	if (up->has_dev_rules)
		memcpy(new->dev_rules, up->dev_rules,
		       flex_array_size(new, dev_rules, nr_rules));

	if (old) {
		new->counters = old->counters;
	} else {
		new->counters = kzalloc(sizeof(*new->counters), GFP_KERNEL);
		if (!new->counters) {
			err = -ENOMEM;
			goto err_free_new;
		}
	}
	new->owns_counters = true;

	if (old)
		ctg_account(old, -1);
	ctg_account(new, 1);
	/* Keep the probes of both while switching; trim after publishing. */
	if (old)
		ctg_account(old, 1);
	err = ctg_sync_hooks();
	if (old)
		ctg_account(old, -1);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "cannot arm a probe this policy needs (see kernel log)");
		goto err_unaccount;
	}

	ctg_policy_bloom_add(up->cgid);
	err = xa_err(xa_store(&ctg_policies, up->cgid, new, GFP_KERNEL));
	if (err)
		goto err_unaccount;
	if (old) {
		old->owns_counters = false;
		ctg_policy_retire(old);
	}
	/* Disarming what nobody needs any more cannot weaken the new policy. */
	ctg_sync_hooks();
	if (ctg_nr_policies == 1)
		schedule_delayed_work(&ctg_reclaim_work, CTG_RECLAIM_INTERVAL);
	mutex_unlock(&ctg_policy_mutex);
	return 0;

err_unaccount:
	ctg_account(new, -1);
	if (old)
		ctg_account(old, 1);
	ctg_sync_hooks();
	if (!old)
		kfree(new->counters);
err_free_new:
	kfree(new);
out_unlock:
	mutex_unlock(&ctg_policy_mutex);
	return err;
}

static void ctg_policy_remove_locked(struct ctg_policy *p)
{
	xa_erase(&ctg_policies, p->cgid);
	ctg_account(p, -1);
	ctg_bloom_stale++;
	ctg_policy_retire(p);
}

int ctg_policy_del(u64 cgid)
{
	struct ctg_policy *p;
	int err = -ENOENT;

	mutex_lock(&ctg_policy_mutex);
	p = xa_load(&ctg_policies, cgid);
	if (p) {
		ctg_policy_remove_locked(p);
		ctg_sync_hooks();
		err = 0;
	}
	mutex_unlock(&ctg_policy_mutex);
	return err;
}

unsigned int ctg_policy_count(void)
{
	return READ_ONCE(ctg_nr_policies) + atomic_read(&ctg_nr_derived);
}

static bool ctg_cgroup_gone(u64 cgid)
{
	struct cgroup *cgrp = cgroup_get_from_id(cgid);
	bool gone;

	if (IS_ERR(cgrp))
		return true;
	gone = !(cgrp->self.flags & CSS_ONLINE);
	cgroup_put(cgrp);
	return gone;
}

static void ctg_reclaim_work_fn(struct work_struct *work)
{
	struct ctg_policy *p;
	unsigned long index;
	unsigned int reclaimed = 0;

	mutex_lock(&ctg_policy_mutex);
	xa_for_each(&ctg_policies, index, p) {
		if (!ctg_cgroup_gone(p->cgid))
			continue;
		ctg_policy_remove_locked(p);
		reclaimed++;
		cond_resched();
	}
	ctg_policy_bloom_rebuild();
	if (reclaimed) {
		ctg_sync_hooks();
		pr_debug("reclaimed %u policies of removed cgroups\n", reclaimed);
	}
	if (ctg_policy_count())
		schedule_delayed_work(&ctg_reclaim_work, CTG_RECLAIM_INTERVAL);
	mutex_unlock(&ctg_policy_mutex);
}

void ctg_policy_reclaim_soon(void)
{
	mod_delayed_work(system_wq, &ctg_reclaim_work, 0);
}

void ctg_policy_lock(void)
{
	mutex_lock(&ctg_policy_mutex);
}

void ctg_policy_unlock(void)
{
	mutex_unlock(&ctg_policy_mutex);
}

static void ctg_account_classes(u32 classes, int delta)
{
	unsigned int bit;

	for (bit = 0; bit < ARRAY_SIZE(ctg_class_users); bit++)
		if (classes & BIT(bit))
			ctg_class_users[bit] += delta;
}

/* A rule holds its classes, and CTGUARD_CLASS_CGROUP, while it exists. */
int ctg_policy_hold_classes(u32 classes)
{
	int err;

	lockdep_assert_held(&ctg_policy_mutex);
	ctg_account_classes(classes, 1);
	err = ctg_sync_hooks();
	if (err) {
		ctg_account_classes(classes, -1);
		ctg_sync_hooks();
	}
	return err;
}

void ctg_policy_release_classes(u32 classes)
{
	lockdep_assert_held(&ctg_policy_mutex);
	ctg_account_classes(classes, -1);
	ctg_sync_hooks();
}

/*
 * Publish derived policy @p (p->rule set, counters its own). From the
 * cgroup creation probe (@atomic: under a spinlock, interrupts off) the
 * filter bit and the entry go in under ctg_bloom_lock, so that a rebuild
 * of the filter sees one or the other; under ctg_policy_mutex a rebuild
 * cannot run at all.
 */
int ctg_policy_insert_derived(struct ctg_policy *p, bool atomic)
{
	unsigned long bit = ctg_bloom_bit(p->cgid), flags;
	int err;

	if (ctg_policy_count() >= ctg_max_policies)
		return -ENOSPC;
	if (!atomic) {
		lockdep_assert_held(&ctg_policy_mutex);
		ctg_policy_bloom_add(p->cgid);
		err = xa_insert(&ctg_policies, p->cgid, p, GFP_KERNEL);
	} else {
		spin_lock_irqsave(&ctg_bloom_lock, flags);
		set_bit(bit, rcu_dereference_protected(ctg_bloom, true)->bits);
		if (ctg_bloom_next)
			set_bit(bit, ctg_bloom_next->bits);
		err = xa_insert(&ctg_policies, p->cgid, p, GFP_ATOMIC);
		spin_unlock_irqrestore(&ctg_bloom_lock, flags);
	}
	if (err)
		return err;
	ctg_account(p, 1);
	/* No-op while pending: removed cgroups' policies must go too. */
	schedule_delayed_work(&ctg_reclaim_work, CTG_RECLAIM_INTERVAL);
	return 0;
}

/*
 * Replace derived policy @old by @new (a derived copy for the same cgroup,
 * counters moved by the caller). The bit is already set.
 */
void ctg_policy_replace_locked(struct ctg_policy *old, struct ctg_policy *new)
{
	void *prev;

	lockdep_assert_held(&ctg_policy_mutex);
	prev = xa_cmpxchg(&ctg_policies, old->cgid, old, new, GFP_KERNEL);
	if (prev != old) {
		/* Cannot happen under the mutex; never leak or double-free. */
		WARN_ON_ONCE(1);
		if (new->owns_counters && new->counters != old->counters)
			kfree(new->counters);
		kfree(new);
		return;
	}
	ctg_account(new, 1);
	ctg_account(old, -1);
	/* An exec that put @old in force just now: see ctg_policy_exec(). */
	smp_mb();
	if (READ_ONCE(new->pending) && !READ_ONCE(old->pending))
		WRITE_ONCE(new->pending, false);
	old->owns_counters = false;
	ctg_policy_retire(old);
}

void ctg_policy_erase_locked(struct ctg_policy *p)
{
	lockdep_assert_held(&ctg_policy_mutex);
	ctg_policy_remove_locked(p);
}

bool ctg_cgroup_confined(struct cgroup *cgrp)
{
	struct ctg_policy *p;

	for (; cgroup_parent(cgrp); cgrp = cgroup_parent(cgrp)) {
		p = ctg_policy_find(cgrp);
		if (p && !READ_ONCE(p->pending))
			return true;
	}
	return false;
}

/*
 * An execve in @cgrp or below puts the pending (CTGUARD_F_ON_EXEC) policies
 * on the way up in force. Caller holds rcu_read_lock().
 *
 * A rule update may be replacing a pending policy meanwhile: it publishes
 * the copy, then reads the old one's flag (ctg_policy_replace_locked()); we
 * clear the flag, then look again. One of the two sees the other's write,
 * so the copy cannot stay pending after this exec.
 */
void ctg_policy_exec(struct cgroup *cgrp)
{
	struct ctg_policy *p, *seen;

	for (; cgroup_parent(cgrp); cgrp = cgroup_parent(cgrp)) {
		p = ctg_policy_find(cgrp);
		while (p && READ_ONCE(p->pending)) {
			WRITE_ONCE(p->pending, false);
			smp_mb();
			seen = p;
			p = ctg_policy_find(cgrp);
			if (p == seen)
				break;
		}
	}
}

bool ctg_current_confined(void)
{
	bool confined;

	rcu_read_lock();
	confined = ctg_cgroup_confined(task_dfl_cgroup(current));
	rcu_read_unlock();
	return confined;
}

/* cgroup v1 devices semantics: the first rule that covers the access. */
bool ctg_dev_allowed(const struct ctg_policy *p, u8 type, u32 major,
		     u32 minor, u8 access)
{
	const struct ctg_dev_rule *r;
	u32 i;

	for (i = 0; i < p->nr_dev_rules; i++) {
		r = &p->dev_rules[i];
		if (r->type != CTGUARD_DEV_ALL && r->type != type)
			continue;
		if (r->major != CTGUARD_DEV_ANY && r->major != major)
			continue;
		if (r->minor != CTGUARD_DEV_ANY && r->minor != minor)
			continue;
		if ((access & r->access) == access)
			return true;
	}
	return false;
}

int ctg_policy_init(void)
{
	struct ctg_bloom *bloom = kvzalloc(sizeof(*bloom), GFP_KERNEL);

	if (!bloom)
		return -ENOMEM;
	rcu_assign_pointer(ctg_bloom, bloom);
	return 0;
}

/* Called after every probe is gone and no request can arrive any more. */
void ctg_policy_exit(void)
{
	struct ctg_policy *p;
	unsigned long index;

	cancel_delayed_work_sync(&ctg_reclaim_work);
	mutex_lock(&ctg_policy_mutex);
	xa_for_each(&ctg_policies, index, p)
		ctg_policy_remove_locked(p);
	mutex_unlock(&ctg_policy_mutex);
	xa_destroy(&ctg_policies);
	/* Wait for the frees queued above before the module text goes away. */
	rcu_barrier();
	kvfree(rcu_dereference_protected(ctg_bloom, true));
	RCU_INIT_POINTER(ctg_bloom, NULL);
}
