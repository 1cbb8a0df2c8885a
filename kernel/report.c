// SPDX-License-Identifier: GPL-2.0
/*
 * Reporting of every refusal and complain-mode hit: counters always, a
 * rate-limited kernel log line, an audit record, and a netlink event when
 * someone listens. Hooks run in atomic context under arbitrary locks, so the
 * netlink message is built and sent later from a work item; only a small
 * copy of the event is queued here, bounded so a flood cannot eat memory.
 */

#include <linux/audit.h>
#include <linux/ctype.h>
#include <linux/cred.h>
#include <linux/ratelimit.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include <uapi/linux/ctguard.h>

#include "netlink.h"
#include "policy.h"
#include "report.h"

#define CTG_EVENT_QUEUE_MAX 4096

static DEFINE_RATELIMIT_STATE(ctg_log_ratelimit, 5 * HZ, 10);
static LLIST_HEAD(ctg_event_queue);
static atomic_t ctg_event_queued = ATOMIC_INIT(0);
static bool ctg_report_stopping;

static void ctg_event_work_fn(struct work_struct *work);
static DECLARE_WORK(ctg_event_work, ctg_event_work_fn);

static const char *ctg_class_name(u32 class)
{
	switch (class) {
	case CTGUARD_CLASS_MOUNT: return "mount";
	case CTGUARD_CLASS_RAWSOCK: return "rawsock";
	case CTGUARD_CLASS_DMESG: return "dmesg";
	case CTGUARD_CLASS_MKNOD: return "mknod";
	case CTGUARD_CLASS_DEVICES: return "devices";
	case CTGUARD_CLASS_USERNS: return "userns";
	case CTGUARD_CLASS_CAP: return "cap";
	case CTGUARD_CLASS_CGROUP: return "cgroup";
	}
	return "?";
}

static const char *const ctg_mount_op_names[] = {
	[CTGUARD_MOUNT_OP_MOUNT] = "mount",
	[CTGUARD_MOUNT_OP_UMOUNT] = "umount",
	[CTGUARD_MOUNT_OP_PIVOT_ROOT] = "pivot_root",
	[CTGUARD_MOUNT_OP_MOVE_MOUNT] = "move_mount",
	[CTGUARD_MOUNT_OP_FSOPEN] = "fsopen",
	[CTGUARD_MOUNT_OP_FSPICK] = "fspick",
	[CTGUARD_MOUNT_OP_FSMOUNT] = "fsmount",
	[CTGUARD_MOUNT_OP_OPEN_TREE] = "open_tree",
	[CTGUARD_MOUNT_OP_MOUNT_SETATTR] = "mount_setattr",
	[CTGUARD_MOUNT_OP_FSCONFIG] = "fsconfig",
};

static void ctg_dev_access_str(u8 access, char buf[4])
{
	int n = 0;

	if (access & CTGUARD_DEV_READ)
		buf[n++] = 'r';
	if (access & CTGUARD_DEV_WRITE)
		buf[n++] = 'w';
	if (access & CTGUARD_DEV_MKNOD)
		buf[n++] = 'm';
	buf[n] = '\0';
}

/*
 * Copy a string a task controls (its comm, a filesystem type) so that it
 * cannot forge fields or lines in the log and audit records.
 */
void ctg_sanitize(char *dst, const char *src, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len && src[i]; i++)
		dst[i] = (isalnum(src[i]) || strchr("._-:/", src[i])) ?
			 src[i] : '?';
	dst[i] = '\0';
}

/* The class-specific part of log lines and audit records. */
static void ctg_event_detail(const struct ctg_event *ev, char *buf, size_t len)
{
	char access[4];

	switch (ev->class) {
	case CTGUARD_CLASS_CAP:
		snprintf(buf, len, "capability=%u", ev->cap.cap);
		break;
	case CTGUARD_CLASS_MOUNT:
		snprintf(buf, len, "operation=%s fstype=%s flags=0x%llx",
			 ev->mount.op < ARRAY_SIZE(ctg_mount_op_names) ?
			 ctg_mount_op_names[ev->mount.op] : "?",
			 ev->mount.fstype[0] ? ev->mount.fstype : "?",
			 ev->mount.flags);
		break;
	case CTGUARD_CLASS_RAWSOCK:
		snprintf(buf, len, "family=%u sock_type=%u protocol=%u",
			 ev->sock.family, ev->sock.type, ev->sock.protocol);
		break;
	case CTGUARD_CLASS_DMESG:
		snprintf(buf, len, "syslog_action=%u", ev->syslog.action);
		break;
	case CTGUARD_CLASS_MKNOD:
	case CTGUARD_CLASS_DEVICES:
		ctg_dev_access_str(ev->dev.access, access);
		snprintf(buf, len, "device=%c:%u:%u access=%s", ev->dev.type,
			 ev->dev.major, ev->dev.minor, access);
		break;
	case CTGUARD_CLASS_CGROUP:
		snprintf(buf, len, "target_cgroup=%llu", ev->cgroup.target_cgid);
		break;
	default:
		buf[0] = '\0';
		return;
	}
	/* Separates the detail from what follows it; nothing when empty. */
	strlcat(buf, " ", len);
}

static void ctg_event_queue_add(const struct ctg_event *ev,
				struct ctg_counters *counters)
{
	struct ctg_event *copy;

	if (READ_ONCE(ctg_report_stopping))
		return;
	if (atomic_inc_return(&ctg_event_queued) > CTG_EVENT_QUEUE_MAX)
		goto lost;
	copy = kmemdup(ev, sizeof(*ev), GFP_ATOMIC | __GFP_NOWARN);
	if (!copy)
		goto lost;
	llist_add(&copy->node, &ctg_event_queue);
	schedule_work(&ctg_event_work);
	return;
lost:
	atomic_dec(&ctg_event_queued);
	atomic64_inc(&counters->events_lost);
	atomic64_inc(&ctg_global_counters.events_lost);
}

static void ctg_event_work_fn(struct work_struct *work)
{
	struct llist_node *list = llist_del_all(&ctg_event_queue);
	struct ctg_event *ev, *tmp;

	/* llist hands them back newest first; send in order. */
	list = llist_reverse_order(list);
	llist_for_each_entry_safe(ev, tmp, list, node) {
		if (ctg_netlink_send_event(ev))
			atomic64_inc(&ctg_global_counters.events_lost);
		atomic_dec(&ctg_event_queued);
		kfree(ev);
	}
}

/**
 * ctg_report() - account and report one decision
 * @m: the match, under rcu_read_lock()
 * @ev: class and detail filled in by the hook; the rest is filled here
 * @flags: CTG_REPORT_QUIET to count only (the kernel asked for no audit,
 *	CAP_OPT_NOAUDIT), CTG_REPORT_ENFORCE to refuse whatever the mode
 *
 * Return: true when the operation must be refused.
 */
bool ctg_report(const struct ctg_match *m, struct ctg_event *ev,
		unsigned int flags)
{
	const struct ctg_policy *p = m->policy;
	bool enforce = p->mode == CTGUARD_MODE_ENFORCE ||
		       (flags & CTG_REPORT_ENFORCE);
	char comm[TASK_COMM_LEN];
	char detail[96];

	if (enforce) {
		atomic64_inc(&p->counters->denied);
		atomic64_inc(&ctg_global_counters.denied);
	} else {
		atomic64_inc(&p->counters->complained);
		atomic64_inc(&ctg_global_counters.complained);
	}
	if (flags & CTG_REPORT_QUIET)
		return enforce;

	ev->verdict = enforce ? CTGUARD_VERDICT_DENIED :
				CTGUARD_VERDICT_COMPLAINED;
	ev->cgid = cgroup_id(m->cgrp);
	ev->policy_cgid = p->cgid;
	ev->pid = task_pid_nr(current);
	ev->tgid = task_tgid_nr(current);
	ev->uid = from_kuid(&init_user_ns, current_uid());
	get_task_comm(ev->comm, current);
	ctg_event_detail(ev, detail, sizeof(detail));

	ctg_sanitize(comm, ev->comm, sizeof(comm));
	if (__ratelimit(&ctg_log_ratelimit)) {
		pr_notice("%s %s %spid=%u comm=%s uid=%u cgroup=%llu policy_cgroup=%llu\n",
			  enforce ? "denied" : "complain", ctg_class_name(ev->class),
			  detail, ev->tgid, comm, ev->uid, ev->cgid,
			  ev->policy_cgid);
	} else {
		atomic64_inc(&p->counters->log_suppressed);
		atomic64_inc(&ctg_global_counters.log_suppressed);
	}

	if (audit_enabled)
		audit_log(audit_context(), GFP_ATOMIC, AUDIT_KERNEL_OTHER,
			  "ctguard verdict=%s class=%s %spid=%u uid=%u cgroup=%llu policy_cgroup=%llu comm=%s",
			  enforce ? "denied" : "complain",
			  ctg_class_name(ev->class), detail, ev->tgid, ev->uid,
			  ev->cgid, ev->policy_cgid, comm);

	if (ctg_netlink_has_listeners())
		ctg_event_queue_add(ev, p->counters);
	return enforce;
}

int ctg_report_init(void)
{
	/* The rate limiter's own "callbacks suppressed" line would be noise. */
	ratelimit_set_flags(&ctg_log_ratelimit, RATELIMIT_MSG_ON_RELEASE);
	return 0;
}

/* Called once no probe can report any more. */
void ctg_report_exit(void)
{
	struct llist_node *list;
	struct ctg_event *ev, *tmp;

	WRITE_ONCE(ctg_report_stopping, true);
	cancel_work_sync(&ctg_event_work);
	list = llist_del_all(&ctg_event_queue);
	llist_for_each_entry_safe(ev, tmp, list, node)
		kfree(ev);
}
