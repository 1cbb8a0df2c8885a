// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only module of the test bench, never loaded outside the test VM.
 * Its init triggers one kernel WARNING, so that selftests/vm/self-test can
 * prove that selftests/vm/run fails a run whose kernel log shows one, even
 * when the command itself succeeds. With fail=1 it refuses to load instead
 * (no warning), to prove that a failed insmod fails the run.
 */
#include <linux/bug.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

static bool fail;
module_param(fail, bool, 0444);
MODULE_PARM_DESC(fail, "refuse to load (-EINVAL) instead of warning");

static int __init ctguard_vm_warn_init(void)
{
	if (fail)
		return -EINVAL;
	WARN(1, "ctguard_vm_warn: deliberate warning for the bench self-test\n");
	return 0;
}

static void __exit ctguard_vm_warn_exit(void)
{
}

module_init(ctguard_vm_warn_init);
module_exit(ctguard_vm_warn_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ctguard test bench: WARN at load");
