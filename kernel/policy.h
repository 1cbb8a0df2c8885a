/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTGUARD_POLICY_H
#define _CTGUARD_POLICY_H

#include <linux/atomic.h>
#include <linux/cgroup.h>
#include <linux/hash.h>
#include <linux/spinlock.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/types.h>
#include <linux/xarray.h>

#include <uapi/linux/ctguard.h>

struct netlink_ext_ack;
struct ctg_rule;

struct ctg_dev_rule {
	u8 type;	/* enum ctguard_dev_type */
	u8 access;	/* enum ctguard_dev_access mask */
	u32 major;	/* CTGUARD_DEV_ANY for '*' */
	u32 minor;
};

struct ctg_counters {
	atomic64_t denied;
	atomic64_t complained;
	atomic64_t log_suppressed;
	atomic64_t events_lost;
};

/*
 * A policy is immutable once published: an update publishes a copy and
 * frees the old one after a grace period. The counters outlive updates, so
 * they hang off the policy and move to each new copy.
 */
struct ctg_policy {
	u64 cgid;
	u32 deny;		/* enum ctguard_class mask */
	u64 deny_caps;
	u8 mode;		/* enum ctguard_mode */
	/*
	 * CTGUARD_F_ON_EXEC: not in force until a task of the cgroup execs.
	 * The one field that changes after publication, once, true to false.
	 */
	bool pending;
	/* Rule templates: new cgroups' policies start pending. */
	bool on_exec;
	bool owns_counters;
	struct ctg_counters *counters;
	/*
	 * Derived policies (kernel/rules.c): the rule that made it and the
	 * rule's generation it copies; NULL for an explicit policy. A rule
	 * outlives its derived policies by a grace period.
	 */
	struct ctg_rule *rule;
	u32 rule_gen;
	struct rcu_head rcu;
	u32 nr_dev_rules;
	struct ctg_dev_rule dev_rules[];
};

/* Fields of a SET request; a false has_* keeps the current value. */
struct ctg_policy_update {
	u64 cgid;
	u32 flags;
	bool has_deny, has_deny_caps, has_mode, has_dev_rules;
	u32 deny;
	u64 deny_caps;
	u8 mode;
	u32 nr_dev_rules;
	struct ctg_dev_rule *dev_rules;
};

extern struct xarray ctg_policies;
extern struct ctg_counters ctg_global_counters;
extern unsigned int ctg_max_policies;
extern unsigned int ctg_max_dev_rules;

int ctg_policy_init(void);
void ctg_policy_exit(void);
int ctg_policy_set(const struct ctg_policy_update *up,
		   struct netlink_ext_ack *extack);
int ctg_policy_del(u64 cgid);
unsigned int ctg_policy_count(void);
void ctg_policy_reclaim_soon(void);

/*
 * For kernel/rules.c: rules and their derived policies share the store and
 * its mutex. The _locked functions need ctg_policy_lock().
 */
void ctg_policy_lock(void);
void ctg_policy_unlock(void);
/* Count @classes as needed (or no longer) and arm what that takes. */
int ctg_policy_hold_classes(u32 classes);
void ctg_policy_release_classes(u32 classes);
u32 ctg_policy_classes(const struct ctg_policy *p);
/*
 * Publish a derived policy for a cgroup that has none: -EBUSY when it has
 * one, -ENOSPC at max_policies. With @atomic (any context, no mutex) it
 * allocates with GFP_ATOMIC; otherwise under ctg_policy_lock().
 */
int ctg_policy_insert_derived(struct ctg_policy *p, bool atomic);
/* Swap a derived policy for @new (same cgroup), or erase it. */
void ctg_policy_replace_locked(struct ctg_policy *old, struct ctg_policy *new);
void ctg_policy_erase_locked(struct ctg_policy *p);

/* A decision: the policy that refused (or complained about) an operation. */
struct ctg_match {
	const struct ctg_policy *policy;
	struct cgroup *cgrp;	/* the acting task's cgroup */
};

/*
 * A one-hash Bloom filter in front of the xarray: most cgroups a hook walks
 * through carry no policy, and a clear bit proves it in one load, where the
 * xarray costs a walk down several levels (~150 instructions at 100,000
 * policies). Bits are set before a policy becomes visible and cleared only
 * by a rebuild from the store's contents (ctg_policy_bloom_rebuild()), so a
 * clear bit is never wrong. 2^20 bits: about 10% false hits at 100,000
 * policies, which then pay the xarray lookup as before.
 */
#define CTG_BLOOM_BITS_SHIFT 20

struct ctg_bloom {
	struct rcu_head rcu;
	unsigned long bits[BITS_TO_LONGS(1UL << CTG_BLOOM_BITS_SHIFT)];
};

extern struct ctg_bloom __rcu *ctg_bloom;
extern spinlock_t ctg_bloom_lock;

static inline unsigned long ctg_bloom_bit(u64 cgid)
{
	return hash_64(cgid, CTG_BLOOM_BITS_SHIFT);
}

/*
 * Set @cgid's bit before a policy for it becomes visible in ctg_policies.
 * Callers hold ctg_policy_mutex, or, from atomic context, ctg_bloom_lock
 * across both this and the insertion (so that a concurrent rebuild sees
 * either the entry or the bit).
 */
void ctg_policy_bloom_add(u64 cgid);

/* Caller holds rcu_read_lock() (every hook does). */
static __always_inline struct ctg_policy *ctg_policy_find(const struct cgroup *cgrp)
{
	u64 cgid = cgroup_id(cgrp);
	struct ctg_bloom *bloom = rcu_dereference(ctg_bloom);
	XA_STATE(xas, &ctg_policies, cgid);
	void *entry;

	if (likely(!test_bit(ctg_bloom_bit(cgid), bloom->bits)))
		return NULL;
	/* xa_load() without its own rcu_read_lock(), an out-of-line call. */
	do {
		entry = xas_load(&xas);
		if (xa_is_zero(entry))
			entry = NULL;
	} while (xas_retry(&xas, entry));
	return entry;
}

/*
 * Walk the cgroup of @task and its tagged ancestors (the root cgroup is
 * never tagged) and find the policy that decides, for the operation that
 * @denies recognises. An enforcing policy wins over complaining ones at any
 * depth, so a child in complain mode never relaxes an enforcing ancestor.
 * Caller holds rcu_read_lock() until it is done with @m->policy.
 *
 * Returns false when no policy objects: the common, untagged case.
 */
static __always_inline bool
ctg_evaluate_task(struct task_struct *task,
		  bool (*denies)(const struct ctg_policy *p, const void *arg),
		  const void *arg, struct ctg_match *m)
{
	struct cgroup *cgrp = task_dfl_cgroup(task);
	struct ctg_policy *p;

	m->policy = NULL;
	m->cgrp = cgrp;
	for (; cgroup_parent(cgrp); cgrp = cgroup_parent(cgrp)) {
		p = ctg_policy_find(cgrp);
		if (likely(!p) || READ_ONCE(p->pending) || !denies(p, arg))
			continue;
		m->policy = p;
		if (p->mode == CTGUARD_MODE_ENFORCE)
			break;
	}
	return m->policy;
}

static __always_inline bool
ctg_evaluate(bool (*denies)(const struct ctg_policy *p, const void *arg),
	     const void *arg, struct ctg_match *m)
{
	return ctg_evaluate_task(current, denies, arg, m);
}

static inline bool ctg_match_enforced(const struct ctg_match *m)
{
	return m->policy->mode == CTGUARD_MODE_ENFORCE;
}

/* Any policy at all on the way up from @cgrp: the task is confined. */
bool ctg_cgroup_confined(struct cgroup *cgrp);
void ctg_policy_exec(struct cgroup *cgrp);
bool ctg_current_confined(void);

bool ctg_dev_allowed(const struct ctg_policy *p, u8 type, u32 major,
		     u32 minor, u8 access);

#endif /* _CTGUARD_POLICY_H */
