# CUDA build rules, included by the Makefile. nvcc is optional: without it the CPU
# build is complete and the GPU targets say why they skip.
#
# With nvcc: build/mue, the test programs and bench_cpu link the CUDA backend
# (kernels/gpu_backend.cu, cudart static) as the GPU entry of the backend table (without
# a GPU at run time they say so and use the CPU). build/mue-cpu is always built: the
# same objects with the stub entry (host/gpu_none.c) instead, so the CPU-only build
# stays buildable. Nothing else differs between the two: no object is compiled twice.
NVCC ?= $(shell command -v nvcc 2>/dev/null || ls /usr/local/cuda/bin/nvcc 2>/dev/null)
CUDA_HOME ?= $(patsubst %/bin/nvcc,%,$(NVCC))
# sm_80 (A100) and sm_90 (H100/H200) machine code, plus compute_90 PTX that newer GPUs JIT
CUDA_ARCH ?= -gencode arch=compute_80,code=sm_80 -gencode arch=compute_90,code=sm_90 \
             -gencode arch=compute_90,code=compute_90
# extra defines for the kernels, e.g. GPU_DEFS="-DMUE_GPU_MIN_BLOCKS=1 -DMUE_GPU_MIN_BLOCKS_HIST=1"
GPU_DEFS ?=
# --fmad=false: no fused multiply-add, as the host's -ffp-contract=off, so GPU and CPU
# round the same way (only the math library's last bits differ)
NVCCFLAGS ?= -O3
NVCCFLAGS += -std=c++17 --fmad=false -Xcompiler -ffp-contract=off -Xcompiler -fPIC -Iinclude -Ihost \
             $(CUDA_ARCH) $(GPU_DEFS) $(MUE_DEFS)
CUDA_LIBS = -L$(CUDA_HOME)/lib64 -lcudart_static -lstdc++ -ldl -lpthread -lrt
CPU_LDLIBS := $(LDLIBS)
NONE_OBJ := $(GPU_OBJ)
KERNEL_HEADERS = $(wildcard kernels/*.cuh)

.PHONY: gpu-carry test-cuda-compile test-gpu test-gpu-skip-note test-gpu-emu test-gpu-emu-quick bench-gpu bench-gpu-if-present

all: $(BUILD)/mue-cpu
bench: bench-gpu-if-present

# Every physics header through nvcc, as the CUDA kernels see them (no GPU needed).
test-cuda-compile:
	@if [ -n "$(NVCC)" ]; then \
	  mkdir -p $(BUILD) && \
	  $(NVCC) -std=c++17 -Iinclude -Ihost -arch=sm_90 -c kernels/physics_headers_check.cu \
	    -o $(BUILD)/physics_headers_check.o && \
	  echo "nvcc: every physics header compiles for the device (sm_90)"; \
	else echo "SKIP nvcc device compile of the physics headers: nvcc not found"; fi

# For `make test`: the GPU tests are never part of it; this says so and why.
test-gpu-skip-note:
	@if [ -z "$(NVCC)" ]; then \
	  echo "SKIP GPU parity and determinism tests: nvcc not found, CPU-only build"; \
	  echo "SKIP cuRAND layout test (cuRAND against Random123 on the host): nvcc not found"; \
	else \
	  gpu=$$(nvidia-smi -L 2>/dev/null | head -n 1); \
	  echo "SKIP GPU parity and determinism tests: make test only compiles the CUDA code;" \
	    "run make test-gpu on a machine with a CUDA GPU (this one: $${gpu:-no GPU found})"; \
	fi

# The kernels on CPU threads, no GPU or nvcc needed (tests/gpu_emulation.cpp): sums
# against the CPU backend, warp synchronisation, and under the sanitizers no data race
# in shared memory (thread) and no access out of bounds (address, undefined).
EMU_FLAGS = -std=c++20 -O1 -g -ffp-contract=off -fno-math-errno -Wall -Wextra -Iinclude -Ihost
EMU_OBJ   = $(BUILD)/obj/vegas/vegas.o $(BUILD)/obj/vegas/schedule.o $(BUILD)/obj/backends/cpu_backend.o \
            $(BUILD)/obj/vegas/iteration.o $(BUILD)/obj/backends/cpu_generate.o \
            $(BUILD)/obj/backends/gen_batch.o $(BUILD)/obj/util/threads.o
EMU_DEPS  = tests/gpu_emulation.cpp $(KERNEL_HEADERS) $(EMU_OBJ) $(wildcard include/mue/*.h host/*/*.h)

$(BUILD)/gpu_emulation_tsan: $(EMU_DEPS)
	$(CXX) $(EMU_FLAGS) -fsanitize=thread $< $(EMU_OBJ) -o $@ -fopenmp -lgsl -lgslcblas -lm
$(BUILD)/gpu_emulation_asan: $(EMU_DEPS)
	$(CXX) $(EMU_FLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all $< $(EMU_OBJ) -o $@ \
	  -fopenmp -lgsl -lgslcblas -lm

$(BUILD)/gpu_emulation: $(EMU_DEPS)
	$(CXX) $(subst -O1,-O2,$(EMU_FLAGS)) $< $(EMU_OBJ) -o $@ -fopenmp -lgsl -lgslcblas -lm

# The same without sanitizers, a few seconds: fit for `make test`.
test-gpu-emu-quick: deps
	@$(MAKE) --no-print-directory $(BUILD)/gpu_emulation
	$(BUILD)/gpu_emulation --quick

test-gpu-emu: deps
	@$(MAKE) --no-print-directory $(BUILD)/gpu_emulation_asan $(BUILD)/gpu_emulation_tsan
	$(BUILD)/gpu_emulation_asan
	TSAN_OPTIONS=exitcode=66 $(BUILD)/gpu_emulation_tsan --quick

ifneq ($(NVCC),)

GPU_OBJ = $(BUILD)/obj/backends/gpu_backend.o

$(GPU_OBJ): kernels/gpu_backend.cu $(KERNEL_HEADERS) cuda.mk
	@mkdir -p $(@D)
	$(NVCC) $(NVCCFLAGS) -MMD -MP -c $< -o $@

LDLIBS += $(CUDA_LIBS)

$(BUILD)/mue-cpu: $(CMD_OBJ) $(HOST_OBJ) $(NONE_OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $^ -o $@ $(CPU_LDLIBS)

# GPU parity (weights, iterations, histograms vs the CPU) and determinism.
$(BUILD)/test_gpu_parity: tests/test_gpu_parity.cu tests/libm_ulp.c tests/libm_ulp.h $(HOST_OBJ) \
                          $(GPU_OBJ)
	@mkdir -p $(@D)
	$(NVCC) $(NVCCFLAGS) -Itests -c $< -o $@.o
	$(CC) $(ALL_CFLAGS) -Itests -c tests/libm_ulp.c -o $@-ulp.o
	$(CC) $(ALL_CFLAGS) $@.o $@-ulp.o $(HOST_OBJ) $(GPU_OBJ) -o $@ $(LDFLAGS) $(LDLIBS)

test-gpu: deps
	@$(MAKE) --no-print-directory $(BUILD)/test_gpu_parity
	$(BUILD)/test_gpu_parity

# cuRAND's device API and the kernels' draw compiled for the host, against Random123 bit
# for bit (no GPU needed): one of the programs `make test` runs.
CUDA_TESTS = $(BUILD)/tests/test_curand_layout
# What a GPU run needs built, and nothing here runs: `make test` links them so that they
# follow the library's interfaces (both had stopped linking unnoticed, which would have
# cost a lent GPU's time)
GPU_PROGRAMS = $(BUILD)/test_gpu_parity $(BUILD)/bench_gpu
$(BUILD)/tests/test_curand_layout: tests/test_curand_layout.cu tests/rng_reference.c $(KERNEL_HEADERS)
	@mkdir -p $(@D)
	$(NVCC) $(NVCCFLAGS) -c $< -o $@.o
	$(CC) $(ALL_CFLAGS) -c tests/rng_reference.c -o $@-ref.o
	$(CC) $(ALL_CFLAGS) $@.o $@-ref.o -o $@ $(LDFLAGS) -lcmocka $(CUDA_LIBS)

$(BUILD)/bench_gpu: bench/bench_gpu.c bench/machine.h $(HOST_OBJ) $(GPU_OBJ)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $< $(HOST_OBJ) $(GPU_OBJ) -o $@ $(LDFLAGS) $(LDLIBS)

# Writes bench/results/gpu-<device>.json; prints SKIP without a GPU.
bench-gpu: deps
	@$(MAKE) --no-print-directory $(BUILD)/bench_gpu
	$(BUILD)/bench_gpu bench/results

# What a lent GPU machine needs to run tools/gpu_check.sh without building (it has no
# GSL, cmocka or Random123): the programs, register-budget variants of mue (N resident
# blocks of 256 threads per SM, N in GPU_CARRY_MIN_BLOCKS, histogram kernel at most 2;
# each built in a directory of its own; the default is 3, and 2 with histograms:
# kernels/gpu_kernels.cuh) and the shared libraries they load, in build/gpu-carry.
# Hand that folder to the machine with the checkout.
GPU_CARRY = $(BUILD)/gpu-carry
GPU_CARRY_MIN_BLOCKS = 1 2 4
gpu-carry: deps
	$(MAKE) --no-print-directory all $(BUILD)/test_gpu_parity $(BUILD)/bench_gpu
	for n in $(GPU_CARRY_MIN_BLOCKS); do \
	  h=$$n; [ $$n -gt 2 ] && h=2; \
	  $(MAKE) --no-print-directory BUILD=$(BUILD)/minblocks$$n \
	    GPU_DEFS="-DMUE_GPU_MIN_BLOCKS=$$n -DMUE_GPU_MIN_BLOCKS_HIST=$$h" $(BUILD)/minblocks$$n/mue || exit 1; \
	done
	rm -rf $(GPU_CARRY) && mkdir -p $(GPU_CARRY)/bin $(GPU_CARRY)/lib
	cp $(BUILD)/mue $(BUILD)/mue-cpu $(BUILD)/test_gpu_parity $(BUILD)/bench_gpu $(GPU_CARRY)/bin/
	for n in $(GPU_CARRY_MIN_BLOCKS); do cp $(BUILD)/minblocks$$n/mue $(GPU_CARRY)/bin/mue-minblocks$$n; done
	ldd $(GPU_CARRY)/bin/* | awk '$$3 ~ /^\// && $$1 ~ /^lib(gsl|gslcblas|gomp|jansson)\./ {print $$3}' | \
	  sort -u | xargs -I{} cp -L {} $(GPU_CARRY)/lib/
	@du -sh $(GPU_CARRY); ls $(GPU_CARRY)/lib

bench-gpu-if-present: deps
	@$(MAKE) --no-print-directory $(BUILD)/bench_gpu
	@if $(BUILD)/bench_gpu --probe >/dev/null 2>&1; then $(BUILD)/bench_gpu bench/results; \
	else echo "SKIP GPU benchmark: $$($(BUILD)/bench_gpu --probe 2>&1)"; fi

else

$(BUILD)/mue-cpu: $(BUILD)/mue
	cp $< $@

test-gpu:
	@echo "SKIP test-gpu: nvcc not found, CPU-only build (no CUDA backend to test)"

bench-gpu bench-gpu-if-present:
	@echo "SKIP GPU benchmark: nvcc not found, CPU-only build"

gpu-carry:
	@echo "gpu-carry: nvcc not found, nothing to carry to a GPU machine" >&2; exit 1

endif
