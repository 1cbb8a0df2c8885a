// SPDX-License-Identifier: GPL-2.0
/*
 * ctguard: confine containers by their cgroup v2 cgroup. See docs/design.md.
 */

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <net/genetlink.h>

#include <uapi/linux/ctguard.h>

#include "hooks.h"
#include "netlink.h"
#include "policy.h"
#include "report.h"
#include "rules.h"

#ifndef CONFIG_X86_64
#error "ctguard reads hooked functions' arguments from x86-64 registers"
#endif

unsigned int ctg_max_policies = 262144;
module_param_named(max_policies, ctg_max_policies, uint, 0444);
MODULE_PARM_DESC(max_policies, "Most cgroups that can carry a policy (default 262144)");

unsigned int ctg_max_dev_rules = 128;
module_param_named(max_dev_rules, ctg_max_dev_rules, uint, 0444);
MODULE_PARM_DESC(max_dev_rules, "Most device rules in one policy (default 128)");

static bool ctg_allow_partial;
module_param_named(allow_partial, ctg_allow_partial, bool, 0444);
MODULE_PARM_DESC(allow_partial, "Load even if some probe points are missing; status reports it (default off)");

static int __init ctg_init(void)
{
	int err;

	if (ctg_max_dev_rules > 4096) {
		pr_err("max_dev_rules=%u is above 4096\n", ctg_max_dev_rules);
		return -EINVAL;
	}
	err = ctg_policy_init();
	if (err)
		return err;
	err = ctg_report_init();
	if (err)
		goto err_policy;
	err = ctg_hooks_init(ctg_allow_partial);
	if (err)
		goto err_report;
	err = ctg_rules_init();
	if (err)
		goto err_hooks;
	err = ctg_netlink_init();
	if (err)
		goto err_rules;
	pr_info("version %s loaded%s\n", CTGUARD_VERSION,
		ctg_hooks_partial() ? " with some probes unavailable" : "");
	return 0;

err_rules:
	ctg_rules_exit();
err_hooks:
	ctg_hooks_exit();
err_report:
	ctg_report_exit();
err_policy:
	ctg_policy_exit();
	return err;
}

static void __exit ctg_exit(void)
{
	/* No more requests, then no more probes, then free what they used. */
	ctg_netlink_exit();
	ctg_rules_exit();
	ctg_hooks_exit();
	ctg_report_exit();
	ctg_policy_exit();
	pr_info("unloaded\n");
}

module_init(ctg_init);
module_exit(ctg_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Confine containers by cgroup: capabilities, mounts, raw sockets, kernel log, devices");
MODULE_AUTHOR("ctguard developers");
MODULE_VERSION(CTGUARD_VERSION);
MODULE_ALIAS_GENL_FAMILY(CTGUARD_GENL_NAME);
