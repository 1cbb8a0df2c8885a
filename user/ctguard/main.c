// SPDX-License-Identifier: GPL-2.0
/*
 * ctguard: configure per-cgroup container confinement.
 *
 * Each subcommand lives in its own file behind the table below and returns
 * 0 or a negative errno; the one error message is printed here.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#ifndef CTGUARD_CLI_VERSION
#define CTGUARD_CLI_VERSION "unknown"
#endif

#define TARGET "(--cgroup PATH | --id ID | --pid PID)"

const struct cmd cmds[] = {
	{
		"set", set_main,
		TARGET " [--deny CLASSES] [--allow CLASSES]\n"
		"              [--deny-cap CAPS] [--allow-cap CAPS] [--allow-dev RULE]...\n"
		"              [--clear-dev] [--profile NAME] [--mode enforce|complain]\n"
		"              [--on-exec]",
		"create or change the policy of a cgroup",

		"  --deny CLASSES      deny these classes (comma list, or all)\n"
		"  --allow CLASSES     stop denying these classes\n"
		"  --deny-cap CAPS     deny these capabilities (sys_admin, CAP_NET_RAW, all)\n"
		"  --allow-cap CAPS    stop denying these capabilities\n"
		"  --clear-dev         empty the device allowlist\n"
		"  --allow-dev RULE    add a device rule: 'c 1:3 rwm', 'c 136:* rw', 'b *:* m', 'a'\n"
		"  --profile NAME      start from a profile: container, strict, audit\n"
		"  --mode MODE         enforce (deny and report) or complain (report only)\n"
		"  --on-exec           in force from the next execve in the cgroup made from\n"
		"                      a mount namespace other than the host's (a container\n"
		"                      runtime's exec of the container's program), not now\n"
		"  Classes: mount, rawsock, dmesg, mknod, devices, userns. The current policy\n"
		"  (with --profile, the profile) is changed by the options in the order\n"
		"  given, then sent back whole.\n",
	},
	{
		"unset", unset_main, TARGET,
		"remove the policy of a cgroup", "",
	},
	{
		"show", show_main, TARGET " [--json]",
		"show the policy and counters of a cgroup", "",
	},
	{
		"list", list_main, "[--json]",
		"list every policy", "",
	},
	{
		"status", status_main, "[--json]",
		"show the module, its hooks and global counters", "",
	},
	{
		"stats", stats_main, "[--cgroup PATH | --id ID | --pid PID] [--json]",
		"show denial counters, of one cgroup or of all", "",
	},
	{
		"monitor", monitor_main,
		"[--json] [--cgroup PATH | --id ID | --pid PID] [--count N]",
		"print denials and complaints as they happen",
		"  --count N           exit after N events\n"
		"  With a cgroup, only the events of the cgroup, of its descendants, and\n"
		"  those its policy decided.\n",
	},
	{
		"apply", apply_main,
		"[--config FILE|DIR]... [--dry-run] [--prune] [--json] | --check",
		"make the kernel's rules and policies match /etc/ctguard",

		"  --config PATH       read this file, or the *.conf files of this directory\n"
		"                      (repeatable; default: /etc/ctguard/ctguard.conf, then\n"
		"                      /etc/ctguard/conf.d/*.conf)\n"
		"  --dry-run, -n       say what would change, change nothing\n"
		"  --prune             also delete the explicit policies of cgroups the\n"
		"                      config does not name (e.g. set by the OCI hook)\n"
		"  --check             only read and check the configuration\n"
		"  Creates, changes and deletes rules so that exactly the config's rules\n"
		"  exist, and sets the policy of each [cgroup] section. Prints one line per\n"
		"  change ('+', '~', '-'), or 'no changes'. Format: docs/config.md.\n",
	},
	{
		"rule", rule_main,
		"add --path PATTERN [--profile NAME] [--deny CLASSES] [--allow CLASSES]\n"
		"              [--deny-cap CAPS] [--allow-cap CAPS] [--allow-dev RULE]...\n"
		"              [--clear-dev] [--mode enforce|complain] [--[no-]on-exec]\n"
		"       ctguard rule del --path PATTERN\n"
		"       ctguard rule list [--json]\n"
		"       ctguard rule show --path PATTERN [--json]",
		"confine every cgroup whose path matches a pattern",

		"  --path PATTERN      absolute path below the cgroup2 root; '*' and '?' match\n"
		"                      within one component: '/system.slice/docker-*.scope'\n"
		"  add: the other options as for 'set'. Every matching cgroup, existing or\n"
		"  created later, gets a policy of the rule's content from the module itself,\n"
		"  before any task can enter it. The oldest matching rule decides; a cgroup\n"
		"  with its own policy ('set') is left alone.\n"
		"  --on-exec           for container runtimes that set up inside the cgroup\n"
		"                      (runc, crun under Docker, containerd): a cgroup created\n"
		"                      later is confined from the container's exec of its\n"
		"                      program, so the runtime can still mount its root\n"
		"  --no-on-exec        confined from its creation (the default)\n",
	},
	{
		"help", help_main, "[SUBCOMMAND]",
		"show help", "",
	},
	{ NULL, NULL, NULL, NULL, NULL },
};

const struct cmd *cmd_find(const char *name)
{
	const struct cmd *c;

	for (c = cmds; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static char cli_errbuf[2048];
const char *cli_cmd;

int cli_err(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cli_errbuf, sizeof(cli_errbuf), fmt, ap);
	va_end(ap);
	return err;
}

int cli_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cli_errbuf, sizeof(cli_errbuf), fmt, ap);
	va_end(ap);
	return -EUSAGE;
}

int cli_lib_err(struct ctguard *h, int err, const char *prefix)
{
	const char *msg = ctguard_strerror(h);

	if (!msg[0])
		msg = strerror(-err);
	if (prefix && prefix[0])
		return cli_err(err, "%s: %s", prefix, msg);
	return cli_err(err, "%s", msg);
}

const char *cli_errmsg(void)
{
	return cli_errbuf;
}

int cli_open(struct ctguard **h)
{
	const char *root = getenv("CTGUARD_CGROUP_ROOT");
	int ret;

	*h = ctguard_open();
	if (!*h)
		return cli_err(-errno, "cannot open a netlink socket: %s",
			       strerror(errno));
	if (root && *root) {
		ret = ctguard_set_cgroup_root(*h, root);
		if (ret)
			return cli_lib_err(*h, ret, "CTGUARD_CGROUP_ROOT");
	}
	return 0;
}

void print_usage(const struct cmd *cmd, bool full)
{
	FILE *f = stdout;

	if (cmd) {
		fprintf(f, "Usage: ctguard %s %s\n", cmd->name, cmd->usage);
		if (!full)
			return;
		fprintf(f, "\n%c%s.\n\n", toupper((unsigned char)cmd->summary[0]),
			cmd->summary + 1);
		if (strstr(cmd->usage, "--cgroup"))
			fputs("  --cgroup PATH       a cgroup, below /sys/fs/cgroup or relative to it\n"
			      "  --id ID             a cgroup by id (its inode number)\n"
			      "  --pid PID           the cgroup of a process\n", f);
		if (strstr(cmd->usage, "--json"))
			fputs("  --json              print JSON (schema: docs/cli.md)\n", f);
		fputs(cmd->help, f);
		return;
	}
	fprintf(f, "Usage: ctguard SUBCOMMAND [OPTIONS]\n"
		   "       ctguard --version\n\nSubcommands:\n");
	for (cmd = cmds; cmd->name; cmd++)
		fprintf(f, "  %-8s %s\n", cmd->name, cmd->summary);
	fprintf(f, "\nRun 'ctguard help SUBCOMMAND' for its options; see ctguard(8).\n");
}

int help_main(int argc, char **argv)
{
	const struct cmd *cmd;

	if (argc > 2)
		return cli_usage("too many arguments");
	if (argc < 2) {
		print_usage(NULL, true);
		return 0;
	}
	cmd = cmd_find(argv[1]);
	if (!cmd)
		return cli_usage("no subcommand '%s'", argv[1]);
	print_usage(cmd, true);
	return 0;
}

int main(int argc, char **argv)
{
	const struct cmd *cmd;
	int ret;

	if (argc < 2) {
		fprintf(stderr, "ctguard: missing subcommand (try 'ctguard help')\n");
		return 2;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("ctguard %s (libctguard %s)\n", CTGUARD_CLI_VERSION,
		       ctguard_version());
		return 0;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		print_usage(NULL, true);
		return 0;
	}
	cmd = cmd_find(argv[1]);
	if (!cmd) {
		fprintf(stderr, "ctguard: unknown subcommand '%s' (try 'ctguard help')\n",
			argv[1]);
		return 2;
	}
	cli_cmd = cmd->name;
	ret = cmd->main(argc - 1, argv + 1);
	if (fflush(stdout) && !ret)
		ret = cli_err(-EIO, "writing the output: %s", strerror(errno));
	if (!ret)
		return 0;
	if (!cli_errbuf[0])
		snprintf(cli_errbuf, sizeof(cli_errbuf), "%s", strerror(-ret));
	fprintf(stderr, "ctguard %s: %s\n", cmd->name, cli_errbuf);
	if (ret == -EUSAGE) {
		fprintf(stderr, "Try 'ctguard help %s'.\n", cmd->name);
		return 2;
	}
	return 1;
}
