// SPDX-License-Identifier: GPL-2.0
/* Targets and options shared by the subcommands. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* --- Targets ----------------------------------------------------------- */

int parse_u64(const char *s, uint64_t *v)
{
	unsigned long long n;
	char *end;

	if (!s || !*s || *s == '-' || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	n = strtoull(s, &end, 0);
	if (errno || *end)
		return -EINVAL;
	*v = n;
	return 0;
}

int target_opt(struct target *t, const char *opt, const char *arg)
{
	if (t->opt)
		return cli_usage("%s and %s both given: name the cgroup once",
				 t->opt, opt);
	t->opt = opt;
	t->arg = arg;
	return 0;
}

int target_resolve(struct ctguard *h, struct target *t)
{
	char prefix[PATH_MAX + 32];
	uint64_t v;
	int ret;

	snprintf(prefix, sizeof(prefix), "%s %s", t->opt, t->arg);
	if (!strcmp(t->opt, "--cgroup")) {
		ret = ctguard_cgroup_normalize(h, t->arg, t->path,
					       sizeof(t->path));
		if (!ret)
			ret = ctguard_cgroup_id(h, t->arg, &t->id);
		if (ret)
			return cli_lib_err(h, ret, prefix);
		t->have_path = true;
		return 0;
	}
	if (!strcmp(t->opt, "--id")) {
		if (parse_u64(t->arg, &v) || !v)
			return cli_usage("--id '%s': not a cgroup id (a positive number)",
					 t->arg);
		t->id = v;
		/* Only for messages: the kernel reports paths of its own. */
		t->have_path = !ctguard_cgroup_path(h, t->id, t->path,
						    sizeof(t->path));
		return 0;
	}
	if (parse_u64(t->arg, &v) || !v || v > INT_MAX)
		return cli_usage("--pid '%s': not a process id", t->arg);
	ret = ctguard_pid_cgroup(h, (pid_t)v, t->path, sizeof(t->path));
	if (!ret)
		ret = ctguard_cgroup_id(h, t->path, &t->id);
	if (ret)
		return cli_lib_err(h, ret, prefix);
	t->have_path = true;
	return 0;
}

const char *target_desc(const struct target *t, char *buf, size_t len)
{
	if (t->have_path)
		snprintf(buf, len, "%s (id %llu)", t->path,
			 (unsigned long long)t->id);
	else
		snprintf(buf, len, "cgroup id %llu", (unsigned long long)t->id);
	return buf;
}

/* --- Options ----------------------------------------------------------- */

int parse_opts(int argc, char **argv, unsigned int flags, struct opts *o)
{
	static const struct option all[] = {
		{ "cgroup", required_argument, NULL, 'c' },
		{ "id", required_argument, NULL, 'i' },
		{ "pid", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, 'j' },
		{ "count", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, ret = 0;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", all, NULL)) != -1) {
		switch (c) {
		case 'c':
		case 'i':
		case 'p':
			if (!(flags & OPTS_TARGET))
				goto unknown;
			ret = target_opt(&o->target, c == 'c' ? "--cgroup" :
					 c == 'i' ? "--id" : "--pid", optarg);
			break;
		case 'j':
			if (!(flags & OPTS_JSON))
				goto unknown;
			o->json = true;
			break;
		case 'n':
			if (!(flags & OPTS_COUNT))
				goto unknown;
			if (parse_u64(optarg, &o->count) || !o->count)
				return cli_usage("--count '%s': not a positive number",
						 optarg);
			break;
		case 'h':
			print_usage(cmd_find(cli_cmd), true);
			exit(0);
		case ':':
			return cli_usage("%s needs an argument", argv[optind - 1]);
		default:
			goto unknown;
		}
		if (ret)
			return ret;
	}
	if (optind < argc)
		return cli_usage("unexpected argument '%s'", argv[optind]);
	if ((flags & OPTS_TARGET_REQUIRED) && !o->target.opt)
		return cli_usage("which cgroup? give --cgroup, --id or --pid");
	return 0;
unknown:
	return cli_usage("unknown option '%s'", argv[optind - 1]);
}
