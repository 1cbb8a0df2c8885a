// SPDX-License-Identifier: GPL-2.0
/* ctguard show: the policy and counters of one cgroup. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define KEYW 14	/* width of the longest key, "log-suppressed" */

static void show_policy(const struct ctguard_policy_info *info)
{
	const struct ctguard_policy *p = &info->policy;
	char list[2048];
	size_t i;

	print_kv("cgroup", KEYW, "%s", info->path ? info->path : "?");
	print_kv("id", KEYW, "%llu", (unsigned long long)info->cgroup_id);
	if (info->rule)
		print_kv("rule", KEYW, "%s (derived from this rule)", info->rule);
	print_kv("mode", KEYW, "%s%s",
		 ctguard_mode_name(p->mode) ? ctguard_mode_name(p->mode) : "?",
		 info->pending ? " (pending: in force from the container's exec)" : "");
	ctguard_format_classes(p->deny, list, sizeof(list));
	print_kv_list("deny", KEYW, list);
	ctguard_format_caps(p->deny_caps, list, sizeof(list));
	print_kv_list("deny-caps", KEYW, list);
	if (!p->nr_devices)
		print_kv("devices", KEYW, "%s",
			 p->deny & CTGUARD_CLASS_DEVICES ? "- (none allowed)" : "-");
	for (i = 0; i < p->nr_devices; i++) {
		char rule[64];

		ctguard_format_dev_rule(&p->devices[i], rule, sizeof(rule));
		print_kv(i ? "" : "devices", KEYW, "%s", rule);
	}
	print_kv("denied", KEYW, "%llu",
		 (unsigned long long)info->stats.denied);
	print_kv("complained", KEYW, "%llu",
		 (unsigned long long)info->stats.complained);
	print_kv("log-suppressed", KEYW, "%llu",
		 (unsigned long long)info->stats.log_suppressed);
	print_kv("events-lost", KEYW, "%llu",
		 (unsigned long long)info->stats.events_lost);
}

/*
 * A cgroup without a policy of its own may still be confined by an
 * ancestor's: name those, since that is what the user wants to know.
 */
static void show_inherited(struct ctguard *h, const struct target *t,
			   char *buf, size_t len)
{
	struct ctguard_policy_info *list;
	size_t nr, i, pos = 0;

	buf[0] = '\0';
	if (!t->have_path || ctguard_policy_list(h, &list, &nr))
		return;
	for (i = 0; i < nr; i++) {
		size_t n;

		if (!list[i].path)
			continue;
		n = strlen(list[i].path);
		if (strcmp(list[i].path, "/") &&
		    (strncmp(t->path, list[i].path, n) || t->path[n] != '/'))
			continue;
		pos += (size_t)snprintf(buf + pos, pos < len ? len - pos : 0,
					"%s%s", pos ? ", " : "", list[i].path);
	}
	ctguard_policy_list_free(list, nr);
}

int show_main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct ctguard_policy_info info;
	struct ctguard *h = NULL;
	char desc[PATH_MAX + 64], anc[1024];
	int ret;

	ret = parse_opts(argc, argv,
			 OPTS_TARGET | OPTS_TARGET_REQUIRED | OPTS_JSON, &o);
	if (!ret)
		ret = cli_open(&h);
	if (!ret)
		ret = target_resolve(h, &o.target);
	if (ret)
		goto out;
	target_desc(&o.target, desc, sizeof(desc));
	ret = ctguard_policy_get(h, o.target.id, &info);
	if (ret == -ENOENT) {
		/* Keep the kernel's message: listing replaces it. */
		ret = cli_lib_err(h, ret, desc);
		show_inherited(h, &o.target, anc, sizeof(anc));
		if (anc[0])
			ret = cli_err(ret, "%s: no policy of its own (confined by the policies of %s)",
				      desc, anc);
		goto out;
	}
	if (ret) {
		ret = cli_lib_err(h, ret, desc);
		goto out;
	}
	/* The kernel knows the path best; fall back to ours. */
	if (!info.path && o.target.have_path)
		info.path = strdup(o.target.path);
	if (o.json)
		ret = json_print(json_policy(&info));
	else
		show_policy(&info);
	ctguard_policy_info_release(&info);
out:
	ctguard_close(h);
	return ret;
}
