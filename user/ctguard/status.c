// SPDX-License-Identifier: GPL-2.0
/*
 * ctguard status: is the module loaded (asked of libkmod, so that status
 * never loads it as a side effect), and what the module itself reports.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libkmod.h>

#include "cli.h"

#define KEYW 14

struct modinfo {
	bool loaded;
	const char *state;	/* live, builtin, coming, going */
	int refcount;		/* -1 when unknown */
	char version[64];
};

static void read_version(struct modinfo *mi)
{
	FILE *f = fopen("/sys/module/ctguard/version", "re");
	size_t n;

	mi->version[0] = '\0';
	if (!f)
		return;
	if (fgets(mi->version, sizeof(mi->version), f)) {
		n = strlen(mi->version);
		if (n && mi->version[n - 1] == '\n')
			mi->version[n - 1] = '\0';
	}
	fclose(f);
}

static int module_info(struct modinfo *mi)
{
	struct kmod_module *mod = NULL;
	struct kmod_ctx *ctx;
	int ret, state;

	memset(mi, 0, sizeof(*mi));
	mi->refcount = -1;
	ctx = kmod_new(NULL, NULL);
	if (!ctx)
		return cli_err(-ENOMEM, "libkmod: cannot create a context");
	ret = kmod_module_new_from_name(ctx, "ctguard", &mod);
	if (ret < 0) {
		kmod_unref(ctx);
		return cli_err(ret, "libkmod: %s", strerror(-ret));
	}
	state = kmod_module_get_initstate(mod);
	switch (state) {
	case KMOD_MODULE_LIVE:
		mi->state = "live";
		break;
	case KMOD_MODULE_BUILTIN:
		mi->state = "builtin";
		break;
	case KMOD_MODULE_COMING:
		mi->state = "coming";
		break;
	case KMOD_MODULE_GOING:
		mi->state = "going";
		break;
	default:
		mi->state = NULL;
	}
	mi->loaded = mi->state != NULL;
	if (mi->loaded && state != KMOD_MODULE_BUILTIN)
		mi->refcount = kmod_module_get_refcnt(mod);
	if (mi->loaded)
		read_version(mi);
	kmod_module_unref(mod);
	kmod_unref(ctx);
	return 0;
}

static struct json_object *json_module(const struct modinfo *mi)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "loaded", json_object_new_boolean(mi->loaded));
	json_object_object_add(o, "state", mi->state ?
			       json_object_new_string(mi->state) : NULL);
	json_object_object_add(o, "version", mi->version[0] ?
			       json_object_new_string(mi->version) : NULL);
	json_object_object_add(o, "refcount", mi->refcount >= 0 ?
			       json_object_new_int(mi->refcount) : NULL);
	return o;
}

static struct json_object *json_kernel(const struct ctguard_status *st)
{
	struct json_object *o = json_object_new_object();
	struct json_object *hooks = json_object_new_array();
	size_t i;

	json_object_object_add(o, "version", json_object_new_string(st->version));
	json_object_object_add(o, "nr_policies", json_object_new_uint64(st->nr_policies));
	json_object_object_add(o, "max_policies", json_object_new_uint64(st->max_policies));
	json_object_object_add(o, "max_dev_rules", json_object_new_uint64(st->max_dev_rules));
	json_object_object_add(o, "nr_rules", json_object_new_uint64(st->nr_rules));
	json_object_object_add(o, "max_rules", json_object_new_uint64(st->max_rules));
	json_object_object_add(o, "partial", json_object_new_boolean(st->partial));
	json_object_object_add(o, "stats", json_stats(&st->stats));
	for (i = 0; i < st->nr_hooks; i++)
		json_object_array_add(hooks, json_hook(&st->hooks[i]));
	json_object_object_add(o, "hooks", hooks);
	return o;
}

static void print_module(const struct modinfo *mi)
{
	if (!mi->loaded) {
		print_kv("module", KEYW, "not loaded");
		return;
	}
	if (mi->refcount >= 0)
		print_kv("module", KEYW, "loaded (%s), version %s, refcount %d",
			 mi->state, mi->version[0] ? mi->version : "?",
			 mi->refcount);
	else
		print_kv("module", KEYW, "loaded (%s), version %s", mi->state,
			 mi->version[0] ? mi->version : "?");
}

static int print_kernel(const struct ctguard_status *st)
{
	static const char *const hdr[] = {
		"HOOK", "CLASS", "STATE", "HITS", "MISSED",
	};
	static const bool right[] = { false, false, false, true, true };
	struct table *t;
	size_t i;

	print_kv("version", KEYW, "%s", st->version);
	print_kv("policies", KEYW, "%u (max %u)", st->nr_policies,
		 st->max_policies);
	print_kv("max-dev-rules", KEYW, "%u", st->max_dev_rules);
	print_kv("rules", KEYW, "%u (max %u)", st->nr_rules, st->max_rules);
	print_kv("partial", KEYW, "%s", st->partial ?
		 "yes: some hooks are unavailable" : "no");
	print_kv("denied", KEYW, "%llu", (unsigned long long)st->stats.denied);
	print_kv("complained", KEYW, "%llu",
		 (unsigned long long)st->stats.complained);
	print_kv("log-suppressed", KEYW, "%llu",
		 (unsigned long long)st->stats.log_suppressed);
	print_kv("events-lost", KEYW, "%llu",
		 (unsigned long long)st->stats.events_lost);
	if (!st->nr_hooks)
		return 0;
	t = table_new(5, hdr, right);
	if (!t)
		return -ENOMEM;
	for (i = 0; i < st->nr_hooks; i++) {
		const struct ctguard_hook *hk = &st->hooks[i];
		char hits[24], missed[24];
		const char *row[5];

		snprintf(hits, sizeof(hits), "%llu", (unsigned long long)hk->hits);
		snprintf(missed, sizeof(missed), "%llu",
			 (unsigned long long)hk->missed);
		row[0] = hk->name;
		row[1] = ctguard_class_name(hk->class) ?
			 ctguard_class_name(hk->class) : "-";
		row[2] = ctguard_hook_state_name(hk->state) ?
			 ctguard_hook_state_name(hk->state) : "?";
		row[3] = hits;
		row[4] = missed;
		if (table_add(t, row)) {
			table_free(t);
			return -ENOMEM;
		}
	}
	putchar('\n');
	table_print(t, stdout);
	table_free(t);
	return 0;
}

int status_main(int argc, char **argv)
{
	struct ctguard_status st = { 0 };
	struct json_object *root = NULL;
	struct ctguard *h = NULL;
	struct opts o = { 0 };
	struct modinfo mi;
	int ret, kret = 0;

	ret = parse_opts(argc, argv, OPTS_JSON, &o);
	if (ret)
		return ret;
	ret = module_info(&mi);
	if (ret)
		return ret;
	if (!mi.loaded) {
		kret = cli_err(-ENOENT, "ctguard module not loaded (try: modprobe ctguard)");
	} else {
		kret = cli_open(&h);
		if (!kret) {
			kret = ctguard_status_get(h, &st);
			if (kret)
				kret = cli_lib_err(h, kret, NULL);
		}
	}
	if (o.json) {
		root = json_object_new_object();
		json_object_object_add(root, "module", json_module(&mi));
		json_object_object_add(root, "kernel", kret ? NULL : json_kernel(&st));
		ret = json_print(root);
	} else {
		print_module(&mi);
		if (!kret)
			ret = print_kernel(&st);
		if (ret)
			ret = cli_err(ret, "out of memory");
	}
	ctguard_status_release(&st);
	ctguard_close(h);
	return kret ? kret : ret;
}
