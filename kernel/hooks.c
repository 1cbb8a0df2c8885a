// SPDX-License-Identifier: GPL-2.0
/*
 * Probe management: every hook is an ftrace_ops with SAVE_REGS|IPMODIFY on
 * the entry of one kernel function, the way livepatch redirects functions.
 * A probe is registered only while some policy needs its class, so hosts
 * without policies pay nothing.
 */

#include <linux/ftrace.h>
#include <linux/kallsyms.h>
#include <linux/mutex.h>
#include <net/genetlink.h>

#include <uapi/linux/ctguard.h>

#include "hooks.h"

static struct ctg_hook *const ctg_hook_tables[] = {
	ctg_cap_hooks, ctg_mount_hooks, ctg_net_hooks, ctg_syslog_hooks,
	ctg_dev_hooks, ctg_userns_hooks, ctg_cgroup_hooks,
};

#define for_each_hook(h, t)						\
	for (t = 0; t < ARRAY_SIZE(ctg_hook_tables); t++)		\
		for (h = ctg_hook_tables[t]; h->func; h++)

static bool ctg_partial;

/*
 * Where a refused call resumes: it returns to the hooked function's caller
 * with -EPERM in %rax. Returning long keeps the sign in the upper half for
 * syscall entries, and int callers read only %eax.
 */
noinline long ctg_deny_stub(void)
{
	return -EPERM;
}

static int ctg_hook_arm(struct ctg_hook *hook)
{
	int err;

	err = register_ftrace_function(&hook->ops);
	if (err) {
		/* EBUSY: another IPMODIFY user, such as a livepatch, owns it. */
		pr_err("cannot arm probe on %s: %s%d\n", hook->func,
		       err == -EBUSY ? "owned by another IPMODIFY user, " : "",
		       err);
		return err;
	}
	hook->state = CTGUARD_HOOK_ARMED;
	return 0;
}

static void ctg_hook_disarm(struct ctg_hook *hook)
{
	int err = unregister_ftrace_function(&hook->ops);

	if (err)
		pr_err("cannot disarm probe on %s: %d\n", hook->func, err);
	hook->state = CTGUARD_HOOK_DISARMED;
}

static bool ctg_hook_wanted(const struct ctg_hook *hook, u32 needed)
{
	return hook->present && (hook->class & needed);
}

/**
 * ctg_hooks_sync() - arm exactly the probes that @needed classes use
 * @needed: mask of enum ctguard_class bits
 * @previous: the mask of the last successful call
 *
 * Called with the policy mutex held. Arms first and disarms last so that a
 * caller that publishes a policy after a successful return is enforced from
 * its first check. On failure the probes are back to what @previous needs.
 */
int ctg_hooks_sync(u32 needed, u32 previous)
{
	struct ctg_hook *hook;
	unsigned int t;
	int err = 0;

	for_each_hook(hook, t) {
		if (!ctg_hook_wanted(hook, needed) ||
		    hook->state == CTGUARD_HOOK_ARMED)
			continue;
		err = ctg_hook_arm(hook);
		if (err) {
			needed = previous;
			break;
		}
	}
	for_each_hook(hook, t) {
		if (hook->state == CTGUARD_HOOK_ARMED &&
		    !ctg_hook_wanted(hook, needed))
			ctg_hook_disarm(hook);
	}
	return err;
}

bool ctg_hooks_partial(void)
{
	return ctg_partial;
}

/*
 * Resolve every probe's function once at load time: a missing required
 * function means this kernel cannot be protected, so the load fails and
 * says which one, unless allow_partial lets the administrator accept it.
 */
int ctg_hooks_init(bool allow_partial)
{
	struct ctg_hook *hook;
	unsigned int t;
	int err;

	for_each_hook(hook, t) {
		hook->hits = alloc_percpu(u64);
		if (!hook->hits) {
			err = -ENOMEM;
			goto err_free;
		}
		hook->ops.func = hook->handler;
		hook->ops.flags = FTRACE_OPS_FL_SAVE_REGS |
				  FTRACE_OPS_FL_IPMODIFY;
		err = ftrace_set_filter(&hook->ops, (unsigned char *)hook->func,
					strlen(hook->func), 0);
		if (!err) {
			hook->present = true;
			hook->state = CTGUARD_HOOK_DISARMED;
			continue;
		}
		hook->state = CTGUARD_HOOK_UNAVAILABLE;
		if (hook->optional)
			continue;
		if (!allow_partial) {
			pr_err("required probe point %s not found (%d); refusing to load (allow_partial=1 overrides)\n",
			       hook->func, err);
			goto err_free;
		}
		pr_warn("probe point %s not found (%d); its class is NOT enforced\n",
			hook->func, err);
		ctg_partial = true;
	}
	return 0;

err_free:
	ctg_hooks_exit();
	return err;
}

/* Called after every probe is disarmed, or on a failed init. */
void ctg_hooks_exit(void)
{
	struct ctg_hook *hook;
	unsigned int t;

	for_each_hook(hook, t) {
		if (hook->state == CTGUARD_HOOK_ARMED)
			ctg_hook_disarm(hook);
		if (hook->present)
			ftrace_free_filter(&hook->ops);
		hook->present = false;
		free_percpu(hook->hits);
		hook->hits = NULL;
	}
}

static u64 ctg_hook_hits(const struct ctg_hook *hook)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *per_cpu_ptr(hook->hits, cpu);
	return sum;
}

/* Status reply: one CTGUARD_A_HOOKS nest with a nest per probe. */
int ctg_hooks_fill(struct sk_buff *skb)
{
	struct nlattr *hooks, *nest;
	struct ctg_hook *hook;
	unsigned int t;

	hooks = nla_nest_start(skb, CTGUARD_A_HOOKS);
	if (!hooks)
		return -EMSGSIZE;
	for_each_hook(hook, t) {
		if (hook->optional && !hook->present)
			continue;
		nest = nla_nest_start(skb, 0);
		if (!nest ||
		    nla_put_string(skb, CTGUARD_A_HOOK_NAME, hook->func) ||
		    nla_put_u32(skb, CTGUARD_A_HOOK_CLASS,
				hook->class) ||
		    nla_put_u8(skb, CTGUARD_A_HOOK_STATE, hook->state) ||
		    nla_put_u64_64bit(skb, CTGUARD_A_HOOK_HITS,
				      hook->hits ? ctg_hook_hits(hook) : 0,
				      CTGUARD_A_HOOK_PAD) ||
		    nla_put_u64_64bit(skb, CTGUARD_A_HOOK_MISSED,
				      atomic64_read(&hook->missed),
				      CTGUARD_A_HOOK_PAD))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	nla_nest_end(skb, hooks);
	return 0;
}
