# AArch64: the whole suite built with Debian's cross compiler; the core's
# suites run under qemu-user (scripts/install-cross-deps installs both and the
# arm64 libraries). On this project's machines qemu-user's fork() and
# pthread_create() never return, so the suites that need new processes or
# threads (every step's, HTTP, files, to_thread) are built but not run, and
# the tests that need them are reported as skipped (TEST_NO_SPAWN).
CROSS        ?= aarch64-linux-gnu
CROSS_SYSROOT = /usr/$(CROSS)
CROSS_BUILD   = build/$(CROSS)

.PHONY: cross-build cross-test
cross-build:
	PKG_CONFIG_LIBDIR=/usr/lib/$(CROSS)/pkgconfig $(MAKE) CC=$(CROSS)-gcc BUILD_TAG=$(CROSS) \
	    tests-build steps mistakes

CROSS_SUITES  = test_core_tasks test_core_group test_core_semaphore test_core_timeout test_core_generator

cross-test: cross-build
	QEMU_LD_PREFIX=$(CROSS_SYSROOT) TEST_RUNNER=qemu-aarch64 TEST_NO_SPAWN="qemu-user" \
	    BUILD=$(CROSS_BUILD) BIN=$(CROSS_BUILD)/bin TEST_TIMEOUT=300 \
	    tests/run $(addprefix $(CROSS_BUILD)/tests/,$(CROSS_SUITES))
