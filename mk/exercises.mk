# Exercises: `make exercises` lists them with their state, `make check-exercise N`
# checks one, `make exercises-ci` proves each starting file fails its check and
# each solution passes it.
EX_DIRS  := $(sort $(wildcard exercises/[0-9][0-9]-*))
EX_BUILD := $(BUILD)/exercises

# $(call ex_build,DIR,SOURCE,OUT)
define ex_build
	@mkdir -p $(dir $(3))
	@$(CC) $(ALLCFLAGS) $(TEST_CFLAGS) -Iexercises -I$(1) $(2) $(1)/given.c $(1)/check.c \
	    $(LIB) $(LDSAN) $(LDLIBS) $(TEST_LIBS) -o $(3)
endef

.PHONY: exercises check-exercise exercises-ci
exercises: $(LIB)
	@for d in $(EX_DIRS); do \
	    n=$$(basename $$d); \
	    if ! $(MAKE) -s --no-print-directory ex-one EX=$$d SRC=$$d/exercise.c OUT=$(EX_BUILD)/$$n/learner >/dev/null 2>&1; then \
	        s="does not build (make check-exercise $$(echo $${n%%-*} | sed s/^0//) shows why)"; \
	    elif timeout 60 $(EX_BUILD)/$$n/learner >/dev/null 2>&1; then s="passes"; else s="not yet"; fi; \
	    printf '  %-32s %s\n' "$$n" "$$s"; \
	done

ex-one:
	$(call ex_build,$(EX),$(SRC),$(OUT))

ifneq ($(filter check-exercise,$(MAKECMDGOALS)),)
EX_N := $(or $(N),$(word 2,$(MAKECMDGOALS)))
EX_DIR := $(firstword $(wildcard exercises/$(shell printf '%02d' $(EX_N) 2>/dev/null)-*))
ifneq ($(word 2,$(MAKECMDGOALS)),)
$(word 2,$(MAKECMDGOALS)): ; @:
endif
endif
check-exercise: $(LIB)
	@test -n "$(EX_DIR)" || { echo "usage: make check-exercise N (1 to $(words $(EX_DIRS)))"; exit 2; }
	$(call ex_build,$(EX_DIR),$(EX_DIR)/exercise.c,$(EX_BUILD)/$(notdir $(EX_DIR))/learner)
	@$(EX_BUILD)/$(notdir $(EX_DIR))/learner

exercises-ci: $(LIB)
	@fail=0; for d in $(EX_DIRS); do \
	    n=$$(basename $$d); \
	    $(MAKE) -s --no-print-directory ex-one EX=$$d SRC=$$d/exercise.c OUT=$(EX_BUILD)/$$n/start || { echo "$$n: the starting file does not build"; fail=1; continue; }; \
	    $(MAKE) -s --no-print-directory ex-one EX=$$d SRC=exercises/solutions/$$n.c OUT=$(EX_BUILD)/$$n/solution || { echo "$$n: the solution does not build"; fail=1; continue; }; \
	    if timeout 60 $(EX_BUILD)/$$n/start >/dev/null 2>&1; then echo "$$n: the starting file PASSES its check"; fail=1; else echo "$$n: starting file fails its check, as it should"; fi; \
	    if timeout 60 $(EX_BUILD)/$$n/solution >/dev/null 2>&1; then echo "$$n: solution passes"; else echo "$$n: the solution FAILS its check"; fail=1; fi; \
	done; \
	if [ $$fail -eq 0 ]; then echo "exercises: $(words $(EX_DIRS)) passed, 0 failed"; else echo "exercises: some failed"; fi; \
	exit $$fail
