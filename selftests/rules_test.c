// SPDX-License-Identifier: GPL-2.0
/*
 * ctguard selftests: rules by cgroup path (CTGUARD_CMD_SET_RULE,
 * DEL_RULE, GET_RULE).
 *
 * A rule confines the cgroups that exist when it is set and every matching
 * cgroup created afterwards, from the moment mkdir returns: a task placed
 * in a new matching cgroup, by clone3(CLONE_INTO_CGROUP) or through
 * cgroup.procs, has its very first syscall refused. Non-matching siblings
 * and parents stay free; '*' and '?' stay within one path component. Rule
 * updates and deletions reach the derived policies; explicit policies win;
 * every netlink error path; reclaim after rmdir; and the fail-closed path
 * (a matching cgroup that could not get its policy cannot be entered),
 * provoked by reloading the module with a tiny max_policies.
 *
 * The denied operation is unshare(CLONE_NEWUSER) (class userns): it
 * succeeds for unconfined root in the test VM, and has no lasting effect.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "common.h"

CTG_KEEP_HOOKS_ARMED

/* ---- netlink helpers for rules ---------------------------------------- */

struct rule_req {
	const char *pattern;	/* NULL: attribute not sent */
	bool has_flags, has_deny, has_caps, has_mode;
	uint32_t flags, deny;
	uint64_t caps;
	uint8_t mode;
};

struct rule_info {
	char pattern[CTGUARD_RULE_PATTERN_MAX];
	bool has_deny, has_caps, has_mode, has_devices, has_matched, has_flags;
	uint32_t deny, flags;
	uint64_t caps;
	uint8_t mode;
	uint64_t matched;
	uint8_t cmd;
};

static int rule_set(struct ctg_nl *nl, const struct rule_req *r)
{
	struct nl_msg *msg = ctg_msg(nl, CTGUARD_CMD_SET_RULE, 0);

	if (!msg)
		return -ENOMEM;
	if (r->pattern)
		ctg_put(msg, CTGUARD_A_RULE_PATTERN, r->pattern,
			strlen(r->pattern) + 1);
	if (r->has_flags)
		ctg_put_u32(msg, CTGUARD_A_FLAGS, r->flags);
	if (r->has_deny)
		ctg_put_u32(msg, CTGUARD_A_DENY, r->deny);
	if (r->has_caps)
		ctg_put_u64(msg, CTGUARD_A_DENY_CAPS, r->caps);
	if (r->has_mode)
		ctg_put_u8(msg, CTGUARD_A_MODE, r->mode);
	return ctg_send(nl, msg, NULL, NULL);
}

/* A rule that denies exactly @deny, in enforce mode. */
static int rule_deny(struct ctg_nl *nl, const char *pattern, uint32_t deny)
{
	struct rule_req r = {
		.pattern = pattern, .has_flags = true,
		.flags = CTGUARD_F_REPLACE, .has_deny = true, .deny = deny,
	};

	return rule_set(nl, &r);
}

static int rule_del(struct ctg_nl *nl, const char *pattern)
{
	struct nl_msg *msg = ctg_msg(nl, CTGUARD_CMD_DEL_RULE, 0);

	if (!msg)
		return -ENOMEM;
	if (pattern)
		ctg_put(msg, CTGUARD_A_RULE_PATTERN, pattern,
			strlen(pattern) + 1);
	return ctg_send(nl, msg, NULL, NULL);
}

static int rule_cb(struct ctg_nl *nl, uint8_t cmd, struct nlattr **tb,
		   void *arg)
{
	struct rule_info *ri = arg;

	(void)nl;
	memset(ri, 0, sizeof(*ri));
	ri->cmd = cmd;
	if (tb[CTGUARD_A_RULE_PATTERN])
		snprintf(ri->pattern, sizeof(ri->pattern), "%s",
			 nla_get_string(tb[CTGUARD_A_RULE_PATTERN]));
	if (tb[CTGUARD_A_DENY]) {
		ri->has_deny = true;
		ri->deny = nla_get_u32(tb[CTGUARD_A_DENY]);
	}
	if (tb[CTGUARD_A_DENY_CAPS]) {
		ri->has_caps = true;
		ri->caps = nla_get_u64(tb[CTGUARD_A_DENY_CAPS]);
	}
	if (tb[CTGUARD_A_MODE]) {
		ri->has_mode = true;
		ri->mode = nla_get_u8(tb[CTGUARD_A_MODE]);
	}
	ri->has_devices = tb[CTGUARD_A_DEVICES] != NULL;
	if (tb[CTGUARD_A_FLAGS]) {
		ri->has_flags = true;
		ri->flags = nla_get_u32(tb[CTGUARD_A_FLAGS]);
	}
	if (tb[CTGUARD_A_RULE_MATCHED]) {
		ri->has_matched = true;
		ri->matched = nla_get_u64(tb[CTGUARD_A_RULE_MATCHED]);
	}
	return 0;
}

static int rule_get(struct ctg_nl *nl, const char *pattern,
		    struct rule_info *ri)
{
	struct nl_msg *msg = ctg_msg(nl, CTGUARD_CMD_GET_RULE, 0);

	memset(ri, 0, sizeof(*ri));
	if (!msg)
		return -ENOMEM;
	if (pattern)
		ctg_put(msg, CTGUARD_A_RULE_PATTERN, pattern,
			strlen(pattern) + 1);
	return ctg_send(nl, msg, rule_cb, ri);
}

#define MAX_DUMP 512

struct rule_dump {
	int nr;
	struct rule_info *ri;	/* MAX_DUMP entries */
};

static int rule_dump_cb(struct ctg_nl *nl, uint8_t cmd, struct nlattr **tb,
			void *arg)
{
	struct rule_dump *d = arg;

	if (d->nr >= MAX_DUMP)
		return -E2BIG;
	return rule_cb(nl, cmd, tb, &d->ri[d->nr++]);
}

static int rule_dump(struct ctg_nl *nl, struct rule_dump *d)
{
	struct nl_msg *msg = ctg_msg(nl, CTGUARD_CMD_GET_RULE, NLM_F_DUMP);

	d->nr = 0;
	if (!msg)
		return -ENOMEM;
	return ctg_send(nl, msg, rule_dump_cb, d);
}

/* GET_POLICY, with the rule pattern of a derived policy ("" if none). */
struct pol_info {
	bool got;
	uint32_t deny;
	uint8_t mode;
	int pending;	/* -1: not in the reply */
	char rule[CTGUARD_RULE_PATTERN_MAX];
};

static int pol_cb(struct ctg_nl *nl, uint8_t cmd, struct nlattr **tb,
		  void *arg)
{
	struct pol_info *pi = arg;

	(void)nl;
	(void)cmd;
	pi->got = true;
	pi->pending = tb[CTGUARD_A_PENDING] ?
		      nla_get_u8(tb[CTGUARD_A_PENDING]) : -1;
	if (tb[CTGUARD_A_DENY])
		pi->deny = nla_get_u32(tb[CTGUARD_A_DENY]);
	if (tb[CTGUARD_A_MODE])
		pi->mode = nla_get_u8(tb[CTGUARD_A_MODE]);
	if (tb[CTGUARD_A_RULE_PATTERN])
		snprintf(pi->rule, sizeof(pi->rule), "%s",
			 nla_get_string(tb[CTGUARD_A_RULE_PATTERN]));
	return 0;
}

static int pol_get(struct ctg_nl *nl, uint64_t cgid, struct pol_info *pi)
{
	struct nl_msg *msg = ctg_msg(nl, CTGUARD_CMD_GET_POLICY, 0);

	memset(pi, 0, sizeof(*pi));
	if (!msg)
		return -ENOMEM;
	ctg_put_u64(msg, CTGUARD_A_CGROUP_ID, cgid);
	return ctg_send(nl, msg, pol_cb, pi);
}

struct rstatus {
	bool has_nr, has_max;
	uint32_t nr_rules, max_rules, nr_policies;
};

static int status_cb(struct ctg_nl *nl, uint8_t cmd, struct nlattr **tb,
		     void *arg)
{
	struct rstatus *st = arg;

	(void)nl;
	(void)cmd;
	if (tb[CTGUARD_A_NR_RULES]) {
		st->has_nr = true;
		st->nr_rules = nla_get_u32(tb[CTGUARD_A_NR_RULES]);
	}
	if (tb[CTGUARD_A_MAX_RULES]) {
		st->has_max = true;
		st->max_rules = nla_get_u32(tb[CTGUARD_A_MAX_RULES]);
	}
	if (tb[CTGUARD_A_NR_POLICIES])
		st->nr_policies = nla_get_u32(tb[CTGUARD_A_NR_POLICIES]);
	return 0;
}

static int rstatus(struct ctg_nl *nl, struct rstatus *st)
{
	struct nl_msg *msg = ctg_msg(nl, CTGUARD_CMD_GET_STATUS, 0);

	memset(st, 0, sizeof(*st));
	if (!msg)
		return -ENOMEM;
	return ctg_send(nl, msg, status_cb, st);
}

/* ---- the operation under test ---------------------------------------- */

/* In a child (ctg_run): the denied operation. */
static long do_userns(void *arg)
{
	(void)arg;
	STEP(1);
	return unshare(CLONE_NEWUSER);
}

/*
 * clone3(CLONE_INTO_CGROUP) into @path; the child's first syscall is
 * unshare(CLONE_NEWUSER). Returns the errno it got (0: allowed), or
 * -errno when clone3 itself failed.
 */
static int clone3_userns(const char *path)
{
	struct clone_args args = { 0 };
	int fd, status, err;
	pid_t pid;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	args.flags = CLONE_INTO_CGROUP;
	args.exit_signal = SIGCHLD;
	args.cgroup = fd;
	fflush(stdout);
	fflush(stderr);
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid == 0) {
		long r = syscall(SYS_unshare, CLONE_NEWUSER);

		_exit(r ? (errno & 0x7f) : 0);
	}
	err = errno;
	close(fd);
	if (pid < 0)
		return -err;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -ECHILD;
	return WEXITSTATUS(status);
}

/*
 * A child born here waits until it has been written into @path's
 * cgroup.procs, then its first syscall is unshare(CLONE_NEWUSER).
 * Returns its errno (0: allowed), -errno when the move failed.
 */
static int procs_userns(const char *path)
{
	int p[2], status, err = 0;
	pid_t pid;
	char c;

	if (pipe(p))
		return -errno;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		long r;

		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			_exit(126);
		r = syscall(SYS_unshare, CLONE_NEWUSER);
		_exit(r ? (errno & 0x7f) : 0);
	}
	close(p[0]);
	if (ctg_cg_enter(path, pid))
		err = -errno;
	if (!err && write(p[1], "x", 1) != 1)
		err = -EIO;
	close(p[1]);
	if (waitpid(pid, &status, 0) != pid)
		return -ECHILD;
	if (err)
		return err;
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 126)
		return -ECHILD;
	return WEXITSTATUS(status);
}

/* ---- fixture ----------------------------------------------------------- */

FIXTURE(rules) {
	struct ctg_nl nl;
	struct ctg_cg base;	/* /ctguard-test-XXXXXX */
	char pat[PATH_MAX];	/* scratch for patterns */
	char name[64];		/* basename of base */
};

FIXTURE_SETUP(rules)
{
	ASSERT_TRUE(ctg_cgroup2_mounted());
	ASSERT_EQ(0, ctg_nl_open(&self->nl))
		TH_LOG("cannot reach the ctguard family: is the module loaded?");
	ASSERT_EQ(0, ctg_cg_create(&self->base));
	snprintf(self->name, sizeof(self->name), "%s",
		 strrchr(self->base.path, '/') + 1);
}

static int del_all_rules(struct ctg_nl *nl, const char *prefix)
{
	struct rule_dump d = { .ri = calloc(MAX_DUMP, sizeof(*d.ri)) };
	int i, err;

	if (!d.ri)
		return -ENOMEM;
	err = rule_dump(nl, &d);
	for (i = 0; !err && i < d.nr; i++)
		if (!strncmp(d.ri[i].pattern, prefix, strlen(prefix)))
			err = rule_del(nl, d.ri[i].pattern);
	free(d.ri);
	return err;
}

FIXTURE_TEARDOWN(rules)
{
	char prefix[80];

	if (!ctg_module_loaded()) {
		EXPECT_EQ(0, ctg_module_load(""));
		ctg_nl_close(&self->nl);
		EXPECT_EQ(0, ctg_nl_open(&self->nl));
	}
	snprintf(prefix, sizeof(prefix), "/%s/", self->name);
	EXPECT_EQ(0, del_all_rules(&self->nl, prefix));
	EXPECT_EQ(0, ctg_cg_destroy(&self->nl, self->base.path));
	ctg_nl_close(&self->nl);
}

/* "/<base>/<rest>" into self->pat. */
#define PAT(rest) (snprintf(self->pat, sizeof(self->pat), "/%s/%s", \
			    self->name, (rest)), self->pat)

#define EXPECT_POLICY_OF(cgid, rule_pat, deny_mask)                          \
	do {                                                                 \
		struct pol_info __pi;                                        \
		ASSERT_NL_OK(&self->nl, pol_get(&self->nl, (cgid), &__pi));  \
		EXPECT_STREQ((rule_pat), __pi.rule);                         \
		EXPECT_EQ((uint32_t)(deny_mask), __pi.deny);                 \
	} while (0)

#define EXPECT_NO_POLICY(cgid)                                               \
	do {                                                                 \
		struct pol_info __pi;                                        \
		ASSERT_NL_ERR(&self->nl, ENOENT,                             \
			      pol_get(&self->nl, (cgid), &__pi));            \
	} while (0)

/* ---- tests ------------------------------------------------------------- */

/* A rule confines the matching cgroups that already exist, and only them. */
TEST_F(rules, existing_cgroups)
{
	struct ctg_cg box, box2, other, sub;
	char pat[PATH_MAX];
	struct rule_info ri;

	ASSERT_EQ(0, ctg_cg_child(&self->base, "box-1", &box));
	ASSERT_EQ(0, ctg_cg_child(&self->base, "box-2", &box2));
	ASSERT_EQ(0, ctg_cg_child(&self->base, "other", &other));
	ASSERT_EQ(0, ctg_cg_child(&box, "sub", &sub));
	/* Before: allowed everywhere. */
	ASSERT_RUN(box.path, NULL, do_userns, NULL, 1, 0);
	ASSERT_RUN(other.path, NULL, do_userns, NULL, 1, 0);

	snprintf(pat, sizeof(pat), "%s", PAT("box-*"));
	ASSERT_NL_OK(&self->nl, rule_deny(&self->nl, pat, CTGUARD_CLASS_USERNS));

	EXPECT_POLICY_OF(box.id, pat, CTGUARD_CLASS_USERNS);
	EXPECT_POLICY_OF(box2.id, pat, CTGUARD_CLASS_USERNS);
	/* Deeper than the pattern: no policy of its own, inherits box-1's. */
	EXPECT_NO_POLICY(sub.id);
	EXPECT_NO_POLICY(other.id);
	EXPECT_NO_POLICY(self->base.id);
	ASSERT_RUN(box.path, NULL, do_userns, NULL, 1, EPERM);
	ASSERT_RUN(box2.path, NULL, do_userns, NULL, 1, EPERM);
	ASSERT_RUN(sub.path, NULL, do_userns, NULL, 1, EPERM);
	ASSERT_RUN(other.path, NULL, do_userns, NULL, 1, 0);
	ASSERT_RUN(self->base.path, NULL, do_userns, NULL, 1, 0);

	ASSERT_NL_OK(&self->nl, rule_get(&self->nl, pat, &ri));
	EXPECT_EQ(CTGUARD_CMD_GET_RULE, ri.cmd);
	EXPECT_STREQ(pat, ri.pattern);
	EXPECT_EQ(2, ri.matched);
}

/*
 * A cgroup created after the rule is confined when mkdir returns: a child
 * cloned straight into it has its first syscall refused.
 */
TEST_F(rules, new_cgroup_clone3)
{
	struct ctg_cg box, other;
	char pat[PATH_MAX];
	struct rule_info ri;

	snprintf(pat, sizeof(pat), "%s", PAT("box-*"));
	ASSERT_NL_OK(&self->nl, rule_deny(&self->nl, pat, CTGUARD_CLASS_USERNS));
	ASSERT_EQ(0, ctg_cg_child(&self->base, "other", &other));
	/* The control: the same child in a non-matching sibling. */
	EXPECT_EQ(0, clone3_userns(other.path));
	EXPECT_EQ(0, clone3_userns(self->base.path));

	ASSERT_EQ(0, ctg_cg_child(&self->base, "box-new", &box));
	EXPECT_POLICY_OF(box.id, pat, CTGUARD_CLASS_USERNS);
	EXPECT_EQ(EPERM, clone3_userns(box.path));
	EXPECT_NO_POLICY(other.id);
	ASSERT_NL_OK(&self->nl, rule_get(&self->nl, pat, &ri));
	EXPECT_EQ(1, ri.matched);
}

/* The same, for a task written into cgroup.procs. */
TEST_F(rules, new_cgroup_procs)
{
	struct ctg_cg box, other;
	char pat[PATH_MAX];

	snprintf(pat, sizeof(pat), "%s", PAT("box-*"));
	ASSERT_NL_OK(&self->nl, rule_deny(&self->nl, pat, CTGUARD_CLASS_USERNS));
	ASSERT_EQ(0, ctg_cg_child(&self->base, "other", &other));
	EXPECT_EQ(0, procs_userns(other.path));

	ASSERT_EQ(0, ctg_cg_child(&self->base, "box-new", &box));
	EXPECT_EQ(EPERM, procs_userns(box.path));
	/* Descendants created later inherit it. */
	{
		struct ctg_cg deep;

		ASSERT_EQ(0, ctg_cg_child(&box, "deeper", &deep));
		EXPECT_NO_POLICY(deep.id);
		EXPECT_EQ(EPERM, procs_userns(deep.path));
	}
}

/* '*' and '?' match within one component, never across '/'. */
TEST_F(rules, wildcards_stay_in_a_component)
{
	struct ctg_cg a, az, abz, q1, q12, q, x, xleaf, y, xy, xyleaf;
	char star[PATH_MAX], qpat[PATH_MAX], mid[PATH_MAX];

	snprintf(star, sizeof(star), "%s", PAT("a*z"));
	snprintf(qpat, sizeof(qpat), "%s", PAT("q?"));
	snprintf(mid, sizeof(mid), "%s", PAT("*/leaf"));
	ASSERT_NL_OK(&self->nl, rule_deny(&self->nl, star, CTGUARD_CLASS_USERNS));
	ASSERT_NL_OK(&self->nl, rule_deny(&self->nl, qpat, CTGUARD_CLASS_USERNS));
	ASSERT_NL_OK(&self->nl, rule_deny(&self->nl, mid, CTGUARD_CLASS_USERNS));

	ASSERT_EQ(0, ctg_cg_child(&self->base, "a", &a));
	ASSERT_EQ(0, ctg_cg_child(&a, "z", &az));	/* a/z: not a*z */
	ASSERT_EQ(0, ctg_cg_child(&self->base, "a-b-z", &abz));
	ASSERT_EQ(0, ctg_cg_child(&self->base, "q1", &q1));
	ASSERT_EQ(0, ctg_cg_child(&self->base, "q12", &q12));
	ASSERT_EQ(0, ctg_cg_child(&self->base, "q", &q));
	ASSERT_EQ(0, ctg_cg_child(&self->base, "x", &x));
	ASSERT_EQ(0, ctg_cg_child(&x, "leaf", &xleaf));
	ASSERT_EQ(0, ctg_cg_child(&self->base, "y", &y));
	ASSERT_EQ(0, ctg_cg_child(&y, "x", &xy));
	ASSERT_EQ(0, ctg_cg_child(&xy, "leaf", &xyleaf));

	EXPECT_NO_POLICY(a.id);
	EXPECT_NO_POLICY(az.id);
	EXPECT_POLICY_OF(abz.id, star, CTGUARD_CLASS_USERNS);
	EXPECT_POLICY_OF(q1.id, qpat, CTGUARD_CLASS_USERNS);
	EXPECT_NO_POLICY(q12.id);
	EXPECT_NO_POLICY(q.id);
	EXPECT_NO_POLICY(x.id);
	EXPECT_POLICY_OF(xleaf.id, mid, CTGUARD_CLASS_USERNS);
	EXPECT_NO_POLICY(xyleaf.id);	/* '*' is one component only */
	ASSERT_RUN(az.path, NULL, do_userns, NULL, 1, 0);
	ASSERT_RUN(xyleaf.path, NULL, do_userns, NULL, 1, 0);
	ASSERT_RUN(abz.path, NULL, do_userns, NULL, 1, EPERM);
}

/* Updating a rule rewrites its derived policies; deleting removes them. */
TEST_F(rules, update_and_delete)
{
	struct rule_req up = { 0 };
	struct ctg_cg box, late;
	char pat[PATH_MAX];
	struct rule_info ri;
	struct pol_info pi;

	snprintf(pat, sizeof(pat), "%s", PAT("box-*"));
	ASSERT_EQ(0, ctg_cg_child(&self->base, "box-1", &box));
	ASSERT_NL_OK(&self->nl, rule_deny(&self->nl, pat, CTGUARD_CLASS_USERNS));
	ASSERT_RUN(box.path, NULL, do_userns, NULL, 1, EPERM);

	/* Fields not sent are kept: add complain mode only. */
	up.pattern = pat;
	up.has_mode = true;
	up.mode = CTGUARD_MODE_COMPLAIN;
	ASSERT_NL_OK(&self->nl, rule_set(&self->nl, &up));
	ASSERT_NL_OK(&self->nl, pol_get(&self->nl, box.id, &pi));
	EXPECT_EQ(CTGUARD_CLASS_USERNS, pi.deny);
	EXPECT_EQ(CTGUARD_MODE_COMPLAIN, pi.mode);
	EXPECT_STREQ(pat, pi.rule);
	ASSERT_RUN(box.path, NULL, do_userns, NULL, 1, 0);

	/* Replace: deny mount only, enforce. */
	ASSERT_NL_OK(&self->nl, rule_deny(&self->nl, pat, CTGUARD_CLASS_MOUNT));
	ASSERT_NL_OK(&self->nl, pol_get(&self->nl, box.id, &pi));
	EXPECT_EQ(CTGUARD_CLASS_MOUNT, pi.deny);
	EXPECT_EQ(CTGUARD_MODE_ENFORCE, pi.mode);
	ASSERT_RUN(box.path, NULL, do_userns, NULL, 1, 0);
	/* New cgroups get the new content. */
	ASSERT_EQ(0, ctg_cg_child(&self->base, "box-late", &late));
	EXPECT_POLICY_OF(late.id, pat, CTGUARD_CLASS_MOUNT);
	ASSERT_NL_OK(&self->nl, rule_get(&self->nl, pat, &ri));
	EXPECT_EQ(CTGUARD_CLASS_MOUNT, ri.deny);
	EXPECT_EQ(2, ri.matched);

	ASSERT_NL_OK(&self->nl, rule_del(&self->nl, pat));
	EXPECT_NO_POLICY(box.id);
	EXPECT_NO_POLICY(late.id);
	ASSERT_NL_ERR(&self->nl, ENOENT, rule_get(&self->nl, pat, &ri));
	ASSERT_RUN(box.path, NULL, do_userns, NULL, 1, 0);
	/* And nothing happens to new cgroups any more. */
	{
		struct ctg_cg after;

		ASSERT_EQ(0, ctg_cg_child(&self->base, "box-after", &after));
		EXPECT_NO_POLICY(after.id);
		EXPECT_EQ(0, clone3_userns(after.path));
	}
}

/* The oldest matching rule decides; deleting it hands over to the next. */
TEST_F(rules, oldest_rule_wins)
{
	char older[PATH_MAX], newer[PATH_MAX];
	struct ctg_cg box;
	struct rule_dump d = { .ri = calloc(MAX_DUMP, sizeof(*d.ri)) };
	int i, io = -1, in = -1;

	ASSERT_NE(NULL, d.ri);
	snprintf(older, sizeof(older), "%s", PAT("box-*"));
	snprintf(newer, sizeof(newer), "%s", PAT("*-1"));
	ASSERT_NL_OK(&self->nl, rule_deny(&self->nl, older, CTGUARD_CLASS_USERNS));
	ASSERT_NL_OK(&self->nl, rule_deny(&self->nl, newer, CTGUARD_CLASS_MOUNT));
	ASSERT_EQ(0, ctg_cg_child(&self->base, "box-1", &box));
	EXPECT_POLICY_OF(box.id, older, CTGUARD_CLASS_USERNS);

	/* The dump lists them in creation order. */
	ASSERT_NL_OK(&self->nl, rule_dump(&self->nl, &d));
	for (i = 0; i < d.nr; i++) {
		if (!strcmp(d.ri[i].pattern, older))
			io = i;
		if (!strcmp(d.ri[i].pattern, newer))
			in = i;
	}
	ASSERT_LE(0, io);
	ASSERT_LT(io, in);
	EXPECT_EQ(1, d.ri[io].matched);
	EXPECT_EQ(0, d.ri[in].matched);
	EXPECT_TRUE(d.ri[in].has_deny && d.ri[in].has_caps &&
		    d.ri[in].has_mode && d.ri[in].has_devices);
	EXPECT_EQ(CTGUARD_CLASS_MOUNT, d.ri[in].deny);
	free(d.ri);

	/* Updating the newer one does not touch it. */
	ASSERT_NL_OK(&self->nl, rule_deny(&self->nl, newer,
					  CTGUARD_CLASS_MOUNT | CTGUARD_CLASS_DMESG));
	EXPECT_POLICY_OF(box.id, older, CTGUARD_CLASS_USERNS);

	ASSERT_NL_OK(&self->nl, rule_del(&self->nl, older));
	EXPECT_POLICY_OF(box.id, newer, CTGUARD_CLASS_MOUNT | CTGUARD_CLASS_DMESG);
	ASSERT_RUN(box.path, NULL, do_userns, NULL, 1, 0);
}

/*
 * An explicit SET on a derived policy makes it explicit (fields not sent
 * kept); rules leave it alone from then on. DEL of a derived policy leaves
 * the cgroup free, and the rule does not come back to it.
 */
TEST_F(rules, explicit_policies_win)
{
	struct ctg_cg box, box2;
	char pat[PATH_MAX];
	struct ctg_set s = { 0 };
	struct pol_info pi;
	struct rule_info ri;

	snprintf(pat, sizeof(pat), "%s", PAT("box-*"));
	ASSERT_EQ(0, ctg_cg_child(&self->base, "box-1", &box));
	ASSERT_EQ(0, ctg_cg_child(&self->base, "box-2", &box2));
	ASSERT_NL_OK(&self->nl, rule_deny(&self->nl, pat, CTGUARD_CLASS_USERNS));

	s.cgid = box.id;
	s.has_mode = true;
	s.mode = CTGUARD_MODE_COMPLAIN;
	ASSERT_NL_OK(&self->nl, ctg_set(&self->nl, &s));
	ASSERT_NL_OK(&self->nl, pol_get(&self->nl, box.id, &pi));
	EXPECT_STREQ("", pi.rule);
	EXPECT_EQ(CTGUARD_CLASS_USERNS, pi.deny);
	EXPECT_EQ(CTGUARD_MODE_COMPLAIN, pi.mode);
	ASSERT_NL_OK(&self->nl, rule_get(&self->nl, pat, &ri));
	EXPECT_EQ(1, ri.matched);

	/* A rule update does not reach it; deleting the rule keeps it. */
	ASSERT_NL_OK(&self->nl, rule_deny(&self->nl, pat, CTGUARD_CLASS_MOUNT));
	ASSERT_NL_OK(&self->nl, pol_get(&self->nl, box.id, &pi));
	EXPECT_EQ(CTGUARD_CLASS_USERNS, pi.deny);
	EXPECT_POLICY_OF(box2.id, pat, CTGUARD_CLASS_MOUNT);

	/* DEL of the derived policy of box-2: free, and it stays free. */
	ASSERT_NL_OK(&self->nl, ctg_del(&self->nl, box2.id));
	EXPECT_NO_POLICY(box2.id);
	ASSERT_RUN(box2.path, NULL, do_userns, NULL, 1, 0);
	EXPECT_EQ(0, procs_userns(box2.path));	/* not "fail closed" */
	ASSERT_NL_OK(&self->nl, rule_deny(&self->nl, pat, CTGUARD_CLASS_USERNS));
	EXPECT_NO_POLICY(box2.id);

	ASSERT_NL_OK(&self->nl, rule_del(&self->nl, pat));
	ASSERT_NL_OK(&self->nl, pol_get(&self->nl, box.id, &pi));
	EXPECT_STREQ("", pi.rule);
}

/* Derived policies of removed cgroups are reclaimed (every 5 s). */
TEST_F(rules, reclaim_after_rmdir)
{
	struct ctg_cg box;
	char pat[PATH_MAX];
	struct rule_info ri;
	int i;

	snprintf(pat, sizeof(pat), "%s", PAT("box-*"));
	ASSERT_NL_OK(&self->nl, rule_deny(&self->nl, pat, CTGUARD_CLASS_USERNS));
	ASSERT_EQ(0, ctg_cg_child(&self->base, "box-1", &box));
	ASSERT_NL_OK(&self->nl, rule_get(&self->nl, pat, &ri));
	ASSERT_EQ(1, ri.matched);
	ASSERT_EQ(0, rmdir(box.path));
	for (i = 0; i < 300; i++) {
		ASSERT_NL_OK(&self->nl, rule_get(&self->nl, pat, &ri));
		if (!ri.matched)
			break;
		usleep(100000);
	}
	EXPECT_EQ(0, ri.matched);
	EXPECT_NO_POLICY(box.id);
}

/* ---- netlink errors ---------------------------------------------------- */

/*
 * In a child in the cgroup: a grandchild execs /bin/true, from a mount
 * namespace of its own when @arg is not NULL (a runtime starting the
 * container's program) or from the initial one (runc re-executing itself),
 * then the child tries the denied operation.
 */
static long do_exec_then_userns(void *arg)
{
	STEP(1);
	if (ctg_exec_true(arg != NULL))
		return -1;
	return unshare(CLONE_NEWUSER);
}

#define EXPECT_PENDING(cgid, want)                                           \
	do {                                                                 \
		struct pol_info __pi;                                        \
		ASSERT_NL_OK(&self->nl, pol_get(&self->nl, (cgid), &__pi));  \
		EXPECT_EQ((want), __pi.pending);                             \
	} while (0)

/*
 * CTGUARD_F_ON_EXEC on a rule: cgroups created later get a pending policy,
 * in force from the first exec in the cgroup from outside the initial mount
 * namespace (what a container runtime's exec of the container's program
 * is); cgroups that exist when the rule is set are confined at once.
 */
TEST_F(rules, on_exec)
{
	struct rule_req r = {
		.has_flags = true, .flags = CTGUARD_F_REPLACE | CTGUARD_F_ON_EXEC,
		.has_deny = true, .deny = CTGUARD_CLASS_USERNS,
	};
	struct ctg_cg old, box, box2;
	struct rule_info ri;
	char pat[PATH_MAX];

	snprintf(pat, sizeof(pat), "%s", PAT("box-*"));
	r.pattern = pat;
	ASSERT_EQ(0, ctg_cg_child(&self->base, "box-old", &old));
	ASSERT_NL_OK(&self->nl, rule_set(&self->nl, &r));
	ASSERT_NL_OK(&self->nl, rule_get(&self->nl, pat, &ri));
	EXPECT_TRUE(ri.has_flags);
	EXPECT_EQ(CTGUARD_F_ON_EXEC, ri.flags);

	/* Existing: in force at once. */
	EXPECT_PENDING(old.id, 0);
	ASSERT_RUN(old.path, NULL, do_userns, NULL, 1, EPERM);

	/* New: pending, the "runtime" may still do what it denies. */
	ASSERT_EQ(0, ctg_cg_child(&self->base, "box-new", &box));
	EXPECT_POLICY_OF(box.id, pat, CTGUARD_CLASS_USERNS);
	EXPECT_PENDING(box.id, 1);
	EXPECT_EQ(0, procs_userns(box.path));
	/* An exec in the initial mount namespace leaves it pending. */
	ASSERT_RUN(box.path, NULL, do_exec_then_userns, NULL, 1, 0);
	EXPECT_PENDING(box.id, 1);

	/* An update of the rule keeps it pending. */
	r.deny = CTGUARD_CLASS_USERNS | CTGUARD_CLASS_DMESG;
	ASSERT_NL_OK(&self->nl, rule_set(&self->nl, &r));
	EXPECT_POLICY_OF(box.id, pat, r.deny);
	EXPECT_PENDING(box.id, 1);
	EXPECT_PENDING(old.id, 0);

	/* The container's exec puts it in force, for every task there. */
	ASSERT_RUN(box.path, NULL, do_exec_then_userns, "mntns", 1, EPERM);
	EXPECT_PENDING(box.id, 0);
	EXPECT_EQ(EPERM, procs_userns(box.path));

	/* The same rule without the flag: new cgroups are confined at once. */
	r.flags = CTGUARD_F_REPLACE;
	ASSERT_NL_OK(&self->nl, rule_set(&self->nl, &r));
	ASSERT_NL_OK(&self->nl, rule_get(&self->nl, pat, &ri));
	EXPECT_EQ(0, ri.flags);
	ASSERT_EQ(0, ctg_cg_child(&self->base, "box-2", &box2));
	EXPECT_PENDING(box2.id, 0);
	EXPECT_EQ(EPERM, clone3_userns(box2.path));
}

struct bad_pattern {
	const char *pattern;
	int err;
	const char *msg;	/* part of the extack message */
};

TEST_F(rules, bad_patterns)
{
	static char long_pat[CTGUARD_RULE_PATTERN_MAX + 1];
	static char long_comp[300];
	const struct bad_pattern bad[] = {
		{ "relative/x", EINVAL, "absolute" },
		{ "", EINVAL, "absolute" },
		{ "/", EINVAL, "root" },
		{ "/a/", EINVAL, "ends with" },
		{ "/a//b", EINVAL, "empty component" },
		{ "/a/./b", EINVAL, "\".\"" },
		{ "/a/..", EINVAL, "\"..\"" },
		{ "/a\tb", EINVAL, "printable" },
		{ "/a\nb", EINVAL, "printable" },
		{ "/caf\xc3\xa9", EINVAL, "printable" },
		{ long_pat, ENAMETOOLONG, "longer than 1023" },
		{ long_comp, ENAMETOOLONG, "longer than 255" },
	};
	struct rule_info ri;
	size_t i;

	long_pat[0] = '/';
	memset(long_pat + 1, 'a', CTGUARD_RULE_PATTERN_MAX - 1);
	long_pat[CTGUARD_RULE_PATTERN_MAX] = '\0';	/* 1024 characters */
	snprintf(long_comp, sizeof(long_comp), "/x/");
	memset(long_comp + 3, 'b', 256);
	long_comp[259] = '\0';

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int e = rule_deny(&self->nl, bad[i].pattern,
				  CTGUARD_CLASS_USERNS);

		EXPECT_EQ(-bad[i].err, e)
			TH_LOG("pattern #%zu: got %s (%s)", i, strerror(-e),
			       self->nl.ext.msg);
		EXPECT_NE(NULL, strstr(self->nl.ext.msg, bad[i].msg))
			TH_LOG("pattern #%zu: extack \"%s\"", i,
			       self->nl.ext.msg);
		EXPECT_TRUE(self->nl.ext.has_offs)
			TH_LOG("pattern #%zu: no offending attribute", i);
	}
	/* Nothing was created. */
	ASSERT_NL_ERR(&self->nl, ENOENT, rule_get(&self->nl, "/a//b", &ri));
}

TEST_F(rules, bad_requests)
{
	struct rule_req r = { 0 };
	struct rule_info ri;
	struct nl_msg *msg;
	char pat[PATH_MAX];

	snprintf(pat, sizeof(pat), "%s", PAT("box-*"));
	/* Pattern missing: SET, DEL, GET. */
	r.has_deny = true;
	r.deny = CTGUARD_CLASS_USERNS;
	ASSERT_NL_ERR(&self->nl, EINVAL, rule_set(&self->nl, &r));
	EXPECT_TRUE(self->nl.ext.has_miss_type);
	EXPECT_EQ(CTGUARD_A_RULE_PATTERN, self->nl.ext.miss_type);
	ASSERT_NL_ERR(&self->nl, EINVAL, rule_del(&self->nl, NULL));
	EXPECT_EQ(CTGUARD_A_RULE_PATTERN, self->nl.ext.miss_type);
	ASSERT_NL_ERR(&self->nl, EINVAL, rule_get(&self->nl, NULL, &ri));

	r.pattern = pat;
	/* A flag the kernel does not know. */
	r.has_flags = true;
	r.flags = (uint32_t)__CTGUARD_F_ALL + 1;
	ASSERT_NL_ERR(&self->nl, EINVAL, rule_set(&self->nl, &r));
	r.flags = 0;
	/* Unknown class bit, capability above CAP_LAST_CAP, bad mode. */
	r.deny = CTGUARD_CLASS_CAP;
	ASSERT_NL_ERR(&self->nl, EINVAL, rule_set(&self->nl, &r));
	r.deny = CTGUARD_CLASS_USERNS;
	r.has_caps = true;
	r.caps = 1ULL << 63;
	ASSERT_NL_ERR(&self->nl, EINVAL, rule_set(&self->nl, &r));
	r.has_caps = false;
	r.has_mode = true;
	r.mode = 7;
	ASSERT_NL_ERR(&self->nl, ERANGE, rule_set(&self->nl, &r));
	ASSERT_NL_ERR(&self->nl, ENOENT, rule_get(&self->nl, pat, &ri));

	/* A policy attribute the rule commands do not take. */
	msg = ctg_msg(&self->nl, CTGUARD_CMD_SET_RULE, 0);
	ASSERT_NE(NULL, msg);
	ctg_put(msg, CTGUARD_A_RULE_PATTERN, pat, strlen(pat) + 1);
	ctg_put_u64(msg, CTGUARD_A_CGROUP_ID, self->base.id);
	ASSERT_NL_ERR(&self->nl, EINVAL, ctg_send(&self->nl, msg, NULL, NULL));
	/* A pattern without its NUL. */
	msg = ctg_msg(&self->nl, CTGUARD_CMD_SET_RULE, 0);
	ASSERT_NE(NULL, msg);
	ctg_put(msg, CTGUARD_A_RULE_PATTERN, pat, strlen(pat));
	ASSERT_NL_ERR(&self->nl, EINVAL, ctg_send(&self->nl, msg, NULL, NULL));

	/* Unknown patterns. */
	ASSERT_NL_ERR(&self->nl, ENOENT, rule_del(&self->nl, pat));
	EXPECT_NE(NULL, strstr(self->nl.ext.msg, "no rule"));
	ASSERT_NL_ERR(&self->nl, ENOENT, rule_get(&self->nl, pat, &ri));
}

/* max_rules: one more is refused, and the limit is reported. */
TEST_F(rules, rule_limit)
{
	struct rstatus st;
	char pat[PATH_MAX];
	uint32_t i, made = 0;
	int err = 0;

	ASSERT_NL_OK(&self->nl, rstatus(&self->nl, &st));
	ASSERT_TRUE(st.has_nr && st.has_max);
	ASSERT_LT(st.nr_rules, st.max_rules);
	ASSERT_GE(MAX_DUMP, (int)st.max_rules);
	for (i = 0; i <= st.max_rules; i++) {
		char name[32];

		snprintf(name, sizeof(name), "lim-%u", i);
		snprintf(pat, sizeof(pat), "%s", PAT(name));
		err = rule_deny(&self->nl, pat, CTGUARD_CLASS_USERNS);
		if (err)
			break;
		made++;
	}
	EXPECT_EQ(-ENOSPC, err);
	EXPECT_NE(NULL, strstr(self->nl.ext.msg, "max_rules"));
	EXPECT_EQ(st.max_rules - st.nr_rules, made);
	{
		struct rstatus st2;

		ASSERT_NL_OK(&self->nl, rstatus(&self->nl, &st2));
		EXPECT_EQ(st.max_rules, st2.nr_rules);
	}
	/* Updating an existing rule is still fine at the limit. */
	snprintf(pat, sizeof(pat), "%s", PAT("lim-0"));
	EXPECT_EQ(0, rule_deny(&self->nl, pat, CTGUARD_CLASS_MOUNT));
}

/* ---- who may ask -------------------------------------------------------- */

enum who { NOBODY, NO_NET_ADMIN, CONFINED };

struct ask {
	enum who who;
	uint8_t cmd;
	const char *pattern;
};

static int drop_net_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(__NR_capget, &hdr, data))
		return -1;
	data[0].effective &= ~(1U << CAP_NET_ADMIN);
	data[0].permitted &= ~(1U << CAP_NET_ADMIN);
	data[0].inheritable &= ~(1U << CAP_NET_ADMIN);
	return syscall(__NR_capset, &hdr, data);
}

/* In the child (already in its cgroup): become @who, send one request. */
static long ask(void *arg)
{
	struct ask *a = arg;
	struct ctg_nl nl;
	struct rule_info ri;
	int err;

	STEP(1);
	if (ctg_nl_open(&nl))
		return -2;
	STEP(2);
	if (a->who == NOBODY && setuid(65534))
		return -2;
	if (a->who == NO_NET_ADMIN && drop_net_admin())
		return -2;
	STEP(3);
	if (a->cmd == CTGUARD_CMD_SET_RULE)
		err = rule_deny(&nl, a->pattern, CTGUARD_CLASS_USERNS);
	else if (a->cmd == CTGUARD_CMD_DEL_RULE)
		err = rule_del(&nl, a->pattern);
	else
		err = rule_get(&nl, a->pattern, &ri);
	ctg_nl_close(&nl);
	errno = -err;
	return err ? -1 : 0;
}

TEST_F(rules, who_may_ask)
{
	const uint8_t cmds[] = {
		CTGUARD_CMD_SET_RULE, CTGUARD_CMD_DEL_RULE, CTGUARD_CMD_GET_RULE,
	};
	struct ctg_cg box;
	char pat[PATH_MAX], other[PATH_MAX];
	struct rule_info ri;
	size_t i;

	snprintf(pat, sizeof(pat), "%s", PAT("box-*"));
	snprintf(other, sizeof(other), "%s", PAT("other-*"));
	ASSERT_NL_OK(&self->nl, rule_deny(&self->nl, pat, CTGUARD_CLASS_USERNS));
	ASSERT_EQ(0, ctg_cg_child(&self->base, "box-1", &box));

	for (i = 0; i < sizeof(cmds); i++) {
		struct ask a = { .cmd = cmds[i], .pattern = pat };

		a.who = NOBODY;
		ASSERT_RUN(NULL, NULL, ask, &a, 3, EPERM);
		a.who = NO_NET_ADMIN;
		ASSERT_RUN(NULL, NULL, ask, &a, 3, EPERM);
	}
	/* Confined by a derived policy: may not set or delete rules. */
	{
		struct ask a = { CONFINED, CTGUARD_CMD_SET_RULE, other };

		ASSERT_RUN(box.path, NULL, ask, &a, 3, EPERM);
		ASSERT_NL_ERR(&self->nl, ENOENT, rule_get(&self->nl, other, &ri));
		a.cmd = CTGUARD_CMD_DEL_RULE;
		a.pattern = pat;
		ASSERT_RUN(box.path, NULL, ask, &a, 3, EPERM);
		ASSERT_NL_OK(&self->nl, rule_get(&self->nl, pat, &ri));
	}
	/* The control: unconfined root may. */
	{
		struct ask a = { CONFINED, CTGUARD_CMD_SET_RULE, other };

		ASSERT_RUN(NULL, NULL, ask, &a, 3, 0);
		ASSERT_NL_OK(&self->nl, rule_get(&self->nl, other, &ri));
	}
}

/* ---- fail closed --------------------------------------------------------- */

/*
 * A matching cgroup that cannot get its policy (here: the module was
 * loaded with max_policies=2, so the third one fails with ENOSPC) cannot be
 * entered at all; once room is made, the background retry confines it and
 * it can be entered again, confined. This reloads the module twice; a load
 * (the module's trial registration of every probe) alone took 47 s under
 * TCG on a loaded host, hence the time limit.
 */
TEST_F_TIMEOUT(rules, fail_closed_at_max_policies, 400)
{
	struct ctg_cg fc1, fc2, fc3, other, deep;
	char pat[PATH_MAX];
	struct pol_info pi;
	int i, err = -ENOENT;

	if (!ctg_module_path())
		SKIP(return, "no module file to reload (CTGUARD_MODULE)");
	ASSERT_EQ(0, ctg_module_unload());
	ASSERT_EQ(0, ctg_module_load("max_policies=2"));
	ctg_nl_close(&self->nl);
	ASSERT_EQ(0, ctg_nl_open(&self->nl));

	snprintf(pat, sizeof(pat), "%s", PAT("fc-*"));
	ASSERT_NL_OK(&self->nl, rule_deny(&self->nl, pat, CTGUARD_CLASS_USERNS));
	ASSERT_EQ(0, ctg_cg_child(&self->base, "fc-1", &fc1));
	ASSERT_EQ(0, ctg_cg_child(&self->base, "fc-2", &fc2));
	ASSERT_EQ(0, ctg_cg_child(&self->base, "fc-3", &fc3));
	ASSERT_EQ(0, ctg_cg_child(&self->base, "other", &other));
	ASSERT_EQ(0, ctg_cg_child(&fc3, "deep", &deep));
	EXPECT_POLICY_OF(fc1.id, pat, CTGUARD_CLASS_USERNS);
	EXPECT_POLICY_OF(fc2.id, pat, CTGUARD_CLASS_USERNS);
	EXPECT_NO_POLICY(fc3.id);

	/* Neither route gets a task into fc-3, nor below it. */
	EXPECT_EQ(-EPERM, procs_userns(fc3.path));
	EXPECT_EQ(-EPERM, clone3_userns(fc3.path));
	EXPECT_EQ(-EPERM, procs_userns(deep.path));
	EXPECT_LE(1, ctg_klog_count("but has no policy yet"));
	/* Elsewhere, all is normal. */
	EXPECT_EQ(0, procs_userns(other.path));
	EXPECT_EQ(EPERM, procs_userns(fc1.path));

	/* Make room: fc-1's policy is reclaimed, fc-3 gets one. */
	ASSERT_EQ(0, rmdir(fc1.path));
	for (i = 0; i < 300; i++) {
		err = pol_get(&self->nl, fc3.id, &pi);
		if (!err)
			break;
		usleep(100000);
	}
	ASSERT_EQ(0, err) TH_LOG("fc-3 never got its policy");
	EXPECT_STREQ(pat, pi.rule);
	EXPECT_EQ(EPERM, procs_userns(fc3.path));
	EXPECT_EQ(EPERM, clone3_userns(fc3.path));

	/*
	 * Back to the defaults for the next programs, unloading with the rule
	 * and its derived policies in place (the VM runner fails the run on
	 * any kernel warning).
	 */
	ASSERT_EQ(0, ctg_module_unload());
	ASSERT_EQ(0, ctg_module_load(""));
	ctg_nl_close(&self->nl);
	ASSERT_EQ(0, ctg_nl_open(&self->nl));
}

TEST_HARNESS_MAIN
