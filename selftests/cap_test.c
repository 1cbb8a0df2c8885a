// SPDX-License-Identifier: GPL-2.0
/*
 * ctguard selftests: denied capabilities.
 *
 * A capability in CTGUARD_A_DENY_CAPS is refused to every task of the
 * cgroup, root or not, in every user namespace: also to "root" of a user
 * namespace the task created itself. The caller of the capability check
 * decides the errno (EPERM mostly, EACCES for file permission checks).
 * Capabilities not in the mask keep working. A check the kernel makes
 * without auditing (CAP_OPT_NOAUDIT) is still refused but not reported.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "common.h"

CTG_KEEP_HOOKS_ARMED

static char dir[64], file[80], locked[80];
static int udp_fd = -1;

#define BIT(c) (1ULL << (c))

/* Unconfined preparations, in the child. */
static long pre_uts(void *arg)
{
	(void)arg;
	return unshare(CLONE_NEWUTS);
}

static long pre_udp(void *arg)
{
	(void)arg;
	udp_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	return udp_fd;
}

static long op_sethostname(void)
{
	return sethostname("ctguard-test", 12);
}

static long op_rcvbufforce(void)
{
	int v = 1 << 20;

	return setsockopt(udp_fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v));
}

static long op_chroot(void)
{
	return chroot("/");
}

static long op_chown(void)
{
	return chown(file, 1234, 1234);
}

static long op_write_locked(void)
{
	/* Mode 0, owned by uid 4321: only CAP_DAC_OVERRIDE opens it. */
	return open(locked, O_WRONLY | O_CLOEXEC);
}

static long op_raw_socket(void)
{
	return socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
}

static long op_settimeofday(void)
{
	/*
	 * Changes nothing, but is checked for CAP_SYS_TIME (the raw call:
	 * glibc's wrapper dereferences a NULL tv).
	 */
	return syscall(__NR_settimeofday, NULL, NULL);
}

static long op_open_by_handle(void)
{
	struct {
		struct file_handle fh;
		unsigned char buf[MAX_HANDLE_SZ];
	} h = { .fh.handle_bytes = MAX_HANDLE_SZ };
	int mount_id, mfd;

	if (name_to_handle_at(AT_FDCWD, file, &h.fh, &mount_id, 0))
		return -2;
	mfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (mfd < 0)
		return -2;
	return open_by_handle_at(mfd, &h.fh, O_RDONLY | O_CLOEXEC);
}

static long op_finit_module(void)
{
	/*
	 * Cannot succeed without loading a module: unconfined it fails on
	 * the bad descriptor (EBADF), refused it fails on the capability
	 * check that comes first (EPERM).
	 */
	return syscall(__NR_finit_module, -1, "", 0);
}

FIXTURE(cap) {
	struct ctg_nl nl, ev;
	struct ctg_cg cg;
};

FIXTURE_VARIANT(cap) {
	int cap;
	ctg_fn pre;
	long (*op)(void);
	/* Unconfined result: 0 = success, or this errno. */
	int unconfined_err;
	/* Result when refused. */
	int err;
	/* Namespaces created (with a user namespace) before the operation. */
	bool userns;
	int ns_flags;
};

/* clang-format off */
FIXTURE_VARIANT_ADD(cap, sys_admin_sethostname) {
	.cap = CAP_SYS_ADMIN, .pre = pre_uts, .op = op_sethostname,
	.err = EPERM,
};
FIXTURE_VARIANT_ADD(cap, net_admin_rcvbufforce) {
	.cap = CAP_NET_ADMIN, .pre = pre_udp, .op = op_rcvbufforce,
	.err = EPERM,
};
FIXTURE_VARIANT_ADD(cap, sys_chroot) {
	.cap = CAP_SYS_CHROOT, .op = op_chroot, .err = EPERM,
};
FIXTURE_VARIANT_ADD(cap, chown) {
	.cap = CAP_CHOWN, .op = op_chown, .err = EPERM,
};
FIXTURE_VARIANT_ADD(cap, dac_override) {
	.cap = CAP_DAC_OVERRIDE, .op = op_write_locked, .err = EACCES,
};
FIXTURE_VARIANT_ADD(cap, net_raw) {
	.cap = CAP_NET_RAW, .op = op_raw_socket, .err = EPERM,
};
FIXTURE_VARIANT_ADD(cap, sys_time) {
	.cap = CAP_SYS_TIME, .op = op_settimeofday, .err = EPERM,
};
FIXTURE_VARIANT_ADD(cap, dac_read_search_open_by_handle) {
	.cap = CAP_DAC_READ_SEARCH, .op = op_open_by_handle, .err = EPERM,
};
FIXTURE_VARIANT_ADD(cap, sys_module) {
	.cap = CAP_SYS_MODULE, .op = op_finit_module,
	.unconfined_err = EBADF, .err = EPERM,
};
FIXTURE_VARIANT_ADD(cap, userns_sys_admin_unshare_uts) {
	/* "root" of its own user namespace, CAP_SYS_ADMIN still refused. */
	.cap = CAP_SYS_ADMIN, .op = op_sethostname, .err = EPERM,
	.userns = true, .ns_flags = CLONE_NEWUTS,
};
FIXTURE_VARIANT_ADD(cap, userns_sys_chroot) {
	.cap = CAP_SYS_CHROOT, .op = op_chroot, .err = EPERM, .userns = true,
};
FIXTURE_VARIANT_ADD(cap, userns_net_raw) {
	.cap = CAP_NET_RAW, .op = op_raw_socket, .err = EPERM, .userns = true,
	.ns_flags = CLONE_NEWNET,
};
/* clang-format on */

static void make_files(struct __test_metadata *_metadata)
{
	int fd;

	snprintf(dir, sizeof(dir), "/tmp/ctg-cap-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/file", dir);
	snprintf(locked, sizeof(locked), "%s/locked", dir);
	fd = open(file, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	ASSERT_LE(0, fd);
	close(fd);
	fd = open(locked, O_CREAT | O_WRONLY | O_CLOEXEC, 0);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, chown(locked, 4321, 4321));
}

static void remove_files(void)
{
	unlink(file);
	unlink(locked);
	rmdir(dir);
}

FIXTURE_SETUP(cap)
{
	ASSERT_TRUE(ctg_cgroup2_mounted());
	ASSERT_EQ(0, ctg_nl_open(&self->nl))
		TH_LOG("cannot reach the ctguard family: is the module loaded?");
	ASSERT_EQ(0, ctg_ev_open(&self->ev));
	ASSERT_EQ(0, ctg_cg_create(&self->cg));
	make_files(_metadata);
}

FIXTURE_TEARDOWN(cap)
{
	EXPECT_EQ(0, ctg_cg_destroy(&self->nl, self->cg.path));
	remove_files();
	ctg_nl_close(&self->ev);
	ctg_nl_close(&self->nl);
}

static long run_op(void *arg)
{
	const FIXTURE_VARIANT(cap) *v = arg;

	if (v->userns) {
		/*
		 * No uid/gid map: writing one needs CAP_SYS_ADMIN in the new
		 * namespace, which some variants deny. Capabilities in the
		 * new namespace are full without it.
		 */
		STEP(1);
		if (unshare(CLONE_NEWUSER))
			return -1;
		if (v->ns_flags) {
			/* Needs CAP_SYS_ADMIN in the new user namespace. */
			STEP(2);
			if (unshare(v->ns_flags))
				return -1;
		}
	}
	STEP(3);
	return v->op();
}

/* The stage at which the refusal shows. */
static int refused_stage(const FIXTURE_VARIANT(cap) *v)
{
	if (v->userns && v->ns_flags == CLONE_NEWUTS)
		return 2;
	return 3;
}

TEST_F(cap, denied)
{
	void *arg = (void *)variant;
	struct ctg_stats st;
	struct ctg_event ev;
	struct ctg_res res;

	ASSERT_RUN(self->cg.path, variant->pre, run_op, arg, 3,
		   variant->unconfined_err);

	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->cg.id, 0,
					   BIT(variant->cap),
					   CTGUARD_MODE_ENFORCE));
	ASSERT_EQ(0, ctg_run(self->cg.path, variant->pre, run_op, arg, &res));
	ASSERT_RES(res, refused_stage(variant), variant->err);
	ASSERT_EQ(0, ctg_ev_wait_pid(&self->ev, &ev, res.pid,
				     CTGUARD_CLASS_CAP, 5000))
		TH_LOG("no event for pid %d %s", res.pid, self->ev.bad_reply);
	EXPECT_EQ(CTGUARD_VERDICT_DENIED, ev.verdict);
	EXPECT_EQ(self->cg.id, ev.policy_cgid);
	EXPECT_TRUE(ev.has_cap);
	EXPECT_EQ(variant->cap, ev.cap);
	ASSERT_NL_OK(&self->nl, ctg_get_stats(&self->nl, self->cg.id, &st));
	EXPECT_LE(1u, st.denied);

	/* Complain: works, reported. */
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->cg.id, 0,
					   BIT(variant->cap),
					   CTGUARD_MODE_COMPLAIN));
	ASSERT_EQ(0, ctg_run(self->cg.path, variant->pre, run_op, arg, &res));
	ASSERT_RES(res, 3, variant->unconfined_err);
	ASSERT_EQ(0, ctg_ev_wait_pid(&self->ev, &ev, res.pid,
				     CTGUARD_CLASS_CAP, 5000));
	EXPECT_EQ(CTGUARD_VERDICT_COMPLAINED, ev.verdict);
	EXPECT_EQ(variant->cap, ev.cap);
}

/* Every other capability denied: this one still works. */
TEST_F(cap, others_denied)
{
	uint64_t mask = ((2ULL << CAP_LAST_CAP) - 1) & ~BIT(variant->cap);

	/* Creating namespaces in the user namespace needs CAP_SYS_ADMIN. */
	if (variant->ns_flags)
		mask &= ~BIT(CAP_SYS_ADMIN);
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->cg.id, 0, mask,
					   CTGUARD_MODE_ENFORCE));
	ASSERT_RUN(self->cg.path, variant->pre, run_op, (void *)variant, 3,
		   variant->unconfined_err);
}

/* Every class denied, no capability: it works. */
TEST_F(cap, classes_denied)
{
	const struct ctg_rule all = CTG_RULE(CTGUARD_DEV_ALL, CTG_ANY, CTG_ANY,
					     CTG_R | CTG_W | CTG_M);
	uint32_t deny = __CTGUARD_CLASS_ALL;

	if (variant->userns)
		deny &= ~CTGUARD_CLASS_USERNS;
	if (variant->cap == CAP_NET_RAW)
		deny &= ~CTGUARD_CLASS_RAWSOCK;
	ASSERT_NL_OK(&self->nl, ctg_policy_dev(&self->nl, self->cg.id, deny,
					       CTGUARD_MODE_ENFORCE, &all, 1));
	ASSERT_RUN(self->cg.path, variant->pre, run_op, (void *)variant, 3,
		   variant->unconfined_err);
}

/* ---- CAP_OPT_NOAUDIT ---------------------------------------------------- */

FIXTURE(cap_noaudit) {
	struct ctg_nl nl, ev;
	struct ctg_cg cg;
};

FIXTURE_SETUP(cap_noaudit)
{
	ASSERT_EQ(0, ctg_nl_open(&self->nl));
	ASSERT_EQ(0, ctg_ev_open(&self->ev));
	ASSERT_EQ(0, ctg_cg_create(&self->cg));
	make_files(_metadata);
}

FIXTURE_TEARDOWN(cap_noaudit)
{
	EXPECT_EQ(0, ctg_cg_destroy(&self->nl, self->cg.path));
	remove_files();
	ctg_nl_close(&self->ev);
	ctg_nl_close(&self->nl);
}

/* 1 if listxattr shows trusted.ctguard, 0 if not. */
static long list_trusted(void *arg)
{
	char buf[4096];
	ssize_t n, i;

	(void)arg;
	STEP(1);
	n = listxattr(file, buf, sizeof(buf));
	if (n < 0)
		return -1;
	for (i = 0; i < n; i += strlen(buf + i) + 1)
		if (!strcmp(buf + i, "trusted.ctguard"))
			return 1;
	return 0;
}

static long sethostname_in_uts(void *arg)
{
	(void)arg;
	STEP(1);
	return sethostname("ctguard-test", 12);
}

/*
 * tmpfs lists trusted.* attributes only to CAP_SYS_ADMIN, which it probes
 * with ns_capable_noaudit(): refused, so hidden, but no event.
 */
TEST_F(cap_noaudit, listxattr_trusted)
{
	struct ctg_event ev;
	struct ctg_res res;

	ASSERT_EQ(0, setxattr(file, "trusted.ctguard", "1", 1, 0))
		TH_LOG("tmpfs without trusted xattrs? %s", strerror(errno));
	ASSERT_EQ(0, ctg_run(self->cg.path, NULL, list_trusted, NULL, &res));
	ASSERT_EQ(1, res.ret) TH_LOG("unconfined: %s", ctg_res_str(&res));

	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->cg.id, 0,
					   BIT(CAP_SYS_ADMIN),
					   CTGUARD_MODE_ENFORCE));
	ASSERT_EQ(0, ctg_run(self->cg.path, NULL, list_trusted, NULL, &res));
	ASSERT_EQ(0, res.ret) TH_LOG("confined: %s", ctg_res_str(&res));
	EXPECT_EQ(-ETIMEDOUT, ctg_ev_wait_pid(&self->ev, &ev, res.pid,
					      CTGUARD_CLASS_CAP, 1500))
		TH_LOG("a CAP_OPT_NOAUDIT check was reported (cap %u)", ev.cap);

	/* The listener works: an audited refusal is reported. */
	ASSERT_EQ(0, ctg_run(self->cg.path, pre_uts, sethostname_in_uts, NULL,
			     &res));
	ASSERT_RES(res, 1, EPERM);
	ASSERT_EQ(0, ctg_ev_wait_pid(&self->ev, &ev, res.pid,
				     CTGUARD_CLASS_CAP, 5000));
	EXPECT_EQ(CAP_SYS_ADMIN, ev.cap);
}

TEST_HARNESS_MAIN
