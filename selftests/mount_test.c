// SPDX-License-Identifier: GPL-2.0
/*
 * ctguard selftests: the mount class.
 *
 * Every path to a mount operation: mount(2) in all its forms (new mount,
 * bind, remount, move, propagation changes), umount2(2), pivot_root(2), and
 * the new mount API (fsopen, fspick, fsmount, open_tree(OPEN_TREE_CLONE),
 * move_mount, mount_setattr, and fsconfig's reconfigure of a context made
 * beforehand), also inside a user and mount namespace the confined process
 * creates itself. Each operation is first shown to work unconfined, then
 * refused with EPERM and reported, then allowed again in complain mode.
 *
 * Each operation runs in a child with its own private mount namespace and a
 * scratch tmpfs mounted on a directory under /tmp (made before the child
 * joins the tagged cgroup), so nothing it mounts outlives it.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "common.h"

CTG_KEEP_HOOKS_ARMED

/* The scratch directory and what the child prepares in it. */
static char dir[64], dir_a[80], dir_b[80], dir_m[80], dir_old[80];
static int ctx_fd = -1, tree_fd = -1, pick_fd = -1, new_ctx_fd = -1;

static int sys_fsopen(const char *fs, unsigned int flags)
{
	return syscall(__NR_fsopen, fs, flags);
}

static int sys_fsconfig(int fd, unsigned int cmd, const char *key,
			const void *value, int aux)
{
	return syscall(__NR_fsconfig, fd, cmd, key, value, aux);
}

static int sys_fsmount(int fd, unsigned int flags, unsigned int attrs)
{
	return syscall(__NR_fsmount, fd, flags, attrs);
}

static int sys_fspick(int dfd, const char *path, unsigned int flags)
{
	return syscall(__NR_fspick, dfd, path, flags);
}

static int sys_open_tree(int dfd, const char *path, unsigned int flags)
{
	return syscall(__NR_open_tree, dfd, path, flags);
}

static int sys_move_mount(int from_dfd, const char *from, int to_dfd,
			  const char *to, unsigned int flags)
{
	return syscall(__NR_move_mount, from_dfd, from, to_dfd, to, flags);
}

static int sys_mount_setattr(int dfd, const char *path, unsigned int flags,
			     struct mount_attr *attr, size_t size)
{
	return syscall(__NR_mount_setattr, dfd, path, flags, attr, size);
}

/*
 * Unconfined, in the child: a private mount namespace, a tmpfs on dir with
 * a, b, old and a second tmpfs on m, plus a filesystem context ready to be
 * mounted, a detached clone of m and a reconfiguration context for m, as a
 * process could have received them from outside.
 */
static long prepare(void *arg)
{
	(void)arg;
	if (ctg_pre_private_mounts(NULL) ||
	    mount("tmpfs", dir, "tmpfs", 0, "size=4m,mode=0755") ||
	    mkdir(dir_a, 0755) || mkdir(dir_b, 0755) || mkdir(dir_m, 0755) ||
	    mkdir(dir_old, 0755) ||
	    mount("tmpfs", dir_m, "tmpfs", 0, "size=1m"))
		return -1;
	ctx_fd = sys_fsopen("tmpfs", FSOPEN_CLOEXEC);
	if (ctx_fd < 0 ||
	    sys_fsconfig(ctx_fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0))
		return -1;
	tree_fd = sys_open_tree(AT_FDCWD, dir_m,
				OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
	if (tree_fd < 0)
		return -1;
	new_ctx_fd = sys_fsopen("tmpfs", FSOPEN_CLOEXEC);
	if (new_ctx_fd < 0)
		return -1;
	pick_fd = sys_fspick(AT_FDCWD, dir_m, FSPICK_CLOEXEC);
	if (pick_fd < 0)
		return -1;
	if (sys_fsconfig(pick_fd, FSCONFIG_SET_FLAG, "ro", NULL, 0))
		return -1;
	return 0;
}

/* ---- the operations ---------------------------------------------------- */

static long op_mount_tmpfs(void)
{
	return mount("tmpfs", dir_a, "tmpfs", MS_NOSUID, "size=1m");
}

static long op_bind(void)
{
	return mount(dir_a, dir_b, NULL, MS_BIND, NULL);
}

static long op_rbind(void)
{
	return mount(dir, dir_b, NULL, MS_BIND | MS_REC, NULL);
}

static long op_remount(void)
{
	return mount(NULL, dir_m, NULL, MS_REMOUNT | MS_RDONLY, NULL);
}

static long op_remount_bind(void)
{
	return mount(NULL, dir_m, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL);
}

static long op_move(void)
{
	return mount(dir_m, dir_b, NULL, MS_MOVE, NULL);
}

static long op_make_shared(void)
{
	return mount(NULL, dir_m, NULL, MS_SHARED, NULL);
}

static long op_make_private(void)
{
	return mount(NULL, dir_m, NULL, MS_PRIVATE, NULL);
}

static long op_make_slave(void)
{
	return mount(NULL, dir_m, NULL, MS_SLAVE, NULL);
}

static long op_make_unbindable(void)
{
	return mount(NULL, dir_m, NULL, MS_UNBINDABLE | MS_REC, NULL);
}

static long op_umount(void)
{
	return umount2(dir_m, 0);
}

static long op_umount_detach(void)
{
	return umount2(dir_m, MNT_DETACH);
}

static long op_pivot_root(void)
{
	return syscall(__NR_pivot_root, dir, dir_old);
}

static long op_fsopen(void)
{
	return sys_fsopen("tmpfs", FSOPEN_CLOEXEC);
}

static long op_fspick(void)
{
	return sys_fspick(AT_FDCWD, dir_m, FSPICK_CLOEXEC);
}

static long op_fsmount(void)
{
	return sys_fsmount(ctx_fd, FSMOUNT_CLOEXEC, 0);
}

static long op_open_tree_clone(void)
{
	return sys_open_tree(AT_FDCWD, dir_m,
			     OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
}

static long op_open_tree_plain(void)
{
	/* Without OPEN_TREE_CLONE it is an O_PATH open: allowed. */
	return sys_open_tree(AT_FDCWD, dir_m, OPEN_TREE_CLOEXEC);
}

static long op_move_mount_detached(void)
{
	return sys_move_mount(tree_fd, "", AT_FDCWD, dir_b,
			      MOVE_MOUNT_F_EMPTY_PATH);
}

static long op_move_mount_attached(void)
{
	return sys_move_mount(AT_FDCWD, dir_m, AT_FDCWD, dir_b, 0);
}

static long op_mount_setattr(void)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };

	return sys_mount_setattr(AT_FDCWD, dir_m, 0, &attr, sizeof(attr));
}

static long op_fsconfig_reconfigure(void)
{
	/* Remounts m read-only through a context made before confinement. */
	return sys_fsconfig(pick_fd, FSCONFIG_CMD_RECONFIGURE, NULL, NULL, 0);
}

static long op_fsconfig_create(void)
{
	return sys_fsconfig(new_ctx_fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0);
}

/* In a user+mount namespace of its own: only what works unconfined there. */
static long op_userns_fsmount(void)
{
	int fd = sys_fsopen("tmpfs", FSOPEN_CLOEXEC);

	if (fd < 0)
		return -1;
	if (sys_fsconfig(fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0))
		return -1;
	return sys_fsmount(fd, FSMOUNT_CLOEXEC, 0);
}

static long op_userns_open_tree_clone(void)
{
	return sys_open_tree(AT_FDCWD, dir_a,
			     OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
}

/* ---- the fixture ------------------------------------------------------- */

FIXTURE(mount) {
	struct ctg_nl nl, ev;
	struct ctg_cg cg;
};

FIXTURE_VARIANT(mount) {
	long (*op)(void);
	/* Create a user and a mount namespace after joining the cgroup. */
	bool userns;
	/* Not a mount operation: still allowed when confined. */
	bool allowed;
	/* Expected event detail. */
	uint8_t ev_op;
	const char *fstype;	/* NULL: not checked */
	uint64_t flags;		/* 0: no CTGUARD_A_EV_MOUNT_FLAGS expected */
	bool check_flags;
	/* Hits in complain mode, when not 1. */
	unsigned int complaints;
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mount, mount_tmpfs) {
	.op = op_mount_tmpfs, .ev_op = CTGUARD_MOUNT_OP_MOUNT,
	.fstype = "tmpfs", .flags = MS_NOSUID, .check_flags = true,
};
FIXTURE_VARIANT_ADD(mount, bind) {
	.op = op_bind, .ev_op = CTGUARD_MOUNT_OP_MOUNT,
	.flags = MS_BIND, .check_flags = true,
};
FIXTURE_VARIANT_ADD(mount, rbind) {
	.op = op_rbind, .ev_op = CTGUARD_MOUNT_OP_MOUNT,
	.flags = MS_BIND | MS_REC, .check_flags = true,
};
FIXTURE_VARIANT_ADD(mount, remount) {
	.op = op_remount, .ev_op = CTGUARD_MOUNT_OP_MOUNT,
	.flags = MS_REMOUNT | MS_RDONLY, .check_flags = true,
};
FIXTURE_VARIANT_ADD(mount, remount_bind_ro) {
	.op = op_remount_bind, .ev_op = CTGUARD_MOUNT_OP_MOUNT,
	.flags = MS_REMOUNT | MS_BIND | MS_RDONLY, .check_flags = true,
};
FIXTURE_VARIANT_ADD(mount, move) {
	.op = op_move, .ev_op = CTGUARD_MOUNT_OP_MOUNT,
	.flags = MS_MOVE, .check_flags = true,
};
FIXTURE_VARIANT_ADD(mount, make_shared) {
	.op = op_make_shared, .ev_op = CTGUARD_MOUNT_OP_MOUNT,
	.flags = MS_SHARED, .check_flags = true,
};
FIXTURE_VARIANT_ADD(mount, make_private) {
	.op = op_make_private, .ev_op = CTGUARD_MOUNT_OP_MOUNT,
	.flags = MS_PRIVATE, .check_flags = true,
};
FIXTURE_VARIANT_ADD(mount, make_slave) {
	.op = op_make_slave, .ev_op = CTGUARD_MOUNT_OP_MOUNT,
	.flags = MS_SLAVE, .check_flags = true,
};
FIXTURE_VARIANT_ADD(mount, make_runbindable) {
	.op = op_make_unbindable, .ev_op = CTGUARD_MOUNT_OP_MOUNT,
	.flags = MS_UNBINDABLE | MS_REC, .check_flags = true,
};
FIXTURE_VARIANT_ADD(mount, umount) {
	.op = op_umount, .ev_op = CTGUARD_MOUNT_OP_UMOUNT, .fstype = "tmpfs",
};
FIXTURE_VARIANT_ADD(mount, umount_detach) {
	.op = op_umount_detach, .ev_op = CTGUARD_MOUNT_OP_UMOUNT,
	.fstype = "tmpfs", .flags = MNT_DETACH, .check_flags = true,
};
FIXTURE_VARIANT_ADD(mount, pivot_root) {
	.op = op_pivot_root, .ev_op = CTGUARD_MOUNT_OP_PIVOT_ROOT,
};
FIXTURE_VARIANT_ADD(mount, fsopen) {
	.op = op_fsopen, .ev_op = CTGUARD_MOUNT_OP_FSOPEN, .fstype = "tmpfs",
};
FIXTURE_VARIANT_ADD(mount, fspick) {
	.op = op_fspick, .ev_op = CTGUARD_MOUNT_OP_FSPICK,
};
FIXTURE_VARIANT_ADD(mount, fsmount_handed_in) {
	.op = op_fsmount, .ev_op = CTGUARD_MOUNT_OP_FSMOUNT,
};
FIXTURE_VARIANT_ADD(mount, open_tree_clone) {
	.op = op_open_tree_clone, .ev_op = CTGUARD_MOUNT_OP_OPEN_TREE,
};
FIXTURE_VARIANT_ADD(mount, open_tree_plain) {
	.op = op_open_tree_plain, .allowed = true,
};
FIXTURE_VARIANT_ADD(mount, move_mount_detached) {
	.op = op_move_mount_detached, .ev_op = CTGUARD_MOUNT_OP_MOVE_MOUNT,
};
FIXTURE_VARIANT_ADD(mount, move_mount_attached) {
	.op = op_move_mount_attached, .ev_op = CTGUARD_MOUNT_OP_MOVE_MOUNT,
};
FIXTURE_VARIANT_ADD(mount, mount_setattr) {
	.op = op_mount_setattr, .ev_op = CTGUARD_MOUNT_OP_MOUNT_SETATTR,
};
FIXTURE_VARIANT_ADD(mount, fsconfig_reconfigure_handed_in) {
	/*
	 * A remount through fsconfig(FSCONFIG_CMD_RECONFIGURE) on a context
	 * from fspick(2) made before the process was confined.
	 */
	.op = op_fsconfig_reconfigure, .ev_op = CTGUARD_MOUNT_OP_FSCONFIG,
};
FIXTURE_VARIANT_ADD(mount, fsconfig_create_handed_in) {
	/* A superblock made from a context fsopen(2)ed before confinement. */
	.op = op_fsconfig_create, .ev_op = CTGUARD_MOUNT_OP_FSCONFIG,
};
FIXTURE_VARIANT_ADD(mount, userns_mount_tmpfs) {
	.op = op_mount_tmpfs, .userns = true, .ev_op = CTGUARD_MOUNT_OP_MOUNT,
	.fstype = "tmpfs", .flags = MS_NOSUID, .check_flags = true,
};
FIXTURE_VARIANT_ADD(mount, userns_bind) {
	.op = op_bind, .userns = true, .ev_op = CTGUARD_MOUNT_OP_MOUNT,
	.flags = MS_BIND, .check_flags = true,
};
FIXTURE_VARIANT_ADD(mount, userns_fsopen) {
	.op = op_fsopen, .userns = true, .ev_op = CTGUARD_MOUNT_OP_FSOPEN,
	.fstype = "tmpfs",
};
FIXTURE_VARIANT_ADD(mount, userns_fsmount) {
	/* fsopen is the first call refused on this path. */
	.op = op_userns_fsmount, .userns = true,
	.ev_op = CTGUARD_MOUNT_OP_FSOPEN, .fstype = "tmpfs",
	/* In complain mode fsopen, fsconfig(CREATE), fsmount are reported. */
	.complaints = 3,
};
FIXTURE_VARIANT_ADD(mount, userns_open_tree_clone) {
	.op = op_userns_open_tree_clone, .userns = true,
	.ev_op = CTGUARD_MOUNT_OP_OPEN_TREE,
};
/* clang-format on */

FIXTURE_SETUP(mount)
{
	ASSERT_TRUE(ctg_cgroup2_mounted());
	ASSERT_EQ(0, ctg_nl_open(&self->nl))
		TH_LOG("cannot reach the ctguard family: is the module loaded?");
	ASSERT_EQ(0, ctg_ev_open(&self->ev));
	ASSERT_EQ(0, ctg_cg_create(&self->cg));

	snprintf(dir, sizeof(dir), "/tmp/ctg-mount-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(dir_a, sizeof(dir_a), "%s/a", dir);
	snprintf(dir_b, sizeof(dir_b), "%s/b", dir);
	snprintf(dir_m, sizeof(dir_m), "%s/m", dir);
	snprintf(dir_old, sizeof(dir_old), "%s/old", dir);
}

FIXTURE_TEARDOWN(mount)
{
	EXPECT_EQ(0, ctg_cg_destroy(&self->nl, self->cg.path));
	if (dir[0])
		rmdir(dir);
	ctg_nl_close(&self->ev);
	ctg_nl_close(&self->nl);
}

/* In the child: the operation, after a user+mount namespace if asked. */
static long run_op(void *arg)
{
	const FIXTURE_VARIANT(mount) *v = arg;

	if (v->userns) {
		STEP(1);
		if (ctg_enter_userns(CLONE_NEWNS))
			return -1;
	}
	STEP(2);
	return v->op();
}

TEST_F(mount, op)
{
	struct ctg_stats st;
	struct ctg_event ev;
	struct ctg_res res;

	/* Unconfined, in the same (untagged) cgroup: it works. */
	ASSERT_EQ(0, ctg_run(self->cg.path, prepare, run_op, (void *)variant,
			     &res));
	ASSERT_RES(res, 2, 0);

	/* Enforce: EPERM, reported with the operation. */
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->cg.id,
					   CTGUARD_CLASS_MOUNT, 0,
					   CTGUARD_MODE_ENFORCE));
	ASSERT_EQ(0, ctg_run(self->cg.path, prepare, run_op, (void *)variant,
			     &res));
	if (variant->allowed) {
		ASSERT_RES(res, 2, 0);
		ASSERT_NL_OK(&self->nl, ctg_get_stats(&self->nl, self->cg.id,
						      &st));
		ASSERT_EQ(0u, st.denied);
		return;
	}
	ASSERT_RES(res, 2, EPERM);
	ASSERT_EQ(0, ctg_ev_wait_pid(&self->ev, &ev, res.pid,
				     CTGUARD_CLASS_MOUNT, 5000))
		TH_LOG("no mount event for pid %d: %s", res.pid,
		       self->ev.bad_reply);
	EXPECT_EQ(CTGUARD_VERDICT_DENIED, ev.verdict);
	EXPECT_EQ(self->cg.id, ev.cgid);
	EXPECT_EQ(self->cg.id, ev.policy_cgid);
	if (variant->ev_op != 0xff) {
		EXPECT_TRUE(ev.has_mount_op);
		EXPECT_EQ(variant->ev_op, ev.mount_op);
	}
	if (variant->fstype) {
		EXPECT_TRUE(ev.has_fstype);
		EXPECT_STREQ(variant->fstype, ev.fstype);
	}
	if (variant->check_flags) {
		EXPECT_EQ(variant->flags != 0, ev.has_mount_flags);
		EXPECT_EQ(variant->flags, ev.mount_flags);
	}
	ASSERT_NL_OK(&self->nl, ctg_get_stats(&self->nl, self->cg.id, &st));
	EXPECT_EQ(1u, st.denied);
	EXPECT_EQ(0u, st.complained);

	/* Complain: it works again, and is reported as such. */
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->cg.id,
					   CTGUARD_CLASS_MOUNT, 0,
					   CTGUARD_MODE_COMPLAIN));
	ASSERT_EQ(0, ctg_run(self->cg.path, prepare, run_op, (void *)variant,
			     &res));
	ASSERT_RES(res, 2, 0);
	ASSERT_EQ(0, ctg_ev_wait_pid(&self->ev, &ev, res.pid,
				     CTGUARD_CLASS_MOUNT, 5000));
	EXPECT_EQ(CTGUARD_VERDICT_COMPLAINED, ev.verdict);
	ASSERT_NL_OK(&self->nl, ctg_get_stats(&self->nl, self->cg.id, &st));
	EXPECT_EQ(1u, st.denied);
	EXPECT_EQ(variant->complaints ?: 1u, st.complained);

	/* Untagged again: it works, nothing is counted. */
	ASSERT_NL_OK(&self->nl, ctg_del(&self->nl, self->cg.id));
	ASSERT_EQ(0, ctg_run(self->cg.path, prepare, run_op, (void *)variant,
			     &res));
	ASSERT_RES(res, 2, 0);
}

/*
 * A policy that denies other classes leaves mounts alone: the hook must
 * look at the class, not only at the presence of a policy.
 */
TEST_F(mount, other_classes_denied)
{
	struct ctg_res res;

	ASSERT_NL_OK(&self->nl,
		     ctg_policy(&self->nl, self->cg.id,
				__CTGUARD_CLASS_ALL & ~CTGUARD_CLASS_MOUNT &
					~(variant->userns ? CTGUARD_CLASS_USERNS : 0),
				0, CTGUARD_MODE_ENFORCE));
	ASSERT_EQ(0, ctg_run(self->cg.path, prepare, run_op, (void *)variant,
			     &res));
	ASSERT_RES(res, 2, 0);
}

TEST_HARNESS_MAIN
