# mue: build, test, run, benchmark.  `make run` and `make test` are the README's two commands.
#
# host/ is layered, one folder per layer, each including only the ones below it
# (tests/test_layers.py checks it): cli -> api -> run -> {events, backends, vegas,
# physics1d} -> util, and backends -> vegas. Everything but cli/ is the library
# (libmue.a, libmue.so); the commands are a thin client of its header include/mue.h.
CC      ?= gcc
# -ffp-contract=off: no fused multiply-add, so results do not depend on the CPU's
# instruction set (and the GPU path can be built to round the same way). -fPIC: one set
# of objects serves the programs, libmue.a and libmue.so.
OPT     ?= -O3
# The flags mue needs; CFLAGS, CPPFLAGS and LDFLAGS given on the command line add to
# them (`make CFLAGS=-I/opt/x`), never replace them.
MUE_CFLAGS = -std=gnu11 -Wall -Wextra -ffp-contract=off -fno-math-errno -fopenmp -fPIC \
             -fno-semantic-interposition -Iinclude -Ihost $(MUE_DEFS)
ALL_CFLAGS = $(OPT) $(MUE_CFLAGS) $(CPPFLAGS) $(CFLAGS)
LDLIBS  = -lgsl -lgslcblas -ljansson -ldeflate -lz -lpthread -lm
BUILD   = build
# the version, the commit the build comes from (host/util/version.c)
VERSION = 0.2.0

# the library: every layer but the commands (MPI's communicator only in mue-mpi, mpi.mk;
# the GPU entry of the backend table below)
LIB_DIRS = util physics1d vegas backends events run api
LIB_SRC  = $(filter-out host/vegas/mpi_comm.c host/backends/gpu_none.c, \
             $(foreach d,$(LIB_DIRS),$(wildcard host/$(d)/*.c)))
CLI_SRC  = $(filter-out host/cli/mpi_main.c,$(wildcard host/cli/*.c))
LIB_OBJ  = $(LIB_SRC:host/%.c=$(BUILD)/obj/%.o)
CLI_OBJ  = $(CLI_SRC:host/%.c=$(BUILD)/obj/%.o)
# old names, used by cuda.mk, mpi.mk and the benchmarks
HOST_OBJ = $(LIB_OBJ)
CMD_OBJ  = $(CLI_OBJ)
# the GPU entry of the backend table: the CUDA backend where nvcc is (cuda.mk), else a
# stub that says the build has none
GPU_OBJ  = $(BUILD)/obj/backends/gpu_none.o
TESTS    = $(patsubst tests/%.c,$(BUILD)/tests/%,$(wildcard tests/test_*.c))
TEST_HEADERS = $(wildcard tests/*.h)

DEBIAN_PKGS = gcc g++ make pkg-config libgsl-dev librandom123-dev libcmocka-dev libjansson-dev \
              zlib1g-dev libdeflate-dev

.PHONY: all deps run test test-asan fuzz-hunt bench bench-generate clean lib install

# The CUDA side (nvcc found or not) lives in its own file; it may set GPU_OBJ, which
# the rules below use.
include cuda.mk
# The MPI side (mpicc found or not): `make mpi`, build/mue-mpi; sets MPI_BIN.
include mpi.mk
# libmue.a, libmue.so, mue.pc, `make install` and the C example.
include lib.mk

all: $(BUILD)/mue lib

# header dependencies from the compiler (-MMD): an object depends on what it includes
$(BUILD)/obj/%.o: host/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/util/version.o: MUE_DEFS += -DMUE_VERSION_NUMBER='"$(VERSION)"' \
                                         -DMUE_COMMIT='"$(shell cat $(BUILD)/commit 2>/dev/null)"'
$(BUILD)/obj/util/version.o: $(BUILD)/commit
# the commit, rewritten only when it changes (so version.o is rebuilt only then)
.PHONY: FORCE
$(BUILD)/commit: FORCE
	@mkdir -p $(@D)
	@c=$$(git describe --always --dirty --abbrev=12 2>/dev/null || echo unknown); \
	  [ "$$(cat $@ 2>/dev/null)" = "$$c" ] || echo "$$c" > $@

$(BUILD)/mue: $(CLI_OBJ) $(LIB_OBJ) $(GPU_OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS)

$(BUILD)/tests/%: tests/%.c $(LIB_OBJ) $(GPU_OBJ) $(TEST_HEADERS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -Itests $< $(LIB_OBJ) $(GPU_OBJ) -o $@ $(LDFLAGS) $(LDLIBS) -lcmocka

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# Installs the Debian packages that are missing (needs root, or sudo).
deps:
	@missing=$$(for p in $(DEBIAN_PKGS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

# Both benchmark points of the paper, cuts (i)+(ii), 15 fb^-1.
run: deps
	$(MAKE) all
	$(BUILD)/mue integrate --process zprime --mass 10MeV --coupling 5e-4 --rel-error 2e-4 --quiet
	$(BUILD)/mue integrate --process zprime --mass 100MeV --coupling 1e-3 --rel-error 2e-4 --quiet

# CPU tests, cuRAND against Random123 on the host, the nvcc compile of the physics
# headers, the GPU kernels emulated on CPU threads, the library (installed, with the C
# example against it), the Python package and the JSON schemas (pytest); the GPU itself
# only with `make test-gpu` (cuda.mk). The CPU benchmark, and with nvcc the GPU parity
# test and benchmark, are built too (not run), so that they follow the library's
# interfaces.
test: deps venv
	$(MAKE) all $(TESTS) $(CUDA_TESTS) $(GPU_PROGRAMS) $(BUILD)/bench_cpu $(BUILD)/bench_generate \
	  $(MPI_BIN) $(TESTPROC_BIN)
	$(MAKE) test-cuda-compile test-gpu-skip-note test-gpu-emu-quick test-install
	@sh tests/run_all.sh $(TESTS) $(CUDA_TESTS)
	$(MAKE) test-python

# The test programs and the CPU-only mue built with AddressSanitizer and
# UndefinedBehaviorSanitizer, in build/asan: any report (a leak included) fails the run.
# The fuzzing in test_fuzz then meets the sanitizers too. CI runs it after `make test`.
ASAN_OPT = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
test-asan: deps
	$(MAKE) --no-print-directory BUILD=$(BUILD)/asan NVCC= OPT="$(ASAN_OPT)" \
	  $(BUILD)/asan/mue $(patsubst $(BUILD)/%,$(BUILD)/asan/%,$(TESTS))
	cp $(BUILD)/asan/mue $(BUILD)/asan/mue-cpu
	@MUE_BIN=$(BUILD)/asan/mue-cpu ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	  UBSAN_OPTIONS=print_stacktrace=1 \
	  sh tests/run_all.sh $(patsubst $(BUILD)/%,$(BUILD)/asan/%,$(TESTS))

# The long fuzz hunt (not part of make test): 10^5 command lines and 10^4 mutated grids
# and checkpoints through the release build, then a tenth of that under the sanitizers.
# MUE_FUZZ_SEED picks another hunt. A crash it finds goes into test_fuzz's regressions.
FUZZ_SEED ?= 20261207
fuzz-hunt: deps
	$(MAKE) all $(BUILD)/tests/test_fuzz
	MUE_FUZZ_SEED=$(FUZZ_SEED) MUE_FUZZ_RUNS=100000 MUE_FUZZ_FILES=10000 MUE_FUZZ_STRINGS=1000000 \
	  $(BUILD)/tests/test_fuzz
	$(MAKE) --no-print-directory BUILD=$(BUILD)/asan NVCC= OPT="$(ASAN_OPT)" \
	  $(BUILD)/asan/mue $(BUILD)/asan/tests/test_fuzz
	cp $(BUILD)/asan/mue $(BUILD)/asan/mue-cpu
	MUE_BIN=$(BUILD)/asan/mue-cpu MUE_FUZZ_SEED=$$(($(FUZZ_SEED) + 1)) MUE_FUZZ_RUNS=10000 \
	  MUE_FUZZ_FILES=1000 ASAN_OPTIONS=detect_leaks=1 $(BUILD)/asan/tests/test_fuzz

# The CPU benchmark, then mue against Lepage's vegas (PyPI, in build/venv) on the same
# compiled integrand (tools/bench_peer.py), both into bench/results/cpu-<host>.json.
bench: deps venv-bench
	$(MAKE) all $(BUILD)/bench_cpu $(BUILD)/libmue_peer.so
	@out=$$($(BUILD)/bench_cpu bench/results) || exit 1; echo "$$out"; \
	  path=$$(echo "$$out" | sed -n 's/^wrote //p'); \
	  $(VENV)/bin/python tools/bench_peer.py --mue $(BUILD)/mue-cpu --lib $(BUILD)/libmue_peer.so \
	    --results "$$path"

$(BUILD)/bench_cpu: bench/bench_cpu.c bench/machine.h $(LIB_OBJ) $(GPU_OBJ)
	$(CC) $(ALL_CFLAGS) $< $(LIB_OBJ) $(GPU_OBJ) -o $@ $(LDFLAGS) $(LDLIBS)

# Event throughput of mue generate (bench/results/generate-<host>.json).
$(BUILD)/bench_generate: bench/bench_generate.c bench/machine.h $(LIB_OBJ) $(GPU_OBJ)
	$(CC) $(ALL_CFLAGS) $< $(LIB_OBJ) $(GPU_OBJ) -o $@ $(LDFLAGS) $(LDLIBS)

bench-generate: deps
	$(MAKE) $(BUILD)/bench_generate
	$(BUILD)/bench_generate bench/results

# mue's integrand as a shared library with a batch entry, for the peer (bench_peer.py)
$(BUILD)/libmue_peer.so: bench/peer_integrand.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -shared $< -o $@ $(LDFLAGS) -lm

clean:
	rm -rf $(BUILD)


# Python for the plots (tools/figures.py, matplotlib), for reading event files back as
# users do in test_generate (pylhe for LHEF, pyhepmc for HepMC3), and for the tests of
# the Python package and the JSON schemas (pytest, jsonschema, numpy): build/venv from
# PyPI. The C program never needs Python. On a fresh Debian, `python3 -m venv` needs the
# python3-venv package: installed here with apt-get when we are root (or have sudo).
PYTHON ?= python3
VENV    = $(BUILD)/venv
PY_PKGS = matplotlib pylhe pyhepmc pytest jsonschema numpy

.PHONY: venv venv-bench figures

venv:
	@if ! $(VENV)/bin/python -c 'import matplotlib, pylhe, pyhepmc, pytest, jsonschema' >/dev/null 2>&1; then \
	  if ! command -v $(PYTHON) >/dev/null 2>&1 || ! $(PYTHON) -m venv $(VENV) >/dev/null 2>&1; then \
	    rm -rf $(VENV); \
	    if [ "$$(id -u)" = 0 ]; then SUDO=; \
	    elif command -v sudo >/dev/null 2>&1; then SUDO=sudo; \
	    else echo "venv: '$(PYTHON) -m venv' failed; install python3 and python3-venv" >&2; exit 1; fi; \
	    echo "venv: installing python3 python3-venv with apt-get"; \
	    $$SUDO apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq python3 python3-venv >/dev/null && \
	    $(PYTHON) -m venv $(VENV) || exit 1; \
	  fi; \
	  echo "venv: pip install $(PY_PKGS) into $(VENV)"; \
	  $(VENV)/bin/python -m pip install -q --disable-pip-version-check $(PY_PKGS) || exit 1; \
	fi

# Lepage's vegas (and numpy) for `make bench`, into the same venv.
venv-bench: venv
	@$(VENV)/bin/python -c 'import vegas' >/dev/null 2>&1 || { \
	  echo "venv: pip install vegas into $(VENV)"; \
	  $(VENV)/bin/python -m pip install -q --disable-pip-version-check vegas || exit 1; }

# Paper Figs. 1-4 and the paper-vs-mue numbers table, all regenerated, into figures/.
figures: all venv
	$(VENV)/bin/python tools/figures.py --mue $(BUILD)/mue --out figures
