// SPDX-License-Identifier: GPL-2.0
/*
 * ctguard selftests: a seeded, bounded fuzzer of the "ctguard" generic
 * netlink family, built on libmnl so that it can send any bytes.
 *
 * For every command number from 0 to __CTGUARD_CMD_MAX + 2 (so commands the
 * uapi header gains later are covered when the fuzzer is rebuilt) it sends
 * well-formed requests, requests with mutated attributes (wrong types and
 * lengths, truncated and over-long attributes, values out of range, bogus
 * flags and reserved bits, garbage and huge counts in the device rule nests,
 * strings without their NUL, duplicated and missing attributes), byte-level
 * mutations of well-formed requests, random attribute soups, broken netlink
 * headers, several requests in one datagram, and dumps that are interrupted
 * (the socket closed midway, or left unread). Then the same from a user
 * without CAP_NET_ADMIN and from tasks in tagged cgroups.
 *
 * What makes it fail:
 *  - a request with NLM_F_ACK that did not get exactly one error/ack reply
 *    (a dump: exactly one NLMSG_DONE or error), a reply to a sequence number
 *    never sent, an ack (error 0) that nobody asked for, a reply that does
 *    not parse;
 *  - a request from the unprivileged user that succeeded or produced data;
 *  - a request that changes policies or rules (SET/DEL_POLICY,
 *    SET/DEL_RULE) succeeding from a confined task;
 *  - a policy or rule left behind: after cleaning up its own cgroups and
 *    rule patterns, GET_STATUS must count what it counted before, and so
 *    must a dump;
 *  - the module not enforcing afterwards (a raw socket in a tagged cgroup);
 *  - and, from the VM runner, any kernel warning, oops or splat.
 *
 * The fuzzer only ever gives policies to cgroups it created (below
 * /sys/fs/cgroup/ctguard-fuzz-XXXXXX), to ids of cgroups that do not exist,
 * and to the root cgroup (which must be refused); rule patterns it sends are
 * below its own cgroup, or invalid.
 *
 *   fuzz_test [-s SEED] [-n MESSAGES] [-v]
 *   CTGUARD_FUZZ_SEED, CTGUARD_FUZZ_MESSAGES (default 5000) likewise.
 *
 * The seed is printed; the same seed and count give the same messages.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <linux/genetlink.h>
#include <linux/if_ether.h>
#include <linux/netlink.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>

#include "common.h"

#define NR_CMDS (__CTGUARD_CMD_MAX + 3)
#define MSG_MAX (96 * 1024)
#define RCV_MAX (256 * 1024)
#define NR_OWNED 16
#define MAX_BATCH 4
#define NR_DEAD 64

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* ---- random numbers --------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static uint32_t below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

static bool chance(int percent)
{
	return below(100) < (uint32_t)percent;
}

static void rnd_bytes(void *p, size_t n)
{
	uint8_t *b = p;

	while (n--)
		*b++ = rnd();
}

/* ---- shared state and results ----------------------------------------- */

struct fz_stats {
	long sent, datagrams, replies, data, acks_ok, errors;
	long per_cmd_sent[NR_CMDS + 1], per_cmd_ok[NR_CMDS + 1];
	long dumps, dumps_interrupted;
	long refused;		/* datagrams send() refused (too big) */
	long iterations;	/* of run_messages() */
	long failures;
	char first_failure[512];
};

/* In shared memory: children (unprivileged, confined) report here. */
static struct fz_stats *st;
static bool verbose;
static uint64_t seed;
static long nr_messages;

static void fail(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (!st->failures++)
		snprintf(st->first_failure, sizeof(st->first_failure), "%s", buf);
	if (st->failures <= 20)
		printf("# FAIL: %s\n", buf);
	fflush(stdout);
}

static void hexdump(const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n && i < 256; i++) {
		if (i % 32 == 0)
			printf("%s#   %04zx:", i ? "\n" : "", i);
		printf(" %02x", b[i]);
	}
	printf("%s\n", n > 256 ? " ..." : "");
}

/* ---- targets ------------------------------------------------------------ */

struct fz_env {
	int family;
	uint64_t root_id;		/* the cgroup2 root, must be refused */
	struct ctg_cg top;		/* ctguard-fuzz-XXXXXX */
	char top_name[64];		/* "ctguard-fuzz-XXXXXX" */
	struct ctg_cg owned[NR_OWNED];	/* below top, some nested deep */
	uint64_t dead[NR_DEAD];		/* ids of owned cgroups removed */
	int nr_dead;
};

static struct fz_env env;

static uint64_t pick_cgid(void)
{
	switch (below(20)) {
	case 0:
		return 0;
	case 1:
		return rnd() | (1ULL << 62);	/* no such cgroup */
	case 2:
		return env.nr_dead ? env.dead[below(env.nr_dead)] : ~0ULL;
	case 3:
		return chance(30) ? env.root_id : ~0ULL;
	case 4:
		return env.top.id;
	default:
		return env.owned[below(NR_OWNED)].id;
	}
}

/* A valid-looking component pattern below our own cgroup. */
static int pick_pattern(char *buf, size_t len)
{
	static const char *const comps[] = {
		"c*", "c?", "c1", "c1?", "*", "?*", "c*/d*", "*/*", "c2/*",
		"c3/d0/*", "nomatch", "c**", "c[", "c\\*", "*x*",
	};
	int n;

	n = snprintf(buf, len, "/%s/%s", env.top_name,
		     comps[below(sizeof(comps) / sizeof(comps[0]))]);
	return n + 1;
}

/* Patterns the module must reject (never absolute names that match). */
static int pick_bad_pattern(char *buf, size_t len)
{
	int n = 0, i;

	switch (below(12)) {
	case 0:
		buf[0] = 0;
		return 1;
	case 1:
		n = snprintf(buf, len, "%s/c*", env.top_name);	/* relative */
		break;
	case 2:
		n = snprintf(buf, len, "/%s//c*", env.top_name);
		break;
	case 3:
		n = snprintf(buf, len, "/%s/../c*", env.top_name);
		break;
	case 4:
		n = snprintf(buf, len, "/%s/./c*", env.top_name);
		break;
	case 5:
		n = snprintf(buf, len, "/%s/c*/", env.top_name);
		break;
	case 6: /* a component of 256 */
		n = snprintf(buf, len, "/%s/", env.top_name);
		for (i = 0; i < 256; i++)
			buf[n++] = 'a';
		buf[n] = 0;
		break;
	case 7: /* the whole pattern too long (CTGUARD_RULE_PATTERN_MAX) */
		n = snprintf(buf, len, "/%s", env.top_name);
		while (n < CTGUARD_RULE_PATTERN_MAX + 40 && (size_t)n + 8 < len)
			n += snprintf(buf + n, len - n, "/abcdef");
		break;
	case 8: /* non-printable bytes below our own cgroup */
		n = snprintf(buf, len, "/%s/c", env.top_name);
		buf[n++] = 1 + below(31);
		buf[n] = 0;
		break;
	case 9:
		n = snprintf(buf, len, "/%s/c", env.top_name);
		buf[n++] = 0x80 + below(128);
		buf[n] = 0;
		break;
	case 10: /* random bytes, not absolute */
		n = 1 + below(40);
		rnd_bytes(buf, n);
		if (buf[0] == '/')
			buf[0] = 'x';
		for (i = 0; i < n; i++)
			if (!buf[i])
				buf[i] = 'y';
		buf[n] = 0;
		break;
	default:
		n = snprintf(buf, len, "/%s/c\xff*", env.top_name);
		break;
	}
	return n + 1;
}

/* ---- building messages ---------------------------------------------------- */

struct fz_msg {
	char *buf;
	struct nlmsghdr *nlh;
	uint8_t cmd;
	bool framing_ok;	/* nlmsg_len is the real length */
};

/* Put an attribute with any type and length; data may be NULL (zeros). */
static void put_raw(struct nlmsghdr *nlh, uint16_t type, const void *data,
		    size_t len)
{
	if (nlh->nlmsg_len + MNL_ALIGN(MNL_ATTR_HDRLEN + len) > MSG_MAX - 64)
		return;
	static const char zeros[MSG_MAX];

	mnl_attr_put(nlh, type, len, data ? data : zeros);
}

static bool room(struct nlmsghdr *nlh, size_t len)
{
	return nlh->nlmsg_len + len + 256 < MSG_MAX;
}

/* An integer attribute, maybe of the wrong size or type. */
static void put_int(struct nlmsghdr *nlh, uint16_t type, uint64_t v, int size,
		    bool mutate)
{
	uint8_t b[16] = { 0 };

	if (mutate && chance(25)) {
		static const int sizes[] = { 0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 16 };

		size = sizes[below(sizeof(sizes) / sizeof(sizes[0]))];
	}
	if (mutate && chance(15))
		type = below(__CTGUARD_A_MAX + 6);
	if (mutate && chance(5))
		type |= chance(50) ? NLA_F_NESTED : NLA_F_NET_BYTEORDER;
	if (mutate && chance(20))
		v = chance(50) ? rnd() : ~0ULL;
	memcpy(b, &v, 8);
	if (mutate && size > 8)
		rnd_bytes(b + 8, size - 8);
	put_raw(nlh, type, b, size);
}

static void put_string(struct nlmsghdr *nlh, uint16_t type, const char *s,
		       int len, bool mutate)
{
	if (mutate && chance(10))
		len--;			/* no NUL */
	if (mutate && chance(5))
		len = 0;
	if (mutate && chance(10))
		type = below(__CTGUARD_A_MAX + 6);
	if (len < 0)
		len = 0;
	put_raw(nlh, type, s, len);
}

/* One device rule nest: valid, or broken in one of many ways. */
static void put_dev_rule(struct nlmsghdr *nlh, uint16_t idx, bool mutate)
{
	static const uint8_t types[] = { 'a', 'b', 'c' };
	struct nlattr *r;
	uint8_t type = types[below(3)];
	int what = mutate ? below(14) : 0;

	if (!room(nlh, 128))
		return;
	if (what == 1) {	/* not a nest at all */
		put_int(nlh, idx, rnd(), 1 + below(8), false);
		return;
	}
	if (what == 2) {	/* a nest of random attributes */
		int i, n = below(6);

		r = mnl_attr_nest_start(nlh, idx);
		for (i = 0; i < n; i++)
			put_int(nlh, below(8), rnd(), below(9), false);
		mnl_attr_nest_end(nlh, r);
		return;
	}
	if (what == 3) {	/* nested garbage, deep */
		struct nlattr *n1 = mnl_attr_nest_start(nlh, idx);
		struct nlattr *n2 = mnl_attr_nest_start(nlh, CTGUARD_A_DEV_TYPE);
		struct nlattr *n3 = mnl_attr_nest_start(nlh, below(5));

		put_int(nlh, below(5), rnd(), 4, false);
		mnl_attr_nest_end(nlh, n3);
		mnl_attr_nest_end(nlh, n2);
		mnl_attr_nest_end(nlh, n1);
		return;
	}
	r = mnl_attr_nest_start(nlh, chance(95) ? idx : below(0x10000));
	if (what != 4)
		put_int(nlh, CTGUARD_A_DEV_TYPE,
			what == 5 ? below(256) : type, 1, mutate);
	if (what == 6 || (type != 'a' && chance(70)))
		put_int(nlh, CTGUARD_A_DEV_MAJOR,
			what == 7 ? 4096 + below(100000) :
			chance(10) ? CTGUARD_DEV_ANY : below(300), 4, mutate);
	if (what == 6 || (type != 'a' && chance(60)))
		put_int(nlh, CTGUARD_A_DEV_MINOR,
			what == 8 ? (1U << 20) + below(1000) :
			chance(10) ? CTGUARD_DEV_ANY : below(300), 4, mutate);
	if (what != 9)
		put_int(nlh, CTGUARD_A_DEV_ACCESS,
			what == 10 ? (chance(50) ? 0 : 8 + below(248)) :
			1 + below(7), 1, mutate);
	if (what == 11)		/* duplicate */
		put_int(nlh, CTGUARD_A_DEV_TYPE, type, 1, false);
	if (what == 12)		/* unknown attribute */
		put_int(nlh, CTGUARD_A_DEV_MAX + 1 + below(10), rnd(), 4, false);
	mnl_attr_nest_end(nlh, r);
}

static void put_devices(struct nlmsghdr *nlh, bool mutate)
{
	struct nlattr *d;
	int n, i;

	if (mutate && chance(5)) {	/* huge count: E2BIG */
		n = 129 + below(900);
	} else if (mutate && chance(5)) {
		/* DEVICES not nested, or with payload garbage */
		uint8_t junk[64];

		rnd_bytes(junk, sizeof(junk));
		put_raw(nlh, chance(50) ? CTGUARD_A_DEVICES :
			(CTGUARD_A_DEVICES | NLA_F_NESTED), junk, below(64));
		return;
	} else {
		n = below(5);
	}
	d = mnl_attr_nest_start(nlh, CTGUARD_A_DEVICES);
	for (i = 0; i < n && room(nlh, 128); i++)
		put_dev_rule(nlh, i, mutate && chance(30));
	mnl_attr_nest_end(nlh, d);
}

static void put_policy_fields(struct nlmsghdr *nlh, bool mutate)
{
	/* Mostly without ON_EXEC, so that most policies are in force. */
	if (chance(60))
		put_int(nlh, CTGUARD_A_FLAGS,
			mutate && chance(20) ? (uint32_t)rnd() :
			(uint32_t)(rnd() & __CTGUARD_F_ALL & ~(chance(90) ? CTGUARD_F_ON_EXEC : 0)),
			4, mutate);
	if (chance(80))
		put_int(nlh, CTGUARD_A_DENY,
			mutate && chance(20) ? (uint32_t)rnd() :
			(uint32_t)(rnd() & __CTGUARD_CLASS_ALL), 4, mutate);
	if (chance(60))
		put_int(nlh, CTGUARD_A_DENY_CAPS,
			mutate && chance(20) ? rnd() | (1ULL << (CAP_LAST_CAP + 1 + below(63 - CAP_LAST_CAP))) :
			rnd() & ((2ULL << CAP_LAST_CAP) - 1), 8, mutate);
	if (chance(60))
		put_int(nlh, CTGUARD_A_MODE,
			mutate && chance(20) ? below(256) : below(2), 1, mutate);
	if (chance(50))
		put_devices(nlh, mutate);
}

/* The attributes of @cmd; @mutate breaks some of them. */
static void put_cmd_attrs(struct nlmsghdr *nlh, uint8_t cmd, bool dump,
			  bool mutate)
{
	char pat[CTGUARD_RULE_PATTERN_MAX + 512];
	int len;

	switch (cmd) {
	case CTGUARD_CMD_SET_POLICY:
		if (!mutate || chance(90))
			put_int(nlh, CTGUARD_A_CGROUP_ID, pick_cgid(), 8, mutate);
		put_policy_fields(nlh, mutate);
		break;
	case CTGUARD_CMD_DEL_POLICY:
	case CTGUARD_CMD_GET_POLICY:
	case CTGUARD_CMD_GET_STATS:
		if (!dump && (!mutate || chance(90)))
			put_int(nlh, CTGUARD_A_CGROUP_ID, pick_cgid(), 8, mutate);
		break;
	case CTGUARD_CMD_SET_RULE:
	case CTGUARD_CMD_DEL_RULE:
	case CTGUARD_CMD_GET_RULE:
		if (!dump && (!mutate || chance(90))) {
			len = mutate && chance(40) ?
			      pick_bad_pattern(pat, sizeof(pat)) :
			      pick_pattern(pat, sizeof(pat));
			put_string(nlh, CTGUARD_A_RULE_PATTERN, pat, len,
				   mutate);
		}
		if (cmd == CTGUARD_CMD_SET_RULE)
			put_policy_fields(nlh, mutate);
		break;
	case CTGUARD_CMD_GET_STATUS:
	default:
		break;
	}
	if (mutate && chance(15)) {	/* attributes a command does not take */
		int i, n = 1 + below(3);

		for (i = 0; i < n; i++) {
			uint16_t t = below(__CTGUARD_A_MAX + 4);

			if (t == CTGUARD_A_CGROUP_PATH || t == CTGUARD_A_VERSION ||
			    t == CTGUARD_A_RULE_PATTERN) {
				char s[32];

				len = snprintf(s, sizeof(s), "/%s", env.top_name) + 1;
				put_string(nlh, t, s, len, false);
			} else {
				put_int(nlh, t, rnd(), chance(50) ? 8 : 4, false);
			}
		}
	}
	if (mutate && chance(5) && room(nlh, 8192)) {	/* over-long attribute */
		size_t n = 1024 + below(6000);

		put_raw(nlh, below(__CTGUARD_A_MAX + 2), NULL, n);
	}
}

/* A random soup of attributes, nested up to @depth. */
static void put_soup(struct nlmsghdr *nlh, int depth)
{
	int i, n = below(8);
	uint8_t b[80];

	for (i = 0; i < n && room(nlh, 512); i++) {
		uint16_t t = below(__CTGUARD_A_MAX + 8);

		if (chance(10))
			t |= NLA_F_NET_BYTEORDER;
		if (depth > 0 && chance(25)) {
			struct nlattr *a = mnl_attr_nest_start(nlh, t);

			put_soup(nlh, depth - 1);
			mnl_attr_nest_end(nlh, a);
		} else {
			size_t len = below(sizeof(b));

			rnd_bytes(b, len);
			put_raw(nlh, t, b, len);
		}
	}
}

/* Byte-level damage after the genetlink header; framing stays valid. */
static void mutate_bytes(struct nlmsghdr *nlh)
{
	uint8_t *p = (uint8_t *)nlh;
	size_t start = NLMSG_HDRLEN + GENL_HDRLEN, len = nlh->nlmsg_len;
	int k, ops = 1 + below(4);

	for (k = 0; k < ops; k++) {
		size_t off = len > start ? start + below(len - start) : start;

		switch (below(7)) {
		case 0:		/* flip a bit */
			if (off < len)
				p[off] ^= 1 << below(8);
			break;
		case 1:		/* a random byte */
			if (off < len)
				p[off] = rnd();
			break;
		case 2: {	/* an attribute length (16 bits) */
			uint16_t v = chance(50) ? below(16) : rnd();

			if (off + 2 <= len)
				memcpy(p + off, &v, 2);
			break;
		}
		case 3:		/* truncate */
			len = off;
			break;
		case 4: {	/* append garbage, aligned or not */
			size_t n = below(64);

			if (len + n < MSG_MAX - 64) {
				rnd_bytes(p + len, n);
				len += n;
			}
			break;
		}
		case 5: {	/* an attribute header claiming more than is there */
			uint16_t hdr[2] = { 4 + below(4096), below(__CTGUARD_A_MAX + 4) };

			if (len + 4 < MSG_MAX - 64) {
				memcpy(p + len, hdr, 4);
				len += 4;
			}
			break;
		}
		default: {	/* duplicate a chunk */
			size_t n = below(64);

			if (off + n <= len && len + n < MSG_MAX - 64) {
				memmove(p + off + n, p + off, len - off);
				len += n;
			}
			break;
		}
		}
	}
	nlh->nlmsg_len = len;
}

enum fz_kind { K_VALID, K_ATTRS, K_BYTES, K_SOUP, K_HEADER, NR_KINDS };

/*
 * A message type other than ours: a control message (below
 * NLMSG_MIN_TYPE), the genetlink controller (read-only requests), or an id
 * far above any family the VM registers. Never another real family: random
 * requests to those can register listeners (taskstats) or change state
 * that has nothing to do with ctguard.
 */
static uint16_t other_type(void)
{
	switch (below(3)) {
	case 0:
		return below(NLMSG_MIN_TYPE);
	case 1:
		return GENL_ID_CTRL;
	default:
		return 0xf000 + below(0x1000);
	}
}

static uint8_t pick_cmd(void)
{
	/* Mostly the commands of the header; sometimes 0, EVENT, beyond. */
	if (chance(85))
		return 1 + below(__CTGUARD_CMD_MAX - 1);
	return below(NR_CMDS);
}

/*
 * Build one request at @buf with sequence number @seq. Returns its length;
 * *framing_ok tells whether nlmsg_len matches it.
 */
static size_t build(char *buf, uint32_t seq, enum fz_kind kind, uint8_t *cmdp,
		    uint16_t *flagsp, bool *framing_ok)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *gh;
	uint8_t cmd = pick_cmd();
	bool dump = false;

	nlh->nlmsg_type = env.family;
	nlh->nlmsg_flags = NLM_F_REQUEST | (chance(90) ? NLM_F_ACK : 0);
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = 0;
	if ((cmd == CTGUARD_CMD_GET_POLICY || cmd == CTGUARD_CMD_GET_STATS ||
	     cmd == CTGUARD_CMD_GET_RULE) ? chance(40) : chance(3)) {
		nlh->nlmsg_flags |= NLM_F_DUMP;
		dump = true;
	}
	gh = mnl_nlmsg_put_extra_header(nlh, sizeof(*gh));
	gh->cmd = cmd;
	gh->version = CTGUARD_GENL_VERSION;
	gh->reserved = 0;
	*framing_ok = true;

	switch (kind) {
	case K_VALID:
		put_cmd_attrs(nlh, cmd, dump, false);
		break;
	case K_ATTRS:
		if (chance(10))
			gh->version = below(256);
		if (chance(10))
			gh->reserved = rnd();
		if (chance(15))
			nlh->nlmsg_flags |= 1 << below(16);
		if (chance(3))
			nlh->nlmsg_flags &= ~NLM_F_REQUEST;
		if (chance(3))
			nlh->nlmsg_type = other_type();
		put_cmd_attrs(nlh, cmd, dump, true);
		break;
	case K_BYTES:
		put_cmd_attrs(nlh, cmd, dump, chance(50));
		mutate_bytes(nlh);
		break;
	case K_SOUP:
		if (chance(20))
			nlh->nlmsg_flags |= rnd() & 0xffff;
		nlh->nlmsg_flags |= NLM_F_REQUEST;
		put_soup(nlh, 4);
		break;
	default: {		/* the netlink header itself */
		size_t len;

		put_soup(nlh, 1);
		len = nlh->nlmsg_len;
		switch (below(5)) {
		case 0:
			nlh->nlmsg_len = below(NLMSG_HDRLEN);
			break;
		case 1:
			nlh->nlmsg_len = len + 1 + below(1000);
			break;
		case 2:
			nlh->nlmsg_len = NLMSG_HDRLEN + below(GENL_HDRLEN);
			len = nlh->nlmsg_len;
			break;
		case 3:
			nlh->nlmsg_len = rnd();
			break;
		default:
			nlh->nlmsg_type = chance(50) ? env.family : other_type();
			nlh->nlmsg_flags = rnd();
			break;
		}
		*framing_ok = nlh->nlmsg_len == len;
		*cmdp = cmd;
		*flagsp = nlh->nlmsg_flags;
		return len;
	}
	}
	*cmdp = cmd;
	*flagsp = nlh->nlmsg_flags;
	return nlh->nlmsg_len;
}

/* ---- sending and checking replies ------------------------------------- */

enum fz_role { R_ADMIN, R_UNPRIV, R_CONFINED };

struct fz_sock {
	struct mnl_socket *nl;
	uint32_t seq;
	enum fz_role role;
	bool may_admin;		/* confined but holding CAP_NET_ADMIN */
};

struct fz_req {
	uint32_t seq;
	uint8_t cmd;
	uint16_t flags;
	uint16_t type;
	bool framing_ok, ack, dump;
	int terminal;		/* NLMSG_ERROR/NLMSG_DONE received */
	int error;		/* of the last one */
	int data;		/* data replies */
	size_t off, len;	/* in the datagram */
};

static int sock_open(struct fz_sock *s, enum fz_role role)
{
	int one = 1, big = RCV_MAX;

	memset(s, 0, sizeof(*s));
	s->role = role;
	s->seq = 1 + below(1000);
	s->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!s->nl)
		return -errno;
	if (mnl_socket_bind(s->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		mnl_socket_close(s->nl);
		return -errno;
	}
	mnl_socket_setsockopt(s->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(mnl_socket_get_fd(s->nl), SOL_SOCKET, SO_RCVBUF, &big,
		   sizeof(big));
	return 0;
}

static bool is_change(uint8_t cmd)
{
	return cmd == CTGUARD_CMD_SET_POLICY || cmd == CTGUARD_CMD_DEL_POLICY ||
	       cmd == CTGUARD_CMD_SET_RULE || cmd == CTGUARD_CMD_DEL_RULE;
}

static struct fz_req *find_req(struct fz_req *reqs, int n, uint32_t seq)
{
	int i;

	for (i = 0; i < n; i++)
		if (reqs[i].seq == seq)
			return &reqs[i];
	return NULL;
}

static bool req_pending(const struct fz_req *r)
{
	/* Only dumps go on after sendmsg() returns; they end with one reply. */
	return r->framing_ok && r->dump && !r->terminal;
}

/*
 * A dump request (ours, or the controller's): it ends with exactly one
 * NLMSG_DONE or error, NLM_F_ACK or not. Control messages have no dumps.
 */
static bool is_dump_req(const struct fz_req *r)
{
	return (r->flags & NLM_F_REQUEST) && r->type >= NLMSG_MIN_TYPE &&
	       (r->flags & NLM_F_DUMP) == NLM_F_DUMP;
}

/* Read what is queued (waiting up to @wait_ms for more); 0 or -errno. */
static int read_replies(struct fz_sock *s, struct fz_req *reqs, int n,
			int wait_ms, bool garbage)
{
	static char rbuf[RCV_MAX];
	int fd = mnl_socket_get_fd(s->nl);

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		struct nlmsghdr *nlh;
		ssize_t len;
		int i, rem;
		bool pending = false;

		for (i = 0; i < n; i++)
			pending |= req_pending(&reqs[i]);
		if (poll(&pfd, 1, pending ? wait_ms : 0) <= 0) {
			if (pending) {
				fail("seed %#" PRIx64 ": a dump never ended (seq %u)",
				     seed, reqs[0].seq);
				return -ETIMEDOUT;
			}
			return 0;
		}
		len = recv(fd, rbuf, sizeof(rbuf), MSG_DONTWAIT | MSG_TRUNC);
		if (len < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			fail("recv: %s", strerror(errno));
			return -errno;
		}
		if ((size_t)len > sizeof(rbuf)) {
			fail("a reply of %zd bytes", len);
			return -EMSGSIZE;
		}
		st->datagrams++;
		rem = len;
		for (nlh = (struct nlmsghdr *)rbuf; mnl_nlmsg_ok(nlh, rem);
		     nlh = mnl_nlmsg_next(nlh, &rem)) {
			struct fz_req *r = find_req(reqs, n, nlh->nlmsg_seq);

			st->replies++;
			if (!r) {
				if (!garbage)
					fail("seed %#" PRIx64 ": reply type %u to seq %u, which was not sent",
					     seed, nlh->nlmsg_type, nlh->nlmsg_seq);
				continue;
			}
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

				if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(*e)) {
					fail("short NLMSG_ERROR");
					continue;
				}
				if (e->msg.nlmsg_seq != r->seq && !garbage)
					fail("NLMSG_ERROR echoes seq %u, not %u",
					     e->msg.nlmsg_seq, r->seq);
				r->terminal++;
				r->error = e->error;
				if (e->error)
					st->errors++;
				else
					st->acks_ok++;
			} else if (nlh->nlmsg_type == NLMSG_DONE) {
				r->terminal++;
				r->error = 0;
				if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(int))
					r->error = *(int *)mnl_nlmsg_get_payload(nlh);
			} else if (nlh->nlmsg_type == r->type) {
				/* Ours, or another family's we addressed. */
				r->data++;
				st->data++;
				if (r->terminal)
					fail("seq %u: data after its final reply", r->seq);
				if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN ||
				    mnl_attr_validate(mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN), MNL_TYPE_UNSPEC) < -1)
					fail("seq %u: a reply that does not parse", r->seq);
			} else if (!garbage) {
				fail("seq %u: reply of type %u", r->seq, nlh->nlmsg_type);
			}
		}
	}
}

/* Judge each request of a datagram once its replies are in. */
static void judge(struct fz_sock *s, struct fz_req *reqs, int n,
		  const char *dgram, bool garbage)
{
	int i;

	for (i = 0; i < n; i++) {
		struct fz_req *r = &reqs[i];
		const char *why = NULL;
		char buf[400];
		uint8_t c = r->cmd < NR_CMDS ? r->cmd : NR_CMDS;

		st->sent++;
		st->per_cmd_sent[c]++;
		if (r->terminal == 1 && r->error == 0 && r->type == env.family &&
		    (r->flags & NLM_F_REQUEST))
			st->per_cmd_ok[c]++;
		if (!r->framing_ok || garbage) {
			if (r->terminal > 1)
				why = "more than one final reply";
		} else if (is_dump_req(r)) {
			st->dumps++;
			if (r->terminal != 1)
				why = "a dump without exactly one DONE or error";
		} else if (r->ack) {
			if (r->terminal != 1)
				why = "NLM_F_ACK without exactly one error/ack reply";
		} else if (r->terminal > 1) {
			why = "more than one error reply";
		} else if (r->terminal == 1 && r->error == 0) {
			why = "an ack that was not asked for";
		}
		if (!why && r->framing_ok && !garbage &&
		    (r->flags & NLM_F_REQUEST) && r->type == env.family) {
			bool ok = r->terminal == 1 && r->error == 0;

			if (s->role == R_UNPRIV && (ok || r->data)) {
				why = "succeeded without CAP_NET_ADMIN";
			} else if (s->role == R_CONFINED && !s->may_admin &&
				   (ok || r->data)) {
				why = "succeeded from a task whose CAP_NET_ADMIN is denied";
			} else if (s->role == R_CONFINED && ok &&
				   is_change(r->cmd) && !is_dump_req(r)) {
				why = "a policy or rule change succeeded from a confined task";
			}
		}
		if (!why)
			continue;
		snprintf(buf, sizeof(buf),
			 "seed %#" PRIx64 ", message %ld (seq %u, cmd %u, flags %#x, type %u): %s (replies %d, error %d, data %d)",
			 seed, st->sent, r->seq, r->cmd, r->flags, r->type, why,
			 r->terminal, r->error, r->data);
		fail("%s", buf);
		if (st->failures <= 20)
			hexdump(dgram + r->off, r->len);
	}
}

/* One datagram of one or more requests of @kind. */
static int send_one(struct fz_sock *s, enum fz_kind kind)
{
	static char dgram[MAX_BATCH * MSG_MAX];
	struct fz_req reqs[MAX_BATCH];
	int i, n = kind == K_HEADER || !chance(10) ? 1 : 2 + below(MAX_BATCH - 1);
	size_t off = 0;
	bool garbage = kind == K_HEADER;
	ssize_t ret;

	memset(reqs, 0, sizeof(reqs));
	for (i = 0; i < n; i++) {
		struct fz_req *r = &reqs[i];
		struct nlmsghdr *nlh;
		size_t len;

		r->seq = ++s->seq;
		r->off = off;
		len = build(dgram + off, r->seq, kind, &r->cmd, &r->flags,
			    &r->framing_ok);
		nlh = (struct nlmsghdr *)(dgram + off);
		r->type = nlh->nlmsg_type;
		r->ack = r->flags & NLM_F_ACK;
		r->dump = is_dump_req(r);
		r->len = len;
		/* Messages of a batch start aligned. */
		off += i + 1 < n ? NLMSG_ALIGN(len) : len;
		if (i + 1 < n && NLMSG_ALIGN(len) != len)
			memset(dgram + off - (NLMSG_ALIGN(len) - len), 0,
			       NLMSG_ALIGN(len) - len);
	}
	if (verbose)
		printf("# send %d message(s), kind %d, cmd %u, %zu bytes\n", n,
		       kind, reqs[0].cmd, off);
	ret = send(mnl_socket_get_fd(s->nl), dgram, off, 0);
	if (ret < 0) {
		/* The kernel refuses some datagrams outright (e.g. too big). */
		if (errno != EMSGSIZE && errno != ENOBUFS && errno != EINVAL) {
			fail("send: %s", strerror(errno));
			return -errno;
		}
		st->refused++;
		return 0;
	}
	read_replies(s, reqs, n, 20000, garbage);
	judge(s, reqs, n, dgram, garbage);
	return 0;
}

static enum fz_kind pick_kind(void)
{
	uint32_t r = below(100);

	if (r < 25)
		return K_VALID;
	if (r < 60)
		return K_ATTRS;
	if (r < 85)
		return K_BYTES;
	if (r < 95)
		return K_SOUP;
	return K_HEADER;
}

/* A dump left unfinished: the socket closed after 0 or 1 reads, or kept. */
static void interrupted_dump(struct mnl_socket **keep)
{
	static const uint8_t cmds[] = { CTGUARD_CMD_GET_POLICY,
					CTGUARD_CMD_GET_STATS,
					CTGUARD_CMD_GET_RULE };
	char buf[MNL_SOCKET_BUFFER_SIZE], rbuf[4096];
	struct mnl_socket *nl = mnl_socket_open(NETLINK_GENERIC);
	struct nlmsghdr *nlh;
	struct genlmsghdr *gh;
	int small = 1024 + below(8192), k;

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		fail("interrupted dump: socket: %s", strerror(errno));
		if (nl)
			mnl_socket_close(nl);
		return;
	}
	/* A small receive buffer: the dump needs many rounds. */
	setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUF, &small,
		   sizeof(small));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = env.family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP | (chance(50) ? NLM_F_ACK : 0);
	nlh->nlmsg_seq = 1;
	gh = mnl_nlmsg_put_extra_header(nlh, sizeof(*gh));
	gh->cmd = cmds[below(3)];
	gh->version = CTGUARD_GENL_VERSION;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		fail("interrupted dump: send: %s", strerror(errno));
	for (k = below(3); k > 0; k--)
		if (recv(mnl_socket_get_fd(nl), rbuf, sizeof(rbuf), MSG_DONTWAIT) < 0)
			break;
	if (chance(30)) {
		/* A second dump while the first one runs: EBUSY, not a hang. */
		nlh->nlmsg_seq = 2;
		mnl_socket_sendto(nl, nlh, nlh->nlmsg_len);
	}
	st->dumps_interrupted++;
	if (keep && !*keep && chance(50)) {
		*keep = nl;	/* left unread until the end of the phase */
		return;
	}
	mnl_socket_close(nl);
}

/* Remove an owned cgroup (policy and all) and make it again: a new id. */
static void recycle_cgroup(void)
{
	int i = 1 + below(NR_OWNED - 1);	/* owned[0]: the final check */
	struct ctg_cg *cg = &env.owned[i];
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s", cg->path);
	/* Only leaves: children are recycled by themselves. */
	if (rmdir(path))
		return;
	if (env.nr_dead < NR_DEAD)
		env.dead[env.nr_dead++] = cg->id;
	else
		env.dead[below(NR_DEAD)] = cg->id;
	if (mkdir(path, 0755) == 0)
		cg->id = ctg_cg_id(path);
}

/* The main loop of one role: @n messages. */
static void run_messages(struct fz_sock *s, long n, bool recycle)
{
	struct mnl_socket *kept = NULL;
	long i;

	for (i = 0; i < n; i++) {
		st->iterations++;
		if (chance(2)) {
			interrupted_dump(&kept);
			continue;
		}
		if (recycle && chance(1))
			recycle_cgroup();
		send_one(s, pick_kind());
		if (st->failures > 50)
			break;
	}
	if (kept)
		mnl_socket_close(kept);
}

/* ---- set-up, clean-up, checks ------------------------------------------- */

static int make_owned(void)
{
	static const char *const names[NR_OWNED] = {
		"c0", "c1", "c2", "c3", "c1/d0", "c1/d1", "c2/d0", "c3/d0",
		"c3/d0/e0", "c3/d0/e0/LONG", "c4", "c5", "c6", "c7", "x", "c1x",
	};
	char path[PATH_MAX];
	int i;

	snprintf(env.top.path, sizeof(env.top.path),
		 CTG_CGROOT "/ctguard-fuzz-XXXXXX");
	if (!mkdtemp(env.top.path))
		return -errno;
	env.top.id = ctg_cg_id(env.top.path);
	if (snprintf(env.top_name, sizeof(env.top_name), "%s",
		     env.top.path + strlen(CTG_CGROOT "/")) >= (int)sizeof(env.top_name))
		return -ENAMETOOLONG;
	for (i = 0; i < NR_OWNED; i++) {
		if (!strcmp(names[i], "c3/d0/e0/LONG")) {
			/* A long path: policy replies of several KiB. */
			char name[256];

			memset(name, 'L', 250);
			name[250] = 0;
			if (snprintf(path, sizeof(path), "%s/c3/d0/e0/%s",
				     env.top.path, name) >= (int)sizeof(path))
				return -ENAMETOOLONG;
		} else if (snprintf(path, sizeof(path), "%s/%s", env.top.path,
				    names[i]) >= (int)sizeof(path)) {
			return -ENAMETOOLONG;
		}
		if (mkdir(path, 0755))
			return -errno;
		snprintf(env.owned[i].path, sizeof(env.owned[i].path), "%s",
			 path);
		env.owned[i].id = ctg_cg_id(path);
	}
	return 0;
}

struct counts {
	uint32_t policies, rules;
};

static int status_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct counts *c = arg;
	struct nlattr *a;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) == CTGUARD_A_NR_POLICIES)
			c->policies = mnl_attr_get_u32(a);
		if (mnl_attr_get_type(a) == CTGUARD_A_NR_RULES)
			c->rules = mnl_attr_get_u32(a);
	}
	return MNL_CB_OK;
}

/* A request on a fresh socket, with a callback for each reply. */
static int request(uint8_t cmd, uint16_t flags,
		   void (*put)(struct nlmsghdr *nlh, const void *arg),
		   const void *put_arg, mnl_cb_t cb, void *cb_arg)
{
	char buf[MNL_SOCKET_BUFFER_SIZE + 4096];
	static char rbuf[RCV_MAX];
	struct mnl_socket *nl = mnl_socket_open(NETLINK_GENERIC);
	struct nlmsghdr *nlh;
	struct genlmsghdr *gh;
	unsigned int portid;
	int ret;

	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		mnl_socket_close(nl);
		return -errno;
	}
	portid = mnl_socket_get_portid(nl);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = env.family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	nlh->nlmsg_seq = 1;
	gh = mnl_nlmsg_put_extra_header(nlh, sizeof(*gh));
	gh->cmd = cmd;
	gh->version = CTGUARD_GENL_VERSION;
	if (put)
		put(nlh, put_arg);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		ret = -errno;
		goto out;
	}
	do {
		ret = mnl_socket_recvfrom(nl, rbuf, sizeof(rbuf));
		if (ret <= 0) {
			ret = -errno;
			break;
		}
		ret = mnl_cb_run(rbuf, ret, 1, portid, cb, cb_arg);
	} while (ret > 0);
	if (ret < 0)
		ret = -errno;
out:
	mnl_socket_close(nl);
	return ret;
}

static int get_counts(struct counts *c)
{
	memset(c, 0, sizeof(*c));
	return request(CTGUARD_CMD_GET_STATUS, 0, NULL, NULL, status_cb, c);
}

/* Dump: count the policies, and collect the rule patterns. */
#define MAX_PATTERNS 4096
struct dump_acc {
	long n;
	char *patterns[MAX_PATTERNS];
	int nr_patterns;
};

static int dump_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct dump_acc *d = arg;
	struct nlattr *a;

	d->n++;
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) == CTGUARD_A_RULE_PATTERN &&
		    d->nr_patterns < MAX_PATTERNS &&
		    ((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd ==
		    CTGUARD_CMD_GET_RULE)
			d->patterns[d->nr_patterns++] = strndup(
				mnl_attr_get_payload(a),
				mnl_attr_get_payload_len(a));
	}
	return MNL_CB_OK;
}

static void dump_free(struct dump_acc *d)
{
	int i;

	for (i = 0; i < d->nr_patterns; i++)
		free(d->patterns[i]);
	memset(d, 0, sizeof(*d));
}

static void put_pattern(struct nlmsghdr *nlh, const void *arg)
{
	mnl_attr_put_strz(nlh, CTGUARD_A_RULE_PATTERN, arg);
}

static void put_cgid(struct nlmsghdr *nlh, const void *arg)
{
	mnl_attr_put_u64(nlh, CTGUARD_A_CGROUP_ID, *(const uint64_t *)arg);
}

static bool in_baseline(struct dump_acc *base, const char *p)
{
	int i;

	for (i = 0; i < base->nr_patterns; i++)
		if (!strcmp(base->patterns[i], p))
			return true;
	return false;
}

/* Delete every rule that was not there before, and our policies. */
static void cleanup(struct dump_acc *base_rules)
{
	struct dump_acc d = { 0 };
	char prefix[80];
	int i, err;

	snprintf(prefix, sizeof(prefix), "/%s/", env.top_name);
	request(CTGUARD_CMD_GET_RULE, NLM_F_DUMP, NULL, NULL, dump_cb, &d);
	for (i = 0; i < d.nr_patterns; i++) {
		if (in_baseline(base_rules, d.patterns[i]))
			continue;
		/*
		 * Byte-level mutations of a valid request can change the
		 * prefix into another valid pattern: legitimate, and deleted
		 * here like the others.
		 */
		if (strncmp(d.patterns[i], prefix, strlen(prefix)))
			printf("# a mutated pattern made a valid rule: \"%s\"\n",
			       d.patterns[i]);
		err = request(CTGUARD_CMD_DEL_RULE, 0, put_pattern,
			      d.patterns[i], NULL, NULL);
		if (err && err != -ENOENT)
			fail("DEL_RULE \"%s\": %s", d.patterns[i], strerror(-err));
	}
	dump_free(&d);
	for (i = 0; i < NR_OWNED; i++)
		request(CTGUARD_CMD_DEL_POLICY, 0, put_cgid, &env.owned[i].id,
			NULL, NULL);
	request(CTGUARD_CMD_DEL_POLICY, 0, put_cgid, &env.top.id, NULL, NULL);
	for (i = 0; i < env.nr_dead; i++)
		request(CTGUARD_CMD_DEL_POLICY, 0, put_cgid, &env.dead[i],
			NULL, NULL);
}

/* The root cgroup must never have been tagged. */
static void check_root(void)
{
	struct dump_acc d = { 0 };
	int err = request(CTGUARD_CMD_GET_POLICY, 0, put_cgid, &env.root_id,
			  dump_cb, &d);

	if (err != -ENOENT && err != -EINVAL) {
		fail("the root cgroup has a policy (GET_POLICY: %s)",
		     err ? strerror(-err) : "found");
		request(CTGUARD_CMD_DEL_POLICY, 0, put_cgid, &env.root_id,
			NULL, NULL);
	}
}

/* ---- roles in children --------------------------------------------------- */

static pid_t run_child(enum fz_role role, const char *cgroup, bool may_admin,
		       long n, uint64_t child_seed)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid)
		return pid;
	rng_state = child_seed ?: 1;
	if (cgroup && ctg_cg_enter(cgroup, 0)) {
		fail("cannot enter %s: %s", cgroup, strerror(errno));
		_exit(1);
	}
	if (role == R_UNPRIV) {
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534)) {
			fail("cannot become nobody: %s", strerror(errno));
			_exit(1);
		}
	}
	{
		struct fz_sock s;
		int err = sock_open(&s, role);

		if (err) {
			fail("socket in role %d: %s", role, strerror(-err));
			_exit(1);
		}
		s.may_admin = may_admin;
		run_messages(&s, n, false);
		mnl_socket_close(s.nl);
	}
	_exit(0);
}

static int wait_child(pid_t pid, const char *what)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fail("%s: child ended with status %#x", what, status);
		return -1;
	}
	return 0;
}

/* ---- the enforcement check -------------------------------------------------- */

static long open_packet(void *arg)
{
	int fd;

	(void)arg;
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (fd >= 0)
		close(fd);
	return fd;
}

/*
 * Regression: a policy on a cgroup whose path is longer than one page of
 * netlink message (NLMSG_GOODSIZE, ~3.7 KiB) must still be listed by the
 * dumps; a confined tenant could otherwise create such a cgroup and make
 * every GET_POLICY dump (ctguard list) fail with EMSGSIZE. @depth levels of
 * 200 characters below our own cgroup.
 */
struct big_rule {
	const char *pattern;
	int nr;
};

static void put_big_rule(struct nlmsghdr *nlh, const void *arg)
{
	const struct big_rule *b = arg;
	struct nlattr *devs, *r;
	int i;

	mnl_attr_put_strz(nlh, CTGUARD_A_RULE_PATTERN, b->pattern);
	mnl_attr_put_u32(nlh, CTGUARD_A_DENY, CTGUARD_CLASS_DEVICES);
	devs = mnl_attr_nest_start(nlh, CTGUARD_A_DEVICES);
	for (i = 0; i < b->nr; i++) {
		r = mnl_attr_nest_start(nlh, i);
		mnl_attr_put_u8(nlh, CTGUARD_A_DEV_TYPE, CTGUARD_DEV_CHAR);
		mnl_attr_put_u32(nlh, CTGUARD_A_DEV_MAJOR, 1 + i);
		mnl_attr_put_u32(nlh, CTGUARD_A_DEV_MINOR, i);
		mnl_attr_put_u8(nlh, CTGUARD_A_DEV_ACCESS, CTGUARD_DEV_READ);
		mnl_attr_nest_end(nlh, r);
	}
	mnl_attr_nest_end(nlh, devs);
}

static int max_dev_rules_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *a;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(a) == CTGUARD_A_MAX_DEV_RULES)
			*(uint32_t *)arg = mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

/* Likewise: a rule with max_dev_rules device rules (4.6 KiB) is dumped. */
static int big_rule_dumps(char *why, size_t len)
{
	char pattern[128];
	struct big_rule b = { pattern, 0 };
	struct dump_acc d = { 0 };
	uint32_t max = 0;
	int err;

	snprintf(pattern, sizeof(pattern), "/%s/nothing-matches-this", env.top_name);
	request(CTGUARD_CMD_GET_STATUS, 0, NULL, NULL, max_dev_rules_cb, &max);
	b.nr = max;
	err = request(CTGUARD_CMD_SET_RULE, 0, put_big_rule, &b, NULL, NULL);
	if (err) {
		snprintf(why, len, "SET_RULE with %u device rules: %s", max,
			 strerror(-err));
		return -1;
	}
	err = request(CTGUARD_CMD_GET_RULE, NLM_F_DUMP, NULL, NULL, dump_cb, &d);
	if (err < 0 || d.n < 1) {
		snprintf(why, len, "GET_RULE dump of a rule with %u device rules: %s",
			 max, err < 0 ? strerror(-err) : "listed nothing");
		err = -1;
	}
	dump_free(&d);
	request(CTGUARD_CMD_DEL_RULE, 0, put_pattern, pattern, NULL, NULL);
	return err;
}

static int long_path_dumps(struct ctg_nl *nl, int depth, char *why, size_t len)
{
	static const uint8_t cmds[] = { CTGUARD_CMD_GET_POLICY,
					CTGUARD_CMD_GET_STATS };
	struct dump_acc d = { 0 };
	int fds[33], nr = 0, i, err = -1, derr;
	char name[201];
	struct stat sb;
	uint64_t id;

	if (depth > 32)
		depth = 32;
	memset(name, 'p', 200);
	name[200] = 0;
	/* Below PATH_MAX for each call: one level at a time, by fd. */
	fds[nr] = open(env.top.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	while (fds[nr] >= 0 && nr < depth) {
		if (mkdirat(fds[nr], name, 0755) && errno != EEXIST)
			break;
		fds[nr + 1] = openat(fds[nr], name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		nr++;
	}
	if (fds[nr] < 0 || nr < depth || fstat(fds[nr], &sb)) {
		snprintf(why, len, "cannot create %d nested cgroups: %s", depth,
			 strerror(errno));
		goto out;
	}
	id = sb.st_ino;
	derr = ctg_policy(nl, id, CTGUARD_CLASS_DMESG, 0, CTGUARD_MODE_ENFORCE);
	if (derr) {
		snprintf(why, len, "SET_POLICY: %s (%s)", strerror(-derr),
			 nl->ext.msg);
		goto out;
	}
	err = 0;
	for (i = 0; i < 2 && !err; i++) {
		const char *what = cmds[i] == CTGUARD_CMD_GET_POLICY ?
				   "GET_POLICY" : "GET_STATS";

		dump_free(&d);
		derr = request(cmds[i], NLM_F_DUMP, NULL, NULL, dump_cb, &d);
		if (derr < 0) {
			snprintf(why, len, "%s dump with a %d-character path: %s",
				 what, depth * 201 + (int)strlen(env.top_name) + 1,
				 strerror(-derr));
			err = -1;
		} else if (d.n < 1) {
			snprintf(why, len, "the %s dump listed no policy", what);
			err = -1;
		}
	}
	dump_free(&d);
	ctg_del(nl, id);
out:
	/* Deepest first. */
	if (fds[nr] >= 0)
		close(fds[nr]);
	while (nr-- > 0) {
		unlinkat(fds[nr], name, AT_REMOVEDIR);
		close(fds[nr]);
	}
	return err;
}

static int check_enforces(struct ctg_nl *nl)
{
	struct ctg_res res;
	int err;

	/* Unconfined first: the operation works, so the check can fail. */
	if (ctg_run(env.owned[0].path, NULL, open_packet, NULL, &res) ||
	    res.ret < 0) {
		fail("AF_PACKET socket untagged: %s", ctg_res_str(&res));
		return -1;
	}
	err = ctg_policy(nl, env.owned[0].id, CTGUARD_CLASS_RAWSOCK, 0,
			 CTGUARD_MODE_ENFORCE);
	if (err) {
		fail("SET_POLICY for the enforcement check: %s (%s)",
		     strerror(-err), nl->ext.msg);
		return -1;
	}
	if (ctg_run(env.owned[0].path, NULL, open_packet, NULL, &res) ||
	    res.ret != -1 || res.err != EPERM) {
		fail("AF_PACKET socket in a tagged cgroup: %s, expected EPERM",
		     ctg_res_str(&res));
		ctg_del(nl, env.owned[0].id);
		return -1;
	}
	err = ctg_del(nl, env.owned[0].id);
	if (err) {
		fail("DEL_POLICY after the enforcement check: %s", strerror(-err));
		return -1;
	}
	return 0;
}

/* ---- main ---------------------------------------------------------------------- */

static int test_no, tap_failed;

static void tap(bool ok, const char *fmt, ...)
{
	va_list ap;

	tap_failed += !ok;
	printf("%s %d - ", ok ? "ok" : "not ok", ++test_no);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static const char *cmd_name(int c)
{
	static const char *const names[] = {
		"UNSPEC", "SET_POLICY", "DEL_POLICY", "GET_POLICY",
		"GET_STATUS", "GET_STATS", "EVENT", "SET_RULE", "DEL_RULE",
		"GET_RULE",
	};
	static char buf[16];

	if (c < (int)(sizeof(names) / sizeof(names[0])) && c < __CTGUARD_CMD_MAX)
		return names[c];
	snprintf(buf, sizeof(buf), "cmd%d", c);
	return buf;
}

static void print_stats(const char *role)
{
	int c;

	printf("# %s: %ld messages, %ld replies (%ld data, %ld acks, %ld errors), %ld dumps, %ld interrupted\n",
	       role, st->sent, st->replies, st->data, st->acks_ok, st->errors,
	       st->dumps, st->dumps_interrupted);
	printf("#   accepted/sent per command:");
	for (c = 0; c <= NR_CMDS; c++)
		if (st->per_cmd_sent[c])
			printf(" %s %ld/%ld", c == NR_CMDS ? "other" : cmd_name(c),
			       st->per_cmd_ok[c], st->per_cmd_sent[c]);
	printf("\n");
}

static void reset_stats(void)
{
	memset(st, 0, sizeof(*st));
}

int main(int argc, char **argv)
{
	struct counts before, after;
	struct dump_acc base_rules = { 0 }, d = { 0 };
	struct ctg_cg conf_admin, conf_noadmin;
	struct ctg_nl nl;
	struct fz_sock s;
	struct stat sb;
	const char *e;
	long n_admin, n_other;
	int opt, i, err;
	bool ok;

	e = getenv("CTGUARD_FUZZ_SEED");
	seed = e && *e ? strtoull(e, NULL, 0) : 0;
	e = getenv("CTGUARD_FUZZ_MESSAGES");
	nr_messages = e && *e ? strtol(e, NULL, 0) : 5000;
	while ((opt = getopt(argc, argv, "s:n:v")) != -1) {
		switch (opt) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			nr_messages = strtol(optarg, NULL, 0);
			break;
		case 'v':
			verbose = true;
			break;
		default:
			fprintf(stderr, "usage: %s [-s SEED] [-n MESSAGES] [-v]\n",
				argv[0]);
			return 2;
		}
	}
	if (!seed) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		seed = (uint64_t)ts.tv_sec * 1000000007ULL ^ ts.tv_nsec ^
		       ((uint64_t)getpid() << 32);
	}
	rng_state = seed;
	setvbuf(stdout, NULL, _IOLBF, 0);

	printf("TAP version 13\n1..10\n");
	printf("# seed %#" PRIx64 ", %ld messages (reproduce: CTGUARD_FUZZ_SEED=%#" PRIx64 " CTGUARD_FUZZ_MESSAGES=%ld)\n",
	       seed, nr_messages, seed, nr_messages);
	printf("# commands 0..%d (__CTGUARD_CMD_MAX %d)\n", NR_CMDS - 1,
	       __CTGUARD_CMD_MAX);

	st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (st == MAP_FAILED || !ctg_cgroup2_mounted() || ctg_nl_open(&nl)) {
		printf("Bail out! no shared memory, cgroup2 or ctguard family\n");
		return 1;
	}
	env.family = nl.family;
	if (stat(CTG_CGROOT, &sb)) {
		printf("Bail out! stat %s\n", CTG_CGROOT);
		return 1;
	}
	env.root_id = sb.st_ino;
	err = make_owned();
	if (err || ctg_cg_create(&conf_admin) || ctg_cg_create(&conf_noadmin)) {
		printf("Bail out! cannot create cgroups: %s\n", strerror(-err));
		return 1;
	}
	/* Confined: one may still use CAP_NET_ADMIN, one may not. */
	if (ctg_policy(&nl, conf_admin.id, CTGUARD_CLASS_DMESG, 0,
		       CTGUARD_MODE_ENFORCE) ||
	    ctg_policy(&nl, conf_noadmin.id, CTGUARD_CLASS_DMESG,
		       1ULL << CAP_NET_ADMIN, CTGUARD_MODE_ENFORCE)) {
		printf("Bail out! cannot tag the confined cgroups: %s\n", nl.ext.msg);
		return 1;
	}
	if (get_counts(&before) ||
	    request(CTGUARD_CMD_GET_RULE, NLM_F_DUMP, NULL, NULL, dump_cb,
		    &base_rules) < 0) {
		printf("Bail out! GET_STATUS or rule dump failed\n");
		return 1;
	}
	printf("# before: %u policies, %u rules\n", before.policies,
	       before.rules);

	n_other = nr_messages / 10;
	n_admin = nr_messages - 2 * n_other;

	/* 1: privileged. */
	reset_stats();
	err = sock_open(&s, R_ADMIN);
	if (err) {
		printf("Bail out! netlink socket: %s\n", strerror(-err));
		return 1;
	}
	run_messages(&s, n_admin, true);
	mnl_socket_close(s.nl);
	print_stats("CAP_NET_ADMIN");
	ok = !st->failures && st->per_cmd_ok[CTGUARD_CMD_SET_POLICY] &&
	     st->per_cmd_ok[CTGUARD_CMD_DEL_POLICY] &&
	     st->per_cmd_ok[CTGUARD_CMD_GET_POLICY] &&
	     st->per_cmd_ok[CTGUARD_CMD_GET_STATUS];
	if (!st->failures && !ok)
		printf("# the well-formed requests never got through: the fuzzer does not reach the commands\n");
	check_root();
	tap(ok && !st->failures, "fuzz: %ld messages with CAP_NET_ADMIN, each acked once%s%s",
	    st->sent, st->failures ? ": " : "", st->first_failure);
	/* After the interrupted dumps: a dump counts what the status counts. */
	{
		long interrupted = st->dumps_interrupted, dumps = st->dumps;

		reset_stats();
		err = get_counts(&after);
		if (!err)
			err = request(CTGUARD_CMD_GET_POLICY, NLM_F_DUMP, NULL,
				      NULL, dump_cb, &d);
		tap(!err && interrupted > 0 && dumps > 0 && d.n == after.policies,
		    "fuzz: after %ld interrupted dumps and %ld dumps, a dump lists the %u policies GET_STATUS counts (%ld)",
		    interrupted, dumps, after.policies, d.n);
		dump_free(&d);
	}

	/* 2: unprivileged (nobody, no capability). */
	reset_stats();
	wait_child(run_child(R_UNPRIV, NULL, false, n_other, rnd()), "unprivileged");
	print_stats("nobody");
	tap(!st->failures && st->iterations == n_other,
	    "fuzz: %ld messages as nobody, all refused%s%s", st->sent,
	    st->failures ? ": " : "", st->first_failure);

	/* 3: confined, half with CAP_NET_ADMIN, half with it denied. */
	reset_stats();
	wait_child(run_child(R_CONFINED, conf_admin.path, true, n_other / 2, rnd()),
		   "confined");
	wait_child(run_child(R_CONFINED, conf_noadmin.path, false,
			     n_other - n_other / 2, rnd()), "confined without CAP_NET_ADMIN");
	print_stats("confined");
	tap(!st->failures && st->iterations == n_other,
	    "fuzz: %ld messages from tagged cgroups, no change accepted%s%s",
	    st->sent, st->failures ? ": " : "", st->first_failure);

	/* 4: nothing leaked. */
	reset_stats();
	cleanup(&base_rules);
	ctg_del(&nl, conf_admin.id);
	ctg_del(&nl, conf_noadmin.id);
	/* Removed cgroups' policies are reclaimed in the background (5 s). */
	for (i = 0; i < 300; i++) {
		if (get_counts(&after))
			break;
		if (after.policies + 2 == before.policies &&
		    after.rules == before.rules)
			break;
		usleep(100000);
	}
	request(CTGUARD_CMD_GET_POLICY, NLM_F_DUMP, NULL, NULL, dump_cb, &d);
	printf("# after: %u policies (%ld in a dump), %u rules; before %u policies (2 of them the fuzzer's own), %u rules\n",
	       after.policies, d.n, after.rules, before.policies, before.rules);
	tap(!st->failures && after.policies + 2 == before.policies &&
	    after.rules == before.rules && d.n == after.policies,
	    "fuzz: no policy or rule leaked%s%s",
	    st->failures ? ": " : "", st->first_failure);
	dump_free(&d);

	/* 5: still enforcing. */
	reset_stats();
	tap(!check_enforces(&nl), "fuzz: the module still enforces%s%s",
	    st->failures ? ": " : "", st->first_failure);

	/* 6: the status still answers and the counts are right. */
	reset_stats();
	err = get_counts(&after);
	tap(!err && after.policies + 2 == before.policies,
	    "fuzz: GET_STATUS answers (%u policies)", after.policies);

	/* 7: a policy on a cgroup with a long path is dumped. */
	{
		char why[300] = "";

		err = long_path_dumps(&nl, 19, why, sizeof(why));
		tap(!err, "fuzz: the policy of a cgroup with a 3.8 KiB path is dumped%s%s",
		    why[0] ? ": " : "", why);
		why[0] = 0;
		err = big_rule_dumps(why, sizeof(why));
		tap(!err, "fuzz: a rule with max_dev_rules device rules is dumped%s%s",
		    why[0] ? ": " : "", why);
	}

	/* 8: cgroups go. */
	ok = !ctg_cg_destroy(&nl, env.top.path) &&
	     !ctg_cg_destroy(&nl, conf_admin.path) &&
	     !ctg_cg_destroy(&nl, conf_noadmin.path);
	tap(ok, "fuzz: the fuzzer's cgroups removed");
	ctg_nl_close(&nl);
	dump_free(&base_rules);
	printf("# seed %#" PRIx64 "\n", seed);
	return tap_failed ? 1 : 0;
}
