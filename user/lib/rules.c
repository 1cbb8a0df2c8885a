// SPDX-License-Identifier: LGPL-2.1-or-later
/* Rules by cgroup path: set, get, delete, list. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>

#include "internal.h"

void ctguard_rule_info_release(struct ctguard_rule_info *info)
{
	free(info->pattern);
	info->pattern = NULL;
	ctguard_policy_release(&info->policy);
}

void ctguard_rule_list_free(struct ctguard_rule_info *list, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		ctguard_rule_info_release(&list[i]);
	free(list);
}

int ctg_parse_rule(const struct nlmsghdr *nlh, struct ctguard_rule_info *info)
{
	const struct nlattr *tb[CTGUARD_A_MAX + 1];
	int ret;

	memset(info, 0, sizeof(*info));
	ctguard_policy_init(&info->policy);
	ret = ctg_parse_msg(nlh, tb);
	if (ret)
		return ret;
	if (!tb[CTGUARD_A_RULE_PATTERN])
		return -EBADMSG;
	ret = ctg_parse_policy_fields(tb, &info->policy);
	if (!ret && tb[CTGUARD_A_RULE_MATCHED])
		info->matched = mnl_attr_get_u64(tb[CTGUARD_A_RULE_MATCHED]);
	if (!ret && tb[CTGUARD_A_FLAGS])
		info->on_exec = mnl_attr_get_u32(tb[CTGUARD_A_FLAGS]) &
				CTGUARD_F_ON_EXEC;
	if (!ret) {
		info->pattern = strdup(mnl_attr_get_str(tb[CTGUARD_A_RULE_PATTERN]));
		if (!info->pattern)
			ret = -ENOMEM;
	}
	if (ret)
		ctguard_rule_info_release(info);
	return ret;
}

/* A request of @cmd carrying @pattern (when not NULL); NULL if too long. */
static struct nlmsghdr *ctg_rule_msg(struct ctguard *h, uint8_t cmd,
				     const char *pattern, uint16_t flags)
{
	struct nlmsghdr *nlh = ctg_msg_start(h, cmd, flags);

	if (pattern && !mnl_attr_put_strz_check(nlh, CTG_BUF_LEN,
						CTGUARD_A_RULE_PATTERN, pattern))
		return NULL;
	return nlh;
}

int ctguard_rule_set(struct ctguard *h, const char *pattern,
		     const struct ctguard_policy *p, uint32_t flags)
{
	struct nlmsghdr *nlh;
	int ret;

	if (!pattern)
		return ctg_err(h, -EINVAL, "setting the rule: no pattern");
	ret = ctg_resolve(h);
	if (ret)
		return ret;
	nlh = ctg_rule_msg(h, CTGUARD_CMD_SET_RULE, pattern, 0);
	if (!nlh)
		return ctg_err(h, -ENAMETOOLONG, "setting the rule: pattern too long");
	if (flags)
		mnl_attr_put_u32(nlh, CTGUARD_A_FLAGS, flags);
	if (ctg_put_policy(nlh, p))
		return ctg_err(h, -E2BIG, "setting the rule: %zu device rules do not fit in one request",
			       p->nr_devices);
	return ctg_talk(h, nlh, NULL, NULL, "setting the rule");
}

int ctguard_rule_del(struct ctguard *h, const char *pattern)
{
	struct nlmsghdr *nlh;
	int ret;

	if (!pattern)
		return ctg_err(h, -EINVAL, "deleting the rule: no pattern");
	ret = ctg_resolve(h);
	if (ret)
		return ret;
	nlh = ctg_rule_msg(h, CTGUARD_CMD_DEL_RULE, pattern, 0);
	if (!nlh)
		return ctg_err(h, -ENAMETOOLONG, "deleting the rule: pattern too long");
	return ctg_talk(h, nlh, NULL, NULL, "deleting the rule");
}

static int ctg_parse_rule_elem(const struct nlmsghdr *nlh, void *elem)
{
	return ctg_parse_rule(nlh, elem);
}

static void ctg_release_rule_elem(void *elem)
{
	ctguard_rule_info_release(elem);
}

#define CTG_RULE_COLLECT { .elem_size = sizeof(struct ctguard_rule_info), \
			   .parse = ctg_parse_rule_elem, \
			   .release = ctg_release_rule_elem }

int ctguard_rule_get(struct ctguard *h, const char *pattern,
		     struct ctguard_rule_info *info)
{
	struct ctg_collect c = CTG_RULE_COLLECT;
	struct nlmsghdr *nlh;
	int ret;

	memset(info, 0, sizeof(*info));
	ctguard_policy_init(&info->policy);
	if (!pattern)
		return ctg_err(h, -EINVAL, "getting the rule: no pattern");
	ret = ctg_resolve(h);
	if (ret)
		return ret;
	nlh = ctg_rule_msg(h, CTGUARD_CMD_GET_RULE, pattern, 0);
	if (!nlh)
		return ctg_err(h, -ENAMETOOLONG, "getting the rule: pattern too long");
	return ctg_collect_one(h, nlh, &c, info, "getting the rule");
}

int ctguard_rule_list(struct ctguard *h, struct ctguard_rule_info **list,
		      size_t *nr)
{
	struct ctg_collect c = CTG_RULE_COLLECT;
	void *array;
	int ret;

	ret = ctg_collect_dump(h, CTGUARD_CMD_GET_RULE, &c, &array, nr,
			       "listing the rules");
	*list = array;
	return ret;
}
