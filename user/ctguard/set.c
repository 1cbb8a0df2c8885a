// SPDX-License-Identifier: GPL-2.0
/*
 * ctguard set: change a policy. The kernel keeps fields that are not sent
 * but cannot remove single classes or rules, so the whole policy is merged
 * here (get, modify, send back with CTGUARD_F_REPLACE). Two concurrent sets
 * on one cgroup race; the last one wins.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum {
	OPT_CGROUP = 'c',
	OPT_ID = 'i',
	OPT_PID = 'p',
	OPT_DENY = 'd',
	OPT_ALLOW = 'a',
	OPT_DENY_CAP = 256,
	OPT_ALLOW_CAP,
	OPT_ALLOW_DEV,
	OPT_CLEAR_DEV,
	OPT_PROFILE,
	OPT_MODE,
	OPT_ON_EXEC,
	OPT_HELP = 'h',
};

static const struct option set_opts[] = {
	{ "cgroup", required_argument, NULL, OPT_CGROUP },
	{ "id", required_argument, NULL, OPT_ID },
	{ "pid", required_argument, NULL, OPT_PID },
	{ "deny", required_argument, NULL, OPT_DENY },
	{ "allow", required_argument, NULL, OPT_ALLOW },
	{ "deny-cap", required_argument, NULL, OPT_DENY_CAP },
	{ "allow-cap", required_argument, NULL, OPT_ALLOW_CAP },
	{ "allow-dev", required_argument, NULL, OPT_ALLOW_DEV },
	{ "clear-dev", no_argument, NULL, OPT_CLEAR_DEV },
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "on-exec", no_argument, NULL, OPT_ON_EXEC },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* One change, applied in command-line order. */
struct set_op {
	int opt;		/* OPT_DENY ... OPT_CLEAR_DEV */
	uint64_t mask;
	struct ctguard_dev_rule rule;
};

struct set_args {
	struct target target;
	struct set_op *ops;
	size_t nr_ops;
	const char *profile;
	bool have_mode;
	uint8_t mode;
	bool on_exec;
	bool changes;
};

static int set_add_op(struct set_args *a, int opt, uint64_t mask,
		      const struct ctguard_dev_rule *rule)
{
	struct set_op *n = realloc(a->ops, (a->nr_ops + 1) * sizeof(*n));

	if (!n)
		return cli_err(-ENOMEM, "out of memory");
	a->ops = n;
	n += a->nr_ops++;
	memset(n, 0, sizeof(*n));
	n->opt = opt;
	n->mask = mask;
	if (rule)
		n->rule = *rule;
	return 0;
}

static int set_parse(int argc, char **argv, struct set_args *a)
{
	char err[CTGUARD_ERRBUF_LEN];
	struct ctguard_dev_rule rule;
	uint32_t classes;
	uint64_t caps;
	int c, ret;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", set_opts, NULL)) != -1) {
		switch (c) {
		case OPT_CGROUP:
			ret = target_opt(&a->target, "--cgroup", optarg);
			break;
		case OPT_ID:
			ret = target_opt(&a->target, "--id", optarg);
			break;
		case OPT_PID:
			ret = target_opt(&a->target, "--pid", optarg);
			break;
		case OPT_DENY:
		case OPT_ALLOW:
			ret = ctguard_parse_classes(optarg, &classes, err,
						    sizeof(err));
			if (ret)
				return cli_usage("%s: %s", c == OPT_DENY ?
						 "--deny" : "--allow", err);
			ret = set_add_op(a, c, classes, NULL);
			break;
		case OPT_DENY_CAP:
		case OPT_ALLOW_CAP:
			ret = ctguard_parse_caps(optarg, &caps, err,
						 sizeof(err));
			if (ret)
				return cli_usage("%s: %s", c == OPT_DENY_CAP ?
						 "--deny-cap" : "--allow-cap",
						 err);
			ret = set_add_op(a, c, caps, NULL);
			break;
		case OPT_ALLOW_DEV:
			ret = ctguard_parse_dev_rule(optarg, &rule, err,
						     sizeof(err));
			if (ret)
				return cli_usage("--allow-dev: %s", err);
			ret = set_add_op(a, c, 0, &rule);
			break;
		case OPT_CLEAR_DEV:
			ret = set_add_op(a, c, 0, NULL);
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
			ret = ctguard_parse_mode(optarg, &a->mode, err,
						 sizeof(err));
			if (ret)
				return cli_usage("--mode: %s", err);
			a->have_mode = true;
			break;
		case OPT_ON_EXEC:
			a->on_exec = true;
			break;
		case OPT_HELP:
			print_usage(cmd_find("set"), true);
			exit(0);
		case ':':
			return cli_usage("%s needs an argument", argv[optind - 1]);
		default:
			return cli_usage("unknown option '%s'", argv[optind - 1]);
		}
		if (ret)
			return ret;
		if (c != OPT_CGROUP && c != OPT_ID && c != OPT_PID &&
		    c != OPT_ON_EXEC)
			a->changes = true;
	}
	if (optind < argc)
		return cli_usage("unexpected argument '%s'", argv[optind]);
	if (!a->target.opt)
		return cli_usage("which cgroup? give --cgroup, --id or --pid");
	if (!a->changes)
		return cli_usage("nothing to set: give --deny, --allow, --deny-cap, --allow-cap, --allow-dev, --clear-dev, --profile or --mode");
	return 0;
}

/*
 * Apply the options to @p in the order they were given, so that
 * "--allow all --deny mount" denies mount and "--deny all --allow userns"
 * denies everything else.
 */
static int set_apply(const struct set_args *a, struct ctguard_policy *p)
{
	size_t i;
	int ret;

	p->fields = CTGUARD_POLICY_ALL;
	for (i = 0; i < a->nr_ops; i++) {
		const struct set_op *op = &a->ops[i];

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
			ret = ctguard_policy_add_dev(p, &op->rule);
			if (ret)
				return ret;
			break;
		}
	}
	if (a->have_mode)
		p->mode = a->mode;
	return 0;
}

int set_main(int argc, char **argv)
{
	struct set_args a = { 0 };
	struct ctguard_policy_info cur;
	struct ctguard_policy p;
	struct ctguard *h = NULL;
	char desc[PATH_MAX + 64], err[CTGUARD_ERRBUF_LEN];
	int ret;

	ctguard_policy_init(&p);
	ret = set_parse(argc, argv, &a);
	if (ret)
		goto out;
	ret = cli_open(&h);
	if (ret)
		goto out;
	ret = target_resolve(h, &a.target);
	if (ret)
		goto out;
	target_desc(&a.target, desc, sizeof(desc));

	if (a.profile) {
		ret = ctguard_profile(a.profile, &p, err, sizeof(err));
		if (ret) {
			ret = cli_err(ret, "--profile: %s", err);
			goto out;
		}
	} else {
		ret = ctguard_policy_get(h, a.target.id, &cur);
		if (!ret) {
			ret = ctguard_policy_copy(&p, &cur.policy);
			ctguard_policy_info_release(&cur);
			if (ret) {
				ret = cli_err(ret, "out of memory");
				goto out;
			}
		} else if (ret != -ENOENT) {
			ret = cli_lib_err(h, ret, desc);
			goto out;
		}
		/* ENOENT: no policy yet (or no such cgroup: the set says). */
	}
	ret = set_apply(&a, &p);
	if (ret) {
		ret = cli_err(ret, "out of memory");
		goto out;
	}
	ret = ctguard_policy_set(h, a.target.id, &p, CTGUARD_F_REPLACE |
				 (a.on_exec ? CTGUARD_F_ON_EXEC : 0));
	if (ret)
		ret = cli_lib_err(h, ret, desc);
out:
	ctguard_policy_release(&p);
	free(a.ops);
	ctguard_close(h);
	return ret;
}
