# mpio top-level build.
#
#   make              build userspace (libmp, mpiod, multipathctl) and kernel/dm-mpio.ko
#   make deps         install every Debian package needed (idempotent; root)
#   make check        deps (+ backports headers), build, module builds, CUnit tests, VM tests
#   make demo         deps, build, then the narrated demo in the VM
#   make install      DESTDIR=... PREFIX=/usr: binaries, library, headers, config, units, rules
#   make install-module   the module into /lib/modules/<ver>/updates, then depmod
#
# KDIR selects the kernel build tree (default: the running kernel's, else the
# headers of the kernel the VM tests boot).

PREFIX     ?= /usr/local
DESTDIR    ?=
SYSCONFDIR ?= /etc
UNITDIR    ?= /lib/systemd/system
UDEVRULESDIR ?= /lib/udev/rules.d
MANDIR     ?= $(PREFIX)/share/man
export PREFIX DESTDIR SYSCONFDIR UNITDIR UDEVRULESDIR MANDIR

KVER_VM := $(shell scripts/kernel-version 2>/dev/null)
KDIR    ?= $(if $(wildcard /lib/modules/$(shell uname -r)/build),/lib/modules/$(shell uname -r)/build,/usr/src/linux-headers-$(KVER_VM))
export KDIR

USERSPACE := libmp daemon multipathctl

all: userspace module

userspace:
	$(MAKE) -C libmp
	$(MAKE) -C daemon
	$(MAKE) -C multipathctl

module:
	@test -d "$(KDIR)" || { echo "KDIR $(KDIR) does not exist (run 'make deps' or set KDIR)"; exit 1; }
	$(MAKE) -C kernel KDIR=$(KDIR)

deps:
	scripts/install-deps

# The tests also build the module against the backports suite's kernel headers.
check:
	scripts/install-deps --backports-headers
	$(MAKE) all
	tests/run-check

demo: deps
	$(MAKE) all
	tests/vm/run --follow --timeout 600 tests/demo.sh
	@test -s tests/vm/out/demo/failover.png
	@echo "Chart of per-path throughput: $(CURDIR)/tests/vm/out/demo/failover.png"

install: userspace
	$(MAKE) -C libmp install
	$(MAKE) -C daemon install
	$(MAKE) -C multipathctl install
	install -d $(DESTDIR)$(SYSCONFDIR)/mpio $(DESTDIR)$(PREFIX)/share/doc/mpio/examples
	install -m 0644 conf/supported-devices $(DESTDIR)$(PREFIX)/share/doc/mpio/examples/supported-devices
	install -m 0644 conf/mpio.conf $(DESTDIR)$(PREFIX)/share/doc/mpio/examples/mpio.conf
	install -m 0644 conf/builtin-devices.conf $(DESTDIR)$(PREFIX)/share/doc/mpio/examples/builtin-devices.conf
	install -d $(DESTDIR)$(SYSCONFDIR)/mpio/mpio.conf.d
	test -e $(DESTDIR)$(SYSCONFDIR)/mpio/supported-devices || \
		install -m 0644 conf/supported-devices $(DESTDIR)$(SYSCONFDIR)/mpio/supported-devices
	test -e $(DESTDIR)$(SYSCONFDIR)/mpio/mpio.conf || \
		install -m 0644 conf/mpio.conf $(DESTDIR)$(SYSCONFDIR)/mpio/mpio.conf
	$(MAKE) -C systemd install
	$(MAKE) -C conf install

install-module: module
	$(MAKE) -C kernel KDIR=$(KDIR) install

clean:
	for d in $(USERSPACE) tests/unit; do $(MAKE) -C $$d clean; done
	-$(MAKE) -C kernel KDIR=$(KDIR) clean

.PHONY: all userspace module deps check demo install install-module clean
