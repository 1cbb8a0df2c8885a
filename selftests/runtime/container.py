#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Write an OCI bundle for the runtime tests and the demo.

    container.py BUNDLE --spec FILE --probe FILE --cgroup PATH [--hook FILE]
                 [--no-hook] [--hook-arg ARG]... [--annotation KEY=VALUE]... -- ARGS...

The bundle holds a busybox root filesystem (from the host's static busybox)
with the probe program at /probe, and a config.json made from FILE, the
output of the runtime's own `crun spec` or `runc spec`, edited to run ARGS
with the capabilities and devices the escape attempts need (so that they
succeed in an unconfined container and only ctguard can refuse them), in
the cgroup PATH (cgroupfs driver), with the annotations given. With --hook,
the config runs ctguard-oci-hook as its createRuntime and poststop hooks.
"""
import argparse
import json
import os
import shutil
import sys

# Docker's default capabilities, plus those the escape attempts need:
# CAP_SYS_ADMIN (mount), CAP_SYSLOG (dmesg); CAP_NET_RAW, CAP_MKNOD and
# CAP_SYS_CHROOT are Docker defaults already.
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


def make_rootfs(rootfs, probe):
    for d in ("bin", "proc", "sys", "dev", "tmp"):
        os.makedirs(os.path.join(rootfs, d), exist_ok=True)
    busybox = shutil.which("busybox") or "/bin/busybox"
    shutil.copy(busybox, os.path.join(rootfs, "bin", "busybox"))
    for tool in ("sh", "echo", "cat", "ls"):
        link = os.path.join(rootfs, "bin", tool)
        if not os.path.lexists(link):
            os.symlink("busybox", link)
    shutil.copy(probe, os.path.join(rootfs, "probe"))
    os.chmod(os.path.join(rootfs, "probe"), 0o755)


def edit_spec(config, a):
    """Edit the runtime's default spec in place."""
    proc = config["process"]
    proc["terminal"] = False
    proc["args"] = a.args
    proc["env"] = ["PATH=/bin", "TERM=dumb"]
    caps = proc.setdefault("capabilities", {})
    for k in ("bounding", "effective", "permitted"):
        caps[k] = list(CAPS)
    # Ambient capabilities would need them inheritable too; none needed.
    caps.pop("ambient", None)
    proc["noNewPrivileges"] = True
    config["root"] = {"path": "rootfs", "readonly": False}
    config["hostname"] = "ctguard-test"
    config.setdefault("mounts", []).append(
        {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs",
         "options": ["nosuid", "nodev", "mode=1777"]})
    annotations = config.setdefault("annotations", {})
    for kv in a.annotation:
        k, sep, v = kv.partition("=")
        if not sep:
            raise SystemExit("container.py: --annotation %r: no '='" % kv)
        annotations[k] = v
    linux = config.setdefault("linux", {})
    linux["cgroupsPath"] = a.cgroup
    devices = linux.setdefault("resources", {}).setdefault("devices", [])
    # The spec denies every device first; allow what the probe opens
    # (/dev/null, /dev/zero), what the runtime creates, and mknod of any.
    devices += [
        dev_rule("c", None, None, "m"), dev_rule("b", None, None, "m"),
        dev_rule("c", 1, 3), dev_rule("c", 1, 5), dev_rule("c", 1, 7),
        dev_rule("c", 1, 8), dev_rule("c", 1, 9), dev_rule("c", 5, 0),
        dev_rule("c", 5, 2), dev_rule("c", 136, None),
    ]
    if a.hook and not a.no_hook:
        def hook(stage):
            return [{"path": a.hook,
                     "args": ["ctguard-oci-hook"] + a.hook_arg + [stage],
                     "timeout": 30}]
        hooks = config.setdefault("hooks", {})
        hooks["createRuntime"] = hook("create")
        hooks["poststop"] = hook("poststop")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bundle")
    ap.add_argument("--spec", required=True,
                    help="config.json written by `crun spec` or `runc spec`")
    ap.add_argument("--probe", required=True)
    ap.add_argument("--cgroup", required=True)
    ap.add_argument("--hook")
    ap.add_argument("--no-hook", action="store_true",
                    help="no hook even if --hook is given (path rules)")
    ap.add_argument("--hook-arg", action="append", default=[])
    ap.add_argument("--annotation", action="append", default=[])
    ap.add_argument("args", nargs="+")
    a = ap.parse_args()

    with open(a.spec) as f:
        config = json.load(f)
    make_rootfs(os.path.join(a.bundle, "rootfs"), a.probe)
    edit_spec(config, a)
    with open(os.path.join(a.bundle, "config.json"), "w") as f:
        json.dump(config, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
