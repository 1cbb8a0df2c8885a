// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the command's output: the JSON documents (parsed back with
 * json-c's strict parser), escaping of hostile strings, tables and event
 * lines.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli.h"
#include "tap.h"

/* Serialise like json_print() does, and parse back strictly. */
static struct json_object *round_trip(struct json_object *o, char **text)
{
	const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
						       JSON_C_TO_STRING_NOSLASHESCAPE);
	struct json_tokener *tok = json_tokener_new();
	struct json_object *back;

	*text = strdup(s);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	back = json_tokener_parse_ex(tok, *text, (int)strlen(*text) + 1);
	if (json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(back);
		back = NULL;
	}
	json_tokener_free(tok);
	json_object_put(o);
	return back;
}

static struct json_object *get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	return json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static const char *sget(struct json_object *o, const char *key)
{
	struct json_object *v = get(o, key);

	return v && json_object_is_type(v, json_type_string) ?
	       json_object_get_string(v) : NULL;
}

static uint64_t uget(struct json_object *o, const char *key)
{
	struct json_object *v = get(o, key);

	return v ? json_object_get_uint64(v) : 0xdeadbeef;
}

static void test_policy(void)
{
	struct ctguard_dev_rule r1 = { 'c', CTGUARD_DEV_READ | CTGUARD_DEV_WRITE, 136, CTGUARD_DEV_ANY };
	struct ctguard_dev_rule r2 = { 'a', 7, CTGUARD_DEV_ANY, CTGUARD_DEV_ANY };
	struct ctguard_policy_info info = { 0 };
	struct json_object *o, *a, *d, *st;
	char *text;

	ctguard_policy_init(&info.policy);
	info.cgroup_id = 12345678901ULL;
	info.path = strdup("/we\"ird\\path/with\nnewline\x01/\xff\xfe/é");
	info.policy.deny = CTGUARD_CLASS_MOUNT | CTGUARD_CLASS_USERNS;
	info.policy.deny_caps = (1ULL << 21) | (1ULL << 12);
	info.policy.mode = CTGUARD_MODE_COMPLAIN;
	ctguard_policy_add_dev(&info.policy, &r1);
	ctguard_policy_add_dev(&info.policy, &r2);
	info.stats.denied = 3;
	info.stats.events_lost = 18446744073709551615ULL;

	o = round_trip(json_policy(&info), &text);
	ok(o, "policy JSON parses back strictly (valid UTF-8)");
	ok(!strchr(text, '\n'), "one line despite a newline in the path");
	if (o) {
		is_u64(uget(o, "id"), 12345678901ULL, "id");
		is_str(sget(o, "path"), "/we\"ird\\path/with\nnewline\x01/\xef\xbf\xbd\xef\xbf\xbd/é",
		       "path escaped and invalid UTF-8 replaced");
		is_str(sget(o, "mode"), "complain", "mode");
		a = get(o, "deny");
		ok(a && json_object_array_length(a) == 2 &&
		   !strcmp(json_object_get_string(json_object_array_get_idx(a, 0)), "mount") &&
		   !strcmp(json_object_get_string(json_object_array_get_idx(a, 1)), "userns"),
		   "deny is [mount, userns]");
		a = get(o, "deny_caps");
		ok(a && json_object_array_length(a) == 2 &&
		   !strcmp(json_object_get_string(json_object_array_get_idx(a, 0)), "net_admin") &&
		   !strcmp(json_object_get_string(json_object_array_get_idx(a, 1)), "sys_admin"),
		   "deny_caps is [net_admin, sys_admin]");
		a = get(o, "devices");
		ok(a && json_object_array_length(a) == 2, "two devices");
		d = a ? json_object_array_get_idx(a, 0) : NULL;
		is_str(sget(d, "rule"), "c 136:* rw", "rule string");
		is_str(sget(d, "type"), "c", "rule type");
		is_u64(uget(d, "major"), 136, "rule major");
		ok(d && get(d, "minor") == NULL && json_object_object_get_ex(d, "minor", NULL),
		   "wildcard minor is null");
		is_str(sget(d, "access"), "rw", "rule access");
		d = a ? json_object_array_get_idx(a, 1) : NULL;
		is_str(sget(d, "rule"), "a *:* rwm", "'a' rule string");
		st = get(o, "stats");
		is_u64(uget(st, "denied"), 3, "stats.denied");
		is_u64(uget(st, "complained"), 0, "stats.complained");
		is_u64(uget(st, "events_lost"), 18446744073709551615ULL, "u64 max survives");
		ok(json_object_object_get_ex(st, "log_suppressed", NULL), "stats.log_suppressed present");
	}
	json_object_put(o);
	free(text);

	/* No path known: null, not a missing key. */
	free(info.path);
	info.path = NULL;
	o = round_trip(json_policy(&info), &text);
	ok(o && json_object_object_get_ex(o, "path", NULL) && !get(o, "path"), "unknown path is null");
	ok(o && json_object_object_get_ex(o, "rule", NULL) && !get(o, "rule"),
	   "explicit policy: rule is null");
	json_object_put(o);
	free(text);
	info.rule = strdup("/system.slice/docker-*.scope");
	o = round_trip(json_policy(&info), &text);
	is_str(sget(o, "rule"), "/system.slice/docker-*.scope", "derived policy: rule pattern");
	json_object_put(o);
	free(text);
	ctguard_policy_info_release(&info);
}

static void test_rule(void)
{
	struct ctguard_dev_rule r1 = { 'c', 7, 1, 3 };
	struct ctguard_rule_info ri = { 0 };
	struct json_object *o, *a;
	char *text;

	ctguard_policy_init(&ri.policy);
	ri.pattern = strdup("/system.slice/docker-*.scope");
	ri.policy.deny = CTGUARD_CLASS_RAWSOCK;
	ri.policy.mode = CTGUARD_MODE_ENFORCE;
	ctguard_policy_add_dev(&ri.policy, &r1);
	ri.matched = 18446744073709551615ULL;
	ri.on_exec = true;
	o = round_trip(json_rule(&ri), &text);
	ok(o, "rule JSON parses back");
	is_str(sget(o, "pattern"), "/system.slice/docker-*.scope", "pattern");
	is_str(sget(o, "mode"), "enforce", "rule mode");
	a = get(o, "deny");
	ok(a && json_object_array_length(a) == 1 &&
	   !strcmp(json_object_get_string(json_object_array_get_idx(a, 0)), "rawsock"),
	   "rule deny is [rawsock]");
	a = get(o, "deny_caps");
	ok(a && json_object_array_length(a) == 0, "rule deny_caps is []");
	a = get(o, "devices");
	ok(a && json_object_array_length(a) == 1, "one device");
	is_u64(uget(o, "matched"), 18446744073709551615ULL, "matched, full 64 bits");
	ok(o && json_object_get_boolean(get(o, "on_exec")), "on_exec is true");
	ok(o && json_object_object_length(o) == 7, "exactly the documented keys");
	json_object_put(o);
	free(text);
	ctguard_rule_info_release(&ri);
}

static void test_event(void)
{
	struct ctguard_event ev = { 0 };
	struct timespec ts = { 1700000000, 123456789 };
	struct json_object *o, *d;
	char *text, line[512];

	ev.cgroup_id = 9;
	ev.policy_cgroup_id = 8;
	ev.present = CTGUARD_EV_POLICY_CGROUP | CTGUARD_EV_CAP;
	ev.pid = 10;
	ev.tgid = 10;
	ev.uid = 0;
	memcpy(ev.comm, "a\"b\\c\td\x80", 9);
	ev.class = CTGUARD_CLASS_CAP;
	ev.verdict = CTGUARD_VERDICT_DENIED;
	ev.cap = 21;
	o = round_trip(json_event(&ev, &ts, "/x", "/", NULL), &text);
	ok(o, "event JSON parses back");
	is_str(sget(o, "type"), "event", "type event");
	is_str(sget(o, "verdict"), "denied", "verdict");
	is_str(sget(o, "class"), "cap", "class");
	is_str(sget(o, "cap"), "sys_admin", "cap name");
	is_u64(uget(o, "cap_number"), 21, "cap number");
	is_str(sget(o, "comm"), "a\"b\\c\td\xef\xbf\xbd", "comm escaped");
	is_str(sget(o, "cgroup"), "/x", "cgroup path");
	is_str(sget(o, "policy_cgroup"), "/", "policy path");
	is_u64(uget(o, "policy_cgroup_id"), 8, "policy id");
	ok(!json_object_object_get_ex(o, "device", NULL), "no device key for a cap event");
	has_str(sget(o, "time"), "T", "time is RFC 3339");
	has_str(sget(o, "time"), ".123", "time has milliseconds");
	json_object_put(o);
	free(text);

	memset(&ev, 0, sizeof(ev));
	ev.class = CTGUARD_CLASS_DEVICES;
	ev.present = CTGUARD_EV_DEVICE;
	ev.dev = (struct ctguard_dev_rule){ 'c', CTGUARD_DEV_WRITE, 1, 1 };
	o = round_trip(json_event(&ev, &ts, NULL, NULL, NULL), &text);
	d = get(o, "device");
	is_str(sget(d, "rule"), "c 1:1 w", "device event rule");
	ok(o && json_object_object_get_ex(o, "cgroup", NULL) && !get(o, "cgroup"), "unknown cgroup path is null");
	json_object_put(o);
	free(text);

	o = round_trip(json_events_lost(&ts), &text);
	is_str(sget(o, "type"), "lost", "lost marker");
	json_object_put(o);
	free(text);

	memset(&ev, 0, sizeof(ev));
	ev.class = CTGUARD_CLASS_RAWSOCK;
	ev.present = CTGUARD_EV_SOCK;
	ev.sock_family = AF_PACKET;
	ev.sock_type = SOCK_RAW;
	ev.sock_protocol = 768;
	format_event_detail(&ev, NULL, line, sizeof(line));
	is_str(line, " family=packet type=raw protocol=768", "rawsock detail");
	ev.class = CTGUARD_CLASS_DMESG;
	ev.present = CTGUARD_EV_SYSLOG_ACTION;
	ev.syslog_action = 3;
	format_event_detail(&ev, NULL, line, sizeof(line));
	is_str(line, " action=read_all", "dmesg detail");
	ev.present = CTGUARD_EV_MOUNT_OP | CTGUARD_EV_FSTYPE | CTGUARD_EV_MOUNT_FLAGS;
	ev.mount_op = CTGUARD_MOUNT_OP_MOUNT;
	strcpy(ev.fstype, "my fs");
	ev.mount_flags = 0x20;
	format_event_detail(&ev, NULL, line, sizeof(line));
	is_str(line, " op=mount fstype=my\\x20fs flags=0x20", "mount detail, blank escaped");
	ev.present = CTGUARD_EV_TARGET_CGROUP;
	ev.target_cgroup_id = 77;
	format_event_detail(&ev, NULL, line, sizeof(line));
	is_str(line, " target_id=77", "cgroup detail without path");
	format_event_detail(&ev, "/t", line, sizeof(line));
	is_str(line, " target=/t", "cgroup detail with path");
	format_event_detail(&ev, "/t", line, 5);
	is_int((int)strlen(line), 4, "detail truncated to the buffer");
}

static void test_words(void)
{
	char buf[64];

	format_word("plain-word_1", buf, sizeof(buf));
	is_str(buf, "plain-word_1", "plain word unchanged");
	format_word("a b=c\"d\\", buf, sizeof(buf));
	is_str(buf, "a\\x20b\\x3dc\\x22d\\x5c", "blank, =, quote, backslash escaped");
	format_word("\x1b[31m", buf, sizeof(buf));
	is_str(buf, "\\x1b[31m", "escape sequence defused");
	format_word("abcdefghij", buf, 8);
	is_int((int)strlen(buf) < 8, 1, "truncated within the buffer");
}

/* Print a table into a temporary file and compare the exact text. */
static void test_table(void)
{
	static const char *const hdr[] = { "ID", "NAME", "PATH" };
	static const bool right[] = { true, false, false };
	const char *r1[] = { "1", "alpha", "/a" };
	const char *r2[] = { "12345", "b", "/b/c" };
	struct table *t = table_new(3, hdr, right);
	char out[256] = "";
	FILE *f = tmpfile();
	size_t n;

	table_add(t, r1);
	table_add(t, r2);
	table_print(t, f);
	table_free(t);
	rewind(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	fclose(f);
	is_str(out,
	       "   ID  NAME   PATH\n"
	       "    1  alpha  /a\n"
	       "12345  b      /b/c\n",
	       "aligned table, numbers right, last column unpadded");
}

/* json_print() writes exactly one line to stdout. */
static void test_print(void)
{
	struct json_object *o = json_object_new_object();
	int fds[2], saved, ret;
	char buf[256] = "";
	ssize_t n;

	json_object_object_add(o, "k", json_object_new_string("a/b\n"));
	fflush(stdout);
	saved = dup(1);
	if (pipe(fds) || saved < 0) {
		ok(0, "pipe");
		return;
	}
	dup2(fds[1], 1);
	ret = json_print(o);
	fflush(stdout);
	dup2(saved, 1);
	is_int(ret, 0, "json_print succeeds");
	close(saved);
	close(fds[1]);
	n = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	buf[n > 0 ? n : 0] = '\0';
	is_str(buf, "{\"k\":\"a/b\\n\"}\n", "one line, slash not escaped, newline escaped");
}

int main(void)
{
	/* Times are printed in local time; pin the zone for the checks. */
	setenv("TZ", "UTC", 1);
	tzset();
	test_policy();
	test_rule();
	test_event();
	test_words();
	test_table();
	test_print();
	return tap_done();
}
