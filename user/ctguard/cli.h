/* SPDX-License-Identifier: GPL-2.0 */
/* Shared declarations of the ctguard command. */
#ifndef CTG_CLI_H
#define CTG_CLI_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <json-c/json.h>

#include <ctguard.h>

/*
 * Internal error code of a command-line mistake: it is printed like any
 * error, followed by a pointer to the help, and exits with status 2.
 */
#define EUSAGE 1000

struct cmd {
	const char *name;
	int (*main)(int argc, char **argv);
	const char *usage;	/* synopsis after "ctguard NAME" */
	const char *summary;
	const char *help;	/* option descriptions */
};

const struct cmd *cmd_find(const char *name);
extern const struct cmd cmds[];

int set_main(int argc, char **argv);
int unset_main(int argc, char **argv);
int show_main(int argc, char **argv);
int list_main(int argc, char **argv);
int status_main(int argc, char **argv);
int stats_main(int argc, char **argv);
int monitor_main(int argc, char **argv);
int apply_main(int argc, char **argv);
int rule_main(int argc, char **argv);
int help_main(int argc, char **argv);

void print_usage(const struct cmd *cmd, bool full);

/* --- Errors: set once, printed once by main() --------------------------- */

int cli_err(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Take over the message of the library's last error, with a prefix. */
int cli_lib_err(struct ctguard *h, int err, const char *prefix);
const char *cli_errmsg(void);
/* The subcommand being run, for messages and the help pointer. */
extern const char *cli_cmd;

/* Open a handle or fail with a message. */
int cli_open(struct ctguard **h);

/* --- Targets ---------------------------------------------------------- */

struct target {
	const char *opt;	/* "--cgroup", "--id", "--pid" or NULL */
	const char *arg;
	uint64_t id;
	bool have_path;
	char path[PATH_MAX];	/* below the cgroup2 root */
};

/* Record one target option; a second one is a usage error. */
int target_opt(struct target *t, const char *opt, const char *arg);
/* Resolve it to an id (and path when it is cheap to know). */
int target_resolve(struct ctguard *h, struct target *t);
/* "/a/b (id 42)" or "cgroup id 42" into @buf, for messages. */
const char *target_desc(const struct target *t, char *buf, size_t len);
int parse_u64(const char *s, uint64_t *v);

/* Options of the subcommands other than set. */
enum {
	OPTS_TARGET = 1 << 0,		/* --cgroup/--id/--pid accepted */
	OPTS_TARGET_REQUIRED = 1 << 1,
	OPTS_JSON = 1 << 2,		/* --json */
	OPTS_COUNT = 1 << 3,		/* --count N */
};

struct opts {
	struct target target;
	bool json;
	uint64_t count;
};

int parse_opts(int argc, char **argv, unsigned int flags, struct opts *o);

/* --- Output ----------------------------------------------------------- */

/* An aligned table: add rows of strings, then print. */
struct table;
struct table *table_new(unsigned int ncols, const char *const *headers,
			const bool *right);
int table_add(struct table *t, const char *const *cells);
void table_print(struct table *t, FILE *f);
void table_free(struct table *t);

/* "key   value" lines with the keys padded to @width. */
void print_kv(const char *key, int width, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A comma list wrapped to the terminal width, continued under the value. */
void print_kv_list(const char *key, int width, const char *list);

/* JSON builders; the schema is documented in docs/cli.md. */
struct json_object *json_stats(const struct ctguard_stats *st);
struct json_object *json_dev_rule(const struct ctguard_dev_rule *r);
struct json_object *json_policy(const struct ctguard_policy_info *info);
struct json_object *json_rule(const struct ctguard_rule_info *r);
struct json_object *json_hook(const struct ctguard_hook *hk);
struct json_object *json_cgroup_stats(const struct ctguard_cgroup_stats *st);
struct json_object *json_event(const struct ctguard_event *ev,
			       const struct timespec *ts, const char *path,
			       const char *policy_path,
			       const char *target_path);
struct json_object *json_events_lost(const struct timespec *ts);
/* Print @o on one line and drop it; returns -EIO on a write error. */
int json_print(struct json_object *o);
/* RFC 3339 local time with milliseconds. */
void format_time(const struct timespec *ts, char *buf, size_t len);
/* Detail of an event as "key=value" words (human output). */
void format_event_detail(const struct ctguard_event *ev, const char *target,
			 char *buf, size_t len);
/* Narrow table cells: "all", "-", the list, or "N caps". */
void format_short_classes(uint32_t mask, char *buf, size_t len);
void format_short_caps(uint64_t mask, char *buf, size_t len);
/* Quote a string for a "key=value" word: printable ASCII, else \xNN. */
void format_word(const char *in, char *buf, size_t len);

#endif /* CTG_CLI_H */
