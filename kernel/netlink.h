/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CTGUARD_NETLINK_H
#define _CTGUARD_NETLINK_H

#include <linux/types.h>

struct ctg_event;

int ctg_netlink_init(void);
void ctg_netlink_exit(void);
bool ctg_netlink_has_listeners(void);
int ctg_netlink_send_event(const struct ctg_event *ev);

#endif /* _CTGUARD_NETLINK_H */
