// SPDX-License-Identifier: GPL-2.0
/* User namespaces: every creation path calls security_create_user_ns(). */

#include <linux/sched.h>

#include "hooks.h"
#include "policy.h"
#include "report.h"

static bool ctg_userns_denies(const struct ctg_policy *p, const void *arg)
{
	return p->deny & CTGUARD_CLASS_USERNS;
}

static bool ctg_check_create_user_ns(struct pt_regs *regs)
{
	struct ctg_match m;
	bool deny = false;

	rcu_read_lock();
	if (ctg_evaluate(ctg_userns_denies, NULL, &m)) {
		struct ctg_event ev = { .class = CTGUARD_CLASS_USERNS };

		deny = ctg_report(&m, &ev, 0);
	}
	rcu_read_unlock();
	return deny;
}

CTG_DEFINE_HANDLER(ctg_check_create_user_ns)

struct ctg_hook ctg_userns_hooks[] = {
	CTG_HOOK("security_create_user_ns", CTGUARD_CLASS_USERNS,
		 ctg_check_create_user_ns),
	{ }
};
