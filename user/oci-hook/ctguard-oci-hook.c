// SPDX-License-Identifier: GPL-2.0
/*
 * ctguard-oci-hook: confine an OCI container by its cgroup when it starts.
 *
 *   ctguard-oci-hook [--default-profile NAME] create|poststop < state.json
 *
 * The runtime runs it as a createRuntime hook (after the container's cgroup
 * holds its init process, before the user's program starts) and as a
 * poststop hook. The policy is set with CTGUARD_F_ON_EXEC: it takes effect
 * when the runtime execs the container's program, so that the runtime's own
 * setup in the cgroup (mounting the root, pivot_root) still works. It reads the container state on stdin, the bundle's
 * config.json, and the io.ctguard.* annotations (docs/runtimes.md):
 *
 *   io.ctguard.profile    container | strict | audit
 *   io.ctguard.deny       classes to deny, added to the profile's
 *   io.ctguard.deny-cap   capabilities to deny, added to the profile's
 *   io.ctguard.allow-dev  the device allowlist, rules separated by ';'
 *                         ("c 1:3 rwm; c 1:5 rw"), instead of the profile's
 *   io.ctguard.mode       enforce | complain
 *
 * Any error (bad JSON, no pid, cgroup gone, a malformed annotation, module
 * not loaded) exits with status 1 and one line on stderr, so that the
 * runtime refuses to start the container instead of starting it unconfined.
 * A container without io.ctguard.* annotations is left alone, unless
 * --default-profile names a profile for it.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "ctguard.h"

#define ANNOTATION_PREFIX "io.ctguard."
/* Runtimes pass small documents; anything bigger is not a container state. */
#define MAX_JSON (4 << 20)

static const char *const known_annotations[] = {
	"io.ctguard.profile", "io.ctguard.deny", "io.ctguard.deny-cap",
	"io.ctguard.allow-dev", "io.ctguard.mode", NULL,
};

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("ctguard-oci-hook: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static char *read_all(FILE *f, const char *what, size_t *lenp)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap), *n;
	size_t got;

	if (!buf)
		return NULL;
	while ((got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += got;
		if (len + 1 < cap)
			continue;
		if (cap >= MAX_JSON) {
			fail("%s: larger than %d bytes", what, MAX_JSON);
			free(buf);
			return NULL;
		}
		n = realloc(buf, cap * 2);
		if (!n) {
			free(buf);
			return NULL;
		}
		buf = n;
		cap *= 2;
	}
	if (ferror(f)) {
		fail("%s: read error", what);
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

/* Parse a whole JSON document, naming @what in errors. */
static struct json_object *parse_json(const char *text, size_t len,
				      const char *what)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *obj;
	enum json_tokener_error jerr;

	if (!tok)
		return NULL;
	obj = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	if (!obj || jerr != json_tokener_success) {
		fail("%s: invalid JSON: %s", what,
		     jerr == json_tokener_continue ? "truncated document" :
		     json_tokener_error_desc(jerr));
		json_object_put(obj);
		obj = NULL;
	} else if (json_tokener_get_parse_end(tok) < len &&
		   strspn(text + json_tokener_get_parse_end(tok), " \t\r\n") !=
		   len - json_tokener_get_parse_end(tok)) {
		fail("%s: invalid JSON: data after the document", what);
		json_object_put(obj);
		obj = NULL;
	} else if (!json_object_is_type(obj, json_type_object)) {
		fail("%s: invalid JSON: not an object", what);
		json_object_put(obj);
		obj = NULL;
	}
	json_tokener_free(tok);
	return obj;
}

static struct json_object *load_config(const char *bundle)
{
	char path[PATH_MAX];
	struct json_object *obj;
	size_t len;
	char *text;
	FILE *f;

	if (snprintf(path, sizeof(path), "%s/config.json", bundle) >=
	    (int)sizeof(path)) {
		fail("bundle path too long");
		return NULL;
	}
	f = fopen(path, "re");
	if (!f) {
		fail("%s: %s", path, strerror(errno));
		return NULL;
	}
	text = read_all(f, path, &len);
	fclose(f);
	if (!text)
		return NULL;
	obj = parse_json(text, len, path);
	free(text);
	return obj;
}

static const char *get_string(struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (!obj || !json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* The annotations of the state, else those of config.json (may be NULL). */
static struct json_object *annotations_of(struct json_object *state,
					  struct json_object *config)
{
	struct json_object *a;

	if (json_object_object_get_ex(state, "annotations", &a) &&
	    json_object_is_type(a, json_type_object) &&
	    json_object_object_length(a) > 0)
		return a;
	if (config && json_object_object_get_ex(config, "annotations", &a) &&
	    json_object_is_type(a, json_type_object))
		return a;
	return NULL;
}

/* Closest known annotation, for "did you mean". */
static const char *closest_annotation(const char *key)
{
	size_t klen = strlen(key), best_common = 0;
	const char *best = NULL;
	int i;

	for (i = 0; known_annotations[i]; i++) {
		const char *k = known_annotations[i];
		size_t n = 0;

		while (n < klen && k[n] && k[n] == key[n])
			n++;
		if (n > best_common) {
			best_common = n;
			best = k;
		}
	}
	return best;
}

/*
 * Build the policy the annotations ask for. Returns 0 with *@wanted false
 * when there is nothing to apply, 1 on an error (already reported).
 */
static int policy_from_annotations(struct json_object *ann,
				   const char *default_profile,
				   struct ctguard_policy *p, bool *wanted)
{
	char err[CTGUARD_ERRBUF_LEN];
	const char *profile = default_profile;
	const char *deny = NULL, *deny_cap = NULL, *allow_dev = NULL;
	const char *mode = NULL;
	int found = 0, i;

	*wanted = false;
	if (ann) {
		json_object_object_foreach(ann, key, val) {
			bool known = false;

			if (strncmp(key, ANNOTATION_PREFIX,
				    strlen(ANNOTATION_PREFIX)))
				continue;
			for (i = 0; known_annotations[i]; i++)
				known |= !strcmp(key, known_annotations[i]);
			if (!known)
				return fail("unknown annotation %s (did you mean %s?)",
					    key, closest_annotation(key));
			if (!json_object_is_type(val, json_type_string))
				return fail("annotation %s: not a string", key);
			found++;
			if (!strcmp(key, "io.ctguard.profile"))
				profile = json_object_get_string(val);
			else if (!strcmp(key, "io.ctguard.deny"))
				deny = json_object_get_string(val);
			else if (!strcmp(key, "io.ctguard.deny-cap"))
				deny_cap = json_object_get_string(val);
			else if (!strcmp(key, "io.ctguard.allow-dev"))
				allow_dev = json_object_get_string(val);
			else
				mode = json_object_get_string(val);
		}
	}
	if (!found && !default_profile)
		return 0;

	ctguard_policy_init(p);
	p->fields = CTGUARD_POLICY_ALL;
	if (profile && ctguard_profile(profile, p, err, sizeof(err)))
		return fail("annotation io.ctguard.profile: %s", err);
	if (deny) {
		uint32_t mask;

		if (ctguard_parse_classes(deny, &mask, err, sizeof(err)))
			return fail("annotation io.ctguard.deny: %s", err);
		p->deny |= mask;
	}
	if (deny_cap) {
		uint64_t mask;

		if (ctguard_parse_caps(deny_cap, &mask, err, sizeof(err)))
			return fail("annotation io.ctguard.deny-cap: %s", err);
		p->deny_caps |= mask;
	}
	if (allow_dev) {
		char *copy = strdup(allow_dev), *save = NULL, *rule;
		struct ctguard_dev_rule r;
		int n = 0;

		if (!copy)
			return fail("out of memory");
		/* The annotation is the allowlist: it replaces the profile's. */
		ctguard_policy_release(p);
		for (rule = strtok_r(copy, ";", &save); rule;
		     rule = strtok_r(NULL, ";", &save)) {
			rule += strspn(rule, " \t");
			if (!*rule)
				continue;
			if (ctguard_parse_dev_rule(rule, &r, err, sizeof(err))) {
				free(copy);
				return fail("annotation io.ctguard.allow-dev: rule %d: %s",
					    n + 1, err);
			}
			if (ctguard_policy_add_dev(p, &r)) {
				free(copy);
				return fail("out of memory");
			}
			n++;
		}
		free(copy);
		if (!n)
			return fail("annotation io.ctguard.allow-dev: no rule");
		/* An allowlist means: every other device is denied. */
		p->deny |= CTGUARD_CLASS_DEVICES;
	}
	if (mode && ctguard_parse_mode(mode, &p->mode, err, sizeof(err)))
		return fail("annotation io.ctguard.mode: %s", err);
	if (!p->deny && !p->deny_caps)
		return fail("the io.ctguard.* annotations deny nothing: give io.ctguard.profile, io.ctguard.deny or io.ctguard.deny-cap");
	*wanted = true;
	return 0;
}

/*
 * The cgroup of a stopped container, from config.json's linux.cgroupsPath:
 * a path ("/x/y", cgroupfs driver) or "slice:prefix:name" (systemd driver,
 * the unit "prefix-name.scope" below the slice).
 */
static int cgroup_of_config(struct json_object *config, char *buf,
			    size_t len)
{
	struct json_object *linux_obj;
	const char *cgpath, *c1, *c2;

	if (!config || !json_object_object_get_ex(config, "linux", &linux_obj))
		return -ENOENT;
	cgpath = get_string(linux_obj, "cgroupsPath");
	if (!cgpath || !*cgpath)
		return -ENOENT;
	c1 = strchr(cgpath, ':');
	c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (cgpath[0] == '/' || !c2) {
		if (snprintf(buf, len, "%s%s", cgpath[0] == '/' ? "" : "/",
			     cgpath) >= (int)len)
			return -ENAMETOOLONG;
		return 0;
	}
	/* systemd: "system.slice:crun:ID" -> /system.slice/crun-ID.scope */
	if (snprintf(buf, len, "/%.*s/%.*s-%s.scope", (int)(c1 - cgpath),
		     cgpath, (int)(c2 - c1 - 1), c1 + 1, c2 + 1) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

static int hook_create(struct ctguard *h, struct json_object *state,
		       const struct ctguard_policy *p)
{
	char cgpath[PATH_MAX];
	struct json_object *v;
	uint64_t id;
	int64_t pid;
	int ret;

	if (!json_object_object_get_ex(state, "pid", &v) ||
	    !json_object_is_type(v, json_type_int))
		return fail("container state: no \"pid\"");
	pid = json_object_get_int64(v);
	if (pid <= 0 || pid > INT_MAX)
		return fail("container state: invalid pid %lld", (long long)pid);
	ret = ctguard_pid_cgroup(h, (pid_t)pid, cgpath, sizeof(cgpath));
	if (ret)
		return fail("container process: cannot find its cgroup v2 cgroup: %s (%s)",
			    ctguard_strerror(h), strerror(-ret));
	if (!strcmp(cgpath, "/"))
		return fail("pid %lld is in the root cgroup: refusing to confine the whole host",
			    (long long)pid);
	ret = ctguard_cgroup_id(h, cgpath, &id);
	if (ret)
		return fail("container cgroup: %s", ctguard_strerror(h));
	/*
	 * The runtime still mounts the container's root and pivots into it
	 * from this cgroup: the policy takes effect at its execve of the
	 * container's program, before that program's first instruction.
	 */
	ret = ctguard_policy_set(h, id, p,
				 CTGUARD_F_REPLACE | CTGUARD_F_ON_EXEC);
	if (ret)
		return fail("cannot confine cgroup %s: %s", cgpath,
			    ctguard_kernel_msg(h) ? ctguard_kernel_msg(h) :
			    ctguard_strerror(h));
	return 0;
}

static int hook_poststop(struct ctguard *h, struct json_object *config)
{
	char cgpath[PATH_MAX];
	uint64_t id;
	int ret;

	/* The cgroup is usually gone already; the module reclaims its policy. */
	if (cgroup_of_config(config, cgpath, sizeof(cgpath)))
		return 0;
	if (ctguard_cgroup_id(h, cgpath, &id))
		return 0;
	ret = ctguard_policy_del(h, id);
	if (ret && ret != -ENOENT)
		return fail("cgroup %s: cannot remove its policy: %s", cgpath,
			    ctguard_strerror(h));
	return 0;
}

static void usage(FILE *f)
{
	fputs("usage: ctguard-oci-hook [--default-profile NAME] create|poststop < state.json\n"
	      "OCI hook: createRuntime (create) applies the io.ctguard.* annotations'\n"
	      "policy to the container's cgroup; poststop removes it. See ctguard-oci-hook(8).\n",
	      f);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "default-profile", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ }
	};
	struct json_object *state = NULL, *config = NULL, *ann;
	const char *default_profile = NULL, *stage, *bundle;
	struct ctguard_policy policy;
	struct ctguard *h = NULL;
	bool create, wanted;
	size_t len;
	char *text;
	int c, ret = 1;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			default_profile = optarg;
			if (!ctguard_profile_description(optarg))
				return fail("--default-profile: unknown profile '%s'",
					    optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("ctguard-oci-hook %s\n", ctguard_version());
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	stage = argv[optind];
	if (!strcmp(stage, "create") || !strcmp(stage, "createRuntime"))
		create = true;
	else if (!strcmp(stage, "poststop"))
		create = false;
	else
		return fail("unknown stage '%s' (create or poststop)", stage);

	ctguard_policy_init(&policy);
	text = read_all(stdin, "container state (stdin)", &len);
	if (!text)
		return 1;
	if (!len) {
		free(text);
		return fail("container state (stdin): empty; run me as an OCI hook");
	}
	state = parse_json(text, len, "container state (stdin)");
	free(text);
	if (!state)
		return 1;
	bundle = get_string(state, "bundle");
	if (!bundle || !*bundle) {
		fail("container state: no \"bundle\"");
		goto out;
	}
	config = load_config(bundle);
	if (!config && create)
		goto out;

	h = ctguard_open();
	if (!h) {
		fail("cannot open a netlink socket: %s", strerror(errno));
		goto out;
	}
	if (!create) {
		ret = hook_poststop(h, config);
		goto out;
	}
	ann = annotations_of(state, config);
	if (policy_from_annotations(ann, default_profile, &policy, &wanted))
		goto out;
	ret = wanted ? hook_create(h, state, &policy) : 0;
out:
	ctguard_policy_release(&policy);
	if (h)
		ctguard_close(h);
	json_object_put(config);
	json_object_put(state);
	return ret;
}
