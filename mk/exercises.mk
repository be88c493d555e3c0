# Exercises (exercises/README.md): the commands are exercises/ex.sh's.
#   make exercises            progress (done / total) and the next one
#   make check-exercise N     build and run exercise N's check
#   make hint N               the next hint of exercise N, one at a time
#   make reset-exercise N     exercise N's starting file back (yours kept beside it)
#   make watch                re-check the current exercise on every save
#   make exercises-ci         starting files fail, solutions pass, wrong answers
#                             fail with their message; a check refuses --bogus
#                             and fails on a full disk
EX_DIRS  := $(sort $(wildcard exercises/[0-9][0-9]-*))
EX_BUILD := $(BUILD)/exercises
# An outer bound on each check (each check also stops itself after 10 s):
# build/tools/timeout (scripts/timeout.c), which mk/laptops.mk builds before
# any target here that runs a check (GNU timeout is not on every machine).
EX_TIMEOUT = $(TIMEOUT_TOOL)
EX_ENV = EX_CC='$(CC) $(ALLCFLAGS)' EX_LIBS='$(LIB) $(LDSAN) $(LDLIBS)' \
         EX_BUILD='$(EX_BUILD)' EX_TIMEOUT='$(EX_TIMEOUT)'

EX_NUMBERED := check-exercise hint reset-exercise
.PHONY: exercises watch exercises-ci $(EX_NUMBERED)

# `make hint 3`: the second word is the number, not a target to build.
ifneq ($(filter $(EX_NUMBERED),$(MAKECMDGOALS)),)
EX_N := $(or $(N),$(word 2,$(MAKECMDGOALS)))
ifneq ($(word 2,$(MAKECMDGOALS)),)
$(word 2,$(MAKECMDGOALS)): ; @:
endif
endif

exercises: $(LIB)
	@$(EX_ENV) sh exercises/ex.sh list

check-exercise: $(LIB)
	@$(EX_ENV) sh exercises/ex.sh check '$(EX_N)'

hint:
	@EX_BUILD='$(EX_BUILD)' sh exercises/ex.sh hint '$(EX_N)'

reset-exercise:
	@EX_BUILD='$(EX_BUILD)' sh exercises/ex.sh reset '$(EX_N)'

watch: $(LIB)
	@$(EX_ENV) sh exercises/ex.sh watch

exercises-ci: $(LIB)
	@$(EX_ENV) sh exercises/ex.sh ci
