// SPDX-License-Identifier: GPL-2.0
/*
 * ctguard selftests: the mknod class.
 *
 * Creating character or block device nodes with mknod(2) or mknodat(2) is
 * refused with EPERM; FIFOs, sockets and regular files stay allowed. The
 * nodes are made in a tmpfs directory (the VM's /tmp).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "common.h"

CTG_KEEP_HOOKS_ARMED

static char dir[64], node[80];

FIXTURE(mknod) {
	struct ctg_nl nl, ev;
	struct ctg_cg cg;
};

FIXTURE_VARIANT(mknod) {
	mode_t mode;
	unsigned int major, minor;
	bool at;	/* mknodat() relative to a directory descriptor */
	bool denied;
	char type;	/* 'c' or 'b' in the event */
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mknod, chr_null) {
	.mode = S_IFCHR | 0600, .major = 1, .minor = 3, .denied = true,
	.type = 'c',
};
FIXTURE_VARIANT_ADD(mknod, chr_mem_at) {
	.mode = S_IFCHR | 0600, .major = 1, .minor = 1, .at = true,
	.denied = true, .type = 'c',
};
FIXTURE_VARIANT_ADD(mknod, chr_big_numbers) {
	.mode = S_IFCHR | 0600, .major = 511, .minor = 70000, .denied = true,
	.type = 'c',
};
FIXTURE_VARIANT_ADD(mknod, blk_loop) {
	.mode = S_IFBLK | 0600, .major = 7, .minor = 0, .denied = true,
	.type = 'b',
};
FIXTURE_VARIANT_ADD(mknod, blk_vda_at) {
	.mode = S_IFBLK | 0600, .major = 254, .minor = 0, .at = true,
	.denied = true, .type = 'b',
};
FIXTURE_VARIANT_ADD(mknod, fifo) {
	.mode = S_IFIFO | 0600,
};
FIXTURE_VARIANT_ADD(mknod, fifo_at) {
	.mode = S_IFIFO | 0600, .at = true,
};
FIXTURE_VARIANT_ADD(mknod, sock) {
	.mode = S_IFSOCK | 0600,
};
FIXTURE_VARIANT_ADD(mknod, reg) {
	.mode = S_IFREG | 0600,
};
FIXTURE_VARIANT_ADD(mknod, reg_no_type) {
	/* Mode 0 without a type makes a regular file. */
	.mode = 0600,
};
/* clang-format on */

FIXTURE_SETUP(mknod)
{
	ASSERT_TRUE(ctg_cgroup2_mounted());
	ASSERT_EQ(0, ctg_nl_open(&self->nl))
		TH_LOG("cannot reach the ctguard family: is the module loaded?");
	ASSERT_EQ(0, ctg_ev_open(&self->ev));
	ASSERT_EQ(0, ctg_cg_create(&self->cg));
	snprintf(dir, sizeof(dir), "/tmp/ctg-mknod-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(node, sizeof(node), "%s/node", dir);
}

FIXTURE_TEARDOWN(mknod)
{
	EXPECT_EQ(0, ctg_cg_destroy(&self->nl, self->cg.path));
	unlink(node);
	rmdir(dir);
	ctg_nl_close(&self->ev);
	ctg_nl_close(&self->nl);
}

static long make_node(void *arg)
{
	const FIXTURE_VARIANT(mknod) *v = arg;
	dev_t dev = makedev(v->major, v->minor);
	int dfd;

	STEP(1);
	if (v->at) {
		dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0)
			return -1;
		STEP(2);
		return mknodat(dfd, "node", v->mode, dev);
	}
	STEP(2);
	return mknod(node, v->mode, dev);
}

static void check_node(struct __test_metadata *_metadata,
		       const FIXTURE_VARIANT(mknod) *variant)
{
	struct stat st;

	ASSERT_EQ(0, lstat(node, &st));
	EXPECT_EQ(variant->mode & S_IFMT ?: S_IFREG, st.st_mode & S_IFMT);
	if (variant->denied) {
		EXPECT_EQ(variant->major, major(st.st_rdev));
		EXPECT_EQ(variant->minor, minor(st.st_rdev));
	}
	ASSERT_EQ(0, unlink(node));
}

TEST_F(mknod, create)
{
	void *arg = (void *)variant;
	struct ctg_stats st;
	struct ctg_event ev;
	struct ctg_res res;

	ASSERT_RUN(self->cg.path, NULL, make_node, arg, 2, 0);
	check_node(_metadata, variant);

	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->cg.id,
					   CTGUARD_CLASS_MKNOD, 0,
					   CTGUARD_MODE_ENFORCE));
	ASSERT_EQ(0, ctg_run(self->cg.path, NULL, make_node, arg, &res));
	if (!variant->denied) {
		ASSERT_RES(res, 2, 0);
		check_node(_metadata, variant);
		ASSERT_NL_OK(&self->nl,
			     ctg_get_stats(&self->nl, self->cg.id, &st));
		EXPECT_EQ(0u, st.denied);
		return;
	}
	ASSERT_RES(res, 2, EPERM);
	ASSERT_EQ(-1, access(node, F_OK));
	ASSERT_EQ(0, ctg_ev_wait_pid(&self->ev, &ev, res.pid,
				     CTGUARD_CLASS_MKNOD, 5000))
		TH_LOG("no event for pid %d %s", res.pid, self->ev.bad_reply);
	EXPECT_EQ(CTGUARD_VERDICT_DENIED, ev.verdict);
	EXPECT_EQ(self->cg.id, ev.policy_cgid);
	ASSERT_TRUE(ev.has_dev);
	EXPECT_EQ(variant->type, ev.dev.type);
	EXPECT_EQ(variant->major, ev.dev.major);
	EXPECT_EQ(variant->minor, ev.dev.minor);
	EXPECT_EQ(CTGUARD_DEV_MKNOD, ev.dev.access);
	ASSERT_NL_OK(&self->nl, ctg_get_stats(&self->nl, self->cg.id, &st));
	EXPECT_EQ(1u, st.denied);

	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->cg.id,
					   CTGUARD_CLASS_MKNOD, 0,
					   CTGUARD_MODE_COMPLAIN));
	ASSERT_EQ(0, ctg_run(self->cg.path, NULL, make_node, arg, &res));
	ASSERT_RES(res, 2, 0);
	check_node(_metadata, variant);
	ASSERT_EQ(0, ctg_ev_wait_pid(&self->ev, &ev, res.pid,
				     CTGUARD_CLASS_MKNOD, 5000));
	EXPECT_EQ(CTGUARD_VERDICT_COMPLAINED, ev.verdict);
	ASSERT_NL_OK(&self->nl, ctg_get_stats(&self->nl, self->cg.id, &st));
	EXPECT_EQ(1u, st.complained);
}

/* Every other class denied, devices with "a" granted: mknod works. */
TEST_F(mknod, other_classes_denied)
{
	const struct ctg_rule all = CTG_RULE(CTGUARD_DEV_ALL, CTG_ANY, CTG_ANY,
					     CTG_R | CTG_W | CTG_M);

	ASSERT_NL_OK(&self->nl,
		     ctg_policy_dev(&self->nl, self->cg.id,
				    __CTGUARD_CLASS_ALL & ~CTGUARD_CLASS_MKNOD,
				    CTGUARD_MODE_ENFORCE, &all, 1));
	ASSERT_RUN(self->cg.path, NULL, make_node, (void *)variant, 2, 0);
	check_node(_metadata, variant);
}

TEST_HARNESS_MAIN
