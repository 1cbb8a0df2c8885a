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
#include <linux/workqueue.h>
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
 * Serialises probe (un)registration between policy requests, the deferred
 * disarm and unload. ctg_hooks_needed is what the policies need now; probes
 * beyond it are disarmed later by ctg_disarm_work: unregistering waits for
 * RCU-tasks grace periods (about 0.1 s per probe under emulation, several
 * ms on hardware), which a DEL request should not wait for, and a policy
 * set again soon after finds its probes still armed.
 */
static DEFINE_MUTEX(ctg_hooks_mutex);
static u32 ctg_hooks_needed;
static bool ctg_hooks_dying;

#define CTG_DISARM_DELAY (2 * HZ)
static void ctg_disarm_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(ctg_disarm_work, ctg_disarm_work_fn);

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

/* An armed probe that no policy needs any more, if any. */
static struct ctg_hook *ctg_hook_unneeded(void)
{
	struct ctg_hook *hook;
	unsigned int t;

	for_each_hook(hook, t)
		if (hook->state == CTGUARD_HOOK_ARMED &&
		    !ctg_hook_wanted(hook, ctg_hooks_needed))
			return hook;
	return NULL;
}

/**
 * ctg_hooks_sync() - arm the probes that @needed classes use
 * @needed: mask of enum ctguard_class bits
 * @previous: the mask of the last successful call
 *
 * Called with the policy mutex held. Every probe @needed wants is armed when
 * this returns 0, so a policy published afterwards is enforced from its
 * first check. Probes no longer needed are disarmed by a work item a little
 * later; one needed again before then simply stays armed. On failure the
 * probes are back to what @previous needs.
 */
int ctg_hooks_sync(u32 needed, u32 previous)
{
	struct ctg_hook *hook;
	unsigned int t;
	int err = 0;

	mutex_lock(&ctg_hooks_mutex);
	if (ctg_hooks_dying) {
		err = -ENODEV;
		goto out;
	}
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
	ctg_hooks_needed = needed;
	if (ctg_hook_unneeded())
		mod_delayed_work(system_wq, &ctg_disarm_work, CTG_DISARM_DELAY);
out:
	mutex_unlock(&ctg_hooks_mutex);
	return err;
}

/*
 * One probe per round of the mutex, so that a request that needs a probe
 * again waits for at most one unregistration.
 */
static void ctg_disarm_work_fn(struct work_struct *work)
{
	struct ctg_hook *hook;

	for (;;) {
		mutex_lock(&ctg_hooks_mutex);
		hook = ctg_hooks_dying ? NULL : ctg_hook_unneeded();
		if (hook)
			ctg_hook_disarm(hook);
		mutex_unlock(&ctg_hooks_mutex);
		if (!hook)
			return;
		cond_resched();
	}
}

bool ctg_hooks_partial(void)
{
	return ctg_partial;
}

static void notrace ctg_trial_func(unsigned long ip, unsigned long parent_ip,
				   struct ftrace_ops *ops,
				   struct ftrace_regs *fregs)
{
}

/*
 * Only one ftrace_ops may modify the instruction pointer of a function. If
 * another one (a livepatch, another security module of this kind) owns a
 * probe point, a policy needing it could never be enforced: find out at
 * load time, with one trial registration covering every probe point, which
 * costs a single round of text patching and grace periods.
 */
static struct ftrace_ops ctg_trial_ops = {
	.func = ctg_trial_func,
	.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_IPMODIFY,
};

static int ctg_hooks_trial(bool allow_partial)
{
	struct ftrace_ops *trial = &ctg_trial_ops;
	struct ctg_hook *hook;
	unsigned int t;
	int err = 0, busy = 0;

	for_each_hook(hook, t) {
		if (!hook->present)
			continue;
		err = ftrace_set_filter(trial, (unsigned char *)hook->func,
					strlen(hook->func), 0);
		if (err)
			goto out;
	}
	err = register_ftrace_function(trial);
	if (!err) {
		unregister_ftrace_function(trial);
		goto out;
	}
	if (err != -EBUSY) {
		pr_err("cannot register probes: %d\n", err);
		goto out;
	}

	/*
	 * Name the functions someone else owns. No policy exists yet, so the
	 * probes' own callbacks allow everything while registered here.
	 */
	err = 0;
	for_each_hook(hook, t) {
		if (!hook->present)
			continue;
		if (!register_ftrace_function(&hook->ops)) {
			unregister_ftrace_function(&hook->ops);
			continue;
		}
		if (!allow_partial) {
			pr_err("probe point %s is owned by another IPMODIFY ftrace user (a livepatch?); refusing to load (allow_partial=1 overrides)\n",
			       hook->func);
			busy = -EBUSY;
			continue;
		}
		pr_warn("probe point %s is owned by another IPMODIFY ftrace user (a livepatch?); its class is NOT enforced\n",
			hook->func);
		ftrace_free_filter(&hook->ops);
		hook->present = false;
		hook->state = CTGUARD_HOOK_UNAVAILABLE;
		ctg_partial = true;
	}
	err = busy;
out:
	ftrace_free_filter(trial);
	return err;
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
	err = ctg_hooks_trial(allow_partial);
	if (err)
		goto err_free;
	return 0;

err_free:
	ctg_hooks_exit();
	return err;
}

/*
 * Unload, or a failed init: no policy request can arrive any more, but the
 * reclaim work may still call ctg_hooks_sync(); it is turned away.
 */
void ctg_hooks_exit(void)
{
	struct ctg_hook *hook;
	unsigned int t;

	mutex_lock(&ctg_hooks_mutex);
	ctg_hooks_dying = true;
	mutex_unlock(&ctg_hooks_mutex);
	cancel_delayed_work_sync(&ctg_disarm_work);

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
