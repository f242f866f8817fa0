# The library, included by the Makefile: libmue.a and libmue.so from the objects of
# every layer but the commands, mue.pc for pkg-config, `make install PREFIX=...`, the C
# example built against the installed library, the Python package, and a mue with a
# test-only process (tests/testproc).
LIBMUE_A  = $(BUILD)/lib/libmue.a
LIBMUE_SO = $(BUILD)/lib/libmue.so
PREFIX   ?= /usr/local
# what a program linked against the static library needs besides it (pkg-config --static)
LIBS_PRIVATE = $(LDLIBS) -fopenmp

.PHONY: lib install test-install test-python testproc

lib: $(LIBMUE_A) $(LIBMUE_SO)

$(LIBMUE_A): $(LIB_OBJ) $(GPU_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

# the shared library carries its dependencies (and, with nvcc, cudart static): a
# program or Python links -lmue and nothing else
$(LIBMUE_SO): $(LIB_OBJ) $(GPU_OBJ)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -shared -Wl,-soname,libmue.so.0 -Wl,--no-undefined $(LDFLAGS) $^ -o $@ \
	  $(LDLIBS)

# pkg-config: `cc prog.c $(pkg-config --cflags --libs mue)`; the run path finds the
# library wherever PREFIX is
$(BUILD)/lib/mue.pc: lib.mk Makefile
	@mkdir -p $(@D)
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$${prefix}/lib' 'includedir=$${prefix}/include' '' \
	  'Name: mue' 'Description: muon-electron scattering at MUonE: cross sections, scans, events' \
	  'Version: $(VERSION)' 'Libs: -L$${libdir} -Wl,-rpath,$${libdir} -lmue' \
	  'Libs.private: $(LIBS_PRIVATE)' 'Cflags: -I$${includedir}' > $@

install: all $(BUILD)/lib/mue.pc
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 755 $(BUILD)/mue $(DESTDIR)$(PREFIX)/bin/mue
	install -m 644 $(LIBMUE_A) $(DESTDIR)$(PREFIX)/lib/libmue.a
	install -m 755 $(LIBMUE_SO) $(DESTDIR)$(PREFIX)/lib/libmue.so.$(VERSION)
	ln -sf libmue.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libmue.so.0
	ln -sf libmue.so.0 $(DESTDIR)$(PREFIX)/lib/libmue.so
	install -m 644 include/mue.h $(DESTDIR)$(PREFIX)/include/mue.h
	install -m 644 $(BUILD)/lib/mue.pc $(DESTDIR)$(PREFIX)/lib/pkgconfig/mue.pc

# For `make test`: install into build/install, build examples/integrate.c against the
# installed library with pkg-config, and check it prints the sigma `mue integrate`
# prints for the same options.
TEST_PREFIX = $(CURDIR)/$(BUILD)/install
test-install:
	@rm -rf $(TEST_PREFIX)
	@$(MAKE) --no-print-directory install PREFIX=$(TEST_PREFIX) >/dev/null
	PKG_CONFIG_PATH=$(TEST_PREFIX)/lib/pkgconfig sh -c \
	  '$(CC) examples/integrate.c $$(pkg-config --cflags --libs mue) -o $(BUILD)/example_integrate'
	sh tests/test_install.sh $(BUILD)/example_integrate $(TEST_PREFIX)/bin/mue

# The Python package (pyproject.toml at the root) installed into a fresh venv with pip,
# then pytest on it and on the JSON schemas (tests/python).
PYVENV = $(BUILD)/pyvenv
test-python: venv
	@rm -rf $(PYVENV)
	$(PYTHON) -m venv $(PYVENV)
	$(PYVENV)/bin/python -m pip install -q --disable-pip-version-check . pytest jsonschema
	cd tests/python && MUE_BIN=$(CURDIR)/$(BUILD)/mue-cpu MUE_ROOT=$(CURDIR) \
	  $(CURDIR)/$(PYVENV)/bin/python -m pytest -q -p no:cacheprovider .

# A mue whose process table holds a test-only process (tests/testproc/toy.h): one
# header and one row, and every command knows it (tests/test_architecture.c).
TESTPROC_BIN = $(BUILD)/testproc/mue
testproc: $(TESTPROC_BIN)
$(TESTPROC_BIN): FORCE
	$(MAKE) --no-print-directory BUILD=$(BUILD)/testproc NVCC= MPICC= \
	  MUE_DEFS="-DMUE_TEST_PROCESS -Itests/testproc" $(BUILD)/testproc/mue
