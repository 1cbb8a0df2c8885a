// SPDX-License-Identifier: GPL-2.0
/*
 * Capabilities: security_capable() sees every capability check, in every
 * user namespace, so a denied capability is refused even to "root" inside a
 * user namespace the task created.
 */

#include <linux/cred.h>
#include <linux/security.h>
#include <linux/sched.h>

#include "hooks.h"
#include "policy.h"
#include "report.h"

static bool ctg_cap_denies(const struct ctg_policy *p, const void *arg)
{
	unsigned int cap = *(const unsigned int *)arg;

	return p->deny_caps & BIT_ULL(cap);
}

/* security_capable(cred, user_ns, cap, opts) */
static bool ctg_check_capable(struct pt_regs *regs)
{
	const struct cred *cred = (const struct cred *)regs->di;
	unsigned int cap = regs->dx;
	unsigned int opts = regs->cx;
	struct ctg_match m;
	bool deny = false;

	if (!in_task() || cap > CAP_LAST_CAP)
		return false;
	/*
	 * Judge the task's own credentials. Credentials the kernel substitutes
	 * for its own work (overlayfs copy-up acting as the mounter) are not
	 * the task's privileges; io_uring workers act for their task.
	 */
	if (cred != rcu_access_pointer(current->real_cred) &&
	    !(current->flags & PF_IO_WORKER))
		return false;

	rcu_read_lock();
	if (ctg_evaluate(ctg_cap_denies, &cap, &m)) {
		/* Built only to report: the common path skips zeroing it. */
		struct ctg_event ev = { .class = CTGUARD_CLASS_CAP };

		ev.cap.cap = cap;
		deny = ctg_report(&m, &ev, (opts & CAP_OPT_NOAUDIT) ?
				  CTG_REPORT_QUIET : 0);
	}
	rcu_read_unlock();
	return deny;
}

CTG_DEFINE_HANDLER(ctg_check_capable)

struct ctg_hook ctg_cap_hooks[] = {
	CTG_HOOK("security_capable", CTGUARD_CLASS_CAP, ctg_check_capable),
	{ }
};
