// SPDX-License-Identifier: LGPL-2.1-or-later
/* The "events" multicast group: denial and complain reports. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "internal.h"

/*
 * A bigger receive buffer rides out bursts of denials; the kernel still
 * drops what does not fit and we say so (ENOBUFS).
 */
#define CTG_EV_RCVBUF (4 * 1024 * 1024)

int ctguard_events_subscribe(struct ctguard *h)
{
	int size = CTG_EV_RCVBUF, one = 1, ret;
	uint32_t grp, notify;

	ret = ctg_resolve(h);
	if (ret)
		return ret;
	if (h->ev_nl)
		return 0;
	if (!h->mcgrp_events)
		return ctg_err(h, -ENOENT,
			       "the ctguard module has no '%s' multicast group",
			       CTGUARD_MCGRP_EVENTS);
	/* To tell the caller when the module goes away, not wait forever. */
	ret = ctg_ctrl_notify_group(h, &notify);
	if (ret)
		return ret;
	if (!h->ev_buf)
		h->ev_buf = malloc(CTG_BUF_LEN);
	if (!h->ev_buf)
		return ctg_err(h, -ENOMEM, "out of memory");
	h->ev_nl = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC);
	if (!h->ev_nl)
		return ctg_err(h, -errno, "opening the event socket: %s",
			       strerror(errno));
	if (mnl_socket_bind(h->ev_nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		goto fail;
	}
	/* Best effort: without it the default buffer is only smaller. */
	setsockopt(mnl_socket_get_fd(h->ev_nl), SOL_SOCKET, SO_RCVBUF, &size,
		   sizeof(size));
	/*
	 * Without NETLINK_BROADCAST_ERROR the kernel never learns that an
	 * event did not fit in our buffer, and cannot count it as lost.
	 */
	if (setsockopt(mnl_socket_get_fd(h->ev_nl), SOL_NETLINK,
		       NETLINK_BROADCAST_ERROR, &one, sizeof(one))) {
		ret = -errno;
		goto fail;
	}
	grp = h->mcgrp_events;
	if (mnl_socket_setsockopt(h->ev_nl, NETLINK_ADD_MEMBERSHIP, &grp,
				  sizeof(grp)) < 0 ||
	    mnl_socket_setsockopt(h->ev_nl, NETLINK_ADD_MEMBERSHIP, &notify,
				  sizeof(notify)) < 0) {
		ret = -errno;
		goto fail;
	}
	h->ev_len = h->ev_off = 0;
	return 0;
fail:
	mnl_socket_close(h->ev_nl);
	h->ev_nl = NULL;
	if (ret == -EPERM)
		return ctg_err(h, ret,
			       "joining the events group: permission denied: needs CAP_NET_ADMIN in the initial user namespace");
	return ctg_err(h, ret, "joining the events group: %s", strerror(-ret));
}

int ctguard_event_fd(const struct ctguard *h)
{
	return h->ev_nl ? mnl_socket_get_fd(h->ev_nl) : -EBADF;
}

int ctg_parse_event(const struct nlmsghdr *nlh, struct ctguard_event *ev)
{
	const struct nlattr *tb[CTGUARD_A_MAX + 1] = { 0 };
	const struct nlattr *attr;
	int ret;

	memset(ev, 0, sizeof(*ev));
	mnl_attr_for_each(attr, nlh, sizeof(struct genlmsghdr)) {
		uint16_t type = mnl_attr_get_type(attr);
		enum mnl_attr_data_type want;

		switch (type) {
		case CTGUARD_A_CGROUP_ID:
		case CTGUARD_A_EV_POLICY_CGROUP_ID:
		case CTGUARD_A_EV_MOUNT_FLAGS:
		case CTGUARD_A_EV_TARGET_CGROUP_ID:
			want = MNL_TYPE_U64;
			break;
		case CTGUARD_A_EV_PID:
		case CTGUARD_A_EV_TGID:
		case CTGUARD_A_EV_UID:
		case CTGUARD_A_EV_CLASS:
		case CTGUARD_A_EV_SOCK_FAMILY:
		case CTGUARD_A_EV_SOCK_TYPE:
		case CTGUARD_A_EV_SOCK_PROTOCOL:
		case CTGUARD_A_EV_SYSLOG_ACTION:
			want = MNL_TYPE_U32;
			break;
		case CTGUARD_A_EV_VERDICT:
		case CTGUARD_A_EV_CAP:
		case CTGUARD_A_EV_MOUNT_OP:
			want = MNL_TYPE_U8;
			break;
		case CTGUARD_A_EV_COMM:
		case CTGUARD_A_EV_FSTYPE:
			want = MNL_TYPE_NUL_STRING;
			break;
		case CTGUARD_A_EV_DEVICE:
			want = MNL_TYPE_NESTED;
			break;
		default:
			continue;	/* pad, or newer than us */
		}
		if (mnl_attr_validate(attr, want) < 0)
			return -EBADMSG;
		tb[type] = attr;
	}
	if (!tb[CTGUARD_A_CGROUP_ID] || !tb[CTGUARD_A_EV_CLASS])
		return -EBADMSG;
	ev->cgroup_id = mnl_attr_get_u64(tb[CTGUARD_A_CGROUP_ID]);
	ev->class = mnl_attr_get_u32(tb[CTGUARD_A_EV_CLASS]);
	if (tb[CTGUARD_A_EV_POLICY_CGROUP_ID]) {
		ev->policy_cgroup_id =
			mnl_attr_get_u64(tb[CTGUARD_A_EV_POLICY_CGROUP_ID]);
		ev->present |= CTGUARD_EV_POLICY_CGROUP;
	}
	if (tb[CTGUARD_A_EV_PID])
		ev->pid = mnl_attr_get_u32(tb[CTGUARD_A_EV_PID]);
	if (tb[CTGUARD_A_EV_TGID])
		ev->tgid = mnl_attr_get_u32(tb[CTGUARD_A_EV_TGID]);
	if (tb[CTGUARD_A_EV_UID])
		ev->uid = mnl_attr_get_u32(tb[CTGUARD_A_EV_UID]);
	if (tb[CTGUARD_A_EV_COMM])
		snprintf(ev->comm, sizeof(ev->comm), "%s",
			 mnl_attr_get_str(tb[CTGUARD_A_EV_COMM]));
	if (tb[CTGUARD_A_EV_VERDICT])
		ev->verdict = mnl_attr_get_u8(tb[CTGUARD_A_EV_VERDICT]);
	if (tb[CTGUARD_A_EV_CAP]) {
		ev->cap = mnl_attr_get_u8(tb[CTGUARD_A_EV_CAP]);
		ev->present |= CTGUARD_EV_CAP;
	}
	if (tb[CTGUARD_A_EV_MOUNT_OP]) {
		ev->mount_op = mnl_attr_get_u8(tb[CTGUARD_A_EV_MOUNT_OP]);
		ev->present |= CTGUARD_EV_MOUNT_OP;
	}
	if (tb[CTGUARD_A_EV_FSTYPE]) {
		snprintf(ev->fstype, sizeof(ev->fstype), "%s",
			 mnl_attr_get_str(tb[CTGUARD_A_EV_FSTYPE]));
		ev->present |= CTGUARD_EV_FSTYPE;
	}
	if (tb[CTGUARD_A_EV_MOUNT_FLAGS]) {
		ev->mount_flags = mnl_attr_get_u64(tb[CTGUARD_A_EV_MOUNT_FLAGS]);
		ev->present |= CTGUARD_EV_MOUNT_FLAGS;
	}
	if (tb[CTGUARD_A_EV_SOCK_FAMILY] || tb[CTGUARD_A_EV_SOCK_TYPE] ||
	    tb[CTGUARD_A_EV_SOCK_PROTOCOL]) {
		if (tb[CTGUARD_A_EV_SOCK_FAMILY])
			ev->sock_family =
				mnl_attr_get_u32(tb[CTGUARD_A_EV_SOCK_FAMILY]);
		if (tb[CTGUARD_A_EV_SOCK_TYPE])
			ev->sock_type =
				mnl_attr_get_u32(tb[CTGUARD_A_EV_SOCK_TYPE]);
		if (tb[CTGUARD_A_EV_SOCK_PROTOCOL])
			ev->sock_protocol =
				mnl_attr_get_u32(tb[CTGUARD_A_EV_SOCK_PROTOCOL]);
		ev->present |= CTGUARD_EV_SOCK;
	}
	if (tb[CTGUARD_A_EV_SYSLOG_ACTION]) {
		ev->syslog_action =
			mnl_attr_get_u32(tb[CTGUARD_A_EV_SYSLOG_ACTION]);
		ev->present |= CTGUARD_EV_SYSLOG_ACTION;
	}
	if (tb[CTGUARD_A_EV_DEVICE]) {
		ret = ctg_parse_dev_rule(tb[CTGUARD_A_EV_DEVICE], &ev->dev);
		if (ret)
			return ret;
		ev->present |= CTGUARD_EV_DEVICE;
	}
	if (tb[CTGUARD_A_EV_TARGET_CGROUP_ID]) {
		ev->target_cgroup_id =
			mnl_attr_get_u64(tb[CTGUARD_A_EV_TARGET_CGROUP_ID]);
		ev->present |= CTGUARD_EV_TARGET_CGROUP;
	}
	return 0;
}

static int ctg_ctrl_attr(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(attr, MNL_TYPE_U16) >= 0)
		*(int *)data = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

/* The controller announces that our family was unregistered. */
static bool ctg_family_gone(const struct ctguard *h, const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	int id = -1;

	if (genl->cmd != CTRL_CMD_DELFAMILY)
		return false;
	mnl_attr_parse(nlh, sizeof(*genl), ctg_ctrl_attr, &id);
	return id == h->family;
}

/*
 * Hand out the next event of the datagram buffered in h->ev_buf. Returns
 * 1 when one was found, 0 when the buffer is used up, -ENODEV when the
 * module went away.
 */
int ctg_next_buffered(struct ctguard *h, struct ctguard_event *ev)
{
	while (h->ev_off < h->ev_len) {
		const struct nlmsghdr *nlh =
			(const void *)(h->ev_buf + h->ev_off);
		int left = (int)(h->ev_len - h->ev_off);
		const struct genlmsghdr *genl;

		if (!mnl_nlmsg_ok(nlh, left)) {
			h->ev_off = h->ev_len;
			return 0;
		}
		h->ev_off += NLMSG_ALIGN(nlh->nlmsg_len);
		if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*genl))
			continue;
		if (nlh->nlmsg_type == GENL_ID_CTRL && ctg_family_gone(h, nlh)) {
			/* A reloaded module may get new ids: look again. */
			h->family = 0;
			h->ev_off = h->ev_len;
			return -ENODEV;
		}
		if (nlh->nlmsg_type != h->family)
			continue;
		genl = mnl_nlmsg_get_payload(nlh);
		if (genl->cmd != CTGUARD_CMD_EVENT)
			continue;
		/* A malformed event is skipped rather than ending the stream. */
		if (ctg_parse_event(nlh, ev))
			continue;
		return 1;
	}
	return 0;
}

int ctguard_event_recv(struct ctguard *h, struct ctguard_event *ev,
		       int timeout_ms)
{
	int fd;

	ctg_clear_err(h);
	if (!h->ev_nl)
		return ctg_err(h, -EBADF,
			       "not subscribed to events (call ctguard_events_subscribe())");
	fd = mnl_socket_get_fd(h->ev_nl);
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;
		int ret;

		ret = ctg_next_buffered(h, ev);
		if (ret == -ENODEV) {
			/* Its groups are gone: a new subscription starts over. */
			mnl_socket_close(h->ev_nl);
			h->ev_nl = NULL;
			return ctg_err(h, ret,
				       "the ctguard module was unloaded");
		}
		if (ret)
			return 0;
		ret = poll(&pfd, 1, timeout_ms);
		if (ret < 0)
			return ctg_err(h, -errno, "waiting for events: %s",
				       strerror(errno));
		if (!ret)
			return -EAGAIN;
		n = recv(fd, h->ev_buf, CTG_BUF_LEN, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			if (errno == ENOBUFS)
				return ctg_err(h, -ENOBUFS,
					       "events lost: the kernel dropped events the socket had no room for");
			return ctg_err(h, -errno, "receiving events: %s",
				       strerror(errno));
		}
		h->ev_len = (size_t)n;
		h->ev_off = 0;
	}
}
