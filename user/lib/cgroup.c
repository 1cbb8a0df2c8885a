// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Targets: cgroup paths, ids and processes. A cgroup v2 cgroup's id is the
 * inode number of its directory in cgroup2fs (kernfs gives each node its id
 * as inode number on 64-bit kernels), so stat(2) is all it takes.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <linux/magic.h>

#include "internal.h"

int ctguard_set_cgroup_root(struct ctguard *h, const char *root)
{
	size_t n;

	ctg_clear_err(h);
	if (!root || root[0] != '/')
		return ctg_err(h, -EINVAL,
			       "cgroup root '%s' is not an absolute path",
			       root ? root : "");
	n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		n--;
	if (n >= sizeof(h->cgroot))
		return ctg_err(h, -ENAMETOOLONG, "cgroup root too long");
	memcpy(h->cgroot, root, n);
	h->cgroot[n] = '\0';
	h->cgroot_chosen = true;
	return 0;
}

static bool ctg_is_cgroup2(const char *dir)
{
	struct statfs sfs;

	return !statfs(dir, &sfs) && sfs.f_type == CGROUP2_SUPER_MAGIC;
}

/*
 * Unless told otherwise, use /sys/fs/cgroup, or the v2 hierarchy a hybrid
 * host mounts below it. Probed once per handle.
 */
static void ctg_pick_root(struct ctguard *h)
{
	if (h->cgroot_chosen)
		return;
	h->cgroot_chosen = true;
	if (!ctg_is_cgroup2(CTG_CGROUP_ROOT) && ctg_is_cgroup2(CTG_CGROUP_HYBRID))
		strcpy(h->cgroot, CTG_CGROUP_HYBRID);
}

/*
 * Canonicalise lexically: strip the cgroup root when the path starts with
 * it, squeeze slashes, drop "." and resolve ".." without leaving the root.
 * Nothing is looked up, so the result names the cgroup the kernel would
 * report, not what a symlink might point at (cgroupfs has none).
 */
int ctguard_cgroup_normalize(struct ctguard *h, const char *path, char *buf,
			     size_t len)
{
	size_t rlen, out = 0;
	const char *p = path;

	ctg_clear_err(h);
	ctg_pick_root(h);
	rlen = strlen(h->cgroot);
	if (!path || !*path)
		return ctg_err(h, -EINVAL, "empty cgroup path");
	if (len < 2)
		return ctg_err(h, -ENAMETOOLONG, "buffer too short");
	if (rlen > 1 && !strncmp(p, h->cgroot, rlen) &&
	    (p[rlen] == '/' || p[rlen] == '\0'))
		p += rlen;

	buf[out++] = '/';
	while (*p) {
		const char *seg;
		size_t n;

		while (*p == '/')
			p++;
		seg = p;
		while (*p && *p != '/')
			p++;
		n = (size_t)(p - seg);
		if (!n || (n == 1 && seg[0] == '.'))
			continue;
		if (n == 2 && seg[0] == '.' && seg[1] == '.') {
			if (out == 1)
				return ctg_err(h, -EINVAL,
					       "cgroup path '%s' leaves the cgroup root",
					       path);
			/* Back to the slash before the last component. */
			while (out > 1 && buf[out - 1] != '/')
				out--;
			if (out > 1)
				out--;
			continue;
		}
		if (out > 1)
			buf[out++] = '/';
		if (out + n + 1 > len)
			return ctg_err(h, -ENAMETOOLONG,
				       "cgroup path '%s' is too long", path);
		memcpy(buf + out, seg, n);
		out += n;
	}
	buf[out] = '\0';
	return 0;
}

/* Fails unless @dir lies on a cgroup v2 file system. */
static int ctg_check_cgroup2(struct ctguard *h, const char *dir,
			     const char *shown)
{
	struct statfs sfs;

	if (statfs(h->cgroot, &sfs))
		return ctg_err(h, -errno,
			       "cannot access the cgroup root %s: %s",
			       h->cgroot, strerror(errno));
	if (sfs.f_type != CGROUP2_SUPER_MAGIC)
		return ctg_err(h, -EMEDIUMTYPE,
			       "%s is not a cgroup v2 mount (ctguard needs the unified hierarchy: boot with systemd.unified_cgroup_hierarchy=1)",
			       h->cgroot);
	if (statfs(dir, &sfs)) {
		if (errno == ENOENT)
			return ctg_err(h, -ENOENT,
				       "no cgroup %s (%s does not exist)",
				       shown, dir);
		return ctg_err(h, -errno, "cgroup %s: %s", shown,
			       strerror(errno));
	}
	if (sfs.f_type != CGROUP2_SUPER_MAGIC)
		return ctg_err(h, -EMEDIUMTYPE,
			       "cgroup %s: %s is not on cgroup v2", shown, dir);
	return 0;
}

int ctguard_cgroup_id(struct ctguard *h, const char *path, uint64_t *id)
{
	char rel[PATH_MAX], full[PATH_MAX + sizeof(h->cgroot)];
	struct stat st;
	int ret;

	ret = ctguard_cgroup_normalize(h, path, rel, sizeof(rel));
	if (ret)
		return ret;
	snprintf(full, sizeof(full), "%s%s", h->cgroot,
		 strcmp(rel, "/") ? rel : "");
	ret = ctg_check_cgroup2(h, full, rel);
	if (ret)
		return ret;
	if (stat(full, &st)) {
		if (errno == ENOENT)
			return ctg_err(h, -ENOENT,
				       "no cgroup %s (%s does not exist)", rel,
				       full);
		return ctg_err(h, -errno, "cgroup %s: %s", rel,
			       strerror(errno));
	}
	if (!S_ISDIR(st.st_mode))
		return ctg_err(h, -ENOTDIR,
			       "cgroup %s: %s is a file, not a cgroup", rel,
			       full);
	*id = st.st_ino;
	return 0;
}

int ctguard_pid_cgroup(struct ctguard *h, pid_t pid, char *buf, size_t len)
{
	char file[64], *line = NULL;
	size_t cap = 0;
	bool found = false;
	ssize_t n;
	FILE *f;
	int ret = 0;

	ctg_clear_err(h);
	if (pid <= 0)
		return ctg_err(h, -EINVAL, "invalid pid %d", (int)pid);
	snprintf(file, sizeof(file), "/proc/%d/cgroup", (int)pid);
	f = fopen(file, "re");
	if (!f)
		return ctg_err(h, errno == ENOENT ? -ESRCH : -errno,
			       "pid %d: %s", (int)pid,
			       errno == ENOENT ? "no such process" :
			       strerror(errno));
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		/* The unified hierarchy is the line with id 0 and no controller. */
		if (strncmp(line, "0::", 3))
			continue;
		found = true;
		if (n > 10 && !strcmp(line + n - 10, " (deleted)")) {
			ret = ctg_err(h, -ENOENT,
				      "pid %d: its cgroup %.*s was removed",
				      (int)pid, (int)(n - 13), line + 3);
			break;
		}
		if ((size_t)(n - 3) >= len) {
			ret = ctg_err(h, -ENAMETOOLONG,
				      "pid %d: cgroup path too long", (int)pid);
			break;
		}
		memcpy(buf, line + 3, (size_t)(n - 3) + 1);
		break;
	}
	if (ferror(f) && !ret)
		ret = ctg_err(h, -EIO, "pid %d: cannot read %s", (int)pid,
			      file);
	fclose(f);
	free(line);
	if (!ret && !found)
		ret = ctg_err(h, -EMEDIUMTYPE,
			      "pid %d is not in a cgroup v2 cgroup (no '0::' line in %s)",
			      (int)pid, file);
	return ret;
}

/* Depth-first search for the directory with inode @id below @fd. */
static int ctg_walk(int fd, uint64_t id, char *path, size_t pos, size_t len)
{
	DIR *d = fdopendir(fd);
	struct dirent *de;
	int ret = -ENOENT;

	if (!d) {
		close(fd);
		return -errno;
	}
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		struct stat st;
		int sub;

		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
			continue;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (pos + 1 + n + 1 > len)
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) ||
		    !S_ISDIR(st.st_mode))
			continue;
		path[pos] = '/';
		memcpy(path + pos + 1, de->d_name, n + 1);
		if (st.st_ino == id) {
			ret = 0;
			break;
		}
		sub = openat(dirfd(d), de->d_name,
			     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0)
			continue;
		if (!ctg_walk(sub, id, path, pos + 1 + n, len)) {
			ret = 0;
			break;
		}
	}
	if (ret)
		path[pos] = '\0';
	closedir(d);
	return ret;
}

int ctg_cgroup_find(const char *root, uint64_t id, char *buf, size_t len)
{
	struct stat st;
	int fd;

	if (len < 2)
		return -ENAMETOOLONG;
	if (stat(root, &st))
		return -errno;
	if (st.st_ino == id) {
		strcpy(buf, "/");
		return 0;
	}
	fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	buf[0] = '\0';
	return ctg_walk(fd, id, buf, 0, len);
}

int ctguard_cgroup_path(struct ctguard *h, uint64_t id, char *buf, size_t len)
{
	int ret;

	ctg_clear_err(h);
	ctg_pick_root(h);
	ret = ctg_check_cgroup2(h, h->cgroot, "/");
	if (ret)
		return ret;
	ret = ctg_cgroup_find(h->cgroot, id, buf, len);
	if (ret == -ENOENT)
		return ctg_err(h, ret, "no cgroup with id %llu",
			       (unsigned long long)id);
	if (ret)
		return ctg_err(h, ret, "searching %s: %s", h->cgroot,
			       strerror(-ret));
	return 0;
}
