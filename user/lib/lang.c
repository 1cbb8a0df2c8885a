// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The policy language shared by every front end: class and capability
 * names, device rules in the style of the cgroup v1 devices controller,
 * modes.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "caps.gen.h"

/* Longest word worth quoting back in an error message. */
#define CTG_WORD_MAX 64

/* Linux device numbers: 12-bit majors, 20-bit minors. */
#define CTG_MAJOR_MAX 4095U
#define CTG_MINOR_MAX 1048575U

static const struct {
	uint32_t bit;
	const char *name;
} ctg_classes[] = {
	{ CTGUARD_CLASS_MOUNT, "mount" },
	{ CTGUARD_CLASS_RAWSOCK, "rawsock" },
	{ CTGUARD_CLASS_DMESG, "dmesg" },
	{ CTGUARD_CLASS_MKNOD, "mknod" },
	{ CTGUARD_CLASS_DEVICES, "devices" },
	{ CTGUARD_CLASS_USERNS, "userns" },
	/* Report-only classes: named in events, never accepted in a policy. */
	{ CTGUARD_CLASS_CAP, "cap" },
	{ CTGUARD_CLASS_CGROUP, "cgroup" },
};

int ctg_perr(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (buf && len) {
		va_start(ap, fmt);
		vsnprintf(buf, len, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

unsigned int ctg_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	unsigned int row[CTG_WORD_MAX + 1];

	/* Words longer than any name are never close to one. */
	if (la > CTG_WORD_MAX || lb > CTG_WORD_MAX)
		return ~0U;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		unsigned int diag = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			unsigned int up = row[j], best;

			best = diag + (tolower((unsigned char)a[i - 1]) !=
				       tolower((unsigned char)b[j - 1]));
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

/* A suggestion is offered only when it is plausibly what was meant. */
static bool ctg_close_enough(const char *word, unsigned int d)
{
	size_t n = strlen(word);

	return d <= 2 || (d <= 3 && n >= 6);
}

/*
 * Split @str at commas, trimming blanks, and call @fn on each word. Empty
 * words ("a,,b", a trailing comma) are errors: they are usually typos.
 */
static int ctg_for_each_word(const char *str, const char *what,
			     int (*fn)(const char *word, void *data),
			     void *data, char *err, size_t errlen)
{
	const char *p = str;

	if (!str)
		return ctg_perr(err, errlen, "missing %s list", what);
	for (;;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char word[CTG_WORD_MAX + 1];
		int ret;

		while (n && isspace((unsigned char)*p)) {
			p++;
			n--;
		}
		while (n && isspace((unsigned char)p[n - 1]))
			n--;
		if (!n)
			return ctg_perr(err, errlen, "empty %s name in '%s'",
					what, str);
		if (n > CTG_WORD_MAX)
			return ctg_perr(err, errlen, "%s name too long in '%s'",
					what, str);
		memcpy(word, p, n);
		word[n] = '\0';
		ret = fn(word, data);
		if (ret < 0)
			return ret;
		if (!end)
			return 0;
		p = end + 1;
	}
}

struct ctg_word_ctx {
	uint64_t mask;
	char *err;
	size_t errlen;
};

static int ctg_class_word(const char *word, void *data)
{
	struct ctg_word_ctx *ctx = data;
	const char *best = NULL;
	unsigned int best_d = ~0U;
	size_t i;

	if (!strcasecmp(word, "all")) {
		ctx->mask |= __CTGUARD_CLASS_ALL;
		return 0;
	}
	for (i = 0; i < sizeof(ctg_classes) / sizeof(ctg_classes[0]); i++) {
		unsigned int d;

		if (!(ctg_classes[i].bit & __CTGUARD_CLASS_ALL))
			continue;
		if (!strcasecmp(word, ctg_classes[i].name)) {
			ctx->mask |= ctg_classes[i].bit;
			return 0;
		}
		d = ctg_distance(word, ctg_classes[i].name);
		if (d < best_d) {
			best_d = d;
			best = ctg_classes[i].name;
		}
	}
	if (!strcasecmp(word, "cap") || !strcasecmp(word, "caps"))
		return ctg_perr(ctx->err, ctx->errlen,
				"'%s' is not a class: deny capabilities with --deny-cap",
				word);
	if (best && ctg_close_enough(word, best_d))
		return ctg_perr(ctx->err, ctx->errlen,
				"unknown class '%s' (did you mean '%s'?)", word,
				best);
	return ctg_perr(ctx->err, ctx->errlen,
			"unknown class '%s' (classes: mount, rawsock, dmesg, mknod, devices, userns, all)",
			word);
}

int ctguard_parse_classes(const char *str, uint32_t *mask, char *err,
			  size_t errlen)
{
	struct ctg_word_ctx ctx = { .err = err, .errlen = errlen };
	int ret;

	ret = ctg_for_each_word(str, "class", ctg_class_word, &ctx, err,
				errlen);
	if (ret < 0)
		return ret;
	*mask = (uint32_t)ctx.mask;
	return 0;
}

const char *ctguard_class_name(uint32_t class)
{
	size_t i;

	for (i = 0; i < sizeof(ctg_classes) / sizeof(ctg_classes[0]); i++)
		if (ctg_classes[i].bit == class)
			return ctg_classes[i].name;
	return NULL;
}

/* Append @word to the comma list in @buf; -ENOSPC when it does not fit. */
static int ctg_append(char *buf, size_t len, size_t *pos, const char *word)
{
	int n;

	if (*pos >= len)
		return -ENOSPC;
	n = snprintf(buf + *pos, len - *pos, "%s%s", *pos ? "," : "", word);
	if (n < 0 || (size_t)n >= len - *pos)
		return -ENOSPC;
	*pos += n;
	return 0;
}

int ctguard_format_classes(uint32_t mask, char *buf, size_t len)
{
	size_t pos = 0;
	unsigned int bit;
	int ret;

	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	for (bit = 0; bit < 32; bit++) {
		const char *name;
		char tmp[16];

		if (!(mask & (1U << bit)))
			continue;
		name = ctguard_class_name(1U << bit);
		if (!name) {
			snprintf(tmp, sizeof(tmp), "class_%u", bit);
			name = tmp;
		}
		ret = ctg_append(buf, len, &pos, name);
		if (ret)
			return ret;
	}
	return 0;
}

unsigned int ctguard_cap_last(void)
{
	return CTG_CAP_LAST;
}

uint64_t ctguard_caps_all(void)
{
	return CTG_CAP_LAST >= 63 ? ~0ULL : (1ULL << (CTG_CAP_LAST + 1)) - 1;
}

const char *ctguard_cap_name(unsigned int cap)
{
	return cap <= CTG_CAP_LAST ? ctg_cap_names[cap] : NULL;
}

int ctguard_cap_from_name(const char *name)
{
	unsigned int i;

	if (!strncasecmp(name, "cap_", 4))
		name += 4;
	for (i = 0; i <= CTG_CAP_LAST; i++)
		if (!strcasecmp(name, ctg_cap_names[i]))
			return (int)i;
	return -EINVAL;
}

static int ctg_cap_word(const char *word, void *data)
{
	struct ctg_word_ctx *ctx = data;
	const char *bare = word, *best = NULL;
	unsigned int i, best_d = ~0U;
	int cap;

	if (!strcasecmp(word, "all")) {
		ctx->mask |= ctguard_caps_all();
		return 0;
	}
	cap = ctguard_cap_from_name(word);
	if (cap >= 0) {
		ctx->mask |= 1ULL << cap;
		return 0;
	}
	if (!strncasecmp(bare, "cap_", 4))
		bare += 4;
	for (i = 0; i <= CTG_CAP_LAST; i++) {
		unsigned int d = ctg_distance(bare, ctg_cap_names[i]);

		if (d < best_d) {
			best_d = d;
			best = ctg_cap_names[i];
		}
	}
	if (best && ctg_close_enough(bare, best_d))
		return ctg_perr(ctx->err, ctx->errlen,
				"unknown capability '%s' (did you mean '%s'?)",
				word, best);
	return ctg_perr(ctx->err, ctx->errlen,
			"unknown capability '%s' (names as in capabilities(7), e.g. sys_admin or CAP_SYS_ADMIN, or all)",
			word);
}

int ctguard_parse_caps(const char *str, uint64_t *mask, char *err,
		       size_t errlen)
{
	struct ctg_word_ctx ctx = { .err = err, .errlen = errlen };
	int ret;

	ret = ctg_for_each_word(str, "capability", ctg_cap_word, &ctx, err,
				errlen);
	if (ret < 0)
		return ret;
	*mask = ctx.mask;
	return 0;
}

int ctguard_format_caps(uint64_t mask, char *buf, size_t len)
{
	size_t pos = 0;
	unsigned int cap;
	int ret;

	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	for (cap = 0; cap < 64; cap++) {
		const char *name;
		char tmp[16];

		if (!(mask & (1ULL << cap)))
			continue;
		name = ctguard_cap_name(cap);
		if (!name) {
			snprintf(tmp, sizeof(tmp), "cap_%u", cap);
			name = tmp;
		}
		ret = ctg_append(buf, len, &pos, name);
		if (ret)
			return ret;
	}
	return 0;
}

/* A decimal device number or '*'; advances *@p past it. */
static int ctg_dev_number(const char **p, uint32_t max, uint32_t *out)
{
	unsigned long v = 0;
	const char *s = *p;

	if (*s == '*') {
		*out = CTGUARD_DEV_ANY;
		*p = s + 1;
		return 0;
	}
	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	while (isdigit((unsigned char)*s)) {
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > max)
			return -ERANGE;
		s++;
	}
	*out = (uint32_t)v;
	*p = s;
	return 0;
}

int ctguard_parse_dev_rule(const char *str, struct ctguard_dev_rule *rule,
			   char *err, size_t errlen)
{
	struct ctguard_dev_rule r = {
		.major = CTGUARD_DEV_ANY,
		.minor = CTGUARD_DEV_ANY,
		.access = __CTGUARD_DEV_ACCESS_ALL,
	};
	const char *p = str;
	int ret;

	if (!str)
		return ctg_perr(err, errlen, "missing device rule");
	while (isspace((unsigned char)*p))
		p++;
	switch (*p) {
	case 'a':
		r.type = CTGUARD_DEV_ALL;
		break;
	case 'b':
		r.type = CTGUARD_DEV_BLOCK;
		break;
	case 'c':
		r.type = CTGUARD_DEV_CHAR;
		break;
	default:
		return ctg_perr(err, errlen,
				"device rule '%s': type must be 'c', 'b' or 'a' (e.g. 'c 1:3 rwm')",
				str);
	}
	p++;
	if (*p && !isspace((unsigned char)*p))
		return ctg_perr(err, errlen,
				"device rule '%s': expected a blank after the type",
				str);
	while (isspace((unsigned char)*p))
		p++;
	/* "a" alone, like the v1 controller's "a", grants everything. */
	if (!*p) {
		if (r.type != CTGUARD_DEV_ALL)
			return ctg_perr(err, errlen,
					"device rule '%s': missing MAJOR:MINOR (use '*' for any)",
					str);
		goto out;
	}
	ret = ctg_dev_number(&p, CTG_MAJOR_MAX, &r.major);
	if (ret)
		return ctg_perr(err, errlen,
				"device rule '%s': %s major (a number up to %u or '*')",
				str, ret == -ERANGE ? "out of range" : "bad",
				CTG_MAJOR_MAX);
	if (*p != ':')
		return ctg_perr(err, errlen,
				"device rule '%s': expected ':' between major and minor",
				str);
	p++;
	ret = ctg_dev_number(&p, CTG_MINOR_MAX, &r.minor);
	if (ret)
		return ctg_perr(err, errlen,
				"device rule '%s': %s minor (a number up to %u or '*')",
				str, ret == -ERANGE ? "out of range" : "bad",
				CTG_MINOR_MAX);
	/* Like the module: 'a' means every device, so numbers make no sense. */
	if (r.type == CTGUARD_DEV_ALL &&
	    (r.major != CTGUARD_DEV_ANY || r.minor != CTGUARD_DEV_ANY))
		return ctg_perr(err, errlen,
				"device rule '%s': type 'a' covers every device; use '*:*' or a 'c'/'b' rule",
				str);
	if (*p && !isspace((unsigned char)*p))
		return ctg_perr(err, errlen,
				"device rule '%s': expected a blank before the access",
				str);
	while (isspace((unsigned char)*p))
		p++;
	/* No access given means all of them, as for "a". */
	if (*p) {
		r.access = 0;
		for (; *p && !isspace((unsigned char)*p); p++) {
			uint8_t bit;

			switch (*p) {
			case 'r':
				bit = CTGUARD_DEV_READ;
				break;
			case 'w':
				bit = CTGUARD_DEV_WRITE;
				break;
			case 'm':
				bit = CTGUARD_DEV_MKNOD;
				break;
			default:
				return ctg_perr(err, errlen,
						"device rule '%s': access '%c' is not one of r, w, m",
						str, *p);
			}
			if (r.access & bit)
				return ctg_perr(err, errlen,
						"device rule '%s': access '%c' given twice",
						str, *p);
			r.access |= bit;
		}
		while (isspace((unsigned char)*p))
			p++;
		if (*p)
			return ctg_perr(err, errlen,
					"device rule '%s': unexpected '%s' after the access",
					str, p);
	}
out:
	*rule = r;
	return 0;
}

int ctguard_format_dev_access(uint8_t access, char *buf, size_t len)
{
	size_t n = 0;

	if (len < 4)
		return -ENOSPC;
	if (access & CTGUARD_DEV_READ)
		buf[n++] = 'r';
	if (access & CTGUARD_DEV_WRITE)
		buf[n++] = 'w';
	if (access & CTGUARD_DEV_MKNOD)
		buf[n++] = 'm';
	buf[n] = '\0';
	return 0;
}

int ctguard_format_dev_rule(const struct ctguard_dev_rule *rule, char *buf,
			    size_t len)
{
	char major[12], minor[12], access[4];
	int n;

	if (rule->major == CTGUARD_DEV_ANY)
		strcpy(major, "*");
	else
		snprintf(major, sizeof(major), "%u", rule->major);
	if (rule->minor == CTGUARD_DEV_ANY)
		strcpy(minor, "*");
	else
		snprintf(minor, sizeof(minor), "%u", rule->minor);
	ctguard_format_dev_access(rule->access, access, sizeof(access));
	n = snprintf(buf, len, "%c %s:%s %s",
		     isprint(rule->type) ? rule->type : '?', major, minor,
		     access);
	return n < 0 || (size_t)n >= len ? -ENOSPC : 0;
}

int ctguard_parse_mode(const char *str, uint8_t *mode, char *err,
		       size_t errlen)
{
	if (str && !strcasecmp(str, "enforce")) {
		*mode = CTGUARD_MODE_ENFORCE;
		return 0;
	}
	if (str && !strcasecmp(str, "complain")) {
		*mode = CTGUARD_MODE_COMPLAIN;
		return 0;
	}
	return ctg_perr(err, errlen,
			"unknown mode '%s' (modes: enforce, complain)",
			str ? str : "");
}

const char *ctguard_mode_name(uint8_t mode)
{
	switch (mode) {
	case CTGUARD_MODE_ENFORCE:
		return "enforce";
	case CTGUARD_MODE_COMPLAIN:
		return "complain";
	}
	return NULL;
}

const char *ctguard_verdict_name(uint8_t verdict)
{
	switch (verdict) {
	case CTGUARD_VERDICT_DENIED:
		return "denied";
	case CTGUARD_VERDICT_COMPLAINED:
		return "complained";
	}
	return NULL;
}

const char *ctguard_hook_state_name(uint8_t state)
{
	switch (state) {
	case CTGUARD_HOOK_DISARMED:
		return "disarmed";
	case CTGUARD_HOOK_ARMED:
		return "armed";
	case CTGUARD_HOOK_UNAVAILABLE:
		return "unavailable";
	}
	return NULL;
}

const char *ctguard_mount_op_name(uint8_t op)
{
	static const char *const names[] = {
		[CTGUARD_MOUNT_OP_MOUNT] = "mount",
		[CTGUARD_MOUNT_OP_UMOUNT] = "umount",
		[CTGUARD_MOUNT_OP_PIVOT_ROOT] = "pivot_root",
		[CTGUARD_MOUNT_OP_MOVE_MOUNT] = "move_mount",
		[CTGUARD_MOUNT_OP_FSOPEN] = "fsopen",
		[CTGUARD_MOUNT_OP_FSPICK] = "fspick",
		[CTGUARD_MOUNT_OP_FSMOUNT] = "fsmount",
		[CTGUARD_MOUNT_OP_OPEN_TREE] = "open_tree",
		[CTGUARD_MOUNT_OP_MOUNT_SETATTR] = "mount_setattr",
		[CTGUARD_MOUNT_OP_FSCONFIG] = "fsconfig",
	};

	return op < sizeof(names) / sizeof(names[0]) ? names[op] : NULL;
}
