// SPDX-License-Identifier: GPL-2.0
/*
 * ctgb: the benchmark's helper for cgroups and policies, on libctguard.
 * Every timed figure is CLOCK_MONOTONIC nanoseconds (instruction-time under
 * QEMU -icount) and is printed as one JSON object on stdout.
 *
 *   ctgb mkcg PARENT N [START]     mkdir PARENT/pNNNNNN for START..START+N-1
 *   ctgb rmcg PARENT N [START]     rmdir them
 *   ctgb apply PARENT N [START] [-d CLASSES] [-c CAPS] [-m MODE]
 *                                  one SET_POLICY per cgroup (REPLACE); also
 *                                  prints each call's latency and the slab
 *                                  growth across the requests
 *   ctgb del PARENT N [START]      one DEL_POLICY per cgroup
 *   ctgb set PATH [-d CLASSES] [-c CAPS] [-m MODE]
 *   ctgb unset PATH
 *   ctgb status                    policies, hooks (state, hits), counters
 *   ctgb listen                    count events until SIGTERM/SIGINT
 *
 * CLASSES and CAPS use the ctguard(8) names ("mount,dmesg", "sys_admin",
 * "all", or "" for none); MODE is enforce or complain.
 */

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <ctguard.h>

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("ctgb: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

/* --- Memory: /proc/meminfo slab totals and /proc/slabinfo per cache --- */

#define MAX_CACHES 512

struct mem_snap {
	long slab_kb, sreclaimable_kb, sunreclaim_kb;
	int nr;
	char name[MAX_CACHES][64];
	long long bytes[MAX_CACHES];	/* num_objs * objsize */
};

static void mem_snapshot(struct mem_snap *m)
{
	char line[512], name[64];
	long long active, num, size;
	FILE *f;

	memset(m, 0, sizeof(*m));
	f = fopen("/proc/meminfo", "r");
	if (f) {
		while (fgets(line, sizeof(line), f)) {
			sscanf(line, "Slab: %ld", &m->slab_kb);
			sscanf(line, "SReclaimable: %ld", &m->sreclaimable_kb);
			sscanf(line, "SUnreclaim: %ld", &m->sunreclaim_kb);
		}
		fclose(f);
	}
	f = fopen("/proc/slabinfo", "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && m->nr < MAX_CACHES) {
		if (line[0] == '#' || !strncmp(line, "slabinfo", 8))
			continue;
		if (sscanf(line, "%63s %lld %lld %lld", name, &active, &num,
			   &size) != 4)
			continue;
		snprintf(m->name[m->nr], sizeof(m->name[0]), "%s", name);
		m->bytes[m->nr++] = num * size;
	}
	fclose(f);
}

/* The growth from @a to @b, as a JSON object; caches that moved >= 4 KiB. */
static void mem_print_delta(const struct mem_snap *a, const struct mem_snap *b)
{
	int i, j, first = 1;

	printf("{\"slab_kb\":%ld,\"sreclaimable_kb\":%ld,\"sunreclaim_kb\":%ld,\"caches\":{",
	       b->slab_kb - a->slab_kb, b->sreclaimable_kb - a->sreclaimable_kb,
	       b->sunreclaim_kb - a->sunreclaim_kb);
	for (i = 0; i < b->nr; i++) {
		long long before = 0, d;

		for (j = 0; j < a->nr; j++)
			if (!strcmp(a->name[j], b->name[i]))
				before = a->bytes[j];
		d = b->bytes[i] - before;
		if (d >= 4096 || d <= -4096) {
			printf("%s\"%s\":%lld", first ? "" : ",", b->name[i], d);
			first = 0;
		}
	}
	printf("}}");
}

static struct ctguard *open_handle(void)
{
	struct ctguard *h = ctguard_open();

	if (!h)
		die("ctguard_open: %s", strerror(errno));
	return h;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void cg_name(char *buf, size_t len, const char *parent, unsigned long i)
{
	snprintf(buf, len, "%s/p%06lu", parent, i);
}

static unsigned long parse_ulong(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || end == s)
		die("bad %s '%s'", what, s);
	return v;
}

static int cmd_mkcg(int argc, char **argv, int rm)
{
	unsigned long n, start = 0, i;
	char path[4096];
	double t0, t;

	if (argc < 3 || argc > 4)
		die("usage: %s PARENT N [START]", argv[0]);
	n = parse_ulong(argv[2], "N");
	if (argc == 4)
		start = parse_ulong(argv[3], "START");
	t0 = now_ns();
	for (i = start; i < start + n; i++) {
		cg_name(path, sizeof(path), argv[1], i);
		if (rm ? rmdir(path) : mkdir(path, 0755))
			die("%s %s: %s", rm ? "rmdir" : "mkdir", path,
			    strerror(errno));
	}
	t = now_ns() - t0;
	printf("{\"op\":\"%s\",\"n\":%lu,\"ns\":%.0f,\"ns_each\":%.1f}\n",
	       rm ? "rmcg" : "mkcg", n, t, n ? t / n : 0);
	return 0;
}

static void parse_policy(int argc, char **argv, struct ctguard_policy *p)
{
	char err[CTGUARD_ERRBUF_LEN];
	int c;

	ctguard_policy_init(p);
	p->fields = CTGUARD_POLICY_DENY | CTGUARD_POLICY_DENY_CAPS |
		    CTGUARD_POLICY_MODE;
	p->mode = CTGUARD_MODE_ENFORCE;
	optind = 1;
	while ((c = getopt(argc, argv, "d:c:m:")) != -1) {
		switch (c) {
		case 'd':
			if (*optarg &&
			    ctguard_parse_classes(optarg, &p->deny, err, sizeof(err)))
				die("%s", err);
			break;
		case 'c':
			if (*optarg &&
			    ctguard_parse_caps(optarg, &p->deny_caps, err, sizeof(err)))
				die("%s", err);
			break;
		case 'm':
			if (ctguard_parse_mode(optarg, &p->mode, err, sizeof(err)))
				die("%s", err);
			break;
		default:
			die("bad option");
		}
	}
}

static int cmd_apply(int argc, char **argv, int del)
{
	unsigned long n, start = 0, i;
	struct ctguard_policy p;
	struct ctguard *h;
	uint64_t *ids;
	char path[4096];
	struct stat st;
	double t0, t_resolve, t_apply, *lat;
	struct mem_snap *mem;
	int err, pos = 0;
	char *pargs[16];

	/* Positional arguments first, then the policy options. */
	if (argc < 3)
		die("usage: %s PARENT N [START] [-d CLASSES] [-c CAPS] [-m MODE]",
		    argv[0]);
	n = parse_ulong(argv[2], "N");
	pos = 3;
	if (argc > 3 && argv[3][0] != '-') {
		start = parse_ulong(argv[3], "START");
		pos = 4;
	}
	if (argc - pos + 1 > 16)
		die("too many options");
	pargs[0] = argv[0];
	for (i = 0; (int)i < argc - pos; i++)
		pargs[i + 1] = argv[pos + i];
	parse_policy(argc - pos + 1, pargs, &p);

	ids = calloc(n ? n : 1, sizeof(*ids));
	if (!ids)
		die("out of memory");
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		cg_name(path, sizeof(path), argv[1], start + i);
		if (stat(path, &st))
			die("%s: %s", path, strerror(errno));
		ids[i] = st.st_ino;
	}
	t_resolve = now_ns() - t0;

	h = open_handle();
	/* Resolve the family before timing (one request). */
	if (n) {
		struct ctguard_status s;

		if (ctguard_status_get(h, &s))
			die("status: %s", ctguard_strerror(h));
		ctguard_status_release(&s);
	}
	lat = calloc(n ? n : 1, sizeof(*lat));
	mem = calloc(2, sizeof(*mem));
	if (!lat || !mem)
		die("out of memory");
	mem_snapshot(&mem[0]);
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		double t1 = now_ns();

		err = del ? ctguard_policy_del(h, ids[i]) :
			    ctguard_policy_set(h, ids[i], &p, CTGUARD_F_REPLACE);
		if (err)
			die("%s policy %lu of %lu (cgroup %llu): %s",
			    del ? "deleting" : "setting", i + 1, n,
			    (unsigned long long)ids[i], ctguard_strerror(h));
		lat[i] = now_ns() - t1;
	}
	t_apply = now_ns() - t0;
	mem_snapshot(&mem[1]);
	qsort(lat, n, sizeof(*lat), cmp_double);
	printf("{\"op\":\"%s\",\"n\":%lu,\"resolve_ns\":%.0f,\"ns\":%.0f,\"ns_each\":%.1f,"
	       "\"call_ns\":{\"min\":%.0f,\"median\":%.0f,\"p99\":%.0f,\"max\":%.0f},\"mem\":",
	       del ? "del" : "apply", n, t_resolve, t_apply,
	       n ? t_apply / n : 0, n ? lat[0] : 0, n ? lat[n / 2] : 0,
	       n ? lat[n * 99 / 100] : 0, n ? lat[n - 1] : 0);
	mem_print_delta(&mem[0], &mem[1]);
	printf("}\n");
	free(lat);
	free(mem);
	ctguard_close(h);
	ctguard_policy_release(&p);
	free(ids);
	return 0;
}

static int cmd_set(int argc, char **argv, int unset)
{
	struct ctguard_policy p;
	struct ctguard *h;
	uint64_t id;
	int err;

	if (argc < 2)
		die("usage: %s PATH [-d CLASSES] [-c CAPS] [-m MODE]", argv[0]);
	h = open_handle();
	err = ctguard_cgroup_id(h, argv[1], &id);
	if (err)
		die("%s: %s", argv[1], ctguard_strerror(h));
	if (unset) {
		err = ctguard_policy_del(h, id);
	} else {
		parse_policy(argc - 1, argv + 1, &p);
		err = ctguard_policy_set(h, id, &p, CTGUARD_F_REPLACE);
		ctguard_policy_release(&p);
	}
	if (err)
		die("%s %s: %s", unset ? "unset" : "set", argv[1],
		    ctguard_strerror(h));
	ctguard_close(h);
	return 0;
}

static void print_stats(const struct ctguard_stats *s)
{
	printf("{\"denied\":%llu,\"complained\":%llu,\"log_suppressed\":%llu,\"events_lost\":%llu}",
	       (unsigned long long)s->denied,
	       (unsigned long long)s->complained,
	       (unsigned long long)s->log_suppressed,
	       (unsigned long long)s->events_lost);
}

static int cmd_status(void)
{
	struct ctguard *h = open_handle();
	struct ctguard_status s;
	size_t i;

	if (ctguard_status_get(h, &s))
		die("status: %s", ctguard_strerror(h));
	printf("{\"version\":\"%s\",\"nr_policies\":%u,\"partial\":%s,\"stats\":",
	       s.version ? s.version : "", s.nr_policies,
	       s.partial ? "true" : "false");
	print_stats(&s.stats);
	printf(",\"hooks\":[");
	for (i = 0; i < s.nr_hooks; i++) {
		const struct ctguard_hook *k = &s.hooks[i];

		printf("%s{\"name\":\"%s\",\"class\":\"%s\",\"state\":\"%s\",\"hits\":%llu,\"missed\":%llu}",
		       i ? "," : "", k->name,
		       ctguard_class_name(k->class) ?: "?",
		       ctguard_hook_state_name(k->state) ?: "?",
		       (unsigned long long)k->hits,
		       (unsigned long long)k->missed);
	}
	printf("]}\n");
	ctguard_status_release(&s);
	ctguard_close(h);
	return 0;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/*
 * An event listener like a monitoring daemon: receive and decode every
 * event. Prints "ready" once subscribed, and the totals when stopped.
 */
static int cmd_listen(void)
{
	struct ctguard *h = open_handle();
	struct sigaction sa = { .sa_handler = on_signal };
	struct ctguard_event ev;
	unsigned long long events = 0, overruns = 0;
	int err;

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (ctguard_events_subscribe(h))
		die("subscribe: %s", ctguard_strerror(h));
	printf("ready\n");
	fflush(stdout);
	while (!stop) {
		err = ctguard_event_recv(h, &ev, 200);
		if (!err)
			events++;
		else if (err == -ENOBUFS)
			overruns++;
		else if (err != -EAGAIN && err != -EINTR)
			die("receive: %s", ctguard_strerror(h));
	}
	/* Drain what is already queued. */
	while (!(err = ctguard_event_recv(h, &ev, 0)) || err == -ENOBUFS) {
		if (!err)
			events++;
		else
			overruns++;
	}
	printf("{\"events\":%llu,\"overruns\":%llu}\n", events, overruns);
	ctguard_close(h);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!strcmp(cmd, "mkcg"))
		return cmd_mkcg(argc - 1, argv + 1, 0);
	if (!strcmp(cmd, "rmcg"))
		return cmd_mkcg(argc - 1, argv + 1, 1);
	if (!strcmp(cmd, "apply"))
		return cmd_apply(argc - 1, argv + 1, 0);
	if (!strcmp(cmd, "del"))
		return cmd_apply(argc - 1, argv + 1, 1);
	if (!strcmp(cmd, "set"))
		return cmd_set(argc - 1, argv + 1, 0);
	if (!strcmp(cmd, "unset"))
		return cmd_set(argc - 1, argv + 1, 1);
	if (!strcmp(cmd, "status"))
		return cmd_status();
	if (!strcmp(cmd, "listen"))
		return cmd_listen();
	fprintf(stderr,
		"usage: ctgb mkcg|rmcg PARENT N [START]\n"
		"       ctgb apply PARENT N [START] [-d CLASSES] [-c CAPS] [-m MODE]\n"
		"       ctgb del PARENT N [START]\n"
		"       ctgb set PATH [-d CLASSES] [-c CAPS] [-m MODE]\n"
		"       ctgb unset PATH\n"
		"       ctgb status | listen\n");
	return 2;
}
