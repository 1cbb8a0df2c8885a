/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTGUARD_REPORT_H
#define _CTGUARD_REPORT_H

#include <linux/llist.h>
#include <linux/sched.h>
#include <linux/types.h>

struct ctg_match;

#define CTG_FSTYPE_LEN 32

/* What one refused (or complained about) operation was, for every report. */
struct ctg_event {
	struct llist_node node;
	u64 cgid;
	u64 policy_cgid;
	u32 pid, tgid, uid;
	char comm[TASK_COMM_LEN];
	u32 class;		/* one enum ctguard_class bit */
	u8 verdict;		/* enum ctguard_verdict */
	union {
		struct {
			u8 cap;
		} cap;
		struct {
			u8 op;	/* enum ctguard_mount_op */
			char fstype[CTG_FSTYPE_LEN];
			u64 flags;
		} mount;
		struct {
			u32 family, type, protocol;
		} sock;
		struct {
			u32 action;
		} syslog;
		struct {
			u8 type, access;
			u32 major, minor;
		} dev;
		struct {
			u64 target_cgid;
		} cgroup;
	};
};

void ctg_sanitize(char *dst, const char *src, size_t len);
/* ctg_report() flags */
#define CTG_REPORT_QUIET	(1U << 0)	/* count only: CAP_OPT_NOAUDIT */
#define CTG_REPORT_ENFORCE	(1U << 1)	/* refuse even in complain mode */

bool ctg_report(const struct ctg_match *m, struct ctg_event *ev,
		unsigned int flags);
int ctg_report_init(void);
void ctg_report_exit(void);

#endif /* _CTGUARD_REPORT_H */
