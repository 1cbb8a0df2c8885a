// SPDX-License-Identifier: GPL-2.0
/*
 * ctguard selftests: events on the "events" multicast group and counters.
 *
 * Every refusal (and every complain-mode hit) is sent as CTGUARD_CMD_EVENT
 * with the acting task's cgroup, the policy's cgroup, pid and tgid in the
 * initial pid namespace, real uid in the initial user namespace, comm, the
 * class, the verdict and the class detail. Per-cgroup and global counters
 * count every refusal, complaint, suppressed log line and lost event.
 * (The class details are checked by each class's own test.)
 */
#define _GNU_SOURCE
#include <grp.h>
#include <linux/if_ether.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "common.h"

CTG_KEEP_HOOKS_ARMED

#define COMM "ctg-ev-test"

FIXTURE(events) {
	struct ctg_nl nl, ev;
	struct ctg_cg cg, child;
};

FIXTURE_SETUP(events)
{
	ASSERT_TRUE(ctg_cgroup2_mounted());
	ASSERT_EQ(0, ctg_nl_open(&self->nl))
		TH_LOG("cannot reach the ctguard family: is the module loaded?");
	ASSERT_EQ(0, ctg_ev_open(&self->ev));
	ASSERT_EQ(0, ctg_cg_create(&self->cg));
	ASSERT_EQ(0, ctg_cg_child(&self->cg, "child", &self->child));
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->cg.id,
					   CTGUARD_CLASS_RAWSOCK, 0,
					   CTGUARD_MODE_ENFORCE));
}

FIXTURE_TEARDOWN(events)
{
	EXPECT_EQ(0, ctg_cg_destroy(&self->nl, self->cg.path));
	ctg_nl_close(&self->ev);
	ctg_nl_close(&self->nl);
}

static long raw_socket(void)
{
	return socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
}

static long named_raw(void *arg)
{
	(void)arg;
	STEP(1);
	if (prctl(PR_SET_NAME, COMM, 0, 0, 0))
		return -2;
	STEP(2);
	return raw_socket();
}

TEST_F(events, fields)
{
	struct ctg_event ev;
	struct ctg_res res;

	ASSERT_EQ(0, ctg_run(self->child.path, NULL, named_raw, NULL, &res));
	ASSERT_RES(res, 2, EPERM);
	ASSERT_EQ(0, ctg_ev_wait_pid(&self->ev, &ev, res.pid,
				     CTGUARD_CLASS_RAWSOCK, 5000))
		TH_LOG("no event: %s", self->ev.bad_reply);
	EXPECT_EQ(self->child.id, ev.cgid);
	EXPECT_EQ(self->cg.id, ev.policy_cgid);
	EXPECT_EQ((uint32_t)res.pid, ev.pid);
	EXPECT_EQ((uint32_t)res.pid, ev.tgid);
	EXPECT_EQ(0u, ev.uid);
	EXPECT_STREQ(COMM, ev.comm);
	EXPECT_EQ((uint32_t)CTGUARD_CLASS_RAWSOCK, ev.class);
	EXPECT_EQ(CTGUARD_VERDICT_DENIED, ev.verdict);
	EXPECT_TRUE(ev.has_sock);
	EXPECT_EQ((uint32_t)AF_PACKET, ev.sock_family);
	EXPECT_EQ((uint32_t)SOCK_RAW, ev.sock_type);
	EXPECT_EQ((uint32_t)htons(ETH_P_ALL), ev.sock_protocol);
	/* Only the attributes of this class. */
	EXPECT_FALSE(ev.has_cap || ev.has_mount_op || ev.has_fstype ||
		     ev.has_syslog || ev.has_dev || ev.has_target);
	EXPECT_EQ(8 + 3, ev.nr_attrs);
}

static long setuid_raw(void *arg)
{
	(void)arg;
	STEP(1);
	if (setresgid(2345, 2345, 2345) || setresuid(1234, 1234, 1234))
		return -2;
	STEP(2);
	return raw_socket();
}

TEST_F(events, uid)
{
	struct ctg_event ev;
	struct ctg_res res;

	ASSERT_EQ(0, ctg_run(self->cg.path, NULL, setuid_raw, NULL, &res));
	ASSERT_RES(res, 2, EPERM);
	ASSERT_EQ(0, ctg_ev_wait_pid(&self->ev, &ev, res.pid,
				     CTGUARD_CLASS_RAWSOCK, 5000));
	EXPECT_EQ(1234u, ev.uid);
}

/* The uid of the initial user namespace, not the user namespace's own. */
static long userns_raw(void *arg)
{
	(void)arg;
	STEP(1);
	if (setresgid(2345, 2345, 2345) || setresuid(1234, 1234, 1234))
		return -2;
	/* Changing uid made it undumpable: /proc/self would be root's. */
	if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0))
		return -2;
	if (ctg_enter_userns(CLONE_NEWNET))
		return -3;
	if (getuid() != 0)
		return -4;
	STEP(2);
	return raw_socket();
}

TEST_F(events, uid_in_user_namespace)
{
	struct ctg_event ev;
	struct ctg_res res;

	ASSERT_EQ(0, ctg_run(self->cg.path, NULL, userns_raw, NULL, &res));
	ASSERT_RES(res, 2, EPERM);
	ASSERT_EQ(0, ctg_ev_wait_pid(&self->ev, &ev, res.pid,
				     CTGUARD_CLASS_RAWSOCK, 5000));
	EXPECT_EQ(1234u, ev.uid);
}

static pid_t thread_tid;
static long thread_ret;
static int thread_err;

static void *thread_fn(void *arg)
{
	(void)arg;
	thread_tid = syscall(__NR_gettid);
	thread_ret = raw_socket();
	thread_err = errno;
	return NULL;
}

/* In a second thread: returns its tid when refused with EPERM. */
static long threaded_raw(void *arg)
{
	pthread_t t;

	(void)arg;
	STEP(1);
	if (pthread_create(&t, NULL, thread_fn, NULL) || pthread_join(t, NULL))
		return -2;
	STEP(2);
	if (thread_ret != -1 || thread_err != EPERM)
		return -3;
	return thread_tid;
}

TEST_F(events, thread)
{
	struct ctg_event ev;
	struct ctg_res res;

	ASSERT_EQ(0, ctg_run(self->cg.path, NULL, threaded_raw, NULL, &res));
	ASSERT_EQ(2, res.stage);
	ASSERT_LT(0, res.ret) TH_LOG("%s", ctg_res_str(&res));
	ASSERT_NE(res.pid, res.ret);
	ASSERT_EQ(0, ctg_ev_wait_pid(&self->ev, &ev, res.ret,
				     CTGUARD_CLASS_RAWSOCK, 5000));
	EXPECT_EQ((uint32_t)res.ret, ev.pid);
	EXPECT_EQ((uint32_t)res.pid, ev.tgid);
}

/* In a pid namespace: returns the grandchild's pid as the parent sees it. */
static long pidns_raw(void *arg)
{
	int status;
	pid_t pid;

	(void)arg;
	STEP(1);
	if (unshare(CLONE_NEWPID))
		return -2;
	pid = fork();
	if (pid < 0)
		return -3;
	if (pid == 0) {
		if (getpid() != 1)
			_exit(10);
		_exit(raw_socket() == -1 && errno == EPERM ? 0 : 11);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -4;
	STEP(2);
	if (WEXITSTATUS(status))
		return -10 - WEXITSTATUS(status);
	return pid;
}

TEST_F(events, pid_namespace)
{
	struct ctg_event ev;
	struct ctg_res res;

	ASSERT_EQ(0, ctg_run(self->cg.path, NULL, pidns_raw, NULL, &res));
	ASSERT_EQ(2, res.stage) TH_LOG("%s", ctg_res_str(&res));
	ASSERT_LT(1, res.ret) TH_LOG("%s", ctg_res_str(&res));
	ASSERT_EQ(0, ctg_ev_wait_pid(&self->ev, &ev, res.ret,
				     CTGUARD_CLASS_RAWSOCK, 5000))
		TH_LOG("no event with the initial namespace's pid %ld", res.ret);
	EXPECT_EQ((uint32_t)res.ret, ev.tgid);
}

TEST_F(events, complain)
{
	struct ctg_stats st;
	struct ctg_event ev;
	struct ctg_res res;

	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->cg.id,
					   CTGUARD_CLASS_RAWSOCK, 0,
					   CTGUARD_MODE_COMPLAIN));
	ASSERT_EQ(0, ctg_run(self->child.path, NULL, named_raw, NULL, &res));
	ASSERT_RES(res, 2, 0);
	ASSERT_EQ(0, ctg_ev_wait_pid(&self->ev, &ev, res.pid,
				     CTGUARD_CLASS_RAWSOCK, 5000));
	EXPECT_EQ(CTGUARD_VERDICT_COMPLAINED, ev.verdict);
	EXPECT_STREQ(COMM, ev.comm);
	EXPECT_EQ(self->cg.id, ev.policy_cgid);
	ASSERT_NL_OK(&self->nl, ctg_get_stats(&self->nl, self->cg.id, &st));
	EXPECT_EQ(0u, st.denied);
	EXPECT_EQ(1u, st.complained);
}

/* Every listener gets every event. */
TEST_F(events, two_listeners)
{
	struct ctg_nl second;
	struct ctg_event ev;
	struct ctg_res res;

	ASSERT_EQ(0, ctg_ev_open(&second));
	ASSERT_EQ(0, ctg_run(self->cg.path, NULL, named_raw, NULL, &res));
	ASSERT_RES(res, 2, EPERM);
	EXPECT_EQ(0, ctg_ev_wait_pid(&self->ev, &ev, res.pid,
				     CTGUARD_CLASS_RAWSOCK, 5000));
	EXPECT_EQ(0, ctg_ev_wait_pid(&second, &ev, res.pid,
				     CTGUARD_CLASS_RAWSOCK, 5000));
	ctg_nl_close(&second);
}

#define LOOPS 100

static long many_raw(void *arg)
{
	int i;

	(void)arg;
	STEP(1);
	for (i = 0; i < LOOPS; i++)
		if (raw_socket() != -1 || errno != EPERM)
			return -2;
	return 0;
}

/*
 * Counters count every refusal exactly, per cgroup and globally, with or
 * without a listener; log lines beyond the rate limit are counted as
 * suppressed.
 */
TEST_F(events, counters)
{
	struct ctg_status *st = calloc(2, sizeof(*st));
	struct ctg_stats s0, s1;

	ASSERT_NE(NULL, st);
	ASSERT_NL_OK(&self->nl, ctg_get_stats(&self->nl, self->cg.id, &s0));
	ASSERT_NL_OK(&self->nl, ctg_status(&self->nl, &st[0]));
	ASSERT_RUN(self->child.path, NULL, many_raw, NULL, 1, 0);
	ASSERT_NL_OK(&self->nl, ctg_get_stats(&self->nl, self->cg.id, &s1));
	ASSERT_NL_OK(&self->nl, ctg_status(&self->nl, &st[1]));
	EXPECT_EQ(s0.denied + LOOPS, s1.denied);
	EXPECT_EQ(s0.complained, s1.complained);
	/* The kernel log takes a handful per few seconds at most. */
	EXPECT_LE(s0.log_suppressed + LOOPS - 20, s1.log_suppressed);
	EXPECT_EQ(st[0].stats.denied + LOOPS, st[1].stats.denied);
	EXPECT_LE(st[0].stats.log_suppressed + LOOPS - 20,
		  st[1].stats.log_suppressed);

	/* Without any listener. */
	ctg_nl_close(&self->ev);
	ASSERT_RUN(self->child.path, NULL, many_raw, NULL, 1, 0);
	ASSERT_NL_OK(&self->nl, ctg_get_stats(&self->nl, self->cg.id, &s0));
	EXPECT_EQ(s1.denied + LOOPS, s0.denied);
	/* Nobody listening is no lost event. */
	EXPECT_EQ(s1.events_lost, s0.events_lost);
	free(st);
}

/*
 * A listener that does not read loses events, and they are counted. The
 * kernel only learns of a full socket from a listener that asked for
 * NETLINK_BROADCAST_ERROR; otherwise netlink drops silently.
 */
TEST_F(events, lost_events)
{
	struct ctg_stats s0, s1;
	struct ctg_status st0, st1;
	int small = 1, one = 1;

	ASSERT_EQ(0, setsockopt(nl_socket_get_fd(self->ev.sk), SOL_SOCKET,
				SO_RCVBUF, &small, sizeof(small)));
	ASSERT_EQ(0, setsockopt(nl_socket_get_fd(self->ev.sk), SOL_NETLINK,
				NETLINK_BROADCAST_ERROR, &one, sizeof(one)));
	ASSERT_NL_OK(&self->nl, ctg_get_stats(&self->nl, self->cg.id, &s0));
	ASSERT_NL_OK(&self->nl, ctg_status(&self->nl, &st0));
	ASSERT_RUN(self->cg.path, NULL, many_raw, NULL, 1, 0);
	/* Events are sent from a work item: give it time. */
	usleep(500000);
	ASSERT_NL_OK(&self->nl, ctg_get_stats(&self->nl, self->cg.id, &s1));
	ASSERT_NL_OK(&self->nl, ctg_status(&self->nl, &st1));
	EXPECT_EQ(s0.denied + LOOPS, s1.denied);
	EXPECT_LT(s0.events_lost, s1.events_lost);
	EXPECT_LT(st0.stats.events_lost, st1.stats.events_lost);
	/* Some did arrive. */
	{
		struct ctg_event ev;

		EXPECT_EQ(0, ctg_ev_wait(&self->ev, &ev, 1000, NULL, NULL));
		EXPECT_LT(0, self->ev.overruns);
	}
}

/* A refusal the test causes itself is reported, unconfined tasks' not. */
TEST_F(events, nothing_for_untagged)
{
	struct ctg_event ev;
	struct ctg_res res;

	ASSERT_EQ(0, ctg_run(NULL, NULL, named_raw, NULL, &res));
	ASSERT_RES(res, 2, 0);
	EXPECT_EQ(-ETIMEDOUT, ctg_ev_wait_pid(&self->ev, &ev, res.pid,
					      CTGUARD_CLASS_RAWSOCK, 1000));
}

/* Only a privileged listener gets events: they name tasks and cgroups. */
static long unprivileged_listen(void *arg)
{
	struct ctg_nl nl;
	int err;

	(void)arg;
	STEP(1);
	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534))
		return -2;
	STEP(2);
	err = ctg_ev_open(&nl);
	if (err) {
		errno = -err;
		return -1;
	}
	ctg_nl_close(&nl);
	return 0;
}

TEST_F(events, unprivileged_listener)
{
	ASSERT_RUN(NULL, NULL, unprivileged_listen, NULL, 2, EPERM);
}

TEST_HARNESS_MAIN
