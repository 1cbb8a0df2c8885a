/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The declarative configuration of `ctguard apply`: /etc/ctguard/ctguard.conf
 * and /etc/ctguard/conf.d/ (*.conf). The format is in docs/config.md and
 * ctguard(8).
 */
#ifndef CTG_CONFIG_H
#define CTG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ctguard.h>

#ifndef CTGUARD_CONFDIR
#define CTGUARD_CONFDIR "/etc/ctguard"
#endif
#define CTGUARD_CONF_FILE CTGUARD_CONFDIR "/ctguard.conf"
#define CTGUARD_CONF_DIR CTGUARD_CONFDIR "/conf.d"
/* The cgroups whose policy apply set (apply.c). */
#ifndef CTGUARD_APPLY_STATE
#define CTGUARD_APPLY_STATE "/run/ctguard/apply.state"
#endif

enum cfg_kind {
	CFG_PROFILE,
	CFG_RULE,
	CFG_CGROUP,
};

/* One key of a section, applied in file order. */
struct cfg_op {
	int key;		/* enum cfg_key in config.c */
	uint64_t mask;
	struct ctguard_dev_rule rule;
};

struct cfg_section {
	enum cfg_kind kind;
	char *name;		/* profile name, rule pattern, cgroup path */
	const char *file;	/* one of cfg->files */
	unsigned int line;	/* of the [header] */
	char *profile;		/* "profile =" / "base-profile =", or NULL */
	unsigned int profile_line;
	bool have_mode;
	uint8_t mode;
	unsigned int mode_line;
	/* [rule] only: "on-exec = yes" (CTGUARD_F_ON_EXEC). */
	bool on_exec;
	unsigned int on_exec_line;
	struct cfg_op *ops;
	size_t nr_ops;
	/* Set by cfg_resolve(): the whole policy (fields = ALL). */
	int state;
	struct ctguard_policy policy;
};

struct cfg {
	struct cfg_section *secs;
	size_t nr_secs;
	char **files;		/* every file read, in order */
	size_t nr_files;
	char **errors;		/* "FILE:LINE: message" */
	size_t nr_errors;
	/* Cgroup paths are normalised with the library (and its root). */
	struct ctguard *h;
};

void cfg_init(struct cfg *c, struct ctguard *h);
void cfg_free(struct cfg *c);

/*
 * Read a file, or every "*.conf" file of a directory in lexical (byte)
 * order. @must_exist: a missing file or directory is an error, else it is
 * nothing. Errors of the contents are collected in c->errors and parsing
 * goes on; the return value is -errno only for what stops reading (memory).
 */
int cfg_read_path(struct cfg *c, const char *path, bool must_exist);
/* Parse @text as if it were the file @name (tests). */
int cfg_parse_text(struct cfg *c, const char *name, const char *text);
/*
 * Build the policy of every section: profiles resolved (built-in or
 * defined in the config, in any file and order; cycles are errors), then the
 * keys applied. Returns 0 or -EINVAL with c->errors filled.
 */
int cfg_resolve(struct cfg *c);

/* Record an error; @file may be NULL (no location). */
void cfg_error(struct cfg *c, const char *file, unsigned int line,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

const char *cfg_kind_name(enum cfg_kind kind);
/* The section of @kind named @name, or NULL. */
struct cfg_section *cfg_find(struct cfg *c, enum cfg_kind kind,
			     const char *name);

#endif /* CTG_CONFIG_H */
