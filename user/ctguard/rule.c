// SPDX-License-Identifier: GPL-2.0
/*
 * ctguard rule add|del|list|show: rules by cgroup path. The module gives
 * every cgroup whose path matches a rule's pattern a policy of the rule's
 * content, from the moment the cgroup exists.
 *
 * "add" works like "set": it reads the rule (or starts from --profile),
 * applies the options in the order given and sends the whole rule back
 * (CTGUARD_F_REPLACE). --on-exec / --no-on-exec likewise change the
 * rule's CTGUARD_F_ON_EXEC, which is otherwise kept (cleared by --profile).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define KEYW 9	/* width of the longest key, "deny-caps" */

enum {
	OPT_PATH = 256,
	OPT_DENY,
	OPT_ALLOW,
	OPT_DENY_CAP,
	OPT_ALLOW_CAP,
	OPT_ALLOW_DEV,
	OPT_CLEAR_DEV,
	OPT_PROFILE,
	OPT_MODE,
	OPT_ON_EXEC,
	OPT_NO_ON_EXEC,
	OPT_JSON,
	OPT_HELP = 'h',
};

/* Which options each action takes. */
enum {
	R_PATH = 1 << 0,
	R_POLICY = 1 << 1,
	R_JSON = 1 << 2,
};

static const struct option rule_opts[] = {
	{ "path", required_argument, NULL, OPT_PATH },
	{ "deny", required_argument, NULL, OPT_DENY },
	{ "allow", required_argument, NULL, OPT_ALLOW },
	{ "deny-cap", required_argument, NULL, OPT_DENY_CAP },
	{ "allow-cap", required_argument, NULL, OPT_ALLOW_CAP },
	{ "allow-dev", required_argument, NULL, OPT_ALLOW_DEV },
	{ "clear-dev", no_argument, NULL, OPT_CLEAR_DEV },
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "on-exec", no_argument, NULL, OPT_ON_EXEC },
	{ "no-on-exec", no_argument, NULL, OPT_NO_ON_EXEC },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

struct rule_op {
	int opt;
	uint64_t mask;
	struct ctguard_dev_rule dev;
};

struct rule_args {
	const char *path;
	const char *profile;
	struct rule_op *ops;
	size_t nr_ops;
	bool have_mode;
	uint8_t mode;
	int on_exec;		/* -1: keep the rule's */
	bool json;
};

static int rule_add_op(struct rule_args *a, int opt, uint64_t mask,
		       const struct ctguard_dev_rule *dev)
{
	struct rule_op *n = realloc(a->ops, (a->nr_ops + 1) * sizeof(*n));

	if (!n)
		return cli_err(-ENOMEM, "out of memory");
	a->ops = n;
	n += a->nr_ops++;
	memset(n, 0, sizeof(*n));
	n->opt = opt;
	n->mask = mask;
	if (dev)
		n->dev = *dev;
	return 0;
}

static int rule_parse(int argc, char **argv, unsigned int allowed,
		      struct rule_args *a)
{
	char err[CTGUARD_ERRBUF_LEN];
	struct ctguard_dev_rule dev;
	uint32_t classes;
	uint64_t caps;
	int c, ret, idx;

	optind = 0;
	opterr = 0;
	while ((idx = -1,
		c = getopt_long(argc, argv, "+:h", rule_opts, &idx)) != -1) {
		ret = 0;
		if (c == OPT_HELP) {
			print_usage(cmd_find("rule"), true);
			exit(0);
		}
		if (c == ':')
			return cli_usage("%s needs an argument", argv[optind - 1]);
		if (c == '?')
			return cli_usage("%s: unknown option '%s'", argv[0],
					 argv[optind - 1]);
		if ((c == OPT_PATH && !(allowed & R_PATH)) ||
		    (c == OPT_JSON && !(allowed & R_JSON)) ||
		    (c != OPT_PATH && c != OPT_JSON && !(allowed & R_POLICY)))
			return cli_usage("%s: unknown option '--%s'", argv[0],
					 idx >= 0 ? rule_opts[idx].name : "?");
		switch (c) {
		case OPT_PATH:
			if (a->path)
				return cli_usage("--path given twice");
			a->path = optarg;
			break;
		case OPT_JSON:
			a->json = true;
			break;
		case OPT_DENY:
		case OPT_ALLOW:
			if (ctguard_parse_classes(optarg, &classes, err,
						  sizeof(err)))
				return cli_usage("%s: %s", c == OPT_DENY ?
						 "--deny" : "--allow", err);
			ret = rule_add_op(a, c, classes, NULL);
			break;
		case OPT_DENY_CAP:
		case OPT_ALLOW_CAP:
			if (ctguard_parse_caps(optarg, &caps, err, sizeof(err)))
				return cli_usage("%s: %s", c == OPT_DENY_CAP ?
						 "--deny-cap" : "--allow-cap", err);
			ret = rule_add_op(a, c, caps, NULL);
			break;
		case OPT_ALLOW_DEV:
			if (ctguard_parse_dev_rule(optarg, &dev, err,
						   sizeof(err)))
				return cli_usage("--allow-dev: %s", err);
			ret = rule_add_op(a, c, 0, &dev);
			break;
		case OPT_CLEAR_DEV:
			ret = rule_add_op(a, c, 0, NULL);
			break;
		case OPT_PROFILE:
			if (a->profile)
				return cli_usage("--profile given twice");
			if (!ctguard_profile_description(optarg)) {
				struct ctguard_policy p;

				ctguard_policy_init(&p);
				ctguard_profile(optarg, &p, err, sizeof(err));
				return cli_usage("--profile: %s", err);
			}
			a->profile = optarg;
			break;
		case OPT_MODE:
			if (ctguard_parse_mode(optarg, &a->mode, err,
					       sizeof(err)))
				return cli_usage("--mode: %s", err);
			a->have_mode = true;
			break;
		case OPT_ON_EXEC:
		case OPT_NO_ON_EXEC:
			if (a->on_exec >= 0)
				return cli_usage("--on-exec or --no-on-exec given twice");
			a->on_exec = c == OPT_ON_EXEC;
			break;
		}
		if (ret)
			return ret;
	}
	if (optind < argc)
		return cli_usage("unexpected argument '%s'", argv[optind]);
	if ((allowed & R_PATH) && !a->path)
		return cli_usage("%s: which rule? give --path PATTERN", argv[0]);
	if ((allowed & R_POLICY) && !a->nr_ops && !a->profile &&
	    !a->have_mode && a->on_exec < 0)
		return cli_usage("add: nothing to set: give --profile, --deny, --allow, --deny-cap, --allow-cap, --allow-dev, --clear-dev, --mode or --on-exec");
	return 0;
}

/* The options, in the order given, on top of @p. */
static int rule_apply(const struct rule_args *a, struct ctguard_policy *p)
{
	size_t i;
	int ret;

	p->fields = CTGUARD_POLICY_ALL;
	for (i = 0; i < a->nr_ops; i++) {
		const struct rule_op *op = &a->ops[i];

		switch (op->opt) {
		case OPT_DENY:
			p->deny |= (uint32_t)op->mask;
			break;
		case OPT_ALLOW:
			p->deny &= ~(uint32_t)op->mask;
			break;
		case OPT_DENY_CAP:
			p->deny_caps |= op->mask;
			break;
		case OPT_ALLOW_CAP:
			p->deny_caps &= ~op->mask;
			break;
		case OPT_CLEAR_DEV:
			ctguard_policy_release(p);
			break;
		case OPT_ALLOW_DEV:
			ret = ctguard_policy_add_dev(p, &op->dev);
			if (ret)
				return ret;
			break;
		}
	}
	if (a->have_mode)
		p->mode = a->mode;
	return 0;
}

static int rule_add(struct ctguard *h, const struct rule_args *a)
{
	struct ctguard_rule_info cur;
	struct ctguard_policy p;
	char err[CTGUARD_ERRBUF_LEN];
	bool on_exec = false;
	int ret;

	ctguard_policy_init(&p);
	if (a->profile) {
		ret = ctguard_profile(a->profile, &p, err, sizeof(err));
		if (ret) {
			ret = cli_err(ret, "--profile: %s", err);
			goto out;
		}
	} else {
		ret = ctguard_rule_get(h, a->path, &cur);
		if (!ret) {
			on_exec = cur.on_exec;
			ret = ctguard_policy_copy(&p, &cur.policy);
			ctguard_rule_info_release(&cur);
			if (ret) {
				ret = cli_err(ret, "out of memory");
				goto out;
			}
		} else if (ret != -ENOENT) {
			ret = cli_lib_err(h, ret, a->path);
			goto out;
		}
	}
	ret = rule_apply(a, &p);
	if (ret) {
		ret = cli_err(ret, "out of memory");
		goto out;
	}
	if (a->on_exec >= 0)
		on_exec = a->on_exec;
	ret = ctguard_rule_set(h, a->path, &p, CTGUARD_F_REPLACE |
			       (on_exec ? CTGUARD_F_ON_EXEC : 0));
	if (ret)
		ret = cli_lib_err(h, ret, a->path);
out:
	ctguard_policy_release(&p);
	return ret;
}

static void rule_show_one(const struct ctguard_rule_info *r)
{
	const struct ctguard_policy *p = &r->policy;
	char list[2048];
	size_t i;

	print_kv("pattern", KEYW, "%s", r->pattern);
	print_kv("mode", KEYW, "%s",
		 ctguard_mode_name(p->mode) ? ctguard_mode_name(p->mode) : "?");
	ctguard_format_classes(p->deny, list, sizeof(list));
	print_kv_list("deny", KEYW, list);
	ctguard_format_caps(p->deny_caps, list, sizeof(list));
	print_kv_list("deny-caps", KEYW, list);
	if (!p->nr_devices)
		print_kv("devices", KEYW, "%s",
			 p->deny & CTGUARD_CLASS_DEVICES ? "- (none allowed)" : "-");
	for (i = 0; i < p->nr_devices; i++) {
		char dev[64];

		ctguard_format_dev_rule(&p->devices[i], dev, sizeof(dev));
		print_kv(i ? "" : "devices", KEYW, "%s", dev);
	}
	print_kv("on-exec", KEYW, "%s", r->on_exec ?
		 "yes (cgroups created later: in force from the container's exec)" :
		 "no");
	print_kv("matched", KEYW, "%llu", (unsigned long long)r->matched);
}

static int rule_show(struct ctguard *h, const struct rule_args *a)
{
	struct ctguard_rule_info r;
	int ret;

	ret = ctguard_rule_get(h, a->path, &r);
	if (ret)
		return cli_lib_err(h, ret, a->path);
	if (a->json)
		ret = json_print(json_rule(&r));
	else
		rule_show_one(&r);
	ctguard_rule_info_release(&r);
	return ret;
}

static int rule_list(struct ctguard *h, const struct rule_args *a)
{
	static const char *const hdr[] = {
		"PATTERN", "MODE", "ON-EXEC", "DENY", "DENY-CAPS", "DEVICES",
		"MATCHED",
	};
	static const bool right[] = {
		false, false, false, false, false, true, true,
	};
	struct ctguard_rule_info *list = NULL;
	struct table *t = NULL;
	size_t nr = 0, i;
	int ret;

	ret = ctguard_rule_list(h, &list, &nr);
	if (ret)
		return cli_lib_err(h, ret, NULL);
	if (a->json) {
		struct json_object *root = json_object_new_object();
		struct json_object *arr = json_object_new_array();

		for (i = 0; i < nr; i++)
			json_object_array_add(arr, json_rule(&list[i]));
		json_object_object_add(root, "rules", arr);
		ret = json_print(root);
		goto out;
	}
	if (!nr)
		goto out;
	t = table_new(7, hdr, right);
	if (!t) {
		ret = cli_err(-ENOMEM, "out of memory");
		goto out;
	}
	/* In the kernel's order: the order in which rules decide. */
	for (i = 0; i < nr; i++) {
		const struct ctguard_policy *p = &list[i].policy;
		char deny[256], caps[1024], devs[24], matched[24];
		const char *row[7];

		format_short_classes(p->deny, deny, sizeof(deny));
		format_short_caps(p->deny_caps, caps, sizeof(caps));
		snprintf(devs, sizeof(devs), "%zu", p->nr_devices);
		snprintf(matched, sizeof(matched), "%llu",
			 (unsigned long long)list[i].matched);
		row[0] = list[i].pattern;
		row[1] = ctguard_mode_name(p->mode) ? ctguard_mode_name(p->mode) : "?";
		row[2] = list[i].on_exec ? "yes" : "no";
		row[3] = deny;
		row[4] = caps;
		row[5] = devs;
		row[6] = matched;
		if (table_add(t, row)) {
			ret = cli_err(-ENOMEM, "out of memory");
			goto out;
		}
	}
	table_print(t, stdout);
out:
	table_free(t);
	ctguard_rule_list_free(list, nr);
	return ret;
}

int rule_main(int argc, char **argv)
{
	struct rule_args a = { .on_exec = -1 };
	struct ctguard *h = NULL;
	const char *action;
	unsigned int allowed;
	int ret;

	if (argc < 2)
		return cli_usage("missing action: add, del, list or show");
	action = argv[1];
	if (!strcmp(action, "--help") || !strcmp(action, "-h") ||
	    !strcmp(action, "help")) {
		print_usage(cmd_find("rule"), true);
		return 0;
	}
	if (!strcmp(action, "add"))
		allowed = R_PATH | R_POLICY;
	else if (!strcmp(action, "del"))
		allowed = R_PATH;
	else if (!strcmp(action, "show"))
		allowed = R_PATH | R_JSON;
	else if (!strcmp(action, "list"))
		allowed = R_JSON;
	else
		return cli_usage("unknown action '%s': add, del, list or show",
				 action);
	ret = rule_parse(argc - 1, argv + 1, allowed, &a);
	if (!ret)
		ret = cli_open(&h);
	if (ret)
		goto out;
	if (!strcmp(action, "add"))
		ret = rule_add(h, &a);
	else if (!strcmp(action, "del")) {
		ret = ctguard_rule_del(h, a.path);
		if (ret)
			ret = cli_lib_err(h, ret, a.path);
	}
	else if (!strcmp(action, "show"))
		ret = rule_show(h, &a);
	else
		ret = rule_list(h, &a);
out:
	free(a.ops);
	ctguard_close(h);
	return ret;
}
