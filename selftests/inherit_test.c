// SPDX-License-Identifier: GPL-2.0
/*
 * ctguard selftests: policies and the cgroup tree.
 *
 * A policy applies to its cgroup and every descendant; the effective
 * policy of a task is the union of the policies of all tagged cgroups
 * above it; an enforcing ancestor is enforced even below a child in
 * complain mode; tasks outside the tagged subtree see nothing; a policy
 * applies at once to tasks already in the cgroup, and deleting it frees
 * them.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "common.h"

#define BIT(c) (1ULL << (c))

static char dir[64], file[80];

/* ---- operations, run in children --------------------------------------- */

static long pre_mounts(void *arg)
{
	(void)arg;
	return ctg_pre_private_mounts(NULL);
}

static long op_mount(void *arg)
{
	(void)arg;
	STEP(1);
	return mount("tmpfs", dir, "tmpfs", 0, "size=1m");
}

static long op_raw(void *arg)
{
	(void)arg;
	STEP(1);
	return socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
}

static long op_chroot(void *arg)
{
	(void)arg;
	STEP(1);
	return chroot("/");
}

static long op_chown(void *arg)
{
	(void)arg;
	STEP(1);
	return chown(file, 1000, 1000);
}

static long op_open(void *arg)
{
	const char *spec = arg;	/* "r/dev/null", "w/dev/null" */

	STEP(1);
	return open(spec + 1, (spec[0] == 'r' ? O_RDONLY : O_WRONLY) | O_CLOEXEC);
}

FIXTURE(inherit) {
	struct ctg_nl nl, ev;
	/* p, p/c, p/c/g; s is p's untagged sibling. */
	struct ctg_cg p, c, g, s;
};

FIXTURE_SETUP(inherit)
{
	int fd;

	ASSERT_TRUE(ctg_cgroup2_mounted());
	ASSERT_EQ(0, ctg_nl_open(&self->nl))
		TH_LOG("cannot reach the ctguard family: is the module loaded?");
	ASSERT_EQ(0, ctg_ev_open(&self->ev));
	ASSERT_EQ(0, ctg_cg_create(&self->p));
	ASSERT_EQ(0, ctg_cg_child(&self->p, "c", &self->c));
	ASSERT_EQ(0, ctg_cg_child(&self->c, "g", &self->g));
	ASSERT_EQ(0, ctg_cg_create(&self->s));
	snprintf(dir, sizeof(dir), "/tmp/ctg-inherit-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/file", dir);
	fd = open(file, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	ASSERT_LE(0, fd);
	close(fd);
}

FIXTURE_TEARDOWN(inherit)
{
	EXPECT_EQ(0, ctg_cg_destroy(&self->nl, self->p.path));
	EXPECT_EQ(0, ctg_cg_destroy(&self->nl, self->s.path));
	unlink(file);
	rmdir(dir);
	ctg_nl_close(&self->ev);
	ctg_nl_close(&self->nl);
}

/* Expect the event of @pid for @class to name these cgroups and verdict. */
#define ASSERT_EVENT(_pid, _class, _cg, _policy_cg, _verdict)                \
	do {                                                                 \
		struct ctg_event __ev;                                       \
		ASSERT_EQ(0, ctg_ev_wait_pid(&self->ev, &__ev, (_pid),       \
					     (_class), 5000))                \
			TH_LOG("no event %#x for pid %d", (_class), (_pid)); \
		EXPECT_EQ((_cg), __ev.cgid);                                 \
		EXPECT_EQ((_policy_cg), __ev.policy_cgid);                   \
		EXPECT_EQ((_verdict), __ev.verdict);                         \
	} while (0)

TEST_F(inherit, descendants)
{
	struct ctg_res res;

	ASSERT_RUN(self->g.path, pre_mounts, op_mount, NULL, 1, 0);
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->p.id,
					   CTGUARD_CLASS_MOUNT, 0,
					   CTGUARD_MODE_ENFORCE));
	ASSERT_EQ(0, ctg_run(self->c.path, pre_mounts, op_mount, NULL, &res));
	ASSERT_RES(res, 1, EPERM);
	ASSERT_EVENT(res.pid, CTGUARD_CLASS_MOUNT, self->c.id, self->p.id,
		     CTGUARD_VERDICT_DENIED);
	ASSERT_EQ(0, ctg_run(self->g.path, pre_mounts, op_mount, NULL, &res));
	ASSERT_RES(res, 1, EPERM);
	ASSERT_EVENT(res.pid, CTGUARD_CLASS_MOUNT, self->g.id, self->p.id,
		     CTGUARD_VERDICT_DENIED);
	/* A cgroup made after the policy is covered too. */
	{
		struct ctg_cg late;

		ASSERT_EQ(0, ctg_cg_child(&self->g, "late", &late));
		ASSERT_RUN(late.path, pre_mounts, op_mount, NULL, 1, EPERM);
	}
}

TEST_F(inherit, outside_the_subtree)
{
	const struct ctg_rule none = CTG_RULE(CTGUARD_DEV_CHAR, 1, 3, CTG_R);

	ASSERT_NL_OK(&self->nl,
		     ctg_policy_dev(&self->nl, self->p.id, __CTGUARD_CLASS_ALL,
				    CTGUARD_MODE_ENFORCE, &none, 1));
	ASSERT_NL_OK(&self->nl,
		     ctg_policy(&self->nl, self->c.id, 0,
				BIT(CAP_SYS_CHROOT) | BIT(CAP_CHOWN),
				CTGUARD_MODE_ENFORCE));
	ASSERT_RUN(self->g.path, pre_mounts, op_mount, NULL, 1, EPERM);
	/* The sibling, and the test's own cgroup, are untouched. */
	ASSERT_RUN(self->s.path, pre_mounts, op_mount, NULL, 1, 0);
	ASSERT_RUN(self->s.path, NULL, op_raw, NULL, 1, 0);
	ASSERT_RUN(self->s.path, NULL, op_chroot, NULL, 1, 0);
	ASSERT_RUN(self->s.path, NULL, op_chown, NULL, 1, 0);
	ASSERT_RUN(self->s.path, NULL, op_open, "w/dev/zero", 1, 0);
	ASSERT_RUN(NULL, pre_mounts, op_mount, NULL, 1, 0);
	ASSERT_RUN(NULL, NULL, op_raw, NULL, 1, 0);
	ASSERT_RUN(NULL, NULL, op_chroot, NULL, 1, 0);
}

TEST_F(inherit, union_of_classes)
{
	ASSERT_RUN(self->c.path, NULL, op_raw, NULL, 1, 0);
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->p.id,
					   CTGUARD_CLASS_MOUNT, 0,
					   CTGUARD_MODE_ENFORCE));
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->c.id,
					   CTGUARD_CLASS_RAWSOCK, 0,
					   CTGUARD_MODE_ENFORCE));
	/* In c and below: both. */
	ASSERT_RUN(self->c.path, pre_mounts, op_mount, NULL, 1, EPERM);
	ASSERT_RUN(self->c.path, NULL, op_raw, NULL, 1, EPERM);
	ASSERT_RUN(self->g.path, pre_mounts, op_mount, NULL, 1, EPERM);
	ASSERT_RUN(self->g.path, NULL, op_raw, NULL, 1, EPERM);
	/* In p: only p's. */
	ASSERT_RUN(self->p.path, pre_mounts, op_mount, NULL, 1, EPERM);
	ASSERT_RUN(self->p.path, NULL, op_raw, NULL, 1, 0);
	/* A child cannot lift its parent's restriction by being empty. */
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->g.id, 0, 0,
					   CTGUARD_MODE_ENFORCE));
	ASSERT_RUN(self->g.path, pre_mounts, op_mount, NULL, 1, EPERM);
	ASSERT_RUN(self->g.path, NULL, op_raw, NULL, 1, EPERM);
}

TEST_F(inherit, union_of_capabilities)
{
	ASSERT_RUN(self->c.path, NULL, op_chown, NULL, 1, 0);
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->p.id, 0,
					   BIT(CAP_SYS_CHROOT),
					   CTGUARD_MODE_ENFORCE));
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->c.id, 0,
					   BIT(CAP_CHOWN),
					   CTGUARD_MODE_ENFORCE));
	ASSERT_RUN(self->g.path, NULL, op_chroot, NULL, 1, EPERM);
	ASSERT_RUN(self->g.path, NULL, op_chown, NULL, 1, EPERM);
	ASSERT_RUN(self->p.path, NULL, op_chroot, NULL, 1, EPERM);
	ASSERT_RUN(self->p.path, NULL, op_chown, NULL, 1, 0);
}

TEST_F(inherit, union_of_device_lists)
{
	const struct ctg_rule pr[] = {
		CTG_RULE(CTGUARD_DEV_CHAR, 1, 3, CTG_R | CTG_W),
		CTG_RULE(CTGUARD_DEV_CHAR, 1, 5, CTG_R),
	};
	const struct ctg_rule cr[] = {
		CTG_RULE(CTGUARD_DEV_CHAR, 1, CTG_ANY, CTG_R),
	};

	ASSERT_NL_OK(&self->nl, ctg_policy_dev(&self->nl, self->p.id, 0,
					       CTGUARD_MODE_ENFORCE, pr, 2));
	ASSERT_NL_OK(&self->nl, ctg_policy_dev(&self->nl, self->c.id, 0,
					       CTGUARD_MODE_ENFORCE, cr, 1));
	/* Granted by both. */
	ASSERT_RUN(self->c.path, NULL, op_open, "r/dev/null", 1, 0);
	ASSERT_RUN(self->c.path, NULL, op_open, "r/dev/zero", 1, 0);
	/* Refused by c's list. */
	ASSERT_RUN(self->c.path, NULL, op_open, "w/dev/null", 1, EPERM);
	/* Refused by p's list. */
	ASSERT_RUN(self->c.path, NULL, op_open, "r/dev/full", 1, EPERM);
	/* In p, only p's list. */
	ASSERT_RUN(self->p.path, NULL, op_open, "w/dev/null", 1, 0);
	ASSERT_RUN(self->p.path, NULL, op_open, "r/dev/full", 1, EPERM);
	/* A child allowing everything changes nothing. */
	{
		const struct ctg_rule all = CTG_RULE(CTGUARD_DEV_ALL, CTG_ANY,
						     CTG_ANY,
						     CTG_R | CTG_W | CTG_M);

		ASSERT_NL_OK(&self->nl,
			     ctg_policy_dev(&self->nl, self->g.id, 0,
					    CTGUARD_MODE_ENFORCE, &all, 1));
		ASSERT_RUN(self->g.path, NULL, op_open, "w/dev/null", 1,
			   EPERM);
		ASSERT_RUN(self->g.path, NULL, op_open, "r/dev/full", 1,
			   EPERM);
	}
}

TEST_F(inherit, enforcing_parent_complaining_child)
{
	struct ctg_stats sp, sc;
	struct ctg_res res;

	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->p.id,
					   CTGUARD_CLASS_MOUNT, 0,
					   CTGUARD_MODE_ENFORCE));
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->c.id,
					   CTGUARD_CLASS_MOUNT |
						   CTGUARD_CLASS_RAWSOCK,
					   BIT(CAP_SYS_CHROOT),
					   CTGUARD_MODE_COMPLAIN));
	/* p enforces mount, whatever c says. */
	ASSERT_EQ(0, ctg_run(self->g.path, pre_mounts, op_mount, NULL, &res));
	ASSERT_RES(res, 1, EPERM);
	ASSERT_EVENT(res.pid, CTGUARD_CLASS_MOUNT, self->g.id, self->p.id,
		     CTGUARD_VERDICT_DENIED);
	/* c only complains about raw sockets and chroot. */
	ASSERT_EQ(0, ctg_run(self->g.path, NULL, op_raw, NULL, &res));
	ASSERT_RES(res, 1, 0);
	ASSERT_EVENT(res.pid, CTGUARD_CLASS_RAWSOCK, self->g.id, self->c.id,
		     CTGUARD_VERDICT_COMPLAINED);
	ASSERT_EQ(0, ctg_run(self->g.path, NULL, op_chroot, NULL, &res));
	ASSERT_RES(res, 1, 0);
	ASSERT_EVENT(res.pid, CTGUARD_CLASS_CAP, self->g.id, self->c.id,
		     CTGUARD_VERDICT_COMPLAINED);

	ASSERT_NL_OK(&self->nl, ctg_get_stats(&self->nl, self->p.id, &sp));
	ASSERT_NL_OK(&self->nl, ctg_get_stats(&self->nl, self->c.id, &sc));
	EXPECT_EQ(1u, sp.denied);
	EXPECT_EQ(0u, sp.complained);
	EXPECT_EQ(0u, sc.denied);
	EXPECT_EQ(2u, sc.complained);
}

TEST_F(inherit, complaining_parent_enforcing_child)
{
	struct ctg_res res;

	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->p.id,
					   CTGUARD_CLASS_MOUNT |
						   CTGUARD_CLASS_RAWSOCK,
					   0, CTGUARD_MODE_COMPLAIN));
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->c.id,
					   CTGUARD_CLASS_RAWSOCK, 0,
					   CTGUARD_MODE_ENFORCE));
	ASSERT_EQ(0, ctg_run(self->g.path, pre_mounts, op_mount, NULL, &res));
	ASSERT_RES(res, 1, 0);
	ASSERT_EVENT(res.pid, CTGUARD_CLASS_MOUNT, self->g.id, self->p.id,
		     CTGUARD_VERDICT_COMPLAINED);
	ASSERT_EQ(0, ctg_run(self->g.path, NULL, op_raw, NULL, &res));
	ASSERT_RES(res, 1, EPERM);
	ASSERT_EVENT(res.pid, CTGUARD_CLASS_RAWSOCK, self->g.id, self->c.id,
		     CTGUARD_VERDICT_DENIED);
	/* In p itself: complain only. */
	ASSERT_RUN(self->p.path, NULL, op_raw, NULL, 1, 0);
}

TEST_F(inherit, three_levels_enforce_at_the_top)
{
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->p.id, 0,
					   BIT(CAP_SYS_CHROOT),
					   CTGUARD_MODE_ENFORCE));
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->c.id, 0,
					   BIT(CAP_SYS_CHROOT),
					   CTGUARD_MODE_COMPLAIN));
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->g.id, 0,
					   BIT(CAP_SYS_CHROOT),
					   CTGUARD_MODE_COMPLAIN));
	ASSERT_RUN(self->g.path, NULL, op_chroot, NULL, 1, EPERM);
}

/*
 * A task already in the cgroup is confined as soon as the policy is set,
 * and freed as soon as it is deleted: policies are not inherited at fork
 * but looked up on each operation.
 */
TEST_F(inherit, running_task)
{
	int go[2], back[2], status;
	long results[3];
	pid_t pid;
	int i;

	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(back));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char c;

		if (ctg_cg_enter(self->g.path, 0))
			_exit(1);
		for (i = 0; i < 3; i++) {
			long r;

			if (read(go[0], &c, 1) != 1)
				_exit(2);
			r = chroot("/") ? -errno : 0;
			if (write(back[1], &r, sizeof(r)) != sizeof(r))
				_exit(3);
		}
		_exit(0);
	}
	for (i = 0; i < 3; i++) {
		if (i == 1)
			ASSERT_NL_OK(&self->nl,
				     ctg_policy(&self->nl, self->p.id, 0,
						BIT(CAP_SYS_CHROOT),
						CTGUARD_MODE_ENFORCE));
		if (i == 2)
			ASSERT_NL_OK(&self->nl, ctg_del(&self->nl, self->p.id));
		ASSERT_EQ(1, write(go[1], "x", 1));
		ASSERT_EQ((ssize_t)sizeof(long),
			  read(back[0], &results[i], sizeof(long)));
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, results[0]);
	EXPECT_EQ(-EPERM, results[1]);
	EXPECT_EQ(0, results[2]);
}

TEST_HARNESS_MAIN
