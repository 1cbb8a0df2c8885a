// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the netlink layer without a kernel: replies crafted here
 * are fed to the code that processes what the socket returns (acks with
 * extended-ack TLVs, dumps, errors), and to the reply parsers.
 */
#include <errno.h>
#include <stdlib.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "internal.h"
#include "tap.h"

#define FAMILY 0x42

static char reply[16384];

/* Start a reply of the family to the request @req. */
static struct nlmsghdr *put_msg(char *buf, const struct nlmsghdr *req,
				uint16_t type, uint16_t flags, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = req ? req->nlmsg_seq : 0;
	nlh->nlmsg_pid = 0;
	if (type >= NLMSG_MIN_TYPE) {
		g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
		g->cmd = cmd;
		g->version = CTGUARD_GENL_VERSION;
	}
	return nlh;
}

/* An NLMSG_ERROR for @req with @error, capped or not, and extack TLVs. */
static size_t put_error(struct ctguard *h, const struct nlmsghdr *req,
			int error, bool capped, const char *msg, int offs)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(reply);
	struct nlmsgerr *e;
	size_t len = capped ? sizeof(*e) :
		     sizeof(*e) + req->nlmsg_len - sizeof(*req);

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = req->nlmsg_seq;
	nlh->nlmsg_pid = h->portid;
	nlh->nlmsg_flags = capped ? NLM_F_CAPPED : 0;
	e = mnl_nlmsg_put_extra_header(nlh, len);
	e->error = error;
	memcpy(&e->msg, req, capped ? sizeof(*req) : req->nlmsg_len);
	if (msg || offs >= 0)
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	if (msg)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	if (offs >= 0)
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, (uint32_t)offs);
	return nlh->nlmsg_len;
}

/* A request like ctguard_policy_set() builds, with three device rules. */
static struct nlmsghdr *build_set(struct ctguard *h, uint32_t *off_caps,
				  uint32_t *off_rule1, uint32_t *off_major2)
{
	struct nlmsghdr *nlh = ctg_msg_start(h, CTGUARD_CMD_SET_POLICY, 0);
	struct nlattr *devs, *rule;
	int i;

	mnl_attr_put_u64(nlh, CTGUARD_A_CGROUP_ID, 1234);
	mnl_attr_put_u32(nlh, CTGUARD_A_DENY, CTGUARD_CLASS_MOUNT);
	*off_caps = nlh->nlmsg_len;
	mnl_attr_put_u64(nlh, CTGUARD_A_DENY_CAPS, 1ULL << 50);
	devs = mnl_attr_nest_start(nlh, CTGUARD_A_DEVICES);
	for (i = 0; i < 3; i++) {
		if (i == 1)
			*off_rule1 = nlh->nlmsg_len;
		rule = mnl_attr_nest_start(nlh, (uint16_t)i);
		mnl_attr_put_u8(nlh, CTGUARD_A_DEV_TYPE, 'c');
		mnl_attr_put_u8(nlh, CTGUARD_A_DEV_ACCESS, CTGUARD_DEV_READ);
		if (i == 2)
			*off_major2 = nlh->nlmsg_len;
		mnl_attr_put_u32(nlh, CTGUARD_A_DEV_MAJOR, 4096 + (uint32_t)i);
		mnl_attr_nest_end(nlh, rule);
	}
	mnl_attr_nest_end(nlh, devs);
	nlh->nlmsg_flags |= NLM_F_ACK;
	return nlh;
}

static void test_attr_at(struct ctguard *h)
{
	uint32_t caps, rule1, major2;
	struct nlmsghdr *nlh = build_set(h, &caps, &rule1, &major2);
	char buf[160];

	ctg_attr_at(nlh, caps, buf, sizeof(buf));
	is_str(buf, "CTGUARD_A_DENY_CAPS", "offset of a top-level attribute");
	ctg_attr_at(nlh, caps + 4, buf, sizeof(buf));
	is_str(buf, "CTGUARD_A_DENY_CAPS", "offset inside a top-level attribute");
	ctg_attr_at(nlh, rule1, buf, sizeof(buf));
	is_str(buf, "CTGUARD_A_DEVICES[1]", "offset of a device rule");
	ctg_attr_at(nlh, major2, buf, sizeof(buf));
	is_str(buf, "CTGUARD_A_DEVICES[2].CTGUARD_A_DEV_MAJOR", "offset of a rule's field");
	ctg_attr_at(nlh, nlh->nlmsg_len + 8, buf, sizeof(buf));
	has_str(buf, "attribute at offset", "offset past the end");
	ctg_attr_at(nlh, 2, buf, sizeof(buf));
	has_str(buf, "attribute at offset 2", "offset in the header");
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ctguard_policy_info info;
	int *n = data, ret;

	ret = ctg_parse_policy(nlh, &info);
	if (ret)
		return ret;
	ctguard_policy_info_release(&info);
	(*n)++;
	return 0;
}

static void test_process(struct ctguard *h)
{
	struct ctg_talk_ctx ctx = { .h = h, .what = "setting the policy" };
	uint32_t caps, rule1, major2;
	struct nlmsghdr *req = build_set(h, &caps, &rule1, &major2), *nlh;
	ssize_t drain;
	size_t len;
	int n;

	ctx.req = req;

	/* A plain ack ends the exchange. */
	len = put_error(h, req, 0, true, NULL, -1);
	is_int(ctg_process(&ctx, reply, len, NULL), 1, "ack completes the request");

	/* Capped error with a message and an offset. */
	len = put_error(h, req, -EINVAL, true,
			"ctguard: capability above CAP_LAST_CAP", (int)caps);
	is_int(ctg_process(&ctx, reply, len, NULL), -EINVAL, "error returns -EINVAL");
	is_str(ctguard_kernel_msg(h), "ctguard: capability above CAP_LAST_CAP", "extack message kept");
	is_str(ctguard_bad_attr(h), "CTGUARD_A_DENY_CAPS", "extack offset named");
	has_str(ctguard_strerror(h), "setting the policy: Invalid argument: ctguard: capability above CAP_LAST_CAP [CTGUARD_A_DENY_CAPS]",
		"full message");

	/* Uncapped: the request is echoed before the TLVs. */
	h->kmsg[0] = h->bad_attr[0] = '\0';
	len = put_error(h, req, -EINVAL, false, "ctguard: device major number out of range",
			(int)major2);
	is_int(ctg_process(&ctx, reply, len, NULL), -EINVAL, "uncapped error");
	is_str(ctguard_kernel_msg(h), "ctguard: device major number out of range", "uncapped: message");
	is_str(ctguard_bad_attr(h), "CTGUARD_A_DEVICES[2].CTGUARD_A_DEV_MAJOR", "uncapped: nested attribute");

	/* EPERM without a message: say which capability is needed. */
	h->kmsg[0] = h->bad_attr[0] = '\0';
	len = put_error(h, req, -EPERM, true, NULL, -1);
	is_int(ctg_process(&ctx, reply, len, NULL), -EPERM, "EPERM");
	has_str(ctguard_strerror(h), "needs CAP_NET_ADMIN", "EPERM names CAP_NET_ADMIN");
	ok(!ctguard_kernel_msg(h), "no kernel message");
	ok(!ctguard_bad_attr(h), "no attribute");

	/* EPERM with the confinement message shows it instead. */
	len = put_error(h, req, -EPERM, true,
			"ctguard: caller is confined by ctguard and may not change policies", -1);
	is_int(ctg_process(&ctx, reply, len, NULL), -EPERM, "confined EPERM");
	has_str(ctguard_strerror(h), "permission denied: ctguard: caller is confined", "confined message");

	/* A reply to another request is a protocol error. */
	len = put_error(h, req, 0, true, NULL, -1);
	((struct nlmsghdr *)reply)->nlmsg_seq++;
	is_int(ctg_process(&ctx, reply, len, NULL), -EPROTO, "wrong sequence number");
	has_str(ctguard_strerror(h), "bad reply", "says bad reply");

	/* A dump: two parts and NLMSG_DONE, all in one datagram. */
	req = ctg_msg_start(h, CTGUARD_CMD_GET_POLICY, NLM_F_DUMP);
	ctx.req = req;
	ctx.cb = count_cb;
	n = 0;
	ctx.data = &n;
	len = 0;
	for (int i = 0; i < 2; i++) {
		nlh = put_msg(reply + len, req, FAMILY, NLM_F_MULTI,
			      CTGUARD_CMD_GET_POLICY);
		nlh->nlmsg_pid = h->portid;
		mnl_attr_put_u64(nlh, CTGUARD_A_CGROUP_ID, 10 + (uint64_t)i);
		len += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	is_int(ctg_process(&ctx, reply, len, NULL), 0, "dump parts: more to come");
	is_int(n, 2, "callback saw both parts");
	nlh = put_msg(reply, req, NLMSG_DONE, NLM_F_MULTI, 0);
	nlh->nlmsg_pid = h->portid;
	*(int *)mnl_nlmsg_put_extra_header(nlh, sizeof(int)) = 0;
	is_int(ctg_process(&ctx, reply, nlh->nlmsg_len, NULL), 1, "NLMSG_DONE ends the dump");

	/* A dump that fails midway reports the error of NLMSG_DONE. */
	nlh = put_msg(reply, req, NLMSG_DONE, NLM_F_MULTI, 0);
	nlh->nlmsg_pid = h->portid;
	*(int *)mnl_nlmsg_put_extra_header(nlh, sizeof(int)) = -ENOMEM;
	is_int(ctg_process(&ctx, reply, nlh->nlmsg_len, NULL), -ENOMEM, "NLMSG_DONE error");

	/* An interrupted dump asks for a drain and says why. */
	nlh = put_msg(reply, req, FAMILY, NLM_F_MULTI | NLM_F_DUMP_INTR,
		      CTGUARD_CMD_GET_POLICY);
	nlh->nlmsg_pid = h->portid;
	mnl_attr_put_u64(nlh, CTGUARD_A_CGROUP_ID, 1);
	drain = -1;
	is_int(ctg_process(&ctx, reply, nlh->nlmsg_len, &drain), -EINTR, "interrupted dump");
	ok(drain >= 0, "interrupted dump is drained");
	has_str(ctguard_strerror(h), "changed during the dump", "interrupted message");

	/* A malformed part fails the callback, but the dump is read to its end. */
	nlh = put_msg(reply, req, FAMILY, NLM_F_MULTI, CTGUARD_CMD_GET_POLICY);
	nlh->nlmsg_pid = h->portid;
	mnl_attr_put_u32(nlh, CTGUARD_A_CGROUP_ID, 1);	/* u32, not u64 */
	len = NLMSG_ALIGN(nlh->nlmsg_len);
	nlh = put_msg(reply + len, req, NLMSG_DONE, NLM_F_MULTI, 0);
	nlh->nlmsg_pid = h->portid;
	*(int *)mnl_nlmsg_put_extra_header(nlh, sizeof(int)) = 0;
	len += nlh->nlmsg_len;
	ctx.cb_error = 0;
	is_int(ctg_process(&ctx, reply, len, NULL), 1, "malformed part: dump still read to the end");
	is_int(ctx.cb_error, -EBADMSG, "malformed part: callback error kept");
}

static int parse_u64_elem(const struct nlmsghdr *nlh, void *elem)
{
	const struct nlattr *tb[CTGUARD_A_MAX + 1];
	int ret = ctg_parse_msg(nlh, tb);

	if (!ret && !tb[CTGUARD_A_CGROUP_ID])
		ret = -EBADMSG;
	if (!ret)
		*(uint64_t *)elem = mnl_attr_get_u64(tb[CTGUARD_A_CGROUP_ID]);
	return ret;
}

static int released;

static void release_u64_elem(void *elem)
{
	(void)elem;
	released++;
}

/* Replies of a dump or a get, collected by ctg_collect_cb(). */
static void test_collect(void)
{
	struct ctg_collect c = { .elem_size = sizeof(uint64_t),
				 .parse = parse_u64_elem,
				 .release = release_u64_elem };
	struct nlmsghdr *nlh;
	bool all = true;
	uint64_t i;

	/* Past the first allocation (16), every element in order. */
	for (i = 0; i < 40; i++) {
		nlh = put_msg(reply, NULL, FAMILY, NLM_F_MULTI, CTGUARD_CMD_GET_POLICY);
		mnl_attr_put_u64(nlh, CTGUARD_A_CGROUP_ID, 100 + i);
		if (ctg_collect_cb(nlh, &c))
			all = false;
	}
	ok(all, "collect: 40 replies taken");
	is_int(c.nr, 40, "collect: 40 elements");
	for (i = 0; i < c.nr; i++)
		if (((uint64_t *)c.list)[i] != 100 + i)
			all = false;
	ok(all, "collect: in the order of the replies");

	/* A malformed reply is an error and adds nothing. */
	nlh = put_msg(reply, NULL, FAMILY, NLM_F_MULTI, CTGUARD_CMD_GET_POLICY);
	mnl_attr_put_u32(nlh, CTGUARD_A_CGROUP_ID, 1);
	is_int(ctg_collect_cb(nlh, &c), -EBADMSG, "collect: malformed reply");
	is_int(c.nr, 40, "collect: nothing added");

	ctg_collect_reset(&c);
	is_int(released, 40, "collect: reset releases every element");
	ok(!c.list && !c.nr && !c.cap, "collect: empty after reset");

	/* A get takes one reply; a second one would leak the first. */
	c.one = true;
	nlh = put_msg(reply, NULL, FAMILY, 0, CTGUARD_CMD_GET_POLICY);
	mnl_attr_put_u64(nlh, CTGUARD_A_CGROUP_ID, 7);
	is_int(ctg_collect_cb(nlh, &c), 0, "collect one: the reply");
	is_int(ctg_collect_cb(nlh, &c), -EBADMSG, "collect one: a second reply refused");
	is_int(c.nr, 1, "collect one: one element");
	ctg_collect_reset(&c);
}

static void test_parse_policy(void)
{
	struct ctguard_policy_info info;
	struct nlattr *nest, *rule;
	struct nlmsghdr *nlh;

	nlh = put_msg(reply, NULL, FAMILY, 0, CTGUARD_CMD_GET_POLICY);
	/* A pad attribute, as nla_put_u64_64bit() adds for alignment. */
	mnl_attr_put(nlh, CTGUARD_A_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, CTGUARD_A_CGROUP_ID, 77);
	mnl_attr_put_strz(nlh, CTGUARD_A_CGROUP_PATH, "/a/b");
	mnl_attr_put_u32(nlh, CTGUARD_A_DENY, CTGUARD_CLASS_DEVICES);
	mnl_attr_put_u64(nlh, CTGUARD_A_DENY_CAPS, 1ULL << 21);
	mnl_attr_put_u8(nlh, CTGUARD_A_MODE, CTGUARD_MODE_COMPLAIN);
	mnl_attr_put_u32(nlh, 200, 5);	/* from a newer module: ignored */
	nest = mnl_attr_nest_start(nlh, CTGUARD_A_DEVICES);
	rule = mnl_attr_nest_start(nlh, 0);
	mnl_attr_put_u8(nlh, CTGUARD_A_DEV_TYPE, 'c');
	mnl_attr_put_u32(nlh, CTGUARD_A_DEV_MAJOR, 136);
	mnl_attr_put_u32(nlh, CTGUARD_A_DEV_MINOR, CTGUARD_DEV_ANY);
	mnl_attr_put_u8(nlh, CTGUARD_A_DEV_ACCESS, 3);
	mnl_attr_nest_end(nlh, rule);
	rule = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_u8(nlh, CTGUARD_A_DEV_TYPE, 'b');
	mnl_attr_put_u8(nlh, CTGUARD_A_DEV_ACCESS, 4);
	mnl_attr_nest_end(nlh, rule);
	mnl_attr_nest_end(nlh, nest);
	nest = mnl_attr_nest_start(nlh, CTGUARD_A_STATS);
	mnl_attr_put(nlh, CTGUARD_A_STATS_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, CTGUARD_A_STATS_DENIED, 5);
	mnl_attr_put_u64(nlh, CTGUARD_A_STATS_EVENTS_LOST, 1ULL << 40);
	mnl_attr_nest_end(nlh, nest);

	is_int(ctg_parse_policy(nlh, &info), 0, "policy reply parses");
	is_u64(info.cgroup_id, 77, "id");
	is_str(info.path, "/a/b", "path");
	is_u64(info.policy.deny, CTGUARD_CLASS_DEVICES, "deny");
	is_u64(info.policy.deny_caps, 1ULL << 21, "deny caps");
	is_int(info.policy.mode, CTGUARD_MODE_COMPLAIN, "mode");
	is_u64(info.policy.fields, CTGUARD_POLICY_ALL, "every field present");
	is_int(info.policy.nr_devices, 2, "two rules");
	ok(info.policy.devices[0].type == 'c' && info.policy.devices[0].major == 136 &&
	   info.policy.devices[0].minor == CTGUARD_DEV_ANY && info.policy.devices[0].access == 3,
	   "rule 0: c 136:* rw");
	ok(info.policy.devices[1].major == CTGUARD_DEV_ANY &&
	   info.policy.devices[1].minor == CTGUARD_DEV_ANY, "absent numbers are wildcards");
	is_u64(info.stats.denied, 5, "stats denied");
	is_u64(info.stats.events_lost, 1ULL << 40, "stats events lost");
	is_u64(info.stats.complained, 0, "absent counter is 0");
	ok(!info.rule, "no rule pattern: an explicit policy");
	ctguard_policy_info_release(&info);

	/* A derived policy names its rule. */
	nlh = put_msg(reply, NULL, FAMILY, 0, CTGUARD_CMD_GET_POLICY);
	mnl_attr_put_u64(nlh, CTGUARD_A_CGROUP_ID, 79);
	mnl_attr_put_strz(nlh, CTGUARD_A_RULE_PATTERN, "/system.slice/docker-*.scope");
	is_int(ctg_parse_policy(nlh, &info), 0, "derived policy reply parses");
	is_str(info.rule, "/system.slice/docker-*.scope", "rule pattern of a derived policy");
	ctguard_policy_info_release(&info);
	ok(!info.rule, "release clears the rule");

	/* The module names a removed cgroup "": no path. */
	nlh = put_msg(reply, NULL, FAMILY, 0, CTGUARD_CMD_GET_POLICY);
	mnl_attr_put_u64(nlh, CTGUARD_A_CGROUP_ID, 78);
	mnl_attr_put_strz(nlh, CTGUARD_A_CGROUP_PATH, "");
	is_int(ctg_parse_policy(nlh, &info), 0, "reply with empty path");
	ok(!info.path, "empty path is no path");
	ctguard_policy_info_release(&info);

	nlh = put_msg(reply, NULL, FAMILY, 0, CTGUARD_CMD_GET_POLICY);
	mnl_attr_put_u32(nlh, CTGUARD_A_DENY, 1);
	is_int(ctg_parse_policy(nlh, &info), -EBADMSG, "reply without id rejected");

	nlh = put_msg(reply, NULL, FAMILY, 0, CTGUARD_CMD_GET_POLICY);
	mnl_attr_put_u64(nlh, CTGUARD_A_CGROUP_ID, 1);
	mnl_attr_put_u16(nlh, CTGUARD_A_DENY, 1);
	is_int(ctg_parse_policy(nlh, &info), -EBADMSG, "attribute of the wrong size rejected");

	nlh = put_msg(reply, NULL, FAMILY, 0, CTGUARD_CMD_GET_POLICY);
	mnl_attr_put_u64(nlh, CTGUARD_A_CGROUP_ID, 1);
	nest = mnl_attr_nest_start(nlh, CTGUARD_A_DEVICES);
	rule = mnl_attr_nest_start(nlh, 0);
	mnl_attr_put_u8(nlh, CTGUARD_A_DEV_TYPE, 'c');
	mnl_attr_nest_end(nlh, rule);
	mnl_attr_nest_end(nlh, nest);
	is_int(ctg_parse_policy(nlh, &info), -EBADMSG, "rule without access rejected");
}

static void test_parse_rule(void)
{
	struct ctguard_rule_info ri;
	struct nlattr *nest, *rule;
	struct nlmsghdr *nlh;

	nlh = put_msg(reply, NULL, FAMILY, 0, CTGUARD_CMD_GET_RULE);
	mnl_attr_put_strz(nlh, CTGUARD_A_RULE_PATTERN, "/a/b-*");
	mnl_attr_put_u32(nlh, CTGUARD_A_DENY, CTGUARD_CLASS_MOUNT);
	mnl_attr_put(nlh, CTGUARD_A_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, CTGUARD_A_DENY_CAPS, 1ULL << 12);
	mnl_attr_put_u8(nlh, CTGUARD_A_MODE, CTGUARD_MODE_ENFORCE);
	nest = mnl_attr_nest_start(nlh, CTGUARD_A_DEVICES);
	rule = mnl_attr_nest_start(nlh, 0);
	mnl_attr_put_u8(nlh, CTGUARD_A_DEV_TYPE, 'c');
	mnl_attr_put_u32(nlh, CTGUARD_A_DEV_MAJOR, 1);
	mnl_attr_put_u32(nlh, CTGUARD_A_DEV_MINOR, 3);
	mnl_attr_put_u8(nlh, CTGUARD_A_DEV_ACCESS, 7);
	mnl_attr_nest_end(nlh, rule);
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u64(nlh, CTGUARD_A_RULE_MATCHED, 42);
	is_int(ctg_parse_rule(nlh, &ri), 0, "rule reply parses");
	is_str(ri.pattern, "/a/b-*", "rule pattern");
	is_u64(ri.policy.deny, CTGUARD_CLASS_MOUNT, "rule deny");
	is_u64(ri.policy.deny_caps, 1ULL << 12, "rule deny caps");
	is_u64(ri.policy.fields, CTGUARD_POLICY_ALL, "every rule field present");
	is_int(ri.policy.nr_devices, 1, "one device rule");
	is_u64(ri.matched, 42, "matched");
	ctguard_rule_info_release(&ri);
	ok(!ri.pattern && !ri.policy.devices, "release clears it");

	nlh = put_msg(reply, NULL, FAMILY, 0, CTGUARD_CMD_GET_RULE);
	mnl_attr_put_u32(nlh, CTGUARD_A_DENY, 1);
	is_int(ctg_parse_rule(nlh, &ri), -EBADMSG, "rule reply without pattern rejected");
	nlh = put_msg(reply, NULL, FAMILY, 0, CTGUARD_CMD_GET_RULE);
	mnl_attr_put_strz(nlh, CTGUARD_A_RULE_PATTERN, "/a");
	mnl_attr_put_u32(nlh, CTGUARD_A_RULE_MATCHED, 1);
	is_int(ctg_parse_rule(nlh, &ri), -EBADMSG, "matched of the wrong size rejected");
}

static void test_parse_event(void)
{
	struct ctguard_event ev;
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = put_msg(reply, NULL, FAMILY, 0, CTGUARD_CMD_EVENT);
	mnl_attr_put_u64(nlh, CTGUARD_A_CGROUP_ID, 5);
	mnl_attr_put_u64(nlh, CTGUARD_A_EV_POLICY_CGROUP_ID, 4);
	mnl_attr_put_u32(nlh, CTGUARD_A_EV_PID, 100);
	mnl_attr_put_u32(nlh, CTGUARD_A_EV_TGID, 99);
	mnl_attr_put_u32(nlh, CTGUARD_A_EV_UID, 1000);
	mnl_attr_put_strz(nlh, CTGUARD_A_EV_COMM, "mount");
	mnl_attr_put_u32(nlh, CTGUARD_A_EV_CLASS, CTGUARD_CLASS_MOUNT);
	mnl_attr_put_u8(nlh, CTGUARD_A_EV_VERDICT, CTGUARD_VERDICT_COMPLAINED);
	mnl_attr_put_u8(nlh, CTGUARD_A_EV_MOUNT_OP, CTGUARD_MOUNT_OP_FSOPEN);
	mnl_attr_put_strz(nlh, CTGUARD_A_EV_FSTYPE, "tmpfs");
	mnl_attr_put(nlh, CTGUARD_A_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, CTGUARD_A_EV_MOUNT_FLAGS, 0x1000);
	is_int(ctg_parse_event(nlh, &ev), 0, "mount event parses");
	ok(ev.cgroup_id == 5 && ev.policy_cgroup_id == 4 && ev.pid == 100 &&
	   ev.tgid == 99 && ev.uid == 1000, "ids");
	is_str(ev.comm, "mount", "comm");
	is_u64(ev.class, CTGUARD_CLASS_MOUNT, "class");
	is_int(ev.verdict, CTGUARD_VERDICT_COMPLAINED, "verdict");
	is_u64(ev.present, CTGUARD_EV_POLICY_CGROUP | CTGUARD_EV_MOUNT_OP |
	       CTGUARD_EV_FSTYPE | CTGUARD_EV_MOUNT_FLAGS, "present fields");
	is_str(ev.fstype, "tmpfs", "fstype");
	is_u64(ev.mount_flags, 0x1000, "mount flags");

	nlh = put_msg(reply, NULL, FAMILY, 0, CTGUARD_CMD_EVENT);
	mnl_attr_put_u64(nlh, CTGUARD_A_CGROUP_ID, 5);
	mnl_attr_put_u32(nlh, CTGUARD_A_EV_CLASS, CTGUARD_CLASS_DEVICES);
	nest = mnl_attr_nest_start(nlh, CTGUARD_A_EV_DEVICE);
	mnl_attr_put_u8(nlh, CTGUARD_A_DEV_TYPE, 'b');
	mnl_attr_put_u32(nlh, CTGUARD_A_DEV_MAJOR, 8);
	mnl_attr_put_u32(nlh, CTGUARD_A_DEV_MINOR, 1);
	mnl_attr_put_u8(nlh, CTGUARD_A_DEV_ACCESS, CTGUARD_DEV_WRITE);
	mnl_attr_nest_end(nlh, nest);
	is_int(ctg_parse_event(nlh, &ev), 0, "device event parses");
	ok(ev.present == CTGUARD_EV_DEVICE && ev.dev.type == 'b' &&
	   ev.dev.major == 8 && ev.dev.minor == 1 &&
	   ev.dev.access == CTGUARD_DEV_WRITE, "device detail");

	nlh = put_msg(reply, NULL, FAMILY, 0, CTGUARD_CMD_EVENT);
	mnl_attr_put_u64(nlh, CTGUARD_A_CGROUP_ID, 5);
	is_int(ctg_parse_event(nlh, &ev), -EBADMSG, "event without class rejected");

	nlh = put_msg(reply, NULL, FAMILY, 0, CTGUARD_CMD_EVENT);
	mnl_attr_put_u64(nlh, CTGUARD_A_CGROUP_ID, 5);
	mnl_attr_put_u32(nlh, CTGUARD_A_EV_CLASS, CTGUARD_CLASS_CAP);
	mnl_attr_put_u32(nlh, CTGUARD_A_EV_CAP, 21);	/* u8 expected */
	is_int(ctg_parse_event(nlh, &ev), -EBADMSG, "cap of the wrong size rejected");
}

/* A datagram of events with the controller's family-removed notice. */
static void test_event_stream(struct ctguard *h)
{
	struct ctguard_event ev;
	struct nlmsghdr *nlh;
	size_t len = 0;

	h->ev_buf = malloc(CTG_BUF_LEN);
	if (!h->ev_buf) {
		ok(0, "malloc");
		return;
	}
	nlh = put_msg(h->ev_buf, NULL, FAMILY, 0, CTGUARD_CMD_EVENT);
	mnl_attr_put_u64(nlh, CTGUARD_A_CGROUP_ID, 5);
	mnl_attr_put_u32(nlh, CTGUARD_A_EV_CLASS, CTGUARD_CLASS_USERNS);
	len += NLMSG_ALIGN(nlh->nlmsg_len);
	/* Another family going away is none of our business. */
	nlh = put_msg(h->ev_buf + len, NULL, GENL_ID_CTRL, 0, CTRL_CMD_DELFAMILY);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, FAMILY + 1);
	len += NLMSG_ALIGN(nlh->nlmsg_len);
	/* A malformed event is skipped. */
	nlh = put_msg(h->ev_buf + len, NULL, FAMILY, 0, CTGUARD_CMD_EVENT);
	mnl_attr_put_u64(nlh, CTGUARD_A_CGROUP_ID, 5);
	len += NLMSG_ALIGN(nlh->nlmsg_len);
	nlh = put_msg(h->ev_buf + len, NULL, GENL_ID_CTRL, 0, CTRL_CMD_DELFAMILY);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, FAMILY);
	len += NLMSG_ALIGN(nlh->nlmsg_len);
	h->ev_len = len;
	h->ev_off = 0;

	is_int(ctg_next_buffered(h, &ev), 1, "first message: an event");
	is_u64(ev.class, CTGUARD_CLASS_USERNS, "the event's class");
	is_int(ctg_next_buffered(h, &ev), -ENODEV, "our family removed: -ENODEV");
	is_int(h->family, 0, "the family will be looked up again");
	is_int(ctg_next_buffered(h, &ev), 0, "nothing left");
	h->family = FAMILY;
}

int main(void)
{
	struct ctguard *h = ctguard_open();

	ok(h, "handle");
	if (!h)
		return tap_done();
	h->family = FAMILY;
	test_attr_at(h);
	test_process(h);
	test_collect();
	test_parse_policy();
	test_parse_rule();
	test_parse_event();
	test_event_stream(h);
	ctguard_close(h);
	return tap_done();
}
