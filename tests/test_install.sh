#!/bin/sh
# The C example built against the installed library (make test-install) prints the sigma
# that the installed `mue integrate` prints for the same options, bit for bit: the
# example's %.17g against the --json file's 17-digit number.
set -eu
example=$1
mue=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
opts="--points 20000 --iterations 3 --warmup 2 --rel-error 0 --seed 5 --threads 2"
# shellcheck disable=SC2086
"$example" $opts > "$dir/example.txt"
# shellcheck disable=SC2086
"$mue" integrate --process zprime --mass 100MeV --coupling 1e-3 $opts --quiet --json "$dir/cli.json" \
  > /dev/null
got=$(sed -n 's/^sigma = \([^ ]*\) +- .*/\1/p' "$dir/example.txt")
want=$(sed -n 's/^ *"sigma_fb": \([^,]*\),*$/\1/p' "$dir/cli.json" | head -n 1)
if [ -z "$got" ] || [ -z "$want" ]; then
    echo "test-install: no sigma (example: '$got', mue: '$want')" >&2
    exit 1
fi
same=$(awk -v a="$got" -v b="$want" 'BEGIN { print (a + 0 == b + 0) ? "yes" : "no" }')
# awk compares doubles parsed from 17 digits: equal text or equal bits
if [ "$same" != yes ]; then
    echo "test-install: the installed example prints sigma = $got, mue integrate $want" >&2
    exit 1
fi
echo "test-install: examples/integrate.c against the installed libmue: sigma = $got fb, as mue integrate"
