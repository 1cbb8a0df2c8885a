#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# gen-caps.sh [capability.h] > caps.gen.h
#
# Generate the capability name table from the kernel headers, so that a
# capability added by a newer kernel needs a rebuild, never an edit.
set -eu

hdr=${1:-/usr/include/linux/capability.h}
[ -r "$hdr" ] || { echo "gen-caps.sh: cannot read $hdr" >&2; exit 1; }

awk -v hdr="$hdr" '
/^#define[ \t]+CAP_[A-Z0-9_]+[ \t]+[0-9]+[ \t]*(\/\*.*)?$/ {
	name = $2; num = $3 + 0
	if (name in seen) { print "gen-caps.sh: " name " defined twice" > "/dev/stderr"; exit 1 }
	seen[name] = 1
	if (num in byno) { print "gen-caps.sh: two names for capability " num > "/dev/stderr"; exit 1 }
	byno[num] = tolower(substr(name, 5))
	val[name] = num
	if (num > max) max = num
	n++
	next
}
/^#define[ \t]+CAP_LAST_CAP[ \t]+CAP_[A-Z0-9_]+/ { last = $3 }
END {
	if (n == 0 || last == "" || !(last in val)) {
		print "gen-caps.sh: no capabilities or no CAP_LAST_CAP in " hdr > "/dev/stderr"
		exit 1
	}
	if (val[last] != max || n != max + 1) {
		print "gen-caps.sh: capabilities of " hdr " are not 0.." val[last] > "/dev/stderr"
		exit 1
	}
	print "/* Generated from " hdr " by gen-caps.sh: do not edit. */"
	print "#define CTG_CAP_LAST " val[last]
	print "static const char *const ctg_cap_names[CTG_CAP_LAST + 1] = {"
	for (i = 0; i <= max; i++)
		printf "\t[%d] = \"%s\",\n", i, byno[i]
	print "};"
}' "$hdr"
