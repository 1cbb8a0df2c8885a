# SPDX-License-Identifier: GPL-2.0
#
# make                    module for the running kernel (or KVER/KDIR) + user space
# make module KVER=R      module only, into build/R/ctguard.ko
# make modules            module for every test kernel (6.1 and 6.12 series)
# make user               libctguard, ctguard, selftest binaries
# make deps               Debian packages the build and the tests need
# make kernels            fetch and unpack the test kernels into $(CACHE)
# make check              everything, then all selftests in a VM on each kernel
# make check-long         long fuzzer and stress runs (docs/testing.md, Hardening)
# make check-debug        everything on a KASAN/lockdep/kmemleak kernel
# make sparse / make w1   static checks of the module on every test kernel

VERSION := $(shell cat VERSION)
CACHE ?= $(HOME)/.cache/ctguard
export CACHE

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
BUILD := build/$(KVER)
KSRC := Kbuild VERSION $(wildcard kernel/*.c kernel/*.h) include/uapi/linux/ctguard.h

ifeq ($(V),1)
Q :=
else
Q := @
MAKEFLAGS += --no-print-directory
endif

.PHONY: all module test-modules modules user deps kernels check check-host sparse w1 clean

all: module user

# Each kernel gets its own tree of symlinks so that objects never collide.
$(BUILD)/ctguard.ko: $(KSRC)
	$(Q)mkdir -p $(BUILD)/kernel $(BUILD)/include/uapi/linux
	$(Q)ln -sf $(CURDIR)/Kbuild $(CURDIR)/VERSION $(BUILD)/
	$(Q)for f in kernel/*.[ch]; do ln -sf $(CURDIR)/$$f $(BUILD)/$$f; done
	$(Q)ln -sf $(CURDIR)/include/uapi/linux/ctguard.h $(BUILD)/include/uapi/linux/
	$(Q)$(MAKE) -C $(KDIR) M=$(CURDIR)/$(BUILD) $(KFLAGS) modules
	@echo "  MODULE  $@"

# A test-only module for the selftests (selftests/vm/rival/), beside it.
$(BUILD)/rival/ctguard_test_rival.ko: selftests/vm/rival/Kbuild selftests/vm/rival/ctguard_test_rival.c
	$(Q)mkdir -p $(BUILD)/rival
	$(Q)ln -sf $(CURDIR)/selftests/vm/rival/Kbuild $(CURDIR)/selftests/vm/rival/ctguard_test_rival.c $(BUILD)/rival/
	$(Q)$(MAKE) -C $(KDIR) M=$(CURDIR)/$(BUILD)/rival modules >$(BUILD)/rival/build.log 2>&1 || \
		{ cat $(BUILD)/rival/build.log; exit 1; }
	@echo "  MODULE  $@"

module: $(BUILD)/ctguard.ko

test-modules: $(BUILD)/rival/ctguard_test_rival.ko

modules: deps
	$(Q)for r in $$(scripts/kernels resolve --releases); do \
		$(MAKE) module test-modules KVER=$$r || exit 1; done

sparse: deps
	$(Q)for r in $$(scripts/kernels resolve --releases); do \
		rm -rf build/$$r; $(MAKE) module KVER=$$r KFLAGS="C=1 W=1" 2>&1 | tee build/sparse-$$r.log; \
		! grep -E 'warning:|error:' build/sparse-$$r.log || exit 1; done

user:
	$(Q)$(MAKE) -C user
	$(Q)$(MAKE) -C selftests

deps:
	$(Q)scripts/deps

kernels: deps
	$(Q)scripts/kernels fetch

check: deps kernels modules user
	$(Q)selftests/check

# Hardening (docs/testing.md, "Hardening"); not part of make check.
# check-long: the netlink fuzzer (CTGUARD_FUZZ_MESSAGES, default 100000) and
# the stress test (CTGUARD_STRESS_CYCLES unload/load cycles, default 50) in
# a VM per kernel, both kernels at once. Seed: CTGUARD_FUZZ_SEED.
# check-debug: a KASAN/lockdep/kmemleak kernel built from linux-source-6.1
# (scripts/debug-kernel, cached in $(CACHE)/debug-kernel), then every
# selftest, the fuzzer, the stress test and a kmemleak scan on it.
.PHONY: check-long check-debug
check-long: deps kernels modules user
	$(Q)CTGUARD_FUZZ_MESSAGES=$${CTGUARD_FUZZ_MESSAGES:-100000} \
	CTGUARD_STRESS_CYCLES=$${CTGUARD_STRESS_CYCLES:-50} \
	CTGUARD_TEST_TIMEOUT=$${CTGUARD_TEST_TIMEOUT:-7200} \
	CTGUARD_CHECK_TIMEOUT=$${CTGUARD_CHECK_TIMEOUT:-14400} \
	selftests/check fuzz_test stress_test

check-debug: deps user
	$(Q)scripts/debug-kernel check

clean:
	rm -rf build
	$(Q)$(MAKE) -C user clean
	$(Q)$(MAKE) -C selftests clean

# --- Installing on hosts (packaging owner; docs/install.md) ----------------
# make dkms-src     module sources and dkms.conf into $(DESTDIR)/usr/src/ctguard-$(VERSION)
# make install      dkms-src, make -C user install (command, library, OCI hook
#                   and hooks.d), the modules-load.d entry, ctguard.service and
#                   /etc/ctguard/ctguard.conf (an existing one is kept);
#                   without DESTDIR also dkms add/build/install for every
#                   kernel with headers (DKMS=no to skip). Never loads the
#                   module, never enables or starts the unit.
# make uninstall    the reverse (DESTDIR/PREFIX as for install); the config
#                   goes only if it is still the example
# make deb          Debian packages into build/deb/
# make check-pkg    build, dpkg -i, DKMS for both test kernels, boot each, dpkg --purge
#                   (PKG_CHECK_FLAGS=--selftests: every selftest against the DKMS module)
PREFIX ?= /usr/local
MODULESLOADDIR ?= $(PREFIX)/lib/modules-load.d
SBINDIR ?= $(PREFIX)/sbin
# systemd reads /usr/local/lib/systemd/system too; Debian's is /lib/systemd/system.
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
# The command reads /etc/ctguard whatever PREFIX is.
CONFDIR = $(DESTDIR)/etc/ctguard
DKMS_SRC = $(DESTDIR)/usr/src/ctguard-$(VERSION)
DKMS ?= $(if $(DESTDIR),no,yes)

.PHONY: dkms-src install uninstall deb check-pkg

dkms-src:
	$(Q)rm -rf $(DKMS_SRC)
	$(Q)for f in $(KSRC); do install -D -m 0644 $$f $(DKMS_SRC)/$$f || exit 1; done
	$(Q)sed 's/@VERSION@/$(VERSION)/g' dkms.conf > $(DKMS_SRC)/dkms.conf
	@echo "  DKMS    sources in $(DKMS_SRC)"

install: dkms-src
	$(Q)$(MAKE) -C user install DESTDIR=$(abspath $(DESTDIR)) PREFIX=$(PREFIX)
	$(Q)install -D -m 0644 packaging/ctguard.conf $(DESTDIR)$(MODULESLOADDIR)/ctguard.conf
	$(Q)install -d $(DESTDIR)$(SYSTEMDUNITDIR) $(CONFDIR)/conf.d
	$(Q)sed 's|/usr/sbin/ctguard|$(SBINDIR)/ctguard|g' packaging/systemd/ctguard.service \
		> $(DESTDIR)$(SYSTEMDUNITDIR)/ctguard.service
	$(Q)chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/ctguard.service
	$(Q)if [ -e $(CONFDIR)/ctguard.conf ]; then \
		echo "  KEEP    $(CONFDIR)/ctguard.conf (the example is packaging/etc/ctguard.conf)"; \
	else install -m 0644 packaging/etc/ctguard.conf $(CONFDIR)/ctguard.conf; fi
	$(Q)if [ "$(DKMS)" = yes ]; then packaging/dkms-setup install $(VERSION); fi

uninstall:
	$(Q)if [ "$(DKMS)" = yes ]; then packaging/dkms-setup remove $(VERSION); fi
	$(Q)rm -rf $(DKMS_SRC)
	$(Q)rm -f $(DESTDIR)$(MODULESLOADDIR)/ctguard.conf $(DESTDIR)$(SYSTEMDUNITDIR)/ctguard.service
	$(Q)if cmp -s packaging/etc/ctguard.conf $(CONFDIR)/ctguard.conf; then \
		rm -f $(CONFDIR)/ctguard.conf; \
	elif [ -e $(CONFDIR)/ctguard.conf ]; then \
		echo "  KEEP    $(CONFDIR)/ctguard.conf (edited)"; fi
	$(Q)rmdir $(CONFDIR)/conf.d $(CONFDIR) 2>/dev/null || true
	$(Q)$(MAKE) -C user uninstall DESTDIR=$(abspath $(DESTDIR)) PREFIX=$(PREFIX)

deb:
	$(Q)packaging/build-deb build/deb

check-pkg: deps kernels
	$(Q)selftests/vm/pkg-check $(PKG_CHECK_FLAGS)

# The main job, shown: a real container under crun, unconfined and then
# confined by ctguard-oci-hook, in the VM (demo/guest.sh; DEMO_KERNEL=6.1
# for the other kernel).
DEMO_KERNEL ?= 6.12
.PHONY: demo
demo: deps kernels modules user
	$(Q)selftests/vm/run --kernel $(DEMO_KERNEL) --load --timeout 600 -- demo/guest.sh

# What ctguard costs, in the VM on every test kernel (docs/performance.md).
.PHONY: bench
bench: deps kernels modules
	$(Q)bench/run
