# amlgraph — the two commands that matter: `make demo` and `make test`.
SWIFT      ?= swift
PY         := .venv/bin/python
DEBUG_BIN  := .build/debug/amlgraph
RELEASE_BIN := .build/release/amlgraph
DATA       := datasets/small
LAKE       := lake

.PHONY: setup build build-debug demo test test-swift test-kernels test-consumer test-interop bench bench-100m amlsim clean

setup:
	@scripts/setup.sh

build: setup
	$(SWIFT) build -c release --product amlgraph

build-debug: setup
	$(SWIFT) build

demo: build
	@scripts/demo.sh $(RELEASE_BIN) $(DATA) $(LAKE)

# Unit tests run in debug (where traps catch overflow and bounds errors); the numerical suites
# then run once per OpenBLAS kernel the CPU has; the interop and CLI suites run the release
# binary, which is what users run; a consumer package builds amlgraph as a versioned dependency.
test: setup test-swift test-kernels test-interop test-spark test-consumer

test-swift:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

test-kernels:
	scripts/openblas_kernels.sh

test-interop:
	$(SWIFT) build -c release --product amlgraph
	AMLGRAPH_BIN=$(CURDIR)/$(RELEASE_BIN) $(PY) -m pytest -q Tests/interop Tests/cli

test-consumer:
	scripts/consumer_package_test.sh

# --engine spark against a real local Spark Connect server (pyspark's jars, Java 17), started
# once for the suite and stopped at its end by scripts/spark_connect_server.sh.
test-spark:
	$(SWIFT) build -c release --product amlgraph
	AMLGRAPH_BIN=$(CURDIR)/$(RELEASE_BIN) $(PY) -m pytest -q Tests/spark

# Graph workloads (run.py), then the standalone Parquet/Delta/motif/matrix benches (extras.py), then
# both README tables. BENCH_QUICK=1 make bench: tiny sizes into bench/results/quick/, README untouched.
bench: build
	$(PY) bench/run.py
	$(PY) bench/extras.py
	$(PY) bench/spark_bench.py --sizes $${SPARK_BENCH_SIZES:-100k/500k}
	$(PY) bench/update_readme.py

# The whole pipeline on 100M payments (issue 14's on-request row): about 12 GB of generated CSV
# and a long run; one run, under the shared build lock, into bench/results/100m/.
bench-100m: build
	flock /tmp/amlgraph-build.lock $(PY) bench/run.py --only pipeline --sizes 10M/100M --runs 1 --out bench/results/100m

# The external check: IBM AMLSim's public samples converted, run through the pipeline and graded
# against their fraud accounts (see scripts/amlsim_eval.sh; never tune on them).
amlsim: build
	@scripts/amlsim_eval.sh $(RELEASE_BIN) /work/shared/data/amlsim

clean:
	rm -rf .build out lake
