/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A few TAP helpers for the unit tests: every check prints "ok N" or
 * "not ok N" with what was expected, and the exit status is 1 when any
 * check failed.
 */
#ifndef CTG_TAP_H
#define CTG_TAP_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static inline void tap_result(int pass, const char *file, int line,
			      const char *what)
{
	tap_n++;
	printf("%sok %d - %s\n", pass ? "" : "not ", tap_n, what);
	if (!pass) {
		printf("#   at %s:%d\n", file, line);
		tap_failed++;
	}
}

#define ok(cond, what) tap_result(!!(cond), __FILE__, __LINE__, what)

#define is_int(got, want, what) do {					\
	long long g_ = (long long)(got), w_ = (long long)(want);	\
	tap_result(g_ == w_, __FILE__, __LINE__, what);			\
	if (g_ != w_)							\
		printf("#   got %lld, want %lld\n", g_, w_);		\
} while (0)

#define is_u64(got, want, what) do {					\
	uint64_t g_ = (uint64_t)(got), w_ = (uint64_t)(want);		\
	tap_result(g_ == w_, __FILE__, __LINE__, what);			\
	if (g_ != w_)							\
		printf("#   got %#" PRIx64 ", want %#" PRIx64 "\n", g_, w_); \
} while (0)

#define is_str(got, want, what) do {					\
	const char *g_ = (got), *w_ = (want);				\
	int p_ = g_ && w_ ? !strcmp(g_, w_) : g_ == w_;			\
	tap_result(p_, __FILE__, __LINE__, what);			\
	if (!p_)							\
		printf("#   got '%s', want '%s'\n", g_ ? g_ : "(null)",	\
		       w_ ? w_ : "(null)");				\
} while (0)

#define has_str(hay, needle, what) do {					\
	const char *h_ = (hay), *n_ = (needle);				\
	int p_ = h_ && strstr(h_, n_);					\
	tap_result(p_, __FILE__, __LINE__, what);			\
	if (!p_)							\
		printf("#   '%s' does not contain '%s'\n",			\
		       h_ ? h_ : "(null)", n_);				\
} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	if (tap_failed)
		printf("# %d of %d checks failed\n", tap_failed, tap_n);
	return tap_failed ? 1 : 0;
}

#endif /* CTG_TAP_H */
