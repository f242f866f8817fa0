"""The JSON outputs against their schemas (docs/schema/): real outputs of the command
line and of the library, each naming its schema and version; and the schemas refuse a
document that breaks them."""
import json
import os
import subprocess

import jsonschema
import pytest

import mue
from conftest import MUE, ROOT

SMALL = ["--points", "20000", "--iterations", "2", "--warmup", "1", "--rel-error", "0", "--threads", "2"]


def schema(name):
    with open(os.path.join(ROOT, "docs", "schema", "%s.schema.json" % name)) as f:
        s = json.load(f)
    jsonschema.Draft202012Validator.check_schema(s)
    return s


def check(name, doc):
    jsonschema.validate(doc, schema(name), cls=jsonschema.Draft202012Validator)
    assert doc["schema"] == "mue-" + name and doc["schema_version"] == 1
    assert doc["version"] == mue.version()


def mue_cli(*args):
    r = subprocess.run([MUE] + list(args) + ["--quiet"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r


@pytest.mark.parametrize("args", [
    ["--process", "zprime", "--mass", "0.1", "--coupling", "1e-3", "--histograms"],
    ["--process", "mueg"],
    ["--process", "muenn", "--flavours", "mu"],
    ["--process", "elastic", "--theta-mu-min", "0.3mrad", "--detector", "default"],
    ["--process", "zprime", "--mass", "0.1", "--coupling", "1e-3", "--theta-mu-min", "20mrad"],  # sigma = 0
])
def test_integrate(tmp_path, args):
    mue_cli("integrate", *args, *SMALL, "--json", str(tmp_path / "r.json"))
    doc = json.load(open(tmp_path / "r.json"))
    check("integrate", doc)
    assert ("histograms" in doc) == ("--histograms" in args)


def test_library_result_is_the_document():
    r = mue.integrate(process="zprime", mass="0.1", coupling=1e-3, points=20000, iterations=2, warmup=1,
                      rel_error=0)
    check("integrate", r.json)
    check("kinematics", mue.kinematics(n=10).json)


def test_scan(tmp_path):
    mue_cli("scan", "--out", str(tmp_path / "s"), "--masses", "0.01,0.28,0.29", *SMALL)
    check("scan", json.load(open(tmp_path / "s" / "scan.json")))


def test_backgrounds(tmp_path):
    mue_cli("backgrounds", *SMALL, "--json", str(tmp_path / "b.json"))
    doc = json.load(open(tmp_path / "b.json"))
    check("backgrounds", doc)
    assert len(doc["leak"]) == 11


def test_generate(tmp_path):
    mue_cli("generate", "--process", "zprime", "--mass", "0.1", "--coupling", "1e-3", "--events", "50",
            "--out", str(tmp_path / "e.lhe.gz"), *SMALL, "--json", str(tmp_path / "g.json"))
    check("generate", json.load(open(tmp_path / "g.json")))


def test_sensitivity(tmp_path):
    mue_cli("sensitivity", "--out", str(tmp_path / "s"), "--masses", "0.01,0.25,0.29", "--background", "10",
            *SMALL, "--json", str(tmp_path / "r.json"))
    doc = json.load(open(tmp_path / "r.json"))
    check("sensitivity", doc)
    assert doc == json.load(open(tmp_path / "s" / "sensitivity.json"))
    mue_cli("sensitivity", "--out", str(tmp_path / "z"), "--masses", "0.01", "--background", "0", *SMALL,
            "--json", str(tmp_path / "z.json"))
    doc = json.load(open(tmp_path / "z.json"))
    check("sensitivity", doc)
    assert doc["rows"][0]["g_3sigma"] is None


def test_g2(tmp_path):
    r = subprocess.run([MUE, "g2", "--mass", "10MeV", "--coupling", "5e-4", "--json", str(tmp_path / "g.json")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    check("g2", json.load(open(tmp_path / "g.json")))


def test_schemas_refuse_what_breaks_them():
    good = mue.integrate(process="zprime", mass="0.1", coupling=1e-3, points=20000, iterations=2, warmup=1,
                         rel_error=0).json
    for broken in ({**good, "sigma_fb": -1.0}, {**good, "schema_version": 2},
                   {k: v for k, v in good.items() if k != "settings"}, {**good, "q": "0.5"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, schema("integrate"), cls=jsonschema.Draft202012Validator)
