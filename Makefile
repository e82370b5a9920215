# Two commands for a newcomer on a fresh Debian machine (root, Debian packages and PyPI reachable):
#   make demo   — the main job on the embedded default data
#   make test   — every test (C++ GoogleTest + consumer builds, Python pytest)
# Both install what they need first (apt-get, then a virtual environment in .venv), quietly when it is
# already there. Everything builds in one place: build/cpp (C++ tests and benchmarks) and
# build/python (the Python extension), both through ccache.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BUILD := build
JOBS ?= $(shell nproc)

# chromium renders the HTML KPI report in tests/python/test_report_browser.py; fonts-wqy-microhei gives it and the
# report's charts Chinese glyphs. nodejs runs pyright (tests/python/test_typing.py; the pyright package brings
# pyright itself, not node).
APT_PACKAGES := g++ ccache libboost-dev libboost-date-time-dev libyaml-cpp-dev libgtest-dev libgmock-dev \
                libbenchmark-dev pybind11-dev nlohmann-json3-dev clang libclang-rt-14-dev \
                chromium fonts-wqy-microhei nodejs
PY_BUILD_PACKAGES := "scikit-build-core>=0.10" "pybind11>=2.10" "cmake>=3.16" ninja
PY_TEST_PACKAGES := "pytest>=7" "hypothesis>=6" "numpy>=1.22" "pandas>=2" "jsonschema>=4.18" "pyyaml>=6" \
                    "dask[dataframe,distributed]>=2023.1" "matplotlib>=3.6" \
                    "nbclient>=0.7" "nbformat>=5.7" "ipykernel>=6" \
                    "lunar-python>=1.4" "lunardate>=0.2" "ephem>=4.1" \
                    "mypy>=1.10" "pyright>=1.1.400" "pandas-stubs>=2"

CMAKE := $(VENV)/bin/cmake
CTEST := $(VENV)/bin/ctest
export CMAKE_CXX_COMPILER_LAUNCHER := ccache
export CCACHE_BASEDIR := $(CURDIR)
# The sanitizer builds compile with -g, and ccache then hashes the build directory too: without this a
# checkout in another place (a fresh clone, a worktree) recompiles them from nothing.
export CCACHE_NOHASHDIR := 1

.PHONY: demo test deps system-deps python-deps cpp-build cpp-test python-install python-test \
        benchmark benchmark-deps benchmark-docs sanitize-build test-sanitize tsan-build test-tsan fuzz fuzz-smoke format \
        requirements clean

# The demo speaks the locale's language (LANG=zh_CN.UTF-8 → Chinese, else English); DEMO_LANG=zh or en chooses.
DEMO_LANG ?=
demo: python-install
	$(VENV)/bin/kefu demo $(if $(DEMO_LANG),--lang $(DEMO_LANG)) --html $(BUILD)/demo/kpi-report.html

test: cpp-test python-test test-sanitize test-tsan fuzz-smoke

deps: system-deps python-deps

system-deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "apt-get install$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

python-deps: $(VENV)/bin/python
	@$(VENV)/bin/python -m pip install -q --disable-pip-version-check $(PY_BUILD_PACKAGES) $(PY_TEST_PACKAGES)

cpp-build: deps
	@$(CMAKE) -S . -B $(BUILD)/cpp -G Ninja -DKEFU_WARNINGS_AS_ERRORS=ON >/dev/null
	$(CMAKE) --build $(BUILD)/cpp -j $(JOBS)

cpp-test: cpp-build
	$(CTEST) --test-dir $(BUILD)/cpp --output-on-failure -j $(JOBS)

python-install: deps
	$(VENV)/bin/python -m pip install -q --disable-pip-version-check --no-build-isolation \
	  --config-settings=build-dir=$(BUILD)/python .

# Hypothesis tests run derandomized with printed reproduction blobs and a loaded-machine deadline
# (tests/python/conftest.py); KEFU_HYPOTHESIS_PROFILE=dev gives random examples.
KEFU_HYPOTHESIS_PROFILE ?= ci
python-test: python-install
	KEFU_HYPOTHESIS_PROFILE=$(KEFU_HYPOTHESIS_PROFILE) $(VENV)/bin/python -m pytest -q tests/python

benchmark: cpp-build
	$(BUILD)/cpp/benchmarks/kefu_bench_core

# The peers the benchmark scripts compare kefu with: QuantLib (C++, for build/cpp/benchmarks/kefu_bench_quantlib)
# and the PyPI packages of benchmarks/requirements.txt.
BENCH_APT_PACKAGES := libquantlib0-dev

benchmark-deps: deps
	@missing=""; for p in $(BENCH_APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "apt-get install$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	@$(VENV)/bin/python -m pip install -q --disable-pip-version-check -r benchmarks/requirements.txt

# docs/performance.md, all of it, from one run of every benchmark script (benchmarks/all.py). The builds come
# after benchmark-deps so that CMake finds QuantLib. BENCH_ARGS="--wait-for-load 2.5" waits for a quiet machine.
benchmark-docs: benchmark-deps
	$(MAKE) --no-print-directory cpp-build python-install
	$(VENV)/bin/python benchmarks/all.py $(BENCH_ARGS)

# The second build: clang 14 with AddressSanitizer + UndefinedBehaviorSanitizer and libFuzzer coverage
# (build/asan). It proves kefu builds with clang as well as GCC, runs the GoogleTest suite under the
# sanitizers, and holds the fuzz targets (fuzz/, docs/reliability.md).
SAN_BUILD := $(BUILD)/asan
SAN_FLAGS := -fsanitize=address,undefined,fuzzer-no-link -fno-sanitize-recover=all -fno-omit-frame-pointer -g -O1
FUZZ_SECONDS ?= 60

sanitize-build: deps
	@$(CMAKE) -S . -B $(SAN_BUILD) -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=None \
	  -DCMAKE_CXX_FLAGS="$(SAN_FLAGS)" -DKEFU_BUILD_BENCHMARKS=OFF -DKEFU_INSTALL=OFF -DKEFU_BUILD_FUZZERS=ON >/dev/null
	$(CMAKE) --build $(SAN_BUILD) -j $(JOBS) --target kefu_tests fuzz_policy fuzz_calendar fuzz_notice fuzz_values \
	  fuzz_snapshot fuzz_kpi_files fuzz_kpi_partial fuzz_suite

# GoogleTest under ASan + UBSan (clang).
test-sanitize: sanitize-build
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 $(SAN_BUILD)/tests/kefu_tests --gtest_brief=1

# The third build: clang 14 with ThreadSanitizer (build/tsan), the GoogleTest suite only. Every test runs
# under TSan, the thread stress test (tests/cpp/test_thread_stress.cpp) KEFU_STRESS rounds (1 in the other
# builds); the first report (a data race, a lock-order inversion, a thread leak) stops the run and fails it
# (docs/reliability.md, "Threads and TSan"). No suppressions are needed.
TSAN_BUILD := $(BUILD)/tsan
TSAN_FLAGS := -fsanitize=thread -fno-omit-frame-pointer -g -O1
KEFU_STRESS ?= 10

tsan-build: deps
	@$(CMAKE) -S . -B $(TSAN_BUILD) -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=None \
	  -DCMAKE_CXX_FLAGS="$(TSAN_FLAGS)" -DKEFU_BUILD_BENCHMARKS=OFF -DKEFU_INSTALL=OFF >/dev/null
	$(CMAKE) --build $(TSAN_BUILD) -j $(JOBS) --target kefu_tests

# GoogleTest under TSan (clang), part of make test.
test-tsan: tsan-build
	KEFU_STRESS=$(KEFU_STRESS) TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
	  $(TSAN_BUILD)/tests/kefu_tests --gtest_brief=1

# Every fuzz target for a few seconds on the committed seeds (part of `make test`).
fuzz-smoke: sanitize-build
	bash fuzz/run.sh $(SAN_BUILD) 2

# Long fuzzing runs: make fuzz FUZZ_SECONDS=1800
fuzz: sanitize-build
	bash fuzz/run.sh $(SAN_BUILD) $(FUZZ_SECONDS)

# docs/requirements.md from docs/requirements.yaml and the DOM-… citations in rules/ and tests/ (checked by make test).
requirements: python-deps
	$(VENV)/bin/python tools/gen_requirements.py

format:
	clang-format -i $$(git ls-files '*.hpp' '*.cpp')

clean:
	rm -rf $(BUILD)
