// SPDX-License-Identifier: GPL-2.0
/*
 * Mounts: mount(2) in all its forms reaches security_sb_mount(), umount2(2)
 * security_sb_umount(), pivot_root(2) security_sb_pivotroot() and
 * move_mount(2) security_move_mount(). The rest of the new mount API has no
 * LSM hook that only it reaches (fsconfig's security_sb_kern_mount() also
 * serves the kernel's own automounts), so those syscalls are refused at
 * their entry: without fsopen/fspick no filesystem context exists, and
 * fsconfig's create/reconfigure commands, fsmount, open_tree(OPEN_TREE_CLONE)
 * and mount_setattr are refused too in case a context or a detached tree was
 * handed in from outside.
 */

#include <linux/mount.h>
#include <linux/uaccess.h>
#include <uapi/linux/mount.h>

#include "hooks.h"
#include "policy.h"
#include "report.h"

static bool ctg_mount_denies(const struct ctg_policy *p, const void *arg)
{
	return p->deny & CTGUARD_CLASS_MOUNT;
}

static bool ctg_mount_decide(u8 op, const char *fstype, u64 flags)
{
	struct ctg_match m;
	bool deny = false;

	rcu_read_lock();
	if (ctg_evaluate(ctg_mount_denies, NULL, &m)) {
		struct ctg_event ev = { .class = CTGUARD_CLASS_MOUNT };

		ev.mount.op = op;
		ev.mount.flags = flags;
		if (fstype)
			ctg_sanitize(ev.mount.fstype, fstype,
				     sizeof(ev.mount.fstype));
		deny = ctg_report(&m, &ev, 0);
	}
	rcu_read_unlock();
	return deny;
}

/* security_sb_mount(dev_name, path, type, flags, data) */
static bool ctg_check_sb_mount(struct pt_regs *regs)
{
	return ctg_mount_decide(CTGUARD_MOUNT_OP_MOUNT,
				(const char *)regs->dx, regs->cx);
}

/* security_sb_umount(mnt, flags) */
static bool ctg_check_sb_umount(struct pt_regs *regs)
{
	const struct vfsmount *mnt = (const struct vfsmount *)regs->di;

	return ctg_mount_decide(CTGUARD_MOUNT_OP_UMOUNT,
				mnt->mnt_sb->s_type->name, regs->si);
}

static bool ctg_check_pivotroot(struct pt_regs *regs)
{
	return ctg_mount_decide(CTGUARD_MOUNT_OP_PIVOT_ROOT, NULL, 0);
}

static bool ctg_check_move_mount(struct pt_regs *regs)
{
	return ctg_mount_decide(CTGUARD_MOUNT_OP_MOVE_MOUNT, NULL, 0);
}

/* fsopen(fs_name, flags): name the filesystem in the report when we can. */
static bool ctg_fsopen_decide(unsigned long uname, u64 flags)
{
	char name[CTG_FSTYPE_LEN];

	/* A short name near the end of a mapping is not worth a fault. */
	if (copy_from_user_nofault(name, (const void __user *)uname,
				   sizeof(name)))
		name[0] = '\0';
	name[sizeof(name) - 1] = '\0';
	return ctg_mount_decide(CTGUARD_MOUNT_OP_FSOPEN, name, flags);
}

static bool ctg_check_x64_fsopen(struct pt_regs *regs)
{
	const struct pt_regs *u = ctg_syscall_regs(regs);

	return ctg_fsopen_decide(u->di, u->si);
}

static bool ctg_check_ia32_fsopen(struct pt_regs *regs)
{
	const struct pt_regs *u = ctg_syscall_regs(regs);

	return ctg_fsopen_decide(u->bx, u->cx);
}

static bool ctg_check_fspick(struct pt_regs *regs)
{
	return ctg_mount_decide(CTGUARD_MOUNT_OP_FSPICK, NULL, 0);
}

static bool ctg_check_fsmount(struct pt_regs *regs)
{
	return ctg_mount_decide(CTGUARD_MOUNT_OP_FSMOUNT, NULL, 0);
}

/*
 * open_tree(dfd, path, flags): only OPEN_TREE_CLONE makes a mount; without
 * it the call is an O_PATH open. flags is the third argument, %dx in both
 * the 64-bit and the ia32 calling conventions.
 */
static bool ctg_check_open_tree(struct pt_regs *regs)
{
	const struct pt_regs *u = ctg_syscall_regs(regs);
	unsigned int flags = u->dx;

	if (!(flags & OPEN_TREE_CLONE))
		return false;
	return ctg_mount_decide(CTGUARD_MOUNT_OP_OPEN_TREE, NULL, flags);
}

/*
 * fsconfig(fd, cmd, key, value, aux): setting parameters changes nothing;
 * the create and reconfigure commands make or change a superblock, which
 * a context handed in from outside would otherwise allow.
 */
static bool ctg_fsconfig_decide(unsigned int cmd)
{
	if (cmd < FSCONFIG_CMD_CREATE)
		return false;
	return ctg_mount_decide(CTGUARD_MOUNT_OP_FSCONFIG, NULL, cmd);
}

static bool ctg_check_x64_fsconfig(struct pt_regs *regs)
{
	return ctg_fsconfig_decide(ctg_syscall_regs(regs)->si);
}

static bool ctg_check_ia32_fsconfig(struct pt_regs *regs)
{
	return ctg_fsconfig_decide(ctg_syscall_regs(regs)->cx);
}

static bool ctg_check_mount_setattr(struct pt_regs *regs)
{
	return ctg_mount_decide(CTGUARD_MOUNT_OP_MOUNT_SETATTR, NULL, 0);
}

CTG_DEFINE_HANDLER(ctg_check_sb_mount)
CTG_DEFINE_HANDLER(ctg_check_sb_umount)
CTG_DEFINE_HANDLER(ctg_check_pivotroot)
CTG_DEFINE_HANDLER(ctg_check_move_mount)
CTG_DEFINE_HANDLER(ctg_check_x64_fsopen)
CTG_DEFINE_HANDLER(ctg_check_fspick)
CTG_DEFINE_HANDLER(ctg_check_x64_fsconfig)
CTG_DEFINE_HANDLER(ctg_check_fsmount)
CTG_DEFINE_HANDLER(ctg_check_open_tree)
CTG_DEFINE_HANDLER(ctg_check_mount_setattr)
CTG_DEFINE_HANDLER(ctg_check_ia32_fsopen)
CTG_DEFINE_HANDLER(ctg_check_ia32_fsconfig)

struct ctg_hook ctg_mount_hooks[] = {
	CTG_HOOK("security_sb_mount", CTGUARD_CLASS_MOUNT, ctg_check_sb_mount),
	CTG_HOOK("security_sb_umount", CTGUARD_CLASS_MOUNT, ctg_check_sb_umount),
	CTG_HOOK("security_sb_pivotroot", CTGUARD_CLASS_MOUNT,
		 ctg_check_pivotroot),
	CTG_HOOK("security_move_mount", CTGUARD_CLASS_MOUNT,
		 ctg_check_move_mount),
	CTG_HOOK("__x64_sys_fsopen", CTGUARD_CLASS_MOUNT, ctg_check_x64_fsopen),
	CTG_HOOK("__x64_sys_fspick", CTGUARD_CLASS_MOUNT, ctg_check_fspick),
	CTG_HOOK("__x64_sys_fsconfig", CTGUARD_CLASS_MOUNT,
		 ctg_check_x64_fsconfig),
	CTG_HOOK("__x64_sys_fsmount", CTGUARD_CLASS_MOUNT, ctg_check_fsmount),
	CTG_HOOK("__x64_sys_open_tree", CTGUARD_CLASS_MOUNT,
		 ctg_check_open_tree),
	CTG_HOOK("__x64_sys_mount_setattr", CTGUARD_CLASS_MOUNT,
		 ctg_check_mount_setattr),
	CTG_HOOK_OPTIONAL("__ia32_sys_fsopen", CTGUARD_CLASS_MOUNT,
			  ctg_check_ia32_fsopen),
	CTG_HOOK_OPTIONAL("__ia32_sys_fspick", CTGUARD_CLASS_MOUNT,
			  ctg_check_fspick),
	CTG_HOOK_OPTIONAL("__ia32_sys_fsconfig", CTGUARD_CLASS_MOUNT,
			  ctg_check_ia32_fsconfig),
	CTG_HOOK_OPTIONAL("__ia32_sys_fsmount", CTGUARD_CLASS_MOUNT,
			  ctg_check_fsmount),
	CTG_HOOK_OPTIONAL("__ia32_sys_open_tree", CTGUARD_CLASS_MOUNT,
			  ctg_check_open_tree),
	CTG_HOOK_OPTIONAL("__ia32_sys_mount_setattr", CTGUARD_CLASS_MOUNT,
			  ctg_check_mount_setattr),
	{ }
};
