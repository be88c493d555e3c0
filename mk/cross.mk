# AArch64: the whole suite built with Debian's cross compiler and run under
# qemu-user (scripts/install-cross-deps installs both and the arm64 libraries).
CROSS        ?= aarch64-linux-gnu
CROSS_SYSROOT = /usr/$(CROSS)
CROSS_BUILD   = build/$(CROSS)

.PHONY: cross-build cross-test
cross-build:
	PKG_CONFIG_LIBDIR=/usr/lib/$(CROSS)/pkgconfig $(MAKE) CC=$(CROSS)-gcc BUILD_TAG=$(CROSS) \
	    tests-build steps mistakes

cross-test: cross-build
	QEMU_LD_PREFIX=$(CROSS_SYSROOT) TEST_RUNNER=qemu-aarch64 BUILD=$(CROSS_BUILD) \
	    BIN=$(CROSS_BUILD)/bin tests/run $(CROSS_BUILD)/tests/test_*
