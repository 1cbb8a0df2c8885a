// SPDX-License-Identifier: GPL-2.0
/* Unit tests of the policy language: classes, capabilities, device rules,
 * modes and profiles. */
#include <errno.h>
#include <stdlib.h>

#include <linux/capability.h>

#include "internal.h"
#include "tap.h"

static void test_classes(void)
{
	char err[CTGUARD_ERRBUF_LEN], buf[256];
	uint32_t m;

	m = 0;
	is_int(ctguard_parse_classes("mount", &m, err, sizeof(err)), 0, "class mount parses");
	is_u64(m, CTGUARD_CLASS_MOUNT, "class mount is bit 0");
	is_int(ctguard_parse_classes("mount,rawsock,dmesg,mknod,devices,userns", &m, err, sizeof(err)), 0, "every class parses");
	is_u64(m, __CTGUARD_CLASS_ALL, "every class makes the full mask");
	is_int(ctguard_parse_classes("all", &m, err, sizeof(err)), 0, "'all' parses");
	is_u64(m, __CTGUARD_CLASS_ALL, "'all' is every class");
	is_int(ctguard_parse_classes(" MOUNT , UserNS ", &m, err, sizeof(err)), 0, "blanks and case are ignored");
	is_u64(m, CTGUARD_CLASS_MOUNT | CTGUARD_CLASS_USERNS, "mount and userns");
	is_int(ctguard_parse_classes("devices,devices", &m, err, sizeof(err)), 0, "duplicates are fine");
	is_u64(m, CTGUARD_CLASS_DEVICES, "duplicate gives one bit");

	m = 0x1234;
	is_int(ctguard_parse_classes("mout", &m, err, sizeof(err)), -EINVAL, "typo is rejected");
	has_str(err, "unknown class 'mout'", "message names the word");
	has_str(err, "did you mean 'mount'", "message suggests mount");
	is_u64(m, 0x1234, "output untouched on error");
	is_int(ctguard_parse_classes("rawsocks", &m, err, sizeof(err)), -EINVAL, "rawsocks rejected");
	has_str(err, "did you mean 'rawsock'", "suggests rawsock");
	is_int(ctguard_parse_classes("xyzzy", &m, err, sizeof(err)), -EINVAL, "nonsense rejected");
	has_str(err, "classes: mount, rawsock", "no close match: lists the classes");
	ok(!strstr(err, "did you mean"), "no suggestion for nonsense");
	is_int(ctguard_parse_classes("cap", &m, err, sizeof(err)), -EINVAL, "'cap' is no deny class");
	has_str(err, "--deny-cap", "points at --deny-cap");
	is_int(ctguard_parse_classes("cgroup", &m, err, sizeof(err)), -EINVAL, "'cgroup' is no deny class");
	is_int(ctguard_parse_classes("", &m, err, sizeof(err)), -EINVAL, "empty list rejected");
	is_int(ctguard_parse_classes("mount,", &m, err, sizeof(err)), -EINVAL, "trailing comma rejected");
	has_str(err, "empty class name", "says the name is empty");
	is_int(ctguard_parse_classes("mount,,dmesg", &m, err, sizeof(err)), -EINVAL, "double comma rejected");
	is_int(ctguard_parse_classes(NULL, &m, err, sizeof(err)), -EINVAL, "NULL rejected");
	is_int(ctguard_parse_classes("mout", &m, NULL, 0), -EINVAL, "NULL error buffer is allowed");
	is_int(ctguard_parse_classes("mout", &m, err, 8), -EINVAL, "short error buffer is allowed");
	is_int((int)strlen(err), 7, "short error buffer is truncated and terminated");

	is_int(ctguard_format_classes(CTGUARD_CLASS_MOUNT | CTGUARD_CLASS_USERNS, buf, sizeof(buf)), 0, "format classes");
	is_str(buf, "mount,userns", "formatted in bit order");
	is_int(ctguard_format_classes(0, buf, sizeof(buf)), 0, "format empty");
	is_str(buf, "", "empty mask is empty string");
	ctguard_format_classes(__CTGUARD_CLASS_ALL | CTGUARD_CLASS_CAP | (1U << 20), buf, sizeof(buf));
	is_str(buf, "mount,rawsock,dmesg,mknod,devices,userns,cap,class_20", "unknown bits are numbered");
	is_int(ctguard_format_classes(__CTGUARD_CLASS_ALL, buf, 10), -ENOSPC, "too small buffer: ENOSPC");
	is_str(ctguard_class_name(CTGUARD_CLASS_CGROUP), "cgroup", "report class cgroup named");
	ok(!ctguard_class_name(3), "two bits have no name");
}

static void test_caps(void)
{
	char err[CTGUARD_ERRBUF_LEN], buf[2048];
	uint64_t m;
	unsigned int i;

	/* The table is generated from the same headers this test includes. */
	is_int(ctguard_cap_last(), CAP_LAST_CAP, "cap_last is CAP_LAST_CAP of the headers");
	is_str(ctguard_cap_name(CAP_SYS_ADMIN), "sys_admin", "CAP_SYS_ADMIN named");
	is_str(ctguard_cap_name(CAP_CHOWN), "chown", "CAP_CHOWN named");
	is_str(ctguard_cap_name(CAP_LAST_CAP), "checkpoint_restore", "last cap named");
	is_str(ctguard_cap_name(CAP_BPF), "bpf", "CAP_BPF named");
	ok(!ctguard_cap_name(CAP_LAST_CAP + 1), "past the last cap: no name");
	for (i = 0; i <= ctguard_cap_last(); i++)
		if (ctguard_cap_from_name(ctguard_cap_name(i)) != (int)i)
			break;
	is_int(i, ctguard_cap_last() + 1, "every name maps back to its number");

	is_int(ctguard_parse_caps("sys_admin", &m, err, sizeof(err)), 0, "sys_admin parses");
	is_u64(m, 1ULL << CAP_SYS_ADMIN, "sys_admin bit");
	is_int(ctguard_parse_caps("CAP_SYS_ADMIN,cap_net_raw,Net_Admin", &m, err, sizeof(err)), 0, "CAP_ prefix and any case");
	is_u64(m, (1ULL << CAP_SYS_ADMIN) | (1ULL << CAP_NET_RAW) | (1ULL << CAP_NET_ADMIN), "three bits");
	is_int(ctguard_parse_caps("all", &m, err, sizeof(err)), 0, "all parses");
	is_u64(m, (1ULL << (CAP_LAST_CAP + 1)) - 1, "all is every known cap");
	is_u64(ctguard_caps_all(), (1ULL << (CAP_LAST_CAP + 1)) - 1, "caps_all");
	is_int(ctguard_parse_caps("sys_admn", &m, err, sizeof(err)), -EINVAL, "typo rejected");
	has_str(err, "unknown capability 'sys_admn'", "names the word");
	has_str(err, "did you mean 'sys_admin'", "suggests sys_admin");
	is_int(ctguard_parse_caps("CAP_NET_RAWW", &m, err, sizeof(err)), -EINVAL, "CAP_ typo rejected");
	has_str(err, "did you mean 'net_raw'", "suggests net_raw");
	is_int(ctguard_parse_caps("frobnicate_everything", &m, err, sizeof(err)), -EINVAL, "nonsense rejected");
	has_str(err, "capabilities(7)", "points at capabilities(7)");
	is_int(ctguard_parse_caps("cap_", &m, err, sizeof(err)), -EINVAL, "bare prefix rejected");
	is_int(ctguard_parse_caps("21", &m, err, sizeof(err)), -EINVAL, "numbers rejected");
	is_int(ctguard_cap_from_name("nope"), -EINVAL, "cap_from_name unknown");

	ctguard_format_caps((1ULL << CAP_CHOWN) | (1ULL << CAP_SYS_ADMIN) | (1ULL << 50), buf, sizeof(buf));
	is_str(buf, "chown,sys_admin,cap_50", "format caps, unknown numbered");
	is_int(ctguard_format_caps(ctguard_caps_all(), buf, sizeof(buf)), 0, "format all caps fits 2 KiB");
	m = 0;
	is_int(ctguard_parse_caps(buf, &m, err, sizeof(err)), 0, "formatted list parses back");
	is_u64(m, ctguard_caps_all(), "round trip of every cap");
}

static void dev(const char *s, int ret, uint8_t type, uint8_t access,
		uint32_t major, uint32_t minor, const char *fmt)
{
	struct ctguard_dev_rule r;
	char err[CTGUARD_ERRBUF_LEN], buf[64], what[128];
	int got;

	memset(&r, 0xa5, sizeof(r));
	got = ctguard_parse_dev_rule(s, &r, err, sizeof(err));
	snprintf(what, sizeof(what), "device rule '%s' %s", s, ret ? "rejected" : "parses");
	is_int(got, ret, what);
	if (got || ret)
		return;
	snprintf(what, sizeof(what), "device rule '%s' fields", s);
	ok(r.type == type && r.access == access && r.major == major &&
	   r.minor == minor, what);
	ctguard_format_dev_rule(&r, buf, sizeof(buf));
	snprintf(what, sizeof(what), "device rule '%s' formats", s);
	is_str(buf, fmt, what);
}

#define R CTGUARD_DEV_READ
#define W CTGUARD_DEV_WRITE
#define M CTGUARD_DEV_MKNOD
#define ANY CTGUARD_DEV_ANY

static void test_dev_rules(void)
{
	char err[CTGUARD_ERRBUF_LEN];
	struct ctguard_dev_rule r;

	dev("c 1:3 rwm", 0, 'c', R | W | M, 1, 3, "c 1:3 rwm");
	dev("c 136:* rw", 0, 'c', R | W, 136, ANY, "c 136:* rw");
	dev("b *:* m", 0, 'b', M, ANY, ANY, "b *:* m");
	dev("a", 0, 'a', R | W | M, ANY, ANY, "a *:* rwm");
	dev("a *:* r", 0, 'a', R, ANY, ANY, "a *:* r");
	dev("c 1:3", 0, 'c', R | W | M, 1, 3, "c 1:3 rwm");
	dev("  c   10:200   mwr  ", 0, 'c', R | W | M, 10, 200, "c 10:200 rwm");
	dev("b 8:0 r", 0, 'b', R, 8, 0, "b 8:0 r");
	dev("c 4095:1048575 w", 0, 'c', W, 4095, 1048575, "c 4095:1048575 w");
	dev("c *:5 r", 0, 'c', R, ANY, 5, "c *:5 r");

	dev("x 1:3 r", -EINVAL, 0, 0, 0, 0, NULL);
	dev("c", -EINVAL, 0, 0, 0, 0, NULL);
	dev("c 1", -EINVAL, 0, 0, 0, 0, NULL);
	dev("c 1:", -EINVAL, 0, 0, 0, 0, NULL);
	dev("c :3 r", -EINVAL, 0, 0, 0, 0, NULL);
	dev("c 1:3 rx", -EINVAL, 0, 0, 0, 0, NULL);
	dev("c 1:3 rr", -EINVAL, 0, 0, 0, 0, NULL);
	dev("c 4096:0 r", -EINVAL, 0, 0, 0, 0, NULL);
	dev("c 1:1048576 r", -EINVAL, 0, 0, 0, 0, NULL);
	dev("c 99999999999999999999:0 r", -EINVAL, 0, 0, 0, 0, NULL);
	dev("c1:3 r", -EINVAL, 0, 0, 0, 0, NULL);
	dev("c 1:3r", -EINVAL, 0, 0, 0, 0, NULL);
	dev("c 1:3 r w", -EINVAL, 0, 0, 0, 0, NULL);
	dev("a 1:3 r", -EINVAL, 0, 0, 0, 0, NULL);
	dev("c -1:3 r", -EINVAL, 0, 0, 0, 0, NULL);
	dev("", -EINVAL, 0, 0, 0, 0, NULL);

	ctguard_parse_dev_rule("c 1:3 rx", &r, err, sizeof(err));
	has_str(err, "access 'x' is not one of r, w, m", "bad access named");
	ctguard_parse_dev_rule("c 4096:0 r", &r, err, sizeof(err));
	has_str(err, "out of range major", "major range named");
	ctguard_parse_dev_rule("q", &r, err, sizeof(err));
	has_str(err, "type must be 'c', 'b' or 'a'", "bad type named");
	ctguard_parse_dev_rule("a 1:3", &r, err, sizeof(err));
	has_str(err, "type 'a' covers every device", "'a' with numbers explained");
	is_int(ctguard_parse_dev_rule(NULL, &r, err, sizeof(err)), -EINVAL, "NULL rule rejected");
}

static void test_modes(void)
{
	char err[CTGUARD_ERRBUF_LEN];
	uint8_t m = 9;

	is_int(ctguard_parse_mode("enforce", &m, err, sizeof(err)), 0, "enforce parses");
	is_int(m, CTGUARD_MODE_ENFORCE, "enforce value");
	is_int(ctguard_parse_mode("COMPLAIN", &m, err, sizeof(err)), 0, "COMPLAIN parses");
	is_int(m, CTGUARD_MODE_COMPLAIN, "complain value");
	is_int(ctguard_parse_mode("audit", &m, err, sizeof(err)), -EINVAL, "audit is no mode");
	has_str(err, "modes: enforce, complain", "lists the modes");
	is_str(ctguard_mode_name(CTGUARD_MODE_COMPLAIN), "complain", "mode name");
	ok(!ctguard_mode_name(7), "unknown mode: NULL");
	is_str(ctguard_verdict_name(CTGUARD_VERDICT_DENIED), "denied", "verdict name");
	is_str(ctguard_hook_state_name(CTGUARD_HOOK_UNAVAILABLE), "unavailable", "hook state name");
	is_str(ctguard_mount_op_name(CTGUARD_MOUNT_OP_MOUNT_SETATTR), "mount_setattr", "last mount op named");
	ok(!ctguard_mount_op_name(200), "unknown mount op: NULL");
}

static bool has_rule(const struct ctguard_policy *p, uint8_t type,
		     uint32_t major, uint32_t minor, uint8_t access)
{
	size_t i;

	for (i = 0; i < p->nr_devices; i++)
		if (p->devices[i].type == type && p->devices[i].major == major &&
		    p->devices[i].minor == minor &&
		    p->devices[i].access == access)
			return true;
	return false;
}

static void test_profiles(void)
{
	static const int docker[] = {
		CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FSETID, CAP_FOWNER, CAP_MKNOD,
		CAP_NET_RAW, CAP_SETGID, CAP_SETUID, CAP_SETFCAP, CAP_SETPCAP,
		CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT, CAP_KILL, CAP_AUDIT_WRITE,
	};
	char err[CTGUARD_ERRBUF_LEN];
	struct ctguard_policy p, q;
	const char *const *names;
	uint64_t allowed = 0;
	unsigned int i;
	int n;

	for (i = 0; i < sizeof(docker) / sizeof(docker[0]); i++)
		allowed |= 1ULL << docker[i];

	ctguard_policy_init(&p);
	is_int(ctguard_profile("container", &p, err, sizeof(err)), 0, "container profile");
	is_u64(p.fields, CTGUARD_POLICY_ALL, "profile sets every field");
	is_u64(p.deny, __CTGUARD_CLASS_ALL, "container denies every class");
	is_u64(p.deny_caps, ctguard_caps_all() & ~allowed, "container denies all caps but Docker's 14");
	ok(p.deny_caps & (1ULL << CAP_SYS_ADMIN), "container denies sys_admin");
	ok(!(p.deny_caps & (1ULL << CAP_NET_RAW)), "container leaves net_raw (Docker default)");
	is_int(__builtin_popcountll(ctguard_caps_all() & ~p.deny_caps), 14, "exactly 14 caps allowed");
	is_int(p.mode, CTGUARD_MODE_ENFORCE, "container enforces");
	is_int(p.nr_devices, 9, "container allows runc's 9 device rules");
	ok(has_rule(&p, 'c', 1, 3, R | W | M), "null");
	ok(has_rule(&p, 'c', 1, 5, R | W | M), "zero");
	ok(has_rule(&p, 'c', 1, 7, R | W | M), "full");
	ok(has_rule(&p, 'c', 1, 8, R | W | M), "random");
	ok(has_rule(&p, 'c', 1, 9, R | W | M), "urandom");
	ok(has_rule(&p, 'c', 5, 0, R | W | M), "tty");
	ok(has_rule(&p, 'c', 5, 2, R | W | M), "ptmx");
	ok(has_rule(&p, 'c', 136, ANY, R | W | M), "pts");
	ok(has_rule(&p, 'c', 10, 200, R | W | M), "tun");
	ok(!has_rule(&p, 'c', ANY, ANY, M), "no mknod-anything rule");

	is_int(ctguard_policy_copy(&q, &p), 0, "deep copy");
	q.devices[0].major = 99;
	is_int(p.devices[0].major, 1, "copy does not share rules");
	ctguard_policy_release(&q);

	/* A profile replaces whatever the policy held. */
	is_int(ctguard_profile("strict", &p, err, sizeof(err)), 0, "strict profile");
	is_u64(p.deny_caps, ctguard_caps_all(), "strict denies every cap");
	is_u64(p.deny, __CTGUARD_CLASS_ALL, "strict denies every class");
	is_int(p.nr_devices, 8, "strict allows 8 pseudo devices");
	ok(!has_rule(&p, 'c', 10, 200, R | W | M) && !has_rule(&p, 'c', 10, 200, R | W), "strict: no tun");
	ok(has_rule(&p, 'c', 1, 3, R | W), "strict: null read/write, no mknod");

	is_int(ctguard_profile("Audit", &p, err, sizeof(err)), 0, "audit profile (any case)");
	is_int(p.mode, CTGUARD_MODE_COMPLAIN, "audit complains");
	is_u64(p.deny_caps, ctguard_caps_all() & ~allowed, "audit = container caps");
	is_int(p.nr_devices, 9, "audit = container devices");

	is_int(ctguard_profile("contianer", &p, err, sizeof(err)), -EINVAL, "typo profile rejected");
	has_str(err, "did you mean 'container'", "suggests container");
	is_int(ctguard_profile("bogus-profile-name", &p, err, sizeof(err)), -EINVAL, "unknown profile rejected");
	has_str(err, "profiles: container, strict, audit", "lists profiles");
	ctguard_policy_release(&p);

	names = ctguard_profile_names();
	for (n = 0; names[n]; n++)
		if (!ctguard_profile_description(names[n]))
			break;
	is_int(n, 3, "three profiles, each described");
	ok(!ctguard_profile_description("nope"), "no description for unknown");
}

static void test_policy_helpers(void)
{
	struct ctguard_dev_rule a = { 'c', R, 1, 3 }, b = { 'c', W, 1, 3 };
	struct ctguard_policy p;

	ctguard_policy_init(&p);
	is_int(p.mode, CTGUARD_MODE_ENFORCE, "init: enforce");
	is_int(p.fields, 0, "init: no field set");
	is_int(ctguard_policy_add_dev(&p, &a), 0, "add rule");
	is_int(ctguard_policy_add_dev(&p, &a), 0, "add same rule");
	is_int(ctguard_policy_add_dev(&p, &b), 0, "add other rule");
	is_int(p.nr_devices, 2, "identical rule stored once");
	ok(p.fields & CTGUARD_POLICY_DEVICES, "adding marks devices set");
	ctguard_policy_release(&p);
	is_int(p.nr_devices, 0, "release empties");
	ok(!p.devices, "release frees");
}

static void test_distance(void)
{
	is_int(ctg_distance("kitten", "sitting"), 3, "distance kitten/sitting");
	is_int(ctg_distance("", "abc"), 3, "distance from empty");
	is_int(ctg_distance("MOUNT", "mount"), 0, "distance ignores case");
}

int main(void)
{
	test_classes();
	test_caps();
	test_dev_rules();
	test_modes();
	test_profiles();
	test_policy_helpers();
	test_distance();
	return tap_done();
}
