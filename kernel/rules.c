// SPDX-License-Identifier: GPL-2.0
/*
 * Rules by cgroup path: "every cgroup whose path matches this pattern gets
 * this policy", applied by the module itself. See docs/design.md ("Rules by
 * cgroup path") and CTGUARD_CMD_SET_RULE in the uapi header.
 *
 * A rule's policies are ordinary entries of the policy store marked with
 * their rule ("derived" policies). They are created
 *  - for the cgroups that exist, when a rule is set (a walk of the cgroup2
 *    tree), and
 *  - for each new cgroup, by a probe on the cgroup_mkdir tracepoint, which
 *    cgroup_mkdir() fires before kernfs_activate() makes the directory
 *    visible: no task can be moved into the cgroup, by cgroup.procs or by
 *    clone3(CLONE_INTO_CGROUP), before its policy is in the store.
 * The probe runs under spinlocks with interrupts off, so it allocates with
 * GFP_ATOMIC. Should that fail, the self-protection probes refuse to move
 * any task into a cgroup that matches a rule but has no policy (matching
 * needs no allocation), and a work item retries.
 *
 * Matching compares the pattern, component by component, with the names of
 * the cgroup's kernfs nodes from the cgroup up to the root; cgroup v2
 * directories cannot be renamed, so those names are stable.
 *
 * Locking: rules are written under ctg_policy_lock() (which also orders
 * them with the policy store) and read under RCU.
 */

#include <linux/cgroup.h>
#include <linux/kernfs.h>
#include <linux/limits.h>
#include <linux/moduleparam.h>
#include <linux/netlink.h>
#include <linux/slab.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>

#include "policy.h"
#include "rules.h"

unsigned int ctg_max_rules = 256;
module_param_named(max_rules, ctg_max_rules, uint, 0444);
MODULE_PARM_DESC(max_rules, "Most rules by cgroup path (default 256)");

static LIST_HEAD(ctg_rules);
static unsigned int ctg_nr_rules;
static u64 ctg_rule_last_id;

/*
 * Cgroups whose policy an administrator deleted while a rule matched them:
 * rules leave them alone from then on (value entries, keyed by cgroup id).
 */
static DEFINE_XARRAY(ctg_rule_exempt);

static struct tracepoint *ctg_mkdir_tp;
static bool ctg_mkdir_probe_on;

#define CTG_RULES_RETRY_DELAY (2 * HZ)
static void ctg_rules_retry_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(ctg_rules_retry_work, ctg_rules_retry_fn);

/* --- Patterns ------------------------------------------------------------ */

/* '*' matches any run, '?' one character, the rest itself. */
static bool ctg_glob(const char *pat, size_t plen, const char *name)
{
	size_t p = 0, n = 0, star = SIZE_MAX, star_n = 0;

	while (name[n]) {
		if (p < plen && pat[p] == '*') {
			star = p++;
			star_n = n;
		} else if (p < plen && (pat[p] == '?' || pat[p] == name[n])) {
			p++;
			n++;
		} else if (star != SIZE_MAX) {
			/* Let the last '*' swallow one more character. */
			p = star + 1;
			n = ++star_n;
		} else {
			return false;
		}
	}
	while (p < plen && pat[p] == '*')
		p++;
	return p == plen;
}

/* Caller holds rcu_read_lock() or a reference on @cgrp (on cgroup v2). */
static bool ctg_rule_match(const struct ctg_rule *r, struct cgroup *cgrp)
{
	int i;

	if (cgrp->level != r->nr_comp)
		return false;
	for (i = r->nr_comp - 1; i >= 0; i--) {
		if (!ctg_glob(r->pattern + r->comp[i].off, r->comp[i].len,
			      cgrp->kn->name))
			return false;
		cgrp = cgroup_parent(cgrp);
	}
	return true;
}

/* The oldest rule that matches @cgrp. Caller holds rcu_read_lock(). */
static struct ctg_rule *ctg_rules_first_match(struct cgroup *cgrp)
{
	struct ctg_rule *r;

	list_for_each_entry_rcu(r, &ctg_rules, node)
		if (ctg_rule_match(r, cgrp))
			return r;
	return NULL;
}

/*
 * Check @pattern and build a rule for it (no template yet). Patterns are
 * taken as they are written, so two spellings of one path cannot be two
 * rules: anything but the one canonical form is refused.
 */
static struct ctg_rule *ctg_rule_parse(const char *pattern,
				       struct netlink_ext_ack *extack)
{
	size_t len = strnlen(pattern, CTGUARD_RULE_PATTERN_MAX), i, start;
	unsigned int nr = 0;
	struct ctg_rule *r;

	if (len >= CTGUARD_RULE_PATTERN_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "rule pattern longer than 1023 characters");
		return ERR_PTR(-ENAMETOOLONG);
	}
	if (pattern[0] != '/') {
		NL_SET_ERR_MSG_MOD(extack,
				   "rule pattern must be an absolute path below the cgroup2 root, starting with '/'");
		return ERR_PTR(-EINVAL);
	}
	if (len == 1) {
		NL_SET_ERR_MSG_MOD(extack,
				   "rule pattern \"/\" names the root cgroup, which cannot be confined");
		return ERR_PTR(-EINVAL);
	}
	if (pattern[len - 1] == '/') {
		NL_SET_ERR_MSG_MOD(extack, "rule pattern ends with '/'");
		return ERR_PTR(-EINVAL);
	}
	for (i = 0; i < len; i++) {
		if (pattern[i] < 0x20 || pattern[i] > 0x7e) {
			NL_SET_ERR_MSG_MOD(extack,
					   "rule pattern has a character that is not printable ASCII");
			return ERR_PTR(-EINVAL);
		}
		if (pattern[i] == '/')
			nr++;
	}

	r = kzalloc(struct_size(r, comp, nr), GFP_KERNEL);
	if (!r)
		return ERR_PTR(-ENOMEM);
	r->pattern = kmemdup(pattern, len + 1, GFP_KERNEL);
	if (!r->pattern) {
		kfree(r);
		return ERR_PTR(-ENOMEM);
	}
	r->nr_comp = nr;
	nr = 0;
	for (start = 1; start <= len; start = i + 1) {
		const char *c = pattern + start;
		size_t clen;

		for (i = start; i < len && pattern[i] != '/'; i++)
			;
		clen = i - start;
		if (!clen) {
			NL_SET_ERR_MSG_MOD(extack,
					   "rule pattern has an empty component (\"//\")");
			goto err_inval;
		}
		if ((clen == 1 && c[0] == '.') ||
		    (clen == 2 && c[0] == '.' && c[1] == '.')) {
			NL_SET_ERR_MSG_MOD(extack,
					   "rule pattern has a \".\" or \"..\" component");
			goto err_inval;
		}
		if (clen > NAME_MAX) {
			NL_SET_ERR_MSG_MOD(extack,
					   "rule pattern has a component longer than 255 characters");
			kfree(r->pattern);
			kfree(r);
			return ERR_PTR(-ENAMETOOLONG);
		}
		r->comp[nr].off = start;
		r->comp[nr].len = clen;
		nr++;
	}
	return r;

err_inval:
	kfree(r->pattern);
	kfree(r);
	return ERR_PTR(-EINVAL);
}

static void ctg_rule_free(struct ctg_rule *r)
{
	kfree(rcu_dereference_protected(r->tmpl, true));
	kfree(r->pattern);
	kfree(r);
}

static void ctg_rule_free_rcu(struct rcu_head *rcu)
{
	ctg_rule_free(container_of(rcu, struct ctg_rule, rcu));
}

static struct ctg_rule *ctg_rule_find_locked(const char *pattern)
{
	struct ctg_rule *r;

	list_for_each_entry(r, &ctg_rules, node)
		if (!strcmp(r->pattern, pattern))
			return r;
	return NULL;
}

static struct ctg_policy *ctg_rule_tmpl_locked(struct ctg_rule *r)
{
	return rcu_dereference_protected(r->tmpl, true);
}

/* Probes a rule keeps armed: its classes and the self-protection ones. */
static u32 ctg_rule_classes(const struct ctg_policy *tmpl)
{
	return ctg_policy_classes(tmpl) | CTGUARD_CLASS_CGROUP;
}

/* --- Derived policies ---------------------------------------------------- */

/*
 * A copy of template @t for cgroup @cgid, with @counters (moved from the
 * policy it replaces) or new ones, @pending or in force.
 */
static struct ctg_policy *ctg_rule_derive(struct ctg_rule *r,
					  const struct ctg_policy *t, u64 cgid,
					  struct ctg_counters *counters,
					  bool pending, gfp_t gfp)
{
	size_t size = struct_size(t, dev_rules, t->nr_dev_rules);
	struct ctg_policy *p = kmalloc(size, gfp);

	if (!p)
		return NULL;
	memcpy(p, t, size);
	p->cgid = cgid;
	p->pending = pending;
	p->rule = r;
	p->counters = counters;
	if (!counters) {
		p->counters = kzalloc(sizeof(*p->counters), gfp);
		if (!p->counters) {
			kfree(p);
			return NULL;
		}
	}
	p->owns_counters = true;
	return p;
}

static void ctg_rule_derived_free(struct ctg_policy *p, bool own_counters)
{
	if (own_counters)
		kfree(p->counters);
	kfree(p);
}

static void ctg_rules_retry_soon(void)
{
	schedule_delayed_work(&ctg_rules_retry_work, CTG_RULES_RETRY_DELAY);
}

/*
 * Probe on the cgroup_mkdir tracepoint: cgroup_mutex and a spinlock held,
 * interrupts off. The new cgroup is linked in its parent, named, and not
 * yet visible to user space.
 */
static void ctg_rules_mkdir_probe(void *data, struct cgroup *cgrp,
				  const char *path)
{
	struct ctg_policy *p;
	struct ctg_rule *r;
	int err;

	if (cgrp->root != &cgrp_dfl_root)
		return;
	rcu_read_lock();
	r = ctg_rules_first_match(cgrp);
	if (r) {
		struct ctg_policy *t = rcu_dereference(r->tmpl);

		/* An on-exec rule waits for the runtime to start the program. */
		p = ctg_rule_derive(r, t, cgroup_id(cgrp), NULL, t->on_exec,
				    GFP_ATOMIC | __GFP_NOWARN);
		err = p ? ctg_policy_insert_derived(p, true) : -ENOMEM;
		if (err && p)
			ctg_rule_derived_free(p, true);
		/* EBUSY: the walk of a rule being set was first. */
		if (err && err != -EBUSY) {
			pr_warn_ratelimited("no policy yet for new cgroup %llu matching rule %s (%d); tasks cannot enter it until one is made\n",
					    cgroup_id(cgrp), r->pattern, err);
			ctg_rules_retry_soon();
		}
	}
	rcu_read_unlock();
}

static void ctg_rules_find_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "cgroup_mkdir"))
		ctg_mkdir_tp = tp;
}

static int ctg_rules_probe_on(struct netlink_ext_ack *extack)
{
	int err;

	if (ctg_mkdir_probe_on)
		return 0;
	if (!ctg_mkdir_tp) {
		NL_SET_ERR_MSG_MOD(extack,
				   "this kernel has no cgroup_mkdir tracepoint: rules are unavailable");
		return -EOPNOTSUPP;
	}
	err = tracepoint_probe_register(ctg_mkdir_tp, ctg_rules_mkdir_probe,
					NULL);
	if (err) {
		pr_err("cannot attach to the cgroup_mkdir tracepoint: %d\n", err);
		NL_SET_ERR_MSG_MOD(extack,
				   "cannot attach to the cgroup_mkdir tracepoint (see kernel log)");
		return err;
	}
	ctg_mkdir_probe_on = true;
	return 0;
}

/* Also waits for running probes, like synchronize_rcu(). */
static void ctg_rules_probe_off(void)
{
	if (!ctg_mkdir_probe_on)
		return;
	tracepoint_probe_unregister(ctg_mkdir_tp, ctg_rules_mkdir_probe, NULL);
	tracepoint_synchronize_unregister();
	ctg_mkdir_probe_on = false;
}

/*
 * Rewrite the derived policies whose rule changed (a new template) or is
 * gone (the next rule that matches takes the cgroup over, or the policy
 * goes). Counters move to the new copies. Returns -ENOMEM if some policy
 * could not be rewritten: it keeps its content (or, for a gone rule, is
 * erased) and the retry work tries again.
 */
static int ctg_rules_refresh_locked(void)
{
	struct ctg_policy *p, *np, *t;
	struct ctg_rule *r, *to;
	struct cgroup *cgrp;
	unsigned long index;
	int err = 0;

	xa_for_each(&ctg_policies, index, p) {
		r = p->rule;
		if (!r)
			continue;
		to = r;
		if (r->dead) {
			/* Deleted: who else matches it now? */
			to = NULL;
			cgrp = cgroup_get_from_id(index);
			if (!IS_ERR(cgrp)) {
				rcu_read_lock();
				to = ctg_rules_first_match(cgrp);
				rcu_read_unlock();
				cgroup_put(cgrp);
			}
			if (!to) {
				ctg_policy_erase_locked(p);
				continue;
			}
		} else if (p->rule_gen == ctg_rule_tmpl_locked(r)->rule_gen) {
			continue;
		}
		t = ctg_rule_tmpl_locked(to);
		/* A policy still waiting for its exec keeps waiting. */
		np = ctg_rule_derive(to, t, index, p->counters,
				     READ_ONCE(p->pending), GFP_KERNEL);
		if (!np) {
			err = -ENOMEM;
			if (to != r)
				ctg_policy_erase_locked(p);
			continue;
		}
		ctg_policy_replace_locked(p, np);
		cond_resched();
	}
	return err;
}

#define CTG_RULES_BATCH 64

struct ctg_rules_todo {
	u64 cgid;
	struct ctg_rule *rule;
};

/*
 * Give every cgroup that matches a rule and has no policy (nor an
 * exemption) its derived policy. The tree is walked under RCU in batches,
 * the policies made outside it; cgroups created meanwhile are the creation
 * probe's. Returns the first error (-ENOMEM, -ENOSPC), 0 when all are done.
 */
static int ctg_rules_populate_locked(void)
{
	struct cgroup_subsys_state *pos;
	struct ctg_rules_todo *todo;
	struct ctg_policy *p;
	struct ctg_rule *r;
	unsigned int n, i;
	int err = 0;

	if (list_empty(&ctg_rules))
		return 0;
	todo = kmalloc_array(CTG_RULES_BATCH, sizeof(*todo), GFP_KERNEL);
	if (!todo)
		return -ENOMEM;
	do {
		n = 0;
		rcu_read_lock();
		css_for_each_descendant_pre(pos, &cgrp_dfl_root.cgrp.self) {
			struct cgroup *cgrp = pos->cgroup;
			u64 cgid = cgroup_id(cgrp);

			if (!cgroup_parent(cgrp) || !(pos->flags & CSS_ONLINE) ||
			    xa_load(&ctg_policies, cgid) ||
			    xa_load(&ctg_rule_exempt, cgid))
				continue;
			r = ctg_rules_first_match(cgrp);
			if (!r)
				continue;
			todo[n].cgid = cgid;
			todo[n].rule = r;
			if (++n == CTG_RULES_BATCH)
				break;
		}
		rcu_read_unlock();

		for (i = 0; i < n; i++) {
			r = todo[i].rule;
			/* Tasks may already run there: in force at once. */
			p = ctg_rule_derive(r, ctg_rule_tmpl_locked(r),
					    todo[i].cgid, NULL, false, GFP_KERNEL);
			err = p ? ctg_policy_insert_derived(p, false) : -ENOMEM;
			if (err && p)
				ctg_rule_derived_free(p, true);
			if (err == -EBUSY)	/* the creation probe was first */
				err = 0;
			if (err)
				break;
		}
		cond_resched();
	} while (!err && n == CTG_RULES_BATCH);
	kfree(todo);
	return err;
}

static bool ctg_rules_cgroup_gone(u64 cgid)
{
	struct cgroup *cgrp = cgroup_get_from_id(cgid);
	bool gone;

	if (IS_ERR(cgrp))
		return true;
	gone = !(cgrp->self.flags & CSS_ONLINE);
	cgroup_put(cgrp);
	return gone;
}

static void ctg_rules_exempt_reclaim(void)
{
	unsigned long index;
	void *entry;

	xa_for_each(&ctg_rule_exempt, index, entry)
		if (ctg_rules_cgroup_gone(index))
			xa_erase(&ctg_rule_exempt, index);
}

static void ctg_rules_retry_fn(struct work_struct *work)
{
	int err;

	ctg_policy_lock();
	err = ctg_rules_refresh_locked();
	err = ctg_rules_populate_locked() ?: err;
	if (err && ctg_nr_rules)
		ctg_rules_retry_soon();
	ctg_policy_unlock();
}

/*
 * Take @r out: no new derived policy after the grace period, then its
 * derived policies go to the next matching rule or away.
 */
static void ctg_rule_remove_locked(struct ctg_rule *r)
{
	u32 classes = ctg_rule_classes(ctg_rule_tmpl_locked(r));

	r->dead = true;
	list_del_rcu(&r->node);
	ctg_nr_rules--;
	if (!ctg_nr_rules)
		ctg_rules_probe_off();
	else
		synchronize_rcu();
	/* On failure some were erased instead of handed over: retry. */
	if (ctg_rules_refresh_locked())
		ctg_rules_retry_soon();
	WARN_ON_ONCE(atomic_read(&r->matched));
	ctg_policy_release_classes(classes);
	/* Readers may still hold a policy that points at it. */
	call_rcu(&r->rcu, ctg_rule_free_rcu);
}

/* --- Requests ------------------------------------------------------------ */

/* The template of a SET_RULE: @old (unless replacing) updated by @up. */
static struct ctg_policy *ctg_rule_build_tmpl(const struct ctg_policy *old,
					      const struct ctg_policy_update *up)
{
	bool keep = old && !(up->flags & CTGUARD_F_REPLACE);
	u32 nr = up->has_dev_rules ? up->nr_dev_rules :
		 keep ? old->nr_dev_rules : 0;
	struct ctg_policy *t;

	t = kzalloc(struct_size(t, dev_rules, nr), GFP_KERNEL);
	if (!t)
		return NULL;
	t->nr_dev_rules = nr;
	if (keep) {
		t->deny = old->deny;
		t->deny_caps = old->deny_caps;
		t->mode = old->mode;
		if (!up->has_dev_rules)
			memcpy(t->dev_rules, old->dev_rules,
			       flex_array_size(t, dev_rules, nr));
	}
	if (up->has_deny)
		t->deny = up->deny;
	if (up->has_deny_caps)
		t->deny_caps = up->deny_caps;
	if (up->has_mode)
		t->mode = up->mode;
	if (up->has_dev_rules)
		memcpy(t->dev_rules, up->dev_rules,
		       flex_array_size(t, dev_rules, nr));
	/* Not a field: every SET_RULE says whether the rule waits. */
	t->on_exec = up->flags & CTGUARD_F_ON_EXEC;
	t->rule_gen = old ? old->rule_gen + 1 : 1;
	return t;
}

/**
 * ctg_rule_set() - create or update the rule of a cgroup path pattern
 * @pattern: the pattern, checked here
 * @up: the rule's fields (up->cgid unused)
 * @extack: where to explain a refusal
 *
 * Arms the probes the rule needs, then publishes it, then confines the
 * cgroups that match it. A new rule that cannot confine them all is taken
 * back.
 */
int ctg_rule_set(const char *pattern, const struct ctg_policy_update *up,
		 struct netlink_ext_ack *extack)
{
	struct ctg_policy *old_t = NULL, *t;
	struct ctg_rule *parsed, *r;
	int err;

	parsed = ctg_rule_parse(pattern, extack);
	if (IS_ERR(parsed))
		return PTR_ERR(parsed);

	ctg_policy_lock();
	r = ctg_rule_find_locked(pattern);
	if (!r && ctg_nr_rules >= ctg_max_rules) {
		NL_SET_ERR_MSG_MOD(extack, "rule limit (max_rules) reached");
		err = -ENOSPC;
		goto out_unlock;
	}
	if (r)
		old_t = ctg_rule_tmpl_locked(r);
	t = ctg_rule_build_tmpl(old_t, up);
	if (!t) {
		err = -ENOMEM;
		goto out_unlock;
	}
	err = ctg_policy_hold_classes(ctg_rule_classes(t));
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "cannot arm a probe this rule needs (see kernel log)");
		goto err_free_tmpl;
	}

	if (r) {
		rcu_assign_pointer(r->tmpl, t);
		/* Creation probes that copied the old template are done. */
		synchronize_rcu();
		err = ctg_rules_refresh_locked();
		ctg_policy_release_classes(ctg_rule_classes(old_t));
		kfree(old_t);
		if (err) {
			NL_SET_ERR_MSG_MOD(extack,
					   "rule updated, but some of its cgroups keep the previous policy until memory is found");
			ctg_rules_retry_soon();
		}
		goto out_unlock;
	}

	err = ctg_rules_probe_on(extack);
	if (err)
		goto err_release;
	r = parsed;
	parsed = NULL;
	r->id = ++ctg_rule_last_id;
	RCU_INIT_POINTER(r->tmpl, t);
	list_add_tail_rcu(&r->node, &ctg_rules);
	ctg_nr_rules++;
	err = ctg_rules_populate_locked();
	if (err) {
		if (err == -ENOSPC)
			NL_SET_ERR_MSG_MOD(extack,
					   "cannot confine the cgroups this rule matches: policy limit (max_policies) reached");
		else
			NL_SET_ERR_MSG_MOD(extack,
					   "cannot confine the cgroups this rule matches: out of memory");
		ctg_rule_remove_locked(r);
	}
	ctg_rules_exempt_reclaim();
	goto out_unlock;

err_release:
	ctg_policy_release_classes(ctg_rule_classes(t));
err_free_tmpl:
	kfree(t);
out_unlock:
	ctg_policy_unlock();
	if (parsed) {
		kfree(parsed->pattern);
		kfree(parsed);
	}
	return err;
}

int ctg_rule_del(const char *pattern, struct netlink_ext_ack *extack)
{
	struct ctg_rule *r;
	int err = 0;

	ctg_policy_lock();
	r = ctg_rule_find_locked(pattern);
	if (r) {
		ctg_rule_remove_locked(r);
		ctg_rules_exempt_reclaim();
	} else {
		NL_SET_ERR_MSG_MOD(extack, "no rule has this pattern");
		err = -ENOENT;
	}
	ctg_policy_unlock();
	return err;
}

unsigned int ctg_rules_count(void)
{
	return READ_ONCE(ctg_nr_rules);
}

int ctg_rules_exempt(u64 cgid)
{
	struct cgroup *cgrp;
	bool match;
	int err;

	if (!READ_ONCE(ctg_nr_rules))
		return 0;
	cgrp = cgroup_get_from_id(cgid);
	if (IS_ERR(cgrp))
		return 0;
	rcu_read_lock();
	match = cgrp->root == &cgrp_dfl_root && ctg_rules_first_match(cgrp);
	rcu_read_unlock();
	cgroup_put(cgrp);
	if (!match)
		return 0;
	ctg_policy_lock();
	ctg_rules_exempt_reclaim();
	err = xa_err(xa_store(&ctg_rule_exempt, cgid, xa_mk_value(1),
			      GFP_KERNEL));
	ctg_policy_unlock();
	return err;
}

bool ctg_rules_unconfined_match(struct cgroup *dst)
{
	struct ctg_rule *r = NULL;
	struct cgroup *cgrp;

	if (likely(!READ_ONCE(ctg_nr_rules)) || dst->root != &cgrp_dfl_root)
		return false;
	rcu_read_lock();
	for (cgrp = dst; cgroup_parent(cgrp); cgrp = cgroup_parent(cgrp)) {
		if (ctg_policy_find(cgrp))
			continue;
		r = ctg_rules_first_match(cgrp);
		if (r && !xa_load(&ctg_rule_exempt, cgroup_id(cgrp)))
			break;
		r = NULL;
	}
	if (r)
		pr_warn_ratelimited("refusing to move a task into cgroup %llu: it matches rule %s but has no policy yet\n",
				    cgroup_id(dst), r->pattern);
	rcu_read_unlock();
	return r;
}

/* --- Replies ------------------------------------------------------------- */

int ctg_rules_fill_one(const char *pattern, struct sk_buff *skb,
		       ctg_rule_fill_fn fill, void *arg)
{
	struct ctg_rule *r;
	int err = -ENOENT;

	rcu_read_lock();
	list_for_each_entry_rcu(r, &ctg_rules, node) {
		if (strcmp(r->pattern, pattern))
			continue;
		err = fill(skb, r, rcu_dereference(r->tmpl), arg);
		break;
	}
	rcu_read_unlock();
	return err;
}

/*
 * Rules with an id above *@pos, in creation (= id) order, until @skb is
 * full; *@pos is then the id of the last one put in.
 */
int ctg_rules_dump(u64 *pos, struct sk_buff *skb, ctg_rule_fill_fn fill,
		   void *arg)
{
	struct ctg_rule *r;
	int err = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(r, &ctg_rules, node) {
		if (r->id <= *pos)
			continue;
		err = fill(skb, r, rcu_dereference(r->tmpl), arg);
		if (err)
			break;
		*pos = r->id;
	}
	rcu_read_unlock();
	return err;
}

/* --- Load and unload ----------------------------------------------------- */

int ctg_rules_init(void)
{
	if (ctg_max_rules > 65536) {
		pr_err("max_rules=%u is above 65536\n", ctg_max_rules);
		return -EINVAL;
	}
	for_each_kernel_tracepoint(ctg_rules_find_tp, NULL);
	if (!ctg_mkdir_tp)
		pr_warn("no cgroup_mkdir tracepoint: rules by cgroup path are unavailable\n");
	return 0;
}

/*
 * Unload: no request can arrive any more. Stop the creation probe, then
 * take every rule and its derived policies out.
 */
void ctg_rules_exit(void)
{
	struct ctg_rule *r, *tmp;
	LIST_HEAD(gone);

	ctg_policy_lock();
	ctg_rules_probe_off();
	ctg_policy_unlock();
	/* The work takes the lock; nothing queues it again from here on. */
	cancel_delayed_work_sync(&ctg_rules_retry_work);

	ctg_policy_lock();
	list_for_each_entry(r, &ctg_rules, node)
		r->dead = true;
	list_splice_init_rcu(&ctg_rules, &gone, synchronize_rcu);
	ctg_nr_rules = 0;
	/* No rule left to hand anything over to: every derived one goes. */
	ctg_rules_refresh_locked();
	list_for_each_entry_safe(r, tmp, &gone, node) {
		WARN_ON_ONCE(atomic_read(&r->matched));
		ctg_policy_release_classes(ctg_rule_classes(ctg_rule_tmpl_locked(r)));
		list_del(&r->node);
		call_rcu(&r->rcu, ctg_rule_free_rcu);
	}
	ctg_policy_unlock();
	rcu_barrier();
	xa_destroy(&ctg_rule_exempt);
}
