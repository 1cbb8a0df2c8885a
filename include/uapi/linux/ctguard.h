/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * ctguard: confine containers by their cgroup v2 cgroup.
 *
 * Generic netlink family "ctguard" (CTGUARD_GENL_NAME), version
 * CTGUARD_GENL_VERSION, multicast group "events" (CTGUARD_MCGRP_EVENTS).
 * Every command needs CAP_NET_ADMIN in the initial user namespace and works
 * from the initial network namespace only. A task whose effective policy is
 * not empty (it runs in a tagged cgroup or below one) cannot change policies
 * or rules.
 *
 * Unless stated, integer attributes are in host byte order.
 *
 * Dumps (GET_POLICY, GET_STATS and GET_RULE without an attribute) send
 * parts large enough for the largest reply: with the default max_dev_rules
 * (128) a part can be about 12 KiB, so a client's receive buffer must be at
 * least that large (libctguard uses 64 KiB).
 *
 * CTGUARD_CMD_SET_POLICY
 * ----------------------
 *   Create the policy of a cgroup, or update it.
 *
 *   CTGUARD_A_CGROUP_ID: NLA_U64, required
 *   CTGUARD_A_FLAGS: NLA_U32, optional, mask of enum ctguard_flag
 *   CTGUARD_A_DENY: NLA_U32, mask of enum ctguard_class, optional
 *   CTGUARD_A_DENY_CAPS: NLA_U64, mask of 1 << CAP_*, optional
 *   CTGUARD_A_MODE: NLA_U8, enum ctguard_mode, optional
 *   CTGUARD_A_DEVICES: NLA_NESTED, optional
 *     0: NLA_NESTED (any type number; one per rule, in order)
 *       CTGUARD_A_DEV_TYPE: NLA_U8, enum ctguard_dev_type, required
 *       CTGUARD_A_DEV_MAJOR: NLA_U32, optional, absent or
 *         CTGUARD_DEV_ANY = any; not allowed with CTGUARD_DEV_ALL
 *       CTGUARD_A_DEV_MINOR: NLA_U32, optional, likewise
 *       CTGUARD_A_DEV_ACCESS: NLA_U8, mask of enum ctguard_dev_access, required
 *     1: NLA_NESTED
 *       ...
 *
 *   Fields not sent keep their current value when the policy exists; a new
 *   policy starts empty in enforce mode. With CTGUARD_F_REPLACE, fields not
 *   sent are reset to those defaults instead. CTGUARD_A_DEVICES, when sent,
 *   replaces the whole allowlist (an empty nest clears it). The allowlist is
 *   only consulted while CTGUARD_CLASS_DEVICES is denied.
 *
 *   With CTGUARD_F_ON_EXEC the policy is stored but pending: it takes effect
 *   when a task in the cgroup or below next calls execve(2) from a mount
 *   namespace other than the initial one, before the new program's first
 *   instruction, and from then on for every task there. A container
 *   runtime's createRuntime hook sets it while the runtime still has to
 *   mount the container's root and pivot_root inside the cgroup; the
 *   runtime's execve of the container's program, in the container's mount
 *   namespace, arms it. Execs in the initial mount namespace (runc's init
 *   re-executes itself there, inside the cgroup) leave it pending, so a
 *   cgroup whose tasks never leave that namespace keeps it pending: it is
 *   meant for containers. A SET without the flag takes effect at once.
 *
 *   Possible returned errors:
 *   - EINVAL: malformed or missing attribute, unknown flag or class bit,
 *     capability above CAP_LAST_CAP, malformed device rule, root cgroup;
 *   - ERANGE: an integer outside its range (cgroup id 0, mode, device rule
 *     type or access), as the netlink core reports range checks;
 *   - ENOENT: no cgroup v2 cgroup has this id;
 *   - ENOSPC: the module's max_policies limit is reached;
 *   - E2BIG: more device rules than the module's max_dev_rules;
 *   - EPERM: the caller lacks CAP_NET_ADMIN or is itself confined;
 *   - ENOMEM, or the error of arming a hook the policy needs.
 *
 * CTGUARD_CMD_DEL_POLICY
 * ----------------------
 *   CTGUARD_A_CGROUP_ID: NLA_U64, required
 *
 *   Possible returned errors: EINVAL, ERANGE, EPERM (as above); ENOENT: the
 *   cgroup has no policy.
 *
 * CTGUARD_CMD_GET_POLICY
 * ----------------------
 *   doit: CTGUARD_A_CGROUP_ID: NLA_U64, required. dumpit: no attribute.
 *
 *   Replies (one message per policy when dumping):
 *   CTGUARD_A_CGROUP_ID, CTGUARD_A_CGROUP_PATH (NLA_NUL_STRING, path below
 *   the cgroup2 root, "/a/b"; "" when the cgroup is gone and its policy
 *   not reclaimed yet, or outside the caller's cgroup namespace), CTGUARD_A_DENY, CTGUARD_A_DENY_CAPS,
 *   CTGUARD_A_MODE, CTGUARD_A_DEVICES (as above, every field present),
 *   CTGUARD_A_STATS (see CTGUARD_CMD_GET_STATS), CTGUARD_A_PENDING (NLA_U8,
 *   1 while a CTGUARD_F_ON_EXEC policy waits for its first execve, else 0).
 *   CTGUARD_A_RULE_PATTERN (NLA_NUL_STRING, only for a policy derived from a
 *   rule: the rule's pattern; see CTGUARD_CMD_SET_RULE).
 *
 *   Possible returned errors: EINVAL, EPERM; ENOENT: the cgroup has no
 *   policy.
 *
 * CTGUARD_CMD_GET_STATUS
 * ----------------------
 *   No attribute. Reply:
 *   CTGUARD_A_VERSION: NLA_NUL_STRING, module version
 *   CTGUARD_A_NR_POLICIES: NLA_U32, explicit and derived
 *   CTGUARD_A_MAX_POLICIES: NLA_U32
 *   CTGUARD_A_MAX_DEV_RULES: NLA_U32
 *   CTGUARD_A_PARTIAL: NLA_U8, 1 when loaded with some hooks unavailable
 *   CTGUARD_A_NR_RULES: NLA_U32, rules (CTGUARD_CMD_SET_RULE)
 *   CTGUARD_A_MAX_RULES: NLA_U32, the module's max_rules limit
 *   CTGUARD_A_STATS: NLA_NESTED, global counters
 *   CTGUARD_A_HOOKS: NLA_NESTED
 *     0: NLA_NESTED
 *       CTGUARD_A_HOOK_NAME: NLA_NUL_STRING, kernel function probed
 *       CTGUARD_A_HOOK_CLASS: NLA_U32, enum ctguard_class it serves
 *       CTGUARD_A_HOOK_STATE: NLA_U8, enum ctguard_hook_state
 *       CTGUARD_A_HOOK_HITS: NLA_U64, calls seen while armed
 *       CTGUARD_A_HOOK_MISSED: NLA_U64, calls let through by ftrace
 *         recursion protection
 *     1: ...
 *
 * CTGUARD_CMD_GET_STATS
 * ---------------------
 *   doit: CTGUARD_A_CGROUP_ID, required; dumpit: every policy.
 *   Reply: CTGUARD_A_CGROUP_ID, CTGUARD_A_CGROUP_PATH, CTGUARD_A_STATS:
 *     CTGUARD_A_STATS_DENIED: NLA_U64, operations refused
 *     CTGUARD_A_STATS_COMPLAINED: NLA_U64, operations allowed in complain mode
 *     CTGUARD_A_STATS_LOG_SUPPRESSED: NLA_U64, reports dropped from the
 *       kernel log by rate limiting (still counted and sent as events)
 *     CTGUARD_A_STATS_EVENTS_LOST: NLA_U64, events that could not be
 *       queued or built (no memory, a flood), or that a listener's full
 *       socket dropped; the kernel learns of the latter only from
 *       listeners that set the NETLINK_BROADCAST_ERROR socket option
 *   Possible returned errors: EINVAL, EPERM; ENOENT: no policy.
 *
 * CTGUARD_CMD_SET_RULE
 * --------------------
 *   Create the rule of a cgroup path pattern, or update it. Every cgroup
 *   whose path matches the pattern gets a policy of the rule's content (a
 *   "derived" policy), the existing ones when the rule is set and each new
 *   one from the moment it is created, before any task can enter it.
 *
 *   CTGUARD_A_RULE_PATTERN: NLA_NUL_STRING, required
 *   CTGUARD_A_FLAGS: NLA_U32, optional, CTGUARD_F_REPLACE and
 *     CTGUARD_F_ON_EXEC
 *   CTGUARD_A_DENY, CTGUARD_A_DENY_CAPS, CTGUARD_A_MODE, CTGUARD_A_DEVICES:
 *     optional, as for CTGUARD_CMD_SET_POLICY
 *
 *   The pattern is an absolute path below the cgroup2 root, "/a/b*c/d":
 *   '*' matches any run of characters and '?' one character, both within
 *   one path component (never '/'); every other character matches itself.
 *   It has at most CTGUARD_RULE_PATTERN_MAX - 1 characters, printable
 *   ASCII, components of at most 255 characters, no empty, "." or ".."
 *   component and no trailing '/'. A cgroup matches when it has as many
 *   components as the pattern and each one matches (cgroup namespaces do
 *   not apply: paths are seen from the cgroup2 root).
 *
 *   Fields not sent keep their value when the rule exists (a new rule
 *   starts empty, in enforce mode); CTGUARD_F_REPLACE resets them, as for
 *   policies. CTGUARD_F_ON_EXEC is not a field: each SET_RULE says whether
 *   the rule has it. With it, the policy a cgroup created later gets is
 *   pending, as a SET_POLICY with CTGUARD_F_ON_EXEC: in force from the
 *   first execve(2) in the cgroup from outside the initial mount namespace
 *   (the container runtime's exec of the container's program), so that the
 *   runtime can still mount the container's root and pivot_root inside the
 *   cgroup. The cgroups that exist when the rule is set get policies in
 *   force at once (their tasks may be running already), and an update of
 *   the rule leaves a pending policy pending. The probes the rule needs are armed before it takes effect,
 *   and stay armed while it exists.
 *
 *   Derived policies: a matching cgroup that has no policy gets a copy of
 *   the rule. When several rules match, the oldest one (the first created;
 *   an update keeps a rule's place) decides, so adding a rule never changes
 *   a cgroup that an older rule confines. Updating a rule updates its
 *   derived policies; deleting it deletes them, or hands each cgroup to the
 *   next rule that matches it. A SET_POLICY on a cgroup with a derived
 *   policy turns it into an explicit policy (fields not sent keep the
 *   derived values); rules never touch explicit policies. A DEL_POLICY of
 *   a derived (or explicit) policy of a cgroup that a rule matches leaves
 *   that cgroup without a policy for good: rules do not apply to it again
 *   (a SET_POLICY can still give it an explicit one). Derived policies of removed cgroups are reclaimed like
 *   others and count against max_policies. GET_POLICY replies name the
 *   rule of a derived policy in CTGUARD_A_RULE_PATTERN.
 *
 *   Fail closed: while a cgroup matches a rule but has no policy yet (the
 *   module could not allocate one at creation time and retries in the
 *   background, or max_policies is reached), no task may be moved into it
 *   or below it (cgroup.procs, clone3(CLONE_INTO_CGROUP)): EPERM.
 *
 *   Possible returned errors:
 *   - EINVAL: missing or malformed attribute, malformed pattern (the
 *     extack says what is wrong), flags other than CTGUARD_F_REPLACE,
 *     unknown class bit, capability above CAP_LAST_CAP, malformed device
 *     rule;
 *   - ERANGE: an integer outside its range (mode, device rule type or
 *     access);
 *   - ENAMETOOLONG: pattern or one of its components too long;
 *   - ENOSPC: the module's max_rules limit is reached, or max_policies
 *     while creating the derived policies of existing cgroups;
 *   - E2BIG: more device rules than the module's max_dev_rules;
 *   - EPERM: the caller lacks CAP_NET_ADMIN or is itself confined;
 *   - ENOMEM, or the error of arming a hook the rule needs.
 *   A new rule whose derived policies cannot all be created is not kept.
 *   An update that runs out of memory keeps the rule updated; the derived
 *   policies it could not rewrite keep the previous content until the
 *   module's background retry succeeds.
 *
 * CTGUARD_CMD_DEL_RULE
 * --------------------
 *   CTGUARD_A_RULE_PATTERN: NLA_NUL_STRING, required
 *
 *   Deletes the rule and its derived policies (see SET_RULE).
 *   Possible returned errors: EINVAL, EPERM (as above); ENOENT: no rule
 *   has this pattern.
 *
 * CTGUARD_CMD_GET_RULE
 * --------------------
 *   doit: CTGUARD_A_RULE_PATTERN, required. dumpit: no attribute; rules in
 *   the order they were created (the order in which they decide).
 *
 *   Replies (one message per rule when dumping):
 *   CTGUARD_A_RULE_PATTERN, CTGUARD_A_DENY, CTGUARD_A_DENY_CAPS,
 *   CTGUARD_A_MODE, CTGUARD_A_DEVICES (every field present),
 *   CTGUARD_A_FLAGS (NLA_U32, CTGUARD_F_ON_EXEC if the rule has it),
 *   CTGUARD_A_RULE_MATCHED (NLA_U64, cgroups holding a policy derived from
 *   the rule).
 *
 *   Possible returned errors: EINVAL, EPERM; ENOENT: no rule has this
 *   pattern.
 *
 * CTGUARD_CMD_EVENT (multicast on "events", never accepted from user space)
 * -----------------
 *   CTGUARD_A_CGROUP_ID: NLA_U64, cgroup of the acting task
 *   CTGUARD_A_EV_POLICY_CGROUP_ID: NLA_U64, tagged cgroup whose policy decided
 *   CTGUARD_A_EV_PID, CTGUARD_A_EV_TGID: NLA_U32, in the initial pid namespace
 *   CTGUARD_A_EV_UID: NLA_U32, real uid in the initial user namespace
 *   CTGUARD_A_EV_COMM: NLA_NUL_STRING
 *   CTGUARD_A_EV_CLASS: NLA_U32, one enum ctguard_class bit
 *   CTGUARD_A_EV_VERDICT: NLA_U8, enum ctguard_verdict
 *   and the detail of the class:
 *   - CTGUARD_CLASS_CAP: CTGUARD_A_EV_CAP (NLA_U8)
 *   - CTGUARD_CLASS_MOUNT: CTGUARD_A_EV_MOUNT_OP (NLA_U8, enum
 *     ctguard_mount_op), CTGUARD_A_EV_FSTYPE (NLA_NUL_STRING, when known),
 *     CTGUARD_A_EV_MOUNT_FLAGS (NLA_U64, the call's flags, when any)
 *   - CTGUARD_CLASS_RAWSOCK: CTGUARD_A_EV_SOCK_FAMILY, _TYPE, _PROTOCOL
 *     (NLA_U32 each)
 *   - CTGUARD_CLASS_DMESG: CTGUARD_A_EV_SYSLOG_ACTION (NLA_U32)
 *   - CTGUARD_CLASS_MKNOD, CTGUARD_CLASS_DEVICES: CTGUARD_A_DEV_TYPE,
 *     CTGUARD_A_DEV_MAJOR, CTGUARD_A_DEV_MINOR, CTGUARD_A_DEV_ACCESS inside
 *     a CTGUARD_A_EV_DEVICE nest
 *   - CTGUARD_CLASS_USERNS: nothing more
 *   - CTGUARD_CLASS_CGROUP (self-protection, a refused cgroup migration):
 *     CTGUARD_A_EV_TARGET_CGROUP_ID (NLA_U64)
 */
#ifndef _UAPI_LINUX_CTGUARD_H
#define _UAPI_LINUX_CTGUARD_H

#include <linux/types.h>

#define CTGUARD_GENL_NAME "ctguard"
#define CTGUARD_GENL_VERSION 1
#define CTGUARD_MCGRP_EVENTS "events"

/* Longest cgroup path the module reports, including the NUL. */
#define CTGUARD_PATH_MAX 4096
/* Length of CTGUARD_A_EV_COMM, including the NUL (TASK_COMM_LEN). */
#define CTGUARD_COMM_LEN 16
/* Longest CTGUARD_A_RULE_PATTERN, including the NUL. */
#define CTGUARD_RULE_PATTERN_MAX 1024

enum ctguard_cmd {
	CTGUARD_CMD_UNSPEC,
	CTGUARD_CMD_SET_POLICY,
	CTGUARD_CMD_DEL_POLICY,
	CTGUARD_CMD_GET_POLICY,
	CTGUARD_CMD_GET_STATUS,
	CTGUARD_CMD_GET_STATS,
	CTGUARD_CMD_EVENT,
	CTGUARD_CMD_SET_RULE,
	CTGUARD_CMD_DEL_RULE,
	CTGUARD_CMD_GET_RULE,
	__CTGUARD_CMD_MAX
};
#define CTGUARD_CMD_MAX (__CTGUARD_CMD_MAX - 1)

/**
 * enum ctguard_class - classes of operations a policy can deny
 *
 * @CTGUARD_CLASS_MOUNT: mount(2) in every form, umount2(2), pivot_root(2)
 *	and the new mount API (fsopen, fspick, fsconfig's create and
 *	reconfigure commands, fsmount, open_tree with OPEN_TREE_CLONE,
 *	move_mount, mount_setattr)
 * @CTGUARD_CLASS_RAWSOCK: SOCK_RAW sockets of AF_INET and AF_INET6 and
 *	AF_PACKET sockets of any type, created by user space
 * @CTGUARD_CLASS_DMESG: syslog(2)/klogctl(3), reading /dev/kmsg and
 *	/proc/kmsg
 * @CTGUARD_CLASS_MKNOD: creating character or block device nodes
 * @CTGUARD_CLASS_DEVICES: creating or opening a character or block device
 *	that the policy's device allowlist does not grant
 * @CTGUARD_CLASS_USERNS: creating a user namespace
 * @CTGUARD_CLASS_CAP: a capability in CTGUARD_A_DENY_CAPS (events only;
 *	not accepted in CTGUARD_A_DENY)
 * @CTGUARD_CLASS_CGROUP: moving a task to a cgroup whose effective policy
 *	is weaker, or unloading the module (events only; refused for
 *	confined tasks even in complain mode)
 */
enum ctguard_class {
	CTGUARD_CLASS_MOUNT = 1 << 0,
	CTGUARD_CLASS_RAWSOCK = 1 << 1,
	CTGUARD_CLASS_DMESG = 1 << 2,
	CTGUARD_CLASS_MKNOD = 1 << 3,
	CTGUARD_CLASS_DEVICES = 1 << 4,
	CTGUARD_CLASS_USERNS = 1 << 5,
	__CTGUARD_CLASS_ALL = (1 << 6) - 1,
	CTGUARD_CLASS_CAP = 1 << 6,
	CTGUARD_CLASS_CGROUP = 1 << 7,
};

/**
 * enum ctguard_mode - what a policy does with an operation it denies
 *
 * @CTGUARD_MODE_ENFORCE: refuse it with EPERM and report it
 * @CTGUARD_MODE_COMPLAIN: allow it and report it
 */
enum ctguard_mode {
	CTGUARD_MODE_ENFORCE,
	CTGUARD_MODE_COMPLAIN,
	__CTGUARD_MODE_MAX
};
#define CTGUARD_MODE_MAX (__CTGUARD_MODE_MAX - 1)

/**
 * enum ctguard_flag - flags of CTGUARD_CMD_SET_POLICY and CTGUARD_CMD_SET_RULE
 *
 * @CTGUARD_F_REPLACE: reset fields that are not sent instead of keeping them
 * @CTGUARD_F_ON_EXEC: take effect at the next execve(2) in the cgroup
 *	from outside the initial mount namespace (SET_POLICY; for SET_RULE,
 *	the policies of the cgroups created later)
 */
enum ctguard_flag {
	CTGUARD_F_REPLACE = 1U << 0,
	CTGUARD_F_ON_EXEC = 1U << 1,
	__CTGUARD_F_ALL = CTGUARD_F_REPLACE | CTGUARD_F_ON_EXEC
};

/**
 * enum ctguard_dev_type - device type of an allowlist rule
 *
 * @CTGUARD_DEV_ALL: 'a', character and block devices
 * @CTGUARD_DEV_CHAR: 'c'
 * @CTGUARD_DEV_BLOCK: 'b'
 */
enum ctguard_dev_type {
	CTGUARD_DEV_ALL = 'a',
	CTGUARD_DEV_CHAR = 'c',
	CTGUARD_DEV_BLOCK = 'b',
};

/**
 * enum ctguard_dev_access - access bits of an allowlist rule
 *
 * @CTGUARD_DEV_READ: 'r', open for reading
 * @CTGUARD_DEV_WRITE: 'w', open for writing
 * @CTGUARD_DEV_MKNOD: 'm', create the node
 */
enum ctguard_dev_access {
	CTGUARD_DEV_READ = 1 << 0,
	CTGUARD_DEV_WRITE = 1 << 1,
	CTGUARD_DEV_MKNOD = 1 << 2,
	__CTGUARD_DEV_ACCESS_ALL = (1 << 3) - 1
};

/* CTGUARD_A_DEV_MAJOR/MINOR value meaning "any" in replies and events. */
#define CTGUARD_DEV_ANY 0xffffffffU

/**
 * enum ctguard_hook_state - state of one probe, in CTGUARD_A_HOOK_STATE
 *
 * @CTGUARD_HOOK_DISARMED: attached to nothing, because no policy needs it
 * @CTGUARD_HOOK_ARMED: enforcing
 * @CTGUARD_HOOK_UNAVAILABLE: its function is missing or owned by another
 *	IPMODIFY user (livepatch); only possible with allow_partial=1
 */
enum ctguard_hook_state {
	CTGUARD_HOOK_DISARMED,
	CTGUARD_HOOK_ARMED,
	CTGUARD_HOOK_UNAVAILABLE,
};

/**
 * enum ctguard_verdict - outcome reported in CTGUARD_A_EV_VERDICT
 *
 * @CTGUARD_VERDICT_DENIED: the operation failed with EPERM
 * @CTGUARD_VERDICT_COMPLAINED: the operation went ahead (complain mode)
 */
enum ctguard_verdict {
	CTGUARD_VERDICT_DENIED,
	CTGUARD_VERDICT_COMPLAINED,
};

/**
 * enum ctguard_mount_op - mount operation reported in CTGUARD_A_EV_MOUNT_OP
 */
enum ctguard_mount_op {
	CTGUARD_MOUNT_OP_MOUNT,
	CTGUARD_MOUNT_OP_UMOUNT,
	CTGUARD_MOUNT_OP_PIVOT_ROOT,
	CTGUARD_MOUNT_OP_MOVE_MOUNT,
	CTGUARD_MOUNT_OP_FSOPEN,
	CTGUARD_MOUNT_OP_FSPICK,
	CTGUARD_MOUNT_OP_FSMOUNT,
	CTGUARD_MOUNT_OP_OPEN_TREE,
	CTGUARD_MOUNT_OP_MOUNT_SETATTR,
	CTGUARD_MOUNT_OP_FSCONFIG,
};

enum ctguard_attr {
	CTGUARD_A_UNSPEC,
	CTGUARD_A_CGROUP_ID,
	CTGUARD_A_CGROUP_PATH,
	CTGUARD_A_FLAGS,
	CTGUARD_A_DENY,
	CTGUARD_A_DENY_CAPS,
	CTGUARD_A_MODE,
	CTGUARD_A_DEVICES,
	CTGUARD_A_STATS,
	CTGUARD_A_VERSION,
	CTGUARD_A_NR_POLICIES,
	CTGUARD_A_MAX_POLICIES,
	CTGUARD_A_MAX_DEV_RULES,
	CTGUARD_A_PARTIAL,
	CTGUARD_A_HOOKS,
	CTGUARD_A_EV_POLICY_CGROUP_ID,
	CTGUARD_A_EV_PID,
	CTGUARD_A_EV_TGID,
	CTGUARD_A_EV_UID,
	CTGUARD_A_EV_COMM,
	CTGUARD_A_EV_CLASS,
	CTGUARD_A_EV_VERDICT,
	CTGUARD_A_EV_CAP,
	CTGUARD_A_EV_MOUNT_OP,
	CTGUARD_A_EV_FSTYPE,
	CTGUARD_A_EV_MOUNT_FLAGS,
	CTGUARD_A_EV_SOCK_FAMILY,
	CTGUARD_A_EV_SOCK_TYPE,
	CTGUARD_A_EV_SOCK_PROTOCOL,
	CTGUARD_A_EV_SYSLOG_ACTION,
	CTGUARD_A_EV_DEVICE,
	CTGUARD_A_EV_TARGET_CGROUP_ID,
	CTGUARD_A_PAD,
	CTGUARD_A_PENDING,
	CTGUARD_A_RULE_PATTERN,
	CTGUARD_A_RULE_MATCHED,
	CTGUARD_A_NR_RULES,
	CTGUARD_A_MAX_RULES,
	__CTGUARD_A_MAX
};
#define CTGUARD_A_MAX (__CTGUARD_A_MAX - 1)

enum ctguard_dev_attr {
	CTGUARD_A_DEV_UNSPEC,
	CTGUARD_A_DEV_TYPE,
	CTGUARD_A_DEV_MAJOR,
	CTGUARD_A_DEV_MINOR,
	CTGUARD_A_DEV_ACCESS,
	__CTGUARD_A_DEV_MAX
};
#define CTGUARD_A_DEV_MAX (__CTGUARD_A_DEV_MAX - 1)

enum ctguard_hook_attr {
	CTGUARD_A_HOOK_UNSPEC,
	CTGUARD_A_HOOK_NAME,
	CTGUARD_A_HOOK_CLASS,
	CTGUARD_A_HOOK_STATE,
	CTGUARD_A_HOOK_HITS,
	CTGUARD_A_HOOK_MISSED,
	CTGUARD_A_HOOK_PAD,
	__CTGUARD_A_HOOK_MAX
};
#define CTGUARD_A_HOOK_MAX (__CTGUARD_A_HOOK_MAX - 1)

enum ctguard_stats_attr {
	CTGUARD_A_STATS_UNSPEC,
	CTGUARD_A_STATS_DENIED,
	CTGUARD_A_STATS_COMPLAINED,
	CTGUARD_A_STATS_LOG_SUPPRESSED,
	CTGUARD_A_STATS_EVENTS_LOST,
	CTGUARD_A_STATS_PAD,
	__CTGUARD_A_STATS_MAX
};
#define CTGUARD_A_STATS_MAX (__CTGUARD_A_STATS_MAX - 1)

#endif /* _UAPI_LINUX_CTGUARD_H */
