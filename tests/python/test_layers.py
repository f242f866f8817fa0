"""host/ is layered, one folder per layer, each including only layers below it, and no
file includes itself back through others (no circle)."""
import os
import re

from conftest import ROOT

# top to bottom; a layer may include the ones after it in this order, but backends and
# vegas: backends use vegas (the slices they evaluate), never the other way
ORDER = ["cli", "api", "run", "events", "backends", "vegas", "physics1d", "util"]
# what each layer may include besides itself (include/ is below all of them)
ALLOWED = {
    "cli": {"api", "vegas", "util"},  # mpi_main.c: the MPI communicator it hands to runs
    "api": {"run", "backends", "util"},
    "run": {"events", "backends", "vegas", "physics1d", "util"},
    "events": {"util"},
    "backends": {"vegas", "util"},
    "vegas": {"util"},
    "physics1d": set(),
    "util": set(),
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def host_files():
    host = os.path.join(ROOT, "host")
    for layer in sorted(os.listdir(host)):
        for f in sorted(os.listdir(os.path.join(host, layer))):
            if f.endswith((".c", ".h")):
                yield layer, f, os.path.join(host, layer, f)


def test_layers_are_folders():
    assert sorted(os.listdir(os.path.join(ROOT, "host"))) == sorted(ORDER)


def test_no_include_upward():
    bad = []
    for layer, name, path in host_files():
        for inc in INCLUDE.findall(open(path).read()):
            if inc == "mue.h" or inc.startswith("mue/"):
                continue  # include/: the public header and the physics
            other = inc.split("/")[0]
            if other != layer and other not in ALLOWED[layer]:
                bad.append("%s/%s includes %s" % (layer, name, inc))
    assert not bad, "\n".join(bad)


def test_cli_uses_only_the_public_header():
    for layer, name, path in host_files():
        if layer == "cli" and name != "mpi_main.c":
            incs = [i for i in INCLUDE.findall(open(path).read()) if i != "cli/cli.h"]
            assert set(incs) <= {"mue.h"}, "%s includes %s" % (name, incs)


def test_no_circles():
    graph = {}
    for layer, name, path in host_files():
        node = "%s/%s" % (layer, name)
        deps = set()
        for inc in INCLUDE.findall(open(path).read()):
            if "/" in inc and not inc.startswith("mue/"):
                deps.add(inc)
        # a .c and its header are one unit
        graph.setdefault(node.rsplit(".", 1)[0], set()).update(d.rsplit(".", 1)[0] for d in deps)
    for k in graph:
        graph[k].discard(k)
    state = {}

    def visit(n, stack):
        state[n] = 1
        for m in graph.get(n, ()):
            if state.get(m) == 1:
                raise AssertionError("include circle: " + " -> ".join(stack + [n, m]))
            if not state.get(m):
                visit(m, stack + [n])
        state[n] = 2

    for n in sorted(graph):
        if not state.get(n):
            visit(n, [])
