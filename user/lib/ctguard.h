/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libctguard: configure the ctguard kernel module over generic netlink.
 *
 * A handle (struct ctguard) owns its netlink sockets, its buffers and the
 * message of its last error; the library has no global state. A handle may
 * be used by one thread at a time: callers that share one between threads
 * must serialise the calls themselves. Distinct handles are independent.
 *
 * Every function that can fail returns 0 (or a non-negative count) on
 * success and a negative errno on failure. After a failure on a handle,
 * ctguard_strerror() describes it, including the kernel's extended ack
 * message and the attribute it rejected. Functions that take no handle
 * (the parsers) write their message into a caller buffer instead.
 *
 * See libctguard(3).
 */
#ifndef CTGUARD_H
#define CTGUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/ctguard.h>

#ifdef __cplusplus
extern "C" {
#endif

struct ctguard;

/* Size of a parser error buffer that always holds the whole message. */
#define CTGUARD_ERRBUF_LEN 256

/* --- Handle ------------------------------------------------------------ */

/*
 * Open a handle. The generic netlink family is looked up on the first
 * request, so opening succeeds even when the module is not loaded. Returns
 * NULL with errno set when memory or a socket cannot be had.
 */
struct ctguard *ctguard_open(void);
void ctguard_close(struct ctguard *h);

/* Description of the last error on @h ("" when none). */
const char *ctguard_strerror(const struct ctguard *h);
/* The kernel's extack message of the last error, or NULL. */
const char *ctguard_kernel_msg(const struct ctguard *h);
/*
 * Name of the request attribute the kernel rejected in the last error, e.g.
 * "CTGUARD_A_DEVICES[2].CTGUARD_A_DEV_MAJOR", or NULL.
 */
const char *ctguard_bad_attr(const struct ctguard *h);

/* Library version, e.g. "0.1.0". */
const char *ctguard_version(void);

/*
 * Mount point of the cgroup v2 hierarchy used to resolve paths. By default
 * /sys/fs/cgroup, or /sys/fs/cgroup/unified when only that one is cgroup2
 * (hybrid hosts). @root is copied.
 */
int ctguard_set_cgroup_root(struct ctguard *h, const char *root);

/* --- Targets ----------------------------------------------------------- */

/*
 * Resolve a cgroup path to its cgroup id (the inode number of the cgroup2
 * directory). @path is absolute under the cgroup root, or relative to it:
 * "system.slice/x", "/system.slice/x" and "/sys/fs/cgroup/system.slice/x"
 * name the same cgroup. Errors: -ENOENT (no such cgroup), -ENOTDIR,
 * -EMEDIUMTYPE (not on cgroup v2), -EINVAL (malformed path).
 */
int ctguard_cgroup_id(struct ctguard *h, const char *path, uint64_t *id);

/*
 * Canonical form of a cgroup path, relative to the cgroup2 root, always with
 * a leading '/': "/system.slice/x" ("/" for the root).
 */
int ctguard_cgroup_normalize(struct ctguard *h, const char *path, char *buf,
			     size_t len);

/*
 * The cgroup v2 path of a process, from the "0::" line of /proc/PID/cgroup.
 * Errors: -ESRCH (no such process), -EMEDIUMTYPE (not on cgroup v2).
 */
int ctguard_pid_cgroup(struct ctguard *h, pid_t pid, char *buf, size_t len);

/* The path of the cgroup with id @id, found by walking the cgroup root. */
int ctguard_cgroup_path(struct ctguard *h, uint64_t id, char *buf,
			size_t len);

/* --- Policies ---------------------------------------------------------- */

/* One device allowlist rule; major and minor may be CTGUARD_DEV_ANY. */
struct ctguard_dev_rule {
	uint8_t type;		/* enum ctguard_dev_type */
	uint8_t access;		/* mask of enum ctguard_dev_access */
	uint32_t major;
	uint32_t minor;
};

/* Which fields of struct ctguard_policy are set, in .fields. */
enum ctguard_policy_field {
	CTGUARD_POLICY_DENY = 1 << 0,
	CTGUARD_POLICY_DENY_CAPS = 1 << 1,
	CTGUARD_POLICY_MODE = 1 << 2,
	CTGUARD_POLICY_DEVICES = 1 << 3,
	CTGUARD_POLICY_ALL = (1 << 4) - 1,
};

/*
 * A policy. Initialise with ctguard_policy_init() and release with
 * ctguard_policy_release(): the device rules are allocated.
 */
struct ctguard_policy {
	uint32_t fields;	/* mask of enum ctguard_policy_field */
	uint32_t deny;		/* mask of enum ctguard_class */
	uint64_t deny_caps;	/* mask of 1 << CAP_* */
	uint8_t mode;		/* enum ctguard_mode */
	size_t nr_devices;
	struct ctguard_dev_rule *devices;
};

/* Counters of one cgroup, or the module's global counters. */
struct ctguard_stats {
	uint64_t denied;
	uint64_t complained;
	uint64_t log_suppressed;
	uint64_t events_lost;
};

/* A policy as the kernel reports it. */
struct ctguard_policy_info {
	uint64_t cgroup_id;
	char *path;		/* below the cgroup2 root; NULL if unknown */
	struct ctguard_policy policy;
	struct ctguard_stats stats;
	/* Set with CTGUARD_F_ON_EXEC and waiting for the cgroup's next execve. */
	bool pending;
	/* Pattern of the rule that made it (a derived policy), NULL if explicit. */
	char *rule;
};

void ctguard_policy_init(struct ctguard_policy *p);
void ctguard_policy_release(struct ctguard_policy *p);
/* Deep copy; @dst must not hold rules (initialise or release it first). */
int ctguard_policy_copy(struct ctguard_policy *dst,
			const struct ctguard_policy *src);
/*
 * Append a rule to the allowlist and mark the devices field set. An
 * identical rule already present is not added twice.
 */
int ctguard_policy_add_dev(struct ctguard_policy *p,
			   const struct ctguard_dev_rule *rule);
void ctguard_policy_info_release(struct ctguard_policy_info *info);

/*
 * Create or update the policy of @cgroup_id, sending the fields of @p marked
 * in p->fields. @flags is 0 (keep fields not sent) or CTGUARD_F_REPLACE
 * (reset them), and may add CTGUARD_F_ON_EXEC (in force from the next
 * execve in the cgroup: for container runtimes' hooks).
 */
int ctguard_policy_set(struct ctguard *h, uint64_t cgroup_id,
		       const struct ctguard_policy *p, uint32_t flags);
/* -ENOENT when the cgroup has no policy. */
int ctguard_policy_get(struct ctguard *h, uint64_t cgroup_id,
		       struct ctguard_policy_info *info);
int ctguard_policy_del(struct ctguard *h, uint64_t cgroup_id);
/*
 * Every policy. On success *@list (free with ctguard_policy_list_free())
 * holds *@nr entries.
 */
int ctguard_policy_list(struct ctguard *h, struct ctguard_policy_info **list,
			size_t *nr);
void ctguard_policy_list_free(struct ctguard_policy_info *list, size_t nr);

/* --- Rules by cgroup path ---------------------------------------------- */

/*
 * A rule: every cgroup whose path matches @pattern gets a policy of the
 * rule's content from the kernel itself, the existing ones when the rule is
 * set and new ones as they are created, before any task can enter them.
 * See CTGUARD_CMD_SET_RULE in linux/ctguard.h for the semantics.
 */
struct ctguard_rule_info {
	/*
	 * "/system.slice/docker-*.scope": absolute path below the cgroup2
	 * root; '*' and '?' match within one path component.
	 */
	char *pattern;
	struct ctguard_policy policy;	/* same fields as a policy */
	uint64_t matched;		/* cgroups currently confined by it */
	/*
	 * Set with CTGUARD_F_ON_EXEC: the cgroups created later get pending
	 * policies, in force from the container's exec (see
	 * CTGUARD_CMD_SET_RULE).
	 */
	bool on_exec;
};

/*
 * Create or update the rule of @pattern, sending the fields of @p marked in
 * p->fields. @flags is 0 (keep fields not sent) or CTGUARD_F_REPLACE, and
 * may add CTGUARD_F_ON_EXEC (every call says whether the rule has it).
 * Errors as the kernel documents them; a malformed pattern gives -EINVAL or
 * -ENAMETOOLONG with the kernel's reason in the message.
 */
int ctguard_rule_set(struct ctguard *h, const char *pattern,
		     const struct ctguard_policy *p, uint32_t flags);
/* -ENOENT when no rule has this pattern. */
int ctguard_rule_get(struct ctguard *h, const char *pattern,
		     struct ctguard_rule_info *info);
int ctguard_rule_del(struct ctguard *h, const char *pattern);
/*
 * Every rule, in the order they were created (the order in which they
 * decide). Free with ctguard_rule_list_free().
 */
int ctguard_rule_list(struct ctguard *h, struct ctguard_rule_info **list,
		      size_t *nr);
void ctguard_rule_info_release(struct ctguard_rule_info *info);
void ctguard_rule_list_free(struct ctguard_rule_info *list, size_t nr);

/* --- Counters and status ----------------------------------------------- */

struct ctguard_cgroup_stats {
	uint64_t cgroup_id;
	char *path;
	struct ctguard_stats stats;
};

int ctguard_stats_get(struct ctguard *h, uint64_t cgroup_id,
		      struct ctguard_cgroup_stats *st);
void ctguard_cgroup_stats_release(struct ctguard_cgroup_stats *st);
int ctguard_stats_list(struct ctguard *h, struct ctguard_cgroup_stats **list,
		       size_t *nr);
void ctguard_stats_list_free(struct ctguard_cgroup_stats *list, size_t nr);

struct ctguard_hook {
	char *name;		/* kernel function probed */
	uint32_t class;		/* enum ctguard_class */
	uint8_t state;		/* enum ctguard_hook_state */
	uint64_t hits;
	uint64_t missed;
};

struct ctguard_status {
	char *version;
	uint32_t nr_policies;
	uint32_t max_policies;
	uint32_t max_dev_rules;
	bool partial;
	uint32_t nr_rules;		/* rules by cgroup path */
	uint32_t max_rules;
	struct ctguard_stats stats;
	size_t nr_hooks;
	struct ctguard_hook *hooks;
};

int ctguard_status_get(struct ctguard *h, struct ctguard_status *st);
void ctguard_status_release(struct ctguard_status *st);

/* --- Events ------------------------------------------------------------ */

/* Which optional fields of struct ctguard_event are present. */
enum ctguard_event_field {
	CTGUARD_EV_CAP = 1 << 0,
	CTGUARD_EV_MOUNT_OP = 1 << 1,
	CTGUARD_EV_FSTYPE = 1 << 2,
	CTGUARD_EV_MOUNT_FLAGS = 1 << 3,
	CTGUARD_EV_SOCK = 1 << 4,
	CTGUARD_EV_SYSLOG_ACTION = 1 << 5,
	CTGUARD_EV_DEVICE = 1 << 6,
	CTGUARD_EV_TARGET_CGROUP = 1 << 7,
	CTGUARD_EV_POLICY_CGROUP = 1 << 8,
};

struct ctguard_event {
	uint32_t present;	/* mask of enum ctguard_event_field */
	uint64_t cgroup_id;	/* cgroup of the acting task */
	uint64_t policy_cgroup_id;
	uint32_t pid, tgid, uid;
	char comm[CTGUARD_COMM_LEN];
	uint32_t class;		/* one enum ctguard_class bit */
	uint8_t verdict;	/* enum ctguard_verdict */
	uint8_t cap;
	uint8_t mount_op;	/* enum ctguard_mount_op */
	char fstype[64];
	uint64_t mount_flags;
	uint32_t sock_family, sock_type, sock_protocol;
	uint32_t syslog_action;
	struct ctguard_dev_rule dev;
	uint64_t target_cgroup_id;
};

/*
 * Join the "events" multicast group on a socket of its own. Afterwards
 * ctguard_event_fd() can be polled for POLLIN.
 */
int ctguard_events_subscribe(struct ctguard *h);
int ctguard_event_fd(const struct ctguard *h);
/*
 * Wait up to @timeout_ms (-1: forever, 0: do not wait) for the next event.
 * Returns 0 with @ev filled, -EAGAIN on timeout, -EINTR on a signal,
 * -ENOBUFS once when the socket overran and the kernel dropped events
 * (receiving can go on), and -ENODEV when the module was unloaded (nothing
 * more will come: subscribe again once it is back).
 */
int ctguard_event_recv(struct ctguard *h, struct ctguard_event *ev,
		       int timeout_ms);

/* --- Policy language --------------------------------------------------- */

/*
 * Parsers accept the names documented in ctguard(8). On error they return
 * -EINVAL and, when @err is not NULL, write a message naming the bad word
 * (and the closest valid one) into @err (CTGUARD_ERRBUF_LEN is enough).
 */

/* "mount,rawsock,dmesg,mknod,devices,userns" or "all" */
int ctguard_parse_classes(const char *str, uint32_t *mask, char *err,
			  size_t errlen);
/* Name of one class bit, e.g. "mount"; also "cap", "cgroup". NULL if none. */
const char *ctguard_class_name(uint32_t class);
/* Comma list of the classes in @mask, "" when empty. */
int ctguard_format_classes(uint32_t mask, char *buf, size_t len);

/* "sys_admin,CAP_NET_RAW" (any case) or "all" */
int ctguard_parse_caps(const char *str, uint64_t *mask, char *err,
		       size_t errlen);
/* Capability number of one name, or -EINVAL. */
int ctguard_cap_from_name(const char *name);
/* Lower-case name without "CAP_", e.g. "sys_admin"; NULL if unknown. */
const char *ctguard_cap_name(unsigned int cap);
/* Highest capability the library knows (CAP_LAST_CAP at build time). */
unsigned int ctguard_cap_last(void);
/* Mask of every known capability. */
uint64_t ctguard_caps_all(void);
/* Comma list of capability names in @mask; unknown bits as "cap_N". */
int ctguard_format_caps(uint64_t mask, char *buf, size_t len);

/* "c 1:3 rwm", "c 136:* rw", "b *:* m", "a" */
int ctguard_parse_dev_rule(const char *str, struct ctguard_dev_rule *rule,
			   char *err, size_t errlen);
int ctguard_format_dev_rule(const struct ctguard_dev_rule *rule, char *buf,
			    size_t len);
/* "rwm" subset of an access mask */
int ctguard_format_dev_access(uint8_t access, char *buf, size_t len);

/* "enforce" or "complain" */
int ctguard_parse_mode(const char *str, uint8_t *mode, char *err,
		       size_t errlen);
const char *ctguard_mode_name(uint8_t mode);

/*
 * Fill @p (initialised) with the named profile, every field set. Profiles:
 * "container", "strict", "audit"; see ctguard(8).
 */
int ctguard_profile(const char *name, struct ctguard_policy *p, char *err,
		    size_t errlen);
/* NULL-terminated list of profile names. */
const char *const *ctguard_profile_names(void);
/* One-line description of a profile, or NULL. */
const char *ctguard_profile_description(const char *name);

/* Names used in reports. NULL when the value is unknown. */
const char *ctguard_mount_op_name(uint8_t op);
const char *ctguard_verdict_name(uint8_t verdict);
const char *ctguard_hook_state_name(uint8_t state);

#ifdef __cplusplus
}
#endif

#endif /* CTGUARD_H */
