# mpio top-level build.
#
#   make              build userspace (libmp, mpiod, multipathctl) and kernel/dm-mpio.ko
#   make module KVER=<ver>   dm-mpio.ko for that Debian kernel only, into
#                     kernel/out/<ver>/: here, or in the build root of the suite
#                     that ships it when its compiler differs (scripts/build-module)
#   make module-all   the same for the kernels of bookworm, trixie and sid (each
#                     other suite in its build root, made if missing: scripts/build-root)
#   make deps         install every Debian package needed (idempotent; root)
#   make check        deps (+ backports headers), build, module builds, CUnit tests, VM tests;
#                     beside them, three kernel tests on trixie's and sid's kernels
#                     (their build roots made if missing)
#   make check-full   make check with a fresh trixie root beside bookworm's, every
#                     kernel test on each kernel, the integration tests on trixie's
#                     userspace, then every fault scenario (make check-faults),
#                     then the fault matrix's quick subset on trixie's and sid's
#                     kernels: too long for CI
#   make check-faults every fault scenario for mpio and multipath-tools; rewrites
#                     the results table in tests/faults/README.md
#   make fuzz-long    each fuzz harness for FUZZ_SECONDS (default 300) from the
#                     corpus kept in tests/fuzz/build/corpus (tests/fuzz/README.md)
#   make demo         deps, build, then the narrated demo in the VM
#   make install      DESTDIR=... PREFIX=/usr: binaries, man pages, config, units, rules
#                     (where: Makefile.dirs)
#   make install-dkms DESTDIR=...: the module's sources for DKMS, /usr/src/dm-mpio-<ver>
#   make install-module   the module into /lib/modules/<ver>/updates, then depmod
#
# KDIR selects the kernel build tree. Its default is chosen in one place,
# kernel/Makefile, when the module is built (the running kernel's build tree,
# else the headers of the kernel the VM boots, scripts/kernel-version), so
# `make demo` and `make check` see the kernel that their own `deps` step
# installed. A KDIR on the command line or in the environment wins.
#
# make check VM_TESTS="tests/vm/smoke.sh ..." runs only those VM tests (and no
# fresh-root check); see tests/run-check. KVERS="trixie 7.2.13+deb14-amd64 ..."
# names the other kernels the kernel tests run on (suites or versions; empty:
# none), KVERS_TESTS="tests/kernel/... | all" which tests run there;
# GUEST_SUITES=trixie runs the integration tests on trixie's userspace too.

# Install directories: Makefile.dirs, read by every Makefile that installs.

KDIR ?=
KVER ?=
VM_TESTS ?=
# Passed on to kernel/Makefile only when given: empty means "choose there".
KERNEL_MAKE = $(MAKE) -C kernel $(if $(KDIR),KDIR=$(KDIR))

USERSPACE := common libmp daemon multipathctl

all: userspace module

userspace:
	$(MAKE) -C common
	$(MAKE) -C libmp
	$(MAKE) -C daemon
	$(MAKE) -C multipathctl

module:
	@test -z "$(KDIR)" || test -d "$(KDIR)" || { echo "KDIR $(KDIR) does not exist" >&2; exit 1; }
	$(if $(KVER),$(if $(KDIR),$(KERNEL_MAKE),scripts/build-module $(KVER)),$(KERNEL_MAKE))

module-all:
	scripts/build-module --suites

deps:
	scripts/install-deps

# The tests also build the module against the backports suite's kernel headers.
check:
	scripts/install-deps --backports-headers
	$(MAKE) all
	$(if $(filter-out undefined,$(origin KVERS)),MPIO_KVERS="$(KVERS)") \
	$(if $(filter-out undefined,$(origin KVERS_TESTS)),MPIO_KVERS_TESTS="$(KVERS_TESTS)") \
	$(if $(GUEST_SUITES),MPIO_GUEST_SUITES="$(GUEST_SUITES)") \
	tests/run-check $(VM_TESTS)

# What does not fit in CI's time: more fresh roots, every kernel test on
# every kernel, every fault scenario.
check-full:
	$(MAKE) check FRESH_SUITES="bookworm trixie" KVERS_TESTS=all GUEST_SUITES=trixie
	tests/faults/run --table
	tests/faults/run --quick --kernel trixie
	tests/faults/run --quick --kernel sid

# Every fault scenario, for mpio and multipath-tools; rewrites the results
# table in tests/faults/README.md.
check-faults: deps
	$(MAKE) all
	tests/faults/run --table

fuzz-long:
	$(MAKE) -C tests/fuzz long

demo: deps
	$(MAKE) all
	tests/vm/run --follow --timeout 600 tests/demo.sh
	@test -s tests/vm/out/demo/failover.png
	@echo "Chart of per-path throughput: $(CURDIR)/tests/vm/out/demo/failover.png"

install: userspace
	$(MAKE) -C daemon install
	$(MAKE) -C multipathctl install
	$(MAKE) -C conf install
	$(MAKE) -C systemd install

# The module's sources and dkms.conf, for DKMS: $(DESTDIR)/usr/src/dm-mpio-<ver>.
install-dkms:
	$(MAKE) -C kernel install-dkms

install-module: module
	$(KERNEL_MAKE) install

clean:
	for d in $(USERSPACE) tests/unit tests/tools tests/fuzz; do $(MAKE) -C $$d clean; done
	-$(KERNEL_MAKE) clean

.PHONY: all userspace module module-all deps check check-full check-faults fuzz-long demo install install-dkms install-module clean
