// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only module, never loaded outside the test VM: it plays "another
 * IPMODIFY ftrace user" (what a livepatch is) on one function, so that the
 * selftests can check that ctguard refuses to load, or to arm a probe, when
 * someone else already owns the function. Its callback changes nothing.
 */
#include <linux/ftrace.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

static char *func = "security_syslog";
module_param(func, charp, 0444);
MODULE_PARM_DESC(func, "function to own (default security_syslog)");

static void notrace rival_callback(unsigned long ip, unsigned long parent_ip,
				   struct ftrace_ops *ops,
				   struct ftrace_regs *fregs)
{
}

static struct ftrace_ops rival_ops = {
	.func = rival_callback,
	.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_IPMODIFY,
};

static int __init rival_init(void)
{
	int err;

	err = ftrace_set_filter(&rival_ops, (unsigned char *)func,
				strlen(func), 0);
	if (err)
		return err;
	err = register_ftrace_function(&rival_ops);
	if (err)
		ftrace_free_filter(&rival_ops);
	return err;
}

static void __exit rival_exit(void)
{
	unregister_ftrace_function(&rival_ops);
	ftrace_free_filter(&rival_ops);
}

module_init(rival_init);
module_exit(rival_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ctguard selftests: an IPMODIFY ftrace user on one function");
