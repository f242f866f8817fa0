# The library, included by the Makefile: libmue.a and libmue.so from the objects of
# every layer but the commands, mue.pc for pkg-config, `make install PREFIX=...`.
LIBMUE_A  = $(BUILD)/lib/libmue.a
LIBMUE_SO = $(BUILD)/lib/libmue.so

lib: $(LIBMUE_A) $(LIBMUE_SO)

$(LIBMUE_A): $(LIB_OBJ) $(GPU_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(LIBMUE_SO): $(LIB_OBJ) $(GPU_OBJ)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -shared -Wl,-soname,libmue.so.0 $(LDFLAGS) $^ -o $@ $(LDLIBS)

.PHONY: test-install test-python
test-install:
test-python:
