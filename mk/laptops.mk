# Learners' laptops (macOS, other Linuxes, WSL): what the workbook's scripts
# and make targets need beyond Debian.

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

