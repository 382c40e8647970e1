# SPDX-License-Identifier: GPL-2.0
#
# vgpu-nl top-level Makefile.
#
#   make               build the tool (userspace/vgpu-nl)
#   make modules       build vgpu_nl.ko and the simulated device for every
#                      installed kernel with headers (KVER=... for one)
#   make demo          boot the simulated host and run a narrated session
#   make check         every test: host unit tests, builds, VM lanes, DKMS
#   make install       DKMS-install the module, install the tool (root)
#   make uninstall     remove both again
#
# Module builds go to build/<kernel release>/ so that several kernels can be
# built from one checkout: Kbuild cannot put objects outside M= before 6.13.

VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
DESTDIR ?=

# Installed kernels that have headers (newest last), e.g. "6.1.0-56-amd64 ...".
KVERS ?= $(shell tests/vm/kernels list 2>/dev/null)
KVER ?=

.PHONY: all tool modules deps demo check unit vm-tests dkms-test sparse w1 \
	style bench install uninstall clean

all: tool

tool:
	$(MAKE) -C userspace

deps:
	@tests/deps.sh

modules:
	@for k in $(if $(KVER),$(KVER),$(KVERS)); do \
		tests/build-modules.sh "$$k" || exit 1; \
	done

demo: deps tool
	tests/demo.sh

check: deps
	tests/check.sh

unit: tool
	$(MAKE) -C userspace test

sparse:
	@for k in $(KVERS); do tests/build-modules.sh --sparse "$$k" || exit 1; done

w1:
	@for k in $(KVERS); do tests/build-modules.sh --w1 "$$k" || exit 1; done

style:
	tests/style.sh

bench: deps tool
	tests/bench.sh

# KVER=... installs for other kernels than the running one (several allowed).
install: tool
	scripts/dkms-install.sh install $(KVER)

uninstall:
	scripts/dkms-install.sh uninstall

clean:
	$(MAKE) -C userspace clean
	rm -rf build
