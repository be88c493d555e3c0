# The asyncio-in-C workbook.
#   make tour        build and run every step, one after another
#   make check       build and run the quick suites (under 15 s): after each change
#   make test        build and run every cmocka suite (what CI runs)
#   make asan        the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   make valgrind    steps and tests under valgrind (fails on any error or leak)
#   make CONTEXT=ucontext test    the portable context switch instead of assembly
# Missing libraries are installed by scripts/install-deps (apt-get or sudo).

CC       ?= cc
CONTEXT  ?= asm
SAN      ?=
WERROR   ?= $(if $(CI),1,)
PKGS     := libuv libcurl
TESTPKGS := cmocka

# Each variant builds into its own directory so that they never mix objects.
BUILD_TAG ?=
VARIANT  := $(subst $(eval) ,-,$(strip $(BUILD_TAG) $(SAN) $(filter ucontext,$(CONTEXT))))
BUILD    := build$(if $(VARIANT),/$(VARIANT),)
# The default build puts programs at the top (./step1); variants in their build dir.
BIN      := $(if $(VARIANT),$(BUILD)/bin,.)

DEPS_OK  := $(shell pkg-config --exists $(PKGS) $(TESTPKGS) 2>/dev/null && echo yes)
ifneq ($(DEPS_OK),yes)
  ifeq ($(filter clean doctor,$(MAKECMDGOALS)),)
    $(info Some libraries are missing: running scripts/install-deps)
    $(if $(shell scripts/install-deps >&2 && echo ok),,$(error could not install the libraries: see the message above))
  endif
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
TEST_CFLAGS:= $(shell pkg-config --cflags $(TESTPKGS) 2>/dev/null)
TEST_LIBS  := $(shell pkg-config --libs $(TESTPKGS) 2>/dev/null)

OPT      ?= -O2
CFLAGS   ?= $(OPT) -g
WARN     := -std=c11 -Wall -Wextra -Wpedantic $(if $(filter 1,$(WERROR)),-Werror,)
CPPFLAGS += -D_GNU_SOURCE $(addprefix -I,$(LAYERS)) $(if $(filter ucontext,$(CONTEXT)),-DASYNC_CONTEXT_UCONTEXT,) \
            $(if $(filter 1,$(PORTABLE)),-DASYNC_PORTABLE,)
SANFLAGS_asan := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
# A frame bigger than a page (a big local array) touches its pages in order,
# so it meets its task's guard page and is named, instead of jumping over it
# into a neighbour's stack. Where the compiler has it (gcc 8+, clang 11+).
STACK_CLASH := $(shell $(CC) -fstack-clash-protection -Werror -x c -c /dev/null -o /dev/null 2>/dev/null && echo -fstack-clash-protection)
ALLCFLAGS = $(WARN) $(CFLAGS) $(STACK_CLASH) $(SANFLAGS_$(SAN)) $(CPPFLAGS) $(PKG_CFLAGS)
LDLIBS   = $(PKG_LIBS) -lpthread -lm
LDSAN    = $(SANFLAGS_$(SAN))

LIB      := $(BUILD)/libasync.a
# common/'s layers, lowest first (README's "Architecture"): the core, the
# stacks it runs tasks on, the I/O built on the core, the workbook's helpers.
LAYERS   := common/core common/stacks common/io common/workbook
CORE_SRC := $(foreach d,$(LAYERS),$(wildcard $(d)/*.c))
CORE_ASM := $(wildcard common/core/*.S)
CORE_HDR := $(foreach d,$(LAYERS),$(wildcard $(d)/*.h))
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o) $(CORE_ASM:%.S=$(BUILD)/%.o)

STEPS    := step1 step2 step3 step4 step5
step_dir  = $(wildcard $(1)-*)
TEST_SRC := $(wildcard tests/test_*.c)
TESTS    := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
TEST_SUPPORT := $(wildcard tests/support/*.c)
MISTAKE_SRC := $(wildcard mistakes/*.c)
MISTAKE_HARNESS := $(wildcard mistakes/harness/*.c)
MISTAKES := $(MISTAKE_SRC:mistakes/%.c=mistake-%)

.PHONY: all lib steps test check asan valgrind tour clean mistakes doctor
.DEFAULT_GOAL := all

all: lib steps tests-build mistakes

lib: $(LIB)

$(BUILD)/common/%.o: common/%.c $(CORE_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) -c $< -o $@

# tasktree.c carries the gdb extension in its .debug_gdb_scripts section.
$(BUILD)/common/core/tasktree.o: scripts/gdb/async_gdb.py

$(BUILD)/common/%.o: common/%.S
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(SANFLAGS_$(SAN)) -c $< -o $@

$(LIB): $(CORE_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

# ---------------------------------------------------------------- steps
# A step is every .c file in its folder; a step not yet written says so.
define STEP_RULE
ifneq ($(wildcard $(call step_dir,$(1))/*.c),)
ifneq ($(VARIANT),)
.PHONY: $(1)
$(1): $(BIN)/$(1)
endif
$(BIN)/$(1): $(wildcard $(call step_dir,$(1))/*.c) $(wildcard $(call step_dir,$(1))/*.h) $(LIB)
	@mkdir -p $(BIN)
	$$(CC) $$(ALLCFLAGS) $$(filter %.c,$$^) $(LIB) $$(LDSAN) $$(LDLIBS) -o $$@
else
.PHONY: $(1)
$(1):
	@echo "$(1) is not written yet (see the open issues)"
endif
endef
$(foreach s,$(STEPS),$(eval $(call STEP_RULE,$(s))))

steps: $(STEPS)

# ------------------------------------------------------------- mistakes
mistakes: $(addprefix $(BIN)/,$(MISTAKES))
$(BIN)/mistake-%: mistakes/%.c $(MISTAKE_HARNESS) mistakes/harness/*.h $(LIB)
	@mkdir -p $(BIN)
	$(CC) $(ALLCFLAGS) -Imistakes/harness $< $(MISTAKE_HARNESS) $(LIB) $(LDSAN) $(LDLIBS) -o $@

# ---------------------------------------------------------------- tests
.PHONY: tests-build
tests-build: $(TESTS)

$(BUILD)/tests/%: tests/%.c $(TEST_SUPPORT) tests/support/*.h $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) $(TEST_CFLAGS) -Itests/support $< $(TEST_SUPPORT) $(LIB) $(LDSAN) $(LDLIBS) $(TEST_LIBS) -o $@

# The suites run one after another; tests/run prints one "N passed, N failed" line.
test: $(TESTS) steps mistakes
	@BUILD=$(BUILD) BIN=$(BIN) SAN=$(SAN) tests/run $(TESTS)

# The quick suites: the core and its misuse checks, steps 1, 2 and 4, the
# limits, chaos and the layering (two seconds each at most; under 10 s in
# all). The slow ones wait on real time or a browser: step 3 (a 5 s crawl),
# step 5 (6 s), the mistakes (20 s), the timeline (its HTML page drawn by
# chromium), the prefault helper, and the docs, which run every transcript.
CHECK_SUITES := test_core_tasks test_core_group test_core_semaphore test_core_timeout \
                test_core_generator test_core_cancel_woken test_steps_1_2 test_step4_lines test_step4 \
                test_chaos test_limits test_layers test_misuse
.PHONY: check
check: $(addprefix $(BUILD)/tests/,$(CHECK_SUITES)) steps
	@BUILD=$(BUILD) BIN=$(BIN) SAN=$(SAN) tests/run $(addprefix $(BUILD)/tests/,$(CHECK_SUITES))

asan:
	$(MAKE) SAN=asan test

VALGRIND := valgrind --quiet --error-exitcode=99 --leak-check=full \
            --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect
valgrind: $(TESTS) steps mistakes
	@BUILD=$(BUILD) BIN=$(BIN) VALGRIND="$(VALGRIND)" tests/run $(TESTS)
	@BIN=$(BIN) VALGRIND="$(VALGRIND)" tests/valgrind-steps

# ----------------------------------------------------------------- tour
tour: steps
	@scripts/tour

doctor:
	@scripts/doctor

clean:
	rm -rf build $(STEPS) mistake-*

# Later issues add their own targets in mk/*.mk (bench, exercises, fuzz, docs).
-include $(wildcard mk/*.mk)
