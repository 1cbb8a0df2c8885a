// SPDX-License-Identifier: GPL-2.0
/*
 * ctguard selftests: the rawsock class.
 *
 * SOCK_RAW sockets of AF_INET and AF_INET6 and AF_PACKET sockets of any
 * type (including the legacy AF_INET/SOCK_PACKET, which the kernel turns
 * into AF_PACKET) are refused with EPERM, by socket(2) and by io_uring's
 * IORING_OP_SOCKET, also in a user+network namespace the confined process
 * creates itself (where it is "root" and raw sockets work unconfined).
 * Ping sockets (SOCK_DGRAM/IPPROTO_ICMP: the VM widens ping_group_range),
 * TCP, UDP, Unix and netlink sockets stay allowed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/io_uring.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "common.h"

CTG_KEEP_HOOKS_ARMED

#ifndef SOCK_PACKET
#define SOCK_PACKET 10
#endif

/*
 * socket() through io_uring: one IORING_OP_SOCKET submission, waited for.
 * Returns the new descriptor or -1 with errno; sets the child's stage to
 * 10 while setting io_uring up, so a missing io_uring shows as such.
 */
static long uring_socket(int domain, int type, int protocol)
{
	struct io_uring_params p = { 0 };
	struct io_uring_sqe *sqes, *sqe;
	struct io_uring_cqe *cqes;
	unsigned int *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_mask;
	unsigned int tail, idx;
	size_t sq_len, cq_len;
	char *sq, *cq;
	int fd, res;

	STEP(10);
	fd = syscall(__NR_io_uring_setup, 4, &p);
	if (fd < 0)
		return -1;
	sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned int);
	cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (p.features & IORING_FEAT_SINGLE_MMAP) {
		if (cq_len > sq_len)
			sq_len = cq_len;
		cq_len = sq_len;
	}
	sq = mmap(NULL, sq_len, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQ_RING);
	if (sq == MAP_FAILED)
		return -1;
	if (p.features & IORING_FEAT_SINGLE_MMAP)
		cq = sq;
	else
		cq = mmap(NULL, cq_len, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_CQ_RING);
	if (cq == MAP_FAILED)
		return -1;
	sqes = mmap(NULL, p.sq_entries * sizeof(*sqes), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQES);
	if (sqes == MAP_FAILED)
		return -1;

	sq_tail = (unsigned int *)(sq + p.sq_off.tail);
	sq_mask = (unsigned int *)(sq + p.sq_off.ring_mask);
	sq_array = (unsigned int *)(sq + p.sq_off.array);
	cq_head = (unsigned int *)(cq + p.cq_off.head);
	cq_mask = (unsigned int *)(cq + p.cq_off.ring_mask);
	cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);

	tail = *sq_tail;
	idx = tail & *sq_mask;
	sqe = &sqes[idx];
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_SOCKET;
	sqe->fd = domain;
	sqe->off = type;
	sqe->len = protocol;
	sqe->user_data = 42;
	sq_array[idx] = idx;
	__atomic_store_n(sq_tail, tail + 1, __ATOMIC_RELEASE);

	if (syscall(__NR_io_uring_enter, fd, 1, 1, IORING_ENTER_GETEVENTS,
		    NULL, 0) != 1)
		return -1;
	STEP(2);
	res = cqes[__atomic_load_n(cq_head, __ATOMIC_ACQUIRE) & *cq_mask].res;
	if (res < 0) {
		errno = -res;
		return -1;
	}
	return res;
}

FIXTURE(rawsock) {
	struct ctg_nl nl, ev;
	struct ctg_cg cg;
};

FIXTURE_VARIANT(rawsock) {
	int family, type, protocol;
	bool denied;
	/* Create it in a user+network namespace of its own. */
	bool userns;
	/* Create it with io_uring's IORING_OP_SOCKET. */
	bool uring;
	/* Family the kernel reports (SOCK_PACKET becomes AF_PACKET). */
	int ev_family;
};

/* clang-format off */
FIXTURE_VARIANT_ADD(rawsock, inet_raw_icmp) {
	.family = AF_INET, .type = SOCK_RAW, .protocol = IPPROTO_ICMP,
	.denied = true, .ev_family = AF_INET,
};
FIXTURE_VARIANT_ADD(rawsock, inet_raw_raw) {
	.family = AF_INET, .type = SOCK_RAW, .protocol = IPPROTO_RAW,
	.denied = true, .ev_family = AF_INET,
};
FIXTURE_VARIANT_ADD(rawsock, inet_raw_udp) {
	.family = AF_INET, .type = SOCK_RAW, .protocol = IPPROTO_UDP,
	.denied = true, .ev_family = AF_INET,
};
FIXTURE_VARIANT_ADD(rawsock, inet_raw_tcp) {
	.family = AF_INET, .type = SOCK_RAW, .protocol = IPPROTO_TCP,
	.denied = true, .ev_family = AF_INET,
};
FIXTURE_VARIANT_ADD(rawsock, inet_raw_cloexec_nonblock) {
	.family = AF_INET, .type = SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
	.protocol = IPPROTO_ICMP, .denied = true, .ev_family = AF_INET,
};
FIXTURE_VARIANT_ADD(rawsock, inet6_raw_icmpv6) {
	.family = AF_INET6, .type = SOCK_RAW, .protocol = IPPROTO_ICMPV6,
	.denied = true, .ev_family = AF_INET6,
};
FIXTURE_VARIANT_ADD(rawsock, inet6_raw_raw) {
	.family = AF_INET6, .type = SOCK_RAW, .protocol = IPPROTO_RAW,
	.denied = true, .ev_family = AF_INET6,
};
FIXTURE_VARIANT_ADD(rawsock, packet_raw) {
	.family = AF_PACKET, .type = SOCK_RAW, .protocol = 0x0300 /* htons(ETH_P_ALL) */,
	.denied = true, .ev_family = AF_PACKET,
};
FIXTURE_VARIANT_ADD(rawsock, packet_raw_noproto) {
	.family = AF_PACKET, .type = SOCK_RAW, .protocol = 0,
	.denied = true, .ev_family = AF_PACKET,
};
FIXTURE_VARIANT_ADD(rawsock, packet_dgram) {
	.family = AF_PACKET, .type = SOCK_DGRAM, .protocol = 0x0008 /* htons(ETH_P_IP) */,
	.denied = true, .ev_family = AF_PACKET,
};
FIXTURE_VARIANT_ADD(rawsock, inet_sock_packet) {
	.family = AF_INET, .type = SOCK_PACKET, .protocol = 0x0300,
	.denied = true, .ev_family = AF_PACKET,
};
FIXTURE_VARIANT_ADD(rawsock, userns_inet_raw) {
	.family = AF_INET, .type = SOCK_RAW, .protocol = IPPROTO_ICMP,
	.denied = true, .userns = true, .ev_family = AF_INET,
};
FIXTURE_VARIANT_ADD(rawsock, userns_inet6_raw) {
	.family = AF_INET6, .type = SOCK_RAW, .protocol = IPPROTO_ICMPV6,
	.denied = true, .userns = true, .ev_family = AF_INET6,
};
FIXTURE_VARIANT_ADD(rawsock, userns_packet_raw) {
	.family = AF_PACKET, .type = SOCK_RAW, .protocol = 0x0300,
	.denied = true, .userns = true, .ev_family = AF_PACKET,
};
FIXTURE_VARIANT_ADD(rawsock, uring_inet_raw) {
	.family = AF_INET, .type = SOCK_RAW, .protocol = IPPROTO_ICMP,
	.denied = true, .uring = true, .ev_family = AF_INET,
};
FIXTURE_VARIANT_ADD(rawsock, uring_packet_raw) {
	.family = AF_PACKET, .type = SOCK_RAW, .protocol = 0x0300,
	.denied = true, .uring = true, .ev_family = AF_PACKET,
};
FIXTURE_VARIANT_ADD(rawsock, ping) {
	.family = AF_INET, .type = SOCK_DGRAM, .protocol = IPPROTO_ICMP,
};
FIXTURE_VARIANT_ADD(rawsock, ping6) {
	.family = AF_INET6, .type = SOCK_DGRAM, .protocol = IPPROTO_ICMPV6,
};
FIXTURE_VARIANT_ADD(rawsock, tcp) {
	.family = AF_INET, .type = SOCK_STREAM, .protocol = 0,
};
FIXTURE_VARIANT_ADD(rawsock, udp) {
	.family = AF_INET, .type = SOCK_DGRAM, .protocol = 0,
};
FIXTURE_VARIANT_ADD(rawsock, tcp6) {
	.family = AF_INET6, .type = SOCK_STREAM, .protocol = 0,
};
FIXTURE_VARIANT_ADD(rawsock, unix_dgram) {
	.family = AF_UNIX, .type = SOCK_DGRAM, .protocol = 0,
};
FIXTURE_VARIANT_ADD(rawsock, netlink_raw) {
	/* SOCK_RAW of another family is no raw network socket. */
	.family = AF_NETLINK, .type = SOCK_RAW, .protocol = NETLINK_ROUTE,
};
FIXTURE_VARIANT_ADD(rawsock, userns_ping) {
	.family = AF_INET, .type = SOCK_DGRAM, .protocol = IPPROTO_ICMP,
	.userns = true,
};
FIXTURE_VARIANT_ADD(rawsock, uring_udp) {
	.family = AF_INET, .type = SOCK_DGRAM, .protocol = 0, .uring = true,
};
/* clang-format on */

FIXTURE_SETUP(rawsock)
{
	ASSERT_TRUE(ctg_cgroup2_mounted());
	ASSERT_EQ(0, ctg_nl_open(&self->nl))
		TH_LOG("cannot reach the ctguard family: is the module loaded?");
	ASSERT_EQ(0, ctg_ev_open(&self->ev));
	ASSERT_EQ(0, ctg_cg_create(&self->cg));
}

FIXTURE_TEARDOWN(rawsock)
{
	EXPECT_EQ(0, ctg_cg_destroy(&self->nl, self->cg.path));
	ctg_nl_close(&self->ev);
	ctg_nl_close(&self->nl);
}

static long make_socket(void *arg)
{
	const FIXTURE_VARIANT(rawsock) *v = arg;

	if (v->userns) {
		STEP(1);
		if (ctg_enter_userns(CLONE_NEWNET))
			return -1;
		/* A new network namespace allows no ping socket at first. */
		if (v->type == SOCK_DGRAM &&
		    ctg_write_file("/proc/sys/net/ipv4/ping_group_range",
				   "0 0"))
			return -1;
	}
	STEP(2);
	if (v->uring)
		return uring_socket(v->family, v->type, v->protocol);
	return socket(v->family, v->type, v->protocol);
}

TEST_F(rawsock, create)
{
	void *arg = (void *)variant;
	struct ctg_stats st;
	struct ctg_event ev;
	struct ctg_res res;

	/* Unconfined: it works. */
	ASSERT_EQ(0, ctg_run(self->cg.path, NULL, make_socket, arg, &res));
	ASSERT_RES(res, 2, 0);

	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->cg.id,
					   CTGUARD_CLASS_RAWSOCK, 0,
					   CTGUARD_MODE_ENFORCE));
	ASSERT_EQ(0, ctg_run(self->cg.path, NULL, make_socket, arg, &res));
	if (!variant->denied) {
		ASSERT_RES(res, 2, 0);
		ASSERT_NL_OK(&self->nl,
			     ctg_get_stats(&self->nl, self->cg.id, &st));
		EXPECT_EQ(0u, st.denied);
		return;
	}
	ASSERT_RES(res, 2, EPERM);
	ASSERT_EQ(0, ctg_ev_wait_pid(&self->ev, &ev, res.pid,
				     CTGUARD_CLASS_RAWSOCK, 5000))
		TH_LOG("no event for pid %d %s", res.pid, self->ev.bad_reply);
	EXPECT_EQ(CTGUARD_VERDICT_DENIED, ev.verdict);
	EXPECT_EQ(self->cg.id, ev.cgid);
	EXPECT_EQ(self->cg.id, ev.policy_cgid);
	ASSERT_TRUE(ev.has_sock);
	EXPECT_EQ((uint32_t)variant->ev_family, ev.sock_family);
	EXPECT_EQ((uint32_t)(variant->type & 0xf), ev.sock_type);
	EXPECT_EQ((uint32_t)variant->protocol, ev.sock_protocol);
	ASSERT_NL_OK(&self->nl, ctg_get_stats(&self->nl, self->cg.id, &st));
	EXPECT_EQ(1u, st.denied);

	/* Complain: allowed and reported. */
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->cg.id,
					   CTGUARD_CLASS_RAWSOCK, 0,
					   CTGUARD_MODE_COMPLAIN));
	ASSERT_EQ(0, ctg_run(self->cg.path, NULL, make_socket, arg, &res));
	ASSERT_RES(res, 2, 0);
	ASSERT_EQ(0, ctg_ev_wait_pid(&self->ev, &ev, res.pid,
				     CTGUARD_CLASS_RAWSOCK, 5000));
	EXPECT_EQ(CTGUARD_VERDICT_COMPLAINED, ev.verdict);
	ASSERT_NL_OK(&self->nl, ctg_get_stats(&self->nl, self->cg.id, &st));
	EXPECT_EQ(1u, st.denied);
	EXPECT_EQ(1u, st.complained);
}

/* Every class but rawsock denied: raw sockets still work. */
TEST_F(rawsock, other_classes_denied)
{
	uint32_t deny = __CTGUARD_CLASS_ALL & ~CTGUARD_CLASS_RAWSOCK;

	if (variant->userns)
		deny &= ~CTGUARD_CLASS_USERNS;
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->cg.id, deny, 0,
					   CTGUARD_MODE_ENFORCE));
	ASSERT_RUN(self->cg.path, NULL, make_socket, (void *)variant, 2, 0);
}

/*
 * A socket created before the policy keeps working (a documented limit),
 * but the same process cannot make a new one once confined.
 */
FIXTURE(rawsock_fd) {
	struct ctg_nl nl;
	struct ctg_cg cg;
};

FIXTURE_SETUP(rawsock_fd)
{
	ASSERT_EQ(0, ctg_nl_open(&self->nl));
	ASSERT_EQ(0, ctg_cg_create(&self->cg));
}

FIXTURE_TEARDOWN(rawsock_fd)
{
	EXPECT_EQ(0, ctg_cg_destroy(&self->nl, self->cg.path));
	ctg_nl_close(&self->nl);
}

TEST_F(rawsock_fd, created_before)
{
	int p[2], status;
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe(p));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd = socket(AF_PACKET, SOCK_RAW, 0x0300);

		/* Wait until the cgroup is tagged. */
		if (read(p[0], &c, 1) != 1)
			_exit(10);
		if (fd < 0)
			_exit(11);
		if (ctg_cg_enter(self->cg.path, 0))
			_exit(12);
		if (socket(AF_PACKET, SOCK_RAW, 0x0300) >= 0 || errno != EPERM)
			_exit(13);
		/* The old socket still works: bind it to lo. */
		if (bind(fd, (struct sockaddr *)&(struct sockaddr_ll){
				.sll_family = AF_PACKET,
				.sll_protocol = 0x0300,
				.sll_ifindex = 1 }, sizeof(struct sockaddr_ll)))
			_exit(14);
		_exit(0);
	}
	ASSERT_NL_OK(&self->nl, ctg_policy(&self->nl, self->cg.id,
					   CTGUARD_CLASS_RAWSOCK, 0,
					   CTGUARD_MODE_ENFORCE));
	ASSERT_EQ(1, write(p[1], "x", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("10: no go, 11: socket failed unconfined, 12: join failed, 13: new socket not refused, 14: old socket unusable");
}

TEST_HARNESS_MAIN
