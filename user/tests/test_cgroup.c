// SPDX-License-Identifier: GPL-2.0
/* Unit tests of target resolution: cgroup paths, ids and processes. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <linux/magic.h>

#include "internal.h"
#include "tap.h"

static void norm(struct ctguard *h, const char *in, int ret, const char *want)
{
	char buf[PATH_MAX], what[PATH_MAX + 64];
	int got;

	got = ctguard_cgroup_normalize(h, in, buf, sizeof(buf));
	snprintf(what, sizeof(what), "normalize '%s' %s", in ? in : "(null)",
		 ret ? "fails" : "works");
	is_int(got, ret, what);
	if (!ret && !got) {
		snprintf(what, sizeof(what), "normalize '%s'", in);
		is_str(buf, want, what);
	}
}

static void test_normalize(struct ctguard *h)
{
	char buf[8];

	/* Not the probed default: hybrid hosts would pick .../unified. */
	is_int(ctguard_set_cgroup_root(h, "/sys/fs/cgroup"), 0, "explicit root");

	norm(h, "system.slice/x", 0, "/system.slice/x");
	norm(h, "/system.slice/x", 0, "/system.slice/x");
	norm(h, "/sys/fs/cgroup/system.slice/x", 0, "/system.slice/x");
	norm(h, "/sys/fs/cgroup", 0, "/");
	norm(h, "/sys/fs/cgroup/", 0, "/");
	norm(h, "/", 0, "/");
	norm(h, "//a//b/", 0, "/a/b");
	norm(h, "a/./b/.", 0, "/a/b");
	norm(h, "a/../b", 0, "/b");
	norm(h, "a/b/../../c", 0, "/c");
	norm(h, "/sys/fs/cgroupx/a", 0, "/sys/fs/cgroupx/a");
	norm(h, "sys/fs/cgroup/a", 0, "/sys/fs/cgroup/a");
	norm(h, "..", -EINVAL, NULL);
	norm(h, "a/../..", -EINVAL, NULL);
	norm(h, "", -EINVAL, NULL);
	norm(h, NULL, -EINVAL, NULL);
	is_int(ctguard_cgroup_normalize(h, "abcdefgh", buf, sizeof(buf)), -ENAMETOOLONG, "too long for the buffer");
	is_int(ctguard_cgroup_normalize(h, "abcdef", buf, sizeof(buf)), 0, "exactly fits");
	is_str(buf, "/abcdef", "exactly fits: value");
	is_str(ctguard_strerror(h), "", "message cleared on success");

	is_int(ctguard_set_cgroup_root(h, "relative"), -EINVAL, "relative root rejected");
	has_str(ctguard_strerror(h), "not an absolute path", "says why");
	is_int(ctguard_set_cgroup_root(h, "/tmp/cg//"), 0, "root with trailing slashes");
	norm(h, "/tmp/cg/a/b", 0, "/a/b");
	norm(h, "/tmp/cgx", 0, "/tmp/cgx");
	norm(h, "/sys/fs/cgroup/a", 0, "/sys/fs/cgroup/a");
	ctguard_set_cgroup_root(h, "/sys/fs/cgroup");
}

/* A directory that is not cgroup2 must be refused, with the reason. */
static void test_not_cgroup2(struct ctguard *h)
{
	char dir[] = "/tmp/ctg-test-XXXXXX", sub[64];
	uint64_t id = 0;

	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp");
		return;
	}
	snprintf(sub, sizeof(sub), "%s/a", dir);
	mkdir(sub, 0755);
	is_int(ctguard_set_cgroup_root(h, dir), 0, "temporary root");
	is_int(ctguard_cgroup_id(h, "a", &id), -EMEDIUMTYPE, "tmpfs/ext4 is not cgroup2");
	has_str(ctguard_strerror(h), "is not a cgroup v2 mount", "message says cgroup v2");
	is_int(id, 0, "id untouched");
	is_int(ctguard_cgroup_path(h, 1, sub, sizeof(sub)), -EMEDIUMTYPE, "id to path refuses too");
	rmdir(sub);
	rmdir(dir);
	is_int(ctguard_set_cgroup_root(h, "/nonexistent-ctg"), 0, "missing root");
	is_int(ctguard_cgroup_id(h, "a", &id), -ENOENT, "missing root: ENOENT");
	has_str(ctguard_strerror(h), "cannot access the cgroup root /nonexistent-ctg", "says which root");
	ctguard_set_cgroup_root(h, "/sys/fs/cgroup");
}

static bool is_cgroup2(const char *dir)
{
	struct statfs sfs;

	return !statfs(dir, &sfs) && sfs.f_type == CGROUP2_SUPER_MAGIC;
}

/*
 * The real hierarchy, through a fresh handle that probes for it: cgroup2 at
 * /sys/fs/cgroup, else at /sys/fs/cgroup/unified (hybrid), else refused.
 */
static void test_real_root(void)
{
	struct ctguard *h = ctguard_open();
	const char *root = NULL;
	char path[PATH_MAX], want[PATH_MAX + 32];
	struct stat st;
	uint64_t id = 0;

	if (is_cgroup2("/sys/fs/cgroup"))
		root = "/sys/fs/cgroup";
	else if (is_cgroup2("/sys/fs/cgroup/unified"))
		root = "/sys/fs/cgroup/unified";
	if (!root) {
		is_int(ctguard_cgroup_id(h, "/", &id), -EMEDIUMTYPE,
		       "host without cgroup2: refused");
		ctguard_close(h);
		return;
	}
	printf("# cgroup2 found at %s\n", root);
	stat(root, &st);
	is_int(ctguard_cgroup_id(h, "/", &id), 0, "root cgroup id");
	is_u64(id, st.st_ino, "root id is the inode number");
	snprintf(want, sizeof(want), "%s/", root);
	is_int(ctguard_cgroup_id(h, want, &id), 0, "root given by its mount point");
	is_int(ctguard_cgroup_id(h, "/no/such/cgroup-ctg", &id), -ENOENT, "missing cgroup");
	has_str(ctguard_strerror(h), "no cgroup /no/such/cgroup-ctg", "names the cgroup");
	snprintf(want, sizeof(want), "%s/no/such/cgroup-ctg does not exist", root);
	has_str(ctguard_strerror(h), want, "names the directory");
	is_int(ctguard_cgroup_id(h, "cgroup.procs", &id), -ENOTDIR, "a file is no cgroup");
	is_int(ctguard_cgroup_path(h, st.st_ino, path, sizeof(path)), 0, "path of the root id");
	is_str(path, "/", "root path");
	is_int(ctguard_cgroup_path(h, 1ULL << 62, path, sizeof(path)), -ENOENT, "path of an unknown id");
	has_str(ctguard_strerror(h), "no cgroup with id", "says no cgroup with that id");
	ctguard_close(h);
}

static void test_pid(struct ctguard *h)
{
	char path[PATH_MAX], want[PATH_MAX] = "", *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;
	int ret;

	is_int(ctguard_pid_cgroup(h, 0, path, sizeof(path)), -EINVAL, "pid 0 rejected");
	is_int(ctguard_pid_cgroup(h, 0x3fffffff, path, sizeof(path)), -ESRCH, "missing pid: ESRCH");
	has_str(ctguard_strerror(h), "no such process", "says no such process");

	/* Compare with our own reading of /proc/self/cgroup. */
	f = fopen("/proc/self/cgroup", "r");
	while (f && (n = getline(&line, &cap, f)) > 0) {
		if (!strncmp(line, "0::", 3)) {
			line[n - 1] = '\0';
			snprintf(want, sizeof(want), "%s", line + 3);
		}
	}
	if (f)
		fclose(f);
	free(line);
	ret = ctguard_pid_cgroup(h, getpid(), path, sizeof(path));
	if (want[0]) {
		is_int(ret, 0, "own cgroup found");
		is_str(path, want, "own cgroup matches /proc/self/cgroup");
		is_int(ctguard_pid_cgroup(h, getpid(), path, 1), -ENAMETOOLONG, "short buffer");
	} else {
		is_int(ret, -EMEDIUMTYPE, "no 0:: line: not on cgroup v2");
	}
}

/* The id -> path walk, on a directory tree of our own. */
static void test_find(void)
{
	char dir[] = "/tmp/ctg-find-XXXXXX", p[256], buf[PATH_MAX];
	struct stat st;

	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp");
		return;
	}
	snprintf(p, sizeof(p), "%s/a", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/b", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/b/c", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/b/c/file", dir);
	close(open(p, O_CREAT | O_WRONLY, 0644));
	snprintf(p, sizeof(p), "%s/b/c", dir);
	stat(p, &st);
	is_int(ctg_cgroup_find(dir, st.st_ino, buf, sizeof(buf)), 0, "nested directory found");
	is_str(buf, "/b/c", "nested directory path");
	stat(dir, &st);
	is_int(ctg_cgroup_find(dir, st.st_ino, buf, sizeof(buf)), 0, "root found");
	is_str(buf, "/", "root path");
	snprintf(p, sizeof(p), "%s/b/c/file", dir);
	stat(p, &st);
	is_int(ctg_cgroup_find(dir, st.st_ino, buf, sizeof(buf)), -ENOENT, "files are not cgroups");
	is_int(ctg_cgroup_find(dir, 1ULL << 62, buf, sizeof(buf)), -ENOENT, "unknown id");
	snprintf(p, sizeof(p), "%s/b/c", dir);
	stat(p, &st);
	is_int(ctg_cgroup_find(dir, st.st_ino, buf, 4), -ENOENT, "path longer than the buffer is not found");
	unlink(strcat(p, "/file"));
	snprintf(p, sizeof(p), "%s/b/c", dir);
	rmdir(p);
	snprintf(p, sizeof(p), "%s/b", dir);
	rmdir(p);
	snprintf(p, sizeof(p), "%s/a", dir);
	rmdir(p);
	rmdir(dir);
}

int main(void)
{
	struct ctguard *h = ctguard_open();

	ok(h, "handle opens without the module");
	if (!h)
		return tap_done();
	test_normalize(h);
	test_not_cgroup2(h);
	test_real_root();
	test_pid(h);
	test_find();
	ctguard_close(h);
	return tap_done();
}
