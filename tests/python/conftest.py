"""What the Python tests share: the mue program they compare against (MUE_BIN, the
command line of the same build) and the repository (MUE_ROOT)."""
import json
import os
import subprocess

import pytest

ROOT = os.environ.get("MUE_ROOT", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))
MUE = os.environ.get("MUE_BIN", os.path.join(ROOT, "build", "mue-cpu"))

# a small budget: each run a fraction of a second
SMALL = {"points": 20000, "iterations": 3, "warmup": 2, "rel_error": 0, "threads": 2}


def cli_args(options):
    """keywords as the command line writes them"""
    args = []
    for k, v in options.items():
        name = "--" + k.replace("_", "-")
        if v is True:
            args.append(name)
        elif v is not None and v is not False:
            args += [name, repr(v) if isinstance(v, float) else str(v)]
    return args


@pytest.fixture
def cli(tmp_path):
    """runs `mue <command> ...` with --json into tmp_path; returns the JSON document"""

    def run(command, json_flag=True, **options):
        path = tmp_path / ("%s.json" % command)
        args = [MUE, command] + cli_args(options) + (["--json", str(path)] if json_flag else []) + ["--quiet"]
        p = subprocess.run(args, capture_output=True, text=True)
        assert p.returncode == 0, "%s: %s" % (" ".join(args), p.stderr)
        return json.loads(path.read_text()) if json_flag else p.stdout

    return run
