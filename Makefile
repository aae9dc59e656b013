# Thin wrapper over CMake/ctest. The two commands a newcomer needs:
#   make run    build and start the gateway on config/aigw.json (embedded defaults + env keys)
#   make test   install dependencies, build, run every test (unit, fuzz replay, integration)
BUILD      ?= build
BUILD_ASAN ?= build-asan
CONFIG     ?= config/aigw.json
JOBS       ?= $(shell nproc)

.PHONY: all deps build run test test-asan bench fuzz fuzz-build leakfuzz format clean

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD)/build.ninja $(BUILD)/Makefile:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/Makefile
	cmake --build $(BUILD) -j $(JOBS)

run: build
	@bash scripts/run-dev.sh $(BUILD)/aigw $(CONFIG)

test: build
	cmake --build $(BUILD) -j $(JOBS) --target benches
	cd $(BUILD) && ctest --output-on-failure -j 2

test-asan: deps
	cmake -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DAIGW_SANITIZE=ON
	cmake --build $(BUILD_ASAN) -j $(JOBS)
	cd $(BUILD_ASAN) && LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 ctest --output-on-failure -j 2

# Every benchmark in one command: proxy load vs nginx and Portkey (rewrites its section of
# docs/BENCHMARKS.md), metered calls per second of three instances on one PostgreSQL (issue 12: credit leases),
# then the PII scan, JSON rewriter, privacy pass and metering micro-benchmarks and the worker stall on a 20 MiB
# body (printed; their sections in docs/BENCHMARKS.md quote these commands).
bench: build
	@bash bench/run.sh $(BUILD)
	@bash bench/bench_meter_pg.sh $(BUILD)
	cmake --build $(BUILD) --target bench_pii bench_json bench_meter bench_privacy
	$(BUILD)/bench_pii 32
	$(BUILD)/bench_json 200000
	$(BUILD)/bench_privacy 20000
	$(BUILD)/bench_meter pure
	node bench/scan_stall.mjs $(BUILD) 5

fuzz: fuzz-build leakfuzz

# libFuzzer targets (clang, ASan+UBSan) in build-fuzz/fuzz_<name>; run one with
#   build-fuzz/fuzz_<name> -artifact_prefix=build-fuzz/artifacts/ tests/fuzz/corpus/<name>
# FUZZ_SECONDS=N runs every target for N seconds on a copy of its seed corpus (CI: 5); what libFuzzer writes about
# an input (crash-*, leak-*, timeout-*, slow-unit-*) goes to build-fuzz/artifacts/<name>-*, not the checkout.
FUZZ_SECONDS ?= 0
fuzz-build: deps
	CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAIGW_FUZZ=ON -DAIGW_SANITIZE=ON
	cmake --build build-fuzz -j $(JOBS)
	@if [ "$(FUZZ_SECONDS)" -gt 0 ]; then \
	  mkdir -p build-fuzz/artifacts; \
	  for t in build-fuzz/fuzz_*; do \
	    n=$$(basename $$t | sed 's/^fuzz_//'); tmp=$$(mktemp -d); cp -r tests/fuzz/corpus/$$n/. $$tmp/ 2>/dev/null || true; \
	    echo "fuzz $$n: $(FUZZ_SECONDS) s"; \
	    $$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=0 -artifact_prefix=build-fuzz/artifacts/$$n- $$tmp >$$tmp.log 2>&1 || { tail -40 $$tmp.log; rm -rf $$tmp $$tmp.log; exit 1; }; \
	    rm -rf $$tmp $$tmp.log; \
	  done; \
	fi

# The leak fuzzer with a random seed and more requests than `make test` runs (the seed is printed;
# rerun one with LEAKFUZZ_SEED=<seed>). LEAKFUZZ_N=... for a longer run.
LEAKFUZZ_N ?= 20000
leakfuzz: build
	cd tests/integration && AIGW_BIN=$(CURDIR)/$(BUILD)/aigw LEAKFUZZ_SEED=$${LEAKFUZZ_SEED:-random} \
		LEAKFUZZ_N=$(LEAKFUZZ_N) node --test leakfuzz.test.mjs

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) build-fuzz
