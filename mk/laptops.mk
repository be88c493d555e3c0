# Learners' laptops (macOS, other Linuxes, WSL): a portable `timeout`,
# compile_commands.json for editors, `make play FILE=x.c`, and the test suite
# of the scripts themselves (tests/test_laptops.sh).

# ------------------------------------------------------ a portable timeout
# macOS and the BSDs have no GNU timeout: tests/run, tests/valgrind-steps and
# the exercises (EX_TIMEOUT) use scripts/timeout.c, built here before they need it.
TOOLS        := build/tools
TIMEOUT_TOOL := $(TOOLS)/timeout

$(TIMEOUT_TOOL): scripts/timeout.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O2 $< -o $@

test check valgrind cross-test portable-test: $(TIMEOUT_TOOL)
exercises check-exercise watch exercises-ci: $(TIMEOUT_TOOL)

# The same for `/usr/bin/time -f "rss_kib %M"` (GNU only): bench/run measures
# a command's peak RSS with scripts/peak_rss.c.
PEAK_RSS_TOOL := $(TOOLS)/peak-rss

$(PEAK_RSS_TOOL): scripts/peak_rss.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O2 $< -o $@

bench-build: $(PEAK_RSS_TOOL)

# The scripts' suite runs last in `make test` (tests/run counts its lines as
# it counts cmocka's). TESTS is expanded in the test recipe only when it
# runs, after this file is read, so the suite is in it; the prerequisites
# were expanded before, so make never tries to build it.
TESTS += tests/test_laptops.sh

# ---------------------------------------------------- compile_commands.json
# Editors (clangd, VS Code's C/C++, CLion) read the flags of each file from
# compile_commands.json. `make` writes it from the rules' own variables, so it
# follows any change to CPPFLAGS or to the source lists; no `bear` needed. It
# is rewritten only when its content changes.
all: compile_commands.json
.PHONY: compile_commands.json

cc_sq    = $(subst ','\'',$(1))
# $(call cc_lines,FILES,COMPILER AND FLAGS): one "file<TAB>command" line each
cc_lines = :; $(foreach f,$(1),printf '%s\t%s\n' '$(call cc_sq,$(f))' '$(call cc_sq,$(2) -c $(f))';)
CC_JSON_LINES := build/compile_commands.lines
# An exercise's files (its own, its starting file, the wrong answers, the
# solution) build as exercises/ex.sh builds them: exercise N gets -DEXERCISE_N=N.
ex_files  = $(wildcard $(1)/*.c $(1)/*/*.c exercises/solutions/$(notdir $(1)).c)
ex_number = $(patsubst 0%,%,$(firstword $(subst -, ,$(notdir $(1)))))

compile_commands.json:
	@mkdir -p build && rm -f $(CC_JSON_LINES)
	@{ $(call cc_lines,$(CORE_SRC),$(CC) $(ALLCFLAGS)) } >> $(CC_JSON_LINES)
	@{ $(call cc_lines,$(foreach s,$(STEPS),$(wildcard $(call step_dir,$(s))/*.c)),$(CC) $(ALLCFLAGS)) } >> $(CC_JSON_LINES)
	@{ $(call cc_lines,$(MISTAKE_SRC) $(MISTAKE_HARNESS),$(CC) $(ALLCFLAGS) -Imistakes/harness) } >> $(CC_JSON_LINES)
	@{ $(call cc_lines,$(TEST_SRC) $(TEST_SUPPORT),$(CC) $(ALLCFLAGS) $(TEST_CFLAGS) -Itests/support) } >> $(CC_JSON_LINES)
	@{ $(foreach d,$(EX_DIRS),$(call cc_lines,$(call ex_files,$(d)),$(CC) $(ALLCFLAGS) -DEXERCISE_N=$(call ex_number,$(d)) -Iexercises -I$(d))) } >> $(CC_JSON_LINES)
	@{ $(call cc_lines,$(wildcard bench/*.c),$(CC) $(ALLCFLAGS)) } >> $(CC_JSON_LINES)
	@{ $(call cc_lines,$(wildcard fuzz/*.c),$(FUZZ_CC) $(FUZZ_FLAGS)) } >> $(CC_JSON_LINES)
	@{ $(call cc_lines,scripts/timeout.c scripts/peak_rss.c,$(CC) $(WARN) -O2) } >> $(CC_JSON_LINES)
	@scripts/compile-commands '$(CURDIR)' < $(CC_JSON_LINES) > $@.new && rm -f $(CC_JSON_LINES)
	@if cmp -s $@.new $@; then rm -f $@.new; else mv $@.new $@; echo "wrote $@ (the flags of every file, for clangd and other editors)"; fi

# ------------------------------------------------------ make play FILE=x.c
# A learner's own one-file program, built against the core into ./play-x.
# build/play.list names what make clean removes (never a learner's play-*.c).
PLAY_LIST  = build/play.list
PLAY_NAME  = $(basename $(notdir $(FILE)))
PLAY_OUT   = $(BIN)/play-$(PLAY_NAME)
PLAY_ERROR = $(if $(FILE),$(if $(wildcard $(FILE)),$(if $(filter %.c,$(FILE)),,make play: $(FILE) is not a .c file),make play: $(FILE) does not exist),usage: make play FILE=yours.c  (one C file that includes "async.h"; it becomes ./play-yours))

.PHONY: play
play: $(if $(PLAY_ERROR),,$(LIB))
ifneq ($(PLAY_ERROR),)
	@echo '$(call cc_sq,$(PLAY_ERROR))' >&2; exit 2
else
	$(CC) $(ALLCFLAGS) '$(call cc_sq,$(FILE))' $(LIB) $(LDSAN) $(LDLIBS) -o '$(call cc_sq,$(PLAY_OUT))'
	@mkdir -p build && echo '$(call cc_sq,$(PLAY_OUT))' >> $(PLAY_LIST)
	@echo "built $(PLAY_OUT); run it:  $(if $(filter .,$(BIN)),./play-$(PLAY_NAME),$(PLAY_OUT))"
endif

clean: clean-laptops
.PHONY: clean-laptops
clean-laptops:
	@if [ -f $(PLAY_LIST) ]; then sort -u $(PLAY_LIST) | while read -r f; do echo "rm -f $$f"; rm -f "$$f"; done; fi
	rm -f compile_commands.json

# ------------------------------------------------------ every file in clangd
# `make editors-check`: clangd (what VS Code's clangd extension runs) checks
# every file of compile_commands.json, two at a time, and fails on a header
# it cannot find or any error it reports. `make test` checks a sample
# (tests/test_laptops.sh); CI runs this one over the whole tree. The
# database is written with a learner's flags (no -Werror, which CI adds):
# clangd 14 takes a static function called only from a header for unused.
.PHONY: editors-check
editors-check:
	@$(MAKE) --no-print-directory WERROR=0 compile_commands.json   # a learner's flags: no -Werror
	@command -v clangd >/dev/null 2>&1 || { echo "editors-check: no clangd here (Debian: clangd)"; exit 1; }
	@python3 -c 'import json; [print(e["file"]) for e in json.load(open("compile_commands.json"))]' | sort -u > build/editors-files
	@n=$$(wc -l < build/editors-files); \
	 bad=$$(xargs -P 2 -I{} sh -c 'out=$$(clangd --check="{}" 2>&1); \
	        if printf "%s" "$$out" | grep -q "file not found\|All checks completed, [1-9]"; then echo "{}"; fi' \
	        < build/editors-files); \
	 if [ -n "$$bad" ]; then echo "editors-check: clangd reports errors in:"; echo "$$bad"; exit 1; fi; \
	 echo "editors-check: clangd found every header and no error in $$n files"
