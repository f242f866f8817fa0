#!/bin/sh
# Runs every test program given as an argument and closes with one line that sums the
# cmocka counts of all of them: "N passed, M failed". Exit status 1 if any failed.
passed=0; failed=0; bad=0
for t in "$@"; do
    echo "== $t"
    out=$("$t" 2>&1); rc=$?
    printf '%s\n' "$out"
    p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\..*/\1/p' | tail -n 1)
    f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s).*/\1/p' | tail -n 1)
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
    if [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
        echo "$t exited with status $rc"; failed=$((failed + 1))
    fi
    [ "$rc" -ne 0 ] && bad=1
done
echo "tests: $passed passed, $failed failed"
exit $bad
