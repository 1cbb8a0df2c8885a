// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Names of request attributes, to say which one the kernel's extended ack
 * points at ("the device rule #2's major") instead of a byte offset.
 */
#include <stdio.h>
#include <string.h>

#include <linux/genetlink.h>

#include "internal.h"

#define N(x) [x] = #x

static const char *const ctg_attr_names[] = {
	N(CTGUARD_A_CGROUP_ID),
	N(CTGUARD_A_CGROUP_PATH),
	N(CTGUARD_A_FLAGS),
	N(CTGUARD_A_DENY),
	N(CTGUARD_A_DENY_CAPS),
	N(CTGUARD_A_MODE),
	N(CTGUARD_A_DEVICES),
	N(CTGUARD_A_STATS),
	N(CTGUARD_A_VERSION),
	N(CTGUARD_A_NR_POLICIES),
	N(CTGUARD_A_MAX_POLICIES),
	N(CTGUARD_A_MAX_DEV_RULES),
	N(CTGUARD_A_PARTIAL),
	N(CTGUARD_A_HOOKS),
	N(CTGUARD_A_EV_POLICY_CGROUP_ID),
	N(CTGUARD_A_EV_PID),
	N(CTGUARD_A_EV_TGID),
	N(CTGUARD_A_EV_UID),
	N(CTGUARD_A_EV_COMM),
	N(CTGUARD_A_EV_CLASS),
	N(CTGUARD_A_EV_VERDICT),
	N(CTGUARD_A_EV_CAP),
	N(CTGUARD_A_EV_MOUNT_OP),
	N(CTGUARD_A_EV_FSTYPE),
	N(CTGUARD_A_EV_MOUNT_FLAGS),
	N(CTGUARD_A_EV_SOCK_FAMILY),
	N(CTGUARD_A_EV_SOCK_TYPE),
	N(CTGUARD_A_EV_SOCK_PROTOCOL),
	N(CTGUARD_A_EV_SYSLOG_ACTION),
	N(CTGUARD_A_EV_DEVICE),
	N(CTGUARD_A_EV_TARGET_CGROUP_ID),
	N(CTGUARD_A_PAD),
	N(CTGUARD_A_PENDING),
	N(CTGUARD_A_RULE_PATTERN),
	N(CTGUARD_A_RULE_MATCHED),
	N(CTGUARD_A_NR_RULES),
	N(CTGUARD_A_MAX_RULES),
};

static const char *const ctg_dev_attr_names[] = {
	N(CTGUARD_A_DEV_TYPE),
	N(CTGUARD_A_DEV_MAJOR),
	N(CTGUARD_A_DEV_MINOR),
	N(CTGUARD_A_DEV_ACCESS),
};

#undef N

const char *ctg_attr_name(uint16_t type)
{
	if (type < sizeof(ctg_attr_names) / sizeof(ctg_attr_names[0]) &&
	    ctg_attr_names[type])
		return ctg_attr_names[type];
	return "unknown attribute";
}

const char *ctg_dev_attr_name(uint16_t type)
{
	if (type < sizeof(ctg_dev_attr_names) / sizeof(ctg_dev_attr_names[0]) &&
	    ctg_dev_attr_names[type])
		return ctg_dev_attr_names[type];
	return "unknown attribute";
}

/*
 * Find the attribute starting at byte @off of the request; an offset inside
 * a device rule names the rule's index and its attribute.
 */
void ctg_attr_at(const struct nlmsghdr *nlh, uint32_t off, char *buf,
		 size_t len)
{
	const char *base = (const char *)nlh;
	const struct nlattr *attr, *rule, *field;
	unsigned int idx;

	snprintf(buf, len, "attribute at offset %u", off);
	if (!nlh || off >= nlh->nlmsg_len)
		return;
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		uint32_t a = (uint32_t)((const char *)attr - base);
		uint16_t type = mnl_attr_get_type(attr);

		if (off == a) {
			snprintf(buf, len, "%s", ctg_attr_name(type));
			return;
		}
		if (off < a || off >= a + attr->nla_len)
			continue;
		if (type != CTGUARD_A_DEVICES) {
			snprintf(buf, len, "%s", ctg_attr_name(type));
			return;
		}
		idx = 0;
		mnl_attr_for_each_nested(rule, attr) {
			uint32_t r = (uint32_t)((const char *)rule - base);

			if (off < r || off >= r + rule->nla_len) {
				idx++;
				continue;
			}
			if (off == r) {
				snprintf(buf, len, "CTGUARD_A_DEVICES[%u]", idx);
				return;
			}
			mnl_attr_for_each_nested(field, rule) {
				uint32_t f = (uint32_t)((const char *)field - base);

				if (off >= f && off < f + field->nla_len) {
					snprintf(buf, len,
						 "CTGUARD_A_DEVICES[%u].%s", idx,
						 ctg_dev_attr_name(mnl_attr_get_type(field)));
					return;
				}
			}
			snprintf(buf, len, "CTGUARD_A_DEVICES[%u]", idx);
			return;
		}
		snprintf(buf, len, "CTGUARD_A_DEVICES");
		return;
	}
}
