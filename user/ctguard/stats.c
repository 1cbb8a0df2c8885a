// SPDX-License-Identifier: GPL-2.0
/* ctguard stats: denial counters of one cgroup, or of all and the total. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define KEYW 14

static int cmp_path(const void *a, const void *b)
{
	const struct ctguard_cgroup_stats *x = a, *y = b;

	if (!x->path || !y->path)
		return x->path ? -1 : y->path ? 1 :
			(x->cgroup_id > y->cgroup_id) - (x->cgroup_id < y->cgroup_id);
	return strcmp(x->path, y->path);
}

static int stats_one(struct ctguard *h, struct opts *o)
{
	struct ctguard_cgroup_stats st;
	char desc[PATH_MAX + 64];
	int ret;

	ret = target_resolve(h, &o->target);
	if (ret)
		return ret;
	ret = ctguard_stats_get(h, o->target.id, &st);
	if (ret)
		return cli_lib_err(h, ret, target_desc(&o->target, desc,
						       sizeof(desc)));
	if (!st.path && o->target.have_path)
		st.path = strdup(o->target.path);
	if (o->json) {
		ret = json_print(json_cgroup_stats(&st));
	} else {
		print_kv("cgroup", KEYW, "%s", st.path ? st.path : "?");
		print_kv("id", KEYW, "%llu", (unsigned long long)st.cgroup_id);
		print_kv("denied", KEYW, "%llu",
			 (unsigned long long)st.stats.denied);
		print_kv("complained", KEYW, "%llu",
			 (unsigned long long)st.stats.complained);
		print_kv("log-suppressed", KEYW, "%llu",
			 (unsigned long long)st.stats.log_suppressed);
		print_kv("events-lost", KEYW, "%llu",
			 (unsigned long long)st.stats.events_lost);
	}
	ctguard_cgroup_stats_release(&st);
	return ret;
}

static int add_row(struct table *t, const char *id, const char *path,
		   const struct ctguard_stats *s)
{
	char c[4][24];
	const char *row[6];

	snprintf(c[0], sizeof(c[0]), "%llu", (unsigned long long)s->denied);
	snprintf(c[1], sizeof(c[1]), "%llu", (unsigned long long)s->complained);
	snprintf(c[2], sizeof(c[2]), "%llu",
		 (unsigned long long)s->log_suppressed);
	snprintf(c[3], sizeof(c[3]), "%llu", (unsigned long long)s->events_lost);
	row[0] = id;
	row[1] = c[0];
	row[2] = c[1];
	row[3] = c[2];
	row[4] = c[3];
	row[5] = path;
	return table_add(t, row);
}

static int stats_all(struct ctguard *h, struct opts *o)
{
	static const char *const hdr[] = {
		"ID", "DENIED", "COMPLAINED", "LOG-SUPPRESSED", "EVENTS-LOST",
		"PATH",
	};
	static const bool right[] = { true, true, true, true, true, false };
	struct ctguard_cgroup_stats *list = NULL;
	struct ctguard_status st;
	struct table *t = NULL;
	size_t nr = 0, i;
	int ret;

	/* The module's totals come with its status. */
	ret = ctguard_status_get(h, &st);
	if (ret)
		return cli_lib_err(h, ret, NULL);
	ret = ctguard_stats_list(h, &list, &nr);
	if (ret) {
		ret = cli_lib_err(h, ret, NULL);
		goto out;
	}
	qsort(list, nr, sizeof(*list), cmp_path);
	if (o->json) {
		struct json_object *root = json_object_new_object();
		struct json_object *arr = json_object_new_array();

		json_object_object_add(root, "global", json_stats(&st.stats));
		for (i = 0; i < nr; i++)
			json_object_array_add(arr, json_cgroup_stats(&list[i]));
		json_object_object_add(root, "cgroups", arr);
		ret = json_print(root);
		goto out;
	}
	t = table_new(6, hdr, right);
	if (!t || add_row(t, "-", "(global)", &st.stats)) {
		ret = cli_err(-ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < nr; i++) {
		char id[24];

		snprintf(id, sizeof(id), "%llu",
			 (unsigned long long)list[i].cgroup_id);
		if (add_row(t, id, list[i].path ? list[i].path : "?",
			    &list[i].stats)) {
			ret = cli_err(-ENOMEM, "out of memory");
			goto out;
		}
	}
	table_print(t, stdout);
out:
	table_free(t);
	ctguard_stats_list_free(list, nr);
	ctguard_status_release(&st);
	return ret;
}

int stats_main(int argc, char **argv)
{
	struct ctguard *h = NULL;
	struct opts o = { 0 };
	int ret;

	ret = parse_opts(argc, argv, OPTS_TARGET | OPTS_JSON, &o);
	if (!ret)
		ret = cli_open(&h);
	if (!ret)
		ret = o.target.opt ? stats_one(h, &o) : stats_all(h, &o);
	ctguard_close(h);
	return ret;
}
