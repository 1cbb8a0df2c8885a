/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internals of libctguard shared between its files; not installed. */
#ifndef CTG_INTERNAL_H
#define CTG_INTERNAL_H

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <libmnl/libmnl.h>

#include "ctguard.h"

#define CTG_CGROUP_ROOT "/sys/fs/cgroup"
/* Where hybrid (v1 + v2) systemd hosts mount the v2 hierarchy. */
#define CTG_CGROUP_HYBRID "/sys/fs/cgroup/unified"

/*
 * Large enough for any reply the kernel builds (dump skbs grow to 32 KiB)
 * and any request we send (a full device allowlist): a short buffer makes
 * recvmsg() truncate, which libmnl reports as ENOSPC.
 */
#define CTG_BUF_LEN (64 * 1024)

struct ctguard {
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;

	/* Resolved lazily through the genl controller; 0 until then. */
	uint16_t family;
	uint32_t family_version;
	uint32_t mcgrp_events;

	/* The last request, kept to name the attribute an extack points at. */
	char *req;
	char *buf;

	/* Events arrive on a socket of their own, never mixed with replies. */
	struct mnl_socket *ev_nl;
	char *ev_buf;
	size_t ev_len;		/* bytes received into ev_buf */
	size_t ev_off;		/* next message to hand out */

	char cgroot[PATH_MAX];
	bool cgroot_chosen;	/* set explicitly or probed */

	char err[1024];
	char kmsg[512];
	char bad_attr[160];
};

/* Record an error message on @h and return @err (a negative errno). */
int ctg_err(struct ctguard *h, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ctg_clear_err(struct ctguard *h);

/* Write a message into a caller's parser buffer; returns -EINVAL. */
int ctg_perr(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Netlink requests. */
int ctg_resolve(struct ctguard *h);
/* The controller's "notify" group, which announces removed families. */
int ctg_ctrl_notify_group(struct ctguard *h, uint32_t *grp);
struct nlmsghdr *ctg_msg_start(struct ctguard *h, uint8_t cmd, uint16_t flags);
typedef int (*ctg_reply_cb)(const struct nlmsghdr *nlh, void *data);
/*
 * Send the request built in h->req and process replies until the ack or
 * the end of a dump. @what names the operation in error messages.
 */
int ctg_talk(struct ctguard *h, struct nlmsghdr *nlh, ctg_reply_cb cb,
	     void *data, const char *what);

/*
 * The replies of a get (one) or of a dump (any number) collected into a
 * growing array of @elem_size elements: @parse fills one from a reply and
 * leaves nothing allocated when it fails; @release frees one.
 */
struct ctg_collect {
	size_t elem_size;
	int (*parse)(const struct nlmsghdr *nlh, void *elem);
	void (*release)(void *elem);
	void *list;
	size_t nr, cap;
	bool one;
};

/* One reply into @data (a struct ctg_collect); a ctg_reply_cb. */
int ctg_collect_cb(const struct nlmsghdr *nlh, void *data);
/* Release every element and the array; @c is empty again. */
void ctg_collect_reset(struct ctg_collect *c);
/* Send the get request @nlh; its one reply into @out (elem_size bytes). */
int ctg_collect_one(struct ctguard *h, struct nlmsghdr *nlh,
		    struct ctg_collect *c, void *out, const char *what);
/*
 * Dump @cmd into a new array (*@list, *@nr; the caller frees it), retried
 * when the kernel reports that concurrent changes interrupted the dump.
 */
int ctg_collect_dump(struct ctguard *h, uint8_t cmd, struct ctg_collect *c,
		     void **list, size_t *nr, const char *what);

/* Per-request state shared by the data and control callbacks. */
struct ctg_talk_ctx {
	struct ctguard *h;
	const struct nlmsghdr *req;
	ctg_reply_cb cb;
	void *data;
	const char *what;
	int error;		/* from NLMSG_ERROR or NLMSG_DONE */
	int cb_error;		/* from the caller's callback */
};

/*
 * Process one datagram of replies to ctx->req: 1 when the reply is
 * complete (ack or end of dump), 0 when more is to come, a negative errno
 * with the handle's message set on error. When a dump must be drained,
 * *@drain_from is set. Split from ctg_talk() so tests can feed replies.
 */
int ctg_process(struct ctg_talk_ctx *ctx, const void *buf, size_t n,
		ssize_t *drain_from);

/* Name of the request attribute at byte @off of @nlh, for extack. */
void ctg_attr_at(const struct nlmsghdr *nlh, uint32_t off, char *buf,
		 size_t len);
const char *ctg_attr_name(uint16_t type);
const char *ctg_dev_attr_name(uint16_t type);

/* Reply parsing; return 0, -EBADMSG or -ENOMEM. */
int ctg_parse_dev_rule(const struct nlattr *nest, struct ctguard_dev_rule *r);
int ctg_parse_policy(const struct nlmsghdr *nlh,
		     struct ctguard_policy_info *info);
/* Index the top-level attributes of a reply (tb: CTGUARD_A_MAX + 1). */
int ctg_parse_msg(const struct nlmsghdr *nlh, const struct nlattr **tb);
/* The policy fields of @p (those in p->fields) into a request. */
int ctg_put_policy(struct nlmsghdr *nlh, const struct ctguard_policy *p);
/* The policy fields of a reply (a policy or a rule) into @p. */
int ctg_parse_policy_fields(const struct nlattr **tb, struct ctguard_policy *p);
int ctg_bad_reply(struct ctguard *h, int ret, const char *what);
int ctg_parse_event(const struct nlmsghdr *nlh, struct ctguard_event *ev);
int ctg_parse_rule(const struct nlmsghdr *nlh, struct ctguard_rule_info *info);
/* Next event of the buffered datagram: 1, 0 (none left) or -ENODEV. */
int ctg_next_buffered(struct ctguard *h, struct ctguard_event *ev);

/* The cgroup below @root whose directory has inode @id (cgroup.c). */
int ctg_cgroup_find(const char *root, uint64_t id, char *buf, size_t len);

/* Edit distance, for suggestions. */
unsigned int ctg_distance(const char *a, const char *b);

#endif /* CTG_INTERNAL_H */
