// SPDX-License-Identifier: GPL-2.0
/*
 * ctguard selftests: the userns class.
 *
 * Creating a user namespace is refused with EPERM by every route:
 * unshare(2), clone(2) and clone3(2) with CLONE_NEWUSER. Other namespaces
 * created by root without a user namespace stay allowed.
 */
#define _GNU_SOURCE
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "common.h"

CTG_KEEP_HOOKS_ARMED

/* Fork with these clone flags; the child exits at once. */
static long clone_flags(unsigned long flags)
{
	int status;
	long pid = syscall(__NR_clone, flags | SIGCHLD, NULL, NULL, NULL, 0);

	if (pid <= 0) {
		if (pid == 0)
			_exit(0);
		return -1;
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -2;
	return 0;
}

static long clone3_flags(unsigned long flags)
{
	struct clone_args args = {
		.flags = flags,
		.exit_signal = SIGCHLD,
	};
	int status;
	long pid = syscall(__NR_clone3, &args, sizeof(args));

	if (pid <= 0) {
		if (pid == 0)
			_exit(0);
		return -1;
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -2;
	return 0;
}

static long op_unshare_user(void)
{
	return unshare(CLONE_NEWUSER);
}

static long op_unshare_user_mnt_net(void)
{
	return unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET);
}

static long op_clone_user(void)
{
	return clone_flags(CLONE_NEWUSER);
}

static long op_clone3_user(void)
{
	return clone3_flags(CLONE_NEWUSER);
}

static long op_clone3_user_pid(void)
{
	return clone3_flags(CLONE_NEWUSER | CLONE_NEWPID);
}

static long op_unshare_mnt_uts_net(void)
{
	return unshare(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWNET | CLONE_NEWIPC);
}

static long op_clone_pid(void)
{
	return clone_flags(CLONE_NEWPID | CLONE_NEWNS);
}

FIXTURE(userns) {
	struct ctg_nl nl, ev;
	struct ctg_cg cg;
};

FIXTURE_VARIANT(userns) {
	long (*op)(void);
	bool denied;
};

/* clang-format off */
FIXTURE_VARIANT_ADD(userns, unshare_user) {
	.op = op_unshare_user, .denied = true,
};
FIXTURE_VARIANT_ADD(userns, unshare_user_mnt_net) {
	.op = op_unshare_user_mnt_net, .denied = true,
};
FIXTURE_VARIANT_ADD(userns, clone_user) {
	.op = op_clone_user, .denied = true,
};
FIXTURE_VARIANT_ADD(userns, clone3_user) {
	.op = op_clone3_user, .denied = true,
};
FIXTURE_VARIANT_ADD(userns, clone3_user_pid) {
	.op = op_clone3_user_pid, .denied = true,
};
FIXTURE_VARIANT_ADD(userns, unshare_other_namespaces) {
	.op = op_unshare_mnt_uts_net,
};
FIXTURE_VARIANT_ADD(userns, clone_pid_namespace) {
	.op = op_clone_pid,
};
/* clang-format on */

FIXTURE_SETUP(userns)
{
	ASSERT_TRUE(ctg_cgroup2_mounted());
	ASSERT_EQ(0, ctg_nl_open(&self->nl))
		TH_LOG("cannot reach the ctguard family: is the module loaded?");
	ASSERT_EQ(0, ctg_ev_open(&self->ev));
	ASSERT_EQ(0, ctg_cg_create(&self->cg));
}

FIXTURE_TEARDOWN(userns)
{
	EXPECT_EQ(0, ctg_cg_destroy(&self->nl, self->cg.path));
	ctg_nl_close(&self->ev);
	ctg_nl_close(&self->nl);
}

static long run_op(void *arg)
{
	const FIXTURE_VARIANT(userns) *v = arg;

	STEP(1);
	return v->op();
}

TEST_F(userns, create)
{
	void *arg = (void *)variant;
	struct ctg_stats st;
	struct ctg_event ev;
	struct ctg_res res;

	ASSERT_RUN(self->cg.path, NULL, run_op, arg, 1, 0);

	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->cg.id,
					   CTGUARD_CLASS_USERNS, 0,
					   CTGUARD_MODE_ENFORCE));
	ASSERT_EQ(0, ctg_run(self->cg.path, NULL, run_op, arg, &res));
	ASSERT_NL_OK(&self->nl, ctg_get_stats(&self->nl, self->cg.id, &st));
	if (!variant->denied) {
		ASSERT_RES(res, 1, 0);
		EXPECT_EQ(0u, st.denied);
		return;
	}
	ASSERT_RES(res, 1, EPERM);
	EXPECT_EQ(1u, st.denied);
	ASSERT_EQ(0, ctg_ev_wait_pid(&self->ev, &ev, res.pid,
				     CTGUARD_CLASS_USERNS, 5000))
		TH_LOG("no event for pid %d %s", res.pid, self->ev.bad_reply);
	EXPECT_EQ(CTGUARD_VERDICT_DENIED, ev.verdict);
	EXPECT_EQ(self->cg.id, ev.policy_cgid);
	/* No class detail for userns. */
	EXPECT_FALSE(ev.has_cap || ev.has_mount_op || ev.has_sock ||
		     ev.has_syslog || ev.has_dev || ev.has_target);

	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->cg.id,
					   CTGUARD_CLASS_USERNS, 0,
					   CTGUARD_MODE_COMPLAIN));
	ASSERT_EQ(0, ctg_run(self->cg.path, NULL, run_op, arg, &res));
	ASSERT_RES(res, 1, 0);
	ASSERT_EQ(0, ctg_ev_wait_pid(&self->ev, &ev, res.pid,
				     CTGUARD_CLASS_USERNS, 5000));
	EXPECT_EQ(CTGUARD_VERDICT_COMPLAINED, ev.verdict);
}

TEST_F(userns, other_classes_denied)
{
	const struct ctg_rule all = CTG_RULE(CTGUARD_DEV_ALL, CTG_ANY, CTG_ANY,
					     CTG_R | CTG_W | CTG_M);

	ASSERT_NL_OK(&self->nl,
		     ctg_policy_dev(&self->nl, self->cg.id,
				    __CTGUARD_CLASS_ALL & ~CTGUARD_CLASS_USERNS,
				    CTGUARD_MODE_ENFORCE, &all, 1));
	ASSERT_RUN(self->cg.path, NULL, run_op, (void *)variant, 1, 0);
}

TEST_HARNESS_MAIN
