// SPDX-License-Identifier: GPL-2.0
/*
 * Device nodes. Creation: mknod(2)/mknodat(2) reach security_path_mknod()
 * with the type in the mode, so FIFOs, sockets and regular files pass
 * straight through. Use: every open of a character device goes through
 * chrdev_open() and of a block device through blkdev_open() before the
 * driver sees it; regular files never reach either, so they pay nothing.
 */

#include <linux/fs.h>
#include <linux/kdev_t.h>

#include "hooks.h"
#include "policy.h"
#include "report.h"

struct ctg_dev_access {
	u8 type;	/* enum ctguard_dev_type */
	u8 access;	/* enum ctguard_dev_access */
	u32 major, minor;
};

/* mknod: refused outright by the mknod class, or unless allowlisted. */
static bool ctg_mknod_denies(const struct ctg_policy *p, const void *arg)
{
	const struct ctg_dev_access *a = arg;

	if (p->deny & CTGUARD_CLASS_MKNOD)
		return true;
	return (p->deny & CTGUARD_CLASS_DEVICES) &&
	       !ctg_dev_allowed(p, a->type, a->major, a->minor, a->access);
}

static bool ctg_open_denies(const struct ctg_policy *p, const void *arg)
{
	const struct ctg_dev_access *a = arg;

	return (p->deny & CTGUARD_CLASS_DEVICES) &&
	       !ctg_dev_allowed(p, a->type, a->major, a->minor, a->access);
}

static bool ctg_dev_decide(bool (*denies)(const struct ctg_policy *,
					  const void *),
			   const struct ctg_dev_access *a)
{
	struct ctg_match m;
	bool deny = false;

	rcu_read_lock();
	if (ctg_evaluate(denies, a, &m)) {
		struct ctg_event ev = { 0 };

		/* Name the class that refused: mknod wins when it is denied. */
		ev.class = (denies == ctg_mknod_denies &&
			    (m.policy->deny & CTGUARD_CLASS_MKNOD)) ?
			   CTGUARD_CLASS_MKNOD : CTGUARD_CLASS_DEVICES;
		ev.dev.type = a->type;
		ev.dev.access = a->access;
		ev.dev.major = a->major;
		ev.dev.minor = a->minor;
		deny = ctg_report(&m, &ev, 0);
	}
	rcu_read_unlock();
	return deny;
}

/* security_path_mknod(dir, dentry, mode, dev); dev is still user-encoded. */
static bool ctg_check_path_mknod(struct pt_regs *regs)
{
	umode_t mode = regs->dx;
	dev_t dev = new_decode_dev(regs->cx);
	struct ctg_dev_access a = {
		.access = CTGUARD_DEV_MKNOD,
		.major = MAJOR(dev),
		.minor = MINOR(dev),
	};

	if (S_ISCHR(mode))
		a.type = CTGUARD_DEV_CHAR;
	else if (S_ISBLK(mode))
		a.type = CTGUARD_DEV_BLOCK;
	else
		return false;
	return ctg_dev_decide(ctg_mknod_denies, &a);
}

static bool ctg_dev_open_decide(struct pt_regs *regs, u8 type)
{
	const struct inode *inode = (const struct inode *)regs->di;
	const struct file *file = (const struct file *)regs->si;
	struct ctg_dev_access a = {
		.type = type,
		.major = MAJOR(inode->i_rdev),
		.minor = MINOR(inode->i_rdev),
	};

	if (file->f_mode & FMODE_READ)
		a.access |= CTGUARD_DEV_READ;
	if (file->f_mode & FMODE_WRITE)
		a.access |= CTGUARD_DEV_WRITE;
	return ctg_dev_decide(ctg_open_denies, &a);
}

/* chrdev_open(inode, filp) */
static bool ctg_check_chrdev_open(struct pt_regs *regs)
{
	return ctg_dev_open_decide(regs, CTGUARD_DEV_CHAR);
}

/* blkdev_open(inode, filp) */
static bool ctg_check_blkdev_open(struct pt_regs *regs)
{
	return ctg_dev_open_decide(regs, CTGUARD_DEV_BLOCK);
}

CTG_DEFINE_HANDLER(ctg_check_path_mknod)
CTG_DEFINE_HANDLER(ctg_check_chrdev_open)
CTG_DEFINE_HANDLER(ctg_check_blkdev_open)

struct ctg_hook ctg_dev_hooks[] = {
	CTG_HOOK("security_path_mknod", CTGUARD_CLASS_MKNOD,
		 ctg_check_path_mknod),
	CTG_HOOK("chrdev_open", CTGUARD_CLASS_DEVICES, ctg_check_chrdev_open),
	CTG_HOOK("blkdev_open", CTGUARD_CLASS_DEVICES, ctg_check_blkdev_open),
	{ }
};
