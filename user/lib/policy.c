// SPDX-License-Identifier: LGPL-2.1-or-later
/* Policy, counter and status requests, and the parsing of their replies. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>

#include "internal.h"

/* --- Attribute validation ---------------------------------------------- */

struct ctg_attr_spec {
	enum mnl_attr_data_type type;
};

static const struct ctg_attr_spec ctg_top_spec[CTGUARD_A_MAX + 1] = {
	[CTGUARD_A_CGROUP_ID] = { MNL_TYPE_U64 },
	[CTGUARD_A_CGROUP_PATH] = { MNL_TYPE_NUL_STRING },
	[CTGUARD_A_FLAGS] = { MNL_TYPE_U32 },
	[CTGUARD_A_DENY] = { MNL_TYPE_U32 },
	[CTGUARD_A_DENY_CAPS] = { MNL_TYPE_U64 },
	[CTGUARD_A_MODE] = { MNL_TYPE_U8 },
	[CTGUARD_A_DEVICES] = { MNL_TYPE_NESTED },
	[CTGUARD_A_STATS] = { MNL_TYPE_NESTED },
	[CTGUARD_A_VERSION] = { MNL_TYPE_NUL_STRING },
	[CTGUARD_A_NR_POLICIES] = { MNL_TYPE_U32 },
	[CTGUARD_A_MAX_POLICIES] = { MNL_TYPE_U32 },
	[CTGUARD_A_MAX_DEV_RULES] = { MNL_TYPE_U32 },
	[CTGUARD_A_PARTIAL] = { MNL_TYPE_U8 },
	[CTGUARD_A_PENDING] = { MNL_TYPE_U8 },
	[CTGUARD_A_HOOKS] = { MNL_TYPE_NESTED },
	[CTGUARD_A_EV_POLICY_CGROUP_ID] = { MNL_TYPE_U64 },
	[CTGUARD_A_EV_PID] = { MNL_TYPE_U32 },
	[CTGUARD_A_EV_TGID] = { MNL_TYPE_U32 },
	[CTGUARD_A_EV_UID] = { MNL_TYPE_U32 },
	[CTGUARD_A_EV_COMM] = { MNL_TYPE_NUL_STRING },
	[CTGUARD_A_EV_CLASS] = { MNL_TYPE_U32 },
	[CTGUARD_A_EV_VERDICT] = { MNL_TYPE_U8 },
	[CTGUARD_A_EV_CAP] = { MNL_TYPE_U8 },
	[CTGUARD_A_EV_MOUNT_OP] = { MNL_TYPE_U8 },
	[CTGUARD_A_EV_FSTYPE] = { MNL_TYPE_NUL_STRING },
	[CTGUARD_A_EV_MOUNT_FLAGS] = { MNL_TYPE_U64 },
	[CTGUARD_A_EV_SOCK_FAMILY] = { MNL_TYPE_U32 },
	[CTGUARD_A_EV_SOCK_TYPE] = { MNL_TYPE_U32 },
	[CTGUARD_A_EV_SOCK_PROTOCOL] = { MNL_TYPE_U32 },
	[CTGUARD_A_EV_SYSLOG_ACTION] = { MNL_TYPE_U32 },
	[CTGUARD_A_EV_DEVICE] = { MNL_TYPE_NESTED },
	[CTGUARD_A_EV_TARGET_CGROUP_ID] = { MNL_TYPE_U64 },
	[CTGUARD_A_RULE_PATTERN] = { MNL_TYPE_NUL_STRING },
	[CTGUARD_A_RULE_MATCHED] = { MNL_TYPE_U64 },
	[CTGUARD_A_NR_RULES] = { MNL_TYPE_U32 },
	[CTGUARD_A_MAX_RULES] = { MNL_TYPE_U32 },
};

static const struct ctg_attr_spec ctg_dev_spec[CTGUARD_A_DEV_MAX + 1] = {
	[CTGUARD_A_DEV_TYPE] = { MNL_TYPE_U8 },
	[CTGUARD_A_DEV_MAJOR] = { MNL_TYPE_U32 },
	[CTGUARD_A_DEV_MINOR] = { MNL_TYPE_U32 },
	[CTGUARD_A_DEV_ACCESS] = { MNL_TYPE_U8 },
};

static const struct ctg_attr_spec ctg_hook_spec[CTGUARD_A_HOOK_MAX + 1] = {
	[CTGUARD_A_HOOK_NAME] = { MNL_TYPE_NUL_STRING },
	[CTGUARD_A_HOOK_CLASS] = { MNL_TYPE_U32 },
	[CTGUARD_A_HOOK_STATE] = { MNL_TYPE_U8 },
	[CTGUARD_A_HOOK_HITS] = { MNL_TYPE_U64 },
	[CTGUARD_A_HOOK_MISSED] = { MNL_TYPE_U64 },
};

static const struct ctg_attr_spec ctg_stats_spec[CTGUARD_A_STATS_MAX + 1] = {
	[CTGUARD_A_STATS_DENIED] = { MNL_TYPE_U64 },
	[CTGUARD_A_STATS_COMPLAINED] = { MNL_TYPE_U64 },
	[CTGUARD_A_STATS_LOG_SUPPRESSED] = { MNL_TYPE_U64 },
	[CTGUARD_A_STATS_EVENTS_LOST] = { MNL_TYPE_U64 },
};

struct ctg_tb {
	const struct nlattr **tb;
	const struct ctg_attr_spec *spec;
	unsigned int max;
	int error;
};

/*
 * Index the attributes we know and that are well formed. Unknown types
 * (a newer module) and pad attributes are skipped; a known type with a bad
 * length is a protocol error.
 */
static int ctg_tb_attr(const struct nlattr *attr, void *data)
{
	struct ctg_tb *t = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type > t->max || t->spec[type].type == MNL_TYPE_UNSPEC)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, t->spec[type].type) < 0) {
		t->error = -EBADMSG;
		return MNL_CB_ERROR;
	}
	t->tb[type] = attr;
	return MNL_CB_OK;
}

int ctg_parse_msg(const struct nlmsghdr *nlh, const struct nlattr **tb)
{
	struct ctg_tb t = { tb, ctg_top_spec, CTGUARD_A_MAX, 0 };

	memset(tb, 0, (CTGUARD_A_MAX + 1) * sizeof(*tb));
	if (mnl_attr_parse(nlh, sizeof(struct genlmsghdr), ctg_tb_attr, &t) <
	    0)
		return t.error ? t.error : -EBADMSG;
	return 0;
}

static int ctg_parse_nest(const struct nlattr *nest, const struct nlattr **tb,
			  const struct ctg_attr_spec *spec, unsigned int max)
{
	struct ctg_tb t = { tb, spec, max, 0 };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (mnl_attr_parse_nested(nest, ctg_tb_attr, &t) < 0)
		return t.error ? t.error : -EBADMSG;
	return 0;
}

int ctg_parse_dev_rule(const struct nlattr *nest, struct ctguard_dev_rule *r)
{
	const struct nlattr *tb[CTGUARD_A_DEV_MAX + 1];
	int ret;

	ret = ctg_parse_nest(nest, tb, ctg_dev_spec, CTGUARD_A_DEV_MAX);
	if (ret)
		return ret;
	if (!tb[CTGUARD_A_DEV_TYPE] || !tb[CTGUARD_A_DEV_ACCESS])
		return -EBADMSG;
	memset(r, 0, sizeof(*r));
	r->type = mnl_attr_get_u8(tb[CTGUARD_A_DEV_TYPE]);
	r->access = mnl_attr_get_u8(tb[CTGUARD_A_DEV_ACCESS]);
	r->major = tb[CTGUARD_A_DEV_MAJOR] ?
		mnl_attr_get_u32(tb[CTGUARD_A_DEV_MAJOR]) : CTGUARD_DEV_ANY;
	r->minor = tb[CTGUARD_A_DEV_MINOR] ?
		mnl_attr_get_u32(tb[CTGUARD_A_DEV_MINOR]) : CTGUARD_DEV_ANY;
	return 0;
}

static int ctg_parse_stats(const struct nlattr *nest, struct ctguard_stats *st)
{
	const struct nlattr *tb[CTGUARD_A_STATS_MAX + 1];
	int ret;

	memset(st, 0, sizeof(*st));
	if (!nest)
		return 0;
	ret = ctg_parse_nest(nest, tb, ctg_stats_spec, CTGUARD_A_STATS_MAX);
	if (ret)
		return ret;
	if (tb[CTGUARD_A_STATS_DENIED])
		st->denied = mnl_attr_get_u64(tb[CTGUARD_A_STATS_DENIED]);
	if (tb[CTGUARD_A_STATS_COMPLAINED])
		st->complained = mnl_attr_get_u64(tb[CTGUARD_A_STATS_COMPLAINED]);
	if (tb[CTGUARD_A_STATS_LOG_SUPPRESSED])
		st->log_suppressed =
			mnl_attr_get_u64(tb[CTGUARD_A_STATS_LOG_SUPPRESSED]);
	if (tb[CTGUARD_A_STATS_EVENTS_LOST])
		st->events_lost =
			mnl_attr_get_u64(tb[CTGUARD_A_STATS_EVENTS_LOST]);
	return 0;
}

static int ctg_dup_path(const struct nlattr *attr, char **path)
{
	*path = NULL;
	/* The module sends "" for a cgroup it cannot name (removed). */
	if (!attr || !*mnl_attr_get_str(attr))
		return 0;
	*path = strdup(mnl_attr_get_str(attr));
	return *path ? 0 : -ENOMEM;
}

int ctg_parse_policy_fields(const struct nlattr **tb, struct ctguard_policy *p)
{
	const struct nlattr *rule;
	int ret;

	if (tb[CTGUARD_A_DENY]) {
		p->deny = mnl_attr_get_u32(tb[CTGUARD_A_DENY]);
		p->fields |= CTGUARD_POLICY_DENY;
	}
	if (tb[CTGUARD_A_DENY_CAPS]) {
		p->deny_caps = mnl_attr_get_u64(tb[CTGUARD_A_DENY_CAPS]);
		p->fields |= CTGUARD_POLICY_DENY_CAPS;
	}
	if (tb[CTGUARD_A_MODE]) {
		p->mode = mnl_attr_get_u8(tb[CTGUARD_A_MODE]);
		p->fields |= CTGUARD_POLICY_MODE;
	}
	if (tb[CTGUARD_A_DEVICES]) {
		p->fields |= CTGUARD_POLICY_DEVICES;
		mnl_attr_for_each_nested(rule, tb[CTGUARD_A_DEVICES]) {
			struct ctguard_dev_rule r;

			ret = ctg_parse_dev_rule(rule, &r);
			if (!ret)
				ret = ctguard_policy_add_dev(p, &r);
			if (ret)
				return ret;
		}
	}
	return 0;
}

int ctg_parse_policy(const struct nlmsghdr *nlh,
		     struct ctguard_policy_info *info)
{
	const struct nlattr *tb[CTGUARD_A_MAX + 1];
	struct ctguard_policy *p = &info->policy;
	int ret;

	memset(info, 0, sizeof(*info));
	ctguard_policy_init(p);
	ret = ctg_parse_msg(nlh, tb);
	if (ret)
		return ret;
	if (!tb[CTGUARD_A_CGROUP_ID])
		return -EBADMSG;
	info->cgroup_id = mnl_attr_get_u64(tb[CTGUARD_A_CGROUP_ID]);
	ret = ctg_parse_policy_fields(tb, p);
	if (ret)
		goto fail;
	if (tb[CTGUARD_A_RULE_PATTERN]) {
		info->rule = strdup(mnl_attr_get_str(tb[CTGUARD_A_RULE_PATTERN]));
		if (!info->rule) {
			ret = -ENOMEM;
			goto fail;
		}
	}
	info->pending = tb[CTGUARD_A_PENDING] &&
			mnl_attr_get_u8(tb[CTGUARD_A_PENDING]);
	ret = ctg_parse_stats(tb[CTGUARD_A_STATS], &info->stats);
	if (!ret)
		ret = ctg_dup_path(tb[CTGUARD_A_CGROUP_PATH], &info->path);
	if (ret)
		goto fail;
	return 0;
fail:
	ctguard_policy_info_release(info);
	return ret;
}

int ctg_bad_reply(struct ctguard *h, int ret, const char *what)
{
	if (ret == -ENOMEM)
		return ctg_err(h, ret, "%s: out of memory", what);
	return ctg_err(h, ret, "%s: malformed reply from the kernel", what);
}

/* --- Requests ---------------------------------------------------------- */

int ctg_put_policy(struct nlmsghdr *nlh, const struct ctguard_policy *p)
{
	struct nlattr *devs, *rule;
	size_t i;

	if (p->fields & CTGUARD_POLICY_DENY)
		mnl_attr_put_u32(nlh, CTGUARD_A_DENY, p->deny);
	if (p->fields & CTGUARD_POLICY_DENY_CAPS)
		mnl_attr_put_u64(nlh, CTGUARD_A_DENY_CAPS, p->deny_caps);
	if (p->fields & CTGUARD_POLICY_MODE)
		mnl_attr_put_u8(nlh, CTGUARD_A_MODE, p->mode);
	if (p->fields & CTGUARD_POLICY_DEVICES) {
		devs = mnl_attr_nest_start_check(nlh, CTG_BUF_LEN,
						 CTGUARD_A_DEVICES);
		if (!devs)
			goto too_big;
		for (i = 0; i < p->nr_devices; i++) {
			const struct ctguard_dev_rule *r = &p->devices[i];
			bool ok;

			/* One nest per rule; the header documents type = index. */
			rule = mnl_attr_nest_start_check(nlh, CTG_BUF_LEN,
							 (uint16_t)i);
			if (!rule)
				goto too_big;
			ok = mnl_attr_put_u8_check(nlh, CTG_BUF_LEN,
						   CTGUARD_A_DEV_TYPE, r->type) &&
			     mnl_attr_put_u8_check(nlh, CTG_BUF_LEN,
						   CTGUARD_A_DEV_ACCESS,
						   r->access);
			/* Wildcards are sent as absent attributes. */
			if (ok && r->major != CTGUARD_DEV_ANY)
				ok = mnl_attr_put_u32_check(nlh, CTG_BUF_LEN,
							    CTGUARD_A_DEV_MAJOR,
							    r->major);
			if (ok && r->minor != CTGUARD_DEV_ANY)
				ok = mnl_attr_put_u32_check(nlh, CTG_BUF_LEN,
							    CTGUARD_A_DEV_MINOR,
							    r->minor);
			if (!ok)
				goto too_big;
			mnl_attr_nest_end(nlh, rule);
		}
		mnl_attr_nest_end(nlh, devs);
	}
	return 0;
too_big:
	return -E2BIG;
}

int ctguard_policy_set(struct ctguard *h, uint64_t cgroup_id,
		       const struct ctguard_policy *p, uint32_t flags)
{
	struct nlmsghdr *nlh;
	int ret;

	ret = ctg_resolve(h);
	if (ret)
		return ret;
	nlh = ctg_msg_start(h, CTGUARD_CMD_SET_POLICY, 0);
	mnl_attr_put_u64(nlh, CTGUARD_A_CGROUP_ID, cgroup_id);
	if (flags)
		mnl_attr_put_u32(nlh, CTGUARD_A_FLAGS, flags);
	if (ctg_put_policy(nlh, p))
		return ctg_err(h, -E2BIG, "setting the policy: %zu device rules do not fit in one request",
			       p->nr_devices);
	return ctg_talk(h, nlh, NULL, NULL, "setting the policy");
}

int ctguard_policy_del(struct ctguard *h, uint64_t cgroup_id)
{
	struct nlmsghdr *nlh;
	int ret;

	ret = ctg_resolve(h);
	if (ret)
		return ret;
	nlh = ctg_msg_start(h, CTGUARD_CMD_DEL_POLICY, 0);
	mnl_attr_put_u64(nlh, CTGUARD_A_CGROUP_ID, cgroup_id);
	return ctg_talk(h, nlh, NULL, NULL, "deleting the policy");
}

static int ctg_parse_policy_elem(const struct nlmsghdr *nlh, void *elem)
{
	return ctg_parse_policy(nlh, elem);
}

static void ctg_release_policy_elem(void *elem)
{
	ctguard_policy_info_release(elem);
}

#define CTG_POLICY_COLLECT { .elem_size = sizeof(struct ctguard_policy_info), \
			     .parse = ctg_parse_policy_elem, \
			     .release = ctg_release_policy_elem }

int ctguard_policy_get(struct ctguard *h, uint64_t cgroup_id,
		       struct ctguard_policy_info *info)
{
	struct ctg_collect c = CTG_POLICY_COLLECT;
	struct nlmsghdr *nlh;
	int ret;

	memset(info, 0, sizeof(*info));
	ctguard_policy_init(&info->policy);
	ret = ctg_resolve(h);
	if (ret)
		return ret;
	nlh = ctg_msg_start(h, CTGUARD_CMD_GET_POLICY, 0);
	mnl_attr_put_u64(nlh, CTGUARD_A_CGROUP_ID, cgroup_id);
	return ctg_collect_one(h, nlh, &c, info, "getting the policy");
}

void ctguard_policy_list_free(struct ctguard_policy_info *list, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		ctguard_policy_info_release(&list[i]);
	free(list);
}

int ctguard_policy_list(struct ctguard *h, struct ctguard_policy_info **list,
			size_t *nr)
{
	struct ctg_collect c = CTG_POLICY_COLLECT;
	void *array;
	int ret;

	ret = ctg_collect_dump(h, CTGUARD_CMD_GET_POLICY, &c, &array, nr,
			       "listing the policies");
	*list = array;
	return ret;
}

/* --- Counters ---------------------------------------------------------- */

static int ctg_parse_cgroup_stats(const struct nlmsghdr *nlh,
				  struct ctguard_cgroup_stats *st)
{
	const struct nlattr *tb[CTGUARD_A_MAX + 1];
	int ret;

	memset(st, 0, sizeof(*st));
	ret = ctg_parse_msg(nlh, tb);
	if (ret)
		return ret;
	if (!tb[CTGUARD_A_CGROUP_ID])
		return -EBADMSG;
	st->cgroup_id = mnl_attr_get_u64(tb[CTGUARD_A_CGROUP_ID]);
	ret = ctg_parse_stats(tb[CTGUARD_A_STATS], &st->stats);
	if (!ret)
		ret = ctg_dup_path(tb[CTGUARD_A_CGROUP_PATH], &st->path);
	return ret;
}

void ctguard_cgroup_stats_release(struct ctguard_cgroup_stats *st)
{
	free(st->path);
	st->path = NULL;
}

static int ctg_parse_stats_elem(const struct nlmsghdr *nlh, void *elem)
{
	return ctg_parse_cgroup_stats(nlh, elem);
}

static void ctg_release_stats_elem(void *elem)
{
	ctguard_cgroup_stats_release(elem);
}

#define CTG_STATS_COLLECT { .elem_size = sizeof(struct ctguard_cgroup_stats), \
			    .parse = ctg_parse_stats_elem, \
			    .release = ctg_release_stats_elem }

void ctguard_stats_list_free(struct ctguard_cgroup_stats *list, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		ctguard_cgroup_stats_release(&list[i]);
	free(list);
}

int ctguard_stats_get(struct ctguard *h, uint64_t cgroup_id,
		      struct ctguard_cgroup_stats *st)
{
	struct ctg_collect c = CTG_STATS_COLLECT;
	struct nlmsghdr *nlh;
	int ret;

	memset(st, 0, sizeof(*st));
	ret = ctg_resolve(h);
	if (ret)
		return ret;
	nlh = ctg_msg_start(h, CTGUARD_CMD_GET_STATS, 0);
	mnl_attr_put_u64(nlh, CTGUARD_A_CGROUP_ID, cgroup_id);
	return ctg_collect_one(h, nlh, &c, st, "getting the counters");
}

int ctguard_stats_list(struct ctguard *h, struct ctguard_cgroup_stats **list,
		       size_t *nr)
{
	struct ctg_collect c = CTG_STATS_COLLECT;
	void *array;
	int ret;

	ret = ctg_collect_dump(h, CTGUARD_CMD_GET_STATS, &c, &array, nr,
			       "listing the counters");
	*list = array;
	return ret;
}

/* --- Status ------------------------------------------------------------ */

void ctguard_status_release(struct ctguard_status *st)
{
	size_t i;

	for (i = 0; i < st->nr_hooks; i++)
		free(st->hooks[i].name);
	free(st->hooks);
	free(st->version);
	memset(st, 0, sizeof(*st));
}

static int ctg_parse_hook(const struct nlattr *nest, struct ctguard_hook *hk)
{
	const struct nlattr *tb[CTGUARD_A_HOOK_MAX + 1];
	int ret;

	memset(hk, 0, sizeof(*hk));
	ret = ctg_parse_nest(nest, tb, ctg_hook_spec, CTGUARD_A_HOOK_MAX);
	if (ret)
		return ret;
	if (!tb[CTGUARD_A_HOOK_NAME])
		return -EBADMSG;
	if (tb[CTGUARD_A_HOOK_CLASS])
		hk->class = mnl_attr_get_u32(tb[CTGUARD_A_HOOK_CLASS]);
	if (tb[CTGUARD_A_HOOK_STATE])
		hk->state = mnl_attr_get_u8(tb[CTGUARD_A_HOOK_STATE]);
	if (tb[CTGUARD_A_HOOK_HITS])
		hk->hits = mnl_attr_get_u64(tb[CTGUARD_A_HOOK_HITS]);
	if (tb[CTGUARD_A_HOOK_MISSED])
		hk->missed = mnl_attr_get_u64(tb[CTGUARD_A_HOOK_MISSED]);
	hk->name = strdup(mnl_attr_get_str(tb[CTGUARD_A_HOOK_NAME]));
	return hk->name ? 0 : -ENOMEM;
}

struct ctg_status_ctx {
	struct ctguard_status *st;
	bool got;
};

static int ctg_status_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ctg_status_ctx *ctx = data;
	struct ctguard_status *st = ctx->st;
	const struct nlattr *tb[CTGUARD_A_MAX + 1], *hook;
	size_t n = 0;
	int ret;

	if (ctx->got)
		return -EBADMSG;
	ctx->got = true;
	ret = ctg_parse_msg(nlh, tb);
	if (ret)
		return ret;
	if (tb[CTGUARD_A_NR_POLICIES])
		st->nr_policies = mnl_attr_get_u32(tb[CTGUARD_A_NR_POLICIES]);
	if (tb[CTGUARD_A_MAX_POLICIES])
		st->max_policies = mnl_attr_get_u32(tb[CTGUARD_A_MAX_POLICIES]);
	if (tb[CTGUARD_A_MAX_DEV_RULES])
		st->max_dev_rules = mnl_attr_get_u32(tb[CTGUARD_A_MAX_DEV_RULES]);
	if (tb[CTGUARD_A_NR_RULES])
		st->nr_rules = mnl_attr_get_u32(tb[CTGUARD_A_NR_RULES]);
	if (tb[CTGUARD_A_MAX_RULES])
		st->max_rules = mnl_attr_get_u32(tb[CTGUARD_A_MAX_RULES]);
	if (tb[CTGUARD_A_PARTIAL])
		st->partial = mnl_attr_get_u8(tb[CTGUARD_A_PARTIAL]) != 0;
	ret = ctg_parse_stats(tb[CTGUARD_A_STATS], &st->stats);
	if (ret)
		return ret;
	st->version = strdup(tb[CTGUARD_A_VERSION] ?
			     mnl_attr_get_str(tb[CTGUARD_A_VERSION]) : "");
	if (!st->version)
		return -ENOMEM;
	if (!tb[CTGUARD_A_HOOKS])
		return 0;
	mnl_attr_for_each_nested(hook, tb[CTGUARD_A_HOOKS])
		n++;
	st->hooks = calloc(n ? n : 1, sizeof(*st->hooks));
	if (!st->hooks)
		return -ENOMEM;
	mnl_attr_for_each_nested(hook, tb[CTGUARD_A_HOOKS]) {
		ret = ctg_parse_hook(hook, &st->hooks[st->nr_hooks]);
		if (ret) {
			free(st->hooks[st->nr_hooks].name);
			return ret;
		}
		st->nr_hooks++;
	}
	return 0;
}

int ctguard_status_get(struct ctguard *h, struct ctguard_status *st)
{
	struct ctg_status_ctx ctx = { .st = st };
	struct nlmsghdr *nlh;
	int ret;

	memset(st, 0, sizeof(*st));
	ret = ctg_resolve(h);
	if (ret)
		return ret;
	nlh = ctg_msg_start(h, CTGUARD_CMD_GET_STATUS, 0);
	ret = ctg_talk(h, nlh, ctg_status_cb, &ctx, "getting the status");
	if (ret == -EBADMSG || ret == -ENOMEM)
		ret = ctg_bad_reply(h, ret, "getting the status");
	if (!ret && !ctx.got)
		ret = ctg_err(h, -EBADMSG, "getting the status: no reply");
	if (ret)
		ctguard_status_release(st);
	return ret;
}
