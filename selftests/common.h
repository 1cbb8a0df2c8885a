/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the ctguard selftests.
 *
 * The tests talk to the kernel with libnl-genl-3, not with libctguard, so
 * that the netlink ABI in include/uapi/linux/ctguard.h is checked by a
 * client written independently of our own library.
 *
 * A test process never confines itself: it creates cgroups, tags them over
 * netlink, and runs the operation under test in a forked child that joins
 * the cgroup (ctg_run()). The child reports the return value and errno of
 * the operation through a pipe, so the parent stays free to clean up.
 */
#ifndef CTGUARD_SELFTESTS_COMMON_H
#define CTGUARD_SELFTESTS_COMMON_H

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "../include/uapi/linux/ctguard.h"

#define CTG_CGROOT "/sys/fs/cgroup"

/*
 * The harness gives each test 30 s. Under TCG, with both kernels' VMs
 * sharing two cores, and with the module disarming hooks (an RCU tasks
 * grace period per probe) after the last policy that needs them goes, a
 * test that is not stuck can take longer.
 */
#ifdef TEST_TIMEOUT_DEFAULT
#undef TEST_TIMEOUT_DEFAULT
#define TEST_TIMEOUT_DEFAULT 120
#endif

/* ---- netlink -------------------------------------------------------- */

/* What the kernel said about the last failed (or acked) request. */
struct ctg_extack {
	char msg[256];		/* NLMSGERR_ATTR_MSG, "" if none */
	bool has_offs;
	uint32_t offs;		/* NLMSGERR_ATTR_OFFS */
	bool has_miss_type;
	uint32_t miss_type;	/* NLMSGERR_ATTR_MISS_TYPE */
};

struct ctg_nl {
	struct nl_sock *sk;
	int family;
	int mcgrp;		/* "events" group id */
	struct ctg_extack ext;
	char bad_reply[256];	/* why a reply did not parse, "" if it did */
	int overruns;		/* ENOBUFS seen by an events socket */
};

/* Parsed attributes of one reply; tb[i] is NULL when i was absent. */
typedef int (*ctg_reply_fn)(struct ctg_nl *nl, uint8_t cmd,
			    struct nlattr **tb, void *arg);

int ctg_nl_open(struct ctg_nl *nl);
void ctg_nl_close(struct ctg_nl *nl);

/* A request with no attribute yet; NULL on failure. */
struct nl_msg *ctg_msg(struct ctg_nl *nl, uint8_t cmd, int flags);
/*
 * Put one attribute (any length, no checks: for malformed requests too).
 * Returns its offset from the start of the netlink message, which is what
 * the kernel reports in NLMSGERR_ATTR_OFFS, or 0 on failure.
 */
uint32_t ctg_put(struct nl_msg *msg, int type, const void *data, int len);
uint32_t ctg_put_u8(struct nl_msg *msg, int type, uint8_t v);
uint32_t ctg_put_u32(struct nl_msg *msg, int type, uint32_t v);
uint32_t ctg_put_u64(struct nl_msg *msg, int type, uint64_t v);
/*
 * Send, collect the replies (calling @fn for each, may be NULL), wait for
 * the ack or the end of the dump. Frees @msg. Returns 0 or -errno (the
 * kernel's error); nl->ext holds the extended ack.
 */
int ctg_send(struct ctg_nl *nl, struct nl_msg *msg, ctg_reply_fn fn,
	     void *arg);

/* One device rule. CTGUARD_DEV_ANY for major/minor: attribute not sent. */
struct ctg_rule {
	uint8_t type;
	uint32_t major, minor;
	uint8_t access;
};

#define CTG_RULE(t, ma, mi, acc) \
	((struct ctg_rule){ .type = (t), .major = (ma), .minor = (mi), \
			    .access = (acc) })
#define CTG_ANY CTGUARD_DEV_ANY
#define CTG_R CTGUARD_DEV_READ
#define CTG_W CTGUARD_DEV_WRITE
#define CTG_M CTGUARD_DEV_MKNOD

/* A SET_POLICY request: only the fields with has_* set are sent. */
struct ctg_set {
	uint64_t cgid;
	bool has_flags, has_deny, has_caps, has_mode, has_devices;
	uint32_t flags;
	uint32_t deny;
	uint64_t caps;
	uint8_t mode;
	int nr_rules;
	const struct ctg_rule *rules;
};

struct ctg_stats {
	uint64_t denied, complained, log_suppressed, events_lost;
};

#define CTG_REPLY_RULES 256

/* A GET_POLICY/GET_STATS reply. */
struct ctg_pol {
	uint8_t cmd;
	uint64_t cgid;
	char path[CTGUARD_PATH_MAX];
	bool has_deny, has_caps, has_mode, has_devices, has_stats, has_path;
	bool has_pending;
	uint8_t pending;
	uint32_t deny;
	uint64_t caps;
	uint8_t mode;
	int nr_rules;		/* rules in the reply (rules[] holds the first
				 * CTG_REPLY_RULES) */
	struct ctg_rule rules[CTG_REPLY_RULES];
	struct ctg_stats stats;
};

#define CTG_MAX_HOOKS 64

struct ctg_hook {
	char name[64];
	uint32_t class;
	uint8_t state;
	uint64_t hits, missed;
};

struct ctg_status {
	char version[64];
	uint32_t nr_policies, max_policies, max_dev_rules;
	uint8_t partial;
	struct ctg_stats stats;
	int nr_hooks;
	struct ctg_hook hooks[CTG_MAX_HOOKS];
};

int ctg_set(struct ctg_nl *nl, const struct ctg_set *s);
/* SET with CTGUARD_F_REPLACE: exactly this policy, no device rule. */
int ctg_policy(struct ctg_nl *nl, uint64_t cgid, uint32_t deny, uint64_t caps,
	       uint8_t mode);
/* SET with CTGUARD_F_REPLACE, DENY = @deny | DEVICES and these rules. */
int ctg_policy_dev(struct ctg_nl *nl, uint64_t cgid, uint32_t deny,
		   uint8_t mode, const struct ctg_rule *rules, int nr);
int ctg_del(struct ctg_nl *nl, uint64_t cgid);
int ctg_get(struct ctg_nl *nl, uint64_t cgid, struct ctg_pol *out);
int ctg_get_stats(struct ctg_nl *nl, uint64_t cgid, struct ctg_stats *out);
/* Dump (GET_POLICY or GET_STATS); @fn is called once per policy. */
int ctg_dump(struct ctg_nl *nl, uint8_t cmd,
	     int (*fn)(const struct ctg_pol *p, void *arg), void *arg);
int ctg_status(struct ctg_nl *nl, struct ctg_status *out);
const struct ctg_hook *ctg_status_hook(const struct ctg_status *st,
				       const char *name);
/*
 * Probes no policy needs are disarmed by the module a few seconds after the
 * last such policy goes: poll @st until none is armed. 0 or -errno.
 */
int ctg_wait_disarmed(struct ctg_nl *nl, struct ctg_status *st, int timeout_ms);
/* How many times @needle occurs in the kernel log buffer; -1 on error. */
int ctg_klog_count(const char *needle);
/*
 * Run /bin/true in a child, from a mount namespace of its own when
 * @own_mntns (as a container runtime runs the container's program) or from
 * ours (as runc re-executes itself), and wait for it: what puts
 * CTGUARD_F_ON_EXEC policies in force, or not. 0, or -1 with errno set.
 */
int ctg_exec_true(bool own_mntns);

/* ---- events --------------------------------------------------------- */

struct ctg_event {
	uint64_t cgid, policy_cgid, target_cgid;
	uint32_t pid, tgid, uid, class;
	char comm[CTGUARD_COMM_LEN];
	uint8_t verdict, cap, mount_op;
	bool has_cap, has_mount_op, has_fstype, has_mount_flags, has_sock,
	     has_syslog, has_dev, has_target;
	char fstype[64];
	uint64_t mount_flags;
	uint32_t sock_family, sock_type, sock_protocol;
	uint32_t syslog_action;
	struct ctg_rule dev;
	int nr_attrs;		/* attributes in the message */
};

/* A socket that listens on the "events" group. */
int ctg_ev_open(struct ctg_nl *nl);
/*
 * The next event for which @match returns true (NULL: any), waiting up to
 * @timeout_ms in total. Returns 0, -ETIMEDOUT, or another -errno.
 */
int ctg_ev_wait(struct ctg_nl *nl, struct ctg_event *ev, int timeout_ms,
		bool (*match)(const struct ctg_event *ev, void *arg), void *arg);
/* The next event of @class caused by task @pid. */
int ctg_ev_wait_pid(struct ctg_nl *nl, struct ctg_event *ev, pid_t pid,
		    uint32_t class, int timeout_ms);
/* Drop every event already queued on the socket. */
void ctg_ev_drain(struct ctg_nl *nl);

/* ---- keeping the hooks armed ---------------------------------------- */

/*
 * The module arms a hook when the first policy needs it and disarms it when
 * the last one goes; under TCG each of those costs a lot (ftrace text
 * patching and RCU grace periods), and most tests set and delete policies
 * many times. A test program that puts CTG_KEEP_HOOKS_ARMED at file scope
 * holds, for its whole run, one policy that denies everything on an empty
 * cgroup of its own ("ctguard-keepalive-*"): every hook stays armed, and no
 * task is affected by it. Programs without it (netlink, inherit, unload)
 * keep testing the arm-on-demand paths end to end.
 */
void ctg_keepalive_start(void);
#define CTG_KEEP_HOOKS_ARMED                                                 \
	__attribute__((constructor)) static void ctg_keepalive_ctor(void)    \
	{                                                                    \
		ctg_keepalive_start();                                       \
	}

/* ---- the module ----------------------------------------------------- */

bool ctg_module_loaded(void);
/*
 * The module file to load again: $CTGUARD_MODULE, else
 * build/$(uname -r)/ctguard.ko below the current directory (the top of the
 * source tree). NULL if it is not readable.
 */
const char *ctg_module_path(void);
/* insmod it with these parameters: 0 or -errno. */
int ctg_module_load(const char *params);
/* rmmod, waiting up to 30 s for users to go: 0 or -errno. */
int ctg_module_unload(void);

/* ---- cgroups -------------------------------------------------------- */

struct ctg_cg {
	char path[PATH_MAX];
	uint64_t id;
};

/* Is cgroup2 mounted at /sys/fs/cgroup? */
bool ctg_cgroup2_mounted(void);
/* A fresh cgroup /sys/fs/cgroup/ctguard-test-XXXXXX. */
int ctg_cg_create(struct ctg_cg *cg);
/* A child cgroup @name of @parent. */
int ctg_cg_child(const struct ctg_cg *parent, const char *name,
		 struct ctg_cg *out);
/* Id of the cgroup at @path (the st_ino of its directory), 0 on error. */
uint64_t ctg_cg_id(const char *path);
/*
 * Remove @path and every cgroup below it: delete their policies (with @nl,
 * when not NULL), kill their tasks, rmdir them deepest first.
 */
int ctg_cg_destroy(struct ctg_nl *nl, const char *path);
/* Move task @pid (0: the caller) into the cgroup at @path. */
int ctg_cg_enter(const char *path, pid_t pid);
/* The caller's cgroup v2 path, below the root ("/a/b"). */
int ctg_cg_self(char *buf, size_t len);

/* ---- child processes ------------------------------------------------ */

/* Result of an operation run in a child. */
struct ctg_res {
	long ret;
	int err;
	int stage;	/* ctg_stage when the child finished */
	pid_t pid;	/* the child's pid */
};

#define CTG_STAGE_PRE (-100)	/* @pre failed */
#define CTG_STAGE_JOIN (-101)	/* joining the cgroup failed */
#define CTG_STAGE_CRASH (-102)	/* the child died without a result */

/*
 * In the child: how far the operation got. Set it before each step of a
 * multi-step operation so a failure names its step.
 */
extern int ctg_stage;
#define STEP(n) (ctg_stage = (n))

typedef long (*ctg_fn)(void *arg);

/*
 * Fork; in the child run @pre (unconfined; may be NULL), join the cgroup
 * at @cgroup (NULL: stay in the caller's), run @fn and report its return
 * value and errno. Returns 0 when the child reported, -1 if it crashed.
 */
int ctg_run(const char *cgroup, ctg_fn pre, ctg_fn fn, void *arg,
	    struct ctg_res *res);

/* Readable description of a result, for TH_LOG. */
const char *ctg_res_str(const struct ctg_res *res);

/*
 * pre functions: make a private mount namespace for the child, so that
 * whatever it mounts dies with it; and a user namespace in which the child
 * is root (uid and gid 0 mapped to the caller's), with @flags for more
 * namespaces created together with it.
 */
long ctg_pre_private_mounts(void *arg);
int ctg_enter_userns(int flags);

/* Write @s to the file @path; 0 or -1 with errno. */
int ctg_write_file(const char *path, const char *s);
/* Read the first line of @path into @buf; 0 or -1 with errno. */
int ctg_read_file(const char *path, char *buf, size_t len);

/*
 * Check in a test: the child's result is success (ret >= 0) when @err is
 * 0, else -1 with errno @err, and it got to stage @stage.
 */
#define ASSERT_RES(_res, _stage, _err)                                       \
	do {                                                                 \
		const struct ctg_res *__r = &(_res);                         \
		if ((_err) == 0) {                                           \
			ASSERT_LE(0, __r->ret)                               \
				TH_LOG("expected success: %s",               \
				       ctg_res_str(__r));                    \
		} else {                                                     \
			ASSERT_EQ(-1, __r->ret)                              \
				TH_LOG("expected -1/%s: %s", strerror(_err), \
				       ctg_res_str(__r));                    \
			ASSERT_EQ((_err), __r->err)                          \
				TH_LOG("expected -1/%s: %s", strerror(_err), \
				       ctg_res_str(__r));                    \
		}                                                            \
		ASSERT_EQ((_stage), __r->stage)                              \
			TH_LOG("expected stage %d: %s", (_stage),            \
			       ctg_res_str(__r));                            \
	} while (0)

/* Run @fn in @cg and check the result as ASSERT_RES does. */
#define ASSERT_RUN(_cg, _pre, _fn, _arg, _stage, _err)                       \
	do {                                                                 \
		struct ctg_res __res;                                        \
		ASSERT_EQ(0, ctg_run((_cg), (_pre), (_fn), (_arg), &__res))  \
			TH_LOG("child died: %s", ctg_res_str(&__res));       \
		ASSERT_RES(__res, (_stage), (_err));                         \
	} while (0)

#define ASSERT_NL_OK(_nl, _expr)                                             \
	do {                                                                 \
		int __e = (_expr);                                           \
		ASSERT_EQ(0, __e)                                            \
			TH_LOG("%s: %s (extack \"%s\")", #_expr,             \
			       strerror(-__e), (_nl)->ext.msg);              \
	} while (0)

#define ASSERT_NL_ERR(_nl, _err, _expr)                                      \
	do {                                                                 \
		int __e = (_expr);                                           \
		ASSERT_EQ(-(_err), __e)                                      \
			TH_LOG("%s: expected %s, got %s (extack \"%s\")",    \
			       #_expr, strerror(_err),                       \
			       __e ? strerror(-__e) : "success",             \
			       (_nl)->ext.msg);                              \
	} while (0)

#endif /* CTGUARD_SELFTESTS_COMMON_H */
