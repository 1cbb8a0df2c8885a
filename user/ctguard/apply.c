// SPDX-License-Identifier: GPL-2.0
/*
 * ctguard apply: make the kernel's rules and the policies of the config's
 * [cgroup] sections match the configuration (config.c), and say what
 * changed.
 *
 * 1. Read and check the whole configuration; any error stops here.
 * 2. Read the kernel's state and work out the changes: rules to create,
 *    change and delete (the config's rules are all the rules there are),
 *    [cgroup] policies to create or change, and with --prune the explicit
 *    policies of other cgroups to delete. Policies made by rules are the
 *    module's own and are left alone. A [cgroup] whose cgroup does not exist
 *    is reported on stderr and skipped.
 * 3. Unless --dry-run, make them: creations and changes first (each one
 *    atomic, CTGUARD_F_REPLACE), deletions last, so nothing is unconfined
 *    on the way. The first failure stops the run (status 1); what was done
 *    before it has been printed, and running apply again finishes the job.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cli.h"
#include "config.h"

enum change_op {
	CH_ADD = '+',
	CH_CHANGE = '~',
	CH_DELETE = '-',
};

struct change {
	enum change_op op;
	enum cfg_kind kind;		/* CFG_RULE or CFG_CGROUP */
	char *name;			/* pattern, or cgroup path ("" unknown) */
	uint64_t id;			/* cgroup id */
	const struct cfg_section *sec;	/* NULL for deletions */
	bool done;
	char *from_rule;		/* a derived policy made explicit */
	bool have_old;
	struct ctguard_policy old;	/* what the kernel has */
	bool old_on_exec;		/* rules: what the kernel has */
};

struct skipped {
	const struct cfg_section *sec;
	char *reason;
};

struct apply {
	const char **paths;		/* --config */
	size_t nr_paths;
	bool dry_run, prune, json, check;
	struct ctguard *h;
	struct cfg cfg;
	struct change *changes;
	size_t nr_changes;
	struct skipped *skipped;
	size_t nr_skipped;
	uint64_t *cfg_ids;		/* cgroup ids of the [cgroup] sections */
	size_t nr_cfg_ids;
	uint64_t *state_ids;		/* cgroups the last apply set */
	size_t nr_state_ids;
	size_t done;			/* changes made */
};

enum {
	OPT_CONFIG = 'c',
	OPT_DRY_RUN = 'n',
	OPT_PRUNE = 256,
	OPT_JSON,
	OPT_CHECK,
	OPT_HELP = 'h',
};

static const struct option apply_opts[] = {
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "prune", no_argument, NULL, OPT_PRUNE },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static int apply_parse(int argc, char **argv, struct apply *a)
{
	const char **n;
	int c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:hn", apply_opts, NULL)) != -1) {
		switch (c) {
		case OPT_CONFIG:
			n = realloc(a->paths, (a->nr_paths + 1) * sizeof(*n));
			if (!n)
				return cli_err(-ENOMEM, "out of memory");
			a->paths = n;
			a->paths[a->nr_paths++] = optarg;
			break;
		case OPT_DRY_RUN:
			a->dry_run = true;
			break;
		case OPT_PRUNE:
			a->prune = true;
			break;
		case OPT_JSON:
			a->json = true;
			break;
		case OPT_CHECK:
			a->check = true;
			break;
		case OPT_HELP:
			print_usage(cmd_find("apply"), true);
			exit(0);
		case ':':
			return cli_usage("%s needs an argument", argv[optind - 1]);
		default:
			return cli_usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage("unexpected argument '%s'", argv[optind]);
	if (a->check && (a->dry_run || a->prune || a->json))
		return cli_usage("--check only reads the configuration: no --dry-run, --prune or --json with it");
	return 0;
}

/* --- Reading the configuration ------------------------------------------ */

static int apply_load(struct apply *a)
{
	struct cfg *c = &a->cfg;
	size_t i;
	int ret = 0;

	cfg_init(c, a->h);
	if (!a->nr_paths) {
		ret = cfg_read_path(c, CTGUARD_CONF_FILE, true);
		if (!ret)
			ret = cfg_read_path(c, CTGUARD_CONF_DIR, false);
	}
	for (i = 0; !ret && i < a->nr_paths; i++)
		ret = cfg_read_path(c, a->paths[i], true);
	if (!ret)
		ret = cfg_resolve(c);
	if (ret == -ENOMEM)
		return cli_err(ret, "out of memory");
	if (!c->nr_errors)
		return 0;
	/* Every error on its own line; main() prints the last word. */
	for (i = 0; i < c->nr_errors; i++)
		fprintf(stderr, "ctguard apply: %s\n", c->errors[i]);
	return cli_err(-EINVAL, "%zu error%s in the configuration; nothing changed",
		       c->nr_errors, c->nr_errors == 1 ? "" : "s");
}

/* --- Comparing and describing policies ----------------------------------- */

static int dev_cmp(const void *x, const void *y)
{
	const struct ctguard_dev_rule *a = x, *b = y;

	if (a->type != b->type)
		return a->type < b->type ? -1 : 1;
	if (a->major != b->major)
		return a->major < b->major ? -1 : 1;
	if (a->minor != b->minor)
		return a->minor < b->minor ? -1 : 1;
	if (a->access != b->access)
		return a->access < b->access ? -1 : 1;
	return 0;
}

/* The allowlists hold the same rules, in any order. */
static bool devs_equal(const struct ctguard_policy *a,
		       const struct ctguard_policy *b)
{
	struct ctguard_dev_rule *x, *y;
	bool eq = true;
	size_t i, n = a->nr_devices;

	if (n != b->nr_devices)
		return false;
	if (!n)
		return true;
	x = calloc(n, sizeof(*x));
	y = calloc(n, sizeof(*y));
	if (!x || !y) {
		eq = false;	/* sending it again is harmless */
		goto out;
	}
	for (i = 0; i < n; i++) {
		x[i] = (struct ctguard_dev_rule){ a->devices[i].type,
			a->devices[i].access, a->devices[i].major,
			a->devices[i].minor };
		y[i] = (struct ctguard_dev_rule){ b->devices[i].type,
			b->devices[i].access, b->devices[i].major,
			b->devices[i].minor };
	}
	qsort(x, n, sizeof(*x), dev_cmp);
	qsort(y, n, sizeof(*y), dev_cmp);
	for (i = 0; i < n && eq; i++)
		eq = !dev_cmp(&x[i], &y[i]);
out:
	free(x);
	free(y);
	return eq;
}

static void fmt_devs(const struct ctguard_policy *p, char *buf, size_t len)
{
	size_t i, off = 0;
	char r[64];

	buf[0] = '\0';
	for (i = 0; i < p->nr_devices && off < len; i++) {
		ctguard_format_dev_rule(&p->devices[i], r, sizeof(r));
		off += snprintf(buf + off, len - off, "%s%s", i ? ", " : "", r);
	}
}

/* "FIELD: OLD -> NEW" for each field of @n that differs from @o. */
static void fmt_diff(const struct ctguard_policy *o,
		     const struct ctguard_policy *n, char *buf, size_t len)
{
	char x[4096], y[4096];
	size_t off = 0;

#define PART(field, a, b)						\
	do {								\
		if (off < len)						\
			off += snprintf(buf + off, len - off, "%s%s: %s -> %s", \
					off ? "; " : "", field,		\
					(a)[0] ? (a) : "none",		\
					(b)[0] ? (b) : "none");		\
	} while (0)

	buf[0] = '\0';
	if (o->mode != n->mode)
		PART("mode", ctguard_mode_name(o->mode) ?: "?",
		     ctguard_mode_name(n->mode) ?: "?");
	if (o->deny != n->deny) {
		ctguard_format_classes(o->deny, x, sizeof(x));
		ctguard_format_classes(n->deny, y, sizeof(y));
		PART("deny", x, y);
	}
	if (o->deny_caps != n->deny_caps) {
		ctguard_format_caps(o->deny_caps, x, sizeof(x));
		ctguard_format_caps(n->deny_caps, y, sizeof(y));
		PART("deny-cap", x, y);
	}
	if (!devs_equal(o, n)) {
		fmt_devs(o, x, sizeof(x));
		fmt_devs(n, y, sizeof(y));
		PART("allow-dev", x, y);
	}
#undef PART
}

/* What a new policy is: its profile if that is all, else its fields. */
static void fmt_new(const struct cfg_section *s, char *buf, size_t len)
{
	const struct ctguard_policy *p = &s->policy;
	char x[4096];
	size_t off = 0;

	buf[0] = '\0';
#define ADD(...) do {							\
		if (off < len)						\
			off += snprintf(buf + off, len - off, __VA_ARGS__); \
	} while (0)
	if (s->profile) {
		ADD("profile %s", s->profile);
		if (!s->nr_ops && !s->have_mode)
			goto out;
		ADD(", giving ");
	}
	ADD("mode: %s", ctguard_mode_name(p->mode) ?: "?");
	if (p->deny) {
		ctguard_format_classes(p->deny, x, sizeof(x));
		ADD("; deny: %s", x);
	}
	if (p->deny_caps) {
		ctguard_format_caps(p->deny_caps, x, sizeof(x));
		ADD("; deny-cap: %s", x);
	}
	if (p->nr_devices) {
		fmt_devs(p, x, sizeof(x));
		ADD("; allow-dev: %s", x);
	}
out:
	if (s->on_exec)
		ADD("; on-exec");
#undef ADD
}

static bool policy_equal(const struct ctguard_policy *a,
			 const struct ctguard_policy *b)
{
	return a->mode == b->mode && a->deny == b->deny &&
	       a->deny_caps == b->deny_caps && devs_equal(a, b);
}

/* --- Working out the changes ---------------------------------------------- */

static int add_change(struct apply *a, enum change_op op, enum cfg_kind kind,
		      const char *name, uint64_t id,
		      const struct cfg_section *sec,
		      const struct ctguard_policy *old)
{
	struct change *n = realloc(a->changes, (a->nr_changes + 1) * sizeof(*n));

	if (!n)
		return cli_err(-ENOMEM, "out of memory");
	a->changes = n;
	n += a->nr_changes;
	memset(n, 0, sizeof(*n));
	ctguard_policy_init(&n->old);
	n->name = strdup(name ? name : "");
	if (!n->name)
		return cli_err(-ENOMEM, "out of memory");
	a->nr_changes++;
	n->op = op;
	n->kind = kind;
	n->id = id;
	n->sec = sec;
	if (old) {
		n->have_old = true;
		if (ctguard_policy_copy(&n->old, old))
			return cli_err(-ENOMEM, "out of memory");
	}
	return 0;
}

static int add_skipped(struct apply *a, const struct cfg_section *s,
		       const char *reason)
{
	struct skipped *n = realloc(a->skipped,
				    (a->nr_skipped + 1) * sizeof(*n));

	if (!n)
		return cli_err(-ENOMEM, "out of memory");
	a->skipped = n;
	n[a->nr_skipped].sec = s;
	n[a->nr_skipped].reason = strdup(reason);
	if (!n[a->nr_skipped].reason)
		return cli_err(-ENOMEM, "out of memory");
	a->nr_skipped++;
	return 0;
}

/* The module must be there, and every policy within its limits. */
static int plan_limits(struct apply *a)
{
	struct ctguard_status st = { 0 };
	size_t i;
	int ret, bad = 0;

	ret = ctguard_status_get(a->h, &st);
	if (ret)
		return cli_lib_err(a->h, ret, "reading the module's status");
	for (i = 0; i < a->cfg.nr_secs; i++) {
		const struct cfg_section *s = &a->cfg.secs[i];

		if (s->kind == CFG_PROFILE ||
		    s->policy.nr_devices <= st.max_dev_rules)
			continue;
		fprintf(stderr, "ctguard apply: %s:%u: [%s %s]: %zu device rules, the module takes at most %u (max_dev_rules)\n",
			s->file, s->line, cfg_kind_name(s->kind), s->name,
			s->policy.nr_devices, st.max_dev_rules);
		bad++;
	}
	ctguard_status_release(&st);
	if (bad)
		return cli_err(-EINVAL, "%d section%s beyond the module's limits; nothing changed",
			       bad, bad == 1 ? "" : "s");
	return 0;
}

static int plan_cgroups(struct apply *a)
{
	struct ctguard_policy_info info;
	char desc[PATH_MAX + 64];
	uint64_t id, *ids;
	size_t i;
	int ret;

	for (i = 0; i < a->cfg.nr_secs; i++) {
		const struct cfg_section *s = &a->cfg.secs[i];

		if (s->kind != CFG_CGROUP)
			continue;
		ret = ctguard_cgroup_id(a->h, s->name, &id);
		if (ret == -ENOENT) {
			fprintf(stderr, "ctguard apply: warning: %s:%u: [cgroup %s]: no such cgroup; skipped\n",
				s->file, s->line, s->name);
			ret = add_skipped(a, s, "no such cgroup");
			if (ret)
				return ret;
			continue;
		}
		snprintf(desc, sizeof(desc), "%s:%u: [cgroup %s]", s->file,
			 s->line, s->name);
		if (ret)
			return cli_lib_err(a->h, ret, desc);
		ids = realloc(a->cfg_ids, (a->nr_cfg_ids + 1) * sizeof(*ids));
		if (!ids)
			return cli_err(-ENOMEM, "out of memory");
		a->cfg_ids = ids;
		a->cfg_ids[a->nr_cfg_ids++] = id;

		ret = ctguard_policy_get(a->h, id, &info);
		if (ret == -ENOENT) {
			ret = add_change(a, CH_ADD, CFG_CGROUP, s->name, id, s,
					 NULL);
			if (ret)
				return ret;
			continue;
		}
		if (ret)
			return cli_lib_err(a->h, ret, desc);
		/*
		 * A policy waiting for its exec (set by an OCI hook) is not in
		 * force yet: setting it again puts it in force now.
		 */
		/*
		 * A policy a rule made becomes the section's own (explicit):
		 * rules never touch explicit policies, so the section keeps
		 * deciding whatever the rule becomes.
		 */
		if (!policy_equal(&info.policy, &s->policy) || info.pending ||
		    info.rule) {
			ret = add_change(a, CH_CHANGE, CFG_CGROUP, s->name, id,
					 s, &info.policy);
			if (!ret && info.rule) {
				a->changes[a->nr_changes - 1].from_rule = strdup(info.rule);
				if (!a->changes[a->nr_changes - 1].from_rule)
					ret = cli_err(-ENOMEM, "out of memory");
			}
		}
		ctguard_policy_info_release(&info);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Rules: exactly the config's. They are created in the order of the
 * configuration, which is the order in which they decide when several match
 * one cgroup (the oldest rule wins; an update keeps a rule's place).
 */
static int plan_rules(struct apply *a)
{
	struct ctguard_rule_info *list = NULL;
	size_t nr = 0, i, k;
	bool *named = NULL;
	int ret;

	ret = ctguard_rule_list(a->h, &list, &nr);
	if (ret)
		return cli_lib_err(a->h, ret, "listing the rules");
	if (nr && !(named = calloc(nr, sizeof(*named)))) {
		ret = cli_err(-ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < a->cfg.nr_secs && !ret; i++) {
		const struct cfg_section *s = &a->cfg.secs[i];

		if (s->kind != CFG_RULE)
			continue;
		for (k = 0; k < nr; k++)
			if (list[k].pattern && !strcmp(list[k].pattern, s->name))
				break;
		if (k == nr) {
			ret = add_change(a, CH_ADD, CFG_RULE, s->name, 0, s, NULL);
			continue;
		}
		named[k] = true;
		if (!policy_equal(&list[k].policy, &s->policy) ||
		    list[k].on_exec != s->on_exec) {
			ret = add_change(a, CH_CHANGE, CFG_RULE, s->name, 0, s,
					 &list[k].policy);
			if (!ret)
				a->changes[a->nr_changes - 1].old_on_exec =
					list[k].on_exec;
		}
	}
	for (k = 0; k < nr && !ret; k++)
		if (!named[k])
			ret = add_change(a, CH_DELETE, CFG_RULE, list[k].pattern,
					 0, NULL, &list[k].policy);
out:
	free(named);
	ctguard_rule_list_free(list, nr);
	return ret;
}

static bool in_config(const struct apply *a, uint64_t id)
{
	size_t i;

	for (i = 0; i < a->nr_cfg_ids; i++)
		if (a->cfg_ids[i] == id)
			return true;
	return false;
}

/* With --prune: the explicit policies of cgroups the config does not name. */
static int plan_prune(struct apply *a)
{
	struct ctguard_policy_info *list = NULL;
	size_t nr = 0, i;
	int ret;

	ret = ctguard_policy_list(a->h, &list, &nr);
	if (ret)
		return cli_lib_err(a->h, ret, "listing the policies");
	for (i = 0; i < nr && !ret; i++) {
		/* Derived policies are the rules' business. */
		if (in_config(a, list[i].cgroup_id) || list[i].rule)
			continue;
		ret = add_change(a, CH_DELETE, CFG_CGROUP, list[i].path,
				 list[i].cgroup_id, NULL, &list[i].policy);
	}
	ctguard_policy_list_free(list, nr);
	return ret;
}

/* --- What the last apply set ---------------------------------------------
 *
 * A [cgroup] section taken out of the config takes its policy with it; the
 * policies apply did not set (the OCI hook's, `ctguard set`'s) stay unless
 * --prune. To tell them apart, apply keeps the ids of the cgroups it set in
 * CTGUARD_APPLY_STATE, under /run: it lives as long as the policies do (a
 * reboot clears both), and cgroup ids are never reused.
 */
static const char *state_path(void)
{
	const char *p = getenv("CTGUARD_APPLY_STATE");

	return p && *p ? p : CTGUARD_APPLY_STATE;
}

static int ids_add(uint64_t **ids, size_t *nr, uint64_t id)
{
	uint64_t *n;
	size_t i;

	for (i = 0; i < *nr; i++)
		if ((*ids)[i] == id)
			return 0;
	n = realloc(*ids, (*nr + 1) * sizeof(*n));
	if (!n)
		return cli_err(-ENOMEM, "out of memory");
	*ids = n;
	n[(*nr)++] = id;
	return 0;
}

static bool ids_has(const uint64_t *ids, size_t nr, uint64_t id)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* Lines "ID PATH"; a missing file is an empty state. */
static int state_read(struct apply *a)
{
	FILE *f = fopen(state_path(), "re");
	unsigned long long id;
	char line[PATH_MAX + 32];
	int ret = 0;

	if (!f)
		return errno == ENOENT ? 0 :
		       cli_err(-errno, "%s: %s", state_path(), strerror(errno));
	while (!ret && fgets(line, sizeof(line), f))
		if (sscanf(line, "%llu", &id) == 1 && id)
			ret = ids_add(&a->state_ids, &a->nr_state_ids, id);
	fclose(f);
	return ret;
}

static int state_write(struct apply *a, const uint64_t *ids, size_t nr)
{
	char tmp[PATH_MAX + 16], dir[PATH_MAX], path[PATH_MAX], *slash;
	size_t i;
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "%s", state_path());
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		mkdir(dir, 0755);
	}
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		if (fd >= 0)
			close(fd);
		return cli_err(-errno, "%s: %s", tmp, strerror(errno));
	}
	fprintf(f, "# cgroups whose policy `ctguard apply` set (id path); do not edit\n");
	for (i = 0; i < nr; i++) {
		const char *p = NULL;
		size_t j;

		for (j = 0; j < a->nr_changes && !p; j++)
			if (a->changes[j].kind == CFG_CGROUP &&
			    a->changes[j].id == ids[i])
				p = a->changes[j].name;
		fprintf(f, "%llu %s\n", (unsigned long long)ids[i], p ? p : "");
	}
	fchmod(fd, 0644);
	if (fclose(f) || rename(tmp, path)) {
		int err = -errno;

		unlink(tmp);
		return cli_err(err, "writing %s: %s", path, strerror(-err));
	}
	return 0;
}

/*
 * After the changes: the config's cgroups, and on failure also what the
 * last state held and was not deleted.
 */
static int state_update(struct apply *a, bool failed)
{
	uint64_t *ids = NULL;
	size_t nr = 0, i, j;
	int ret = 0;

	for (i = 0; !ret && i < a->nr_cfg_ids; i++)
		ret = ids_add(&ids, &nr, a->cfg_ids[i]);
	for (i = 0; !ret && failed && i < a->nr_state_ids; i++) {
		bool deleted = false;

		for (j = 0; j < a->nr_changes; j++)
			if (a->changes[j].op == CH_DELETE &&
			    a->changes[j].id == a->state_ids[i] &&
			    a->changes[j].done)
				deleted = true;
		if (!deleted)
			ret = ids_add(&ids, &nr, a->state_ids[i]);
	}
	if (!ret)
		ret = state_write(a, ids, nr);
	free(ids);
	return ret;
}

/* Policies the last apply set for cgroups the config no longer names. */
static int plan_removed(struct apply *a)
{
	struct ctguard_policy_info *list = NULL;
	size_t nr = 0, i;
	int ret;

	ret = state_read(a);
	if (ret || !a->nr_state_ids || a->prune)
		return ret;	/* --prune: plan_prune() takes them all */
	ret = ctguard_policy_list(a->h, &list, &nr);
	if (ret)
		return cli_lib_err(a->h, ret, "listing the policies");
	for (i = 0; i < nr && !ret; i++) {
		if (in_config(a, list[i].cgroup_id) || list[i].rule ||
		    !ids_has(a->state_ids, a->nr_state_ids, list[i].cgroup_id))
			continue;
		ret = add_change(a, CH_DELETE, CFG_CGROUP, list[i].path,
				 list[i].cgroup_id, NULL, &list[i].policy);
	}
	ctguard_policy_list_free(list, nr);
	return ret;
}

/* --- Making them -------------------------------------------------------- */

static void change_desc(const struct change *ch, char *buf, size_t len)
{
	if (ch->kind == CFG_CGROUP && ch->op == CH_DELETE)
		snprintf(buf, len, "cgroup %s (id %llu)",
			 ch->name[0] ? ch->name : "?", (unsigned long long)ch->id);
	else
		snprintf(buf, len, "%s %s", cfg_kind_name(ch->kind), ch->name);
}

static void print_change(const struct change *ch)
{
	char what[PATH_MAX + 64], detail[16384];

	change_desc(ch, what, sizeof(what));
	detail[0] = '\0';
	if (ch->op == CH_ADD)
		fmt_new(ch->sec, detail, sizeof(detail));
	else if (ch->op == CH_CHANGE) {
		fmt_diff(&ch->old, &ch->sec->policy, detail, sizeof(detail));
		if (ch->kind == CFG_RULE && ch->old_on_exec != ch->sec->on_exec) {
			size_t off = strlen(detail);

			snprintf(detail + off, sizeof(detail) - off,
				 "%son-exec: %s -> %s", off ? "; " : "",
				 ch->old_on_exec ? "yes" : "no",
				 ch->sec->on_exec ? "yes" : "no");
		}
		if (ch->from_rule) {
			size_t off = strlen(detail);

			snprintf(detail + off, sizeof(detail) - off,
				 "%sfrom rule %s -> explicit",
				 off ? "; " : "", ch->from_rule);
		} else if (!detail[0]) {
			snprintf(detail, sizeof(detail),
				 "pending -> in force");
		}
	}
	if (detail[0])
		printf("%c %s (%s)\n", ch->op, what, detail);
	else
		printf("%c %s\n", ch->op, what);
}

static int do_change(struct apply *a, const struct change *ch)
{
	char what[PATH_MAX + 64];
	int ret;

	if (ch->kind == CFG_CGROUP) {
		if (ch->op == CH_DELETE)
			ret = ctguard_policy_del(a->h, ch->id);
		else
			ret = ctguard_policy_set(a->h, ch->id, &ch->sec->policy,
						 CTGUARD_F_REPLACE);
	} else {
		if (ch->op == CH_DELETE)
			ret = ctguard_rule_del(a->h, ch->name);
		else
			ret = ctguard_rule_set(a->h, ch->name, &ch->sec->policy,
					       CTGUARD_F_REPLACE |
					       (ch->sec->on_exec ?
						CTGUARD_F_ON_EXEC : 0));
	}
	/* A policy that went with its cgroup meanwhile is deleted all right. */
	if (ret == -ENOENT && ch->op == CH_DELETE)
		ret = 0;
	if (!ret)
		return 0;
	change_desc(ch, what, sizeof(what));
	if (ch->sec) {
		char pre[PATH_MAX * 2 + 64];

		snprintf(pre, sizeof(pre), "%s:%u: %s", ch->sec->file,
			 ch->sec->line, what);
		return cli_lib_err(a->h, ret, pre);
	}
	return cli_lib_err(a->h, ret, what);
}

/* Creations and changes first, deletions last. */
static int apply_changes(struct apply *a)
{
	int pass, ret;
	size_t i;

	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < a->nr_changes; i++) {
			struct change *ch = &a->changes[i];

			if ((ch->op == CH_DELETE) != (pass == 1))
				continue;
			if (!a->dry_run) {
				ret = do_change(a, ch);
				ch->done = !ret;
				if (ret) {
					if (a->done && !a->json)
						fprintf(stderr, "ctguard apply: stopped after %zu of %zu changes\n",
							a->done, a->nr_changes);
					return ret;
				}
			}
			a->done++;
			if (!a->json)
				print_change(ch);
		}
	return 0;
}

/* --- JSON ---------------------------------------------------------------- */

static struct json_object *json_pol(const struct ctguard_policy *p)
{
	struct ctguard_policy_info info = { .policy = *p };
	struct json_object *o = json_policy(&info);

	json_object_object_del(o, "id");
	json_object_object_del(o, "path");
	json_object_object_del(o, "pending");
	json_object_object_del(o, "stats");
	return o;
}

static struct json_object *json_source(const struct cfg_section *s)
{
	char buf[PATH_MAX + 16];

	if (!s)
		return NULL;
	snprintf(buf, sizeof(buf), "%s:%u", s->file, s->line);
	return json_object_new_string(buf);
}

static int apply_json(struct apply *a, int err)
{
	struct json_object *o = json_object_new_object(), *arr, *c;
	static const char *const ops[] = {
		[CH_ADD] = "add", [CH_CHANGE] = "change", [CH_DELETE] = "delete",
	};
	size_t i, n = 0;

	json_object_object_add(o, "dry_run", json_object_new_boolean(a->dry_run));
	arr = json_object_new_array();
	/* In the order they were made: the same two passes. */
	for (int pass = 0; pass < 2; pass++)
		for (i = 0; i < a->nr_changes && n < a->done; i++) {
			const struct change *ch = &a->changes[i];

			if ((ch->op == CH_DELETE) != (pass == 1))
				continue;
			n++;
			c = json_object_new_object();
			json_object_object_add(c, "action", json_object_new_string(ops[ch->op]));
			json_object_object_add(c, "type", json_object_new_string(cfg_kind_name(ch->kind)));
			json_object_object_add(c, "name", ch->name[0] ?
					       json_object_new_string(ch->name) : NULL);
			json_object_object_add(c, "id", ch->kind == CFG_CGROUP ?
					       json_object_new_uint64(ch->id) : NULL);
			json_object_object_add(c, "source", json_source(ch->sec));
			json_object_object_add(c, "from_rule", ch->from_rule ?
					       json_object_new_string(ch->from_rule) : NULL);
			json_object_object_add(c, "old", ch->have_old ? json_pol(&ch->old) : NULL);
			json_object_object_add(c, "new", ch->sec ? json_pol(&ch->sec->policy) : NULL);
			if (ch->kind == CFG_RULE) {
				json_object_object_add(c, "old_on_exec", ch->have_old ?
						       json_object_new_boolean(ch->old_on_exec) : NULL);
				json_object_object_add(c, "new_on_exec", ch->sec ?
						       json_object_new_boolean(ch->sec->on_exec) : NULL);
			}
			json_object_array_add(arr, c);
		}
	json_object_object_add(o, "changes", arr);
	arr = json_object_new_array();
	for (i = 0; i < a->nr_skipped; i++) {
		c = json_object_new_object();
		json_object_object_add(c, "type", json_object_new_string(cfg_kind_name(a->skipped[i].sec->kind)));
		json_object_object_add(c, "name", json_object_new_string(a->skipped[i].sec->name));
		json_object_object_add(c, "source", json_source(a->skipped[i].sec));
		json_object_object_add(c, "reason", json_object_new_string(a->skipped[i].reason));
		json_object_array_add(arr, c);
	}
	json_object_object_add(o, "skipped", arr);
	json_object_object_add(o, "error", err ?
			       json_object_new_string(cli_errmsg()) : NULL);
	return json_print(o);
}

/* --- Main ------------------------------------------------------------------- */

static void apply_free(struct apply *a)
{
	size_t i;

	for (i = 0; i < a->nr_changes; i++) {
		free(a->changes[i].name);
		free(a->changes[i].from_rule);
		ctguard_policy_release(&a->changes[i].old);
	}
	free(a->changes);
	for (i = 0; i < a->nr_skipped; i++)
		free(a->skipped[i].reason);
	free(a->skipped);
	free(a->cfg_ids);
	free(a->state_ids);
	free(a->paths);
	cfg_free(&a->cfg);
	ctguard_close(a->h);
}

static void check_summary(const struct apply *a)
{
	size_t i, n[3] = { 0 };

	for (i = 0; i < a->cfg.nr_secs; i++)
		n[a->cfg.secs[i].kind]++;
	printf("configuration OK: %zu file%s, %zu profile%s, %zu rule%s, %zu cgroup%s\n",
	       a->cfg.nr_files, a->cfg.nr_files == 1 ? "" : "s",
	       n[CFG_PROFILE], n[CFG_PROFILE] == 1 ? "" : "s",
	       n[CFG_RULE], n[CFG_RULE] == 1 ? "" : "s",
	       n[CFG_CGROUP], n[CFG_CGROUP] == 1 ? "" : "s");
}

int apply_main(int argc, char **argv)
{
	struct apply a = { 0 };
	int ret, jret;

	ret = apply_parse(argc, argv, &a);
	if (ret)
		goto out;
	ret = cli_open(&a.h);
	if (ret)
		goto out;
	ret = apply_load(&a);
	if (ret)
		goto out;
	if (a.check) {
		check_summary(&a);
		goto out;
	}
	ret = plan_limits(&a);
	if (!ret)
		ret = plan_rules(&a);
	if (!ret)
		ret = plan_cgroups(&a);
	if (!ret)
		ret = plan_removed(&a);
	if (!ret && a.prune)
		ret = plan_prune(&a);
	if (ret)
		goto out;
	ret = apply_changes(&a);
	if (!a.dry_run) {
		jret = state_update(&a, ret != 0);
		if (!ret)
			ret = jret;
	}
	if (a.json) {
		jret = apply_json(&a, ret);
		if (!ret)
			ret = jret;
	} else if (!ret && !a.nr_changes) {
		printf("no changes\n");
	} else if (!ret && a.dry_run) {
		printf("(dry run: nothing changed)\n");
	}
out:
	apply_free(&a);
	return ret;
}
