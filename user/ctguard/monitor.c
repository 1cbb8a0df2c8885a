// SPDX-License-Identifier: GPL-2.0
/*
 * ctguard monitor: one line per denial or complaint, flushed as it comes so
 * that the output can be piped; a line too when the kernel dropped events.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Paths of recently seen cgroup ids: resolving one walks /sys/fs/cgroup. */
#define CACHE_SIZE 64

struct path_cache {
	struct {
		uint64_t id;
		char *path;	/* NULL: looked up, not found */
		unsigned long used;
	} e[CACHE_SIZE];
	unsigned long clock;
};

static const char *cache_path(struct ctguard *h, struct path_cache *c,
			      uint64_t id)
{
	char buf[PATH_MAX];
	unsigned int i, victim = 0;

	for (i = 0; i < CACHE_SIZE; i++) {
		if (c->e[i].used && c->e[i].id == id) {
			c->e[i].used = ++c->clock;
			return c->e[i].path;
		}
		if (c->e[i].used < c->e[victim].used)
			victim = i;
	}
	free(c->e[victim].path);
	c->e[victim].id = id;
	c->e[victim].used = ++c->clock;
	c->e[victim].path = ctguard_cgroup_path(h, id, buf, sizeof(buf)) ?
			    NULL : strdup(buf);
	return c->e[victim].path;
}

static void cache_free(struct path_cache *c)
{
	unsigned int i;

	for (i = 0; i < CACHE_SIZE; i++)
		free(c->e[i].path);
}

/* The event concerns the filter cgroup, a descendant, or its policy. */
static bool event_matches(const struct target *f,
			  const struct ctguard_event *ev, const char *path)
{
	size_t n;

	if (ev->cgroup_id == f->id ||
	    ((ev->present & CTGUARD_EV_POLICY_CGROUP) &&
	     ev->policy_cgroup_id == f->id))
		return true;
	if (!path || !f->have_path)
		return false;
	if (!strcmp(f->path, "/"))
		return true;
	n = strlen(f->path);
	return !strncmp(path, f->path, n) && path[n] == '/';
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int print_event(const struct ctguard_event *ev,
		       const struct timespec *ts, const char *path,
		       const char *ppath, const char *tpath, bool json)
{
	char time[64], comm[CTGUARD_COMM_LEN * 4 + 1];
	char p[PATH_MAX * 4 + 1], detail[PATH_MAX * 4 + 512];
	char tw[PATH_MAX * 4 + 1];
	const char *class, *verdict;

	if (json)
		return json_print(json_event(ev, ts, path, ppath, tpath));
	format_time(ts, time, sizeof(time));
	format_word(ev->comm, comm, sizeof(comm));
	class = ctguard_class_name(ev->class);
	verdict = ctguard_verdict_name(ev->verdict);
	if (tpath)
		format_word(tpath, tw, sizeof(tw));
	format_event_detail(ev, tpath ? tw : NULL, detail, sizeof(detail));
	if (path)
		format_word(path, p, sizeof(p));
	else
		snprintf(p, sizeof(p), "id:%llu", (unsigned long long)ev->cgroup_id);
	printf("%s %s %s cgroup=%s pid=%u tgid=%u uid=%u comm=%s%s", time,
	       verdict ? verdict : "?", class ? class : "?", p, ev->pid,
	       ev->tgid, ev->uid, comm, detail);
	if ((ev->present & CTGUARD_EV_POLICY_CGROUP) &&
	    ev->policy_cgroup_id != ev->cgroup_id) {
		if (ppath) {
			format_word(ppath, p, sizeof(p));
			printf(" policy=%s", p);
		} else {
			printf(" policy=id:%llu",
			       (unsigned long long)ev->policy_cgroup_id);
		}
	}
	return putchar('\n') == EOF ? -EIO : 0;
}

int monitor_main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct path_cache *cache = NULL;
	struct ctguard *h = NULL;
	struct opts o = { 0 };
	uint64_t seen = 0;
	int ret;

	ret = parse_opts(argc, argv, OPTS_TARGET | OPTS_JSON | OPTS_COUNT, &o);
	if (!ret)
		ret = cli_open(&h);
	if (!ret && o.target.opt)
		ret = target_resolve(h, &o.target);
	if (ret)
		goto out;
	cache = calloc(1, sizeof(*cache));
	if (!cache) {
		ret = cli_err(-ENOMEM, "out of memory");
		goto out;
	}
	ret = ctguard_events_subscribe(h);
	if (ret) {
		ret = cli_lib_err(h, ret, NULL);
		goto out;
	}
	/* No SA_RESTART: a signal must wake the poll in ctguard_event_recv. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	while (!stop && (!o.count || seen < o.count)) {
		struct ctguard_event ev;
		const char *path, *ppath = NULL, *tpath = NULL;
		struct timespec ts;

		ret = ctguard_event_recv(h, &ev, -1);
		clock_gettime(CLOCK_REALTIME, &ts);
		if (ret == -EINTR || ret == -EAGAIN) {
			ret = 0;
			continue;
		}
		if (ret == -ENOBUFS) {
			/* Not fatal: the kernel counts them too (events-lost). */
			if (o.json) {
				ret = json_print(json_events_lost(&ts));
			} else {
				char time[64];

				format_time(&ts, time, sizeof(time));
				ret = printf("%s events lost: the kernel dropped events this monitor could not take in time\n",
					     time) < 0 ? -EIO : 0;
			}
			if (!ret && fflush(stdout))
				ret = -EIO;
			if (ret) {
				ret = cli_err(ret, "writing the output: %s",
					      strerror(-ret));
				goto out;
			}
			continue;
		}
		if (ret) {
			ret = cli_lib_err(h, ret, NULL);
			goto out;
		}
		path = cache_path(h, cache, ev.cgroup_id);
		if (o.target.opt && !event_matches(&o.target, &ev, path))
			continue;
		if (ev.present & CTGUARD_EV_POLICY_CGROUP)
			ppath = cache_path(h, cache, ev.policy_cgroup_id);
		/* The cache may have dropped @path for @ppath: look again. */
		path = cache_path(h, cache, ev.cgroup_id);
		if (ev.present & CTGUARD_EV_TARGET_CGROUP)
			tpath = cache_path(h, cache, ev.target_cgroup_id);
		ret = print_event(&ev, &ts, path, ppath, tpath, o.json);
		if (!ret && fflush(stdout))
			ret = -EIO;
		if (ret) {
			ret = cli_err(ret, "writing the output: %s",
				      strerror(-ret));
			goto out;
		}
		seen++;
	}
out:
	if (cache)
		cache_free(cache);
	ctguard_close(h);
	return ret;
}
