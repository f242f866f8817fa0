# MPI build rules, included by the Makefile. MPI is optional: without mpicc the
# default build and `make test` are complete, and the MPI tests say they skip.
#
# build/mue-mpi is the `mue` command run by every rank of an MPI job (host/cli/mpi_main.c:
# MPI set-up, then the command line of host/cli/cli.c with the job's communicator;
# host/vegas/mpi_comm.c: the collectives).
# Everything else is the library's objects as they are: the drivers call the
# communicator of host/comm.h, which is one process unless mpi_main installs MPI's.
MPICC  ?= $(shell command -v mpicc 2>/dev/null)
MPIRUN ?= $(shell command -v mpirun 2>/dev/null)
# OpenMPI from Debian (the library and headers, and mpirun)
MPI_PKGS = libopenmpi-dev openmpi-bin
MPI_OBJ  = $(BUILD)/obj/mpi/mpi_main.o $(BUILD)/obj/mpi/mpi_comm.o

.PHONY: mpi deps-mpi

# Installs OpenMPI where missing (root or sudo); CI runs it before `make test`.
deps-mpi:
	@missing=$$(for p in $(MPI_PKGS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

ifneq ($(MPICC),)

# what `make test` builds besides the rest: mue-mpi, for tests/test_mpi.c
MPI_BIN = $(BUILD)/mue-mpi

mpi: $(BUILD)/mue-mpi

$(BUILD)/obj/mpi/mpi_main.o: host/cli/mpi_main.c
	@mkdir -p $(@D)
	$(MPICC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/mpi/mpi_comm.o: host/vegas/mpi_comm.c
	@mkdir -p $(@D)
	$(MPICC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/mue-mpi: $(MPI_OBJ) $(filter-out $(BUILD)/obj/cli/main.o,$(CMD_OBJ)) $(HOST_OBJ) $(GPU_OBJ)
	$(MPICC) $(ALL_CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS)

else

MPI_BIN =

mpi:
	@echo "mpi: mpicc not found; 'make deps-mpi' installs OpenMPI ($(MPI_PKGS))" >&2; exit 1

endif

# Scaling on this machine: 1, 2, 4 ranks -> bench/results/mpi-<host>.json (bench/bench_mpi.sh)
.PHONY: bench-mpi
bench-mpi: deps
	$(MAKE) --no-print-directory all $(MPI_BIN)
	sh bench/bench_mpi.sh bench/results
