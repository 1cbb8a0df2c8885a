// SPDX-License-Identifier: GPL-2.0
/*
 * ctguard selftests: the devices class and its allowlist.
 *
 * With CTGUARD_CLASS_DEVICES denied, opening a character or block device
 * node, and creating one, needs a rule of the policy's allowlist that
 * grants the device (type, major, minor or '*') and the access (r for
 * reading, w for writing, m for mknod). Everything else is EPERM. The hook
 * keys on the device number, so a node made anywhere else is the same
 * device. Regular files, FIFOs and O_PATH opens are untouched.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "common.h"

CTG_KEEP_HOOKS_ARMED

#define C CTGUARD_DEV_CHAR
#define B CTGUARD_DEV_BLOCK
#define A CTGUARD_DEV_ALL
#define ANY CTG_ANY

/* ---- opening character devices, table driven --------------------------- */

FIXTURE(devices_open) {
	struct ctg_nl nl, ev;
	struct ctg_cg cg;
};

FIXTURE_VARIANT(devices_open) {
	struct ctg_rule rules[3];
	int nr_rules;
	const char *path;
	int flags;
	int err;		/* 0: allowed, EPERM: refused */
	unsigned int major, minor;
};

/* clang-format off */
FIXTURE_VARIANT_ADD(devices_open, no_rule_null_read) {
	.nr_rules = 0,
	.path = "/dev/null", .flags = O_RDONLY, .err = EPERM,
	.major = 1, .minor = 3,
};
FIXTURE_VARIANT_ADD(devices_open, null_r_read) {
	.rules = { { C, 1, 3, CTG_R } }, .nr_rules = 1,
	.path = "/dev/null", .flags = O_RDONLY, .err = 0,
};
FIXTURE_VARIANT_ADD(devices_open, null_r_write) {
	.rules = { { C, 1, 3, CTG_R } }, .nr_rules = 1,
	.path = "/dev/null", .flags = O_WRONLY, .err = EPERM,
	.major = 1, .minor = 3,
};
FIXTURE_VARIANT_ADD(devices_open, null_r_rdwr) {
	.rules = { { C, 1, 3, CTG_R } }, .nr_rules = 1,
	.path = "/dev/null", .flags = O_RDWR, .err = EPERM,
	.major = 1, .minor = 3,
};
FIXTURE_VARIANT_ADD(devices_open, null_w_write) {
	.rules = { { C, 1, 3, CTG_W } }, .nr_rules = 1,
	.path = "/dev/null", .flags = O_WRONLY, .err = 0,
};
FIXTURE_VARIANT_ADD(devices_open, null_w_read) {
	.rules = { { C, 1, 3, CTG_W } }, .nr_rules = 1,
	.path = "/dev/null", .flags = O_RDONLY, .err = EPERM,
	.major = 1, .minor = 3,
};
FIXTURE_VARIANT_ADD(devices_open, null_rw_rdwr) {
	.rules = { { C, 1, 3, CTG_R | CTG_W } }, .nr_rules = 1,
	.path = "/dev/null", .flags = O_RDWR, .err = 0,
};
FIXTURE_VARIANT_ADD(devices_open, null_m_read) {
	/* 'm' grants creating the node, not opening it. */
	.rules = { { C, 1, 3, CTG_M } }, .nr_rules = 1,
	.path = "/dev/null", .flags = O_RDONLY, .err = EPERM,
	.major = 1, .minor = 3,
};
FIXTURE_VARIANT_ADD(devices_open, null_rule_zero_read) {
	.rules = { { C, 1, 3, CTG_R | CTG_W } }, .nr_rules = 1,
	.path = "/dev/zero", .flags = O_RDONLY, .err = EPERM,
	.major = 1, .minor = 5,
};
FIXTURE_VARIANT_ADD(devices_open, mem_star_zero_rdwr) {
	.rules = { { C, 1, ANY, CTG_R | CTG_W } }, .nr_rules = 1,
	.path = "/dev/zero", .flags = O_RDWR, .err = 0,
};
FIXTURE_VARIANT_ADD(devices_open, mem_star_full_rdwr) {
	.rules = { { C, 1, ANY, CTG_R | CTG_W } }, .nr_rules = 1,
	.path = "/dev/full", .flags = O_RDWR, .err = 0,
};
FIXTURE_VARIANT_ADD(devices_open, mem_star_ptmx) {
	.rules = { { C, 1, ANY, CTG_R | CTG_W } }, .nr_rules = 1,
	.path = "/dev/ptmx", .flags = O_RDWR, .err = EPERM,
	.major = 5, .minor = 2,
};
FIXTURE_VARIANT_ADD(devices_open, star_3_null) {
	.rules = { { C, ANY, 3, CTG_R | CTG_W } }, .nr_rules = 1,
	.path = "/dev/null", .flags = O_RDWR, .err = 0,
};
FIXTURE_VARIANT_ADD(devices_open, star_3_zero) {
	.rules = { { C, ANY, 3, CTG_R | CTG_W } }, .nr_rules = 1,
	.path = "/dev/zero", .flags = O_RDWR, .err = EPERM,
	.major = 1, .minor = 5,
};
FIXTURE_VARIANT_ADD(devices_open, char_star_star_ptmx) {
	.rules = { { C, ANY, ANY, CTG_R | CTG_W } }, .nr_rules = 1,
	.path = "/dev/ptmx", .flags = O_RDWR, .err = 0,
};
FIXTURE_VARIANT_ADD(devices_open, all_ptmx) {
	.rules = { { A, ANY, ANY, CTG_R | CTG_W | CTG_M } }, .nr_rules = 1,
	.path = "/dev/ptmx", .flags = O_RDWR, .err = 0,
};
FIXTURE_VARIANT_ADD(devices_open, all_r_null_write) {
	.rules = { { A, ANY, ANY, CTG_R } }, .nr_rules = 1,
	.path = "/dev/null", .flags = O_WRONLY, .err = EPERM,
	.major = 1, .minor = 3,
};
FIXTURE_VARIANT_ADD(devices_open, block_rule_char_dev) {
	.rules = { { B, ANY, ANY, CTG_R | CTG_W | CTG_M } }, .nr_rules = 1,
	.path = "/dev/null", .flags = O_RDONLY, .err = EPERM,
	.major = 1, .minor = 3,
};
FIXTURE_VARIANT_ADD(devices_open, docker_default_list) {
	.rules = {
		{ C, 1, 3, CTG_R | CTG_W | CTG_M },
		{ C, 1, 5, CTG_R | CTG_W | CTG_M },
		{ C, 136, ANY, CTG_R | CTG_W },
	}, .nr_rules = 3,
	.path = "/dev/zero", .flags = O_RDONLY, .err = 0,
};
FIXTURE_VARIANT_ADD(devices_open, docker_default_list_full) {
	.rules = {
		{ C, 1, 3, CTG_R | CTG_W | CTG_M },
		{ C, 1, 5, CTG_R | CTG_W | CTG_M },
		{ C, 136, ANY, CTG_R | CTG_W },
	}, .nr_rules = 3,
	.path = "/dev/full", .flags = O_RDONLY, .err = EPERM,
	.major = 1, .minor = 7,
};
FIXTURE_VARIANT_ADD(devices_open, kmsg) {
	.nr_rules = 0,
	.path = "/dev/kmsg", .flags = O_WRONLY, .err = EPERM,
	.major = 1, .minor = 11,
};
FIXTURE_VARIANT_ADD(devices_open, null_o_path) {
	/* O_PATH does not open the device. */
	.nr_rules = 0,
	.path = "/dev/null", .flags = O_PATH, .err = 0,
};
FIXTURE_VARIANT_ADD(devices_open, regular_file) {
	.nr_rules = 0,
	.path = "/proc/self/status", .flags = O_RDONLY, .err = 0,
};
FIXTURE_VARIANT_ADD(devices_open, directory) {
	.nr_rules = 0,
	.path = "/dev", .flags = O_RDONLY | O_DIRECTORY, .err = 0,
};
/* clang-format on */

FIXTURE_SETUP(devices_open)
{
	ASSERT_TRUE(ctg_cgroup2_mounted());
	ASSERT_EQ(0, ctg_nl_open(&self->nl))
		TH_LOG("cannot reach the ctguard family: is the module loaded?");
	ASSERT_EQ(0, ctg_ev_open(&self->ev));
	ASSERT_EQ(0, ctg_cg_create(&self->cg));
}

FIXTURE_TEARDOWN(devices_open)
{
	EXPECT_EQ(0, ctg_cg_destroy(&self->nl, self->cg.path));
	ctg_nl_close(&self->ev);
	ctg_nl_close(&self->nl);
}

static long open_dev(void *arg)
{
	const FIXTURE_VARIANT(devices_open) *v = arg;

	STEP(1);
	return open(v->path, v->flags | O_CLOEXEC | O_NOCTTY);
}

static uint8_t access_of(int flags)
{
	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		return CTG_R;
	case O_WRONLY:
		return CTG_W;
	default:
		return CTG_R | CTG_W;
	}
}

TEST_F(devices_open, open)
{
	void *arg = (void *)variant;
	struct ctg_stats st;
	struct ctg_event ev;
	struct ctg_res res;

	ASSERT_RUN(self->cg.path, NULL, open_dev, arg, 1, 0);

	ASSERT_NL_OK(&self->nl, ctg_policy_dev(&self->nl, self->cg.id, 0,
					       CTGUARD_MODE_ENFORCE,
					       variant->rules,
					       variant->nr_rules));
	ASSERT_EQ(0, ctg_run(self->cg.path, NULL, open_dev, arg, &res));
	ASSERT_RES(res, 1, variant->err);
	ASSERT_NL_OK(&self->nl, ctg_get_stats(&self->nl, self->cg.id, &st));
	if (!variant->err) {
		EXPECT_EQ(0u, st.denied);
		return;
	}
	EXPECT_EQ(1u, st.denied);
	ASSERT_EQ(0, ctg_ev_wait_pid(&self->ev, &ev, res.pid,
				     CTGUARD_CLASS_DEVICES, 5000))
		TH_LOG("no event for pid %d %s", res.pid, self->ev.bad_reply);
	EXPECT_EQ(CTGUARD_VERDICT_DENIED, ev.verdict);
	ASSERT_TRUE(ev.has_dev);
	EXPECT_EQ(C, ev.dev.type);
	EXPECT_EQ(variant->major, ev.dev.major);
	EXPECT_EQ(variant->minor, ev.dev.minor);
	EXPECT_EQ(access_of(variant->flags), ev.dev.access);

	/* Complain mode lets it through. */
	ASSERT_NL_OK(&self->nl, ctg_policy_dev(&self->nl, self->cg.id, 0,
					       CTGUARD_MODE_COMPLAIN,
					       variant->rules,
					       variant->nr_rules));
	ASSERT_EQ(0, ctg_run(self->cg.path, NULL, open_dev, arg, &res));
	ASSERT_RES(res, 1, 0);
	ASSERT_EQ(0, ctg_ev_wait_pid(&self->ev, &ev, res.pid,
				     CTGUARD_CLASS_DEVICES, 5000));
	EXPECT_EQ(CTGUARD_VERDICT_COMPLAINED, ev.verdict);
	ASSERT_NL_OK(&self->nl, ctg_get_stats(&self->nl, self->cg.id, &st));
	EXPECT_EQ(1u, st.complained);
}

/*
 * The allowlist is only consulted while DEVICES is denied: the same rules
 * with every other class denied change nothing for device opens.
 */
TEST_F(devices_open, class_not_denied)
{
	struct ctg_set s = {
		.cgid = self->cg.id,
		.has_deny = true,
		.deny = __CTGUARD_CLASS_ALL & ~CTGUARD_CLASS_DEVICES &
			~CTGUARD_CLASS_DMESG,
		.has_devices = true,
		.rules = variant->rules,
		.nr_rules = variant->nr_rules,
	};

	ASSERT_NL_OK(&self->nl, ctg_set(&self->nl, &s));
	ASSERT_RUN(self->cg.path, NULL, open_dev, (void *)variant, 1, 0);
}

/* ---- the rest: device nodes made elsewhere, block devices, mknod ------- */

static char dir[64], node[80];
static int node_type;
static unsigned int node_major, node_minor;

FIXTURE(devices) {
	struct ctg_nl nl, ev;
	struct ctg_cg cg;
};

FIXTURE_SETUP(devices)
{
	ASSERT_TRUE(ctg_cgroup2_mounted());
	ASSERT_EQ(0, ctg_nl_open(&self->nl))
		TH_LOG("cannot reach the ctguard family: is the module loaded?");
	ASSERT_EQ(0, ctg_ev_open(&self->ev));
	ASSERT_EQ(0, ctg_cg_create(&self->cg));
	snprintf(dir, sizeof(dir), "/tmp/ctg-devices-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(node, sizeof(node), "%s/node", dir);
}

FIXTURE_TEARDOWN(devices)
{
	EXPECT_EQ(0, ctg_cg_destroy(&self->nl, self->cg.path));
	unlink(node);
	rmdir(dir);
	ctg_nl_close(&self->ev);
	ctg_nl_close(&self->nl);
}

/*
 * Unconfined, in the child: a private mount namespace with a tmpfs that
 * allows device nodes (the VM's /tmp is nodev) holding the node
 * node_type node_major:node_minor.
 */
static long prepare_node(void *arg)
{
	(void)arg;
	if (ctg_pre_private_mounts(NULL) ||
	    mount("tmpfs", dir, "tmpfs", MS_NOSUID, "size=1m"))
		return -1;
	return mknod(node, node_type | 0600, makedev(node_major, node_minor));
}

static long open_node_rdonly(void *arg)
{
	(void)arg;
	STEP(1);
	return open(node, O_RDONLY | O_CLOEXEC | O_NOCTTY);
}

/* A copy of /dev/zero made elsewhere is still /dev/zero. */
TEST_F(devices, node_elsewhere)
{
	const struct ctg_rule null = CTG_RULE(C, 1, 3, CTG_R | CTG_W);
	const struct ctg_rule zero = CTG_RULE(C, 1, 5, CTG_R);
	struct ctg_res res;

	node_type = S_IFCHR;
	node_major = 1;
	node_minor = 5;
	ASSERT_RUN(self->cg.path, prepare_node, open_node_rdonly, NULL, 1, 0);
	ASSERT_NL_OK(&self->nl, ctg_policy_dev(&self->nl, self->cg.id, 0,
					       CTGUARD_MODE_ENFORCE, &null, 1));
	ASSERT_RUN(self->cg.path, prepare_node, open_node_rdonly, NULL, 1,
		   EPERM);
	ASSERT_NL_OK(&self->nl, ctg_policy_dev(&self->nl, self->cg.id, 0,
					       CTGUARD_MODE_ENFORCE, &zero, 1));
	ASSERT_EQ(0, ctg_run(self->cg.path, prepare_node, open_node_rdonly,
			     NULL, &res));
	ASSERT_RES(res, 1, 0);
}

static long open_loop0(void *arg)
{
	(void)arg;
	STEP(1);
	return open("/dev/loop0", O_RDONLY | O_CLOEXEC);
}

/*
 * Block devices. The loop driver gives /dev/loop0 (7:0), which opens
 * without a backing file. If it cannot be loaded, a 7:0 node is made in a
 * tmpfs instead: opening it then fails with ENXIO unconfined (no driver)
 * but EPERM when refused, which still shows the hook deciding before the
 * driver is looked up.
 */
TEST_F(devices, block)
{
	const struct ctg_rule chr = CTG_RULE(C, ANY, ANY, CTG_R | CTG_W);
	const struct ctg_rule loop_r = CTG_RULE(B, 7, ANY, CTG_R);
	const struct ctg_rule loop_w = CTG_RULE(B, 7, 0, CTG_W);
	const struct ctg_rule all = CTG_RULE(A, ANY, ANY, CTG_R);
	ctg_fn pre = NULL, op = open_loop0;
	struct ctg_stats st;
	struct ctg_event ev;
	struct ctg_res res;
	int unconfined_err = 0;
	struct stat sb;

	if (system("modprobe loop >/dev/null 2>&1") == 0 &&
	    !stat("/dev/loop0", &sb) && S_ISBLK(sb.st_mode)) {
		TH_LOG("using /dev/loop0");
	} else {
		TH_LOG("no loop driver: using a 7:0 node in a tmpfs (ENXIO unconfined)");
		node_type = S_IFBLK;
		node_major = 7;
		node_minor = 0;
		pre = prepare_node;
		op = open_node_rdonly;
		unconfined_err = ENXIO;
	}
	ASSERT_RUN(self->cg.path, pre, op, NULL, 1, unconfined_err);

	/* Only character devices granted. */
	ASSERT_NL_OK(&self->nl, ctg_policy_dev(&self->nl, self->cg.id, 0,
					       CTGUARD_MODE_ENFORCE, &chr, 1));
	ASSERT_EQ(0, ctg_run(self->cg.path, pre, op, NULL, &res));
	ASSERT_RES(res, 1, EPERM);
	ASSERT_EQ(0, ctg_ev_wait_pid(&self->ev, &ev, res.pid,
				     CTGUARD_CLASS_DEVICES, 5000));
	ASSERT_TRUE(ev.has_dev);
	EXPECT_EQ(B, ev.dev.type);
	EXPECT_EQ(7u, ev.dev.major);
	EXPECT_EQ(0u, ev.dev.minor);
	EXPECT_EQ(CTG_R, ev.dev.access);
	ASSERT_NL_OK(&self->nl, ctg_get_stats(&self->nl, self->cg.id, &st));
	EXPECT_EQ(1u, st.denied);

	/* b 7:0 w does not grant reading. */
	ASSERT_NL_OK(&self->nl, ctg_policy_dev(&self->nl, self->cg.id, 0,
					       CTGUARD_MODE_ENFORCE, &loop_w, 1));
	ASSERT_RUN(self->cg.path, pre, op, NULL, 1, EPERM);

	/* b 7:* r does. */
	ASSERT_NL_OK(&self->nl, ctg_policy_dev(&self->nl, self->cg.id, 0,
					       CTGUARD_MODE_ENFORCE, &loop_r, 1));
	ASSERT_RUN(self->cg.path, pre, op, NULL, 1, unconfined_err);

	/* So does a r. */
	ASSERT_NL_OK(&self->nl, ctg_policy_dev(&self->nl, self->cg.id, 0,
					       CTGUARD_MODE_ENFORCE, &all, 1));
	ASSERT_RUN(self->cg.path, pre, op, NULL, 1, unconfined_err);
}

static long make_node(void *arg)
{
	(void)arg;
	STEP(1);
	return mknod(node, node_type | 0600, makedev(node_major, node_minor));
}

static void unlink_node(struct __test_metadata *_metadata, bool expect)
{
	if (expect) {
		ASSERT_EQ(0, unlink(node));
	} else {
		ASSERT_EQ(-1, access(node, F_OK));
	}
}

/* Creating a node needs 'm' in a rule (DEVICES denied, MKNOD not). */
TEST_F(devices, mknod)
{
	const struct ctg_rule null_rw = CTG_RULE(C, 1, 3, CTG_R | CTG_W);
	const struct ctg_rule null_m = CTG_RULE(C, 1, 3, CTG_M);
	const struct ctg_rule star_m = CTG_RULE(C, ANY, ANY, CTG_M);
	const struct ctg_rule all_m = CTG_RULE(A, ANY, ANY, CTG_M);
	struct ctg_event ev;
	struct ctg_res res;

	node_type = S_IFCHR;
	node_major = 1;
	node_minor = 3;
	ASSERT_RUN(self->cg.path, NULL, make_node, NULL, 1, 0);
	unlink_node(_metadata, true);

	ASSERT_NL_OK(&self->nl, ctg_policy_dev(&self->nl, self->cg.id, 0,
					       CTGUARD_MODE_ENFORCE,
					       &null_rw, 1));
	ASSERT_EQ(0, ctg_run(self->cg.path, NULL, make_node, NULL, &res));
	ASSERT_RES(res, 1, EPERM);
	unlink_node(_metadata, false);
	ASSERT_EQ(0, ctg_ev_wait_pid(&self->ev, &ev, res.pid,
				     CTGUARD_CLASS_DEVICES, 5000))
		TH_LOG("a mknod refused by the allowlist is a DEVICES event");
	ASSERT_TRUE(ev.has_dev);
	EXPECT_EQ(C, ev.dev.type);
	EXPECT_EQ(1u, ev.dev.major);
	EXPECT_EQ(3u, ev.dev.minor);
	EXPECT_EQ(CTG_M, ev.dev.access);

	ASSERT_NL_OK(&self->nl, ctg_policy_dev(&self->nl, self->cg.id, 0,
					       CTGUARD_MODE_ENFORCE,
					       &null_m, 1));
	ASSERT_RUN(self->cg.path, NULL, make_node, NULL, 1, 0);
	unlink_node(_metadata, true);

	/* c 1:3 m is no block device 1:3. */
	node_type = S_IFBLK;
	ASSERT_RUN(self->cg.path, NULL, make_node, NULL, 1, EPERM);
	unlink_node(_metadata, false);

	/* c *:* m is no block device either; a *:* m is. */
	ASSERT_NL_OK(&self->nl, ctg_policy_dev(&self->nl, self->cg.id, 0,
					       CTGUARD_MODE_ENFORCE,
					       &star_m, 1));
	ASSERT_RUN(self->cg.path, NULL, make_node, NULL, 1, EPERM);
	ASSERT_NL_OK(&self->nl, ctg_policy_dev(&self->nl, self->cg.id, 0,
					       CTGUARD_MODE_ENFORCE,
					       &all_m, 1));
	ASSERT_RUN(self->cg.path, NULL, make_node, NULL, 1, 0);
	unlink_node(_metadata, true);

	/* FIFOs need no rule. */
	node_type = S_IFIFO;
	ASSERT_NL_OK(&self->nl, ctg_policy_dev(&self->nl, self->cg.id, 0,
					       CTGUARD_MODE_ENFORCE, NULL, 0));
	ASSERT_RUN(self->cg.path, NULL, make_node, NULL, 1, 0);
	unlink_node(_metadata, true);
}

/* With both MKNOD and DEVICES denied, an 'm' rule does not help. */
TEST_F(devices, mknod_class_wins)
{
	const struct ctg_rule all_m = CTG_RULE(A, ANY, ANY, CTG_M);
	struct ctg_event ev;
	struct ctg_res res;

	node_type = S_IFCHR;
	node_major = 1;
	node_minor = 3;
	ASSERT_RUN(self->cg.path, NULL, make_node, NULL, 1, 0);
	unlink_node(_metadata, true);
	ASSERT_NL_OK(&self->nl, ctg_policy_dev(&self->nl, self->cg.id,
					       CTGUARD_CLASS_MKNOD,
					       CTGUARD_MODE_ENFORCE,
					       &all_m, 1));
	ASSERT_EQ(0, ctg_run(self->cg.path, NULL, make_node, NULL, &res));
	ASSERT_RES(res, 1, EPERM);
	unlink_node(_metadata, false);
	ASSERT_EQ(0, ctg_ev_wait_pid(&self->ev, &ev, res.pid,
				     CTGUARD_CLASS_MKNOD, 5000));
}

/* SET with DEVICES replaces the list; an empty nest clears it. */
TEST_F(devices, list_replaced)
{
	const struct ctg_rule zero = CTG_RULE(C, 1, 5, CTG_R);
	const struct ctg_rule null = CTG_RULE(C, 1, 3, CTG_R);
	struct ctg_set s = {
		.cgid = self->cg.id,
		.has_devices = true,
	};

	node_type = S_IFCHR;
	node_major = 1;
	node_minor = 5;
	ASSERT_NL_OK(&self->nl, ctg_policy_dev(&self->nl, self->cg.id, 0,
					       CTGUARD_MODE_ENFORCE, &zero, 1));
	ASSERT_RUN(self->cg.path, prepare_node, open_node_rdonly, NULL, 1, 0);

	/* Replace c 1:5 r by c 1:3 r: /dev/zero is no longer granted. */
	s.rules = &null;
	s.nr_rules = 1;
	ASSERT_NL_OK(&self->nl, ctg_set(&self->nl, &s));
	ASSERT_RUN(self->cg.path, prepare_node, open_node_rdonly, NULL, 1,
		   EPERM);

	/* A SET without DEVICES keeps the list. */
	s.has_devices = false;
	s.has_mode = true;
	s.mode = CTGUARD_MODE_ENFORCE;
	ASSERT_NL_OK(&self->nl, ctg_set(&self->nl, &s));
	s.has_mode = false;
	node_minor = 3;
	ASSERT_RUN(self->cg.path, prepare_node, open_node_rdonly, NULL, 1, 0);

	/* An empty DEVICES nest clears it. */
	s.has_devices = true;
	s.rules = NULL;
	s.nr_rules = 0;
	ASSERT_NL_OK(&self->nl, ctg_set(&self->nl, &s));
	ASSERT_RUN(self->cg.path, prepare_node, open_node_rdonly, NULL, 1,
		   EPERM);
}

TEST_HARNESS_MAIN
