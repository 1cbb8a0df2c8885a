// SPDX-License-Identifier: GPL-2.0
/* ctguard list: every policy, one line each. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int cmp_path(const void *a, const void *b)
{
	const struct ctguard_policy_info *x = a, *y = b;

	if (!x->path || !y->path)
		return x->path ? -1 : y->path ? 1 :
			(x->cgroup_id > y->cgroup_id) - (x->cgroup_id < y->cgroup_id);
	return strcmp(x->path, y->path);
}

int list_main(int argc, char **argv)
{
	static const char *const hdr[] = {
		"ID", "MODE", "DENY", "DENY-CAPS", "DEVICES", "DENIED", "PATH",
		"RULE",
	};
	static const bool right[] = { true, false, false, false, true, true, false,
				      false };
	struct ctguard_policy_info *list = NULL;
	struct opts o = { 0 };
	struct ctguard *h = NULL;
	struct table *t = NULL;
	size_t nr = 0, i;
	int ret;

	ret = parse_opts(argc, argv, OPTS_JSON, &o);
	if (!ret)
		ret = cli_open(&h);
	if (ret)
		goto out;
	ret = ctguard_policy_list(h, &list, &nr);
	if (ret) {
		ret = cli_lib_err(h, ret, NULL);
		goto out;
	}
	qsort(list, nr, sizeof(*list), cmp_path);
	if (o.json) {
		struct json_object *root = json_object_new_object();
		struct json_object *arr = json_object_new_array();

		for (i = 0; i < nr; i++)
			json_object_array_add(arr, json_policy(&list[i]));
		json_object_object_add(root, "policies", arr);
		ret = json_print(root);
		goto out;
	}
	if (!nr)
		goto out;
	t = table_new(8, hdr, right);
	if (!t) {
		ret = cli_err(-ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < nr; i++) {
		const struct ctguard_policy *p = &list[i].policy;
		char id[24], deny[256], caps[1024], devs[24], denied[24];
		const char *row[8];

		snprintf(id, sizeof(id), "%llu",
			 (unsigned long long)list[i].cgroup_id);
		format_short_classes(p->deny, deny, sizeof(deny));
		format_short_caps(p->deny_caps, caps, sizeof(caps));
		snprintf(devs, sizeof(devs), "%zu", p->nr_devices);
		snprintf(denied, sizeof(denied), "%llu",
			 (unsigned long long)list[i].stats.denied);
		row[0] = id;
		row[1] = ctguard_mode_name(p->mode) ? ctguard_mode_name(p->mode) : "?";
		row[2] = deny;
		row[3] = caps;
		row[4] = devs;
		row[5] = denied;
		row[6] = list[i].path ? list[i].path : "?";
		/* A policy a rule made, or "-" for one set explicitly. */
		row[7] = list[i].rule ? list[i].rule : "-";
		if (table_add(t, row)) {
			ret = cli_err(-ENOMEM, "out of memory");
			goto out;
		}
	}
	table_print(t, stdout);
out:
	table_free(t);
	ctguard_policy_list_free(list, nr);
	ctguard_close(h);
	return ret;
}
