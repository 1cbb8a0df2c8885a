// SPDX-License-Identifier: GPL-2.0
/*
 * ctguard selftests: the generic netlink family.
 *
 * The ABI of include/uapi/linux/ctguard.h checked with libnl, a client
 * independent of libctguard: SET/GET/DEL/dump/status/stats semantics, and
 * every error path with its errno and extended ack (the message, and the
 * offset of the bad attribute or the type of the missing one): malformed,
 * missing and unknown attributes, unknown flags, classes, modes and
 * capabilities, bad device rules, cgroups that do not exist or are the
 * root, the limits (range checks of the netlink core give ERANGE, as the
 * ABI documents), unprivileged callers, callers in other user or network
 * namespaces, and callers confined by a policy.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/if_ether.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "common.h"

#define PARAMS "/sys/module/ctguard/parameters/"

static unsigned long read_param(const char *name)
{
	char path[128], buf[64];

	snprintf(path, sizeof(path), PARAMS "%s", name);
	if (ctg_read_file(path, buf, sizeof(buf)))
		return ~0UL;
	return strtoul(buf, NULL, 10);
}

/* ---- bad requests, table driven ----------------------------------------- */

struct bad_ctx {
	uint64_t cgid;		/* an untagged test cgroup */
	uint64_t gone_id;	/* a cgroup that was removed */
	uint64_t file_id;	/* the inode of a file in the cgroup */
	unsigned int max_dev_rules;
	uint32_t offs;		/* where the bad attribute is */
};

FIXTURE(bad) {
	struct ctg_nl nl;
	struct ctg_cg cg;
	struct bad_ctx ctx;
};

FIXTURE_VARIANT(bad) {
	uint8_t cmd;
	int nlflags;
	void (*build)(struct nl_msg *m, struct bad_ctx *c);
	int err;
	/* The extended ack must carry: */
	bool msg;	/* a message */
	bool offs;	/* the offset of the bad attribute (c->offs) */
	int miss;	/* the type of the missing attribute, 0 if none */
};

static void put_id(struct nl_msg *m, struct bad_ctx *c)
{
	ctg_put_u64(m, CTGUARD_A_CGROUP_ID, c->cgid);
}

static void b_no_id(struct nl_msg *m, struct bad_ctx *c)
{
	(void)c;
	ctg_put_u32(m, CTGUARD_A_DENY, CTGUARD_CLASS_MOUNT);
}

static void b_empty(struct nl_msg *m, struct bad_ctx *c)
{
	(void)m;
	(void)c;
}

static void b_id_u32(struct nl_msg *m, struct bad_ctx *c)
{
	c->offs = ctg_put_u32(m, CTGUARD_A_CGROUP_ID, (uint32_t)c->cgid);
}

static void b_id_12(struct nl_msg *m, struct bad_ctx *c)
{
	uint32_t v[3] = { (uint32_t)c->cgid, (uint32_t)(c->cgid >> 32), 0 };

	c->offs = ctg_put(m, CTGUARD_A_CGROUP_ID, v, sizeof(v));
}

static void b_id_0(struct nl_msg *m, struct bad_ctx *c)
{
	c->offs = ctg_put_u64(m, CTGUARD_A_CGROUP_ID, 0);
}

static void b_id_root(struct nl_msg *m, struct bad_ctx *c)
{
	c->offs = ctg_put_u64(m, CTGUARD_A_CGROUP_ID, ctg_cg_id(CTG_CGROOT));
	ctg_put_u32(m, CTGUARD_A_DENY, CTGUARD_CLASS_MOUNT);
}

static void b_id_gone(struct nl_msg *m, struct bad_ctx *c)
{
	c->offs = ctg_put_u64(m, CTGUARD_A_CGROUP_ID, c->gone_id);
}

static void b_id_huge(struct nl_msg *m, struct bad_ctx *c)
{
	c->offs = ctg_put_u64(m, CTGUARD_A_CGROUP_ID, 1ULL << 62);
}

static void b_id_file(struct nl_msg *m, struct bad_ctx *c)
{
	c->offs = ctg_put_u64(m, CTGUARD_A_CGROUP_ID, c->file_id);
}

static void b_flags_unknown(struct nl_msg *m, struct bad_ctx *c)
{
	put_id(m, c);
	c->offs = ctg_put_u32(m, CTGUARD_A_FLAGS,
			      CTGUARD_F_REPLACE | (__CTGUARD_F_ALL + 1));
}

static void b_flags_high(struct nl_msg *m, struct bad_ctx *c)
{
	put_id(m, c);
	c->offs = ctg_put_u32(m, CTGUARD_A_FLAGS, 1U << 31);
}

static void b_flags_u8(struct nl_msg *m, struct bad_ctx *c)
{
	put_id(m, c);
	c->offs = ctg_put_u8(m, CTGUARD_A_FLAGS, CTGUARD_F_REPLACE);
}

static void b_deny_cap_class(struct nl_msg *m, struct bad_ctx *c)
{
	put_id(m, c);
	c->offs = ctg_put_u32(m, CTGUARD_A_DENY,
			      CTGUARD_CLASS_MOUNT | CTGUARD_CLASS_CAP);
}

static void b_deny_cgroup_class(struct nl_msg *m, struct bad_ctx *c)
{
	put_id(m, c);
	c->offs = ctg_put_u32(m, CTGUARD_A_DENY, CTGUARD_CLASS_CGROUP);
}

static void b_deny_high(struct nl_msg *m, struct bad_ctx *c)
{
	put_id(m, c);
	c->offs = ctg_put_u32(m, CTGUARD_A_DENY, 1U << 31);
}

static void b_deny_u64(struct nl_msg *m, struct bad_ctx *c)
{
	put_id(m, c);
	c->offs = ctg_put_u64(m, CTGUARD_A_DENY, CTGUARD_CLASS_MOUNT);
}

static void b_caps_above_last(struct nl_msg *m, struct bad_ctx *c)
{
	put_id(m, c);
	c->offs = ctg_put_u64(m, CTGUARD_A_DENY_CAPS,
			      1ULL << (CAP_LAST_CAP + 1));
}

static void b_caps_bit63(struct nl_msg *m, struct bad_ctx *c)
{
	put_id(m, c);
	c->offs = ctg_put_u64(m, CTGUARD_A_DENY_CAPS, 1ULL << 63 | 1);
}

static void b_caps_u32(struct nl_msg *m, struct bad_ctx *c)
{
	put_id(m, c);
	c->offs = ctg_put_u32(m, CTGUARD_A_DENY_CAPS, 1);
}

static void b_mode_2(struct nl_msg *m, struct bad_ctx *c)
{
	put_id(m, c);
	c->offs = ctg_put_u8(m, CTGUARD_A_MODE, 2);
}

static void b_mode_255(struct nl_msg *m, struct bad_ctx *c)
{
	put_id(m, c);
	c->offs = ctg_put_u8(m, CTGUARD_A_MODE, 255);
}

static void b_mode_u32(struct nl_msg *m, struct bad_ctx *c)
{
	put_id(m, c);
	c->offs = ctg_put_u32(m, CTGUARD_A_MODE, CTGUARD_MODE_COMPLAIN);
}

static void b_unknown_attr(struct nl_msg *m, struct bad_ctx *c)
{
	put_id(m, c);
	c->offs = ctg_put_u32(m, CTGUARD_A_MAX + 5, 0);
}

static void b_path_attr(struct nl_msg *m, struct bad_ctx *c)
{
	/* Reply-only attribute: not accepted in a request. */
	put_id(m, c);
	c->offs = ctg_put(m, CTGUARD_A_CGROUP_PATH, "/x", 3);
}

static void b_stats_attr(struct nl_msg *m, struct bad_ctx *c)
{
	put_id(m, c);
	c->offs = ctg_put(m, CTGUARD_A_STATS, NULL, 0);
}

static void b_devices_not_nested(struct nl_msg *m, struct bad_ctx *c)
{
	uint32_t junk[3] = { 0x00ff0008, 0xdeadbeef, 0 };

	put_id(m, c);
	c->offs = ctg_put(m, CTGUARD_A_DEVICES, junk, sizeof(junk));
}

/* One rule, built field by field; a field of 0xff.. length is left out. */
static void put_rule(struct nl_msg *m, struct bad_ctx *c, int type_len,
		     uint32_t type, int major_len, uint32_t major,
		     int minor_len, uint32_t minor, int access_len,
		     uint32_t access, int bad)
{
	struct nlattr *devs, *rule;
	uint32_t o;

	put_id(m, c);
	ctg_put_u32(m, CTGUARD_A_DENY, CTGUARD_CLASS_DEVICES);
	devs = nla_nest_start(m, CTGUARD_A_DEVICES);
	rule = nla_nest_start(m, 0);
	if (type_len) {
		o = ctg_put(m, CTGUARD_A_DEV_TYPE, &type, type_len);
		if (bad == CTGUARD_A_DEV_TYPE)
			c->offs = o;
	}
	if (major_len) {
		o = ctg_put(m, CTGUARD_A_DEV_MAJOR, &major, major_len);
		if (bad == CTGUARD_A_DEV_MAJOR)
			c->offs = o;
	}
	if (minor_len) {
		o = ctg_put(m, CTGUARD_A_DEV_MINOR, &minor, minor_len);
		if (bad == CTGUARD_A_DEV_MINOR)
			c->offs = o;
	}
	if (access_len) {
		o = ctg_put(m, CTGUARD_A_DEV_ACCESS, &access, access_len);
		if (bad == CTGUARD_A_DEV_ACCESS)
			c->offs = o;
	}
	nla_nest_end(m, rule);
	nla_nest_end(m, devs);
}

static void b_rule_type_d(struct nl_msg *m, struct bad_ctx *c)
{
	put_rule(m, c, 1, 'd', 4, 1, 4, 3, 1, CTG_R, CTGUARD_A_DEV_TYPE);
}

static void b_rule_type_0(struct nl_msg *m, struct bad_ctx *c)
{
	put_rule(m, c, 1, 0, 4, 1, 4, 3, 1, CTG_R, CTGUARD_A_DEV_TYPE);
}

static void b_rule_type_C(struct nl_msg *m, struct bad_ctx *c)
{
	put_rule(m, c, 1, 'C', 4, 1, 4, 3, 1, CTG_R, CTGUARD_A_DEV_TYPE);
}

static void b_rule_type_u32(struct nl_msg *m, struct bad_ctx *c)
{
	put_rule(m, c, 4, 'c', 4, 1, 4, 3, 1, CTG_R, CTGUARD_A_DEV_TYPE);
}

static void b_rule_access_0(struct nl_msg *m, struct bad_ctx *c)
{
	put_rule(m, c, 1, 'c', 4, 1, 4, 3, 1, 0, CTGUARD_A_DEV_ACCESS);
}

static void b_rule_access_8(struct nl_msg *m, struct bad_ctx *c)
{
	put_rule(m, c, 1, 'c', 4, 1, 4, 3, 1, 8, CTGUARD_A_DEV_ACCESS);
}

static void b_rule_access_ff(struct nl_msg *m, struct bad_ctx *c)
{
	put_rule(m, c, 1, 'c', 4, 1, 4, 3, 1, 0xff, CTGUARD_A_DEV_ACCESS);
}

static void b_rule_no_type(struct nl_msg *m, struct bad_ctx *c)
{
	put_rule(m, c, 0, 0, 4, 1, 4, 3, 1, CTG_R, 0);
}

static void b_rule_no_access(struct nl_msg *m, struct bad_ctx *c)
{
	put_rule(m, c, 1, 'c', 4, 1, 4, 3, 0, 0, 0);
}

static void b_rule_major_u8(struct nl_msg *m, struct bad_ctx *c)
{
	put_rule(m, c, 1, 'c', 1, 1, 4, 3, 1, CTG_R, CTGUARD_A_DEV_MAJOR);
}

static void b_rule_major_big(struct nl_msg *m, struct bad_ctx *c)
{
	/* Majors have 12 bits. */
	put_rule(m, c, 1, 'c', 4, 1 << 12, 4, 3, 1, CTG_R, CTGUARD_A_DEV_MAJOR);
}

static void b_rule_minor_big(struct nl_msg *m, struct bad_ctx *c)
{
	/* Minors have 20 bits. */
	put_rule(m, c, 1, 'c', 4, 1, 4, 1 << 20, 1, CTG_R, CTGUARD_A_DEV_MINOR);
}

static void b_rule_all_with_major(struct nl_msg *m, struct bad_ctx *c)
{
	/* 'a' covers every device: it takes no numbers. */
	put_rule(m, c, 1, 'a', 4, 1, 0, 0, 1, CTG_R, 0);
}

static void b_too_many_rules(struct nl_msg *m, struct bad_ctx *c)
{
	struct nlattr *devs, *rule;
	unsigned int i;

	put_id(m, c);
	ctg_put_u32(m, CTGUARD_A_DENY, CTGUARD_CLASS_DEVICES);
	c->offs = (char *)nlmsg_tail(nlmsg_hdr(m)) - (char *)nlmsg_hdr(m);
	devs = nla_nest_start(m, CTGUARD_A_DEVICES);
	for (i = 0; i <= c->max_dev_rules; i++) {
		rule = nla_nest_start(m, i);
		ctg_put_u8(m, CTGUARD_A_DEV_TYPE, 'c');
		ctg_put_u32(m, CTGUARD_A_DEV_MAJOR, 1);
		ctg_put_u32(m, CTGUARD_A_DEV_MINOR, i % 256);
		ctg_put_u8(m, CTGUARD_A_DEV_ACCESS, CTG_R);
		nla_nest_end(m, rule);
	}
	nla_nest_end(m, devs);
}

/* clang-format off */
FIXTURE_VARIANT_ADD(bad, set_no_cgroup_id) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_no_id, .err = EINVAL,
	.miss = CTGUARD_A_CGROUP_ID,
};
FIXTURE_VARIANT_ADD(bad, set_empty) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_empty, .err = EINVAL,
	.miss = CTGUARD_A_CGROUP_ID,
};
FIXTURE_VARIANT_ADD(bad, set_cgroup_id_u32) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_id_u32, .err = EINVAL,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, set_cgroup_id_12_bytes) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_id_12, .err = EINVAL,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, set_cgroup_id_0) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_id_0, .err = ERANGE,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, set_root_cgroup) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_id_root, .err = EINVAL,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, set_removed_cgroup) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_id_gone, .err = ENOENT,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, set_unknown_cgroup) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_id_huge, .err = ENOENT,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, set_id_of_a_file) {
	/* cgroupfs files have inode numbers too; they are no cgroup. */
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_id_file, .err = ENOENT,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, set_unknown_flag) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_flags_unknown, .err = EINVAL,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, set_flag_bit31) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_flags_high, .err = EINVAL,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, set_flags_u8) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_flags_u8, .err = EINVAL,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, set_deny_class_cap) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_deny_cap_class, .err = EINVAL,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, set_deny_class_cgroup) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_deny_cgroup_class,
	.err = EINVAL, .msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, set_deny_bit31) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_deny_high, .err = EINVAL,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, set_deny_u64) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_deny_u64, .err = EINVAL,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, set_cap_above_last) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_caps_above_last,
	.err = EINVAL, .msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, set_cap_bit63) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_caps_bit63, .err = EINVAL,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, set_caps_u32) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_caps_u32, .err = EINVAL,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, set_mode_2) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_mode_2, .err = ERANGE,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, set_mode_255) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_mode_255, .err = ERANGE,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, set_mode_u32) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_mode_u32, .err = EINVAL,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, set_unknown_attribute) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_unknown_attr, .err = EINVAL,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, set_reply_attribute_path) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_path_attr, .err = EINVAL,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, set_reply_attribute_stats) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_stats_attr, .err = EINVAL,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, set_devices_not_nested) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_devices_not_nested,
	.err = EINVAL, .msg = true,
};
FIXTURE_VARIANT_ADD(bad, set_rule_type_d) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_rule_type_d, .err = ERANGE,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, set_rule_type_0) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_rule_type_0, .err = ERANGE,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, set_rule_type_upper_c) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_rule_type_C, .err = ERANGE,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, set_rule_type_u32) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_rule_type_u32, .err = EINVAL,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, set_rule_access_0) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_rule_access_0, .err = ERANGE,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, set_rule_access_8) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_rule_access_8, .err = ERANGE,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, set_rule_access_ff) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_rule_access_ff,
	.err = ERANGE, .msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, set_rule_no_type) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_rule_no_type, .err = EINVAL,
	.msg = true, .miss = CTGUARD_A_DEV_TYPE,
};
FIXTURE_VARIANT_ADD(bad, set_rule_no_access) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_rule_no_access,
	.err = EINVAL, .msg = true, .miss = CTGUARD_A_DEV_ACCESS,
};
FIXTURE_VARIANT_ADD(bad, set_rule_major_u8) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_rule_major_u8,
	.err = EINVAL, .msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, set_rule_major_out_of_range) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_rule_major_big,
	.err = EINVAL, .msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, set_rule_minor_out_of_range) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_rule_minor_big,
	.err = EINVAL, .msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, set_rule_all_with_major) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_rule_all_with_major,
	.err = EINVAL, .msg = true,
};
FIXTURE_VARIANT_ADD(bad, set_too_many_rules) {
	.cmd = CTGUARD_CMD_SET_POLICY, .build = b_too_many_rules, .err = E2BIG,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, del_no_cgroup_id) {
	.cmd = CTGUARD_CMD_DEL_POLICY, .build = b_empty, .err = EINVAL,
	.miss = CTGUARD_A_CGROUP_ID,
};
FIXTURE_VARIANT_ADD(bad, del_cgroup_id_u32) {
	.cmd = CTGUARD_CMD_DEL_POLICY, .build = b_id_u32, .err = EINVAL,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, del_untagged) {
	.cmd = CTGUARD_CMD_DEL_POLICY, .build = b_id_gone, .err = ENOENT,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, del_unknown_attribute) {
	.cmd = CTGUARD_CMD_DEL_POLICY, .build = b_flags_unknown, .err = EINVAL,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, get_no_cgroup_id) {
	.cmd = CTGUARD_CMD_GET_POLICY, .build = b_empty, .err = EINVAL,
	.miss = CTGUARD_A_CGROUP_ID,
};
FIXTURE_VARIANT_ADD(bad, get_untagged) {
	.cmd = CTGUARD_CMD_GET_POLICY, .build = b_id_gone, .err = ENOENT,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, get_cgroup_id_0) {
	.cmd = CTGUARD_CMD_GET_POLICY, .build = b_id_0, .err = ERANGE,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, stats_no_cgroup_id) {
	.cmd = CTGUARD_CMD_GET_STATS, .build = b_empty, .err = EINVAL,
	.miss = CTGUARD_A_CGROUP_ID,
};
FIXTURE_VARIANT_ADD(bad, stats_untagged) {
	.cmd = CTGUARD_CMD_GET_STATS, .build = b_id_gone, .err = ENOENT,
	.msg = true, .offs = true,
};
FIXTURE_VARIANT_ADD(bad, event_from_user_space) {
	.cmd = CTGUARD_CMD_EVENT, .build = put_id, .err = EOPNOTSUPP,
};
FIXTURE_VARIANT_ADD(bad, unknown_command) {
	.cmd = CTGUARD_CMD_MAX + 10, .build = put_id, .err = EOPNOTSUPP,
};
FIXTURE_VARIANT_ADD(bad, set_as_dump) {
	.cmd = CTGUARD_CMD_SET_POLICY, .nlflags = NLM_F_DUMP, .build = put_id,
	.err = EOPNOTSUPP,
};
FIXTURE_VARIANT_ADD(bad, status_as_dump) {
	.cmd = CTGUARD_CMD_GET_STATUS, .nlflags = NLM_F_DUMP, .build = b_empty,
	.err = EOPNOTSUPP,
};
/* clang-format on */

FIXTURE_SETUP(bad)
{
	struct ctg_cg gone;
	char file[PATH_MAX + 16];

	ASSERT_TRUE(ctg_cgroup2_mounted());
	ASSERT_EQ(0, ctg_nl_open(&self->nl))
		TH_LOG("cannot reach the ctguard family: is the module loaded?");
	ASSERT_EQ(0, ctg_cg_create(&self->cg));
	self->ctx.cgid = self->cg.id;
	ASSERT_EQ(0, ctg_cg_create(&gone));
	self->ctx.gone_id = gone.id;
	ASSERT_EQ(0, rmdir(gone.path));
	snprintf(file, sizeof(file), "%s/cgroup.procs", self->cg.path);
	self->ctx.file_id = ctg_cg_id(file);
	ASSERT_NE(0u, self->ctx.file_id);
	self->ctx.max_dev_rules = read_param("max_dev_rules");
	ASSERT_GT(4096u, self->ctx.max_dev_rules);
}

FIXTURE_TEARDOWN(bad)
{
	EXPECT_EQ(0, ctg_cg_destroy(&self->nl, self->cg.path));
	ctg_nl_close(&self->nl);
}

TEST_F(bad, request)
{
	struct ctg_pol *pol = calloc(1, sizeof(*pol));
	struct nl_msg *msg;
	int err;

	ASSERT_NE(NULL, pol);
	msg = ctg_msg(&self->nl, variant->cmd, variant->nlflags);
	ASSERT_NE(NULL, msg);
	self->ctx.offs = 0;
	variant->build(msg, &self->ctx);
	err = ctg_send(&self->nl, msg, NULL, NULL);
	ASSERT_EQ(-variant->err, err)
		TH_LOG("expected %s, got %s (extack \"%s\")",
		       strerror(variant->err), err ? strerror(-err) : "success",
		       self->nl.ext.msg);
	TH_LOG("extack: \"%s\" offs %s%u miss %s%u", self->nl.ext.msg,
	       self->nl.ext.has_offs ? "" : "-", self->nl.ext.offs,
	       self->nl.ext.has_miss_type ? "" : "-", self->nl.ext.miss_type);
	if (variant->msg)
		EXPECT_NE(0, self->nl.ext.msg[0])
			TH_LOG("no extack message");
	if (variant->offs) {
		ASSERT_NE(0u, self->ctx.offs);
		EXPECT_TRUE(self->nl.ext.has_offs)
			TH_LOG("no NLMSGERR_ATTR_OFFS");
		EXPECT_EQ(self->ctx.offs, self->nl.ext.offs)
			TH_LOG("NLMSGERR_ATTR_OFFS names another attribute");
	}
	if (variant->miss) {
		EXPECT_TRUE(self->nl.ext.has_miss_type)
			TH_LOG("no NLMSGERR_ATTR_MISS_TYPE");
		EXPECT_EQ((uint32_t)variant->miss, self->nl.ext.miss_type);
	}

	/* A refused SET leaves nothing behind. */
	EXPECT_EQ(-ENOENT, ctg_get(&self->nl, self->cg.id, pol));
	free(pol);
}

/* ---- semantics ---------------------------------------------------------- */

FIXTURE(netlink) {
	struct ctg_nl nl;
	struct ctg_cg cg, cg2, child;
	struct ctg_pol pol;
	unsigned long max_policies;
};

FIXTURE_SETUP(netlink)
{
	ASSERT_TRUE(ctg_cgroup2_mounted());
	ASSERT_EQ(0, ctg_nl_open(&self->nl))
		TH_LOG("cannot reach the ctguard family: is the module loaded?");
	ASSERT_EQ(0, ctg_cg_create(&self->cg));
	ASSERT_EQ(0, ctg_cg_create(&self->cg2));
	ASSERT_EQ(0, ctg_cg_child(&self->cg, "child", &self->child));
	self->max_policies = read_param("max_policies");
	ASSERT_NE(~0UL, self->max_policies);
}

FIXTURE_TEARDOWN(netlink)
{
	EXPECT_EQ(0, ctg_cg_destroy(&self->nl, self->cg.path));
	EXPECT_EQ(0, ctg_cg_destroy(&self->nl, self->cg2.path));
	ctg_nl_close(&self->nl);
}

static const char *base(const char *path)
{
	return path + strlen(CTG_CGROOT);
}

static bool same_rule(const struct ctg_rule *a, const struct ctg_rule *b)
{
	return a->type == b->type && a->major == b->major &&
	       a->minor == b->minor && a->access == b->access;
}

TEST_F(netlink, set_get)
{
	const struct ctg_rule rules[] = {
		CTG_RULE(CTGUARD_DEV_CHAR, 1, 3, CTG_R | CTG_W),
		CTG_RULE(CTGUARD_DEV_CHAR, 136, CTG_ANY, CTG_R | CTG_W | CTG_M),
		CTG_RULE(CTGUARD_DEV_BLOCK, CTG_ANY, 7, CTG_M),
		CTG_RULE(CTGUARD_DEV_ALL, CTG_ANY, CTG_ANY, CTG_R),
	};
	const uint64_t caps = 1ULL << CAP_SYS_ADMIN | 1ULL << CAP_LAST_CAP;
	struct ctg_set s = {
		.cgid = self->cg.id,
		.has_deny = true, .deny = __CTGUARD_CLASS_ALL,
		.has_caps = true, .caps = caps,
		.has_mode = true, .mode = CTGUARD_MODE_COMPLAIN,
		.has_devices = true, .rules = rules, .nr_rules = 4,
	};
	struct ctg_pol *p = &self->pol;
	int i;

	ASSERT_EQ(-ENOENT, ctg_get(&self->nl, self->cg.id, p));
	ASSERT_NL_OK(&self->nl, ctg_set(&self->nl, &s));
	ASSERT_NL_OK(&self->nl, ctg_get(&self->nl, self->cg.id, p));
	EXPECT_EQ(self->cg.id, p->cgid);
	ASSERT_TRUE(p->has_path);
	EXPECT_STREQ(base(self->cg.path), p->path);
	ASSERT_TRUE(p->has_deny && p->has_caps && p->has_mode &&
		    p->has_devices && p->has_stats);
	EXPECT_EQ((uint32_t)__CTGUARD_CLASS_ALL, p->deny);
	EXPECT_EQ(caps, p->caps);
	EXPECT_EQ(CTGUARD_MODE_COMPLAIN, p->mode);
	ASSERT_EQ(4, p->nr_rules);
	for (i = 0; i < 4; i++)
		EXPECT_TRUE(same_rule(&rules[i], &p->rules[i]))
			TH_LOG("rule %d: got %c %u:%u %u", i, p->rules[i].type,
			       p->rules[i].major, p->rules[i].minor,
			       p->rules[i].access);
	EXPECT_EQ(0u, p->stats.denied);
	EXPECT_EQ(0u, p->stats.complained);

	/* A child's path is below its parent's. */
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->child.id,
					   CTGUARD_CLASS_MOUNT, 0,
					   CTGUARD_MODE_ENFORCE));
	ASSERT_NL_OK(&self->nl, ctg_get(&self->nl, self->child.id, p));
	EXPECT_STREQ(base(self->child.path), p->path);

	/* The id of name_to_handle_at() is the same id. */
	{
		struct {
			struct file_handle fh;
			unsigned char buf[MAX_HANDLE_SZ];
		} h = { .fh.handle_bytes = MAX_HANDLE_SZ };
		uint64_t id;
		int mount_id;

		ASSERT_EQ(0, name_to_handle_at(AT_FDCWD, self->cg2.path, &h.fh,
					       &mount_id, 0));
		ASSERT_EQ(sizeof(uint64_t), h.fh.handle_bytes);
		memcpy(&id, h.fh.f_handle, sizeof(id));
		EXPECT_EQ(self->cg2.id, id);
		ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, id, 0, 1,
						   CTGUARD_MODE_ENFORCE));
		ASSERT_NL_OK(&self->nl, ctg_get(&self->nl, self->cg2.id, p));
	}
}

/* CTGUARD_DEV_ANY sent explicitly means any, as an absent number does. */
TEST_F(netlink, explicit_any)
{
	struct nl_msg *m = ctg_msg(&self->nl, CTGUARD_CMD_SET_POLICY, 0);
	struct nlattr *devs, *rule;

	ASSERT_NE(NULL, m);
	ctg_put_u64(m, CTGUARD_A_CGROUP_ID, self->cg.id);
	devs = nla_nest_start(m, CTGUARD_A_DEVICES);
	rule = nla_nest_start(m, 0);
	ctg_put_u8(m, CTGUARD_A_DEV_TYPE, CTGUARD_DEV_CHAR);
	ctg_put_u32(m, CTGUARD_A_DEV_MAJOR, CTGUARD_DEV_ANY);
	ctg_put_u32(m, CTGUARD_A_DEV_MINOR, 3);
	ctg_put_u8(m, CTGUARD_A_DEV_ACCESS, CTG_R);
	nla_nest_end(m, rule);
	rule = nla_nest_start(m, 1);
	ctg_put_u8(m, CTGUARD_A_DEV_TYPE, CTGUARD_DEV_ALL);
	ctg_put_u32(m, CTGUARD_A_DEV_MAJOR, CTGUARD_DEV_ANY);
	ctg_put_u32(m, CTGUARD_A_DEV_MINOR, CTGUARD_DEV_ANY);
	ctg_put_u8(m, CTGUARD_A_DEV_ACCESS, CTG_M);
	nla_nest_end(m, rule);
	nla_nest_end(m, devs);
	ASSERT_NL_OK(&self->nl, ctg_send(&self->nl, m, NULL, NULL));
	ASSERT_NL_OK(&self->nl, ctg_get(&self->nl, self->cg.id, &self->pol));
	ASSERT_EQ(2, self->pol.nr_rules);
	EXPECT_EQ(CTGUARD_DEV_ANY, self->pol.rules[0].major);
	EXPECT_EQ(3u, self->pol.rules[0].minor);
	EXPECT_EQ(CTGUARD_DEV_ANY, self->pol.rules[1].major);
	EXPECT_EQ(CTGUARD_DEV_ANY, self->pol.rules[1].minor);
}

TEST_F(netlink, new_policy_defaults)
{
	struct ctg_set s = { .cgid = self->cg.id };
	struct ctg_pol *p = &self->pol;

	ASSERT_NL_OK(&self->nl, ctg_set(&self->nl, &s));
	ASSERT_NL_OK(&self->nl, ctg_get(&self->nl, self->cg.id, p));
	EXPECT_EQ(0u, p->deny);
	EXPECT_EQ(0u, p->caps);
	EXPECT_EQ(CTGUARD_MODE_ENFORCE, p->mode);
	EXPECT_TRUE(p->has_devices);
	EXPECT_EQ(0, p->nr_rules);
}

TEST_F(netlink, set_keeps_fields_not_sent)
{
	const struct ctg_rule r1 = CTG_RULE(CTGUARD_DEV_CHAR, 1, 3, CTG_R);
	const struct ctg_rule r2 = CTG_RULE(CTGUARD_DEV_BLOCK, 7, 0, CTG_W);
	struct ctg_set s = {
		.cgid = self->cg.id,
		.has_deny = true, .deny = CTGUARD_CLASS_MOUNT,
		.has_caps = true, .caps = 1ULL << CAP_CHOWN,
		.has_mode = true, .mode = CTGUARD_MODE_COMPLAIN,
		.has_devices = true, .rules = &r1, .nr_rules = 1,
	};
	struct ctg_pol *p = &self->pol;

	ASSERT_NL_OK(&self->nl, ctg_set(&self->nl, &s));

	/* Only the capabilities. */
	s = (struct ctg_set){ .cgid = self->cg.id, .has_caps = true,
			      .caps = 1ULL << CAP_NET_RAW };
	ASSERT_NL_OK(&self->nl, ctg_set(&self->nl, &s));
	ASSERT_NL_OK(&self->nl, ctg_get(&self->nl, self->cg.id, p));
	EXPECT_EQ((uint32_t)CTGUARD_CLASS_MOUNT, p->deny);
	EXPECT_EQ(1ULL << CAP_NET_RAW, p->caps);
	EXPECT_EQ(CTGUARD_MODE_COMPLAIN, p->mode);
	ASSERT_EQ(1, p->nr_rules);
	EXPECT_TRUE(same_rule(&r1, &p->rules[0]));

	/* Only the classes and the mode. */
	s = (struct ctg_set){ .cgid = self->cg.id,
			      .has_deny = true, .deny = CTGUARD_CLASS_USERNS,
			      .has_mode = true, .mode = CTGUARD_MODE_ENFORCE };
	ASSERT_NL_OK(&self->nl, ctg_set(&self->nl, &s));
	ASSERT_NL_OK(&self->nl, ctg_get(&self->nl, self->cg.id, p));
	EXPECT_EQ((uint32_t)CTGUARD_CLASS_USERNS, p->deny);
	EXPECT_EQ(1ULL << CAP_NET_RAW, p->caps);
	EXPECT_EQ(CTGUARD_MODE_ENFORCE, p->mode);
	ASSERT_EQ(1, p->nr_rules);

	/* Only the devices: the list is replaced, not merged. */
	s = (struct ctg_set){ .cgid = self->cg.id, .has_devices = true,
			      .rules = &r2, .nr_rules = 1 };
	ASSERT_NL_OK(&self->nl, ctg_set(&self->nl, &s));
	ASSERT_NL_OK(&self->nl, ctg_get(&self->nl, self->cg.id, p));
	ASSERT_EQ(1, p->nr_rules);
	EXPECT_TRUE(same_rule(&r2, &p->rules[0]));
	EXPECT_EQ((uint32_t)CTGUARD_CLASS_USERNS, p->deny);

	/* Nothing but the id: nothing changes. */
	s = (struct ctg_set){ .cgid = self->cg.id };
	ASSERT_NL_OK(&self->nl, ctg_set(&self->nl, &s));
	ASSERT_NL_OK(&self->nl, ctg_get(&self->nl, self->cg.id, p));
	EXPECT_EQ((uint32_t)CTGUARD_CLASS_USERNS, p->deny);
	EXPECT_EQ(1ULL << CAP_NET_RAW, p->caps);
	EXPECT_EQ(1, p->nr_rules);

	/* An empty DEVICES nest clears the list. */
	s = (struct ctg_set){ .cgid = self->cg.id, .has_devices = true };
	ASSERT_NL_OK(&self->nl, ctg_set(&self->nl, &s));
	ASSERT_NL_OK(&self->nl, ctg_get(&self->nl, self->cg.id, p));
	EXPECT_EQ(0, p->nr_rules);
	EXPECT_EQ(1ULL << CAP_NET_RAW, p->caps);

	/* REPLACE resets what is not sent. */
	s = (struct ctg_set){ .cgid = self->cg.id,
			      .has_devices = true, .rules = &r1, .nr_rules = 1,
			      .has_mode = true, .mode = CTGUARD_MODE_COMPLAIN };
	ASSERT_NL_OK(&self->nl, ctg_set(&self->nl, &s));
	s = (struct ctg_set){ .cgid = self->cg.id,
			      .has_flags = true, .flags = CTGUARD_F_REPLACE,
			      .has_deny = true, .deny = CTGUARD_CLASS_DMESG };
	ASSERT_NL_OK(&self->nl, ctg_set(&self->nl, &s));
	ASSERT_NL_OK(&self->nl, ctg_get(&self->nl, self->cg.id, p));
	EXPECT_EQ((uint32_t)CTGUARD_CLASS_DMESG, p->deny);
	EXPECT_EQ(0u, p->caps);
	EXPECT_EQ(CTGUARD_MODE_ENFORCE, p->mode);
	EXPECT_EQ(0, p->nr_rules);
}

TEST_F(netlink, del)
{
	struct ctg_status st0, st1;

	ASSERT_NL_OK(&self->nl, ctg_status(&self->nl, &st0));
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->cg.id,
					   CTGUARD_CLASS_MOUNT, 0,
					   CTGUARD_MODE_ENFORCE));
	ASSERT_NL_OK(&self->nl, ctg_status(&self->nl, &st1));
	EXPECT_EQ(st0.nr_policies + 1, st1.nr_policies);
	ASSERT_NL_OK(&self->nl, ctg_del(&self->nl, self->cg.id));
	EXPECT_EQ(-ENOENT, ctg_get(&self->nl, self->cg.id, &self->pol));
	ASSERT_NL_ERR(&self->nl, ENOENT, ctg_del(&self->nl, self->cg.id));
	EXPECT_NE(0, self->nl.ext.msg[0]);
	ASSERT_NL_OK(&self->nl, ctg_status(&self->nl, &st1));
	EXPECT_EQ(st0.nr_policies, st1.nr_policies);
	/* Deleting the parent's policy leaves the child's. */
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->cg.id,
					   CTGUARD_CLASS_MOUNT, 0,
					   CTGUARD_MODE_ENFORCE));
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->child.id,
					   CTGUARD_CLASS_MOUNT, 0,
					   CTGUARD_MODE_ENFORCE));
	ASSERT_NL_OK(&self->nl, ctg_del(&self->nl, self->cg.id));
	ASSERT_NL_OK(&self->nl, ctg_get(&self->nl, self->child.id, &self->pol));
}

struct seen {
	uint64_t ids[4];
	const char *paths[4];
	int count[4];
	int others;
	uint8_t cmd;
	bool has_fields, has_stats;
};

static int count_seen(const struct ctg_pol *p, void *arg)
{
	struct seen *s = arg;
	int i;

	for (i = 0; i < 4; i++) {
		if (s->ids[i] == p->cgid) {
			s->count[i]++;
			if (strcmp(s->paths[i], p->path))
				return -EBADMSG;
			s->cmd = p->cmd;
			s->has_fields = p->has_deny && p->has_caps &&
					p->has_mode && p->has_devices;
			s->has_stats = p->has_stats;
			return 0;
		}
	}
	s->others++;
	return 0;
}

TEST_F(netlink, dump)
{
	struct seen s = {
		.ids = { self->cg.id, self->cg2.id, self->child.id, 0 },
		.paths = { base(self->cg.path), base(self->cg2.path),
			   base(self->child.path), "" },
	};

	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->cg.id,
					   CTGUARD_CLASS_MOUNT, 0,
					   CTGUARD_MODE_ENFORCE));
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->cg2.id, 0, 1,
					   CTGUARD_MODE_COMPLAIN));
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->child.id,
					   CTGUARD_CLASS_RAWSOCK, 0,
					   CTGUARD_MODE_ENFORCE));
	ASSERT_NL_OK(&self->nl, ctg_dump(&self->nl, CTGUARD_CMD_GET_POLICY,
					 count_seen, &s));
	EXPECT_EQ(1, s.count[0]);
	EXPECT_EQ(1, s.count[1]);
	EXPECT_EQ(1, s.count[2]);
	EXPECT_EQ(CTGUARD_CMD_GET_POLICY, s.cmd);
	EXPECT_TRUE(s.has_fields);
	EXPECT_TRUE(s.has_stats);
	EXPECT_EQ(0, s.others) TH_LOG("policies left behind by other tests?");

	memset(s.count, 0, sizeof(s.count));
	ASSERT_NL_OK(&self->nl, ctg_dump(&self->nl, CTGUARD_CMD_GET_STATS,
					 count_seen, &s));
	EXPECT_EQ(1, s.count[0]);
	EXPECT_EQ(1, s.count[1]);
	EXPECT_EQ(1, s.count[2]);
	EXPECT_EQ(CTGUARD_CMD_GET_STATS, s.cmd);
	EXPECT_TRUE(s.has_stats);

	/* Empty dumps end cleanly. */
	ASSERT_NL_OK(&self->nl, ctg_del(&self->nl, self->cg.id));
	ASSERT_NL_OK(&self->nl, ctg_del(&self->nl, self->cg2.id));
	ASSERT_NL_OK(&self->nl, ctg_del(&self->nl, self->child.id));
	memset(s.count, 0, sizeof(s.count));
	ASSERT_NL_OK(&self->nl, ctg_dump(&self->nl, CTGUARD_CMD_GET_POLICY,
					 count_seen, &s));
	EXPECT_EQ(0, s.count[0] + s.count[1] + s.count[2]);
}

#define MANY 40

struct many {
	uint64_t ids[MANY];
	int count[MANY];
	int rules_ok;
	unsigned int nr_rules;
};

static int count_many(const struct ctg_pol *p, void *arg)
{
	struct many *m = arg;
	int i;

	for (i = 0; i < MANY; i++)
		if (m->ids[i] == p->cgid) {
			m->count[i]++;
			if ((unsigned int)p->nr_rules == m->nr_rules)
				m->rules_ok++;
		}
	return 0;
}

/* A dump of policies too big for one message resumes where it stopped. */
TEST_F_TIMEOUT(netlink, dump_many_parts, 120)
{
	struct ctg_rule *rules;
	struct many *m = calloc(1, sizeof(*m));
	struct ctg_cg c;
	char name[16];
	unsigned int i;

	ASSERT_NE(NULL, m);
	m->nr_rules = read_param("max_dev_rules");
	ASSERT_GT(4097u, m->nr_rules);
	rules = calloc(m->nr_rules, sizeof(*rules));
	ASSERT_NE(NULL, rules);
	for (i = 0; i < m->nr_rules; i++)
		rules[i] = CTG_RULE(CTGUARD_DEV_CHAR, i % 4096, CTG_ANY, CTG_R);
	for (i = 0; i < MANY; i++) {
		snprintf(name, sizeof(name), "p%u", i);
		ASSERT_EQ(0, ctg_cg_child(&self->cg2, name, &c));
		m->ids[i] = c.id;
		ASSERT_NL_OK(&self->nl,
			     ctg_policy_dev(&self->nl, c.id, 0,
					    CTGUARD_MODE_ENFORCE, rules,
					    m->nr_rules));
	}
	ASSERT_NL_OK(&self->nl, ctg_dump(&self->nl, CTGUARD_CMD_GET_POLICY,
					 count_many, m));
	for (i = 0; i < MANY; i++) {
		int n = m->count[i];

		EXPECT_EQ(1, n) TH_LOG("policy %u seen %d times", i, n);
	}
	EXPECT_EQ(MANY, m->rules_ok);
	free(rules);
	free(m);
}

TEST_F(netlink, status)
{
	struct ctg_status *st = calloc(2, sizeof(*st));
	char version[64];
	const struct ctg_hook *h;
	uint32_t classes = 0;
	int i;

	ASSERT_NE(NULL, st);
	ASSERT_NL_OK(&self->nl, ctg_status(&self->nl, &st[0]));
	ASSERT_EQ(0, ctg_read_file("VERSION", version, sizeof(version)))
		TH_LOG("run from the top of the source tree");
	EXPECT_STREQ(version, st[0].version);
	EXPECT_EQ(read_param("max_dev_rules"), st[0].max_dev_rules);
	EXPECT_EQ(self->max_policies, st[0].max_policies);
	EXPECT_EQ(0, st[0].partial);
	ASSERT_LT(0, st[0].nr_hooks);
	for (i = 0; i < st[0].nr_hooks; i++) {
		h = &st[0].hooks[i];
		EXPECT_NE(0, h->name[0]);
		EXPECT_NE(CTGUARD_HOOK_UNAVAILABLE, h->state)
			TH_LOG("%s unavailable", h->name);
		classes |= h->class;
	}
	/* Every class has a hook. */
	EXPECT_EQ((uint32_t)(__CTGUARD_CLASS_ALL | CTGUARD_CLASS_CAP |
			     CTGUARD_CLASS_CGROUP), classes);
	EXPECT_NE(NULL, ctg_status_hook(&st[0], "security_capable"));
	EXPECT_NE(NULL, ctg_status_hook(&st[0], "security_sb_mount"));
	EXPECT_NE(NULL, ctg_status_hook(&st[0], "security_socket_create"));
	EXPECT_NE(NULL, ctg_status_hook(&st[0], "security_syslog"));
	EXPECT_NE(NULL, ctg_status_hook(&st[0], "security_create_user_ns"));

	/* A new policy counts. */
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->cg.id,
					   CTGUARD_CLASS_MOUNT, 0,
					   CTGUARD_MODE_ENFORCE));
	ASSERT_NL_OK(&self->nl, ctg_status(&self->nl, &st[1]));
	EXPECT_EQ(st[0].nr_policies + 1, st[1].nr_policies);
	free(st);
}

/*
 * Hooks no policy needs are not armed; a policy arms the hooks of its
 * classes; deleting it disarms them again.
 */
TEST_F(netlink, hooks_armed_on_demand)
{
	struct ctg_status *st = calloc(1, sizeof(*st));
	const struct ctg_hook *h;
	int i;

	ASSERT_NE(NULL, st);
	/* Other tests' probes are disarmed a little after their policies go. */
	ASSERT_EQ(0, ctg_wait_disarmed(&self->nl, st, 30000));
	ASSERT_EQ(0u, st->nr_policies)
		TH_LOG("policies left behind by other tests?");
	for (i = 0; i < st->nr_hooks; i++)
		EXPECT_EQ(CTGUARD_HOOK_DISARMED, st->hooks[i].state)
			TH_LOG("%s armed without any policy",
			       st->hooks[i].name);

	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->cg.id,
					   CTGUARD_CLASS_MOUNT, 0,
					   CTGUARD_MODE_ENFORCE));
	ASSERT_NL_OK(&self->nl, ctg_status(&self->nl, st));
	for (i = 0; i < st->nr_hooks; i++) {
		h = &st->hooks[i];
		if (h->class == CTGUARD_CLASS_MOUNT) {
			EXPECT_EQ(CTGUARD_HOOK_ARMED, h->state)
				TH_LOG("%s not armed", h->name);
		} else if (h->class != CTGUARD_CLASS_CGROUP) {
			EXPECT_EQ(CTGUARD_HOOK_DISARMED, h->state)
				TH_LOG("%s armed for a mount policy", h->name);
		}
	}
	h = ctg_status_hook(st, "security_capable");
	ASSERT_NE(NULL, h);
	EXPECT_EQ(CTGUARD_HOOK_DISARMED, h->state);

	/* A capability arms security_capable. */
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->cg2.id, 0,
					   1ULL << CAP_SYS_CHROOT,
					   CTGUARD_MODE_ENFORCE));
	ASSERT_NL_OK(&self->nl, ctg_status(&self->nl, st));
	h = ctg_status_hook(st, "security_capable");
	EXPECT_EQ(CTGUARD_HOOK_ARMED, h->state);

	/*
	 * Deleting disarms them, after a short delay and without making the
	 * request wait for it.
	 */
	ASSERT_NL_OK(&self->nl, ctg_del(&self->nl, self->cg.id));
	ASSERT_NL_OK(&self->nl, ctg_del(&self->nl, self->cg2.id));
	EXPECT_EQ(0, ctg_wait_disarmed(&self->nl, st, 30000));
	for (i = 0; i < st->nr_hooks; i++)
		EXPECT_EQ(CTGUARD_HOOK_DISARMED, st->hooks[i].state)
			TH_LOG("%s still armed", st->hooks[i].name);
	free(st);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * A probe that is still waiting to be disarmed is simply kept when a policy
 * needs it again; and the request that removes the last policy returns
 * without waiting for every probe to be unregistered (which takes seconds
 * under emulation).
 */
TEST_F(netlink, disarm_is_deferred)
{
	struct ctg_status *st = calloc(1, sizeof(*st));
	const struct ctg_hook *h;
	double t0, del_s;
	int i, armed = 0;

	ASSERT_NE(NULL, st);
	ASSERT_EQ(0, ctg_wait_disarmed(&self->nl, st, 30000));
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->cg.id,
					   __CTGUARD_CLASS_ALL, ~0ULL >> (63 - CAP_LAST_CAP),
					   CTGUARD_MODE_ENFORCE));
	ASSERT_NL_OK(&self->nl, ctg_status(&self->nl, st));
	for (i = 0; i < st->nr_hooks; i++)
		armed += st->hooks[i].state == CTGUARD_HOOK_ARMED;
	EXPECT_LT(20, armed);

	t0 = now_s();
	ASSERT_NL_OK(&self->nl, ctg_del(&self->nl, self->cg.id));
	del_s = now_s() - t0;
	/* Still armed right after: the disarm has not run yet. */
	ASSERT_NL_OK(&self->nl, ctg_status(&self->nl, st));
	h = ctg_status_hook(st, "security_capable");
	ASSERT_NE(NULL, h);
	EXPECT_EQ(CTGUARD_HOOK_ARMED, h->state);
	/* Needed again before the disarm: kept, and enforced at once. */
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->cg.id, 0,
					   1ULL << CAP_SYS_CHROOT,
					   CTGUARD_MODE_ENFORCE));
	ASSERT_NL_OK(&self->nl, ctg_status(&self->nl, st));
	h = ctg_status_hook(st, "security_capable");
	EXPECT_EQ(CTGUARD_HOOK_ARMED, h->state);
	ASSERT_NL_OK(&self->nl, ctg_del(&self->nl, self->cg.id));
	EXPECT_EQ(0, ctg_wait_disarmed(&self->nl, st, 30000));
	TH_LOG("deleting the policy that needed %d probes took %.3f s", armed,
	       del_s);
	/* Unregistering them one by one took ~3.5 s here; the request waits for none. */
	EXPECT_GT(1.0, del_s);
	free(st);
}

static long do_packet_socket(void *arg)
{
	int fd;

	(void)arg;
	STEP(1);
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (fd >= 0)
		close(fd);
	return fd;
}

/*
 * The hooks' Bloom filter is rebuilt from the store once enough policies
 * went (here 1,100 deleted): the policies that remain are still enforced
 * right after, and untagged cgroups still are not. The rebuild is seen in
 * its pr_debug line; a kernel without dynamic debug (the debug kernel of
 * make check-debug) still runs the whole workload and the checks, but the
 * test is then reported as skipped, since the rebuild was not seen.
 */
TEST_F_TIMEOUT(netlink, lookup_filter_rebuild, 240)
{
	const char *dyndbg = "/proc/dynamic_debug/control";
	const char *msg = "rebuilt the lookup filter";
	struct ctg_cg many, c;
	char name[16];
	int i, before, waited;
	bool seen = access(dyndbg, F_OK) == 0;

	if (seen)
		ASSERT_EQ(0, ctg_write_file(dyndbg, "module ctguard +p"))
			TH_LOG("%s: %s", dyndbg, strerror(errno));
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->cg.id,
					   CTGUARD_CLASS_RAWSOCK, 0,
					   CTGUARD_MODE_ENFORCE));
	ASSERT_RUN(self->cg.path, NULL, do_packet_socket, NULL, 1, EPERM);
	ASSERT_RUN(self->cg2.path, NULL, do_packet_socket, NULL, 1, 0);

	ASSERT_EQ(0, ctg_cg_create(&many));
	for (i = 0; i < 1100; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		ASSERT_EQ(0, ctg_cg_child(&many, name, &c));
		ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, c.id,
						   CTGUARD_CLASS_DMESG, 0,
						   CTGUARD_MODE_ENFORCE));
	}
	before = ctg_klog_count(msg);
	ASSERT_LE(0, before);
	/* Deletes the 1,100 policies, then the cgroups. */
	ASSERT_EQ(0, ctg_cg_destroy(&self->nl, many.path));
	/* The reclaim work runs every 5 s and rebuilds the filter. */
	for (waited = 0; waited < 20 && (seen ? ctg_klog_count(msg) == before :
					 waited < 12); waited++)
		sleep(1);
	if (seen) {
		EXPECT_LT(before, ctg_klog_count(msg)) TH_LOG("no rebuild in 20 s");
		ctg_write_file(dyndbg, "module ctguard -p");
	}

	ASSERT_RUN(self->cg.path, NULL, do_packet_socket, NULL, 1, EPERM);
	ASSERT_RUN(self->cg2.path, NULL, do_packet_socket, NULL, 1, 0);
	ASSERT_NL_OK(&self->nl, ctg_del(&self->nl, self->cg.id));
	if (!seen)
		SKIP(return, "%s missing (no CONFIG_DYNAMIC_DEBUG): the workload ran and enforcement held, but the rebuild was not seen",
		     dyndbg);
}

/*
 * In the child, in the tagged cgroup: exec a program there, from a mount
 * namespace of its own when @arg is not NULL (as a container's program is
 * run) or else from the initial one (as runc re-executes itself), then try.
 */
static long do_exec_then_packet_socket(void *arg)
{
	STEP(1);
	if (ctg_exec_true(arg != NULL))
		return -1;
	return do_packet_socket(arg);
}

/*
 * CTGUARD_F_ON_EXEC: the policy is stored but pending, the cgroup's tasks
 * keep their rights (a container runtime still sets up the container
 * there), until a task of the cgroup execs from outside the initial mount
 * namespace; then it is in force for every task of the cgroup. An exec in
 * the initial mount namespace leaves it pending. A SET without the flag is
 * in force at once.
 */
TEST_F(netlink, on_exec)
{
	struct ctg_set s = {
		.cgid = self->cg.id,
		.has_flags = true, .flags = CTGUARD_F_REPLACE | CTGUARD_F_ON_EXEC,
		.has_deny = true, .deny = CTGUARD_CLASS_RAWSOCK,
	};
	struct ctg_pol *p = calloc(1, sizeof(*p));

	ASSERT_NE(NULL, p);
	ASSERT_NL_OK(&self->nl, ctg_set(&self->nl, &s));
	ASSERT_NL_OK(&self->nl, ctg_get(&self->nl, self->cg.id, p));
	EXPECT_TRUE(p->has_pending);
	EXPECT_EQ(1, p->pending);
	/* Pending: not in force, and its tasks are not "confined". */
	ASSERT_RUN(self->cg.path, NULL, do_packet_socket, NULL, 1, 0);
	ASSERT_RUN(self->cg.path, NULL, do_packet_socket, NULL, 1, 0);

	/* An exec in the initial mount namespace does not. */
	ASSERT_RUN(self->cg.path, NULL, do_exec_then_packet_socket, NULL, 1, 0);
	ASSERT_NL_OK(&self->nl, ctg_get(&self->nl, self->cg.id, p));
	EXPECT_EQ(1, p->pending);

	/* One from another mount namespace does, for the whole cgroup. */
	ASSERT_RUN(self->cg.path, NULL, do_exec_then_packet_socket, "mntns", 1,
		   EPERM);
	ASSERT_RUN(self->cg.path, NULL, do_packet_socket, NULL, 1, EPERM);
	ASSERT_NL_OK(&self->nl, ctg_get(&self->nl, self->cg.id, p));
	EXPECT_EQ(0, p->pending);
	/* Elsewhere nothing changed. */
	ASSERT_RUN(self->cg2.path, NULL, do_packet_socket, NULL, 1, 0);

	/* Without the flag: in force at once. */
	s.cgid = self->cg2.id;
	s.flags = CTGUARD_F_REPLACE;
	ASSERT_NL_OK(&self->nl, ctg_set(&self->nl, &s));
	ASSERT_RUN(self->cg2.path, NULL, do_packet_socket, NULL, 1, EPERM);
	ASSERT_NL_OK(&self->nl, ctg_get(&self->nl, self->cg2.id, p));
	EXPECT_EQ(0, p->pending);
	ASSERT_NL_OK(&self->nl, ctg_del(&self->nl, self->cg.id));
	ASSERT_NL_OK(&self->nl, ctg_del(&self->nl, self->cg2.id));
	free(p);
}

static long do_chroot(void *arg)
{
	(void)arg;
	STEP(1);
	return chroot("/");
}

/* Hits and the global counters move with a refusal. */
TEST_F(netlink, hits_and_global_counters)
{
	struct ctg_status *st = calloc(2, sizeof(*st));
	const struct ctg_hook *h0, *h1;

	ASSERT_NE(NULL, st);
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->cg.id, 0,
					   1ULL << CAP_SYS_CHROOT,
					   CTGUARD_MODE_ENFORCE));
	ASSERT_NL_OK(&self->nl, ctg_status(&self->nl, &st[0]));
	ASSERT_RUN(self->cg.path, NULL, do_chroot, NULL, 1, EPERM);
	ASSERT_NL_OK(&self->nl, ctg_status(&self->nl, &st[1]));
	h0 = ctg_status_hook(&st[0], "security_capable");
	h1 = ctg_status_hook(&st[1], "security_capable");
	ASSERT_NE(NULL, h0);
	ASSERT_NE(NULL, h1);
	EXPECT_LT(h0->hits, h1->hits);
	EXPECT_EQ(st[0].stats.denied + 1, st[1].stats.denied);
	free(st);
}

/* Once a tagged cgroup is removed its policy goes away by itself. */
TEST_F_TIMEOUT(netlink, reclaim_removed_cgroup, 60)
{
	struct ctg_status st0, st1;
	struct ctg_cg again;
	int i, err = 0;

	ASSERT_NL_OK(&self->nl, ctg_status(&self->nl, &st0));
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->child.id,
					   CTGUARD_CLASS_MOUNT, 0,
					   CTGUARD_MODE_ENFORCE));
	ASSERT_EQ(0, rmdir(self->child.path));
	for (i = 0; i < 100; i++) {
		err = ctg_get(&self->nl, self->child.id, &self->pol);
		if (err == -ENOENT)
			break;
		usleep(100000);
	}
	ASSERT_EQ(-ENOENT, err) TH_LOG("policy of a removed cgroup still there after 10 s");
	ASSERT_NL_OK(&self->nl, ctg_status(&self->nl, &st1));
	EXPECT_EQ(st0.nr_policies, st1.nr_policies);

	/* A new cgroup of the same name is a new cgroup, untagged. */
	ASSERT_EQ(0, ctg_cg_child(&self->cg, "child", &again));
	EXPECT_NE(self->child.id, again.id);
	EXPECT_EQ(-ENOENT, ctg_get(&self->nl, again.id, &self->pol));
}

/* Exactly max_dev_rules rules are fine. */
TEST_F(netlink, max_dev_rules)
{
	unsigned int i, n = read_param("max_dev_rules");
	struct ctg_rule *rules;

	ASSERT_GT(4097u, n);
	rules = calloc(n + 1, sizeof(*rules));
	ASSERT_NE(NULL, rules);
	for (i = 0; i <= n; i++)
		rules[i] = CTG_RULE(CTGUARD_DEV_CHAR, 1, i, CTG_R);
	ASSERT_NL_OK(&self->nl, ctg_policy_dev(&self->nl, self->cg.id, 0,
					       CTGUARD_MODE_ENFORCE, rules, n));
	ASSERT_NL_OK(&self->nl, ctg_get(&self->nl, self->cg.id, &self->pol));
	EXPECT_EQ((int)n, self->pol.nr_rules);
	ASSERT_NL_ERR(&self->nl, E2BIG,
		      ctg_policy_dev(&self->nl, self->cg.id, 0,
				     CTGUARD_MODE_ENFORCE, rules, n + 1));
	/* The refused update left the policy as it was. */
	ASSERT_NL_OK(&self->nl, ctg_get(&self->nl, self->cg.id, &self->pol));
	EXPECT_EQ((int)n, self->pol.nr_rules);
	free(rules);
}

/* ---- who may ask -------------------------------------------------------- */

enum who {
	NOBODY,		/* setuid(65534) */
	NO_NET_ADMIN,	/* root without CAP_NET_ADMIN */
	USERNS_ROOT,	/* root of a new user namespace */
	NETNS,		/* root, in a new network namespace */
	CONFINED,	/* root, in a tagged cgroup */
	ROOT,		/* root, unconfined: the control */
};

struct ask {
	enum who who;
	uint8_t cmd;
	uint64_t cgid;
	/* Turn a refusal without an extack message into ENOMSG. */
	bool need_msg;
};

static int ignore_pol(const struct ctg_pol *p, void *arg)
{
	(void)p;
	(void)arg;
	return 0;
}

static int drop_net_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(__NR_capget, &hdr, data))
		return -1;
	data[0].effective &= ~(1U << CAP_NET_ADMIN);
	data[0].permitted &= ~(1U << CAP_NET_ADMIN);
	data[0].inheritable &= ~(1U << CAP_NET_ADMIN);
	return syscall(__NR_capset, &hdr, data);
}

/* In the child: become @who, then send one request. */
static long ask(void *arg)
{
	struct ask *a = arg;
	struct ctg_nl nl;
	struct ctg_pol *p;
	struct ctg_status *st;
	int err;

	STEP(1);
	switch (a->who) {
	case NOBODY:
		if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			return -1;
		break;
	case NO_NET_ADMIN:
		if (drop_net_admin())
			return -1;
		break;
	case USERNS_ROOT:
		if (unshare(CLONE_NEWUSER))
			return -1;
		break;
	case NETNS:
		if (unshare(CLONE_NEWNET))
			return -1;
		break;
	case CONFINED:
	case ROOT:
		break;
	}
	STEP(2);
	err = ctg_nl_open(&nl);
	if (err) {
		errno = -err;
		return -1;
	}
	STEP(3);
	switch (a->cmd) {
	case CTGUARD_CMD_SET_POLICY:
		err = ctg_policy(&nl, a->cgid, CTGUARD_CLASS_MOUNT, 0,
				 CTGUARD_MODE_ENFORCE);
		break;
	case CTGUARD_CMD_DEL_POLICY:
		err = ctg_del(&nl, a->cgid);
		break;
	case CTGUARD_CMD_GET_POLICY:
		p = malloc(sizeof(*p));
		err = p ? ctg_get(&nl, a->cgid, p) : -ENOMEM;
		free(p);
		break;
	case CTGUARD_CMD_GET_STATUS:
		st = malloc(sizeof(*st));
		err = st ? ctg_status(&nl, st) : -ENOMEM;
		free(st);
		break;
	default:
		err = ctg_dump(&nl, CTGUARD_CMD_GET_POLICY, ignore_pol, NULL);
		break;
	}
	if (err && a->need_msg && !nl.ext.msg[0])
		err = -ENOMSG;
	ctg_nl_close(&nl);
	if (err) {
		errno = -err;
		return -1;
	}
	return 0;
}

FIXTURE(caller) {
	struct ctg_nl nl;
	struct ctg_cg cg, target;
};

FIXTURE_VARIANT(caller) {
	enum who who;
	uint8_t cmd;
	int stage, err;
};

/* clang-format off */
FIXTURE_VARIANT_ADD(caller, nobody_set) {
	.who = NOBODY, .cmd = CTGUARD_CMD_SET_POLICY, .stage = 3, .err = EPERM,
};
FIXTURE_VARIANT_ADD(caller, nobody_del) {
	.who = NOBODY, .cmd = CTGUARD_CMD_DEL_POLICY, .stage = 3, .err = EPERM,
};
FIXTURE_VARIANT_ADD(caller, nobody_get) {
	.who = NOBODY, .cmd = CTGUARD_CMD_GET_POLICY, .stage = 3, .err = EPERM,
};
FIXTURE_VARIANT_ADD(caller, nobody_dump) {
	.who = NOBODY, .cmd = 0, .stage = 3, .err = EPERM,
};
FIXTURE_VARIANT_ADD(caller, nobody_status) {
	.who = NOBODY, .cmd = CTGUARD_CMD_GET_STATUS, .stage = 3, .err = EPERM,
};
FIXTURE_VARIANT_ADD(caller, no_net_admin_set) {
	.who = NO_NET_ADMIN, .cmd = CTGUARD_CMD_SET_POLICY, .stage = 3,
	.err = EPERM,
};
FIXTURE_VARIANT_ADD(caller, no_net_admin_del) {
	.who = NO_NET_ADMIN, .cmd = CTGUARD_CMD_DEL_POLICY, .stage = 3,
	.err = EPERM,
};
FIXTURE_VARIANT_ADD(caller, userns_root_set) {
	.who = USERNS_ROOT, .cmd = CTGUARD_CMD_SET_POLICY, .stage = 3,
	.err = EPERM,
};
FIXTURE_VARIANT_ADD(caller, userns_root_del) {
	.who = USERNS_ROOT, .cmd = CTGUARD_CMD_DEL_POLICY, .stage = 3,
	.err = EPERM,
};
FIXTURE_VARIANT_ADD(caller, netns_root) {
	/* netnsok = false: the family does not exist there. */
	.who = NETNS, .cmd = CTGUARD_CMD_SET_POLICY, .stage = 2, .err = ENOENT,
};
FIXTURE_VARIANT_ADD(caller, confined_set) {
	.who = CONFINED, .cmd = CTGUARD_CMD_SET_POLICY, .stage = 3,
	.err = EPERM,
};
FIXTURE_VARIANT_ADD(caller, confined_del) {
	.who = CONFINED, .cmd = CTGUARD_CMD_DEL_POLICY, .stage = 3,
	.err = EPERM,
};
FIXTURE_VARIANT_ADD(caller, confined_get) {
	/* Reading is not changing. */
	.who = CONFINED, .cmd = CTGUARD_CMD_GET_POLICY, .stage = 3, .err = 0,
};
FIXTURE_VARIANT_ADD(caller, root_set) {
	/* The control: unconfined root may. */
	.who = ROOT, .cmd = CTGUARD_CMD_SET_POLICY, .stage = 3,
	.err = 0,
};
/* clang-format on */

FIXTURE_SETUP(caller)
{
	ASSERT_TRUE(ctg_cgroup2_mounted());
	ASSERT_EQ(0, ctg_nl_open(&self->nl))
		TH_LOG("cannot reach the ctguard family: is the module loaded?");
	ASSERT_EQ(0, ctg_cg_create(&self->cg));
	ASSERT_EQ(0, ctg_cg_create(&self->target));
	/* The target has a policy to delete or read. */
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->target.id,
					   CTGUARD_CLASS_DMESG, 0,
					   CTGUARD_MODE_ENFORCE));
	/* The caller's cgroup is tagged for CONFINED (with a harmless class). */
	if (variant->who == CONFINED)
		ASSERT_NL_OK(&self->nl,
			     ctg_policy(&self->nl, self->cg.id,
					CTGUARD_CLASS_USERNS, 0,
					CTGUARD_MODE_COMPLAIN));
}

FIXTURE_TEARDOWN(caller)
{
	EXPECT_EQ(0, ctg_cg_destroy(&self->nl, self->cg.path));
	EXPECT_EQ(0, ctg_cg_destroy(&self->nl, self->target.path));
	ctg_nl_close(&self->nl);
}

TEST_F(caller, may_not)
{
	struct ctg_pol *p = calloc(1, sizeof(*p));
	struct ask a = {
		.who = variant->who,
		.cmd = variant->cmd,
		.cgid = self->target.id,
	};

	ASSERT_NE(NULL, p);
	ASSERT_RUN(self->cg.path, NULL, ask, &a, variant->stage, variant->err);

	/* What the target's policy is now. */
	if (variant->cmd == CTGUARD_CMD_DEL_POLICY && variant->err) {
		ASSERT_NL_OK(&self->nl, ctg_get(&self->nl, self->target.id, p));
		EXPECT_EQ((uint32_t)CTGUARD_CLASS_DMESG, p->deny);
	}
	if (variant->cmd == CTGUARD_CMD_SET_POLICY) {
		ASSERT_NL_OK(&self->nl, ctg_get(&self->nl, self->target.id, p));
		EXPECT_EQ((uint32_t)(variant->err ? CTGUARD_CLASS_DMESG :
				     CTGUARD_CLASS_MOUNT), p->deny);
	}
	free(p);
}

/*
 * A task below a tagged cgroup may change no policy, not even its own
 * cgroup's or a descendant's, and is told why. It may still read them.
 */
TEST_F(netlink, confined_caller)
{
	struct ask a = {
		.who = CONFINED,
		.cmd = CTGUARD_CMD_SET_POLICY,
		.cgid = self->cg2.id,
		.need_msg = true,
	};

	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->cg.id,
					   CTGUARD_CLASS_USERNS, 0,
					   CTGUARD_MODE_COMPLAIN));
	ASSERT_RUN(self->child.path, NULL, ask, &a, 3, EPERM);
	a.cgid = self->child.id;
	ASSERT_RUN(self->child.path, NULL, ask, &a, 3, EPERM);
	a.cgid = self->cg.id;
	ASSERT_RUN(self->child.path, NULL, ask, &a, 3, EPERM);
	a.cmd = CTGUARD_CMD_DEL_POLICY;
	ASSERT_RUN(self->child.path, NULL, ask, &a, 3, EPERM);
	a.cmd = CTGUARD_CMD_GET_POLICY;
	ASSERT_RUN(self->child.path, NULL, ask, &a, 3, 0);
	a.cmd = CTGUARD_CMD_GET_STATUS;
	ASSERT_RUN(self->child.path, NULL, ask, &a, 3, 0);
	ASSERT_NL_OK(&self->nl, ctg_get(&self->nl, self->cg.id, &self->pol));
	EXPECT_EQ((uint32_t)CTGUARD_CLASS_USERNS, self->pol.deny);
	EXPECT_EQ(-ENOENT, ctg_get(&self->nl, self->cg2.id, &self->pol));
}

TEST_HARNESS_MAIN
