// SPDX-License-Identifier: GPL-2.0
/*
 * Self-protection. A confined task may only move tasks to cgroups that stay
 * under every tagged cgroup above it: their effective policy then contains
 * its own (policies only add up going down), so it cannot escape. Both
 * migration routes are covered: writes to cgroup.procs/cgroup.threads (v2
 * and v1 both end in cgroup_attach_task()) and clone3(CLONE_INTO_CGROUP)
 * (cgroup_can_fork()). It may not unload the module either. These refusals
 * hold in complain mode too.
 */

#include <linux/cgroup.h>
#include <linux/nsproxy.h>
#include <linux/sched/task.h>

#include "hooks.h"
#include "policy.h"
#include "report.h"
#include "rules.h"

/*
 * Find the policy that forbids current to move a task to @dst (NULL for
 * "any move", as for unloading): the first tagged cgroup above current
 * that does not contain @dst. Self-protection ignores complain mode: a
 * policy being audited must not be one the task can step out of.
 */
static bool ctg_escape_match(struct cgroup *dst, struct ctg_match *m)
{
	struct cgroup *cgrp = task_dfl_cgroup(current);
	struct ctg_policy *p;

	m->policy = NULL;
	m->cgrp = cgrp;
	for (; cgroup_parent(cgrp); cgrp = cgroup_parent(cgrp)) {
		p = ctg_policy_find(cgrp);
		if (likely(!p) || READ_ONCE(p->pending) ||
		    (dst && cgroup_is_descendant(dst, cgrp)))
			continue;
		m->policy = p;
		break;
	}
	return m->policy;
}

static bool ctg_escape_decide(struct cgroup *dst)
{
	struct ctg_match m;
	bool deny = false;

	rcu_read_lock();
	if (ctg_escape_match(dst, &m)) {
		struct ctg_event ev = { .class = CTGUARD_CLASS_CGROUP };

		ev.cgroup.target_cgid = dst ? cgroup_id(dst) : 0;
		deny = ctg_report(&m, &ev, CTG_REPORT_ENFORCE);
	}
	rcu_read_unlock();
	return deny;
}

/* cgroup_attach_task(dst_cgrp, leader, threadgroup) */
static bool ctg_check_attach_task(struct pt_regs *regs)
{
	struct cgroup *dst = (struct cgroup *)regs->di;

	/* v1 hierarchies do not change the cgroup our policies key on. */
	if (dst->root != &cgrp_dfl_root)
		return false;
	/* Fail closed: a cgroup a rule matches is not entered unconfined. */
	return ctg_escape_decide(dst) || ctg_rules_unconfined_match(dst);
}

/* cgroup_can_fork(child, kargs) */
static bool ctg_check_can_fork(struct pt_regs *regs)
{
	const struct kernel_clone_args *kargs =
		(const struct kernel_clone_args *)regs->si;
	struct cgroup *dst;
	bool deny;

	if (!(kargs->flags & CLONE_INTO_CGROUP))
		return false;
	dst = cgroup_get_from_fd(kargs->cgroup);
	/* Not a cgroup2 directory: cgroup_can_fork() itself will refuse. */
	if (IS_ERR(dst))
		return false;
	deny = ctg_escape_decide(dst) || ctg_rules_unconfined_match(dst);
	cgroup_put(dst);
	return deny;
}

static bool ctg_check_delete_module(struct pt_regs *regs)
{
	return ctg_escape_decide(NULL);
}

/*
 * security_bprm_committed_creds(bprm): the new program is committed and
 * about to run. Never refuses; puts CTGUARD_F_ON_EXEC policies in force
 * when the exec happens outside the initial mount namespace, that is once
 * the runtime has built the container's own: runtimes exec themselves
 * inside the cgroup before that (runc's init re-executes a sealed copy of
 * its binary), and must still be able to mount and pivot_root.
 */
static bool ctg_check_exec(struct pt_regs *regs)
{
	if (current->nsproxy->mnt_ns == init_task.nsproxy->mnt_ns)
		return false;
	rcu_read_lock();
	ctg_policy_exec(task_dfl_cgroup(current));
	rcu_read_unlock();
	return false;
}

CTG_DEFINE_HANDLER(ctg_check_exec)
CTG_DEFINE_HANDLER(ctg_check_attach_task)
CTG_DEFINE_HANDLER(ctg_check_can_fork)
CTG_DEFINE_HANDLER(ctg_check_delete_module)

struct ctg_hook ctg_cgroup_hooks[] = {
	CTG_HOOK("cgroup_attach_task", CTGUARD_CLASS_CGROUP,
		 ctg_check_attach_task),
	CTG_HOOK("cgroup_can_fork", CTGUARD_CLASS_CGROUP, ctg_check_can_fork),
	CTG_HOOK("security_bprm_committed_creds", CTGUARD_CLASS_CGROUP,
		 ctg_check_exec),
	CTG_HOOK("__x64_sys_delete_module", CTGUARD_CLASS_CGROUP,
		 ctg_check_delete_module),
	CTG_HOOK_OPTIONAL("__ia32_sys_delete_module", CTGUARD_CLASS_CGROUP,
			  ctg_check_delete_module),
	{ }
};
