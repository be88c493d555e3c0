# make portable-test: the suites built with every Linux-only fast path
# compiled out (-DASYNC_PORTABLE: no process_madvise, no guard or populate
# advice, so no prefault helper, no SOCK_CLOEXEC), the paths macOS and the
# BSDs take, with gcc and with clang. Each compiler builds in its own
# directory (build/portable-CC/), and a compiler that is missing is skipped,
# saying so.
PORTABLE_CCS ?= gcc clang
# What the library must not call once the fast paths are out (libuv's own
# epoll and the like live in libuv, not here).
LINUX_ONLY_CALLS := syscall|sched_getaffinity|process_madvise|pidfd_open|epoll_[a-z_]+|eventfd|signalfd|accept4|pipe2|prctl

.PHONY: portable-test
portable-test:
	@for cc in $(PORTABLE_CCS); do \
	    if ! command -v $$cc >/dev/null 2>&1; then echo "== portable-test: $$cc skipped (not installed)"; continue; fi; \
	    echo "== portable-test with $$cc"; \
	    $(MAKE) --no-print-directory PORTABLE=1 CC=$$cc BUILD_TAG=portable-$$cc lib || exit 1; \
	    linux_only=$$(nm -u build/portable-$$cc/libasync.a | grep -wE '$(LINUX_ONLY_CALLS)' | sort -u); \
	    if [ -n "$$linux_only" ]; then echo "portable-test: the portable build still calls Linux-only functions:" $$linux_only; exit 1; fi; \
	    echo "portable-test: build/portable-$$cc/libasync.a calls none of: $(LINUX_ONLY_CALLS)"; \
	    $(MAKE) --no-print-directory PORTABLE=1 CC=$$cc BUILD_TAG=portable-$$cc test || exit 1; \
	done
