// SPDX-License-Identifier: GPL-2.0
/*
 * Built by "make check-install" against the installed header, pkg-config
 * file and shared library only: proves they are usable on their own.
 */
#include <stdio.h>
#include <string.h>

#include <ctguard.h>

int main(void)
{
	char err[CTGUARD_ERRBUF_LEN], caps[2048];
	struct ctguard_policy p;
	struct ctguard *h;

	ctguard_policy_init(&p);
	if (ctguard_profile("container", &p, err, sizeof(err)) ||
	    p.nr_devices != 9 || p.deny != __CTGUARD_CLASS_ALL) {
		fprintf(stderr, "profile: %s\n", err);
		return 1;
	}
	ctguard_format_caps(p.deny_caps, caps, sizeof(caps));
	ctguard_policy_release(&p);
	h = ctguard_open();
	if (!h)
		return 1;
	ctguard_close(h);
	printf("libctguard %s: container denies %s\n", ctguard_version(), caps);
	return strstr(caps, "sys_admin") ? 0 : 1;
}
