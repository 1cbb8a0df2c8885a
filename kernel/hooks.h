/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTGUARD_HOOKS_H
#define _CTGUARD_HOOKS_H

#include <linux/ftrace.h>
#include <linux/percpu.h>
#include <linux/ptrace.h>
#include <linux/trace_recursion.h>
#include <linux/types.h>

struct sk_buff;

/*
 * One probe: an ftrace_ops at the entry of one kernel function. The check
 * reads the arguments from the saved registers and returns true to refuse
 * the call; the handler then resumes at ctg_deny_stub() instead, so the
 * function never runs and its caller sees -EPERM.
 */
struct ctg_hook {
	const char *func;
	u32 class;	/* enum ctguard_class bit this probe serves; the
			 * self-protection probes use CTGUARD_CLASS_CGROUP,
			 * needed as soon as any policy exists */
	bool optional;	/* absent on some configurations (ia32 entries) */
	ftrace_func_t handler;	/* ctg_handle() around this probe's check */

	struct ftrace_ops ops;
	u8 state;	/* enum ctguard_hook_state */
	bool present;	/* the function exists and can be probed */
	u64 __percpu *hits;
	atomic64_t missed;
};

long ctg_deny_stub(void);

/*
 * The body of every probe's ftrace callback. Each probe gets its own
 * callback with its check inlined (CTG_HOOK), which spares the hot path an
 * indirect call, a retpoline on most distribution kernels.
 */
static __always_inline void ctg_handle(unsigned long ip,
				       unsigned long parent_ip,
				       struct ftrace_ops *ops,
				       struct ftrace_regs *fregs,
				       bool (*check)(struct pt_regs *regs))
{
	struct ctg_hook *hook = container_of(ops, struct ctg_hook, ops);
	struct pt_regs *regs = ftrace_get_regs(fregs);
	int bit;

	/* Also disables preemption until the unlock. */
	bit = ftrace_test_recursion_trylock(ip, parent_ip);
	if (unlikely(bit < 0)) {
		atomic64_inc(&hook->missed);
		return;
	}
	this_cpu_inc(*hook->hits);
	if (likely(regs) && check(regs))
		instruction_pointer_set(regs, (unsigned long)ctg_deny_stub);
	ftrace_test_recursion_unlock(bit);
}

#define CTG_HANDLER(_check) ctg_handler_##_check
#define CTG_DEFINE_HANDLER(_check)					\
static void notrace CTG_HANDLER(_check)(unsigned long ip,		\
					unsigned long parent_ip,	\
					struct ftrace_ops *ops,		\
					struct ftrace_regs *fregs)	\
{									\
	ctg_handle(ip, parent_ip, ops, fregs, _check);			\
}

#define CTG_HOOK(_func, _class, _check) \
	{ .func = _func, .class = _class, .handler = CTG_HANDLER(_check) }
#define CTG_HOOK_OPTIONAL(_func, _class, _check) \
	{ .func = _func, .class = _class, .handler = CTG_HANDLER(_check), \
	  .optional = true }

/* Hook tables, one per file (hook_*.c). */
extern struct ctg_hook ctg_cap_hooks[];
extern struct ctg_hook ctg_mount_hooks[];
extern struct ctg_hook ctg_net_hooks[];
extern struct ctg_hook ctg_syslog_hooks[];
extern struct ctg_hook ctg_dev_hooks[];
extern struct ctg_hook ctg_userns_hooks[];
extern struct ctg_hook ctg_cgroup_hooks[];

int ctg_hooks_init(bool allow_partial);
void ctg_hooks_exit(void);
int ctg_hooks_sync(u32 needed, u32 previous);
bool ctg_hooks_partial(void);
int ctg_hooks_fill(struct sk_buff *skb);

/*
 * Arguments of an x86-64 syscall entry (__x64_sys_*, __ia32_sys_*): the
 * wrapper receives the user registers as its first argument.
 */
static inline const struct pt_regs *ctg_syscall_regs(struct pt_regs *regs)
{
	return (const struct pt_regs *)regs->di;
}

#endif /* _CTGUARD_HOOKS_H */
