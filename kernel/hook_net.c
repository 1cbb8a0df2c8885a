// SPDX-License-Identifier: GPL-2.0
/*
 * Raw sockets: socket(2), socketpair(2) and io_uring's socket op all reach
 * security_socket_create(); the legacy AF_INET/SOCK_PACKET is turned into
 * AF_PACKET before it. Ping sockets (SOCK_DGRAM/IPPROTO_ICMP) stay allowed.
 */

#include <linux/net.h>
#include <linux/socket.h>

#include "hooks.h"
#include "policy.h"
#include "report.h"

static bool ctg_rawsock_denies(const struct ctg_policy *p, const void *arg)
{
	return p->deny & CTGUARD_CLASS_RAWSOCK;
}

static bool ctg_is_raw_socket(int family, int type)
{
	if (family == AF_PACKET)
		return true;
	return (family == AF_INET || family == AF_INET6) && type == SOCK_RAW;
}

/* security_socket_create(family, type, protocol, kern) */
static bool ctg_check_socket_create(struct pt_regs *regs)
{
	int family = regs->di;
	int type = regs->si & SOCK_TYPE_MASK;
	int protocol = regs->dx;
	int kern = regs->cx;
	struct ctg_match m;
	bool deny = false;

	if (kern || !ctg_is_raw_socket(family, type))
		return false;
	rcu_read_lock();
	if (ctg_evaluate(ctg_rawsock_denies, NULL, &m)) {
		struct ctg_event ev = { .class = CTGUARD_CLASS_RAWSOCK };

		ev.sock.family = family;
		ev.sock.type = type;
		ev.sock.protocol = protocol;
		deny = ctg_report(&m, &ev, 0);
	}
	rcu_read_unlock();
	return deny;
}

CTG_DEFINE_HANDLER(ctg_check_socket_create)

struct ctg_hook ctg_net_hooks[] = {
	CTG_HOOK("security_socket_create", CTGUARD_CLASS_RAWSOCK,
		 ctg_check_socket_create),
	{ }
};
