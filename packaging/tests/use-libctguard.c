// SPDX-License-Identifier: GPL-2.0
/*
 * A program built against the installed libctguard-dev (pkg-config ctguard)
 * and linked with the shared libctguard.so.0 from libctguard0: what a
 * third-party user of the library does. selftests/vm/pkg-check builds it.
 *
 *   use-libctguard version   print the library's version
 *   use-libctguard status    print the module's version, asked over netlink
 *
 * Exits 0 on success, 1 with a message on stderr otherwise.
 */
#include <stdio.h>
#include <string.h>

#include <ctguard.h>

int main(int argc, char **argv)
{
	struct ctguard_status st;
	struct ctguard *h;
	int ret;

	if (argc == 2 && !strcmp(argv[1], "version")) {
		printf("%s\n", ctguard_version());
		return 0;
	}
	if (argc != 2 || strcmp(argv[1], "status")) {
		fprintf(stderr, "usage: use-libctguard version|status\n");
		return 2;
	}
	h = ctguard_open();
	if (!h) {
		perror("ctguard_open");
		return 1;
	}
	memset(&st, 0, sizeof(st));
	ret = ctguard_status_get(h, &st);
	if (ret < 0) {
		fprintf(stderr, "ctguard_status_get: %s\n", ctguard_strerror(h));
		ctguard_close(h);
		return 1;
	}
	printf("%s\n", st.version);
	ctguard_status_release(&st);
	ctguard_close(h);
	return 0;
}
