// SPDX-License-Identifier: GPL-2.0
/*
 * ctguard selftests: the dmesg class.
 *
 * Reading or clearing the kernel log is refused with EPERM by every path:
 * syslog(2)/klogctl(3) actions, opening /dev/kmsg for reading and opening
 * /proc/kmsg. Opening /dev/kmsg for writing, and writing to it, stay
 * allowed. Each is first shown to work unconfined (the tests run as root).
 *
 * SYSLOG_ACTION_CLEAR only moves the point syslog(2) reads from; /dev/kmsg
 * readers (util-linux dmesg, the VM's log collection) still see everything.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/klog.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "common.h"

CTG_KEEP_HOOKS_ARMED

/* enum syslog_action, include/linux/syslog.h */
#define SYSLOG_ACTION_OPEN 1
#define SYSLOG_ACTION_READ_ALL 3
#define SYSLOG_ACTION_CLEAR 5
#define SYSLOG_ACTION_CONSOLE_ON 7
#define SYSLOG_ACTION_CONSOLE_LEVEL 8
#define SYSLOG_ACTION_SIZE_UNREAD 9
#define SYSLOG_ACTION_SIZE_BUFFER 10

static int console_level = 7;
static char logbuf[1 << 16];

static long op_read_all(void)
{
	return klogctl(SYSLOG_ACTION_READ_ALL, logbuf, sizeof(logbuf));
}

static long op_clear(void)
{
	return klogctl(SYSLOG_ACTION_CLEAR, NULL, 0);
}

static long op_console_on(void)
{
	return klogctl(SYSLOG_ACTION_CONSOLE_ON, NULL, 0);
}

static long op_console_level(void)
{
	/* Sets the level it already has. */
	return klogctl(SYSLOG_ACTION_CONSOLE_LEVEL, NULL, console_level);
}

static long op_size_unread(void)
{
	return klogctl(SYSLOG_ACTION_SIZE_UNREAD, NULL, 0);
}

static long op_size_buffer(void)
{
	return klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
}

static long op_dev_kmsg_rdonly(void)
{
	return open("/dev/kmsg", O_RDONLY | O_CLOEXEC);
}

static long op_dev_kmsg_rdwr(void)
{
	return open("/dev/kmsg", O_RDWR | O_CLOEXEC);
}

static long op_dev_kmsg_read(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -1;
	return read(fd, logbuf, sizeof(logbuf));
}

static long op_proc_kmsg(void)
{
	return open("/proc/kmsg", O_RDONLY | O_CLOEXEC);
}

static long op_dev_kmsg_wronly(void)
{
	return open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
}

static long op_dev_kmsg_write(void)
{
	static const char line[] = "<6>ctguard selftest: writing to /dev/kmsg\n";
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	return write(fd, line, sizeof(line) - 1);
}

FIXTURE(dmesg) {
	struct ctg_nl nl, ev;
	struct ctg_cg cg;
};

FIXTURE_VARIANT(dmesg) {
	long (*op)(void);
	bool denied;
	uint32_t action;	/* the syslog action the kernel checks */
};

/* clang-format off */
FIXTURE_VARIANT_ADD(dmesg, syslog_read_all) {
	.op = op_read_all, .denied = true, .action = SYSLOG_ACTION_READ_ALL,
};
FIXTURE_VARIANT_ADD(dmesg, syslog_clear) {
	.op = op_clear, .denied = true, .action = SYSLOG_ACTION_CLEAR,
};
FIXTURE_VARIANT_ADD(dmesg, syslog_console_on) {
	.op = op_console_on, .denied = true,
	.action = SYSLOG_ACTION_CONSOLE_ON,
};
FIXTURE_VARIANT_ADD(dmesg, syslog_console_level) {
	.op = op_console_level, .denied = true,
	.action = SYSLOG_ACTION_CONSOLE_LEVEL,
};
FIXTURE_VARIANT_ADD(dmesg, syslog_size_unread) {
	.op = op_size_unread, .denied = true,
	.action = SYSLOG_ACTION_SIZE_UNREAD,
};
FIXTURE_VARIANT_ADD(dmesg, syslog_size_buffer) {
	.op = op_size_buffer, .denied = true,
	.action = SYSLOG_ACTION_SIZE_BUFFER,
};
FIXTURE_VARIANT_ADD(dmesg, dev_kmsg_rdonly) {
	.op = op_dev_kmsg_rdonly, .denied = true,
	.action = SYSLOG_ACTION_READ_ALL,
};
FIXTURE_VARIANT_ADD(dmesg, dev_kmsg_rdwr) {
	.op = op_dev_kmsg_rdwr, .denied = true,
	.action = SYSLOG_ACTION_READ_ALL,
};
FIXTURE_VARIANT_ADD(dmesg, dev_kmsg_read) {
	.op = op_dev_kmsg_read, .denied = true,
	.action = SYSLOG_ACTION_READ_ALL,
};
FIXTURE_VARIANT_ADD(dmesg, proc_kmsg) {
	.op = op_proc_kmsg, .denied = true, .action = SYSLOG_ACTION_OPEN,
};
FIXTURE_VARIANT_ADD(dmesg, dev_kmsg_wronly) {
	.op = op_dev_kmsg_wronly,
};
FIXTURE_VARIANT_ADD(dmesg, dev_kmsg_write) {
	.op = op_dev_kmsg_write,
};
/* clang-format on */

FIXTURE_SETUP(dmesg)
{
	char buf[64];

	ASSERT_TRUE(ctg_cgroup2_mounted());
	ASSERT_EQ(0, ctg_nl_open(&self->nl))
		TH_LOG("cannot reach the ctguard family: is the module loaded?");
	ASSERT_EQ(0, ctg_ev_open(&self->ev));
	ASSERT_EQ(0, ctg_cg_create(&self->cg));
	ASSERT_EQ(0, ctg_read_file("/proc/sys/kernel/printk", buf, sizeof(buf)));
	console_level = atoi(buf);
}

FIXTURE_TEARDOWN(dmesg)
{
	EXPECT_EQ(0, ctg_cg_destroy(&self->nl, self->cg.path));
	ctg_nl_close(&self->ev);
	ctg_nl_close(&self->nl);
}

static long run_op(void *arg)
{
	const FIXTURE_VARIANT(dmesg) *v = arg;

	STEP(1);
	return v->op();
}

TEST_F(dmesg, op)
{
	void *arg = (void *)variant;
	struct ctg_stats st;
	struct ctg_event ev;
	struct ctg_res res;

	ASSERT_RUN(self->cg.path, NULL, run_op, arg, 1, 0);

	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->cg.id,
					   CTGUARD_CLASS_DMESG, 0,
					   CTGUARD_MODE_ENFORCE));
	ASSERT_EQ(0, ctg_run(self->cg.path, NULL, run_op, arg, &res));
	if (!variant->denied) {
		ASSERT_RES(res, 1, 0);
		ASSERT_NL_OK(&self->nl,
			     ctg_get_stats(&self->nl, self->cg.id, &st));
		EXPECT_EQ(0u, st.denied);
		return;
	}
	ASSERT_RES(res, 1, EPERM);
	ASSERT_EQ(0, ctg_ev_wait_pid(&self->ev, &ev, res.pid,
				     CTGUARD_CLASS_DMESG, 5000))
		TH_LOG("no event for pid %d %s", res.pid, self->ev.bad_reply);
	EXPECT_EQ(CTGUARD_VERDICT_DENIED, ev.verdict);
	EXPECT_EQ(self->cg.id, ev.policy_cgid);
	EXPECT_TRUE(ev.has_syslog);
	EXPECT_EQ(variant->action, ev.syslog_action);
	ASSERT_NL_OK(&self->nl, ctg_get_stats(&self->nl, self->cg.id, &st));
	EXPECT_EQ(1u, st.denied);

	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->cg.id,
					   CTGUARD_CLASS_DMESG, 0,
					   CTGUARD_MODE_COMPLAIN));
	ASSERT_EQ(0, ctg_run(self->cg.path, NULL, run_op, arg, &res));
	ASSERT_RES(res, 1, 0);
	ASSERT_EQ(0, ctg_ev_wait_pid(&self->ev, &ev, res.pid,
				     CTGUARD_CLASS_DMESG, 5000));
	EXPECT_EQ(CTGUARD_VERDICT_COMPLAINED, ev.verdict);
	ASSERT_NL_OK(&self->nl, ctg_get_stats(&self->nl, self->cg.id, &st));
	EXPECT_EQ(1u, st.denied);
	EXPECT_EQ(1u, st.complained);
}

/* Every other class denied (with /dev/kmsg allowlisted): the log is open. */
TEST_F(dmesg, other_classes_denied)
{
	const struct ctg_rule kmsg = CTG_RULE(CTGUARD_DEV_CHAR, 1, 11,
					      CTG_R | CTG_W);

	ASSERT_NL_OK(&self->nl,
		     ctg_policy_dev(&self->nl, self->cg.id,
				    __CTGUARD_CLASS_ALL & ~CTGUARD_CLASS_DMESG,
				    CTGUARD_MODE_ENFORCE, &kmsg, 1));
	ASSERT_RUN(self->cg.path, NULL, run_op, (void *)variant, 1, 0);
}

TEST_HARNESS_MAIN
