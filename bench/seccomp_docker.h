/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CTGB_SECCOMP_DOCKER_H
#define CTGB_SECCOMP_DOCKER_H

#include <stdbool.h>
#include <stdio.h>

struct ctgb_seccomp_info {
	unsigned int allowed;		/* syscalls allowed without condition */
	unsigned int conditional;	/* rules with an argument condition */
	unsigned int unknown;		/* names libseccomp does not know */
	unsigned int bpf_insns;		/* length of the x86-64 program */
};

/*
 * Build a seccomp filter shaped like Docker's default profile for a
 * container with Docker's default capabilities (see seccomp_docker.c), and
 * load it on the calling thread when @load, else only describe it. When
 * @pfc is not NULL, the filter's pseudo-code is written there. Returns 0 or
 * a negative errno.
 */
int ctgb_seccomp_docker(bool load, struct ctgb_seccomp_info *info, FILE *pfc);

#endif
