#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Write an OCI bundle for the runtime tests and the demo.

    container.py BUNDLE --probe FILE --cgroup PATH [--hook FILE]
                 [--annotation KEY=VALUE]... [--default-profile NAME] -- ARGS...

The bundle holds a busybox root filesystem (from the host's static busybox)
with the probe program at /probe, and a config.json that runs ARGS with the
capabilities and devices the escape attempts need, so that they succeed in
an unconfined container and only ctguard can refuse them. With --hook, the
config runs ctguard-oci-hook as its createRuntime and poststop hooks.
"""
import argparse
import json
import os
import shutil
import sys

CAPS = ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID",
        "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
        "CAP_NET_BIND_SERVICE", "CAP_NET_RAW", "CAP_SYS_CHROOT", "CAP_MKNOD",
        "CAP_AUDIT_WRITE", "CAP_SETFCAP", "CAP_SYS_ADMIN", "CAP_SYSLOG"]


def dev_rule(typ, major, minor, access="rwm"):
    r = {"allow": True, "type": typ, "access": access}
    if major is not None:
        r["major"] = major
    if minor is not None:
        r["minor"] = minor
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bundle")
    ap.add_argument("--probe", required=True)
    ap.add_argument("--cgroup", required=True)
    ap.add_argument("--hook")
    ap.add_argument("--hook-arg", action="append", default=[])
    ap.add_argument("--annotation", action="append", default=[])
    ap.add_argument("args", nargs="+")
    a = ap.parse_args()

    rootfs = os.path.join(a.bundle, "rootfs")
    for d in ("bin", "proc", "sys", "dev", "tmp"):
        os.makedirs(os.path.join(rootfs, d), exist_ok=True)
    busybox = shutil.which("busybox") or "/bin/busybox"
    shutil.copy(busybox, os.path.join(rootfs, "bin", "busybox"))
    for tool in ("sh", "echo", "cat", "ls"):
        link = os.path.join(rootfs, "bin", tool)
        if not os.path.lexists(link):
            os.symlink("busybox", link)
    shutil.copy(a.probe, os.path.join(rootfs, "probe"))
    os.chmod(os.path.join(rootfs, "probe"), 0o755)

    annotations = {}
    for kv in a.annotation:
        k, _, v = kv.partition("=")
        annotations[k] = v

    config = {
        "ociVersion": "1.0.2",
        "process": {
            "terminal": False,
            "user": {"uid": 0, "gid": 0},
            "args": a.args,
            "env": ["PATH=/bin", "TERM=dumb"],
            "cwd": "/",
            "capabilities": {k: CAPS for k in
                             ("bounding", "effective", "permitted")},
            "noNewPrivileges": True,
        },
        "root": {"path": "rootfs", "readonly": False},
        "hostname": "ctguard-test",
        "mounts": [
            {"destination": "/proc", "type": "proc", "source": "proc"},
            {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
             "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
            {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
             "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666",
                         "mode=0620"]},
            {"destination": "/sys", "type": "sysfs", "source": "sysfs",
             "options": ["nosuid", "noexec", "nodev", "ro"]},
            {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs",
             "options": ["nosuid", "nodev", "mode=1777"]},
        ],
        "annotations": annotations,
        "linux": {
            "cgroupsPath": a.cgroup,
            "namespaces": [{"type": t} for t in
                           ("pid", "network", "ipc", "uts", "mount")],
            "resources": {"devices": [
                {"allow": False, "access": "rwm"},
                dev_rule("c", None, None, "m"),
                dev_rule("b", None, None, "m"),
                dev_rule("c", 1, 3), dev_rule("c", 1, 5), dev_rule("c", 1, 7),
                dev_rule("c", 1, 8), dev_rule("c", 1, 9), dev_rule("c", 5, 0),
                dev_rule("c", 5, 2), dev_rule("c", 136, None),
            ]},
            "maskedPaths": [],
            "readonlyPaths": [],
        },
    }
    if a.hook:
        hook = lambda stage: [{"path": a.hook,
                               "args": ["ctguard-oci-hook"] + a.hook_arg + [stage],
                               "timeout": 30}]
        config["hooks"] = {"createRuntime": hook("create"),
                           "poststop": hook("poststop")}
    with open(os.path.join(a.bundle, "config.json"), "w") as f:
        json.dump(config, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
