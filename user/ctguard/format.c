// SPDX-License-Identifier: GPL-2.0
/* Tables and formatting shared by the subcommands (and the unit tests). */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli.h"

/* --- Tables ------------------------------------------------------------ */

struct table {
	unsigned int ncols;
	const char *const *headers;
	const bool *right;
	char **cells;		/* nrows * ncols */
	size_t nrows;
};

struct table *table_new(unsigned int ncols, const char *const *headers,
			const bool *right)
{
	struct table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->ncols = ncols;
	t->headers = headers;
	t->right = right;
	return t;
}

int table_add(struct table *t, const char *const *cells)
{
	char **n;
	unsigned int i;

	n = realloc(t->cells, (t->nrows + 1) * t->ncols * sizeof(*n));
	if (!n)
		return -ENOMEM;
	t->cells = n;
	n += t->nrows * t->ncols;
	for (i = 0; i < t->ncols; i++) {
		n[i] = strdup(cells[i] ? cells[i] : "");
		if (!n[i]) {
			while (i--)
				free(n[i]);
			return -ENOMEM;
		}
	}
	t->nrows++;
	return 0;
}

static void table_row(const struct table *t, const char *const *row,
		      const size_t *w, FILE *f)
{
	unsigned int c;

	for (c = 0; c < t->ncols; c++) {
		bool last = c + 1 == t->ncols;
		int width = (int)w[c];

		if (c)
			fputs("  ", f);
		if (t->right && t->right[c])
			fprintf(f, "%*s", width, row[c]);
		else if (last)	/* no trailing blanks */
			fputs(row[c], f);
		else
			fprintf(f, "%-*s", width, row[c]);
	}
	fputc('\n', f);
}

void table_print(struct table *t, FILE *f)
{
	size_t *w = calloc(t->ncols, sizeof(*w)), r;
	unsigned int c;

	if (!w)
		return;
	for (c = 0; c < t->ncols; c++)
		w[c] = strlen(t->headers[c]);
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			size_t n = strlen(t->cells[r * t->ncols + c]);

			if (n > w[c])
				w[c] = n;
		}
	table_row(t, t->headers, w, f);
	for (r = 0; r < t->nrows; r++)
		table_row(t, (const char *const *)&t->cells[r * t->ncols], w,
			  f);
	free(w);
}

void table_free(struct table *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}

/* --- Key/value lines ----------------------------------------------------- */

void print_kv(const char *key, int width, const char *fmt, ...)
{
	va_list ap;

	printf("%-*s  ", width, key);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Wrap only for a terminal: piped output keeps one line per key. */
static int term_width(void)
{
	struct winsize ws;

	if (!isatty(STDOUT_FILENO))
		return 0;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) || ws.ws_col < 40)
		return 80;
	return ws.ws_col;
}

void print_kv_list(const char *key, int width, const char *list)
{
	int cols = term_width(), col;
	const char *p = list;

	printf("%-*s  ", width, key);
	if (!*list) {
		puts("-");
		return;
	}
	if (!cols) {
		puts(list);
		return;
	}
	col = width + 2;
	while (*p) {
		const char *end = strchr(p, ',');
		int n = end ? (int)(end - p) + 1 : (int)strlen(p);

		if (col > width + 2 && col + n > cols) {
			printf("\n%-*s  ", width, "");
			col = width + 2;
		}
		fwrite(p, 1, (size_t)n, stdout);
		col += n;
		p += n;
	}
	putchar('\n');
}

/* --- Formatting -------------------------------------------------------- */

void format_time(const struct timespec *ts, char *buf, size_t len)
{
	struct tm tm;
	char date[32], zone[24];
	long off;

	localtime_r(&ts->tv_sec, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	/* Offsets are within a day; the bound also quiets -Wformat-truncation. */
	off = (tm.tm_gmtoff / 60) % (24 * 60);
	snprintf(zone, sizeof(zone), "%c%02ld:%02ld", off < 0 ? '-' : '+',
		 labs(off) / 60, labs(off) % 60);
	snprintf(buf, len, "%s.%03ld%s", date, ts->tv_nsec / 1000000, zone);
}

void format_word(const char *in, char *buf, size_t len)
{
	size_t o = 0;

	for (; *in && o + 5 < len; in++) {
		unsigned char c = (unsigned char)*in;

		if (c > ' ' && c < 0x7f && c != '\\' && c != '"' && c != '=')
			buf[o++] = (char)c;
		else
			o += (size_t)snprintf(buf + o, len - o, "\\x%02x", c);
	}
	buf[o] = '\0';
}

static const char *sock_family_name(uint32_t f)
{
	switch (f) {
	case AF_INET:
		return "inet";
	case AF_INET6:
		return "inet6";
	case AF_PACKET:
		return "packet";
	}
	return NULL;
}

static const char *sock_type_name(uint32_t t)
{
	switch (t) {
	case SOCK_STREAM:
		return "stream";
	case SOCK_DGRAM:
		return "dgram";
	case SOCK_RAW:
		return "raw";
	case SOCK_SEQPACKET:
		return "seqpacket";
	case SOCK_PACKET:
		return "packet";
	}
	return NULL;
}

static const char *syslog_action_name(uint32_t a)
{
	/* SYSLOG_ACTION_* of include/linux/syslog.h */
	static const char *const names[] = {
		"close", "open", "read", "read_all", "read_clear", "clear",
		"console_off", "console_on", "console_level", "size_unread",
		"size_buffer",
	};

	return a < sizeof(names) / sizeof(names[0]) ? names[a] : NULL;
}

static void appendf(char *buf, size_t len, size_t *pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void appendf(char *buf, size_t len, size_t *pos, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*pos >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *pos, len - *pos, fmt, ap);
	va_end(ap);
	if (n > 0)
		*pos += (size_t)n < len - *pos ? (size_t)n : len - *pos - 1;
}

void format_event_detail(const struct ctguard_event *ev, const char *target,
			 char *buf, size_t len)
{
	size_t pos = 0;
	const char *name;

	buf[0] = '\0';
	if (ev->present & CTGUARD_EV_CAP) {
		name = ctguard_cap_name(ev->cap);
		if (name)
			appendf(buf, len, &pos, " cap=%s", name);
		else
			appendf(buf, len, &pos, " cap=%u", ev->cap);
	}
	if (ev->present & CTGUARD_EV_MOUNT_OP) {
		name = ctguard_mount_op_name(ev->mount_op);
		if (name)
			appendf(buf, len, &pos, " op=%s", name);
		else
			appendf(buf, len, &pos, " op=%u", ev->mount_op);
	}
	if (ev->present & CTGUARD_EV_FSTYPE) {
		char w[sizeof(ev->fstype) * 4 + 1];

		format_word(ev->fstype, w, sizeof(w));
		appendf(buf, len, &pos, " fstype=%s", w);
	}
	if (ev->present & CTGUARD_EV_MOUNT_FLAGS)
		appendf(buf, len, &pos, " flags=%#llx",
			(unsigned long long)ev->mount_flags);
	if (ev->present & CTGUARD_EV_SOCK) {
		name = sock_family_name(ev->sock_family);
		if (name)
			appendf(buf, len, &pos, " family=%s", name);
		else
			appendf(buf, len, &pos, " family=%u", ev->sock_family);
		name = sock_type_name(ev->sock_type);
		if (name)
			appendf(buf, len, &pos, " type=%s", name);
		else
			appendf(buf, len, &pos, " type=%u", ev->sock_type);
		appendf(buf, len, &pos, " protocol=%u", ev->sock_protocol);
	}
	if (ev->present & CTGUARD_EV_SYSLOG_ACTION) {
		name = syslog_action_name(ev->syslog_action);
		if (name)
			appendf(buf, len, &pos, " action=%s", name);
		else
			appendf(buf, len, &pos, " action=%u", ev->syslog_action);
	}
	if (ev->present & CTGUARD_EV_DEVICE) {
		char rule[64];

		ctguard_format_dev_rule(&ev->dev, rule, sizeof(rule));
		appendf(buf, len, &pos, " device=\"%s\"", rule);
	}
	if (ev->present & CTGUARD_EV_TARGET_CGROUP) {
		if (target)
			appendf(buf, len, &pos, " target=%s", target);
		else
			appendf(buf, len, &pos, " target_id=%llu",
				(unsigned long long)ev->target_cgroup_id);
	}
}

/* "all", "-" or the list itself, so the table stays narrow. */
void format_short_classes(uint32_t mask, char *buf, size_t len)
{
	if ((mask & __CTGUARD_CLASS_ALL) == __CTGUARD_CLASS_ALL &&
	    !(mask & ~__CTGUARD_CLASS_ALL))
		snprintf(buf, len, "all");
	else if (!mask)
		snprintf(buf, len, "-");
	else
		ctguard_format_classes(mask, buf, len);
}

void format_short_caps(uint64_t mask, char *buf, size_t len)
{
	int n = __builtin_popcountll(mask);

	if (mask == ctguard_caps_all())
		snprintf(buf, len, "all");
	else if (!mask)
		snprintf(buf, len, "-");
	else if (n <= 3)
		ctguard_format_caps(mask, buf, len);
	else
		snprintf(buf, len, "%d caps", n);
}
