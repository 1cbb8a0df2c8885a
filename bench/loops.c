// SPDX-License-Identifier: GPL-2.0
/*
 * Micro-benchmarks of ctguard's hooked paths: each loop repeats one
 * operation N times between two clock_gettime() calls and reports ns per
 * operation, for several runs. Under QEMU's -icount shift=0 the guest clock
 * counts instructions, so a figure is "instruction-time" and repeats from
 * one boot to the next.
 *
 *   loops [-r RUNS] [-w WARMUP] [-s SCALE] [-l LOOP,...] [-c CONFIG]
 *         [-d WORKDIR] [--seccomp] [--list] [--seccomp-info]
 *
 * Prints one JSON object per loop, one per line:
 *   {"config":..., "loop":..., "iters":N, "runs":[ns/op, ...], "min":...,
 *    "median":..., "max":..., "ok":CALLS, "failed":CALLS, "errno":"EINVAL"}
 * "ok"/"failed" count the outcomes of the operation that matters (the one
 * that goes through the hook) over every timed call, so the driver can
 * check that a loop did what it claims (e.g. EPERM when denied).
 *
 * --seccomp installs the Docker-like filter of seccomp_docker.c first;
 * --seccomp-info describes it (JSON on stdout, its pseudo-code on stderr).
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "seccomp_docker.h"

#define SYSLOG_ACTION_SIZE_BUFFER 10
#define MAX_RUNS 64

static const char *workdir = "/tmp/ctgbench";
static char path_file[256], path_dir[256], path_fifo[256];
static char hostname[256];
static size_t hostname_len;

struct outcome {
	unsigned long ok, failed;
	int err;	/* errno of the last failure */
};

static inline void count(struct outcome *o, long r)
{
	if (r < 0) {
		o->failed++;
		o->err = errno;
	} else {
		o->ok++;
	}
}

/* Each loop: the operation, @n times. Only what it measures, nothing else. */

static void loop_getpid(unsigned long n, struct outcome *o)
{
	while (n--)
		count(o, syscall(SYS_getpid));
}

/* ns_capable(CAP_SYS_ADMIN) on every call; the same name, so no change. */
static void loop_sethostname(unsigned long n, struct outcome *o)
{
	while (n--)
		count(o, sethostname(hostname, hostname_len));
}

/* security_socket_create() with a type no class denies. */
static void loop_socket(unsigned long n, struct outcome *o)
{
	while (n--) {
		int fd = socket(AF_INET, SOCK_DGRAM, 0);

		count(o, fd);
		if (fd >= 0)
			close(fd);
	}
}

/* A regular file in tmpfs: no ctguard probe on this path. */
static void loop_open_file(unsigned long n, struct outcome *o)
{
	while (n--) {
		int fd = open(path_file, O_RDONLY);

		count(o, fd);
		if (fd >= 0)
			close(fd);
	}
}

/* A character device: chrdev_open() on every open. */
static void loop_open_null(unsigned long n, struct outcome *o)
{
	while (n--) {
		int fd = open("/dev/null", O_RDONLY);

		count(o, fd);
		if (fd >= 0)
			close(fd);
	}
}

/* security_syslog(), and capable(CAP_SYSLOG) with dmesg_restrict. */
static void loop_klogctl(unsigned long n, struct outcome *o)
{
	while (n--)
		count(o, klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0));
}

/*
 * A remount of a directory that is not a mount point: path_mount() calls
 * security_sb_mount() and may_mount() (CAP_SYS_ADMIN), then do_remount()
 * fails with EINVAL. Nothing changes.
 */
static void loop_mount(unsigned long n, struct outcome *o)
{
	while (n--)
		count(o, mount(NULL, path_dir, NULL, MS_REMOUNT, NULL));
}

/* security_path_mknod() with a FIFO, which no class refuses. */
static void loop_mknod_fifo(unsigned long n, struct outcome *o)
{
	while (n--) {
		long r = mknod(path_fifo, S_IFIFO | 0600, 0);

		count(o, r);
		if (r == 0)
			unlink(path_fifo);
	}
}

struct loop {
	const char *name;
	const char *what;
	unsigned long iters;	/* per run at scale 1 (~15-25 ms of guest time) */
	void (*fn)(unsigned long n, struct outcome *o);
};

static const struct loop loops[] = {
	{ "getpid", "getpid() (unhooked control)", 40000, loop_getpid },
	{ "sethostname", "sethostname() (security_capable)", 15000, loop_sethostname },
	{ "socket", "socket(AF_INET, SOCK_DGRAM)+close() (security_socket_create)", 3000, loop_socket },
	{ "open_file", "open()+close() of a tmpfs file (no probe)", 6000, loop_open_file },
	{ "open_null", "open()+close() of /dev/null (chrdev_open)", 3000, loop_open_null },
	{ "klogctl", "klogctl(SIZE_BUFFER) (security_syslog, security_capable)", 15000, loop_klogctl },
	{ "mount", "mount(MS_REMOUNT) of a non-mount-point, EINVAL (security_sb_mount, security_capable)", 6000, loop_mount },
	{ "mknod_fifo", "mknod(S_IFIFO)+unlink() in tmpfs (security_path_mknod)", 3000, loop_mknod_fifo },
	{ }
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void run_loop(const struct loop *l, const char *config, int runs,
		     double scale, int warmup)
{
	unsigned long n = l->iters * scale;
	double ns[MAX_RUNS], sorted[MAX_RUNS], t0, median;
	struct outcome o = { 0 }, w = { 0 };
	int i;

	if (n < 10)
		n = 10;
	/*
	 * Untimed runs first: the slabs of what the loop allocates (sockets,
	 * inodes freed after an RCU grace period) reach their steady size.
	 */
	for (i = 0; i < warmup; i++)
		l->fn(n, &w);
	for (i = 0; i < runs; i++) {
		t0 = now_ns();
		l->fn(n, &o);
		ns[i] = (now_ns() - t0) / n;
	}
	memcpy(sorted, ns, sizeof(ns[0]) * runs);
	qsort(sorted, runs, sizeof(sorted[0]), cmp_double);
	median = runs % 2 ? sorted[runs / 2] :
		 (sorted[runs / 2 - 1] + sorted[runs / 2]) / 2;

	printf("{\"config\":\"%s\",\"loop\":\"%s\",\"iters\":%lu,\"runs\":[",
	       config, l->name, n);
	for (i = 0; i < runs; i++)
		printf("%s%.2f", i ? "," : "", ns[i]);
	printf("],\"min\":%.2f,\"median\":%.2f,\"max\":%.2f,\"ok\":%lu,\"failed\":%lu,\"errno\":",
	       sorted[0], median, sorted[runs - 1], o.ok, o.failed);
	if (o.failed)
		printf("\"%s\"", strerrorname_np(o.err) ?: "?");
	else
		printf("null");
	printf("}\n");
	fflush(stdout);
}

static void setup(void)
{
	int fd;

	snprintf(path_file, sizeof(path_file), "%s/file", workdir);
	snprintf(path_dir, sizeof(path_dir), "%s/dir", workdir);
	snprintf(path_fifo, sizeof(path_fifo), "%s/fifo.%d", workdir, getpid());
	if (mkdir(workdir, 0755) && errno != EEXIST) {
		perror(workdir);
		exit(1);
	}
	if (mkdir(path_dir, 0755) && errno != EEXIST) {
		perror(path_dir);
		exit(1);
	}
	fd = open(path_file, O_WRONLY | O_CREAT, 0644);
	if (fd < 0) {
		perror(path_file);
		exit(1);
	}
	close(fd);
	unlink(path_fifo);
	if (gethostname(hostname, sizeof(hostname) - 1)) {
		perror("gethostname");
		exit(1);
	}
	hostname_len = strlen(hostname);
}

static bool selected(const char *list, const char *name)
{
	size_t len = strlen(name);
	const char *p = list;

	if (!list)
		return true;
	while ((p = strstr(p, name))) {
		if ((p == list || p[-1] == ',') && (p[len] == ',' || !p[len]))
			return true;
		p += len;
	}
	return false;
}

static void usage(void)
{
	const struct loop *l;

	fprintf(stderr,
		"usage: loops [-r RUNS] [-w WARMUP] [-s SCALE] [-l LOOP,...] [-c CONFIG]\n"
		"             [-d WORKDIR] [--seccomp] [--list] [--seccomp-info]\n\nloops:\n");
	for (l = loops; l->name; l++)
		fprintf(stderr, "  %-12s %s\n", l->name, l->what);
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "runs", required_argument, NULL, 'r' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "scale", required_argument, NULL, 's' },
		{ "loops", required_argument, NULL, 'l' },
		{ "config", required_argument, NULL, 'c' },
		{ "dir", required_argument, NULL, 'd' },
		{ "seccomp", no_argument, NULL, 'S' },
		{ "seccomp-info", no_argument, NULL, 'I' },
		{ "list", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *only = NULL, *config = "default";
	int runs = 7, warmup = 1, c, err;
	bool use_seccomp = false, seccomp_info = false;
	double scale = 1.0;
	const struct loop *l;

	while ((c = getopt_long(argc, argv, "r:w:s:l:c:d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': runs = atoi(optarg); break;
		case 'w': warmup = atoi(optarg); break;
		case 's': scale = atof(optarg); break;
		case 'l': only = optarg; break;
		case 'c': config = optarg; break;
		case 'd': workdir = optarg; break;
		case 'S': use_seccomp = true; break;
		case 'I': seccomp_info = true; break;
		case 'L':
			for (l = loops; l->name; l++)
				printf("%s\t%s\n", l->name, l->what);
			return 0;
		default: usage();
		}
	}
	if (optind != argc || runs < 1 || runs > MAX_RUNS || warmup < 0 ||
	    scale <= 0)
		usage();
	if (only) {
		/* Every name asked for must exist. */
		char *copy = strdup(only), *tok, *save = NULL;

		for (tok = strtok_r(copy, ",", &save); tok;
		     tok = strtok_r(NULL, ",", &save)) {
			for (l = loops; l->name && strcmp(l->name, tok); l++)
				;
			if (!l->name) {
				fprintf(stderr, "loops: no loop '%s'\n", tok);
				usage();
			}
		}
		free(copy);
	}

	if (seccomp_info) {
		struct ctgb_seccomp_info si;

		err = ctgb_seccomp_docker(false, &si, stderr);
		if (err) {
			fprintf(stderr, "loops: cannot build the seccomp filter: %s\n",
				strerror(-err));
			return 1;
		}
		printf("{\"seccomp\":{\"allowed\":%u,\"conditional\":%u,\"unknown\":%u,\"bpf_insns\":%u}}\n",
		       si.allowed, si.conditional, si.unknown, si.bpf_insns);
		return 0;
	}
	setup();
	if (use_seccomp) {
		err = ctgb_seccomp_docker(true, NULL, NULL);
		if (err) {
			fprintf(stderr, "loops: cannot install the seccomp filter: %s\n",
				strerror(-err));
			return 1;
		}
	}
	for (l = loops; l->name; l++)
		if (selected(only, l->name))
			run_loop(l, config, runs, scale, warmup);
	unlink(path_fifo);
	return 0;
}
