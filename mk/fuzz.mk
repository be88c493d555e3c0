# libFuzzer targets (clang): the line splitter, the demo server's request
# parser, step 3's URL-list reader. `make fuzz FUZZ_SECONDS=30` runs each for
# that long from its corpus in fuzz/corpus/<target>/ (new finds stay out of git).
FUZZ_SECONDS ?= 30
FUZZ_CC      ?= clang
FUZZ_FLAGS    = -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE $(addprefix -I,$(LAYERS)) $(PKG_CFLAGS)
FUZZ_TARGETS  = lines demo_request url_list

fuzz_src_lines        = fuzz/fuzz_lines.c common/io/lines.c
fuzz_src_demo_request = fuzz/fuzz_demo_request.c common/workbook/demo_request.c
fuzz_src_url_list     = fuzz/fuzz_url_list.c step3-semaphore/url_list.c common/workbook/cli.c

.PHONY: fuzz fuzz-build
fuzz-build: $(addprefix build/fuzz/fuzz_,$(FUZZ_TARGETS))

build/fuzz/fuzz_%: fuzz/fuzz_%.c $(CORE_SRC) $(CORE_HDR) step3-semaphore/*.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(fuzz_src_$*) -o $@ $(PKG_LIBS)

fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	    mkdir -p build/fuzz/new-$$t; \
	    echo "== fuzz $$t for $(FUZZ_SECONDS) s"; \
	    build/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=build/fuzz/ \
	        build/fuzz/new-$$t fuzz/corpus/$$t > build/fuzz/$$t.log 2>&1; \
	    rc=$$?; tail -2 build/fuzz/$$t.log; \
	    if [ $$rc -ne 0 ]; then echo "fuzz $$t failed: see build/fuzz/$$t.log"; exit 1; fi; \
	done
