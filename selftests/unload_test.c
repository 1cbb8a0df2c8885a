// SPDX-License-Identifier: GPL-2.0
/*
 * ctguard selftests: unloading and loading the module, also under load.
 *
 * rmmod while other tasks run into the hooks (denied operations from a
 * tagged cgroup), make netlink requests and listen to events; then insmod
 * again. After an unload nothing is confined any more; a fresh load starts
 * with no policy and every hook disarmed; a policy set then works at once.
 * The VM runner fails the run on any kernel warning this provokes.
 * Also: module parameters given at load time (max_policies, max_dev_rules)
 * and their limits, and another IPMODIFY ftrace user (the test module
 * selftests/vm/rival, playing a livepatch) owning one of the probe points:
 * the load is refused and names the function, unless allow_partial=1.
 *
 * The module is loaded again from $CTGUARD_MODULE, or from
 * build/$(uname -r)/ctguard.ko below the current directory (the top of the
 * source tree), and is left loaded at the end.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/if_ether.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "common.h"

/* Counters shared with the workers. */
struct shared {
	volatile int stop;
	volatile long sock_denied, sock_ok, chroot_denied, chroot_ok;
	volatile long nl_ok, nl_failed, events;
	volatile int nl_last_err;
};

static struct shared *sh;

/* In the tagged cgroup: hit the rawsock and capability hooks. */
static void hook_worker(void)
{
	int fd;

	while (!sh->stop) {
		/* Busy, but leave the other workers some CPU. */
		usleep(200);
		fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
		if (fd >= 0) {
			close(fd);
			__atomic_add_fetch(&sh->sock_ok, 1, __ATOMIC_RELAXED);
		} else if (errno == EPERM) {
			__atomic_add_fetch(&sh->sock_denied, 1, __ATOMIC_RELAXED);
		}
		if (!chroot("/"))
			__atomic_add_fetch(&sh->chroot_ok, 1, __ATOMIC_RELAXED);
		else if (errno == EPERM)
			__atomic_add_fetch(&sh->chroot_denied, 1,
					   __ATOMIC_RELAXED);
	}
	_exit(0);
}

/* Unconfined: set, get, dump, delete, status on a scratch cgroup. */
static int ignore(const struct ctg_pol *p, void *arg)
{
	(void)p;
	(void)arg;
	return 0;
}

static void netlink_worker(uint64_t scratch)
{
	struct ctg_status *st = malloc(sizeof(*st));
	struct ctg_pol *p = malloc(sizeof(*p));
	struct ctg_nl nl;
	int err;

	if (!st || !p)
		_exit(1);
	while (!sh->stop) {
		err = ctg_nl_open(&nl);
		if (err) {
			sh->nl_failed++;
			sh->nl_last_err = err;
			usleep(5000);
			continue;
		}
		err = ctg_policy(&nl, scratch, CTGUARD_CLASS_DMESG, 1,
				 CTGUARD_MODE_COMPLAIN);
		err = err ?: ctg_get(&nl, scratch, p);
		err = err ?: ctg_dump(&nl, CTGUARD_CMD_GET_POLICY, ignore, NULL);
		err = err ?: ctg_status(&nl, st);
		err = err ?: ctg_del(&nl, scratch);
		if (!err) {
			sh->nl_ok++;
		} else {
			sh->nl_failed++;
			sh->nl_last_err = err;
		}
		ctg_nl_close(&nl);
	}
	_exit(0);
}

static void event_worker(void)
{
	struct ctg_event ev;
	struct ctg_nl nl;

	while (!sh->stop) {
		if (ctg_ev_open(&nl)) {
			usleep(1000);
			continue;
		}
		while (!sh->stop) {
			int err = ctg_ev_wait(&nl, &ev, 200, NULL, NULL);

			if (!err)
				sh->events++;
			else if (err != -ETIMEDOUT)
				break;
			/* The family may have gone and come back. */
			if (!ctg_module_loaded())
				break;
		}
		ctg_nl_close(&nl);
	}
	_exit(0);
}

#define WORKERS 4

FIXTURE(unload) {
	struct ctg_nl nl;
	struct ctg_cg t, scratch;
	pid_t workers[WORKERS];
};

FIXTURE_SETUP(unload)
{
	ASSERT_TRUE(ctg_cgroup2_mounted());
	ASSERT_TRUE(ctg_module_loaded()) TH_LOG("run with the module loaded");
	ASSERT_NE(NULL, ctg_module_path())
		TH_LOG("no module file to load again (set CTGUARD_MODULE)");
	ASSERT_EQ(0, ctg_nl_open(&self->nl));
	ASSERT_EQ(0, ctg_cg_create(&self->t));
	ASSERT_EQ(0, ctg_cg_create(&self->scratch));
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	memset(sh, 0, sizeof(*sh));
}

static int rival_unload(void);

FIXTURE_TEARDOWN(unload)
{
	int i, status;

	sh->stop = 1;
	for (i = 0; i < WORKERS; i++) {
		if (self->workers[i] <= 0)
			continue;
		kill(self->workers[i], SIGKILL);
		waitpid(self->workers[i], &status, 0);
	}
	/* Leave it loaded, with default parameters, and no rival. */
	rival_unload();
	if (!ctg_module_loaded())
		EXPECT_EQ(0, ctg_module_load(""));
	ctg_nl_close(&self->nl);
	ASSERT_EQ(0, ctg_nl_open(&self->nl));
	EXPECT_EQ(0, ctg_cg_destroy(&self->nl, self->t.path));
	EXPECT_EQ(0, ctg_cg_destroy(&self->nl, self->scratch.path));
	ctg_nl_close(&self->nl);
}

static void wait_ms(int ms)
{
	usleep(ms * 1000);
}

static int reconnect(struct ctg_nl *nl)
{
	int i, err = 0;

	ctg_nl_close(nl);
	for (i = 0; i < 100; i++) {
		err = ctg_nl_open(nl);
		if (!err)
			return 0;
		wait_ms(10);
	}
	return err;
}

TEST_F_TIMEOUT(unload, under_load, 300)
{
	struct ctg_status *st = calloc(1, sizeof(*st));
	long sd, cd, so, co, nl_ok;
	pid_t pid;
	int cycle, i;

	ASSERT_NE(NULL, st);
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->t.id,
					   CTGUARD_CLASS_RAWSOCK,
					   1ULL << CAP_SYS_CHROOT,
					   CTGUARD_MODE_ENFORCE));
	for (i = 0; i < WORKERS; i++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0) {
			switch (i) {
			case 0:
			case 1:
				if (ctg_cg_enter(self->t.path, 0))
					_exit(1);
				hook_worker();
				break;
			case 2:
				netlink_worker(self->scratch.id);
				break;
			default:
				event_worker();
			}
		}
		self->workers[i] = pid;
	}

	for (cycle = 0; cycle < 3; cycle++) {
		/* Loaded and tagged: refusals, and netlink works. */
		sd = sh->sock_denied;
		cd = sh->chroot_denied;
		nl_ok = sh->nl_ok;
		for (i = 0; i < 50 && (sd == sh->sock_denied ||
				       cd == sh->chroot_denied ||
				       nl_ok + 2 > sh->nl_ok); i++)
			wait_ms(100);
		EXPECT_LT(sd, sh->sock_denied) TH_LOG("cycle %d", cycle);
		EXPECT_LT(cd, sh->chroot_denied) TH_LOG("cycle %d", cycle);
		EXPECT_LT(nl_ok + 1, sh->nl_ok)
			TH_LOG("cycle %d: netlink worker: last error %d", cycle,
			       sh->nl_last_err);

		/* Unload under all that. */
		ctg_nl_close(&self->nl);
		ASSERT_EQ(0, ctg_module_unload()) TH_LOG("cycle %d", cycle);
		ASSERT_FALSE(ctg_module_loaded());

		/*
		 * Nothing is confined any more. The workers are polled for
		 * progress (up to 10 s), not given a fixed time: the debug
		 * kernel under TCG runs one operation in tens of ms.
		 */
		so = sh->sock_ok;
		co = sh->chroot_ok;
		for (i = 0; i < 100 && (so == sh->sock_ok ||
					co == sh->chroot_ok); i++)
			wait_ms(100);
		EXPECT_LT(so, sh->sock_ok) TH_LOG("cycle %d", cycle);
		EXPECT_LT(co, sh->chroot_ok) TH_LOG("cycle %d", cycle);

		/* Back, empty: no policy, nothing armed. */
		ASSERT_EQ(0, ctg_module_load("")) TH_LOG("cycle %d", cycle);
		ASSERT_EQ(0, reconnect(&self->nl));
		ASSERT_NL_OK(&self->nl, ctg_status(&self->nl, st));
		/* The netlink worker may have a scratch policy in place. */
		EXPECT_GE(1u, st->nr_policies);
		EXPECT_EQ(-ENOENT, ctg_get(&self->nl, self->t.id,
					   &(struct ctg_pol){ 0 }));
		so = sh->sock_ok;
		for (i = 0; i < 100 && so == sh->sock_ok; i++)
			wait_ms(100);
		EXPECT_LT(so, sh->sock_ok) TH_LOG("cycle %d", cycle);

		/* Tag again: refused again. */
		ASSERT_NL_OK(&self->nl,
			     ctg_policy(&self->nl, self->t.id,
					CTGUARD_CLASS_RAWSOCK,
					1ULL << CAP_SYS_CHROOT,
					CTGUARD_MODE_ENFORCE));
	}
	sd = sh->sock_denied;
	for (i = 0; i < 100 && sd == sh->sock_denied; i++)
		wait_ms(100);
	EXPECT_LT(sd, sh->sock_denied);
	TH_LOG("socket denied %ld ok %ld, chroot denied %ld ok %ld, netlink ok %ld failed %ld, events %ld",
	       sh->sock_denied, sh->sock_ok, sh->chroot_denied, sh->chroot_ok,
	       sh->nl_ok, sh->nl_failed, sh->events);
	EXPECT_LT(0, sh->events);
	free(st);
}

/* Parameters at load time, and their limits. */
TEST_F_TIMEOUT(unload, parameters, 120)
{
	const struct ctg_rule rules[5] = {
		CTG_RULE(CTGUARD_DEV_CHAR, 1, 3, CTG_R),
		CTG_RULE(CTGUARD_DEV_CHAR, 1, 5, CTG_R),
		CTG_RULE(CTGUARD_DEV_CHAR, 1, 7, CTG_R),
		CTG_RULE(CTGUARD_DEV_CHAR, 1, 8, CTG_R),
		CTG_RULE(CTGUARD_DEV_CHAR, 1, 9, CTG_R),
	};
	struct ctg_status *st = calloc(1, sizeof(*st));
	struct ctg_cg a, b, c;

	ASSERT_NE(NULL, st);
	ASSERT_EQ(0, ctg_cg_child(&self->t, "a", &a));
	ASSERT_EQ(0, ctg_cg_child(&self->t, "b", &b));
	ASSERT_EQ(0, ctg_cg_child(&self->t, "c", &c));

	ctg_nl_close(&self->nl);
	ASSERT_EQ(0, ctg_module_unload());
	/* Out of range: refused to load. */
	EXPECT_EQ(-EINVAL, ctg_module_load("max_dev_rules=5000"));
	EXPECT_FALSE(ctg_module_loaded());

	ASSERT_EQ(0, ctg_module_load("max_policies=2 max_dev_rules=4"));
	ASSERT_EQ(0, reconnect(&self->nl));
	ASSERT_NL_OK(&self->nl, ctg_status(&self->nl, st));
	EXPECT_EQ(2u, st->max_policies);
	EXPECT_EQ(4u, st->max_dev_rules);
	EXPECT_EQ(0u, st->nr_policies);

	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, a.id, CTGUARD_CLASS_MOUNT,
					   0, CTGUARD_MODE_ENFORCE));
	ASSERT_NL_OK(&self->nl, ctg_policy_dev(&self->nl, b.id, 0,
					       CTGUARD_MODE_ENFORCE, rules, 4));
	ASSERT_NL_ERR(&self->nl, ENOSPC,
		      ctg_policy(&self->nl, c.id, CTGUARD_CLASS_MOUNT, 0,
				 CTGUARD_MODE_ENFORCE));
	EXPECT_NE(0, self->nl.ext.msg[0]);
	/* Updating one needs no new slot; but 5 rules are too many. */
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, a.id, CTGUARD_CLASS_DMESG,
					   0, CTGUARD_MODE_ENFORCE));
	ASSERT_NL_ERR(&self->nl, E2BIG,
		      ctg_policy_dev(&self->nl, b.id, 0, CTGUARD_MODE_ENFORCE,
				     rules, 5));
	/* Freeing one makes room. */
	ASSERT_NL_OK(&self->nl, ctg_del(&self->nl, a.id));
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, c.id, CTGUARD_CLASS_MOUNT,
					   0, CTGUARD_MODE_ENFORCE));
	/* Unload with policies in place, load with the defaults. */
	ctg_nl_close(&self->nl);
	ASSERT_EQ(0, ctg_module_unload());
	ASSERT_EQ(0, ctg_module_load(""));
	ASSERT_EQ(0, reconnect(&self->nl));
	ASSERT_NL_OK(&self->nl, ctg_status(&self->nl, st));
	EXPECT_EQ(0u, st->nr_policies);
	EXPECT_LT(2u, st->max_policies);
	free(st);
}

/* ---- another IPMODIFY user: selftests/vm/rival ---------------------- */

static char rival_file[PATH_MAX];

static const char *rival_path(void)
{
	struct utsname u;

	if (uname(&u))
		return NULL;
	snprintf(rival_file, sizeof(rival_file),
		 "build/%s/rival/ctguard_test_rival.ko", u.release);
	return access(rival_file, R_OK) ? NULL : rival_file;
}

static int rival_load(const char *func)
{
	char params[128];
	int fd, err = 0;

	if (!rival_path())
		return -ENOENT;
	fd = open(rival_file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	snprintf(params, sizeof(params), "func=%s", func);
	if (syscall(__NR_finit_module, fd, params, 0))
		err = -errno;
	close(fd);
	return err;
}

static int rival_unload(void)
{
	return syscall(__NR_delete_module, "ctguard_test_rival", O_NONBLOCK) ?
	       -errno : 0;
}

/*
 * A function another IPMODIFY user owns can never be probed: the module
 * refuses to load and says which function, or with allow_partial=1 loads,
 * marks that probe unavailable and reports the load as partial.
 */
TEST_F_TIMEOUT(unload, load_refused_when_probe_owned, 180)
{
	const char *msg = "probe point security_syslog is owned by another IPMODIFY";
	struct ctg_status *st = calloc(1, sizeof(*st));
	const struct ctg_hook *h;
	int before, i;

	ASSERT_NE(NULL, st);
	ASSERT_NE(NULL, rival_path()) TH_LOG("make modules builds %s", rival_file);
	ASSERT_NL_OK(&self->nl, ctg_status(&self->nl, st));
	EXPECT_EQ(0, st->partial);

	ctg_nl_close(&self->nl);
	ASSERT_EQ(0, ctg_module_unload());
	/* Without ctguard, the rival takes the function. */
	ASSERT_EQ(0, rival_load("security_syslog"));
	before = ctg_klog_count(msg);
	ASSERT_LE(0, before);
	EXPECT_EQ(-EBUSY, ctg_module_load(""));
	EXPECT_FALSE(ctg_module_loaded());
	EXPECT_EQ(before + 1, ctg_klog_count(msg));

	ASSERT_EQ(0, ctg_module_load("allow_partial=1"));
	ASSERT_EQ(0, reconnect(&self->nl));
	ASSERT_NL_OK(&self->nl, ctg_status(&self->nl, st));
	EXPECT_EQ(1, st->partial);
	h = ctg_status_hook(st, "security_syslog");
	ASSERT_NE(NULL, h);
	EXPECT_EQ(CTGUARD_HOOK_UNAVAILABLE, h->state);
	for (i = 0; i < st->nr_hooks; i++)
		if (strcmp(st->hooks[i].name, "security_syslog"))
			EXPECT_EQ(CTGUARD_HOOK_DISARMED, st->hooks[i].state)
				TH_LOG("%s", st->hooks[i].name);
	/* The other probes still work: mount is refused. */
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->t.id,
					   CTGUARD_CLASS_MOUNT, 0,
					   CTGUARD_MODE_ENFORCE));
	ASSERT_NL_OK(&self->nl, ctg_status(&self->nl, st));
	h = ctg_status_hook(st, "security_sb_mount");
	ASSERT_NE(NULL, h);
	EXPECT_EQ(CTGUARD_HOOK_ARMED, h->state);
	ASSERT_NL_OK(&self->nl, ctg_del(&self->nl, self->t.id));

	/* The rival gone, a normal load works again and is not partial. */
	ctg_nl_close(&self->nl);
	ASSERT_EQ(0, ctg_module_unload());
	ASSERT_EQ(0, rival_unload());
	ASSERT_EQ(0, ctg_module_load(""));
	ASSERT_EQ(0, reconnect(&self->nl));
	ASSERT_NL_OK(&self->nl, ctg_status(&self->nl, st));
	EXPECT_EQ(0, st->partial);
	h = ctg_status_hook(st, "security_syslog");
	ASSERT_NE(NULL, h);
	EXPECT_EQ(CTGUARD_HOOK_DISARMED, h->state);
	free(st);
}

/*
 * A rival that arrives after the load takes a probe point while no policy
 * needs it: a policy that needs it is then refused (nothing half-applied),
 * the kernel log names the function, and other classes are unaffected.
 */
TEST_F_TIMEOUT(unload, arm_refused_when_probe_owned, 180)
{
	const char *msg = "cannot arm probe on security_syslog";
	struct ctg_status *st = calloc(1, sizeof(*st));
	const struct ctg_hook *h;
	int before;

	ASSERT_NE(NULL, st);
	ASSERT_NE(NULL, rival_path()) TH_LOG("make modules builds %s", rival_file);
	ASSERT_EQ(0, ctg_wait_disarmed(&self->nl, st, 30000));
	EXPECT_EQ(0u, st->nr_policies);
	ASSERT_EQ(0, rival_load("security_syslog"));

	before = ctg_klog_count(msg);
	ASSERT_NL_ERR(&self->nl, EBUSY,
		      ctg_policy(&self->nl, self->t.id, CTGUARD_CLASS_DMESG, 0,
				 CTGUARD_MODE_ENFORCE));
	EXPECT_NE(NULL, strstr(self->nl.ext.msg, "cannot arm"))
		TH_LOG("extack: %s", self->nl.ext.msg);
	EXPECT_EQ(before + 1, ctg_klog_count(msg));
	ASSERT_NL_OK(&self->nl, ctg_status(&self->nl, st));
	EXPECT_EQ(0u, st->nr_policies);
	h = ctg_status_hook(st, "security_syslog");
	ASSERT_NE(NULL, h);
	EXPECT_EQ(CTGUARD_HOOK_DISARMED, h->state);

	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->t.id,
					   CTGUARD_CLASS_MOUNT, 0,
					   CTGUARD_MODE_ENFORCE));
	ASSERT_NL_OK(&self->nl, ctg_del(&self->nl, self->t.id));

	/* Once the rival is gone, the same policy is accepted. */
	ASSERT_EQ(0, rival_unload());
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->t.id,
					   CTGUARD_CLASS_DMESG, 0,
					   CTGUARD_MODE_ENFORCE));
	ASSERT_NL_OK(&self->nl, ctg_status(&self->nl, st));
	h = ctg_status_hook(st, "security_syslog");
	EXPECT_EQ(CTGUARD_HOOK_ARMED, h->state);
	ASSERT_NL_OK(&self->nl, ctg_del(&self->nl, self->t.id));
	free(st);
}

TEST_HARNESS_MAIN
