// SPDX-License-Identifier: GPL-2.0
/*
 * The seccomp peer: a filter built with libseccomp that has the shape and
 * the cost structure of Docker's default profile as applied to a container
 * with Docker's default capabilities (no CAP_SYS_ADMIN, CAP_SYSLOG, ...):
 *
 *  - default action ERRNO(EPERM), architectures x86-64 plus x86 and x32;
 *  - an allowlist of about 300 syscalls without argument conditions, which
 *    the kernel's seccomp action cache (5.11+) answers without running the
 *    program;
 *  - socket() allowed unless the family is AF_VSOCK, clone() allowed
 *    without namespace flags, personality() allowed for a few personas and
 *    clone3() failing with ENOSYS: these run the BPF program on every call;
 *  - what Docker grants only with capabilities a default container lacks
 *    stays refused: mount(2) and the new mount API, umount2, sethostname,
 *    setdomainname, syslog, unshare, setns, bpf, perf_event_open, module
 *    loading, reboot, chroot, kcmp, setting the clock, iopl/ioperm, NUMA
 *    policy calls, acct, quotactl, open_by_handle_at, vhangup (ptrace and
 *    process_vm_* stay allowed, as Docker does on kernels >= 4.8).
 *
 * The list below is ours, grouped by purpose; it follows the published
 * behaviour of Docker's profile (moby profiles/seccomp/default.json) but is
 * not a copy of it: names that exist only on other architectures are left
 * out, and the x86/x32 sub-architectures get the same names. What matters
 * for cost is the same as Docker's: every syscall goes through seccomp's
 * entry work, the unconditional ones are answered by the kernel's action
 * cache, and the conditional ones (socket) run a binary-tree program laid
 * out by libseccomp as runc lays it out.
 */

#include <errno.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "seccomp_docker.h"

#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif

static const char *const allowed[] = {
	/* file descriptors and I/O */
	"read", "write", "readv", "writev", "pread64", "pwrite64", "preadv",
	"pwritev", "preadv2", "pwritev2", "lseek", "close", "close_range",
	"dup", "dup2", "dup3", "fcntl", "flock", "fsync", "fdatasync", "sync",
	"syncfs", "sync_file_range", "fallocate", "ftruncate", "truncate",
	"sendfile", "splice", "tee", "vmsplice", "copy_file_range",
	"readahead", "fadvise64", "ioctl", "pipe", "pipe2",
	/* paths and metadata */
	"open", "openat", "openat2", "creat", "stat", "fstat", "lstat",
	"newfstatat", "statx", "statfs", "fstatfs", "access", "faccessat",
	"faccessat2", "readlink", "readlinkat", "getcwd", "chdir", "fchdir",
	"mkdir", "mkdirat", "rmdir", "rename", "renameat", "renameat2", "link",
	"linkat", "symlink", "symlinkat", "unlink", "unlinkat", "chmod",
	"fchmod", "fchmodat", "chown", "fchown", "lchown", "fchownat", "umask",
	"utime", "utimes", "utimensat", "futimesat", "mknod", "mknodat",
	"getdents", "getdents64", "name_to_handle_at",
	/* extended attributes */
	"getxattr", "lgetxattr", "fgetxattr", "setxattr", "lsetxattr",
	"fsetxattr", "listxattr", "llistxattr", "flistxattr", "removexattr",
	"lremovexattr", "fremovexattr",
	/* memory */
	"brk", "mmap", "munmap", "mprotect", "mremap", "madvise", "mincore",
	"msync", "mlock", "mlock2", "munlock", "mlockall", "munlockall",
	"remap_file_pages", "membarrier", "memfd_create", "memfd_secret",
	"pkey_alloc", "pkey_free", "pkey_mprotect",
	/* processes and threads */
	"execve", "execveat", "exit", "exit_group", "fork", "vfork", "wait4",
	"waitid", "kill", "tkill", "tgkill", "getpid", "getppid", "gettid",
	"getpgid", "setpgid", "getpgrp", "getsid", "setsid", "prctl",
	"arch_prctl", "modify_ldt", "set_thread_area", "get_thread_area",
	"set_tid_address", "set_robust_list", "get_robust_list", "rseq",
	"futex", "futex_waitv", "pidfd_open", "pidfd_send_signal",
	"process_mrelease", "restart_syscall", "seccomp", "capget", "capset",
	"ptrace", "process_vm_readv", "process_vm_writev",
	/* scheduling and limits */
	"sched_getaffinity", "sched_setaffinity", "sched_getattr",
	"sched_setattr", "sched_getparam", "sched_setparam",
	"sched_getscheduler", "sched_setscheduler", "sched_get_priority_max",
	"sched_get_priority_min", "sched_rr_get_interval", "sched_yield",
	"getpriority", "setpriority", "ioprio_get", "ioprio_set", "getrlimit",
	"setrlimit", "prlimit64", "getrusage", "times", "sysinfo", "uname",
	"getcpu",
	/* identity */
	"getuid", "geteuid", "getgid", "getegid", "getgroups", "setgroups",
	"setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid",
	"getresuid", "getresgid", "setfsuid", "setfsgid",
	/* signals */
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigpending",
	"rt_sigsuspend", "rt_sigtimedwait", "rt_sigqueueinfo",
	"rt_tgsigqueueinfo", "sigaltstack", "signalfd", "signalfd4", "pause",
	"alarm", "getitimer", "setitimer",
	/* time (reading, and adjtimex which checks CAP_SYS_TIME to write) */
	"clock_gettime", "clock_getres", "clock_nanosleep", "nanosleep",
	"gettimeofday", "time", "adjtimex", "clock_adjtime", "timer_create",
	"timer_delete", "timer_gettime", "timer_settime", "timer_getoverrun",
	"timerfd_create", "timerfd_gettime", "timerfd_settime",
	/* waiting for events */
	"poll", "ppoll", "select", "pselect6", "epoll_create", "epoll_create1",
	"epoll_ctl", "epoll_ctl_old", "epoll_wait", "epoll_wait_old",
	"epoll_pwait", "epoll_pwait2", "eventfd", "eventfd2", "inotify_init",
	"inotify_init1", "inotify_add_watch", "inotify_rm_watch",
	"fanotify_mark",
	/* asynchronous I/O */
	"io_setup", "io_destroy", "io_submit", "io_cancel", "io_getevents",
	"io_pgetevents", "io_uring_setup", "io_uring_enter",
	"io_uring_register",
	/* System V and POSIX IPC */
	"msgget", "msgsnd", "msgrcv", "msgctl", "semget", "semop",
	"semtimedop", "semctl", "shmget", "shmat", "shmdt", "shmctl",
	"mq_open", "mq_unlink", "mq_timedsend", "mq_timedreceive", "mq_notify",
	"mq_getsetattr",
	/* sockets (socket() itself is conditional, below) */
	"socketpair", "bind", "connect", "listen", "accept", "accept4",
	"getsockname", "getpeername", "sendto", "recvfrom", "sendmsg",
	"recvmsg", "sendmmsg", "recvmmsg", "shutdown", "setsockopt",
	"getsockopt",
	/* miscellaneous */
	"getrandom", "landlock_create_ruleset", "landlock_add_rule",
	"landlock_restrict_self",
};

/* Personas Docker lets personality(2) select (and the 0xffffffff query). */
static const unsigned long personas[] = { 0x0, 0x8, 0x20000, 0x20008,
					  0xffffffff };

/* The namespace flags clone(2) may not carry without CAP_SYS_ADMIN. */
#define CTGB_CLONE_NS_FLAGS (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | \
			     CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | \
			     CLONE_NEWCGROUP)

int ctgb_seccomp_docker(bool load, struct ctgb_seccomp_info *info, FILE *pfc)
{
	struct ctgb_seccomp_info i = { 0 };
	scmp_filter_ctx ctx;
	size_t k;
	int nr, err;

	ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	if (!ctx)
		return -ENOMEM;
	/*
	 * runc, Docker's runtime, lays out filters of more than 32 rules as a
	 * binary tree sorted by syscall number (libseccomp's level 2).
	 */
	err = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	if (err)
		goto out;
	err = seccomp_arch_add(ctx, SCMP_ARCH_X86);
	if (!err || err == -EEXIST)
		err = seccomp_arch_add(ctx, SCMP_ARCH_X32);
	if (err && err != -EEXIST)
		goto out;

	for (k = 0; k < sizeof(allowed) / sizeof(allowed[0]); k++) {
		nr = seccomp_syscall_resolve_name(allowed[k]);
		if (nr == __NR_SCMP_ERROR) {
			i.unknown++;
			continue;
		}
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
		if (err)
			goto out;
		i.allowed++;
	}

	err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1,
			       SCMP_A0(SCMP_CMP_NE, AF_VSOCK));
	if (err)
		goto out;
	i.conditional++;
	for (k = 0; k < sizeof(personas) / sizeof(personas[0]); k++) {
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW,
				       SCMP_SYS(personality), 1,
				       SCMP_A0(SCMP_CMP_EQ, personas[k]));
		if (err)
			goto out;
		i.conditional++;
	}
	err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
			       SCMP_A0(SCMP_CMP_MASKED_EQ, CTGB_CLONE_NS_FLAGS, 0));
	if (err)
		goto out;
	i.conditional++;
	err = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	if (err)
		goto out;
	i.conditional++;

	if (pfc)
		seccomp_export_pfc(ctx, fileno(pfc));
	{
		/* The program's length, as the kernel will run it. */
		int fds[2];
		char buf[65536];
		ssize_t len;

		if (pipe(fds) == 0) {
			if (seccomp_export_bpf(ctx, fds[1]) == 0) {
				len = read(fds[0], buf, sizeof(buf));
				if (len > 0)
					i.bpf_insns = len / 8;
			}
			close(fds[0]);
			close(fds[1]);
		}
	}
	if (load)
		err = seccomp_load(ctx);
out:
	seccomp_release(ctx);
	if (info)
		*info = i;
	return err;
}
