# SPDX-License-Identifier: GPL-2.0
#
# make                    module for the running kernel (or KVER/KDIR) + user space
# make module KVER=R      module only, into build/R/ctguard.ko
# make modules            module for every test kernel (6.1 and 6.12 series)
# make user               libctguard, ctguard, selftest binaries
# make deps               Debian packages the build and the tests need
# make kernels            fetch and unpack the test kernels into $(CACHE)
# make check              everything, then all selftests in a VM on each kernel
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

.PHONY: all module modules user deps kernels check check-host sparse w1 clean

all: module user

# Each kernel gets its own tree of symlinks so that objects never collide.
$(BUILD)/ctguard.ko: $(KSRC)
	$(Q)mkdir -p $(BUILD)/kernel $(BUILD)/include/uapi/linux
	$(Q)ln -sf $(CURDIR)/Kbuild $(CURDIR)/VERSION $(BUILD)/
	$(Q)for f in kernel/*.[ch]; do ln -sf $(CURDIR)/$$f $(BUILD)/$$f; done
	$(Q)ln -sf $(CURDIR)/include/uapi/linux/ctguard.h $(BUILD)/include/uapi/linux/
	$(Q)$(MAKE) -C $(KDIR) M=$(CURDIR)/$(BUILD) $(KFLAGS) modules
	@echo "  MODULE  $@"

module: $(BUILD)/ctguard.ko

modules: deps
	$(Q)for r in $$(scripts/kernels resolve --releases); do \
		$(MAKE) module KVER=$$r || exit 1; done

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

clean:
	rm -rf build
	$(Q)$(MAKE) -C user clean
	$(Q)$(MAKE) -C selftests clean
