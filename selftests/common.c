// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the ctguard selftests: netlink with libnl-genl-3,
 * cgroups, and children that run one operation inside a cgroup.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/magic.h>
#include <linux/netlink.h>

#include "common.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

int ctg_stage;

/*
 * The tests load nothing, but resolving the "ctguard" family makes the
 * kernel ask modprobe for it: never let that happen on a development host.
 * selftests/vm/run sets CTGUARD_VM=1 in the guest.
 */
__attribute__((constructor)) static void ctg_vm_only(void)
{
	const char *vm = getenv("CTGUARD_VM");
	static bool checked;

	if (checked)
		return;
	checked = true;

	if (!vm || strcmp(vm, "1")) {
		fprintf(stderr,
			"ctguard selftests run in the test VM only "
			"(selftests/vm/run --load -- %s); CTGUARD_VM is not 1\n",
			program_invocation_name);
		exit(1);
	}
}

/* ---- netlink -------------------------------------------------------- */

int ctg_nl_open(struct ctg_nl *nl)
{
	int one = 1, err;

	memset(nl, 0, sizeof(*nl));
	nl->family = -1;
	nl->mcgrp = -1;
	nl->sk = nl_socket_alloc();
	if (!nl->sk)
		return -ENOMEM;
	err = genl_connect(nl->sk);
	if (err) {
		err = -EIO;
		goto fail;
	}
	nl->family = genl_ctrl_resolve(nl->sk, CTGUARD_GENL_NAME);
	if (nl->family < 0) {
		/* The module is not loaded. */
		err = -ENOENT;
		goto fail;
	}
	/* Replies are matched by sequence number in ctg_send(). */
	nl_socket_disable_seq_check(nl->sk);
	nl_socket_enable_msg_peek(nl->sk);
	if (setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		       &one, sizeof(one))) {
		err = -errno;
		goto fail;
	}
	/* A reply that never comes is an error, not a hang. */
	if (setsockopt(nl_socket_get_fd(nl->sk), SOL_SOCKET, SO_RCVTIMEO,
		       &(struct timeval){ .tv_sec = 20 },
		       sizeof(struct timeval))) {
		err = -errno;
		goto fail;
	}
	return 0;
fail:
	nl_socket_free(nl->sk);
	nl->sk = NULL;
	return err;
}

void ctg_nl_close(struct ctg_nl *nl)
{
	if (nl->sk)
		nl_socket_free(nl->sk);
	nl->sk = NULL;
}

struct nl_msg *ctg_msg(struct ctg_nl *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc_size(1 << 16);

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, flags,
			 cmd, CTGUARD_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

uint32_t ctg_put(struct nl_msg *msg, int type, const void *data, int len)
{
	struct nlattr *a = nla_reserve(msg, type, len);

	if (!a)
		return 0;
	if (len)
		memcpy(nla_data(a), data, len);
	return (char *)a - (char *)nlmsg_hdr(msg);
}

uint32_t ctg_put_u8(struct nl_msg *msg, int type, uint8_t v)
{
	return ctg_put(msg, type, &v, sizeof(v));
}

uint32_t ctg_put_u32(struct nl_msg *msg, int type, uint32_t v)
{
	return ctg_put(msg, type, &v, sizeof(v));
}

uint32_t ctg_put_u64(struct nl_msg *msg, int type, uint64_t v)
{
	return ctg_put(msg, type, &v, sizeof(v));
}

struct ctg_req {
	struct ctg_nl *nl;
	uint32_t seq;
	bool done;
	int err;		/* kernel's error, negative */
	ctg_reply_fn fn;
	void *arg;
	int fn_err;
};

static void ctg_parse_extack(struct ctg_extack *ext, struct nlmsghdr *nlh,
			     struct nlmsgerr *e, size_t total)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = sizeof(*e);
	struct nlattr *a;
	int len;

	memset(ext, 0, sizeof(*ext));
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	off = NLMSG_ALIGN(off);
	if (off >= total)
		return;
	a = (struct nlattr *)((char *)e + off);
	len = total - off;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, a, len, NULL))
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(ext->msg, sizeof(ext->msg), "%.*s",
			 nla_len(tb[NLMSGERR_ATTR_MSG]),
			 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	/* The kernel includes the NUL; strip anything after it. */
	ext->msg[strnlen(ext->msg, sizeof(ext->msg))] = '\0';
	if (tb[NLMSGERR_ATTR_OFFS] && nla_len(tb[NLMSGERR_ATTR_OFFS]) == 4) {
		ext->has_offs = true;
		ext->offs = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	}
	if (tb[NLMSGERR_ATTR_MISS_TYPE] &&
	    nla_len(tb[NLMSGERR_ATTR_MISS_TYPE]) == 4) {
		ext->has_miss_type = true;
		ext->miss_type = nla_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);
	}
}

static int ctg_err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct ctg_req *req = arg;
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);

	(void)nla;
	if (nlh->nlmsg_seq != req->seq)
		return NL_SKIP;
	req->err = e->error;
	req->done = true;
	ctg_parse_extack(&req->nl->ext, nlh, e, nlh->nlmsg_len - NLMSG_HDRLEN);
	return NL_STOP;
}

static int ctg_ack_cb(struct nl_msg *msg, void *arg)
{
	struct ctg_req *req = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	if (nlh->nlmsg_seq != req->seq)
		return NL_SKIP;
	req->done = true;
	ctg_parse_extack(&req->nl->ext, nlh, nlmsg_data(nlh),
			 nlh->nlmsg_len - NLMSG_HDRLEN);
	return NL_STOP;
}

static int ctg_finish_cb(struct nl_msg *msg, void *arg)
{
	struct ctg_req *req = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	if (nlh->nlmsg_seq != req->seq)
		return NL_SKIP;
	req->done = true;
	/* A dump that failed carries its error in NLMSG_DONE. */
	if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(int)) {
		int e = *(int *)nlmsg_data(nlh);

		if (e < 0)
			req->err = e;
	}
	return NL_STOP;
}

static int ctg_valid_cb(struct nl_msg *msg, void *arg)
{
	struct ctg_req *req = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gh = nlmsg_data(nlh);
	struct nlattr *tb[CTGUARD_A_MAX + 1];
	int err;

	if (nlh->nlmsg_seq != req->seq)
		return NL_SKIP;
	if (nlh->nlmsg_type != req->nl->family) {
		snprintf(req->nl->bad_reply, sizeof(req->nl->bad_reply),
			 "reply of type %u, not the family %d",
			 nlh->nlmsg_type, req->nl->family);
		req->fn_err = -EBADMSG;
		return NL_SKIP;
	}
	if (gh->version != CTGUARD_GENL_VERSION) {
		snprintf(req->nl->bad_reply, sizeof(req->nl->bad_reply),
			 "reply of version %u", gh->version);
		req->fn_err = -EBADMSG;
	}
	err = genlmsg_parse(nlh, 0, tb, CTGUARD_A_MAX, NULL);
	if (err) {
		snprintf(req->nl->bad_reply, sizeof(req->nl->bad_reply),
			 "reply does not parse: %s", nl_geterror(err));
		req->fn_err = -EBADMSG;
		return NL_SKIP;
	}
	if (req->fn) {
		err = req->fn(req->nl, gh->cmd, tb, req->arg);
		if (err && !req->fn_err)
			req->fn_err = err;
	}
	return NL_OK;
}

/* Sequence numbers are checked by the callbacks themselves. */
static int ctg_noop_cb(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

int ctg_send(struct ctg_nl *nl, struct nl_msg *msg, ctg_reply_fn fn,
	     void *arg)
{
	struct ctg_req req = { .nl = nl, .fn = fn, .arg = arg };
	struct nl_cb *cb;
	int err;

	memset(&nl->ext, 0, sizeof(nl->ext));
	nl->bad_reply[0] = '\0';
	cb = nl_cb_alloc(NL_CB_CUSTOM);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_err(cb, NL_CB_CUSTOM, ctg_err_cb, &req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ctg_ack_cb, &req);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, ctg_finish_cb, &req);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, ctg_valid_cb, &req);
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, ctg_noop_cb, NULL);

	err = nl_send_auto(nl->sk, msg);
	if (err < 0) {
		nlmsg_free(msg);
		nl_cb_put(cb);
		return -EIO;
	}
	req.seq = nlmsg_hdr(msg)->nlmsg_seq;
	nlmsg_free(msg);

	while (!req.done) {
		err = nl_recvmsgs(nl->sk, cb);
		if (req.done)
			break;
		if (err < 0) {
			req.err = -EIO;
			snprintf(nl->bad_reply, sizeof(nl->bad_reply),
				 "nl_recvmsgs: %s", nl_geterror(err));
			break;
		}
	}
	nl_cb_put(cb);
	if (req.err)
		return req.err;
	return req.fn_err;
}

/* ---- policies ------------------------------------------------------- */

static int ctg_put_rules(struct nl_msg *msg, const struct ctg_rule *rules,
			 int nr)
{
	struct nlattr *devices, *rule;
	int i;

	/* libnl's nla_nest_end() drops empty nests: put this one by hand. */
	if (!nr)
		return ctg_put(msg, NLA_F_NESTED | CTGUARD_A_DEVICES, NULL, 0) ?
		       0 : -EMSGSIZE;
	devices = nla_nest_start(msg, CTGUARD_A_DEVICES);
	if (!devices)
		return -EMSGSIZE;
	for (i = 0; i < nr; i++) {
		rule = nla_nest_start(msg, i);
		if (!rule || !ctg_put_u8(msg, CTGUARD_A_DEV_TYPE, rules[i].type))
			return -EMSGSIZE;
		if (rules[i].major != CTGUARD_DEV_ANY &&
		    !ctg_put_u32(msg, CTGUARD_A_DEV_MAJOR, rules[i].major))
			return -EMSGSIZE;
		if (rules[i].minor != CTGUARD_DEV_ANY &&
		    !ctg_put_u32(msg, CTGUARD_A_DEV_MINOR, rules[i].minor))
			return -EMSGSIZE;
		if (!ctg_put_u8(msg, CTGUARD_A_DEV_ACCESS, rules[i].access))
			return -EMSGSIZE;
		nla_nest_end(msg, rule);
	}
	nla_nest_end(msg, devices);
	return 0;
}

int ctg_set(struct ctg_nl *nl, const struct ctg_set *s)
{
	struct nl_msg *msg = ctg_msg(nl, CTGUARD_CMD_SET_POLICY, 0);

	if (!msg)
		return -ENOMEM;
	if (!ctg_put_u64(msg, CTGUARD_A_CGROUP_ID, s->cgid) ||
	    (s->has_flags && !ctg_put_u32(msg, CTGUARD_A_FLAGS, s->flags)) ||
	    (s->has_deny && !ctg_put_u32(msg, CTGUARD_A_DENY, s->deny)) ||
	    (s->has_caps && !ctg_put_u64(msg, CTGUARD_A_DENY_CAPS, s->caps)) ||
	    (s->has_mode && !ctg_put_u8(msg, CTGUARD_A_MODE, s->mode)) ||
	    (s->has_devices && ctg_put_rules(msg, s->rules, s->nr_rules))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return ctg_send(nl, msg, NULL, NULL);
}

int ctg_policy(struct ctg_nl *nl, uint64_t cgid, uint32_t deny, uint64_t caps,
	       uint8_t mode)
{
	struct ctg_set s = {
		.cgid = cgid,
		.has_flags = true, .flags = CTGUARD_F_REPLACE,
		.has_deny = true, .deny = deny,
		.has_caps = true, .caps = caps,
		.has_mode = true, .mode = mode,
	};

	return ctg_set(nl, &s);
}

int ctg_policy_dev(struct ctg_nl *nl, uint64_t cgid, uint32_t deny,
		   uint8_t mode, const struct ctg_rule *rules, int nr)
{
	struct ctg_set s = {
		.cgid = cgid,
		.has_flags = true, .flags = CTGUARD_F_REPLACE,
		.has_deny = true, .deny = deny | CTGUARD_CLASS_DEVICES,
		.has_mode = true, .mode = mode,
		.has_devices = true, .rules = rules, .nr_rules = nr,
	};

	return ctg_set(nl, &s);
}

static int ctg_cgid_request(struct ctg_nl *nl, uint8_t cmd, uint64_t cgid,
			    ctg_reply_fn fn, void *arg)
{
	struct nl_msg *msg = ctg_msg(nl, cmd, 0);

	if (!msg)
		return -ENOMEM;
	if (!ctg_put_u64(msg, CTGUARD_A_CGROUP_ID, cgid)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return ctg_send(nl, msg, fn, arg);
}

int ctg_del(struct ctg_nl *nl, uint64_t cgid)
{
	return ctg_cgid_request(nl, CTGUARD_CMD_DEL_POLICY, cgid, NULL, NULL);
}

static int ctg_bad(struct ctg_nl *nl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(nl->bad_reply, sizeof(nl->bad_reply), fmt, ap);
	va_end(ap);
	return -EBADMSG;
}

#define CTG_GET(nl, a, bits, what)                                          \
	({                                                                  \
		uint##bits##_t __v = 0;                                     \
		if (nla_len(a) != (bits) / 8)                               \
			return ctg_bad(nl, "%s: length %d, not %d", what,   \
				       nla_len(a), (bits) / 8);             \
		memcpy(&__v, nla_data(a), sizeof(__v));                     \
		__v;                                                        \
	})

static int ctg_parse_string(struct ctg_nl *nl, const struct nlattr *a,
			    char *buf, size_t len, const char *what)
{
	const char *s = nla_data(a);
	int n = nla_len(a);

	if (n < 1 || s[n - 1] != '\0' || (size_t)n > len)
		return ctg_bad(nl, "%s: not a NUL-terminated string of at most %zu bytes",
			       what, len);
	memcpy(buf, s, n);
	return 0;
}

static int ctg_parse_stats(struct ctg_nl *nl, struct nlattr *nest,
			   struct ctg_stats *st)
{
	struct nlattr *tb[CTGUARD_A_STATS_MAX + 1];

	if (nla_parse_nested(tb, CTGUARD_A_STATS_MAX, nest, NULL))
		return ctg_bad(nl, "CTGUARD_A_STATS does not parse");
	if (!tb[CTGUARD_A_STATS_DENIED] || !tb[CTGUARD_A_STATS_COMPLAINED] ||
	    !tb[CTGUARD_A_STATS_LOG_SUPPRESSED] ||
	    !tb[CTGUARD_A_STATS_EVENTS_LOST])
		return ctg_bad(nl, "CTGUARD_A_STATS lacks a counter");
	st->denied = CTG_GET(nl, tb[CTGUARD_A_STATS_DENIED], 64, "DENIED");
	st->complained = CTG_GET(nl, tb[CTGUARD_A_STATS_COMPLAINED], 64,
				 "COMPLAINED");
	st->log_suppressed = CTG_GET(nl, tb[CTGUARD_A_STATS_LOG_SUPPRESSED],
				     64, "LOG_SUPPRESSED");
	st->events_lost = CTG_GET(nl, tb[CTGUARD_A_STATS_EVENTS_LOST], 64,
				  "EVENTS_LOST");
	return 0;
}

static int ctg_parse_rule(struct ctg_nl *nl, struct nlattr *nest,
			  struct ctg_rule *r)
{
	struct nlattr *tb[CTGUARD_A_DEV_MAX + 1];

	if (nla_parse_nested(tb, CTGUARD_A_DEV_MAX, nest, NULL))
		return ctg_bad(nl, "device rule does not parse");
	if (!tb[CTGUARD_A_DEV_TYPE] || !tb[CTGUARD_A_DEV_MAJOR] ||
	    !tb[CTGUARD_A_DEV_MINOR] || !tb[CTGUARD_A_DEV_ACCESS])
		return ctg_bad(nl, "device rule lacks a field");
	r->type = CTG_GET(nl, tb[CTGUARD_A_DEV_TYPE], 8, "DEV_TYPE");
	r->major = CTG_GET(nl, tb[CTGUARD_A_DEV_MAJOR], 32, "DEV_MAJOR");
	r->minor = CTG_GET(nl, tb[CTGUARD_A_DEV_MINOR], 32, "DEV_MINOR");
	r->access = CTG_GET(nl, tb[CTGUARD_A_DEV_ACCESS], 8, "DEV_ACCESS");
	return 0;
}

static int ctg_pol_cb(struct ctg_nl *nl, uint8_t cmd, struct nlattr **tb,
		      void *arg)
{
	struct ctg_pol *p = arg;
	struct nlattr *a;
	int rem, err;

	memset(p, 0, sizeof(*p));
	p->cmd = cmd;
	if (!tb[CTGUARD_A_CGROUP_ID])
		return ctg_bad(nl, "reply without CTGUARD_A_CGROUP_ID");
	p->cgid = CTG_GET(nl, tb[CTGUARD_A_CGROUP_ID], 64, "CGROUP_ID");
	if (tb[CTGUARD_A_CGROUP_PATH]) {
		err = ctg_parse_string(nl, tb[CTGUARD_A_CGROUP_PATH], p->path,
				       sizeof(p->path), "CGROUP_PATH");
		if (err)
			return err;
		p->has_path = true;
	}
	if (tb[CTGUARD_A_DENY]) {
		p->has_deny = true;
		p->deny = CTG_GET(nl, tb[CTGUARD_A_DENY], 32, "DENY");
	}
	if (tb[CTGUARD_A_DENY_CAPS]) {
		p->has_caps = true;
		p->caps = CTG_GET(nl, tb[CTGUARD_A_DENY_CAPS], 64, "DENY_CAPS");
	}
	if (tb[CTGUARD_A_PENDING]) {
		p->has_pending = true;
		p->pending = CTG_GET(nl, tb[CTGUARD_A_PENDING], 8, "PENDING");
	}
	if (tb[CTGUARD_A_MODE]) {
		p->has_mode = true;
		p->mode = CTG_GET(nl, tb[CTGUARD_A_MODE], 8, "MODE");
	}
	if (tb[CTGUARD_A_DEVICES]) {
		p->has_devices = true;
		nla_for_each_nested(a, tb[CTGUARD_A_DEVICES], rem) {
			if (p->nr_rules < CTG_REPLY_RULES) {
				err = ctg_parse_rule(nl, a,
						     &p->rules[p->nr_rules]);
				if (err)
					return err;
			}
			p->nr_rules++;
		}
	}
	if (tb[CTGUARD_A_STATS]) {
		p->has_stats = true;
		err = ctg_parse_stats(nl, tb[CTGUARD_A_STATS], &p->stats);
		if (err)
			return err;
	}
	return 0;
}

int ctg_get(struct ctg_nl *nl, uint64_t cgid, struct ctg_pol *out)
{
	int err;

	memset(out, 0, sizeof(*out));
	err = ctg_cgid_request(nl, CTGUARD_CMD_GET_POLICY, cgid, ctg_pol_cb,
			       out);
	if (!err && !out->cgid)
		return ctg_bad(nl, "GET_POLICY: no reply");
	if (!err && out->cmd != CTGUARD_CMD_GET_POLICY)
		return ctg_bad(nl, "GET_POLICY replied with command %u",
			       out->cmd);
	return err;
}

int ctg_get_stats(struct ctg_nl *nl, uint64_t cgid, struct ctg_stats *out)
{
	struct ctg_pol *p = calloc(1, sizeof(*p));
	int err;

	if (!p)
		return -ENOMEM;
	err = ctg_cgid_request(nl, CTGUARD_CMD_GET_STATS, cgid, ctg_pol_cb, p);
	if (!err && (!p->cgid || !p->has_stats))
		err = ctg_bad(nl, "GET_STATS: no reply or no CTGUARD_A_STATS");
	if (!err && p->cgid != cgid)
		err = ctg_bad(nl, "GET_STATS: reply for cgroup %llu",
			      (unsigned long long)p->cgid);
	if (!err)
		*out = p->stats;
	free(p);
	return err;
}

struct ctg_dump_arg {
	int (*fn)(const struct ctg_pol *p, void *arg);
	void *arg;
	struct ctg_pol *p;
};

static int ctg_dump_cb(struct ctg_nl *nl, uint8_t cmd, struct nlattr **tb,
		       void *arg)
{
	struct ctg_dump_arg *d = arg;
	int err = ctg_pol_cb(nl, cmd, tb, d->p);

	if (err)
		return err;
	return d->fn(d->p, d->arg);
}

int ctg_dump(struct ctg_nl *nl, uint8_t cmd,
	     int (*fn)(const struct ctg_pol *p, void *arg), void *arg)
{
	struct ctg_dump_arg d = { .fn = fn, .arg = arg };
	struct nl_msg *msg;
	int err;

	d.p = calloc(1, sizeof(*d.p));
	if (!d.p)
		return -ENOMEM;
	msg = ctg_msg(nl, cmd, NLM_F_DUMP);
	if (!msg) {
		free(d.p);
		return -ENOMEM;
	}
	err = ctg_send(nl, msg, ctg_dump_cb, &d);
	free(d.p);
	return err;
}

static int ctg_parse_hook(struct ctg_nl *nl, struct nlattr *nest,
			  struct ctg_hook *h)
{
	struct nlattr *tb[CTGUARD_A_HOOK_MAX + 1];
	int err;

	if (nla_parse_nested(tb, CTGUARD_A_HOOK_MAX, nest, NULL))
		return ctg_bad(nl, "hook does not parse");
	if (!tb[CTGUARD_A_HOOK_NAME] || !tb[CTGUARD_A_HOOK_CLASS] ||
	    !tb[CTGUARD_A_HOOK_STATE] || !tb[CTGUARD_A_HOOK_HITS] ||
	    !tb[CTGUARD_A_HOOK_MISSED])
		return ctg_bad(nl, "hook lacks a field");
	err = ctg_parse_string(nl, tb[CTGUARD_A_HOOK_NAME], h->name,
			       sizeof(h->name), "HOOK_NAME");
	if (err)
		return err;
	h->class = CTG_GET(nl, tb[CTGUARD_A_HOOK_CLASS], 32, "HOOK_CLASS");
	h->state = CTG_GET(nl, tb[CTGUARD_A_HOOK_STATE], 8, "HOOK_STATE");
	h->hits = CTG_GET(nl, tb[CTGUARD_A_HOOK_HITS], 64, "HOOK_HITS");
	h->missed = CTG_GET(nl, tb[CTGUARD_A_HOOK_MISSED], 64, "HOOK_MISSED");
	return 0;
}

static int ctg_status_cb(struct ctg_nl *nl, uint8_t cmd, struct nlattr **tb,
			 void *arg)
{
	struct ctg_status *st = arg;
	struct nlattr *a;
	int rem, err;

	if (cmd != CTGUARD_CMD_GET_STATUS)
		return ctg_bad(nl, "GET_STATUS replied with command %u", cmd);
	if (!tb[CTGUARD_A_VERSION] || !tb[CTGUARD_A_NR_POLICIES] ||
	    !tb[CTGUARD_A_MAX_POLICIES] || !tb[CTGUARD_A_MAX_DEV_RULES] ||
	    !tb[CTGUARD_A_PARTIAL] || !tb[CTGUARD_A_STATS] ||
	    !tb[CTGUARD_A_HOOKS])
		return ctg_bad(nl, "GET_STATUS reply lacks an attribute");
	err = ctg_parse_string(nl, tb[CTGUARD_A_VERSION], st->version,
			       sizeof(st->version), "VERSION");
	if (err)
		return err;
	st->nr_policies = CTG_GET(nl, tb[CTGUARD_A_NR_POLICIES], 32,
				  "NR_POLICIES");
	st->max_policies = CTG_GET(nl, tb[CTGUARD_A_MAX_POLICIES], 32,
				   "MAX_POLICIES");
	st->max_dev_rules = CTG_GET(nl, tb[CTGUARD_A_MAX_DEV_RULES], 32,
				    "MAX_DEV_RULES");
	st->partial = CTG_GET(nl, tb[CTGUARD_A_PARTIAL], 8, "PARTIAL");
	err = ctg_parse_stats(nl, tb[CTGUARD_A_STATS], &st->stats);
	if (err)
		return err;
	nla_for_each_nested(a, tb[CTGUARD_A_HOOKS], rem) {
		if (st->nr_hooks >= CTG_MAX_HOOKS)
			return ctg_bad(nl, "more than %d hooks", CTG_MAX_HOOKS);
		err = ctg_parse_hook(nl, a, &st->hooks[st->nr_hooks++]);
		if (err)
			return err;
	}
	return 0;
}

int ctg_status(struct ctg_nl *nl, struct ctg_status *out)
{
	struct nl_msg *msg = ctg_msg(nl, CTGUARD_CMD_GET_STATUS, 0);
	int err;

	memset(out, 0, sizeof(*out));
	if (!msg)
		return -ENOMEM;
	err = ctg_send(nl, msg, ctg_status_cb, out);
	if (!err && !out->version[0])
		return ctg_bad(nl, "GET_STATUS: no reply");
	return err;
}

const struct ctg_hook *ctg_status_hook(const struct ctg_status *st,
				       const char *name)
{
	int i;

	for (i = 0; i < st->nr_hooks; i++)
		if (!strcmp(st->hooks[i].name, name))
			return &st->hooks[i];
	return NULL;
}

int ctg_exec_true(bool own_mntns)
{
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		if (own_mntns && unshare(CLONE_NEWNS))
			_exit(126);
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		errno = ECHILD;
		return -1;
	}
	return 0;
}

int ctg_klog_count(const char *needle)
{
	int len = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *buf, *p;
	int n = 0;

	if (len <= 0)
		return -1;
	buf = calloc(1, len + 1);
	if (!buf)
		return -1;
	len = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, len);
	if (len < 0) {
		free(buf);
		return -1;
	}
	for (p = buf; (p = strstr(p, needle)); p++)
		n++;
	free(buf);
	return n;
}

int ctg_wait_disarmed(struct ctg_nl *nl, struct ctg_status *st, int timeout_ms)
{
	int i, err, waited;

	for (waited = 0;; waited += 100) {
		err = ctg_status(nl, st);
		if (err)
			return err;
		for (i = 0; i < st->nr_hooks; i++)
			if (st->hooks[i].state == CTGUARD_HOOK_ARMED)
				break;
		if (i == st->nr_hooks)
			return 0;
		if (waited >= timeout_ms)
			return -ETIMEDOUT;
		usleep(100 * 1000);
	}
}

/* ---- events --------------------------------------------------------- */

int ctg_ev_open(struct ctg_nl *nl)
{
	int err = ctg_nl_open(nl);

	if (err)
		return err;
	errno = 0;
	nl->mcgrp = genl_ctrl_resolve_grp(nl->sk, CTGUARD_GENL_NAME,
					  CTGUARD_MCGRP_EVENTS);
	if (nl->mcgrp < 0) {
		ctg_nl_close(nl);
		return -ENOENT;
	}
	if (nl_socket_add_membership(nl->sk, nl->mcgrp)) {
		err = errno ? -errno : -EIO;
		ctg_nl_close(nl);
		return err;
	}
	nl_socket_set_buffer_size(nl->sk, 1 << 20, 0);
	if (nl_socket_set_nonblocking(nl->sk)) {
		ctg_nl_close(nl);
		return -EIO;
	}
	return 0;
}

struct ctg_ev_req {
	struct ctg_event *ev;
	bool (*match)(const struct ctg_event *ev, void *arg);
	void *arg;
	bool found;
	int err;
};

static int ctg_parse_event(struct ctg_nl *nl, struct nlattr **tb,
			   struct ctg_event *ev)
{
	struct nlattr *dev[CTGUARD_A_DEV_MAX + 1];
	int i, err;

	memset(ev, 0, sizeof(*ev));
	for (i = 1; i <= CTGUARD_A_MAX; i++)
		if (tb[i])
			ev->nr_attrs++;
	if (!tb[CTGUARD_A_CGROUP_ID] || !tb[CTGUARD_A_EV_POLICY_CGROUP_ID] ||
	    !tb[CTGUARD_A_EV_PID] || !tb[CTGUARD_A_EV_TGID] ||
	    !tb[CTGUARD_A_EV_UID] || !tb[CTGUARD_A_EV_COMM] ||
	    !tb[CTGUARD_A_EV_CLASS] || !tb[CTGUARD_A_EV_VERDICT])
		return ctg_bad(nl, "event lacks a common attribute");
	ev->cgid = CTG_GET(nl, tb[CTGUARD_A_CGROUP_ID], 64, "CGROUP_ID");
	ev->policy_cgid = CTG_GET(nl, tb[CTGUARD_A_EV_POLICY_CGROUP_ID], 64,
				  "EV_POLICY_CGROUP_ID");
	ev->pid = CTG_GET(nl, tb[CTGUARD_A_EV_PID], 32, "EV_PID");
	ev->tgid = CTG_GET(nl, tb[CTGUARD_A_EV_TGID], 32, "EV_TGID");
	ev->uid = CTG_GET(nl, tb[CTGUARD_A_EV_UID], 32, "EV_UID");
	err = ctg_parse_string(nl, tb[CTGUARD_A_EV_COMM], ev->comm,
			       sizeof(ev->comm), "EV_COMM");
	if (err)
		return err;
	ev->class = CTG_GET(nl, tb[CTGUARD_A_EV_CLASS], 32, "EV_CLASS");
	ev->verdict = CTG_GET(nl, tb[CTGUARD_A_EV_VERDICT], 8, "EV_VERDICT");
	if (tb[CTGUARD_A_EV_CAP]) {
		ev->has_cap = true;
		ev->cap = CTG_GET(nl, tb[CTGUARD_A_EV_CAP], 8, "EV_CAP");
	}
	if (tb[CTGUARD_A_EV_MOUNT_OP]) {
		ev->has_mount_op = true;
		ev->mount_op = CTG_GET(nl, tb[CTGUARD_A_EV_MOUNT_OP], 8,
				       "EV_MOUNT_OP");
	}
	if (tb[CTGUARD_A_EV_FSTYPE]) {
		ev->has_fstype = true;
		err = ctg_parse_string(nl, tb[CTGUARD_A_EV_FSTYPE], ev->fstype,
				       sizeof(ev->fstype), "EV_FSTYPE");
		if (err)
			return err;
	}
	if (tb[CTGUARD_A_EV_MOUNT_FLAGS]) {
		ev->has_mount_flags = true;
		ev->mount_flags = CTG_GET(nl, tb[CTGUARD_A_EV_MOUNT_FLAGS], 64,
					  "EV_MOUNT_FLAGS");
	}
	if (tb[CTGUARD_A_EV_SOCK_FAMILY] || tb[CTGUARD_A_EV_SOCK_TYPE] ||
	    tb[CTGUARD_A_EV_SOCK_PROTOCOL]) {
		if (!tb[CTGUARD_A_EV_SOCK_FAMILY] ||
		    !tb[CTGUARD_A_EV_SOCK_TYPE] ||
		    !tb[CTGUARD_A_EV_SOCK_PROTOCOL])
			return ctg_bad(nl, "socket event lacks a field");
		ev->has_sock = true;
		ev->sock_family = CTG_GET(nl, tb[CTGUARD_A_EV_SOCK_FAMILY], 32,
					  "EV_SOCK_FAMILY");
		ev->sock_type = CTG_GET(nl, tb[CTGUARD_A_EV_SOCK_TYPE], 32,
					"EV_SOCK_TYPE");
		ev->sock_protocol = CTG_GET(nl, tb[CTGUARD_A_EV_SOCK_PROTOCOL],
					    32, "EV_SOCK_PROTOCOL");
	}
	if (tb[CTGUARD_A_EV_SYSLOG_ACTION]) {
		ev->has_syslog = true;
		ev->syslog_action = CTG_GET(nl, tb[CTGUARD_A_EV_SYSLOG_ACTION],
					    32, "EV_SYSLOG_ACTION");
	}
	if (tb[CTGUARD_A_EV_DEVICE]) {
		if (nla_parse_nested(dev, CTGUARD_A_DEV_MAX,
				     tb[CTGUARD_A_EV_DEVICE], NULL) ||
		    !dev[CTGUARD_A_DEV_TYPE] || !dev[CTGUARD_A_DEV_MAJOR] ||
		    !dev[CTGUARD_A_DEV_MINOR] || !dev[CTGUARD_A_DEV_ACCESS])
			return ctg_bad(nl, "EV_DEVICE lacks a field");
		ev->has_dev = true;
		ev->dev.type = CTG_GET(nl, dev[CTGUARD_A_DEV_TYPE], 8, "DEV_TYPE");
		ev->dev.major = CTG_GET(nl, dev[CTGUARD_A_DEV_MAJOR], 32,
					"DEV_MAJOR");
		ev->dev.minor = CTG_GET(nl, dev[CTGUARD_A_DEV_MINOR], 32,
					"DEV_MINOR");
		ev->dev.access = CTG_GET(nl, dev[CTGUARD_A_DEV_ACCESS], 8,
					 "DEV_ACCESS");
	}
	if (tb[CTGUARD_A_EV_TARGET_CGROUP_ID]) {
		ev->has_target = true;
		ev->target_cgid = CTG_GET(nl, tb[CTGUARD_A_EV_TARGET_CGROUP_ID],
					  64, "EV_TARGET_CGROUP_ID");
	}
	return 0;
}

struct ctg_ev_ctx {
	struct ctg_nl *nl;
	struct ctg_ev_req *req;
};

static int ctg_ev_valid_cb(struct nl_msg *msg, void *arg)
{
	struct ctg_ev_ctx *ctx = arg;
	struct ctg_ev_req *req = ctx->req;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *gh = nlmsg_data(nlh);
	struct nlattr *tb[CTGUARD_A_MAX + 1];
	struct ctg_event ev;
	int err;

	if (req->found || nlh->nlmsg_type != ctx->nl->family ||
	    gh->cmd != CTGUARD_CMD_EVENT)
		return NL_SKIP;
	if (genlmsg_parse(nlh, 0, tb, CTGUARD_A_MAX, NULL)) {
		req->err = ctg_bad(ctx->nl, "event does not parse");
		return NL_STOP;
	}
	err = ctg_parse_event(ctx->nl, tb, &ev);
	if (err) {
		req->err = err;
		return NL_STOP;
	}
	if (req->match && !req->match(&ev, req->arg))
		return NL_SKIP;
	*req->ev = ev;
	req->found = true;
	return NL_STOP;
}

static long ctg_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int ctg_ev_wait(struct ctg_nl *nl, struct ctg_event *ev, int timeout_ms,
		bool (*match)(const struct ctg_event *ev, void *arg), void *arg)
{
	struct ctg_ev_req req = { .ev = ev, .match = match, .arg = arg };
	struct ctg_ev_ctx ctx = { .nl = nl, .req = &req };
	long deadline = ctg_now_ms() + timeout_ms;
	struct pollfd pfd = { .fd = nl_socket_get_fd(nl->sk), .events = POLLIN };
	struct nl_cb *cb;
	int err;

	nl->bad_reply[0] = '\0';
	cb = nl_cb_alloc(NL_CB_CUSTOM);
	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, ctg_ev_valid_cb, &ctx);
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, ctg_noop_cb, NULL);
	while (!req.found && !req.err) {
		long left = deadline - ctg_now_ms();

		if (left <= 0) {
			req.err = -ETIMEDOUT;
			break;
		}
		err = poll(&pfd, 1, left);
		if (err < 0 && errno != EINTR) {
			req.err = -errno;
			break;
		}
		if (err <= 0)
			continue;
		err = nl_recvmsgs(nl->sk, cb);
		if (err == -NLE_NOMEM) {
			/* ENOBUFS: the socket overflowed; read on. */
			nl->overruns++;
			continue;
		}
		if (err < 0 && err != -NLE_AGAIN && !req.found && !req.err) {
			req.err = -EIO;
			snprintf(nl->bad_reply, sizeof(nl->bad_reply),
				 "nl_recvmsgs: %s", nl_geterror(err));
		}
	}
	nl_cb_put(cb);
	return req.found ? 0 : req.err;
}

struct ctg_ev_pid {
	pid_t pid;
	uint32_t class;
};

static bool ctg_ev_match_pid(const struct ctg_event *ev, void *arg)
{
	const struct ctg_ev_pid *m = arg;

	return ev->pid == (uint32_t)m->pid && ev->class == m->class;
}

int ctg_ev_wait_pid(struct ctg_nl *nl, struct ctg_event *ev, pid_t pid,
		    uint32_t class, int timeout_ms)
{
	struct ctg_ev_pid m = { .pid = pid, .class = class };

	return ctg_ev_wait(nl, ev, timeout_ms, ctg_ev_match_pid, &m);
}

void ctg_ev_drain(struct ctg_nl *nl)
{
	char buf[65536];

	while (recv(nl_socket_get_fd(nl->sk), buf, sizeof(buf),
		    MSG_DONTWAIT) > 0)
		;
}

/* ---- keeping the hooks armed ---------------------------------------- */

static pid_t ctg_keepalive_pid;
static struct ctg_cg ctg_keepalive_cg;

/* Remove keepalive cgroups a killed run left behind. */
static void ctg_keepalive_sweep(struct ctg_nl *nl)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir(CTG_CGROOT);

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (strncmp(de->d_name, "ctguard-keepalive-", 18))
			continue;
		if (snprintf(path, sizeof(path), CTG_CGROOT "/%s",
			     de->d_name) >= (int)sizeof(path))
			continue;
		ctg_cg_destroy(nl, path);
	}
	closedir(d);
}

static void ctg_keepalive_stop(void)
{
	struct ctg_nl nl;

	if (getpid() != ctg_keepalive_pid || ctg_nl_open(&nl))
		return;
	ctg_cg_destroy(&nl, ctg_keepalive_cg.path);
	ctg_nl_close(&nl);
}

void ctg_keepalive_start(void)
{
	struct ctg_nl nl;

	ctg_vm_only();
	if (ctg_keepalive_pid || ctg_nl_open(&nl))
		return;
	ctg_keepalive_sweep(&nl);
	snprintf(ctg_keepalive_cg.path, sizeof(ctg_keepalive_cg.path),
		 CTG_CGROOT "/ctguard-keepalive-XXXXXX");
	if (mkdtemp(ctg_keepalive_cg.path)) {
		ctg_keepalive_cg.id = ctg_cg_id(ctg_keepalive_cg.path);
		if (!ctg_policy_dev(&nl, ctg_keepalive_cg.id,
				    __CTGUARD_CLASS_ALL, CTGUARD_MODE_ENFORCE,
				    NULL, 0)) {
			struct ctg_set s = {
				.cgid = ctg_keepalive_cg.id,
				.has_caps = true,
				.caps = (2ULL << CAP_LAST_CAP) - 1,
			};

			ctg_set(&nl, &s);
			ctg_keepalive_pid = getpid();
			atexit(ctg_keepalive_stop);
		}
	}
	ctg_nl_close(&nl);
}

/* ---- the module ----------------------------------------------------- */

static char ctg_module_file[PATH_MAX];

bool ctg_module_loaded(void)
{
	struct stat st;

	return !stat("/sys/module/ctguard", &st);
}

const char *ctg_module_path(void)
{
	const char *env = getenv("CTGUARD_MODULE");
	struct utsname u;

	if (env && env[0]) {
		snprintf(ctg_module_file, sizeof(ctg_module_file), "%s", env);
	} else {
		if (uname(&u))
			return NULL;
		snprintf(ctg_module_file, sizeof(ctg_module_file),
			 "build/%s/ctguard.ko", u.release);
	}
	return access(ctg_module_file, R_OK) ? NULL : ctg_module_file;
}

int ctg_module_load(const char *params)
{
	const char *path = ctg_module_path();
	int fd, err = 0;

	if (!path)
		return -ENOENT;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (syscall(__NR_finit_module, fd, params, 0))
		err = -errno;
	close(fd);
	return err;
}

int ctg_module_unload(void)
{
	int i;

	for (i = 0; i < 3000; i++) {
		if (!syscall(__NR_delete_module, "ctguard", O_NONBLOCK))
			return 0;
		if (errno != EAGAIN && errno != EBUSY)
			return -errno;
		usleep(10000);
	}
	return -ETIMEDOUT;
}

/* ---- cgroups -------------------------------------------------------- */

bool ctg_cgroup2_mounted(void)
{
	struct statfs sf;

	return !statfs(CTG_CGROOT, &sf) && sf.f_type == CGROUP2_SUPER_MAGIC;
}

uint64_t ctg_cg_id(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return 0;
	return st.st_ino;
}

int ctg_cg_create(struct ctg_cg *cg)
{
	snprintf(cg->path, sizeof(cg->path), CTG_CGROOT "/ctguard-test-XXXXXX");
	if (!mkdtemp(cg->path))
		return -errno;
	cg->id = ctg_cg_id(cg->path);
	return cg->id ? 0 : -errno;
}

int ctg_cg_child(const struct ctg_cg *parent, const char *name,
		 struct ctg_cg *out)
{
	if (snprintf(out->path, sizeof(out->path), "%s/%s", parent->path,
		     name) >= (int)sizeof(out->path))
		return -ENAMETOOLONG;
	if (mkdir(out->path, 0755))
		return -errno;
	out->id = ctg_cg_id(out->path);
	return out->id ? 0 : -errno;
}

int ctg_write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int e;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	e = errno;
	close(fd);
	errno = e;
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

int ctg_read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	int e;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	e = errno;
	close(fd);
	errno = e;
	if (n < 0)
		return -1;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

int ctg_cg_enter(const char *path, pid_t pid)
{
	char file[PATH_MAX + 16], s[32];

	snprintf(file, sizeof(file), "%s/cgroup.procs", path);
	snprintf(s, sizeof(s), "%d", pid);
	return ctg_write_file(file, s);
}

int ctg_cg_self(char *buf, size_t len)
{
	char line[PATH_MAX + 8];
	FILE *f = fopen("/proc/self/cgroup", "re");
	int ret = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "0::", 3)) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(buf, len, "%s", line + 3);
			ret = 0;
			break;
		}
	}
	fclose(f);
	return ret;
}

static bool ctg_cg_populated(const char *path)
{
	char file[PATH_MAX + 16], buf[512];

	snprintf(file, sizeof(file), "%s/cgroup.events", path);
	if (ctg_read_file(file, buf, sizeof(buf)))
		return false;
	/* First line: "populated 0|1". */
	return strstr(buf, "populated 1") != NULL;
}

int ctg_cg_destroy(struct ctg_nl *nl, const char *path)
{
	char sub[PATH_MAX], file[PATH_MAX + 16];
	struct dirent *de;
	uint64_t id;
	DIR *d;
	int i, err = 0;

	if (!path || !path[0])
		return 0;
	d = opendir(path);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		if (de->d_type != DT_DIR || !strcmp(de->d_name, ".") ||
		    !strcmp(de->d_name, ".."))
			continue;
		if (snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name) >=
		    (int)sizeof(sub))
			continue;
		if (ctg_cg_destroy(nl, sub))
			err = -EBUSY;
	}
	closedir(d);

	id = ctg_cg_id(path);
	if (nl && nl->sk && id) {
		int e = ctg_del(nl, id);

		if (e && e != -ENOENT)
			err = e;
	}
	snprintf(file, sizeof(file), "%s/cgroup.kill", path);
	for (i = 0; i < 500 && ctg_cg_populated(path); i++) {
		ctg_write_file(file, "1");
		usleep(10000);
	}
	for (i = 0; i < 500; i++) {
		if (!rmdir(path) || errno == ENOENT)
			return err;
		if (errno != EBUSY)
			return -errno;
		usleep(10000);
	}
	return -EBUSY;
}

/* ---- child processes ------------------------------------------------ */

int ctg_run(const char *cgroup, ctg_fn pre, ctg_fn fn, void *arg,
	    struct ctg_res *res)
{
	int p[2], status;
	pid_t pid;
	ssize_t n;

	memset(res, 0, sizeof(*res));
	res->ret = -1;
	res->stage = CTG_STAGE_CRASH;
	if (pipe2(p, O_CLOEXEC))
		return -1;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		struct ctg_res r = { .ret = -1 };

		close(p[0]);
		ctg_stage = 0;
		if (pre) {
			errno = 0;
			if (pre(arg) < 0) {
				r.err = errno;
				r.stage = CTG_STAGE_PRE;
				goto out;
			}
		}
		if (cgroup && ctg_cg_enter(cgroup, 0)) {
			r.err = errno;
			r.stage = CTG_STAGE_JOIN;
			goto out;
		}
		errno = 0;
		r.ret = fn(arg);
		r.err = errno;
		r.stage = ctg_stage;
out:
		r.pid = getpid();
		if (write(p[1], &r, sizeof(r)) != sizeof(r))
			_exit(2);
		_exit(0);
	}
	close(p[1]);
	n = read(p[0], res, sizeof(*res));
	close(p[0]);
	waitpid(pid, &status, 0);
	if (n != sizeof(*res)) {
		memset(res, 0, sizeof(*res));
		res->ret = -1;
		res->stage = CTG_STAGE_CRASH;
		res->pid = pid;
		res->err = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
		return -1;
	}
	return 0;
}

const char *ctg_res_str(const struct ctg_res *res)
{
	static char buf[160];

	if (res->stage == CTG_STAGE_CRASH)
		snprintf(buf, sizeof(buf), "child %d died (signal %d)",
			 res->pid, res->err);
	else
		snprintf(buf, sizeof(buf),
			 "stage %d%s, ret %ld, errno %d (%s)", res->stage,
			 res->stage == CTG_STAGE_PRE ? " (pre failed)" :
			 res->stage == CTG_STAGE_JOIN ? " (joining the cgroup failed)" : "",
			 res->ret, res->err, res->err ? strerror(res->err) : "-");
	return buf;
}

long ctg_pre_private_mounts(void *arg)
{
	(void)arg;
	if (unshare(CLONE_NEWNS))
		return -1;
	return mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
}

static int ctg_write_id_map(const char *file, unsigned int id)
{
	char s[64];

	snprintf(s, sizeof(s), "0 %u 1\n", id);
	return ctg_write_file(file, s);
}

int ctg_enter_userns(int flags)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();

	if (unshare(CLONE_NEWUSER | flags))
		return -1;
	if (ctg_write_file("/proc/self/setgroups", "deny") ||
	    ctg_write_id_map("/proc/self/uid_map", uid) ||
	    ctg_write_id_map("/proc/self/gid_map", gid))
		return -1;
	return 0;
}
