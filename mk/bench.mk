# bench/: the workbook against the Python it mirrors (see bench/run).
BENCH_PROGS := $(patsubst bench/%.c,build/bench/%,$(wildcard bench/*.c))

.PHONY: bench bench-build bench-deps
bench-build: $(BENCH_PROGS) step3 step4

build/bench/%: bench/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) $< $(LIB) $(LDLIBS) -o $@

bench: bench-build
	/usr/bin/python3 bench/run $(if $(QUICK),--quick,)

bench-deps:
	EXTRA_PKGS="python3-httpx python3-aiofiles wrk nginx-light nodejs" scripts/install-deps
