// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel log: syslog(2), /proc/kmsg (on open and on every read) and opening
 * /dev/kmsg for reading all end in security_syslog(). Writing to /dev/kmsg
 * does not, and stays allowed.
 */

#include <linux/syslog.h>

#include "hooks.h"
#include "policy.h"
#include "report.h"

static bool ctg_dmesg_denies(const struct ctg_policy *p, const void *arg)
{
	return p->deny & CTGUARD_CLASS_DMESG;
}

/* security_syslog(type) */
static bool ctg_check_syslog(struct pt_regs *regs)
{
	int action = regs->di;
	struct ctg_match m;
	bool deny = false;

	/* Closing /proc/kmsg gives nothing away; its result is ignored. */
	if (action == SYSLOG_ACTION_CLOSE)
		return false;
	rcu_read_lock();
	if (ctg_evaluate(ctg_dmesg_denies, NULL, &m)) {
		struct ctg_event ev = { .class = CTGUARD_CLASS_DMESG };

		ev.syslog.action = action;
		deny = ctg_report(&m, &ev, 0);
	}
	rcu_read_unlock();
	return deny;
}

CTG_DEFINE_HANDLER(ctg_check_syslog)

struct ctg_hook ctg_syslog_hooks[] = {
	CTG_HOOK("security_syslog", CTGUARD_CLASS_DMESG, ctg_check_syslog),
	{ }
};
