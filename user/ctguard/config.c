// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration of `ctguard apply`: an INI-like format (docs/config.md).
 *
 *   # comment
 *   [profile web]                  a profile of one's own
 *   base-profile = container       built in, or defined in the config
 *   allow = userns                 keys apply in file order, as `set` options
 *
 *   [rule /system.slice/docker-*.scope]
 *   profile = web
 *   on-exec = yes                  rules only: wait for the container's exec
 *
 *   [cgroup /system.slice/build.service]
 *   deny = mount,rawsock
 *   mode = complain
 *
 * Values go through the parsers of the policy language (libctguard), so the
 * config accepts exactly what `ctguard set` accepts. Errors are collected
 * with their file and line; nothing is applied while there is one.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "config.h"

enum cfg_key {
	K_PROFILE,		/* "profile" or, in [profile], "base-profile" */
	K_DENY,
	K_ALLOW,
	K_DENY_CAP,
	K_ALLOW_CAP,
	K_ALLOW_DEV,
	K_CLEAR_DEV,
	K_MODE,
	K_ON_EXEC,
};

static const struct {
	const char *name;
	int key;
} cfg_keys[] = {
	{ "profile", K_PROFILE },
	{ "base-profile", K_PROFILE },
	{ "deny", K_DENY },
	{ "allow", K_ALLOW },
	{ "deny-cap", K_DENY_CAP },
	{ "allow-cap", K_ALLOW_CAP },
	{ "allow-dev", K_ALLOW_DEV },
	{ "clear-dev", K_CLEAR_DEV },
	{ "mode", K_MODE },
	{ "on-exec", K_ON_EXEC },
};

#define KEY_LIST "deny, allow, deny-cap, allow-cap, allow-dev, clear-dev, mode, on-exec"

#ifndef CTGUARD_RULE_PATTERN_MAX
#define CTGUARD_RULE_PATTERN_MAX 1024
#endif

/* Longest profile name. */
#define CFG_NAME_MAX 64

static const char *const cfg_kinds[] = {
	[CFG_PROFILE] = "profile",
	[CFG_RULE] = "rule",
	[CFG_CGROUP] = "cgroup",
};

const char *cfg_kind_name(enum cfg_kind kind)
{
	return cfg_kinds[kind];
}

void cfg_init(struct cfg *c, struct ctguard *h)
{
	memset(c, 0, sizeof(*c));
	c->h = h;
}

void cfg_free(struct cfg *c)
{
	size_t i;

	for (i = 0; i < c->nr_secs; i++) {
		free(c->secs[i].name);
		free(c->secs[i].profile);
		free(c->secs[i].ops);
		ctguard_policy_release(&c->secs[i].policy);
	}
	free(c->secs);
	for (i = 0; i < c->nr_files; i++)
		free(c->files[i]);
	free(c->files);
	for (i = 0; i < c->nr_errors; i++)
		free(c->errors[i]);
	free(c->errors);
	memset(c, 0, sizeof(*c));
}

void cfg_error(struct cfg *c, const char *file, unsigned int line,
	       const char *fmt, ...)
{
	char msg[2 * PATH_MAX], *s, **n;
	va_list ap;
	int r;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!file)
		r = asprintf(&s, "%s", msg);
	else if (!line)
		r = asprintf(&s, "%s: %s", file, msg);
	else
		r = asprintf(&s, "%s:%u: %s", file, line, msg);
	if (r < 0)
		return;
	n = realloc(c->errors, (c->nr_errors + 1) * sizeof(*n));
	if (!n) {
		free(s);
		return;
	}
	c->errors = n;
	c->errors[c->nr_errors++] = s;
}

struct cfg_section *cfg_find(struct cfg *c, enum cfg_kind kind,
			     const char *name)
{
	size_t i;

	for (i = 0; i < c->nr_secs; i++) {
		struct cfg_section *s = &c->secs[i];

		if (s->kind != kind)
			continue;
		/* Profile names are case-insensitive, like the built-in ones. */
		if (kind == CFG_PROFILE ? !strcasecmp(s->name, name) :
		    !strcmp(s->name, name))
			return s;
	}
	return NULL;
}

/* --- Parsing ------------------------------------------------------------ */

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static bool has_ctrl(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* A rule pattern: an absolute path below the cgroup2 root, as written. */
static const char *check_pattern(const char *p)
{
	const char *seg;

	if (p[0] != '/')
		return "a rule pattern is an absolute path below the cgroup2 root, starting with '/' (e.g. /system.slice/docker-*.scope)";
	if (!strcmp(p, "/"))
		return "the root cgroup cannot be confined";
	/* The module's limits (CTGUARD_CMD_SET_RULE), checked here first. */
	if (strlen(p) >= CTGUARD_RULE_PATTERN_MAX)
		return "the pattern is too long (at most 1023 characters)";
	for (seg = p; *seg; seg++)
		if ((unsigned char)*seg < 0x20 || (unsigned char)*seg > 0x7e)
			return "a pattern has only printable ASCII characters";
	if (p[strlen(p) - 1] == '/')
		return "the pattern ends with '/'";
	for (seg = p + 1; seg; seg = strchr(seg, '/') ? strchr(seg, '/') + 1 : NULL) {
		size_t n = strcspn(seg, "/");

		if (!n)
			return "empty path component ('//') in the pattern";
		if (n > 255)
			return "a component of the pattern is longer than 255 characters";
		if ((n == 1 && seg[0] == '.') ||
		    (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return "'.' and '..' are not allowed in a pattern";
	}
	return NULL;
}

static const char *check_profile_name(const char *n)
{
	size_t i;

	if (!n[0] || strlen(n) > CFG_NAME_MAX)
		return "a profile name has 1 to 64 characters";
	for (i = 0; n[i]; i++)
		if (!isalnum((unsigned char)n[i]) && !strchr("-_.", n[i]))
			return "a profile name has only letters, digits, '-', '_' and '.'";
	if (ctguard_profile_description(n))
		return "is a built-in profile: choose another name (a profile may start from it with base-profile)";
	return NULL;
}

struct cfg_parser {
	struct cfg *c;
	const char *file;
	unsigned int line;
	struct cfg_section *sec;	/* current section, or NULL */
	/* After a wrong header: its keys are still checked, then dropped. */
	struct cfg_section scratch;
	unsigned int keys;		/* key lines seen in the section */
};

/* A section without any key says nothing: an error. */
static void end_section(struct cfg_parser *ps)
{
	struct cfg_section *s = ps->sec;

	if (s == &ps->scratch) {
		free(s->profile);
		free(s->ops);
		memset(s, 0, sizeof(*s));
		ps->sec = NULL;
		return;
	}
	/* (Unless its keys were wrong: that was said already.) */
	if (s && !ps->keys)
		cfg_error(ps->c, s->file, s->line,
			  "[%s %s] is empty: give %s or at least one of %s",
			  cfg_kind_name(s->kind), s->name,
			  s->kind == CFG_PROFILE ? "base-profile" : "profile",
			  KEY_LIST);
	ps->sec = NULL;
}

static int parse_header(struct cfg_parser *ps, char *line)
{
	struct cfg *c = ps->c;
	char *end = line + strlen(line) - 1, *type, *arg, norm[PATH_MAX];
	const char *why = NULL;
	struct cfg_section *s, *dup, *n;
	enum cfg_kind kind;
	size_t len;

	end_section(ps);
	ps->keys = 0;
	ps->sec = &ps->scratch;
	ps->scratch.kind = CFG_RULE;
	ps->scratch.name = "?";
	ps->scratch.file = ps->file;
	if (*end != ']') {
		cfg_error(c, ps->file, ps->line,
			  "section header without a closing ']'");
		return 0;
	}
	*end = '\0';
	type = trim(line + 1);
	len = strcspn(type, " \t");
	arg = type + len;
	if (*arg)
		*arg++ = '\0';
	arg = trim(arg);
	if (!strcmp(type, "profile"))
		kind = CFG_PROFILE;
	else if (!strcmp(type, "rule"))
		kind = CFG_RULE;
	else if (!strcmp(type, "cgroup"))
		kind = CFG_CGROUP;
	else {
		cfg_error(c, ps->file, ps->line,
			  "unknown section [%s] (sections: [profile NAME], [rule PATTERN], [cgroup PATH])",
			  type);
		return 0;
	}
	ps->scratch.kind = kind;
	/* "..." keeps blanks at the ends of a name. */
	len = strlen(arg);
	if (len >= 2 && arg[0] == '"' && arg[len - 1] == '"') {
		arg[len - 1] = '\0';
		arg++;
	}
	if (!*arg) {
		cfg_error(c, ps->file, ps->line, "[%s] needs a %s: [%s %s]",
			  type,
			  kind == CFG_PROFILE ? "name" :
			  kind == CFG_RULE ? "pattern" : "cgroup path",
			  type,
			  kind == CFG_PROFILE ? "NAME" :
			  kind == CFG_RULE ? "/system.slice/docker-*.scope" :
			  "/system.slice/NAME.service");
		return 0;
	}
	switch (kind) {
	case CFG_PROFILE:
		why = check_profile_name(arg);
		if (why) {
			cfg_error(c, ps->file, ps->line, "[profile %s]: '%s' %s",
				  arg, arg, why);
			return 0;
		}
		break;
	case CFG_RULE:
		why = check_pattern(arg);
		break;
	case CFG_CGROUP:
		if (has_ctrl(arg)) {
			why = "control characters in the path";
			break;
		}
		if (ctguard_cgroup_normalize(c->h, arg, norm, sizeof(norm))) {
			cfg_error(c, ps->file, ps->line, "[cgroup %s]: %s", arg,
				  ctguard_strerror(c->h));
			return 0;
		}
		if (!strcmp(norm, "/"))
			why = "the root cgroup cannot be confined";
		arg = norm;
		break;
	}
	if (why) {
		cfg_error(c, ps->file, ps->line, "[%s %s]: %s", type, arg, why);
		return 0;
	}
	dup = cfg_find(c, kind, arg);
	if (dup) {
		cfg_error(c, ps->file, ps->line,
			  "[%s %s] is already defined at %s:%u", type, arg,
			  dup->file, dup->line);
		return 0;
	}
	n = realloc(c->secs, (c->nr_secs + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	c->secs = n;
	s = &c->secs[c->nr_secs];
	memset(s, 0, sizeof(*s));
	ctguard_policy_init(&s->policy);
	s->name = strdup(arg);
	if (!s->name)
		return -ENOMEM;
	c->nr_secs++;
	s->kind = kind;
	s->file = ps->file;
	s->line = ps->line;
	ps->sec = s;
	return 0;
}

static int add_op(struct cfg_section *s, int key, uint64_t mask,
		  const struct ctguard_dev_rule *rule)
{
	struct cfg_op *n = realloc(s->ops, (s->nr_ops + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	s->ops = n;
	n += s->nr_ops++;
	memset(n, 0, sizeof(*n));
	n->key = key;
	n->mask = mask;
	if (rule)
		n->rule = *rule;
	return 0;
}

/* 1 for yes/true/1, 0 for no/false/0, -1 otherwise. */
static int parse_bool(const char *val)
{
	if (!strcasecmp(val, "yes") || !strcasecmp(val, "true") ||
	    !strcmp(val, "1"))
		return 1;
	if (!strcasecmp(val, "no") || !strcasecmp(val, "false") ||
	    !strcmp(val, "0"))
		return 0;
	return -1;
}

static int parse_key(struct cfg_parser *ps, char *line)
{
	struct cfg *c = ps->c;
	struct cfg_section *s = ps->sec;
	char err[CTGUARD_ERRBUF_LEN], *eq, *key, *val, *p;
	struct ctguard_dev_rule rule;
	const char *name;
	int k = -1, ret;
	uint32_t classes;
	uint64_t caps;
	size_t i;

	ps->keys++;
	eq = strchr(line, '=');
	if (!eq) {
		cfg_error(c, ps->file, ps->line,
			  "expected 'KEY = VALUE', a [section], a comment or an empty line");
		return 0;
	}
	*eq = '\0';
	key = trim(line);
	val = eq + 1;
	/* A comment may end the line: blank, then '#'. */
	for (p = val; *p; p++)
		if (*p == '#' && p > val && isspace((unsigned char)p[-1])) {
			*p = '\0';
			break;
		}
	val = trim(val);
	for (i = 0; i < sizeof(cfg_keys) / sizeof(cfg_keys[0]); i++)
		if (!strcmp(key, cfg_keys[i].name))
			k = cfg_keys[i].key;
	if (k < 0) {
		cfg_error(c, ps->file, ps->line, "unknown key '%s' (keys: %s, %s)",
			  key, s && s->kind == CFG_PROFILE ? "base-profile" :
			  "profile", KEY_LIST);
		return 0;
	}
	if (!s) {
		cfg_error(c, ps->file, ps->line,
			  "'%s' outside a section: put it under [profile NAME], [rule PATTERN] or [cgroup PATH]",
			  key);
		return 0;
	}
	if (!*val) {
		cfg_error(c, ps->file, ps->line, "%s: missing value", key);
		return 0;
	}
	switch (k) {
	case K_PROFILE:
		name = s->kind == CFG_PROFILE ? "base-profile" : "profile";
		if (strcmp(key, name)) {
			cfg_error(c, ps->file, ps->line,
				  "'%s' in a [%s] section: the starting profile is '%s' there",
				  key, cfg_kind_name(s->kind), name);
			return 0;
		}
		if (s->profile) {
			cfg_error(c, ps->file, ps->line,
				  "%s given twice in [%s %s] (first at line %u)",
				  key, cfg_kind_name(s->kind), s->name,
				  s->profile_line);
			return 0;
		}
		if (s->kind == CFG_PROFILE && !strcasecmp(val, s->name)) {
			cfg_error(c, ps->file, ps->line,
				  "[profile %s] cannot start from itself", s->name);
			return 0;
		}
		s->profile = strdup(val);
		if (!s->profile)
			return -ENOMEM;
		s->profile_line = ps->line;
		return 0;
	case K_DENY:
	case K_ALLOW:
		if (ctguard_parse_classes(val, &classes, err, sizeof(err))) {
			cfg_error(c, ps->file, ps->line, "%s: %s", key, err);
			return 0;
		}
		return add_op(s, k, classes, NULL);
	case K_DENY_CAP:
	case K_ALLOW_CAP:
		if (ctguard_parse_caps(val, &caps, err, sizeof(err))) {
			cfg_error(c, ps->file, ps->line, "%s: %s", key, err);
			return 0;
		}
		return add_op(s, k, caps, NULL);
	case K_ALLOW_DEV:
		/* One rule, or several separated by commas. */
		for (p = val; p; ) {
			char *next = strchr(p, ',');

			if (next)
				*next++ = '\0';
			p = trim(p);
			if (ctguard_parse_dev_rule(p, &rule, err, sizeof(err))) {
				cfg_error(c, ps->file, ps->line, "%s: %s", key,
					  err);
				return 0;
			}
			ret = add_op(s, k, 0, &rule);
			if (ret)
				return ret;
			p = next;
		}
		return 0;
	case K_CLEAR_DEV:
		ret = parse_bool(val);
		if (ret < 0)
			cfg_error(c, ps->file, ps->line,
				  "clear-dev: '%s' is neither yes nor no", val);
		else if (ret)
			return add_op(s, k, 0, NULL);
		return 0;
	case K_ON_EXEC:
		if (s->kind != CFG_RULE) {
			cfg_error(c, ps->file, ps->line,
				  "on-exec in a [%s] section: it is a property of [rule] sections",
				  cfg_kind_name(s->kind));
			return 0;
		}
		if (s->on_exec_line) {
			cfg_error(c, ps->file, ps->line,
				  "on-exec given twice in [rule %s] (first at line %u)",
				  s->name, s->on_exec_line);
			return 0;
		}
		ret = parse_bool(val);
		if (ret < 0) {
			cfg_error(c, ps->file, ps->line,
				  "on-exec: '%s' is neither yes nor no", val);
			return 0;
		}
		s->on_exec = ret;
		s->on_exec_line = ps->line;
		return 0;
	case K_MODE:
		if (s->have_mode) {
			cfg_error(c, ps->file, ps->line,
				  "mode given twice in [%s %s] (first at line %u)",
				  cfg_kind_name(s->kind), s->name, s->mode_line);
			return 0;
		}
		if (ctguard_parse_mode(val, &s->mode, err, sizeof(err))) {
			cfg_error(c, ps->file, ps->line, "mode: %s", err);
			return 0;
		}
		s->have_mode = true;
		s->mode_line = ps->line;
		return 0;
	}
	return 0;
}

static const char *cfg_add_file(struct cfg *c, const char *name)
{
	char **n = realloc(c->files, (c->nr_files + 1) * sizeof(*n));

	if (!n)
		return NULL;
	c->files = n;
	c->files[c->nr_files] = strdup(name);
	if (!c->files[c->nr_files])
		return NULL;
	return c->files[c->nr_files++];
}

static int cfg_parse_stream(struct cfg *c, const char *file, FILE *f)
{
	struct cfg_parser ps = { .c = c };
	char *buf = NULL, *line;
	size_t cap = 0;
	ssize_t n;
	int ret = 0;

	ps.file = cfg_add_file(c, file);
	if (!ps.file)
		return -ENOMEM;
	while ((n = getline(&buf, &cap, f)) >= 0) {
		ps.line++;
		if ((size_t)n != strlen(buf)) {
			cfg_error(c, ps.file, ps.line, "NUL byte in the line");
			continue;
		}
		line = trim(buf);
		if (!*line || *line == '#' || *line == ';')
			continue;
		if (*line == '[')
			ret = parse_header(&ps, line);
		else
			ret = parse_key(&ps, line);
		if (ret)
			break;
	}
	if (!ret && ferror(f)) {
		cfg_error(c, ps.file, 0, "read error");
		ret = 0;
	}
	if (!ret)
		end_section(&ps);
	free(buf);
	return ret;
}

int cfg_parse_text(struct cfg *c, const char *name, const char *text)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	if (!f)
		return -errno;
	ret = cfg_parse_stream(c, name, f);
	fclose(f);
	return ret;
}

static int cfg_read_file(struct cfg *c, const char *path)
{
	FILE *f = fopen(path, "re");
	int ret;

	if (!f) {
		cfg_error(c, path, 0, "cannot read it: %s", strerror(errno));
		return 0;
	}
	ret = cfg_parse_stream(c, path, f);
	fclose(f);
	return ret;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cfg_read_dir(struct cfg *c, const char *path)
{
	char **names = NULL, **n, full[PATH_MAX];
	size_t nr = 0, i, len;
	struct dirent *de;
	struct stat st;
	DIR *d;
	int ret = 0;

	d = opendir(path);
	if (!d) {
		cfg_error(c, path, 0, "cannot read the directory: %s",
			  strerror(errno));
		return 0;
	}
	while ((de = readdir(d))) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len <= 5 ||
		    strcmp(de->d_name + len - 5, ".conf"))
			continue;
		n = realloc(names, (nr + 1) * sizeof(*n));
		if (!n) {
			ret = -ENOMEM;
			break;
		}
		names = n;
		names[nr] = strdup(de->d_name);
		if (!names[nr]) {
			ret = -ENOMEM;
			break;
		}
		nr++;
	}
	closedir(d);
	if (!ret && nr)
		qsort(names, nr, sizeof(*names), cmp_names);
	for (i = 0; !ret && i < nr; i++) {
		snprintf(full, sizeof(full), "%s/%s", path, names[i]);
		/* Other files (directories, sockets...) are not config. */
		if (stat(full, &st) || !S_ISREG(st.st_mode))
			continue;
		ret = cfg_read_file(c, full);
	}
	for (i = 0; i < nr; i++)
		free(names[i]);
	free(names);
	return ret;
}

int cfg_read_path(struct cfg *c, const char *path, bool must_exist)
{
	struct stat st;

	if (stat(path, &st)) {
		if (errno == ENOENT && !must_exist)
			return 0;
		cfg_error(c, path, 0, "%s", strerror(errno));
		return 0;
	}
	if (S_ISDIR(st.st_mode))
		return cfg_read_dir(c, path);
	return cfg_read_file(c, path);
}

/* --- Resolving ------------------------------------------------------- */

enum { S_NEW, S_BUSY, S_DONE, S_FAILED };

/* The profile names a message can offer. */
static void profile_list(struct cfg *c, char *buf, size_t len)
{
	const char *const *b = ctguard_profile_names();
	size_t i, off = 0;

	buf[0] = '\0';
	for (; *b; b++)
		off += snprintf(buf + off, off < len ? len - off : 0, "%s%s",
				off ? ", " : "", *b);
	for (i = 0; i < c->nr_secs; i++)
		if (c->secs[i].kind == CFG_PROFILE)
			off += snprintf(buf + off, off < len ? len - off : 0,
					", %s", c->secs[i].name);
}

static int resolve(struct cfg *c, struct cfg_section *s,
		   struct cfg_section **stack, size_t depth)
{
	char err[CTGUARD_ERRBUF_LEN], names[1024];
	const char *key = s->kind == CFG_PROFILE ? "base-profile" : "profile";
	struct ctguard_policy *p = &s->policy;
	struct cfg_section *base;
	size_t i;
	int ret;

	if (s->state == S_DONE)
		return 0;
	if (s->state == S_FAILED)
		return -EINVAL;
	if (s->state == S_BUSY) {
		/* A cycle: name it from where it starts. */
		char chain[1024];
		size_t off = 0, start = 0;

		for (i = 0; i < depth; i++)
			if (stack[i] == s)
				start = i;
		for (i = start; i < depth; i++)
			off += snprintf(chain + off, off < sizeof(chain) ?
					sizeof(chain) - off : 0, "%s -> ",
					stack[i]->name);
		snprintf(chain + off, off < sizeof(chain) ?
			 sizeof(chain) - off : 0, "%s", s->name);
		cfg_error(c, s->file, s->profile_line,
			  "[profile %s]: base-profile makes a cycle: %s",
			  s->name, chain);
		for (i = start; i < depth; i++)
			stack[i]->state = S_FAILED;
		return -EINVAL;
	}
	s->state = S_BUSY;
	stack[depth] = s;
	ctguard_policy_release(p);
	ctguard_policy_init(p);
	if (s->profile) {
		base = cfg_find(c, CFG_PROFILE, s->profile);
		if (base) {
			ret = resolve(c, base, stack, depth + 1);
			if (ret) {
				/* Its own error (or the cycle) is reported. */
				s->state = S_FAILED;
				return ret;
			}
			ret = ctguard_policy_copy(p, &base->policy);
		} else {
			ret = ctguard_profile(s->profile, p, err, sizeof(err));
			if (ret == -EINVAL) {
				profile_list(c, names, sizeof(names));
				cfg_error(c, s->file, s->profile_line,
					  "[%s %s]: %s: unknown profile '%s' (profiles: %s)",
					  cfg_kind_name(s->kind), s->name, key,
					  s->profile, names);
				s->state = S_FAILED;
				return -EINVAL;
			}
		}
		if (ret) {
			s->state = S_FAILED;
			return ret;
		}
	}
	p->fields = CTGUARD_POLICY_ALL;
	for (i = 0; i < s->nr_ops; i++) {
		const struct cfg_op *op = &s->ops[i];

		switch (op->key) {
		case K_DENY:
			p->deny |= (uint32_t)op->mask;
			break;
		case K_ALLOW:
			p->deny &= ~(uint32_t)op->mask;
			break;
		case K_DENY_CAP:
			p->deny_caps |= op->mask;
			break;
		case K_ALLOW_CAP:
			p->deny_caps &= ~op->mask;
			break;
		case K_CLEAR_DEV:
			ctguard_policy_release(p);
			break;
		case K_ALLOW_DEV:
			ret = ctguard_policy_add_dev(p, &op->rule);
			if (ret) {
				s->state = S_FAILED;
				return ret;
			}
			break;
		}
	}
	p->fields = CTGUARD_POLICY_ALL;
	if (s->have_mode)
		p->mode = s->mode;
	s->state = S_DONE;
	return 0;
}

int cfg_resolve(struct cfg *c)
{
	struct cfg_section **stack;
	size_t i;
	int ret = 0, r;

	stack = calloc(c->nr_secs + 1, sizeof(*stack));
	if (!stack)
		return -ENOMEM;
	for (i = 0; i < c->nr_secs; i++) {
		r = resolve(c, &c->secs[i], stack, 0);
		if (r == -ENOMEM) {
			ret = r;
			break;
		}
	}
	free(stack);
	if (ret)
		return ret;
	return c->nr_errors ? -EINVAL : 0;
}
