// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the configuration parser of `ctguard apply` (config.c). */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>

#include <linux/capability.h>

#include "config.h"
#include "tap.h"

static struct ctguard *h;

/* Parse @text as "t.conf" and resolve it; returns the number of errors. */
static size_t load(struct cfg *c, const char *text)
{
	cfg_init(c, h);
	if (cfg_parse_text(c, "t.conf", text))
		return (size_t)-1;
	if (!c->nr_errors)
		cfg_resolve(c);
	return c->nr_errors;
}

/* The config has exactly one error, and it contains @want. */
static void one_error(const char *text, const char *want, const char *what)
{
	struct cfg c;
	size_t n = load(&c, text);

	is_int(n, 1, what);
	has_str(n >= 1 ? c.errors[0] : "", want, what);
	cfg_free(&c);
}

static void test_valid(void)
{
	struct ctguard_policy cont;
	struct cfg_section *s;
	char err[CTGUARD_ERRBUF_LEN];
	struct cfg c;

	ctguard_policy_init(&cont);
	ctguard_profile("container", &cont, err, sizeof(err));
	is_int(load(&c,
		    "# a comment\n"
		    "; another\n"
		    "\n"
		    "  [profile web]  \n"
		    "base-profile = container\n"
		    "allow = userns   # inline comment\n"
		    "deny-cap = net_raw\n"
		    "allow-dev = c 10:229 rwm, c 4:1 r\n"
		    "\n"
		    "[rule /system.slice/docker-*.scope]\n"
		    "profile = web\n"
		    "on-exec = yes\n"
		    "\n"
		    "[cgroup system.slice/x.service/]\n"
		    "deny = mount, rawsock\n"
		    "mode = complain\n"
		    "[cgroup \"/a b \"]\n"
		    "profile = CONTAINER\n"
		    "clear-dev = yes\n"
		    "allow-dev = a\n"), 0, "a valid config has no error");
	is_int(c.nr_secs, 4, "four sections");
	is_int(c.nr_files, 1, "one file");

	s = cfg_find(&c, CFG_PROFILE, "WEB");
	ok(s && s->line == 4, "profile names are case-insensitive; header at line 4");
	s = cfg_find(&c, CFG_RULE, "/system.slice/docker-*.scope");
	ok(s != NULL, "the rule is found by its pattern");
	if (s) {
		is_u64(s->policy.deny, __CTGUARD_CLASS_ALL & ~CTGUARD_CLASS_USERNS,
		       "rule: container's classes minus userns");
		is_u64(s->policy.deny_caps, cont.deny_caps | (1ULL << CAP_NET_RAW),
		       "rule: container's caps plus net_raw");
		is_int(s->policy.nr_devices, cont.nr_devices + 2,
		       "rule: container's devices plus two");
		is_int(s->policy.mode, CTGUARD_MODE_ENFORCE, "rule: enforce");
		is_u64(s->policy.fields, CTGUARD_POLICY_ALL, "rule: every field set");
		is_str(s->profile, "web", "rule: profile web");
		ok(s->on_exec, "rule: on-exec = yes");
		is_str(s->file, "t.conf", "rule: file name kept");
	}
	s = cfg_find(&c, CFG_CGROUP, "/system.slice/x.service");
	ok(s != NULL, "the cgroup path is normalised");
	if (s) {
		is_u64(s->policy.deny, CTGUARD_CLASS_MOUNT | CTGUARD_CLASS_RAWSOCK,
		       "cgroup: mount and rawsock");
		is_u64(s->policy.deny_caps, 0, "cgroup: no capability");
		is_int(s->policy.nr_devices, 0, "cgroup: no device rule");
		is_int(s->policy.mode, CTGUARD_MODE_COMPLAIN, "cgroup: complain");
	}
	s = cfg_find(&c, CFG_CGROUP, "/a b ");
	ok(s != NULL, "a quoted name keeps its blanks");
	if (s) {
		is_int(s->policy.nr_devices, 1, "clear-dev empties the profile's list");
		is_int(s->policy.devices[0].type, CTGUARD_DEV_ALL, "then 'a' is added");
	}
	cfg_free(&c);
	ctguard_policy_release(&cont);

	/* Keys apply in order, as the options of `ctguard set`. */
	is_int(load(&c, "[cgroup /a]\ndeny = all\nallow = mount\ndeny = mount,dmesg\n"
		    "allow-cap = all\ndeny-cap = sys_admin\n"), 0, "ordered keys");
	s = cfg_find(&c, CFG_CGROUP, "/a");
	ok(s && s->policy.deny == __CTGUARD_CLASS_ALL, "deny all, allow mount, deny mount again");
	ok(s && s->policy.deny_caps == (1ULL << CAP_SYS_ADMIN), "caps: only sys_admin");
	cfg_free(&c);

	/* A profile may start from one defined later, in another file. */
	cfg_init(&c, h);
	cfg_parse_text(&c, "1.conf", "[rule /r]\nprofile = b\n");
	cfg_parse_text(&c, "2.conf", "[profile b]\nbase-profile = a\ndeny = mount\n");
	cfg_parse_text(&c, "3.conf", "[profile a]\ndeny = dmesg\nmode = complain\n");
	is_int(cfg_resolve(&c), 0, "profiles resolve across files, in any order");
	s = cfg_find(&c, CFG_RULE, "/r");
	ok(s && s->policy.deny == (CTGUARD_CLASS_MOUNT | CTGUARD_CLASS_DMESG) &&
	   s->policy.mode == CTGUARD_MODE_COMPLAIN, "rule /r: a's and b's keys");
	ok(s && !s->on_exec, "rule /r: no on-exec unless said");
	is_int(c.nr_files, 3, "three files");
	cfg_free(&c);

	is_int(load(&c, ""), 0, "an empty file is a valid (empty) config");
	is_int(c.nr_secs, 0, "no section");
	cfg_free(&c);
}

static void test_errors(void)
{
	struct cfg c;

	one_error("deny = mount\n", "t.conf:1: 'deny' outside a section", "key outside a section");
	one_error("[cgroup /a]\ndeny = mount\n[rulez /x]\ndeny = all\n",
		  "t.conf:3: unknown section [rulez]", "unknown section type");
	one_error("[rule /x\n", "t.conf:1: section header without a closing ']'", "header without ]");
	one_error("[rule]\n", "t.conf:1: [rule] needs a pattern", "rule without a pattern");
	one_error("[rule x/y]\ndeny = all\n", "t.conf:1: [rule x/y]: a rule pattern is an absolute path", "relative pattern");
	one_error("[rule /x//y]\ndeny = all\n", "empty path component", "'//' in a pattern");
	one_error("[rule /x/../y]\ndeny = all\n", "'.' and '..' are not allowed", "'..' in a pattern");
	one_error("[rule /x/]\ndeny = all\n", "ends with '/'", "pattern with a trailing /");
	one_error("[rule /]\ndeny = all\n", "root cgroup cannot be confined", "rule on the root");
	one_error("[rule /caf\xc3\xa9]\ndeny = all\n", "only printable ASCII", "non-ASCII pattern");
	{
		char text[1400] = "[rule /", *p = text + strlen(text);

		memset(p, 'x', 256);
		strcpy(p + 256, "]\ndeny = all\n");
		one_error(text, "longer than 255 characters", "pattern component over 255");
		for (int i = 0; i < 6; i++) {
			memset(p + i * 201, 'y', 200);
			p[i * 201 + 200] = '/';
		}
		strcpy(p + 6 * 201 - 1, "]\ndeny = all\n");
		one_error(text, "too long (at most 1023", "pattern over 1023 characters");
	}
	one_error("[cgroup /a/..]\ndeny = all\n", "t.conf:1: [cgroup /]: the root cgroup cannot be confined", "cgroup that is the root");
	one_error("[cgroup ../x]\ndeny = all\n", "leaves the cgroup root", "cgroup above the root");
	one_error("[profile strict]\ndeny = all\n", "t.conf:1: [profile strict]: 'strict' is a built-in profile", "built-in profile redefined");
	one_error("[profile a b]\ndeny = all\n", "only letters, digits", "bad profile name");
	one_error("[rule /a]\n\n[rule /b]\ndeny = all\n", "t.conf:1: [rule /a] is empty", "empty section");
	one_error("[cgroup /a]\ndeny = all\n[cgroup a/]\ndeny = all\n",
		  "t.conf:3: [cgroup /a] is already defined at t.conf:1", "duplicate cgroup (after normalisation)");
	one_error("[profile p]\ndeny = all\n[profile P]\ndeny = all\n",
		  "t.conf:3: [profile P] is already defined at t.conf:1", "duplicate profile (any case)");
	one_error("[cgroup /a]\ndenny = all\n", "t.conf:2: unknown key 'denny'", "unknown key");
	one_error("[cgroup /a]\ndeny mount\n", "t.conf:2: expected 'KEY = VALUE'", "line without =");
	one_error("[cgroup /a]\ndeny =\n", "t.conf:2: deny: missing value", "empty value");
	one_error("[cgroup /a]\ndeny = mout\n", "t.conf:2: deny: unknown class 'mout' (did you mean 'mount'?)", "bad class");
	one_error("[cgroup /a]\ndeny-cap = sys_admn\n", "t.conf:2: deny-cap: unknown capability", "bad capability");
	one_error("[cgroup /a]\nallow-dev = c 1:3 rwm, x 1:2\n", "t.conf:2: allow-dev: device rule 'x 1:2'", "bad device rule in a list");
	one_error("[cgroup /a]\nmode = strict\n", "t.conf:2: mode: unknown mode", "bad mode");
	one_error("[cgroup /a]\nmode = enforce\nmode = complain\n", "t.conf:3: mode given twice in [cgroup /a] (first at line 2)", "mode twice");
	one_error("[cgroup /a]\nprofile = strict\nprofile = audit\n", "t.conf:3: profile given twice", "profile twice");
	one_error("[cgroup /a]\nclear-dev = maybe\n", "t.conf:2: clear-dev: 'maybe' is neither yes nor no", "bad clear-dev");
	one_error("[cgroup /a]\ndeny = all\non-exec = yes\n", "t.conf:3: on-exec in a [cgroup] section: it is a property of [rule] sections", "on-exec in a cgroup section");
	one_error("[rule /a]\ndeny = all\non-exec = maybe\n", "t.conf:3: on-exec: 'maybe' is neither yes nor no", "bad on-exec");
	one_error("[rule /a]\non-exec = no\ndeny = all\non-exec = yes\n", "t.conf:4: on-exec given twice in [rule /a] (first at line 2)", "on-exec twice");
	one_error("[cgroup /a]\nbase-profile = strict\n", "t.conf:2: 'base-profile' in a [cgroup] section: the starting profile is 'profile'", "base-profile in a cgroup section");
	one_error("[profile p]\nprofile = strict\n", "'profile' in a [profile] section: the starting profile is 'base-profile'", "profile in a profile section");
	one_error("[profile p]\nbase-profile = P\n", "t.conf:2: [profile p] cannot start from itself", "profile from itself");
	one_error("[cgroup /a]\nprofile = contaner\n", "t.conf:2: [cgroup /a]: profile: unknown profile 'contaner'", "unknown profile");
	one_error("[profile a]\nbase-profile = b\n[profile b]\nbase-profile = c\n[profile c]\nbase-profile = a\n[rule /x]\nprofile = a\n",
		  "base-profile makes a cycle: a -> b -> c -> a", "profile cycle, reported once");

	/* Errors after a wrong header are still found, and all are kept. */
	is_int(load(&c, "[rule /x/]\ndeny = mout\nmode = x\n"), 3, "keys under a wrong header are checked too");
	has_str(c.nr_errors == 3 ? c.errors[1] : "", "t.conf:2:", "second error at line 2");
	has_str(c.nr_errors == 3 ? c.errors[2] : "", "t.conf:3:", "third error at line 3");
	cfg_free(&c);

	/* A duplicate across files names both places. */
	cfg_init(&c, h);
	cfg_parse_text(&c, "/etc/ctguard/ctguard.conf", "[rule /r]\ndeny = all\n");
	cfg_parse_text(&c, "/etc/ctguard/conf.d/10-x.conf", "\n\n[rule /r]\ndeny = mount\n");
	is_int(c.nr_errors, 1, "duplicate rule in another file");
	has_str(c.nr_errors ? c.errors[0] : "", "/etc/ctguard/conf.d/10-x.conf:3: [rule /r] is already defined at /etc/ctguard/ctguard.conf:1",
		"names both files and lines");
	cfg_free(&c);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void test_files(void)
{
	char dir[] = "/tmp/ctg-test-config.XXXXXX", p[256];
	struct cfg c;

	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp");
		return;
	}
	snprintf(p, sizeof(p), "%s/conf.d", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/conf.d/20-b.conf", dir);
	write_file(p, "[rule /b]\ndeny = all\n");
	snprintf(p, sizeof(p), "%s/conf.d/10-a.conf", dir);
	write_file(p, "[rule /a]\ndeny = all\n");
	snprintf(p, sizeof(p), "%s/conf.d/B.conf", dir);
	write_file(p, "[rule /B]\ndeny = all\n");
	snprintf(p, sizeof(p), "%s/conf.d/x.conf.dpkg-old", dir);
	write_file(p, "garbage\n");
	snprintf(p, sizeof(p), "%s/conf.d/.hidden.conf", dir);
	write_file(p, "garbage\n");
	snprintf(p, sizeof(p), "%s/conf.d/sub.conf", dir);
	mkdir(p, 0755);

	cfg_init(&c, h);
	snprintf(p, sizeof(p), "%s/conf.d", dir);
	is_int(cfg_read_path(&c, p, true), 0, "read a directory");
	is_int(c.nr_errors, 0, "only its *.conf files are read");
	is_int(c.nr_files, 3, "three files");
	if (c.nr_secs == 3) {
		is_str(c.secs[0].name, "/a", "byte order: 10-a.conf first");
		is_str(c.secs[1].name, "/b", "then 20-b.conf");
		is_str(c.secs[2].name, "/B", "then B.conf");
	} else {
		ok(0, "three sections");
	}
	cfg_free(&c);

	cfg_init(&c, h);
	snprintf(p, sizeof(p), "%s/none.conf", dir);
	is_int(cfg_read_path(&c, p, false), 0, "a missing optional path");
	is_int(c.nr_errors, 0, "is no error");
	cfg_read_path(&c, p, true);
	is_int(c.nr_errors, 1, "a missing required path is an error");
	has_str(c.nr_errors ? c.errors[0] : "", "none.conf: No such file", "naming the file");
	cfg_free(&c);

	snprintf(p, sizeof(p), "rm -rf '%s'", dir);
	if (system(p))
		ok(0, "cleanup");
}

int main(void)
{
	h = ctguard_open();
	if (!h) {
		printf("Bail out! ctguard_open\n");
		return 1;
	}
	/* Paths are normalised against a fixed root, whatever the host has. */
	ctguard_set_cgroup_root(h, "/sys/fs/cgroup");
	test_valid();
	test_errors();
	test_files();
	ctguard_close(h);
	return tap_done();
}
