# mue: build, test, run, benchmark.  `make run` and `make test` are the README's two commands.
CC      ?= gcc
# -ffp-contract=off: no fused multiply-add, so results do not depend on the CPU's
# instruction set (and the GPU path can be built to round the same way).
OPT     ?= -O3
CFLAGS  += $(OPT) -std=gnu11 -Wall -Wextra -ffp-contract=off -fno-math-errno -fopenmp -Iinclude -Ihost
LDLIBS  = -lgsl -lgslcblas -ljansson -lz -lpthread -lm
BUILD   = build

# the library (everything but the commands) and the commands, one file each
HOST_SRC = host/vegas.c host/iteration.c host/backend.c host/cpu_backend.c host/process_table.c \
           host/integrate.c host/grid_file.c host/units.c host/output.c host/cli.c host/scan.c \
           host/g2.c host/kinematic_limits.c host/elastic_quad.c host/detector_config.c
CMD_SRC  = host/main.c host/cmd_integrate.c host/cmd_g2.c host/cmd_scan.c host/cmd_kinematics.c \
           host/cmd_backgrounds.c
# events (mue generate): the driver, the CPU batches, the writer thread and the formats
HOST_SRC += host/generate.c host/gen_batch.c host/cpu_generate.c host/event_writer.c host/evfile.c \
            host/lhef.c host/hepmc3_writer.c host/numfmt.c
CMD_SRC  += host/cmd_generate.c
# the communicator (one process here; MPI in mue-mpi, mpi.mk), what the ranks share of
# an iteration, checkpoints
HOST_SRC += host/comm.c host/dist_iteration.c host/checkpoint.c
HOST_OBJ = $(HOST_SRC:host/%.c=$(BUILD)/obj/%.o)
CMD_OBJ  = $(CMD_SRC:host/%.c=$(BUILD)/obj/%.o)
# the GPU entry of the backend table: the CUDA backend where nvcc is (cuda.mk), else a
# stub that says the build has none
GPU_OBJ  = $(BUILD)/obj/gpu_none.o
HEADERS  = $(wildcard include/mue/*.h host/*.h)
TESTS    = $(patsubst tests/%.c,$(BUILD)/tests/%,$(wildcard tests/test_*.c))

DEBIAN_PKGS = gcc g++ make libgsl-dev librandom123-dev libcmocka-dev libjansson-dev zlib1g-dev

.PHONY: all deps run test test-asan bench bench-generate clean

# The CUDA side (nvcc found or not) lives in its own file; it may set GPU_OBJ, which
# the rules below use.
include cuda.mk
# The MPI side (mpicc found or not): `make mpi`, build/mue-mpi; sets MPI_BIN.
include mpi.mk

all: $(BUILD)/mue

$(BUILD)/obj/%.o: host/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/mue: $(CMD_OBJ) $(HOST_OBJ) $(GPU_OBJ)
	$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS)

$(BUILD)/tests/%: tests/%.c $(HOST_OBJ) $(GPU_OBJ) $(HEADERS) $(wildcard tests/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests $< $(HOST_OBJ) $(GPU_OBJ) -o $@ $(LDLIBS) -lcmocka

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
	$(BUILD)/mue integrate --process zprime --mass 10MeV --coupling 5e-4 --rel-error 1e-3 --quiet
	$(BUILD)/mue integrate --process zprime --mass 100MeV --coupling 1e-3 --rel-error 1e-3 --quiet

# CPU tests, cuRAND against Random123 on the host, the nvcc compile of the physics
# headers, the GPU kernels emulated on CPU threads; the GPU itself only with
# `make test-gpu` (cuda.mk). The CPU benchmark is built too (not run), so that it
# follows the library's interfaces.
test: deps venv
	$(MAKE) all $(TESTS) $(CUDA_TESTS) $(BUILD)/bench_cpu $(BUILD)/bench_generate $(MPI_BIN)
	$(MAKE) test-cuda-compile test-gpu-skip-note test-gpu-emu-quick
	@sh tests/run_all.sh $(TESTS) $(CUDA_TESTS)

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

# The CPU benchmark, then mue against Lepage's vegas (PyPI, in build/venv) on the same
# compiled integrand (tools/bench_peer.py), both into bench/results/cpu-<host>.json.
bench: deps venv-bench
	$(MAKE) all $(BUILD)/bench_cpu $(BUILD)/libmue_peer.so
	@out=$$($(BUILD)/bench_cpu bench/results) || exit 1; echo "$$out"; \
	  path=$$(echo "$$out" | sed -n 's/^wrote //p'); \
	  $(VENV)/bin/python tools/bench_peer.py --mue $(BUILD)/mue-cpu --lib $(BUILD)/libmue_peer.so \
	    --results "$$path"

$(BUILD)/bench_cpu: bench/bench_cpu.c bench/machine.h $(HOST_OBJ) $(GPU_OBJ) $(HEADERS)
	$(CC) $(CFLAGS) $< $(HOST_OBJ) $(GPU_OBJ) -o $@ $(LDLIBS)

# Event throughput of mue generate (bench/results/generate-<host>.json).
$(BUILD)/bench_generate: bench/bench_generate.c bench/machine.h $(HOST_OBJ) $(GPU_OBJ) $(HEADERS)
	$(CC) $(CFLAGS) $< $(HOST_OBJ) $(GPU_OBJ) -o $@ $(LDLIBS)

bench-generate: deps
	$(MAKE) $(BUILD)/bench_generate
	$(BUILD)/bench_generate bench/results

# mue's integrand as a shared library with a batch entry, for the peer (bench_peer.py)
$(BUILD)/libmue_peer.so: bench/peer_integrand.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -shared -fPIC $< -o $@ -lm

clean:
	rm -rf $(BUILD)


# Python for the plots (tools/figures.py, matplotlib) and for reading event files back
# as users do in test_generate (pylhe for LHEF, pyhepmc for HepMC3): build/venv from
# PyPI. The C program never needs Python. On a fresh Debian, `python3 -m venv` needs the
# python3-venv package: installed here with apt-get when we are root (or have sudo).
PYTHON ?= python3
VENV    = $(BUILD)/venv

.PHONY: venv venv-bench figures

venv:
	@if ! $(VENV)/bin/python -c 'import matplotlib, pylhe, pyhepmc' >/dev/null 2>&1; then \
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
	  echo "venv: pip install matplotlib pylhe pyhepmc into $(VENV)"; \
	  $(VENV)/bin/python -m pip install -q --disable-pip-version-check matplotlib pylhe pyhepmc || exit 1; \
	fi

# Lepage's vegas (and numpy) for `make bench`, into the same venv.
venv-bench: venv
	@$(VENV)/bin/python -c 'import vegas' >/dev/null 2>&1 || { \
	  echo "venv: pip install vegas into $(VENV)"; \
	  $(VENV)/bin/python -m pip install -q --disable-pip-version-check vegas || exit 1; }

# Paper Figs. 1-3 and the paper-vs-mue numbers table, all regenerated, into figures/.
figures: all venv
	$(VENV)/bin/python tools/figures.py --mue $(BUILD)/mue --out figures
