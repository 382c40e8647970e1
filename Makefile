# SPDX-License-Identifier: GPL-2.0
#
# vgpu-nl top-level Makefile.
#
#   make               build the tool (userspace/vgpu-nl)
#   make modules       build vgpu_nl.ko and the simulated device for every
#                      installed kernel with headers (KVER=... for one)
#   make demo          boot the simulated host and run a narrated session
#   make check         every test: host unit tests, builds, VM lanes, DKMS
#   make system-test   Debian 12 and 13 disk images booted end to end
#   make fuzz-userspace  the userspace parsers under libFuzzer, FUZZ_TIME
#                      seconds per target (default 300; make check: 12)
#   make fuzz          genl-fuzz in the VM on every lane (FUZZ_MESSAGES=N)
#   make stress        stress, the VF count races and cross-talk, every lane
#   make fault         the fault-injection scenarios alone, every lane
#   make check-debug   scenarios, fuzz, stress on a KASAN/lockdep/kmemleak
#                      kernel built from linux-source-6.12 (not in check)
#   make install       DKMS-install the module, install the tool (root)
#   make uninstall     remove both again
#   make deb           the Debian packages vgpu-nl-dkms and vgpu-nl -> build/
#
# Module builds go to build/<kernel release>/ so that several kernels can be
# built from one checkout: Kbuild cannot put objects outside M= before 6.13.

VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
MODLOADDIR ?= /etc/modules-load.d
UNITDIR ?= /lib/systemd/system
UDEVRULESDIR ?= /lib/udev/rules.d
# Not under share/doc: Debian tools may compress or drop what is there.
DATADIR ?= $(PREFIX)/share/vgpu-nl
DESTDIR ?=

# The files `make install` and the Debian packages install, one list each, so
# the two can never differ. A new file goes in here and nowhere else.
#   INSTALL_FILES (the vgpu-nl package): MODE:SOURCE:DESTINATION
#   DKMS_SRC (the vgpu-nl-dkms package, /usr/src/vgpu-nl-VERSION): what DKMS
#   builds the module from.
INSTALL_FILES := \
	0755:userspace/vgpu-nl:$(SBINDIR)/vgpu-nl \
	0644:doc/vgpu-nl.8:$(MANDIR)/man8/vgpu-nl.8 \
	0644:userspace/vgpu-nl.bash:$(BASHCOMPDIR)/vgpu-nl \
	0644:build/dist/vgpu-nl-apply.service:$(UNITDIR)/vgpu-nl-apply.service \
	0644:build/dist/vgpu-nl-apply@.service:$(UNITDIR)/vgpu-nl-apply@.service \
	0644:dist/60-vgpu-nl.rules:$(UDEVRULESDIR)/60-vgpu-nl.rules \
	0644:dist/vgpu-nl.conf.example:$(DATADIR)/vgpu-nl.conf.example
DKMS_SRC := dkms.conf Kbuild kmod
DKMS_SRCDIR := /usr/src/vgpu-nl-$(VERSION)

# Installed kernels that have headers (newest last), e.g. "6.1.0-56-amd64 ...".
KVERS ?= $(shell tests/vm/kernels list 2>/dev/null)
KVER ?=

.PHONY: all tool modules deps demo check system-test unit vm-tests dkms-test sparse w1 \
	style bench fuzz-userspace fuzz stress fault check-debug install uninstall install-files uninstall-files \
	install-module-files deb clean units

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

# FUZZ_MESSAGES=1000000: a million messages per lane instead of 60 s.
fuzz: deps tool
	tests/adversarial.sh $(if $(FUZZ_MESSAGES),-e FUZZ_MESSAGES=$(FUZZ_MESSAGES)) fuzz

stress: deps tool
	tests/adversarial.sh stress numvfs-race numvfs-rescan crosstalk

# The fault-injection scenarios (README: "Fault injection"), also in check.
fault: deps tool
	tests/vm-tests.sh tests/scenarios/7*-fault-*.sh

# The packages first: the tool needs some of them (libnl, json-c).
check-debug:
	@tests/deps.sh --debug-kernel
	$(MAKE) tool
	tests/check-debug.sh

system-test: deps
	tests/system/run.sh

unit: tool
	$(MAKE) -C userspace test

sparse:
	@for k in $(KVERS); do tests/build-modules.sh --sparse "$$k" || exit 1; done

w1:
	@for k in $(KVERS); do tests/build-modules.sh --w1 "$$k" || exit 1; done

style:
	tests/style.sh

FUZZ_TIME ?= 300
fuzz-userspace: deps
	tests/fuzz.sh $(FUZZ_TIME)

bench: deps tool
	$(MAKE) -C userspace vgpu-nl-static
	tests/bench.sh

# KVER=... installs for other kernels than the running one (several allowed).
install: tool
	scripts/dkms-install.sh install $(KVER)

uninstall:
	scripts/dkms-install.sh uninstall

# The tool's files (scripts/dkms-install.sh and debian/rules call this).
# The systemd units name the tool by its installed path.
units:
	@mkdir -p build/dist
	@for u in vgpu-nl-apply.service vgpu-nl-apply@.service; do \
		sed 's|@SBINDIR@|$(SBINDIR)|g' dist/$$u >build/dist/$$u.tmp && \
		mv build/dist/$$u.tmp build/dist/$$u || exit 1; \
	done

install-files: tool units
	@set -e; for f in $(INSTALL_FILES); do \
		mode=$${f%%:*}; rest=$${f#*:}; \
		echo "install $${rest%%:*} -> $(DESTDIR)$${rest#*:}"; \
		install -D -m "$$mode" "$${rest%%:*}" "$(DESTDIR)$${rest#*:}"; \
	done

uninstall-files:
	@for f in $(INSTALL_FILES); do rm -f "$(DESTDIR)$${f##*:}"; done

# The module's sources for DKMS and its modules-load.d entry (loaded at boot).
install-module-files:
	mkdir -p $(DESTDIR)$(DKMS_SRCDIR) $(DESTDIR)$(MODLOADDIR)
	cp -r $(DKMS_SRC) $(DESTDIR)$(DKMS_SRCDIR)/
	echo vgpu_nl >$(DESTDIR)$(MODLOADDIR)/vgpu_nl.conf

deb:
	scripts/mkdeb.sh

clean:
	$(MAKE) -C userspace clean
	rm -rf build
