// SPDX-License-Identifier: GPL-2.0
/*
 * The "ctguard" generic netlink family: policy configuration, status and
 * counters, and the "events" multicast group. The ABI and the attribute tree
 * of each command are documented in include/uapi/linux/ctguard.h.
 */

#include <linux/capability.h>
#include <linux/kdev_t.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include <uapi/linux/ctguard.h>

#include "hooks.h"
#include "netlink.h"
#include "policy.h"
#include "report.h"
#include "rules.h"

static struct genl_family ctg_family;

static const struct nla_policy ctg_dev_rule_policy[CTGUARD_A_DEV_MAX + 1] = {
	/* 'a', 'b' and 'c' are consecutive. */
	[CTGUARD_A_DEV_TYPE] = NLA_POLICY_RANGE(NLA_U8, CTGUARD_DEV_ALL,
						CTGUARD_DEV_CHAR),
	[CTGUARD_A_DEV_MAJOR] = { .type = NLA_U32 },
	[CTGUARD_A_DEV_MINOR] = { .type = NLA_U32 },
	[CTGUARD_A_DEV_ACCESS] = NLA_POLICY_RANGE(NLA_U8, 1,
						  __CTGUARD_DEV_ACCESS_ALL),
};

static const struct nla_policy ctg_set_policy[CTGUARD_A_DEVICES + 1] = {
	[CTGUARD_A_CGROUP_ID] = NLA_POLICY_MIN(NLA_U64, 1),
	[CTGUARD_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, __CTGUARD_F_ALL),
	[CTGUARD_A_DENY] = NLA_POLICY_MASK(NLA_U32, __CTGUARD_CLASS_ALL),
	[CTGUARD_A_DENY_CAPS] = { .type = NLA_U64 },
	[CTGUARD_A_MODE] = NLA_POLICY_MAX(NLA_U8, CTGUARD_MODE_MAX),
	[CTGUARD_A_DEVICES] = NLA_POLICY_NESTED_ARRAY(ctg_dev_rule_policy),
};

static const struct nla_policy ctg_cgroup_policy[CTGUARD_A_CGROUP_ID + 1] = {
	[CTGUARD_A_CGROUP_ID] = NLA_POLICY_MIN(NLA_U64, 1),
};

static const struct nla_policy ctg_set_rule_policy[CTGUARD_A_RULE_PATTERN + 1] = {
	[CTGUARD_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, __CTGUARD_F_ALL),
	[CTGUARD_A_DENY] = NLA_POLICY_MASK(NLA_U32, __CTGUARD_CLASS_ALL),
	[CTGUARD_A_DENY_CAPS] = { .type = NLA_U64 },
	[CTGUARD_A_MODE] = NLA_POLICY_MAX(NLA_U8, CTGUARD_MODE_MAX),
	[CTGUARD_A_DEVICES] = NLA_POLICY_NESTED_ARRAY(ctg_dev_rule_policy),
	/* Length checked by the rule code, with a message that says so. */
	[CTGUARD_A_RULE_PATTERN] = { .type = NLA_NUL_STRING },
};

static const struct nla_policy ctg_rule_policy[CTGUARD_A_RULE_PATTERN + 1] = {
	[CTGUARD_A_RULE_PATTERN] = { .type = NLA_NUL_STRING },
};

static const struct genl_multicast_group ctg_mcgrps[] = {
	{ .name = CTGUARD_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

/* Configuration from a confined task would let it undo its own policy. */
static int ctg_nl_refuse_confined(struct genl_info *info)
{
	if (!ctg_current_confined())
		return 0;
	NL_SET_ERR_MSG_MOD(info->extack,
			   "caller is confined by ctguard and may not change policies");
	return -EPERM;
}

static int ctg_nl_parse_dev_rule(const struct nlattr *nest,
				 struct ctg_dev_rule *rule,
				 struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CTGUARD_A_DEV_MAX + 1];
	int err;

	/* Already validated against ctg_dev_rule_policy as a nested array. */
	err = nla_parse_nested(tb, CTGUARD_A_DEV_MAX, nest, ctg_dev_rule_policy,
			       extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(extack, nest, tb, CTGUARD_A_DEV_TYPE) ||
	    NL_REQ_ATTR_CHECK(extack, nest, tb, CTGUARD_A_DEV_ACCESS)) {
		NL_SET_ERR_MSG_MOD(extack, "device rule needs a type and an access");
		return -EINVAL;
	}
	rule->type = nla_get_u8(tb[CTGUARD_A_DEV_TYPE]);
	rule->access = nla_get_u8(tb[CTGUARD_A_DEV_ACCESS]);
	rule->major = tb[CTGUARD_A_DEV_MAJOR] ?
		      nla_get_u32(tb[CTGUARD_A_DEV_MAJOR]) : CTGUARD_DEV_ANY;
	rule->minor = tb[CTGUARD_A_DEV_MINOR] ?
		      nla_get_u32(tb[CTGUARD_A_DEV_MINOR]) : CTGUARD_DEV_ANY;
	if (rule->major != CTGUARD_DEV_ANY && rule->major > MAJOR(~0U)) {
		NL_SET_BAD_ATTR(extack, tb[CTGUARD_A_DEV_MAJOR]);
		NL_SET_ERR_MSG_MOD(extack, "device major number out of range");
		return -EINVAL;
	}
	if (rule->minor != CTGUARD_DEV_ANY && rule->minor > MINORMASK) {
		NL_SET_BAD_ATTR(extack, tb[CTGUARD_A_DEV_MINOR]);
		NL_SET_ERR_MSG_MOD(extack, "device minor number out of range");
		return -EINVAL;
	}
	if (rule->type == CTGUARD_DEV_ALL &&
	    (tb[CTGUARD_A_DEV_MAJOR] || tb[CTGUARD_A_DEV_MINOR]) &&
	    (rule->major != CTGUARD_DEV_ANY || rule->minor != CTGUARD_DEV_ANY)) {
		NL_SET_BAD_ATTR(extack, nest);
		NL_SET_ERR_MSG_MOD(extack,
				   "a rule of type 'a' covers every device; it takes no numbers");
		return -EINVAL;
	}
	return 0;
}

static int ctg_nl_parse_dev_rules(const struct nlattr *devices,
				  struct ctg_policy_update *up,
				  struct netlink_ext_ack *extack)
{
	const struct nlattr *nest;
	int rem, n = 0, err;

	nla_for_each_nested(nest, devices, rem)
		n++;
	if (n > ctg_max_dev_rules) {
		NL_SET_BAD_ATTR(extack, devices);
		NL_SET_ERR_MSG_MOD(extack, "too many device rules (max_dev_rules)");
		return -E2BIG;
	}
	up->has_dev_rules = true;
	up->nr_dev_rules = n;
	if (!n)
		return 0;
	up->dev_rules = kcalloc(n, sizeof(*up->dev_rules), GFP_KERNEL);
	if (!up->dev_rules)
		return -ENOMEM;
	n = 0;
	nla_for_each_nested(nest, devices, rem) {
		err = ctg_nl_parse_dev_rule(nest, &up->dev_rules[n++], extack);
		if (err)
			return err;
	}
	return 0;
}

/*
 * The policy fields of a SET_POLICY or SET_RULE request. On failure the
 * caller still frees up->dev_rules.
 */
static int ctg_nl_parse_fields(struct genl_info *info,
			       struct ctg_policy_update *up)
{
	struct nlattr **attrs = info->attrs;

	if (attrs[CTGUARD_A_FLAGS])
		up->flags = nla_get_u32(attrs[CTGUARD_A_FLAGS]);
	if (attrs[CTGUARD_A_DENY]) {
		up->has_deny = true;
		up->deny = nla_get_u32(attrs[CTGUARD_A_DENY]);
	}
	if (attrs[CTGUARD_A_DENY_CAPS]) {
		up->has_deny_caps = true;
		up->deny_caps = nla_get_u64(attrs[CTGUARD_A_DENY_CAPS]);
		if (up->deny_caps & ~GENMASK_ULL(CAP_LAST_CAP, 0)) {
			NL_SET_BAD_ATTR(info->extack, attrs[CTGUARD_A_DENY_CAPS]);
			NL_SET_ERR_MSG_MOD(info->extack,
					   "capability above CAP_LAST_CAP");
			return -EINVAL;
		}
	}
	if (attrs[CTGUARD_A_MODE]) {
		up->has_mode = true;
		up->mode = nla_get_u8(attrs[CTGUARD_A_MODE]);
	}
	if (attrs[CTGUARD_A_DEVICES])
		return ctg_nl_parse_dev_rules(attrs[CTGUARD_A_DEVICES], up,
					      info->extack);
	return 0;
}

static int ctg_nl_set_policy(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	struct ctg_policy_update up = { };
	int err;

	if (GENL_REQ_ATTR_CHECK(info, CTGUARD_A_CGROUP_ID))
		return -EINVAL;
	err = ctg_nl_refuse_confined(info);
	if (err)
		return err;

	up.cgid = nla_get_u64(attrs[CTGUARD_A_CGROUP_ID]);
	err = ctg_nl_parse_fields(info, &up);
	if (err)
		goto out;

	err = ctg_policy_set(&up, info->extack);
	if (err == -ENOENT || (err == -EINVAL && !info->extack->bad_attr))
		NL_SET_BAD_ATTR(info->extack, attrs[CTGUARD_A_CGROUP_ID]);
out:
	kfree(up.dev_rules);
	return err;
}

static int ctg_nl_del_policy(struct sk_buff *skb, struct genl_info *info)
{
	bool exists;
	u64 cgid;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, CTGUARD_A_CGROUP_ID))
		return -EINVAL;
	err = ctg_nl_refuse_confined(info);
	if (err)
		return err;
	cgid = nla_get_u64(info->attrs[CTGUARD_A_CGROUP_ID]);
	/* Requests are serialised (genl lock): nobody else adds or deletes. */
	rcu_read_lock();
	exists = xa_load(&ctg_policies, cgid);
	rcu_read_unlock();
	if (exists) {
		/* A rule must not give it back the policy being deleted. */
		err = ctg_rules_exempt(cgid);
		if (err)
			return err;
	}
	err = ctg_policy_del(cgid);
	if (err == -ENOENT) {
		NL_SET_BAD_ATTR(info->extack, info->attrs[CTGUARD_A_CGROUP_ID]);
		NL_SET_ERR_MSG_MOD(info->extack, "this cgroup has no policy");
	}
	return err;
}

static int ctg_nl_put_counters(struct sk_buff *skb,
			       const struct ctg_counters *c)
{
	struct nlattr *nest = nla_nest_start(skb, CTGUARD_A_STATS);

	if (!nest ||
	    nla_put_u64_64bit(skb, CTGUARD_A_STATS_DENIED,
			      atomic64_read(&c->denied), CTGUARD_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, CTGUARD_A_STATS_COMPLAINED,
			      atomic64_read(&c->complained),
			      CTGUARD_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, CTGUARD_A_STATS_LOG_SUPPRESSED,
			      atomic64_read(&c->log_suppressed),
			      CTGUARD_A_STATS_PAD) ||
	    nla_put_u64_64bit(skb, CTGUARD_A_STATS_EVENTS_LOST,
			      atomic64_read(&c->events_lost),
			      CTGUARD_A_STATS_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int ctg_nl_put_dev_rules(struct sk_buff *skb, const struct ctg_policy *p)
{
	struct nlattr *devices, *nest;
	u32 i;

	devices = nla_nest_start(skb, CTGUARD_A_DEVICES);
	if (!devices)
		return -EMSGSIZE;
	for (i = 0; i < p->nr_dev_rules; i++) {
		const struct ctg_dev_rule *r = &p->dev_rules[i];

		nest = nla_nest_start(skb, i);
		if (!nest ||
		    nla_put_u8(skb, CTGUARD_A_DEV_TYPE, r->type) ||
		    nla_put_u32(skb, CTGUARD_A_DEV_MAJOR, r->major) ||
		    nla_put_u32(skb, CTGUARD_A_DEV_MINOR, r->minor) ||
		    nla_put_u8(skb, CTGUARD_A_DEV_ACCESS, r->access))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	nla_nest_end(skb, devices);
	return 0;
}

/*
 * The path of a cgroup below the cgroup2 root, or "" when it is gone or
 * outside the caller's cgroup namespace. @buf holds CTGUARD_PATH_MAX bytes.
 */
static void ctg_nl_cgroup_path(u64 cgid, char *buf)
{
	struct cgroup *cgrp = cgroup_get_from_id(cgid);

	buf[0] = '\0';
	if (IS_ERR(cgrp))
		return;
	if (cgroup_path(cgrp, buf, CTGUARD_PATH_MAX) < 0)
		buf[0] = '\0';
	cgroup_put(cgrp);
}

/* One policy, with (GET_POLICY) or without (GET_STATS) its contents. */
static int ctg_nl_fill_policy(struct sk_buff *skb, const struct ctg_policy *p,
			      const char *path, u32 portid, u32 seq, int flags,
			      u8 cmd)
{
	void *hdr = genlmsg_put(skb, portid, seq, &ctg_family, flags, cmd);

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, CTGUARD_A_CGROUP_ID, p->cgid, CTGUARD_A_PAD) ||
	    nla_put_string(skb, CTGUARD_A_CGROUP_PATH, path))
		goto cancel;
	if (cmd == CTGUARD_CMD_GET_POLICY &&
	    (nla_put_u32(skb, CTGUARD_A_DENY, p->deny) ||
	     nla_put_u64_64bit(skb, CTGUARD_A_DENY_CAPS, p->deny_caps,
			       CTGUARD_A_PAD) ||
	     nla_put_u8(skb, CTGUARD_A_MODE, p->mode) ||
	     nla_put_u8(skb, CTGUARD_A_PENDING, READ_ONCE(p->pending)) ||
	     ctg_nl_put_dev_rules(skb, p) ||
	     (p->rule &&
	      nla_put_string(skb, CTGUARD_A_RULE_PATTERN, p->rule->pattern))))
		goto cancel;
	if (ctg_nl_put_counters(skb, p->counters))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static size_t ctg_nl_policy_size(void)
{
	return CTGUARD_PATH_MAX + CTGUARD_RULE_PATTERN_MAX + 512 +
	       (size_t)ctg_max_dev_rules * 48;
}

/*
 * A dump part must hold at least one whole reply: a policy of a cgroup with
 * a long path, or one with many device rules, is larger than the
 * NLMSG_GOODSIZE skb netlink starts a dump with, and a reply that does not
 * fit an empty skb would end the dump with EMSGSIZE, listing nothing more.
 */
static int ctg_nl_dump_start(struct netlink_callback *cb)
{
	cb->min_dump_alloc = ctg_nl_policy_size();
	return 0;
}

static int ctg_nl_get_one(struct genl_info *info, u8 cmd)
{
	struct sk_buff *msg;
	struct ctg_policy *p;
	char *path;
	u64 cgid;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, CTGUARD_A_CGROUP_ID))
		return -EINVAL;
	cgid = nla_get_u64(info->attrs[CTGUARD_A_CGROUP_ID]);

	path = kmalloc(CTGUARD_PATH_MAX, GFP_KERNEL);
	msg = genlmsg_new(ctg_nl_policy_size(), GFP_KERNEL);
	if (!path || !msg) {
		err = -ENOMEM;
		goto err_free;
	}
	ctg_nl_cgroup_path(cgid, path);

	rcu_read_lock();
	p = xa_load(&ctg_policies, cgid);
	err = p ? ctg_nl_fill_policy(msg, p, path, info->snd_portid,
				     info->snd_seq, 0, cmd) : -ENOENT;
	rcu_read_unlock();
	if (err) {
		if (err == -ENOENT) {
			NL_SET_BAD_ATTR(info->extack,
					info->attrs[CTGUARD_A_CGROUP_ID]);
			NL_SET_ERR_MSG_MOD(info->extack,
					   "this cgroup has no policy");
		}
		goto err_free;
	}
	kfree(path);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	kfree(path);
	return err;
}

static int ctg_nl_get_policy(struct sk_buff *skb, struct genl_info *info)
{
	return ctg_nl_get_one(info, CTGUARD_CMD_GET_POLICY);
}

static int ctg_nl_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	return ctg_nl_get_one(info, CTGUARD_CMD_GET_STATS);
}

/*
 * Dumps resume by cgroup id, cb->args[0] being the next id to report, so
 * policies added or removed between parts never make one repeat or vanish.
 */
static int ctg_nl_dump(struct sk_buff *skb, struct netlink_callback *cb, u8 cmd)
{
	unsigned long index = cb->args[0];
	struct ctg_policy *p;
	char *path;
	int err = 0;

	path = kmalloc(CTGUARD_PATH_MAX, GFP_KERNEL);
	if (!path)
		return -ENOMEM;
	for (;;) {
		rcu_read_lock();
		p = xa_find(&ctg_policies, &index, ULONG_MAX, XA_PRESENT);
		if (!p) {
			rcu_read_unlock();
			break;
		}
		/* The cgroup's path is only a name: read it outside the lock. */
		rcu_read_unlock();
		ctg_nl_cgroup_path(index, path);
		rcu_read_lock();
		p = xa_load(&ctg_policies, index);
		if (p)
			err = ctg_nl_fill_policy(skb, p, path,
						 NETLINK_CB(cb->skb).portid,
						 cb->nlh->nlmsg_seq,
						 NLM_F_MULTI, cmd);
		rcu_read_unlock();
		if (err)
			break;
		if (index == ULONG_MAX)
			break;
		index++;
	}
	kfree(path);
	cb->args[0] = index;
	/* A full skb ends this part; an empty one would mean no progress. */
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

static int ctg_nl_dump_policies(struct sk_buff *skb, struct netlink_callback *cb)
{
	return ctg_nl_dump(skb, cb, CTGUARD_CMD_GET_POLICY);
}

static int ctg_nl_dump_stats(struct sk_buff *skb, struct netlink_callback *cb)
{
	return ctg_nl_dump(skb, cb, CTGUARD_CMD_GET_STATS);
}

static int ctg_nl_get_status(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(16384, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &ctg_family, 0,
				CTGUARD_CMD_GET_STATUS);
	if (!hdr)
		goto err_free;
	if (nla_put_string(msg, CTGUARD_A_VERSION, CTGUARD_VERSION) ||
	    nla_put_u32(msg, CTGUARD_A_NR_POLICIES, ctg_policy_count()) ||
	    nla_put_u32(msg, CTGUARD_A_MAX_POLICIES, ctg_max_policies) ||
	    nla_put_u32(msg, CTGUARD_A_MAX_DEV_RULES, ctg_max_dev_rules) ||
	    nla_put_u8(msg, CTGUARD_A_PARTIAL, ctg_hooks_partial()) ||
	    nla_put_u32(msg, CTGUARD_A_NR_RULES, ctg_rules_count()) ||
	    nla_put_u32(msg, CTGUARD_A_MAX_RULES, ctg_max_rules) ||
	    ctg_nl_put_counters(msg, &ctg_global_counters) ||
	    ctg_hooks_fill(msg))
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* --- Rules ---------------------------------------------------------- */

static int ctg_nl_set_rule(struct sk_buff *skb, struct genl_info *info)
{
	struct ctg_policy_update up = { };
	int err;

	if (GENL_REQ_ATTR_CHECK(info, CTGUARD_A_RULE_PATTERN))
		return -EINVAL;
	err = ctg_nl_refuse_confined(info);
	if (err)
		return err;
	err = ctg_nl_parse_fields(info, &up);
	if (!err)
		err = ctg_rule_set(nla_data(info->attrs[CTGUARD_A_RULE_PATTERN]),
				   &up, info->extack);
	if ((err == -EINVAL || err == -ENAMETOOLONG) && !info->extack->bad_attr)
		NL_SET_BAD_ATTR(info->extack, info->attrs[CTGUARD_A_RULE_PATTERN]);
	kfree(up.dev_rules);
	return err;
}

static int ctg_nl_del_rule(struct sk_buff *skb, struct genl_info *info)
{
	int err;

	if (GENL_REQ_ATTR_CHECK(info, CTGUARD_A_RULE_PATTERN))
		return -EINVAL;
	err = ctg_nl_refuse_confined(info);
	if (err)
		return err;
	err = ctg_rule_del(nla_data(info->attrs[CTGUARD_A_RULE_PATTERN]),
			   info->extack);
	if (err == -ENOENT)
		NL_SET_BAD_ATTR(info->extack, info->attrs[CTGUARD_A_RULE_PATTERN]);
	return err;
}

struct ctg_nl_rule_ctx {
	u32 portid, seq;
	int flags;
};

static int ctg_nl_fill_rule(struct sk_buff *skb, const struct ctg_rule *r,
			    const struct ctg_policy *t, void *arg)
{
	const struct ctg_nl_rule_ctx *c = arg;
	void *hdr = genlmsg_put(skb, c->portid, c->seq, &ctg_family, c->flags,
				CTGUARD_CMD_GET_RULE);

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(skb, CTGUARD_A_RULE_PATTERN, r->pattern) ||
	    nla_put_u32(skb, CTGUARD_A_DENY, t->deny) ||
	    nla_put_u64_64bit(skb, CTGUARD_A_DENY_CAPS, t->deny_caps,
			      CTGUARD_A_PAD) ||
	    nla_put_u8(skb, CTGUARD_A_MODE, t->mode) ||
	    nla_put_u32(skb, CTGUARD_A_FLAGS,
			t->on_exec ? CTGUARD_F_ON_EXEC : 0) ||
	    ctg_nl_put_dev_rules(skb, t) ||
	    nla_put_u64_64bit(skb, CTGUARD_A_RULE_MATCHED,
			      max(atomic_read(&r->matched), 0), CTGUARD_A_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int ctg_nl_get_rule(struct sk_buff *skb, struct genl_info *info)
{
	struct ctg_nl_rule_ctx c = { info->snd_portid, info->snd_seq, 0 };
	struct sk_buff *msg;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, CTGUARD_A_RULE_PATTERN))
		return -EINVAL;
	msg = genlmsg_new(ctg_nl_policy_size(), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	err = ctg_rules_fill_one(nla_data(info->attrs[CTGUARD_A_RULE_PATTERN]),
				 msg, ctg_nl_fill_rule, &c);
	if (err) {
		if (err == -ENOENT) {
			NL_SET_BAD_ATTR(info->extack,
					info->attrs[CTGUARD_A_RULE_PATTERN]);
			NL_SET_ERR_MSG_MOD(info->extack, "no rule has this pattern");
		}
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* Resumes after the rule id in cb->args[0], so deletions never skip one. */
static int ctg_nl_dump_rules(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ctg_nl_rule_ctx c = { NETLINK_CB(cb->skb).portid,
				     cb->nlh->nlmsg_seq, NLM_F_MULTI };
	u64 pos = cb->args[0];
	int err;

	err = ctg_rules_dump(&pos, skb, ctg_nl_fill_rule, &c);
	cb->args[0] = pos;
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

static const struct genl_ops ctg_ops[] = {
	{
		.cmd = CTGUARD_CMD_SET_POLICY,
		.doit = ctg_nl_set_policy,
		.policy = ctg_set_policy,
		.maxattr = ARRAY_SIZE(ctg_set_policy) - 1,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = CTGUARD_CMD_DEL_POLICY,
		.doit = ctg_nl_del_policy,
		.policy = ctg_cgroup_policy,
		.maxattr = ARRAY_SIZE(ctg_cgroup_policy) - 1,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = CTGUARD_CMD_GET_POLICY,
		.doit = ctg_nl_get_policy,
		.dumpit = ctg_nl_dump_policies,
		.start = ctg_nl_dump_start,
		.policy = ctg_cgroup_policy,
		.maxattr = ARRAY_SIZE(ctg_cgroup_policy) - 1,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = CTGUARD_CMD_GET_STATUS,
		.doit = ctg_nl_get_status,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = CTGUARD_CMD_GET_STATS,
		.doit = ctg_nl_get_stats,
		.dumpit = ctg_nl_dump_stats,
		.start = ctg_nl_dump_start,
		.policy = ctg_cgroup_policy,
		.maxattr = ARRAY_SIZE(ctg_cgroup_policy) - 1,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = CTGUARD_CMD_SET_RULE,
		.doit = ctg_nl_set_rule,
		.policy = ctg_set_rule_policy,
		.maxattr = ARRAY_SIZE(ctg_set_rule_policy) - 1,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = CTGUARD_CMD_DEL_RULE,
		.doit = ctg_nl_del_rule,
		.policy = ctg_rule_policy,
		.maxattr = ARRAY_SIZE(ctg_rule_policy) - 1,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = CTGUARD_CMD_GET_RULE,
		.doit = ctg_nl_get_rule,
		.dumpit = ctg_nl_dump_rules,
		.start = ctg_nl_dump_start,
		.policy = ctg_rule_policy,
		.maxattr = ARRAY_SIZE(ctg_rule_policy) - 1,
		.flags = GENL_ADMIN_PERM,
	},
};

static struct genl_family ctg_family __ro_after_init = {
	.name = CTGUARD_GENL_NAME,
	.version = CTGUARD_GENL_VERSION,
	.netnsok = false,
	.parallel_ops = false,
	.module = THIS_MODULE,
	.ops = ctg_ops,
	.n_ops = ARRAY_SIZE(ctg_ops),
	.mcgrps = ctg_mcgrps,
	.n_mcgrps = ARRAY_SIZE(ctg_mcgrps),
};

bool ctg_netlink_has_listeners(void)
{
	return genl_has_listeners(&ctg_family, &init_net, 0);
}

static int ctg_nl_fill_event(struct sk_buff *skb, const struct ctg_event *ev)
{
	struct nlattr *dev;

	if (nla_put_u64_64bit(skb, CTGUARD_A_CGROUP_ID, ev->cgid, CTGUARD_A_PAD) ||
	    nla_put_u64_64bit(skb, CTGUARD_A_EV_POLICY_CGROUP_ID,
			      ev->policy_cgid, CTGUARD_A_PAD) ||
	    nla_put_u32(skb, CTGUARD_A_EV_PID, ev->pid) ||
	    nla_put_u32(skb, CTGUARD_A_EV_TGID, ev->tgid) ||
	    nla_put_u32(skb, CTGUARD_A_EV_UID, ev->uid) ||
	    nla_put_string(skb, CTGUARD_A_EV_COMM, ev->comm) ||
	    nla_put_u32(skb, CTGUARD_A_EV_CLASS, ev->class) ||
	    nla_put_u8(skb, CTGUARD_A_EV_VERDICT, ev->verdict))
		return -EMSGSIZE;

	switch (ev->class) {
	case CTGUARD_CLASS_CAP:
		return nla_put_u8(skb, CTGUARD_A_EV_CAP, ev->cap.cap);
	case CTGUARD_CLASS_MOUNT:
		if (nla_put_u8(skb, CTGUARD_A_EV_MOUNT_OP, ev->mount.op) ||
		    (ev->mount.fstype[0] &&
		     nla_put_string(skb, CTGUARD_A_EV_FSTYPE, ev->mount.fstype)) ||
		    (ev->mount.flags &&
		     nla_put_u64_64bit(skb, CTGUARD_A_EV_MOUNT_FLAGS,
				       ev->mount.flags, CTGUARD_A_PAD)))
			return -EMSGSIZE;
		return 0;
	case CTGUARD_CLASS_RAWSOCK:
		if (nla_put_u32(skb, CTGUARD_A_EV_SOCK_FAMILY, ev->sock.family) ||
		    nla_put_u32(skb, CTGUARD_A_EV_SOCK_TYPE, ev->sock.type) ||
		    nla_put_u32(skb, CTGUARD_A_EV_SOCK_PROTOCOL,
				ev->sock.protocol))
			return -EMSGSIZE;
		return 0;
	case CTGUARD_CLASS_DMESG:
		return nla_put_u32(skb, CTGUARD_A_EV_SYSLOG_ACTION,
				   ev->syslog.action);
	case CTGUARD_CLASS_MKNOD:
	case CTGUARD_CLASS_DEVICES:
		dev = nla_nest_start(skb, CTGUARD_A_EV_DEVICE);
		if (!dev ||
		    nla_put_u8(skb, CTGUARD_A_DEV_TYPE, ev->dev.type) ||
		    nla_put_u32(skb, CTGUARD_A_DEV_MAJOR, ev->dev.major) ||
		    nla_put_u32(skb, CTGUARD_A_DEV_MINOR, ev->dev.minor) ||
		    nla_put_u8(skb, CTGUARD_A_DEV_ACCESS, ev->dev.access))
			return -EMSGSIZE;
		nla_nest_end(skb, dev);
		return 0;
	case CTGUARD_CLASS_CGROUP:
		return nla_put_u64_64bit(skb, CTGUARD_A_EV_TARGET_CGROUP_ID,
					 ev->cgroup.target_cgid, CTGUARD_A_PAD);
	}
	return 0;
}

/*
 * Multicast one event; process context. Returns 0 when it was delivered
 * or nobody listens any more, an error when some listener lost it.
 */
int ctg_netlink_send_event(const struct ctg_event *ev)
{
	struct sk_buff *skb;
	struct ctg_policy *p;
	void *hdr;
	int err;

	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb) {
		err = -ENOMEM;
		goto lost;
	}
	hdr = genlmsg_put(skb, 0, 0, &ctg_family, 0, CTGUARD_CMD_EVENT);
	if (!hdr || ctg_nl_fill_event(skb, ev)) {
		nlmsg_free(skb);
		err = -EMSGSIZE;
		goto lost;
	}
	genlmsg_end(skb, hdr);
	err = genlmsg_multicast(&ctg_family, skb, 0, 0, GFP_KERNEL);
	if (!err || err == -ESRCH)
		return 0;
lost:
	rcu_read_lock();
	p = xa_load(&ctg_policies, ev->policy_cgid);
	if (p)
		atomic64_inc(&p->counters->events_lost);
	rcu_read_unlock();
	return err;
}

int ctg_netlink_init(void)
{
	return genl_register_family(&ctg_family);
}

void ctg_netlink_exit(void)
{
	genl_unregister_family(&ctg_family);
}
