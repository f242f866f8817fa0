# CUDA build rules, included by the Makefile. nvcc is optional: without it the CPU
# build is complete and the GPU targets say why they skip.
NVCC ?= $(shell command -v nvcc 2>/dev/null || ls /usr/local/cuda/bin/nvcc 2>/dev/null)

.PHONY: test-cuda-compile

# Every physics header through nvcc, as the CUDA kernels see them (no GPU needed).
test-cuda-compile:
	@if [ -n "$(NVCC)" ]; then \
	  mkdir -p $(BUILD) && \
	  $(NVCC) -std=c++17 -Iinclude -arch=sm_90 -c kernels/physics_headers_check.cu \
	    -o $(BUILD)/physics_headers_check.o && \
	  echo "nvcc: every physics header compiles for the device (sm_90)"; \
	else echo "SKIP nvcc device compile of the physics headers: nvcc not found"; fi
