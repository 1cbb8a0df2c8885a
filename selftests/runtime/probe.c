// SPDX-License-Identifier: GPL-2.0
/*
 * Runs inside a test container (selftests/runtime_test.sh, make demo): tries
 * each escape primitive named on the command line and prints one line per
 * attempt, "NAME ok" or "NAME EPERM" (or another errno name), so that the
 * test can compare a confined container with an unconfined one. Each
 * attempt runs in a child process named "x-NAME" (truncated to 15
 * characters), so that the events `ctguard monitor` prints name the attempt
 * that caused them (comm=x-mount). Static, so that it runs in a busybox
 * root filesystem.
 *
 *   probe work mount rawsock dmesg mknod chroot dev:/dev/zero ...
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <stdio.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

static int try_work(void)
{
	const char msg[] = "hello from the container\n";
	char buf[sizeof(msg)];
	int fd = open("/tmp/work.txt", O_RDWR | O_CREAT | O_TRUNC, 0600);

	if (fd < 0)
		return -1;
	if (write(fd, msg, sizeof(msg) - 1) != sizeof(msg) - 1 ||
	    pread(fd, buf, sizeof(msg) - 1, 0) != sizeof(msg) - 1 ||
	    memcmp(buf, msg, sizeof(msg) - 1)) {
		close(fd);
		errno = EIO;
		return -1;
	}
	return close(fd);
}

static int try_mount(void)
{
	mkdir("/tmp/mnt", 0700);
	if (mount("none", "/tmp/mnt", "tmpfs", 0, NULL))
		return -1;
	return umount("/tmp/mnt");
}

static int try_rawsock(void)
{
	int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));

	return fd < 0 ? -1 : close(fd);
}

static int try_dmesg(void)
{
	char buf[256];

	return klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, sizeof(buf)) < 0 ?
	       -1 : 0;
}

static int try_mknod(void)
{
	unlink("/tmp/null2");
	if (mknod("/tmp/null2", S_IFCHR | 0600, makedev(1, 3)))
		return -1;
	return unlink("/tmp/null2");
}

static int try_chroot(void)
{
	return chroot("/");
}

static int try_dev(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	return fd < 0 ? -1 : close(fd);
}

/* Run attempt @op; 0 when it succeeded, else -1 with errno set; 1 unknown. */
static int attempt(const char *op)
{
	errno = 0;
	if (!strcmp(op, "work"))
		return try_work();
	if (!strcmp(op, "mount"))
		return try_mount();
	if (!strcmp(op, "rawsock"))
		return try_rawsock();
	if (!strcmp(op, "dmesg"))
		return try_dmesg();
	if (!strcmp(op, "mknod"))
		return try_mknod();
	if (!strcmp(op, "chroot"))
		return try_chroot();
	if (!strncmp(op, "dev:", 4))
		return try_dev(op + 4);
	return 1;
}

/* In a child named x-OP: print "OP ok", "OP EPERM", ... */
static int run(const char *op)
{
	char comm[16];
	int status, ret;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("%s fork-failed\n", op);
		return 1;
	}
	if (!pid) {
		snprintf(comm, sizeof(comm), "x-%s", op);
		prctl(PR_SET_NAME, comm, 0, 0, 0);
		ret = attempt(op);
		if (ret > 0)
			printf("%s unknown\n", op);
		else if (ret < 0)
			printf("%s %s\n", op, strerrorname_np(errno) ?
			       strerrorname_np(errno) : "error");
		else
			printf("%s ok\n", op);
		fflush(stdout);
		_exit(ret > 0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
		printf("%s crashed\n", op);
		return 1;
	}
	return WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	int i, bad = 0;

	for (i = 1; i < argc; i++)
		bad |= run(argv[i]);
	fflush(stdout);
	return bad;
}
