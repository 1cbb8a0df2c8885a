// SPDX-License-Identifier: GPL-2.0
/*
 * JSON output, built with json-c (which does the escaping). The schema is
 * a stable interface documented in docs/cli.md: add keys, never rename or
 * retype one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void add(struct json_object *o, const char *key, struct json_object *v)
{
	json_object_object_add(o, key, v);
}

/* Length of the valid UTF-8 sequence at @s, or 0. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are invalid. */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/*
 * Kernel strings (comm, paths) are bytes, JSON text is UTF-8: replace what
 * is not valid UTF-8 with U+FFFD so that every parser accepts the output.
 * json-c escapes the quotes and control characters.
 */
static struct json_object *str(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	struct json_object *o;
	size_t len = strlen(s), o_len = 0, n;
	char *buf;

	for (n = 0; n < len;) {
		size_t l = utf8_len(p + n);

		if (!l)
			break;
		n += l;
	}
	if (n == len)
		return json_object_new_string(s);
	buf = malloc(len * 3 + 1);
	if (!buf)
		return NULL;
	for (n = 0; n < len;) {
		size_t l = utf8_len(p + n);

		if (l) {
			memcpy(buf + o_len, p + n, l);
			o_len += l;
			n += l;
		} else {
			memcpy(buf + o_len, "\xef\xbf\xbd", 3);
			o_len += 3;
			n++;
		}
	}
	o = json_object_new_string_len(buf, (int)o_len);
	free(buf);
	return o;
}

static struct json_object *str_or_null(const char *s)
{
	return s ? str(s) : NULL;
}

static struct json_object *u64(uint64_t v)
{
	return json_object_new_uint64(v);
}

/* Names of the bits set in a class mask, as an array. */
static struct json_object *json_classes(uint32_t mask)
{
	struct json_object *a = json_object_new_array();
	unsigned int bit;

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
		json_object_array_add(a, json_object_new_string(name));
	}
	return a;
}

static struct json_object *json_caps(uint64_t mask)
{
	struct json_object *a = json_object_new_array();
	unsigned int cap;

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
		json_object_array_add(a, json_object_new_string(name));
	}
	return a;
}

struct json_object *json_stats(const struct ctguard_stats *st)
{
	struct json_object *o = json_object_new_object();

	add(o, "denied", u64(st->denied));
	add(o, "complained", u64(st->complained));
	add(o, "log_suppressed", u64(st->log_suppressed));
	add(o, "events_lost", u64(st->events_lost));
	return o;
}

struct json_object *json_dev_rule(const struct ctguard_dev_rule *r)
{
	struct json_object *o = json_object_new_object();
	char rule[64], access[4], type[2] = { (char)r->type, '\0' };

	ctguard_format_dev_rule(r, rule, sizeof(rule));
	ctguard_format_dev_access(r->access, access, sizeof(access));
	add(o, "rule", json_object_new_string(rule));
	add(o, "type", json_object_new_string(type));
	/* null is the wildcard '*' */
	add(o, "major", r->major == CTGUARD_DEV_ANY ? NULL : u64(r->major));
	add(o, "minor", r->minor == CTGUARD_DEV_ANY ? NULL : u64(r->minor));
	add(o, "access", json_object_new_string(access));
	return o;
}

struct json_object *json_policy(const struct ctguard_policy_info *info)
{
	const struct ctguard_policy *p = &info->policy;
	struct json_object *o = json_object_new_object(), *devs;
	size_t i;

	add(o, "id", u64(info->cgroup_id));
	add(o, "path", str_or_null(info->path));
	add(o, "mode", str_or_null(ctguard_mode_name(p->mode)));
	add(o, "pending", json_object_new_boolean(info->pending));
	add(o, "deny", json_classes(p->deny));
	add(o, "deny_caps", json_caps(p->deny_caps));
	devs = json_object_new_array();
	for (i = 0; i < p->nr_devices; i++)
		json_object_array_add(devs, json_dev_rule(&p->devices[i]));
	add(o, "devices", devs);
	add(o, "stats", json_stats(&info->stats));
	add(o, "rule", str_or_null(info->rule));
	return o;
}

struct json_object *json_rule(const struct ctguard_rule_info *r)
{
	const struct ctguard_policy *p = &r->policy;
	struct json_object *o = json_object_new_object(), *devs;
	size_t i;

	add(o, "pattern", str(r->pattern));
	add(o, "mode", str_or_null(ctguard_mode_name(p->mode)));
	add(o, "deny", json_classes(p->deny));
	add(o, "deny_caps", json_caps(p->deny_caps));
	devs = json_object_new_array();
	for (i = 0; i < p->nr_devices; i++)
		json_object_array_add(devs, json_dev_rule(&p->devices[i]));
	add(o, "devices", devs);
	add(o, "on_exec", json_object_new_boolean(r->on_exec));
	add(o, "matched", u64(r->matched));
	return o;
}

struct json_object *json_hook(const struct ctguard_hook *hk)
{
	struct json_object *o = json_object_new_object();

	add(o, "name", str(hk->name));
	add(o, "class", str_or_null(ctguard_class_name(hk->class)));
	add(o, "state", str_or_null(ctguard_hook_state_name(hk->state)));
	add(o, "hits", u64(hk->hits));
	add(o, "missed", u64(hk->missed));
	return o;
}

struct json_object *json_cgroup_stats(const struct ctguard_cgroup_stats *st)
{
	struct json_object *o = json_object_new_object();

	add(o, "id", u64(st->cgroup_id));
	add(o, "path", str_or_null(st->path));
	add(o, "stats", json_stats(&st->stats));
	return o;
}

struct json_object *json_event(const struct ctguard_event *ev,
			       const struct timespec *ts, const char *path,
			       const char *policy_path,
			       const char *target_path)
{
	struct json_object *o = json_object_new_object();
	char time[64];

	format_time(ts, time, sizeof(time));
	add(o, "type", json_object_new_string("event"));
	add(o, "time", json_object_new_string(time));
	add(o, "verdict", str_or_null(ctguard_verdict_name(ev->verdict)));
	add(o, "class", str_or_null(ctguard_class_name(ev->class)));
	add(o, "cgroup_id", u64(ev->cgroup_id));
	add(o, "cgroup", str_or_null(path));
	if (ev->present & CTGUARD_EV_POLICY_CGROUP) {
		add(o, "policy_cgroup_id", u64(ev->policy_cgroup_id));
		add(o, "policy_cgroup", str_or_null(policy_path));
	}
	add(o, "pid", u64(ev->pid));
	add(o, "tgid", u64(ev->tgid));
	add(o, "uid", u64(ev->uid));
	add(o, "comm", str(ev->comm));
	if (ev->present & CTGUARD_EV_CAP) {
		add(o, "cap", str_or_null(ctguard_cap_name(ev->cap)));
		add(o, "cap_number", u64(ev->cap));
	}
	if (ev->present & CTGUARD_EV_MOUNT_OP)
		add(o, "mount_op", str_or_null(ctguard_mount_op_name(ev->mount_op)));
	if (ev->present & CTGUARD_EV_FSTYPE)
		add(o, "fstype", str(ev->fstype));
	if (ev->present & CTGUARD_EV_MOUNT_FLAGS)
		add(o, "mount_flags", u64(ev->mount_flags));
	if (ev->present & CTGUARD_EV_SOCK) {
		add(o, "sock_family", u64(ev->sock_family));
		add(o, "sock_type", u64(ev->sock_type));
		add(o, "sock_protocol", u64(ev->sock_protocol));
	}
	if (ev->present & CTGUARD_EV_SYSLOG_ACTION)
		add(o, "syslog_action", u64(ev->syslog_action));
	if (ev->present & CTGUARD_EV_DEVICE)
		add(o, "device", json_dev_rule(&ev->dev));
	if (ev->present & CTGUARD_EV_TARGET_CGROUP) {
		add(o, "target_cgroup_id", u64(ev->target_cgroup_id));
		add(o, "target_cgroup", str_or_null(target_path));
	}
	return o;
}

struct json_object *json_events_lost(const struct timespec *ts)
{
	struct json_object *o = json_object_new_object();
	char time[64];

	format_time(ts, time, sizeof(time));
	add(o, "type", json_object_new_string("lost"));
	add(o, "time", json_object_new_string(time));
	return o;
}

int json_print(struct json_object *o)
{
	const char *s;
	int ret = 0;

	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
					       JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!s || puts(s) < 0)
		ret = -EIO;
	json_object_put(o);
	return ret;
}
