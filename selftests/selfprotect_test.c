// SPDX-License-Identifier: GPL-2.0
/*
 * ctguard selftests: a confined task cannot weaken its own confinement.
 *
 * It cannot move itself or another task to a cgroup outside its tagged
 * cgroup (an untagged cgroup, the root, a sibling with a weaker policy) by
 * writing cgroup.procs or by clone3(CLONE_INTO_CGROUP); moves within its
 * tagged subtree stay allowed. It cannot unload the module, even as root.
 * It cannot change policies over netlink (see also netlink_test).
 * Every move is first shown to work unconfined.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "common.h"

CTG_KEEP_HOOKS_ARMED

FIXTURE(selfprotect) {
	struct ctg_nl nl, ev;
	/* t (tagged), t/sub, t/sub2; u, u2 untagged; w tagged, weaker. */
	struct ctg_cg t, sub, sub2, u, u2, w;
};

FIXTURE_SETUP(selfprotect)
{
	ASSERT_TRUE(ctg_cgroup2_mounted());
	ASSERT_EQ(0, ctg_nl_open(&self->nl))
		TH_LOG("cannot reach the ctguard family: is the module loaded?");
	ASSERT_EQ(0, ctg_ev_open(&self->ev));
	ASSERT_EQ(0, ctg_cg_create(&self->t));
	ASSERT_EQ(0, ctg_cg_child(&self->t, "sub", &self->sub));
	ASSERT_EQ(0, ctg_cg_child(&self->t, "sub2", &self->sub2));
	ASSERT_EQ(0, ctg_cg_create(&self->u));
	ASSERT_EQ(0, ctg_cg_create(&self->u2));
	ASSERT_EQ(0, ctg_cg_create(&self->w));
}

FIXTURE_TEARDOWN(selfprotect)
{
	/* Should a confined task have unloaded it, load it again. */
	if (!ctg_module_loaded()) {
		EXPECT_EQ(0, ctg_module_load(""));
		ctg_nl_close(&self->nl);
		EXPECT_EQ(0, ctg_nl_open(&self->nl));
	}
	EXPECT_EQ(0, ctg_cg_destroy(&self->nl, self->t.path));
	EXPECT_EQ(0, ctg_cg_destroy(&self->nl, self->u.path));
	EXPECT_EQ(0, ctg_cg_destroy(&self->nl, self->u2.path));
	EXPECT_EQ(0, ctg_cg_destroy(&self->nl, self->w.path));
	ctg_nl_close(&self->ev);
	ctg_nl_close(&self->nl);
}

static void tag(struct __test_metadata *_metadata, struct ctg_nl *nl,
		uint64_t id, uint32_t deny, uint8_t mode)
{
	ASSERT_NL_OK(nl, ctg_policy(nl, id, deny, 0, mode));
}

#define TAG_T(mode)                                                        \
	tag(_metadata, &self->nl, self->t.id,                              \
	    CTGUARD_CLASS_MOUNT | CTGUARD_CLASS_RAWSOCK, (mode))

/* Move the caller to the cgroup at arg. */
static long move_self(void *arg)
{
	STEP(1);
	return ctg_cg_enter(arg, 0);
}

TEST_F(selfprotect, move_self)
{
	struct ctg_event ev;
	struct ctg_res res;
	char root[] = CTG_CGROOT;

	/* Unconfined, from t: everywhere. */
	ASSERT_RUN(self->t.path, NULL, move_self, self->u.path, 1, 0);
	ASSERT_RUN(self->t.path, NULL, move_self, root, 1, 0);
	ASSERT_RUN(self->t.path, NULL, move_self, self->w.path, 1, 0);

	TAG_T(CTGUARD_MODE_ENFORCE);
	tag(_metadata, &self->nl, self->w.id, CTGUARD_CLASS_MOUNT,
	    CTGUARD_MODE_ENFORCE);

	/* Out of t: refused. */
	ASSERT_EQ(0, ctg_run(self->t.path, NULL, move_self, self->u.path, &res));
	ASSERT_RES(res, 1, EPERM);
	ASSERT_EQ(0, ctg_ev_wait_pid(&self->ev, &ev, res.pid,
				     CTGUARD_CLASS_CGROUP, 5000));
	EXPECT_EQ(CTGUARD_VERDICT_DENIED, ev.verdict);
	EXPECT_EQ(self->t.id, ev.policy_cgid);
	EXPECT_TRUE(ev.has_target);
	EXPECT_EQ(self->u.id, ev.target_cgid);
	ASSERT_RUN(self->t.path, NULL, move_self, root, 1, EPERM);
	ASSERT_RUN(self->sub.path, NULL, move_self, self->u.path, 1, EPERM);
	/* To a cgroup with a weaker policy: refused. */
	ASSERT_RUN(self->t.path, NULL, move_self, self->w.path, 1, EPERM);
	/* Within t: allowed, down, sideways and back up to t. */
	ASSERT_RUN(self->t.path, NULL, move_self, self->sub.path, 1, 0);
	ASSERT_RUN(self->sub.path, NULL, move_self, self->sub2.path, 1, 0);
	ASSERT_RUN(self->sub.path, NULL, move_self, self->t.path, 1, 0);
	/* A new cgroup made by the confined root outside t: refused too. */
	{
		struct ctg_cg fresh;

		ASSERT_EQ(0, ctg_cg_child(&self->u, "fresh", &fresh));
		ASSERT_RUN(self->t.path, NULL, move_self, fresh.path, 1, EPERM);
	}
}

/*
 * The CGROUP class is always enforced for confined tasks (ABI): even a
 * policy in complain mode keeps its tasks in.
 */
TEST_F(selfprotect, move_self_complain_mode)
{
	TAG_T(CTGUARD_MODE_COMPLAIN);
	ASSERT_RUN(self->t.path, NULL, move_self, self->u.path, 1, EPERM);
}

struct move_other {
	pid_t victim;	/* 0: a child of the caller, born in its cgroup */
	const char *to;
};

/* Move a task to @to; returns the result of the write. */
static long move_other(void *arg)
{
	struct move_other *m = arg;
	int p[2], status, err;
	pid_t pid;
	long ret;
	char c;

	if (m->victim) {
		STEP(2);
		return ctg_cg_enter(m->to, m->victim);
	}
	STEP(1);
	if (pipe(p))
		return -2;
	pid = fork();
	if (pid < 0)
		return -2;
	if (pid == 0) {
		close(p[1]);
		if (read(p[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(p[0]);
	STEP(2);
	ret = ctg_cg_enter(m->to, pid);
	err = errno;
	close(p[1]);
	waitpid(pid, &status, 0);
	errno = err;
	return ret;
}

/* A task of the test's own, waiting in the cgroup at @path. */
static pid_t spawn(const char *path)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (ctg_cg_enter(path, 0))
			_exit(1);
		pause();
		_exit(0);
	}
	/* Let it get there. */
	usleep(50000);
	return pid;
}

static void reap(pid_t pid)
{
	int status;

	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
}

TEST_F(selfprotect, move_other)
{
	struct move_other m = { .to = self->u.path };
	pid_t outsider = spawn(self->u.path);

	ASSERT_LT(0, outsider);
	/* Unconfined: its own child from t to u, an outsider from u to u2. */
	ASSERT_RUN(self->t.path, NULL, move_other, &m, 2, 0);
	m.victim = outsider;
	m.to = self->u2.path;
	ASSERT_RUN(self->t.path, NULL, move_other, &m, 2, 0);
	m.to = self->u.path;
	ASSERT_RUN(self->t.path, NULL, move_other, &m, 2, 0);

	TAG_T(CTGUARD_MODE_ENFORCE);
	/* Confined in t: its child from t to u. */
	m.victim = 0;
	ASSERT_RUN(self->t.path, NULL, move_other, &m, 2, EPERM);
	/* An outsider from u to u2. */
	m.victim = outsider;
	m.to = self->u2.path;
	ASSERT_RUN(self->t.path, NULL, move_other, &m, 2, EPERM);
	/* Its child within t. */
	m.victim = 0;
	m.to = self->sub2.path;
	ASSERT_RUN(self->t.path, NULL, move_other, &m, 2, 0);
	/* An outsider into t (more confined, not less): allowed. */
	m.victim = outsider;
	m.to = self->sub.path;
	ASSERT_RUN(self->t.path, NULL, move_other, &m, 2, 0);
	reap(outsider);
}

/* clone3(CLONE_INTO_CGROUP) into the cgroup at arg; 0 when it worked. */
static long clone_into(void *arg)
{
	struct clone_args args = {
		.flags = CLONE_INTO_CGROUP,
		.exit_signal = SIGCHLD,
	};
	int fd, status;
	long pid;

	STEP(1);
	fd = open(arg, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -2;
	args.cgroup = fd;
	STEP(2);
	pid = syscall(__NR_clone3, &args, sizeof(args));
	if (pid == 0)
		_exit(0);
	if (pid < 0)
		return -1;
	if (waitpid(pid, &status, 0) != pid)
		return -3;
	return 0;
}

TEST_F(selfprotect, clone_into_cgroup)
{
	struct ctg_event ev;
	struct ctg_res res;

	ASSERT_RUN(self->t.path, NULL, clone_into, self->u.path, 2, 0);
	TAG_T(CTGUARD_MODE_ENFORCE);
	ASSERT_EQ(0, ctg_run(self->t.path, NULL, clone_into, self->u.path,
			     &res));
	ASSERT_RES(res, 2, EPERM);
	ASSERT_EQ(0, ctg_ev_wait_pid(&self->ev, &ev, res.pid,
				     CTGUARD_CLASS_CGROUP, 5000));
	EXPECT_EQ(self->u.id, ev.target_cgid);
	ASSERT_RUN(self->t.path, NULL, clone_into, self->sub.path, 2, 0);
}

static long delete_module(void *arg)
{
	STEP(1);
	return syscall(__NR_delete_module, (const char *)arg, O_NONBLOCK);
}

/*
 * Unloading: a name that is no module fails with ENOENT unconfined but
 * EPERM confined (the refusal comes first); "ctguard" itself is refused
 * and stays loaded. (Unloading it unconfined is unload_test's job.)
 */
TEST_F(selfprotect, delete_module)
{
	char nomod[] = "ctguard_no_such_module";
	char ctguard[] = "ctguard";
	struct stat st;

	ASSERT_RUN(self->u.path, NULL, delete_module, nomod, 1, ENOENT);
	TAG_T(CTGUARD_MODE_ENFORCE);
	ASSERT_RUN(self->t.path, NULL, delete_module, nomod, 1, EPERM);
	ASSERT_RUN(self->t.path, NULL, delete_module, ctguard, 1, EPERM);
	ASSERT_EQ(0, stat("/sys/module/ctguard", &st));
	ASSERT_RUN(self->sub.path, NULL, delete_module, ctguard, 1, EPERM);
	ASSERT_EQ(0, stat("/sys/module/ctguard", &st));
	/* A complain-mode policy does not make unloading fine either. */
	TAG_T(CTGUARD_MODE_COMPLAIN);
	ASSERT_RUN(self->t.path, NULL, delete_module, ctguard, 1, EPERM);
	ASSERT_EQ(0, stat("/sys/module/ctguard", &st));
}

struct nl_req {
	uint64_t cgid;
	bool del;
};

static long change_policy(void *arg)
{
	struct nl_req *r = arg;
	struct ctg_nl nl;
	int err;

	STEP(1);
	err = ctg_nl_open(&nl);
	if (err) {
		errno = -err;
		return -1;
	}
	STEP(2);
	err = r->del ? ctg_del(&nl, r->cgid) :
		       ctg_policy(&nl, r->cgid, 0, 0, CTGUARD_MODE_COMPLAIN);
	ctg_nl_close(&nl);
	if (err) {
		errno = -err;
		return -1;
	}
	return 0;
}

TEST_F(selfprotect, netlink)
{
	struct nl_req r = { .cgid = self->t.id };
	struct ctg_pol *p = calloc(1, sizeof(*p));

	ASSERT_NE(NULL, p);
	TAG_T(CTGUARD_MODE_ENFORCE);
	/* Weaken its own policy, or delete it: refused. */
	ASSERT_RUN(self->sub.path, NULL, change_policy, &r, 2, EPERM);
	r.del = true;
	ASSERT_RUN(self->sub.path, NULL, change_policy, &r, 2, EPERM);
	ASSERT_NL_OK(&self->nl, ctg_get(&self->nl, self->t.id, p));
	EXPECT_EQ((uint32_t)(CTGUARD_CLASS_MOUNT | CTGUARD_CLASS_RAWSOCK),
		  p->deny);
	EXPECT_EQ(CTGUARD_MODE_ENFORCE, p->mode);
	/* The same from outside works. */
	ASSERT_RUN(self->u.path, NULL, change_policy, &r, 2, 0);
	free(p);
}

TEST_HARNESS_MAIN
