// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The handle and the generic netlink plumbing: family lookup, requests,
 * replies, multi-part dumps, and extended acks turned into messages.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "internal.h"

#ifndef CTGUARD_LIB_VERSION
#define CTGUARD_LIB_VERSION "unknown"
#endif

const char *ctguard_version(void)
{
	return CTGUARD_LIB_VERSION;
}

int ctg_err(struct ctguard *h, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(h->err, sizeof(h->err), fmt, ap);
	va_end(ap);
	return err;
}

void ctg_clear_err(struct ctguard *h)
{
	h->err[0] = '\0';
	h->kmsg[0] = '\0';
	h->bad_attr[0] = '\0';
}

const char *ctguard_strerror(const struct ctguard *h)
{
	return h ? h->err : "no handle";
}

const char *ctguard_kernel_msg(const struct ctguard *h)
{
	return h && h->kmsg[0] ? h->kmsg : NULL;
}

const char *ctguard_bad_attr(const struct ctguard *h)
{
	return h && h->bad_attr[0] ? h->bad_attr : NULL;
}

static struct mnl_socket *ctg_socket(void)
{
	struct mnl_socket *nl;
	int one = 1;

	nl = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC);
	if (!nl)
		return NULL;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	/*
	 * Extended acks carry the kernel's message and the offset of the
	 * attribute it rejected; capped acks do not echo our request back
	 * (we keep our own copy). Both exist since 4.12/4.3: treat failure
	 * as fatal rather than lose the messages silently.
	 */
	if (mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one)))
		goto fail;
	return nl;
fail:
	{
		int e = errno;

		mnl_socket_close(nl);
		errno = e;
	}
	return NULL;
}

struct ctguard *ctguard_open(void)
{
	struct ctguard *h;
	int e;

	h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->req = malloc(CTG_BUF_LEN);
	h->buf = malloc(CTG_BUF_LEN);
	if (!h->req || !h->buf) {
		errno = ENOMEM;
		goto fail;
	}
	h->nl = ctg_socket();
	if (!h->nl)
		goto fail;
	h->portid = mnl_socket_get_portid(h->nl);
	h->seq = (uint32_t)time(NULL);
	strcpy(h->cgroot, CTG_CGROUP_ROOT);
	return h;
fail:
	e = errno;
	ctguard_close(h);
	errno = e;
	return NULL;
}

void ctguard_close(struct ctguard *h)
{
	if (!h)
		return;
	if (h->nl)
		mnl_socket_close(h->nl);
	if (h->ev_nl)
		mnl_socket_close(h->ev_nl);
	free(h->ev_buf);
	free(h->req);
	free(h->buf);
	free(h);
}

static struct nlmsghdr *ctg_msg_start_family(struct ctguard *h,
					     uint16_t family, uint8_t cmd,
					     uint8_t version, uint16_t flags)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	nlh = mnl_nlmsg_put_header(h->req);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++h->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

struct nlmsghdr *ctg_msg_start(struct ctguard *h, uint8_t cmd, uint16_t flags)
{
	return ctg_msg_start_family(h, h->family, cmd, CTGUARD_GENL_VERSION,
				    flags);
}

struct ctg_ext_ack {
	const char *msg;
	uint32_t offs;
	bool has_offs;
	uint32_t miss_type;
	bool has_miss_type;
	uint32_t miss_nest;
	bool has_miss_nest;
};

static int ctg_ext_ack_attr(const struct nlattr *attr, void *data)
{
	struct ctg_ext_ack *ea = data;

	switch (mnl_attr_get_type(attr)) {
	case NLMSGERR_ATTR_MSG:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
			ea->msg = mnl_attr_get_str(attr);
		break;
	case NLMSGERR_ATTR_OFFS:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0) {
			ea->offs = mnl_attr_get_u32(attr);
			ea->has_offs = true;
		}
		break;
	case NLMSGERR_ATTR_MISS_TYPE:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0) {
			ea->miss_type = mnl_attr_get_u32(attr);
			ea->has_miss_type = true;
		}
		break;
	case NLMSGERR_ATTR_MISS_NEST:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0) {
			ea->miss_nest = mnl_attr_get_u32(attr);
			ea->has_miss_nest = true;
		}
		break;
	}
	return MNL_CB_OK;
}

/* Keep the extack of an error or done message @nlh on the handle. */
static void ctg_ext_ack(struct ctg_talk_ctx *ctx, const struct nlmsghdr *nlh,
			unsigned int hlen)
{
	struct ctguard *h = ctx->h;
	struct ctg_ext_ack ea = { 0 };

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (mnl_nlmsg_get_payload_len(nlh) < hlen)
		return;
	mnl_attr_parse(nlh, hlen, ctg_ext_ack_attr, &ea);
	if (ea.msg)
		snprintf(h->kmsg, sizeof(h->kmsg), "%s", ea.msg);
	if (ea.has_offs) {
		ctg_attr_at(ctx->req, ea.offs, h->bad_attr,
			    sizeof(h->bad_attr));
	} else if (ea.has_miss_type) {
		char nest[96] = "";

		if (ea.has_miss_nest)
			ctg_attr_at(ctx->req, ea.miss_nest, nest,
				    sizeof(nest));
		/* Name missing attributes in the top-level or rule space. */
		snprintf(h->bad_attr, sizeof(h->bad_attr), "%s%s%s (missing)",
			 nest, nest[0] ? "." : "",
			 nest[0] ? ctg_dev_attr_name(ea.miss_type) :
				   ctg_attr_name(ea.miss_type));
	}
}

static int ctg_cb_error(const struct nlmsghdr *nlh, void *data)
{
	struct ctg_talk_ctx *ctx = data;
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	unsigned int hlen = sizeof(*err);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*err)) {
		ctx->error = -EBADMSG;
		return MNL_CB_ERROR;
	}
	/* Without NLM_F_CAPPED the kernel echoes our whole request first. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		hlen += mnl_nlmsg_get_payload_len(&err->msg);
	ctg_ext_ack(ctx, nlh, hlen);
	if (err->error) {
		ctx->error = err->error < 0 ? err->error : -err->error;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

/* A dump ends with NLMSG_DONE, which carries the dump's error code. */
static int ctg_cb_done(const struct nlmsghdr *nlh, void *data)
{
	struct ctg_talk_ctx *ctx = data;
	int error = 0;

	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int))
		memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof(int));
	ctg_ext_ack(ctx, nlh, sizeof(int));
	if (error) {
		ctx->error = error < 0 ? error : -error;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

static int ctg_cb_noop(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

static int ctg_cb_overrun(const struct nlmsghdr *nlh, void *data)
{
	struct ctg_talk_ctx *ctx = data;

	(void)nlh;
	ctx->error = -ENOBUFS;
	return MNL_CB_ERROR;
}

static int ctg_cb_data(const struct nlmsghdr *nlh, void *data)
{
	struct ctg_talk_ctx *ctx = data;
	int ret;

	/*
	 * After a failed callback, read the rest of the reply anyway: a dump
	 * left half read would make the next one fail with EBUSY.
	 */
	if (!ctx->cb || ctx->cb_error)
		return MNL_CB_OK;
	ret = ctx->cb(nlh, ctx->data);
	if (ret < 0)
		ctx->cb_error = ret;
	return MNL_CB_OK;
}

/* Not const: mnl_cb_run2() takes a plain pointer. */
static mnl_cb_t ctg_cb_ctl[NLMSG_MIN_TYPE] = {
	[NLMSG_NOOP] = ctg_cb_noop,
	[NLMSG_ERROR] = ctg_cb_error,
	[NLMSG_DONE] = ctg_cb_done,
	[NLMSG_OVERRUN] = ctg_cb_overrun,
};

/* Compose the handle's message for a kernel error @err. */
static int ctg_kernel_err(struct ctguard *h, int err, const char *what)
{
	char attr[sizeof(h->bad_attr) + 16] = "";
	const char *why;

	if (h->bad_attr[0])
		snprintf(attr, sizeof(attr), " [%s]", h->bad_attr);
	if (err == -EPERM)
		why = h->kmsg[0] ? "permission denied" :
			"permission denied: needs CAP_NET_ADMIN in the initial user namespace";
	else
		why = strerror(-err);
	if (h->kmsg[0])
		return ctg_err(h, err, "%s: %s: %s%s", what, why, h->kmsg,
			       attr);
	return ctg_err(h, err, "%s: %s%s", what, why, attr);
}

/*
 * Read and drop what is left of the reply to @seq, up to its final ack or
 * NLMSG_DONE, so that the socket is clean for the next request.
 */
static void ctg_drain(struct ctguard *h, uint32_t seq, ssize_t n)
{
	for (;;) {
		const struct nlmsghdr *nlh = (const void *)h->buf;
		int len = (int)n;

		/* The end may already be in the buffer we hold. */
		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len))
			if (nlh->nlmsg_seq == seq &&
			    (nlh->nlmsg_type == NLMSG_DONE ||
			     nlh->nlmsg_type == NLMSG_ERROR))
				return;
		do
			n = mnl_socket_recvfrom(h->nl, h->buf, CTG_BUF_LEN);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return;
	}
}

int ctg_process(struct ctg_talk_ctx *ctx, const void *buf, size_t n,
		ssize_t *drain_from)
{
	struct ctguard *h = ctx->h;
	const struct nlmsghdr *req = ctx->req;
	int ret;

	ctx->error = 0;
	ret = mnl_cb_run2(buf, n, req->nlmsg_seq, h->portid, ctg_cb_data, ctx,
			  ctg_cb_ctl, NLMSG_MIN_TYPE);
	if (ret == MNL_CB_STOP)
		return 1;
	if (ret != MNL_CB_ERROR)
		return 0;
	if (ctx->error)
		return ctg_kernel_err(h, ctx->error, ctx->what);
	/* libmnl's own checks: sequence, port, dump interrupted. */
	ret = errno ? -errno : -EPROTO;
	if ((req->nlmsg_flags & NLM_F_DUMP) && drain_from)
		*drain_from = (ssize_t)n;
	if (ret == -EINTR)
		return ctg_err(h, -EINTR,
			       "%s: the policies changed during the dump",
			       ctx->what);
	return ctg_err(h, ret, "%s: bad reply: %s", ctx->what, strerror(-ret));
}

int ctg_talk(struct ctguard *h, struct nlmsghdr *nlh, ctg_reply_cb cb,
	     void *data, const char *what)
{
	struct ctg_talk_ctx ctx = {
		.h = h, .req = nlh, .cb = cb, .data = data, .what = what,
	};
	int ret;

	h->kmsg[0] = '\0';
	h->bad_attr[0] = '\0';
	/* Ask for an ack unless dumping: a dump ends with NLMSG_DONE. */
	if (!(nlh->nlmsg_flags & NLM_F_DUMP))
		nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(h->nl, nlh, nlh->nlmsg_len) < 0)
		return ctg_err(h, -errno, "%s: sending the request: %s", what,
			       strerror(errno));
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(h->nl, h->buf, CTG_BUF_LEN);
		ssize_t drain = -1;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return ctg_err(h, -errno, "%s: receiving the reply: %s",
				       what, strerror(errno));
		}
		ret = ctg_process(&ctx, h->buf, (size_t)n, &drain);
		if (drain >= 0)
			ctg_drain(h, nlh->nlmsg_seq, drain);
		if (ret < 0)
			return ret;
		if (ret)
			break;
	}
	return ctx.cb_error;
}

/* --- Collecting replies ------------------------------------------------ */

/* Dumps interrupted by concurrent changes are retried this many times. */
#define CTG_DUMP_RETRIES 5

int ctg_collect_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ctg_collect *c = data;
	int ret;

	/* One reply expected for a get; a second one would leak the first. */
	if (c->one && c->nr)
		return -EBADMSG;
	if (c->nr == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		void *n = reallocarray(c->list, cap, c->elem_size);

		if (!n)
			return -ENOMEM;
		c->list = n;
		c->cap = cap;
	}
	ret = c->parse(nlh, (char *)c->list + c->nr * c->elem_size);
	if (ret)
		return ret;
	c->nr++;
	return 0;
}

void ctg_collect_reset(struct ctg_collect *c)
{
	size_t i;

	for (i = 0; i < c->nr; i++)
		c->release((char *)c->list + i * c->elem_size);
	free(c->list);
	c->list = NULL;
	c->nr = 0;
	c->cap = 0;
}

int ctg_collect_one(struct ctguard *h, struct nlmsghdr *nlh,
		    struct ctg_collect *c, void *out, const char *what)
{
	int ret;

	c->one = true;
	ret = ctg_talk(h, nlh, ctg_collect_cb, c, what);
	if (ret == -EBADMSG || ret == -ENOMEM)
		ret = ctg_bad_reply(h, ret, what);
	if (!ret && !c->nr)
		ret = ctg_err(h, -EBADMSG, "%s: no reply", what);
	if (ret) {
		ctg_collect_reset(c);
		return ret;
	}
	memcpy(out, c->list, c->elem_size);
	free(c->list);
	c->list = NULL;
	return 0;
}

int ctg_collect_dump(struct ctguard *h, uint8_t cmd, struct ctg_collect *c,
		     void **list, size_t *nr, const char *what)
{
	int ret, tries = 0;

	*list = NULL;
	*nr = 0;
	ret = ctg_resolve(h);
	if (ret)
		return ret;
	do {
		ctg_collect_reset(c);
		ret = ctg_talk(h, ctg_msg_start(h, cmd, NLM_F_DUMP),
			       ctg_collect_cb, c, what);
	} while (ret == -EINTR && ++tries < CTG_DUMP_RETRIES);
	if (ret == -EBADMSG || ret == -ENOMEM)
		ret = ctg_bad_reply(h, ret, what);
	if (ret) {
		ctg_collect_reset(c);
		return ret;
	}
	*list = c->list;
	*nr = c->nr;
	return 0;
}

/* --- Family lookup ----------------------------------------------------- */

struct ctg_family {
	const char *group;	/* the multicast group wanted */
	uint16_t id;
	uint32_t version;
	uint32_t mcgrp;
	bool found_group;
};

static int ctg_mcgrp_attr(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(attr);

	if (type == CTRL_ATTR_MCAST_GRP_NAME &&
	    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) >= 0)
		tb[type] = attr;
	else if (type == CTRL_ATTR_MCAST_GRP_ID &&
		 mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
		tb[type] = attr;
	return MNL_CB_OK;
}

static int ctg_family_attr(const struct nlattr *attr, void *data)
{
	struct ctg_family *fam = data;
	const struct nlattr *grp;

	switch (mnl_attr_get_type(attr)) {
	case CTRL_ATTR_FAMILY_ID:
		if (mnl_attr_validate(attr, MNL_TYPE_U16) >= 0)
			fam->id = mnl_attr_get_u16(attr);
		break;
	case CTRL_ATTR_VERSION:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) >= 0)
			fam->version = mnl_attr_get_u32(attr);
		break;
	case CTRL_ATTR_MCAST_GROUPS:
		mnl_attr_for_each_nested(grp, attr) {
			const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1] = {};

			mnl_attr_parse_nested(grp, ctg_mcgrp_attr, tb);
			if (tb[CTRL_ATTR_MCAST_GRP_NAME] &&
			    tb[CTRL_ATTR_MCAST_GRP_ID] &&
			    !strcmp(mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]),
				    fam->group)) {
				fam->mcgrp =
					mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
				fam->found_group = true;
			}
		}
		break;
	}
	return MNL_CB_OK;
}

static int ctg_family_cb(const struct nlmsghdr *nlh, void *data)
{
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), ctg_family_attr, data);
	return 0;
}

static int ctg_lookup(struct ctguard *h, const char *name,
		      struct ctg_family *fam)
{
	struct nlmsghdr *nlh;

	nlh = ctg_msg_start_family(h, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	return ctg_talk(h, nlh, ctg_family_cb, fam, "looking up the ctguard family");
}

int ctg_resolve(struct ctguard *h)
{
	struct ctg_family fam = { .group = CTGUARD_MCGRP_EVENTS };
	int ret;

	ctg_clear_err(h);
	if (h->family)
		return 0;
	/*
	 * Looking the family up by name makes the kernel try
	 * request_module("net-pf-16-proto-16-family-ctguard") first, which
	 * loads the module where it is installed.
	 */
	ret = ctg_lookup(h, CTGUARD_GENL_NAME, &fam);
	if (ret == -ENOENT)
		return ctg_err(h, -ENOENT,
			       "ctguard module not loaded (try: modprobe ctguard)");
	if (ret)
		return ret;
	if (!fam.id)
		return ctg_err(h, -EPROTO,
			       "the generic netlink controller gave no id for the ctguard family");
	if (fam.version != CTGUARD_GENL_VERSION)
		return ctg_err(h, -EPROTONOSUPPORT,
			       "the ctguard module speaks netlink version %u, this library version %u: update both together",
			       fam.version, CTGUARD_GENL_VERSION);
	h->family = fam.id;
	h->family_version = fam.version;
	h->mcgrp_events = fam.found_group ? fam.mcgrp : 0;
	return 0;
}

int ctg_ctrl_notify_group(struct ctguard *h, uint32_t *grp)
{
	struct ctg_family fam = { .group = "notify" };
	int ret;

	ret = ctg_lookup(h, "nlctrl", &fam);
	if (ret)
		return ret;
	if (!fam.found_group)
		return ctg_err(h, -ENOENT,
			       "the generic netlink controller has no notify group");
	*grp = fam.mcgrp;
	return 0;
}
