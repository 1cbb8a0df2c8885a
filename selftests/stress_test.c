// SPDX-License-Identifier: GPL-2.0
/*
 * ctguard selftests: concurrency stress.
 *
 * On the VM's two vCPUs, at the same time:
 *  - workers hammer every hooked operation (a denied capability via
 *    chroot(2), mount(2), an AF_PACKET socket, syslog(2), mknod(2) of a
 *    character device, opening /dev/null, creating a user namespace) in
 *    three cgroups whose policy never changes: T, tagged in enforce mode
 *    with every class and CAP_SYS_CHROOT denied (two workers); C, tagged in
 *    complain mode with the same policy; U, untagged;
 *  - a churner creates and removes cgroups below its own subtree, sets,
 *    updates and deletes their policies, runs short-lived tasks in them,
 *    and adds and deletes rules by path (whose derived policies appear when
 *    it creates matching cgroups);
 *  - a listener reads the "events" group;
 *  - the loader unloads and loads the module again and again
 *    (CTGUARD_STRESS_CYCLES, default 2), tagging T and C again after each
 *    load.
 *
 * Verdicts: the loader bumps a shared epoch before each unload (even: in
 * transition) and after T and C are tagged again (odd: stable). A worker
 * reads the epoch before and after each operation; when both reads give
 * the same odd value, the module was loaded with T's policy in place for
 * the whole operation, and in T it must fail with EPERM. In U and C an
 * operation must never fail, whatever the epoch. Every (cgroup, operation)
 * pair must have been checked at least once. Then: the churner's cgroups,
 * policies and rules are gone (GET_STATUS counts none), and the VM runner
 * fails the run on any kernel warning, oops, lockdep or RCU splat.
 *
 *   CTGUARD_STRESS_CYCLES   unload/load cycles (default 2; make check-long: 50)
 *   CTGUARD_STRESS_WINDOW   milliseconds of stable policy between cycles
 *                           (default 1000)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/if_ether.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

enum op { OP_CAP, OP_MOUNT, OP_RAWSOCK, OP_DMESG, OP_MKNOD, OP_DEVICE,
	  OP_USERNS, NR_OPS };
static const char *const op_names[NR_OPS] = {
	"cap", "mount", "rawsock", "dmesg", "mknod", "device", "userns",
};

enum where { W_T, W_C, W_U, NR_WHERE };
static const char *const where_names[NR_WHERE] = {
	"tagged (enforce)", "tagged (complain)", "untagged",
};

#define NR_WORKERS 4	/* T, T, C, U */
#define MAX_WRONG 10

struct shared {
	int stop;
	long epoch;		/* odd: loaded and T, C tagged */
	long checked[NR_WHERE][NR_OPS];	/* verdicts that counted */
	long unchecked[NR_WHERE][NR_OPS];
	long wrong[NR_WHERE][NR_OPS];
	char wrong_msg[MAX_WRONG][200];
	int nr_wrong_msg;
	long cycles;
	char loader_err[200];
	long churn_iter, churn_ok, churn_failed, churn_rules_ok;
	long events;
	long ms_unload, ms_load, ms_tag;	/* time the loader spent */
};

static struct shared *sh;
static struct ctg_cg top, cg_t, cg_c, cg_u, churn;
static char node_dir[PATH_MAX];

static long load_epoch(void)
{
	return __atomic_load_n(&sh->epoch, __ATOMIC_SEQ_CST);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

static void ms_sleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void note_wrong(const char *fmt, ...)
{
	int i = __atomic_fetch_add(&sh->nr_wrong_msg, 1, __ATOMIC_RELAXED);
	va_list ap;

	if (i >= MAX_WRONG)
		return;
	va_start(ap, fmt);
	vsnprintf(sh->wrong_msg[i], sizeof(sh->wrong_msg[i]), fmt, ap);
	va_end(ap);
}

/* ---- the operations: 0 on success, else errno ------------------------- */

static int do_op(enum op op, const char *tag)
{
	char path[PATH_MAX + 64];
	int fd, status, err = 0;
	pid_t pid;

	switch (op) {
	case OP_CAP:
		return chroot("/") ? errno : 0;
	case OP_MOUNT:
		snprintf(path, sizeof(path), "%s/mnt-%s", node_dir, tag);
		mkdir(path, 0700);
		if (mount("stress", path, "tmpfs", 0, "size=64k"))
			return errno;
		umount2(path, MNT_DETACH);
		return 0;
	case OP_RAWSOCK:
		fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
		if (fd < 0)
			return errno;
		close(fd);
		return 0;
	case OP_DMESG:
		return klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0) < 0 ?
		       errno : 0;
	case OP_MKNOD:
		snprintf(path, sizeof(path), "%s/node-%s", node_dir, tag);
		unlink(path);
		if (mknod(path, S_IFCHR | 0600, makedev(1, 3)))
			return errno;
		unlink(path);
		return 0;
	case OP_DEVICE:
		fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return errno;
		close(fd);
		return 0;
	case OP_USERNS:
		pid = fork();
		if (pid < 0)
			return errno;
		if (pid == 0)
			_exit(unshare(CLONE_NEWUSER) ? errno : 0);
		if (waitpid(pid, &status, 0) != pid)
			return errno;
		if (!WIFEXITED(status))
			return EINTR;
		err = WEXITSTATUS(status);
		return err;
	default:
		return EINVAL;
	}
}

static void worker(enum where w, const char *cgpath, int idx)
{
	char tag[32];
	unsigned int i = idx;

	snprintf(tag, sizeof(tag), "%d", getpid());
	/* Mounts stay in a namespace of our own. */
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    ctg_cg_enter(cgpath, 0)) {
		note_wrong("worker %d: set-up failed: %s", idx, strerror(errno));
		_exit(1);
	}
	while (!__atomic_load_n(&sh->stop, __ATOMIC_RELAXED)) {
		enum op op = i++ % NR_OPS;
		long e1, e2;
		int err;

		e1 = load_epoch();
		err = do_op(op, tag);
		e2 = load_epoch();
		if (w == W_T) {
			if (e1 != e2 || !(e1 & 1)) {
				__atomic_add_fetch(&sh->unchecked[w][op], 1, __ATOMIC_RELAXED);
			} else if (err != EPERM) {
				__atomic_add_fetch(&sh->wrong[w][op], 1, __ATOMIC_RELAXED);
				note_wrong("%s: %s %s while the policy was stable (epoch %ld)",
					   where_names[w], op_names[op],
					   err ? strerror(err) : "succeeded", e1);
			} else {
				__atomic_add_fetch(&sh->checked[w][op], 1, __ATOMIC_RELAXED);
			}
		} else if (err) {
			__atomic_add_fetch(&sh->wrong[w][op], 1, __ATOMIC_RELAXED);
			note_wrong("%s: %s failed: %s (epoch %ld..%ld)",
				   where_names[w], op_names[op], strerror(err),
				   e1, e2);
		} else {
			__atomic_add_fetch(&sh->checked[w][op], 1, __ATOMIC_RELAXED);
		}
		usleep(200 + rand() % 800);
	}
	_exit(0);
}

/* ---- the listener ------------------------------------------------------------ */

static void listener(void)
{
	struct ctg_event ev;
	struct ctg_nl nl;

	while (!__atomic_load_n(&sh->stop, __ATOMIC_RELAXED)) {
		if (ctg_ev_open(&nl)) {
			ms_sleep(20);
			continue;
		}
		while (!__atomic_load_n(&sh->stop, __ATOMIC_RELAXED)) {
			int err = ctg_ev_wait(&nl, &ev, 200, NULL, NULL);

			if (!err)
				__atomic_add_fetch(&sh->events, 1, __ATOMIC_RELAXED);
			else if (err != -ETIMEDOUT)
				break;
			if (!ctg_module_loaded())
				break;
		}
		ctg_nl_close(&nl);
	}
	_exit(0);
}

/* ---- the churner ---------------------------------------------------------------- */

#define NR_SLOTS 6

static int rule_request(struct ctg_nl *nl, uint8_t cmd, const char *pattern,
			uint32_t deny, uint64_t caps)
{
	struct nl_msg *msg = ctg_msg(nl, cmd, 0);

	if (!msg)
		return -ENOMEM;
	if (!ctg_put(msg, CTGUARD_A_RULE_PATTERN, pattern, strlen(pattern) + 1) ||
	    (cmd == CTGUARD_CMD_SET_RULE &&
	     (!ctg_put_u32(msg, CTGUARD_A_DENY, deny) ||
	      !ctg_put_u64(msg, CTGUARD_A_DENY_CAPS, caps)))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return ctg_send(nl, msg, NULL, NULL);
}

static void churn_count(int err)
{
	if (err)
		__atomic_add_fetch(&sh->churn_failed, 1, __ATOMIC_RELAXED);
	else
		__atomic_add_fetch(&sh->churn_ok, 1, __ATOMIC_RELAXED);
}

/* A short-lived task in @path doing a few operations, unchecked. */
static void churn_task(const char *path)
{
	char tag[32];
	pid_t pid = fork();
	int i;

	if (pid < 0)
		return;
	if (pid == 0) {
		snprintf(tag, sizeof(tag), "c%d", getpid());
		if (unshare(CLONE_NEWNS) ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
		    ctg_cg_enter(path, 0))
			_exit(1);
		for (i = 0; i < 3; i++)
			do_op(rand() % NR_OPS, tag);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
}

static void churner(void)
{
	char path[PATH_MAX + 64], pattern[PATH_MAX];
	const char *rule_names = "r*";
	struct ctg_nl nl;
	uint64_t id;
	int slot, err;

	srand(getpid());
	snprintf(pattern, sizeof(pattern), "%s/%s",
		 churn.path + strlen(CTG_CGROOT), rule_names);
	while (!__atomic_load_n(&sh->stop, __ATOMIC_RELAXED)) {
		__atomic_add_fetch(&sh->churn_iter, 1, __ATOMIC_RELAXED);
		if (ctg_nl_open(&nl)) {
			/* The module is being unloaded or loaded. */
			ms_sleep(20);
			continue;
		}
		slot = rand() % NR_SLOTS;
		snprintf(path, sizeof(path), "%s/k%d", churn.path, slot);
		/* The slot's previous cgroup, if still there, goes first. */
		ctg_cg_destroy(&nl, path);
		if (mkdir(path, 0755) == 0) {
			struct ctg_set s = { 0 };

			id = ctg_cg_id(path);
			err = ctg_policy(&nl, id, rand() & __CTGUARD_CLASS_ALL,
					 rand() & 1 ? 1ULL << CAP_SYS_CHROOT : 0,
					 rand() & 1);
			churn_count(err);
			/* An update: fields not sent are kept. */
			s.cgid = id;
			s.has_deny = true;
			s.deny = rand() & __CTGUARD_CLASS_ALL;
			s.has_mode = rand() & 1;
			s.mode = rand() & 1;
			churn_count(ctg_set(&nl, &s));
			if (rand() % 2)
				churn_task(path);
			if (rand() % 3 == 0)
				churn_count(ctg_del(&nl, id));
			/* Half of them go with their policy still attached. */
			if (rand() % 2)
				rmdir(path);
		}
		/* Until one rule got through (slow kernels), then every 4th. */
		if (!__atomic_load_n(&sh->churn_rules_ok, __ATOMIC_RELAXED) ||
		    rand() % 4 == 0) {
			err = rule_request(&nl, CTGUARD_CMD_SET_RULE, pattern,
					   rand() & __CTGUARD_CLASS_ALL,
					   1ULL << CAP_SYS_CHROOT);
			if (!err)
				__atomic_add_fetch(&sh->churn_rules_ok, 1, __ATOMIC_RELAXED);
			snprintf(path, sizeof(path), "%s/r%d", churn.path,
				 rand() % 3);
			if (mkdir(path, 0755) == 0) {
				if (rand() % 2)
					churn_task(path);
				rmdir(path);
			}
			if (rand() % 2)
				rule_request(&nl, CTGUARD_CMD_DEL_RULE, pattern, 0, 0);
		}
		ctg_nl_close(&nl);
		usleep(1000 + rand() % 5000);
	}
	_exit(0);
}

/* ---- the loader ------------------------------------------------------------------ */

static int tag_t_c(struct ctg_nl *nl)
{
	int err;

	err = ctg_policy(nl, cg_t.id, __CTGUARD_CLASS_ALL,
			 1ULL << CAP_SYS_CHROOT, CTGUARD_MODE_ENFORCE);
	if (!err)
		err = ctg_policy(nl, cg_c.id, __CTGUARD_CLASS_ALL,
				 1ULL << CAP_SYS_CHROOT, CTGUARD_MODE_COMPLAIN);
	return err;
}

static int reopen(struct ctg_nl *nl)
{
	int i, err = 0;

	for (i = 0; i < 300; i++) {
		err = ctg_nl_open(nl);
		if (!err)
			return 0;
		ms_sleep(10);
	}
	return err;
}

static void loader(long cycles, long window)
{
	struct ctg_nl nl;
	long c, t0;
	int err;

	srand(getpid() ^ 0x5eed);
	for (c = 0; c < cycles; c++) {
		ms_sleep(window / 2 + rand() % window);
		__atomic_add_fetch(&sh->epoch, 1, __ATOMIC_SEQ_CST);	/* even */
		t0 = now_ms();
		err = ctg_module_unload();
		sh->ms_unload += now_ms() - t0;
		if (err) {
			snprintf(sh->loader_err, sizeof(sh->loader_err),
				 "cycle %ld: rmmod: %s", c, strerror(-err));
			break;
		}
		ms_sleep(rand() % 300);
		t0 = now_ms();
		err = ctg_module_load("");
		sh->ms_load += now_ms() - t0;
		if (err) {
			snprintf(sh->loader_err, sizeof(sh->loader_err),
				 "cycle %ld: insmod: %s", c, strerror(-err));
			break;
		}
		t0 = now_ms();
		err = reopen(&nl);
		if (!err) {
			err = tag_t_c(&nl);
			ctg_nl_close(&nl);
		}
		sh->ms_tag += now_ms() - t0;
		if (err) {
			snprintf(sh->loader_err, sizeof(sh->loader_err),
				 "cycle %ld: tagging again: %s", c, strerror(-err));
			break;
		}
		__atomic_add_fetch(&sh->epoch, 1, __ATOMIC_SEQ_CST);	/* odd */
		__atomic_add_fetch(&sh->cycles, 1, __ATOMIC_RELAXED);
		if ((c + 1) % 5 == 0 || c + 1 == cycles)
			printf("# %ld cycles done (so far %ld ms in rmmod, %ld ms in insmod)\n",
			       c + 1, sh->ms_unload, sh->ms_load);
	}
	/* A last stable window, so the final state is checked too. */
	ms_sleep(window);
	_exit(0);
}

/* ---- main --------------------------------------------------------------------------- */

static int test_no, tap_failed;

static void tap(bool ok, const char *fmt, ...)
{
	va_list ap;

	tap_failed += !ok;
	printf("%s %d - ", ok ? "ok" : "not ok", ++test_no);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static bool verdicts_ok(enum where w, char *detail, size_t len)
{
	bool ok = true;
	int op, n = 0;

	for (op = 0; op < NR_OPS; op++) {
		n += snprintf(detail + n, len - n, "%s%s %ld/%ld", op ? ", " : "",
			      op_names[op], sh->checked[w][op], sh->wrong[w][op]);
		if (sh->wrong[w][op] || !sh->checked[w][op])
			ok = false;
	}
	return ok;
}

static long env_long(const char *name, long def)
{
	const char *e = getenv(name);

	return e && *e ? strtol(e, NULL, 0) : def;
}

int main(void)
{
	long cycles = env_long("CTGUARD_STRESS_CYCLES", 2);
	long window = env_long("CTGUARD_STRESS_WINDOW", 1000);
	pid_t workers[NR_WORKERS], pl, pc, pe;
	struct ctg_status *status = calloc(1, sizeof(*status));
	char detail[512];
	struct ctg_nl nl;
	int i, st, err;
	bool ok;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n1..7\n");
	printf("# %ld unload/load cycles, stable windows of %ld ms\n", cycles,
	       window);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED || !status || !ctg_cgroup2_mounted() ||
	    !ctg_module_loaded() || !ctg_module_path() || ctg_nl_open(&nl)) {
		printf("Bail out! needs cgroup2, the module loaded and its file (CTGUARD_MODULE)\n");
		return 1;
	}
	memset(sh, 0, sizeof(*sh));
	snprintf(node_dir, sizeof(node_dir), "/tmp/ctguard-stress-XXXXXX");
	if (!mkdtemp(node_dir) || ctg_cg_create(&top) ||
	    ctg_cg_child(&top, "t", &cg_t) || ctg_cg_child(&top, "c", &cg_c) ||
	    ctg_cg_child(&top, "u", &cg_u) || ctg_cg_child(&top, "churn", &churn)) {
		printf("Bail out! cannot create the cgroups: %s\n", strerror(errno));
		return 1;
	}
	err = tag_t_c(&nl);
	if (err) {
		printf("Bail out! cannot tag: %s (%s)\n", strerror(-err), nl.ext.msg);
		return 1;
	}
	ctg_nl_close(&nl);
	sh->epoch = 1;

	for (i = 0; i < NR_WORKERS; i++) {
		static const enum where ws[NR_WORKERS] = { W_T, W_T, W_C, W_U };
		const struct ctg_cg *cg = ws[i] == W_T ? &cg_t :
					  ws[i] == W_C ? &cg_c : &cg_u;

		fflush(stdout);
		workers[i] = fork();
		if (workers[i] == 0) {
			srand(getpid());
			worker(ws[i], cg->path, i);
		}
	}
	pc = fork();
	if (pc == 0)
		churner();
	pe = fork();
	if (pe == 0)
		listener();
	pl = fork();
	if (pl == 0)
		loader(cycles, window);

	waitpid(pl, &st, 0);
	__atomic_store_n(&sh->stop, 1, __ATOMIC_SEQ_CST);
	for (i = 0; i < NR_WORKERS; i++)
		waitpid(workers[i], NULL, 0);
	waitpid(pc, NULL, 0);
	kill(pe, SIGKILL);
	waitpid(pe, NULL, 0);

	for (i = 0; i < sh->nr_wrong_msg && i < MAX_WRONG; i++)
		printf("# wrong: %s\n", sh->wrong_msg[i]);
	printf("# loader: %ld ms in rmmod, %ld ms in insmod, %ld ms tagging again\n",
	       sh->ms_unload, sh->ms_load, sh->ms_tag);
	tap(sh->cycles == cycles && !sh->loader_err[0],
	    "stress: %ld of %ld unload/load cycles under load%s%s", sh->cycles,
	    cycles, sh->loader_err[0] ? ": " : "", sh->loader_err);
	ok = verdicts_ok(W_T, detail, sizeof(detail));
	tap(ok, "stress: tagged (enforce): EPERM whenever the policy was stable (checked/wrong: %s)",
	    detail);
	printf("#   unchecked (in transition):");
	for (i = 0; i < NR_OPS; i++)
		printf(" %s %ld", op_names[i], sh->unchecked[W_T][i]);
	printf("\n");
	ok = verdicts_ok(W_C, detail, sizeof(detail));
	tap(ok, "stress: tagged (complain): never refused (ok/wrong: %s)", detail);
	ok = verdicts_ok(W_U, detail, sizeof(detail));
	tap(ok, "stress: untagged: never refused (ok/wrong: %s)", detail);
	tap(sh->churn_ok > 0 && sh->churn_rules_ok > 0,
	    "stress: churn: %ld rounds, %ld requests accepted, %ld refused (module away), %ld rules set",
	    sh->churn_iter, sh->churn_ok, sh->churn_failed, sh->churn_rules_ok);
	printf("# events received: %ld\n", sh->events);

	/* Clean up, then nothing of ours may be left. */
	err = reopen(&nl);
	if (!err) {
		char pattern[PATH_MAX];

		snprintf(pattern, sizeof(pattern), "%s/r*",
			 churn.path + strlen(CTG_CGROOT));
		rule_request(&nl, CTGUARD_CMD_DEL_RULE, pattern, 0, 0);
		ok = !ctg_cg_destroy(&nl, top.path);
		for (i = 0; i < 200; i++) {
			err = ctg_status(&nl, status);
			if (err || !status->nr_policies)
				break;
			ms_sleep(100);
		}
	}
	tap(!err && ok, "stress: cgroups removed");
	tap(!err && status->nr_policies == 0,
	    "stress: no policy left after clean-up (%u)", err ? 0 : status->nr_policies);
	ctg_nl_close(&nl);
	rmdir(node_dir);
	return tap_failed ? 1 : 0;
}
