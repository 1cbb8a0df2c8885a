// SPDX-License-Identifier: GPL-2.0
/* ctguard unset: remove the policy of a cgroup. */
#include <errno.h>

#include "cli.h"

int unset_main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct ctguard *h = NULL;
	char desc[PATH_MAX + 64];
	int ret;

	ret = parse_opts(argc, argv, OPTS_TARGET | OPTS_TARGET_REQUIRED, &o);
	if (!ret)
		ret = cli_open(&h);
	if (!ret)
		ret = target_resolve(h, &o.target);
	if (!ret) {
		ret = ctguard_policy_del(h, o.target.id);
		if (ret)
			ret = cli_lib_err(h, ret,
					  target_desc(&o.target, desc,
						      sizeof(desc)));
	}
	ctguard_close(h);
	return ret;
}
