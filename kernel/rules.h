/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTGUARD_RULES_H
#define _CTGUARD_RULES_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

struct cgroup;
struct netlink_ext_ack;
struct sk_buff;
struct ctg_policy;
struct ctg_policy_update;

/* One component of a pattern: pattern[off .. off + len). */
struct ctg_rule_comp {
	u16 off;
	u16 len;
};

/*
 * A rule: every cgroup whose path matches @pattern gets a copy of @tmpl
 * (a "derived" policy, p->rule pointing here). The list of rules and each
 * rule's template are read under RCU (the cgroup creation probe, the
 * self-protection probes) and written under ctg_policy_lock().
 */
struct ctg_rule {
	struct list_head node;		/* ctg_rules, creation order */
	struct rcu_head rcu;
	u64 id;				/* creation order, for dumps */
	struct ctg_policy __rcu *tmpl;	/* cgid 0, no counters */
	u32 gen;			/* bumped at each template change */
	atomic_t matched;		/* derived policies of this rule */
	bool dead;			/* deleted: its policies must go */
	char *pattern;
	u16 nr_comp;			/* = depth of the cgroups it matches */
	struct ctg_rule_comp comp[];
};

extern unsigned int ctg_max_rules;

static inline void ctg_rule_count_derived(struct ctg_rule *r, int delta)
{
	atomic_add(delta, &r->matched);
}

int ctg_rules_init(void);
void ctg_rules_exit(void);

int ctg_rule_set(const char *pattern, const struct ctg_policy_update *up,
		 struct netlink_ext_ack *extack);
int ctg_rule_del(const char *pattern, struct netlink_ext_ack *extack);
unsigned int ctg_rules_count(void);

/*
 * A DEL_POLICY of @cgid is about to leave it without a policy: if a rule
 * matches it, remember that rules must not apply to it again.
 */
int ctg_rules_exempt(u64 cgid);

/*
 * Self-protection, fail closed: true when @dst or one of its ancestors
 * matches a rule but has no policy yet. Any context; takes rcu_read_lock().
 */
bool ctg_rules_unconfined_match(struct cgroup *dst);

/*
 * Replies. ctg_rules_fill_one() finds @pattern; ctg_rules_dump() resumes
 * after rule id *@pos. @fill builds one message from a rule under RCU.
 */
typedef int (*ctg_rule_fill_fn)(struct sk_buff *skb, const struct ctg_rule *r,
				const struct ctg_policy *tmpl, void *arg);
int ctg_rules_fill_one(const char *pattern, struct sk_buff *skb,
		       ctg_rule_fill_fn fill, void *arg);
int ctg_rules_dump(u64 *pos, struct sk_buff *skb, ctg_rule_fill_fn fill,
		   void *arg);

#endif /* _CTGUARD_RULES_H */
