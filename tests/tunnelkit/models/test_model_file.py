"""Model files: every rule of docs/model-files.md, one line naming the file, the table and what is allowed."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tunnelkit.models.model_file import ModelFileError, load_model_file, normalise

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "models"

GOOD = """
[parameters]
tau1   = { range = "> 0",  about = "weak link" }
gamma  = { range = ">= 0", about = "loss rate" }
eps    = { about = "dot level" }
t_d    = { range = "> 0" }
Lambda = { range = ">= 1", about = "lead hopping (inf: wide band)" }
N      = { kind = "integer", range = ">= 1" }
V      = {}

[sites]
a = "0"
d = "eps - I*gamma/2"

[[hopping]]
sites = ["a", "d"]
value = "-t_d"

[[hopping]]
sites = ["a", "wire.first"]
value = -1

[[segment]]
name = "wire"
length = "N"
energy = "0"
hopping = "-1"

[[lead]]
name = "L"
site = "a"
hopping = "-Lambda"
potential = "V/2"
coupling = "-tau1*sqrt(Lambda)"

[[lead]]
name = "R"
site = "wire.last"
hopping = "-Lambda"
potential = "-V/2"
coupling = "-tau1*sqrt(Lambda)"
"""


def test_the_spec_example_gives_the_model_dict(tmp_path):
    f = tmp_path / "fano.toml"
    f.write_text(GOOD)
    m = load_model_file(f)
    assert m["name"] == "fano"
    assert list(m["parameters"]) == ["tau1", "gamma", "eps", "t_d", "Lambda", "N", "V"]
    assert m["parameters"]["N"] == {"kind": "integer", "range": ">= 1", "about": ""}
    assert m["parameters"]["eps"] == {"kind": "real", "range": None, "about": "dot level"}
    assert m["sites"] == {"a": "0", "d": "eps - I*gamma/2"}
    assert m["hoppings"][1] == {"sites": ["a", "wire.first"], "value": "-1", "reverse": None}
    assert m["segments"] == [{"name": "wire", "length": "N", "energy": "0", "hopping": "-1"}]
    assert m["leads"][1]["site"] == "wire.last"
    assert json.loads(json.dumps(m)) == m  # plain data
    assert normalise(m, name="fano") == m  # the model-dict shape is accepted as it is


BAD = [  # (replace this, by that, message must contain)
    ("[sites]", "[site]", "unknown table [site]"),
    ('d = "eps - I*gamma/2"', 'd = "eps - I*gama/2"', "[sites] d: unknown name 'gama'"),
    ('d = "eps - I*gamma/2"', 'd = "eps - I*gamma/2 + log(2)"', "[sites] d: unknown function 'log'"),
    ('d = "eps - I*gamma/2"', 'd = "eps.real"', "[sites] d: not allowed in a value: attribute access"),
    ('value = "-t_d"', 'value = "-t_x"', "[[hopping]] a-d value: unknown name 't_x'"),
    ('sites = ["a", "d"]', 'sites = ["a", "x"]', "[[hopping]] 1 sites: unknown site 'x'"),
    ('sites = ["a", "d"]', 'sites = ["a", "a"]', "two different sites"),
    ('sites = ["a", "d"]', 'sites = ["a", "wire.first"]', "already given by [[hopping]] 1"),
    ('sites = ["a", "d"]', 'sites = ["a", "wire[2]"]', "symbolic length: only wire.first and wire.last"),
    ('sites = ["a", "d"]', 'sites = ["a"]', "expected two site names"),
    ('value = "-t_d"', 'valeu = "-t_d"', "unknown key 'valeu'"),
    ('length = "N"', 'length = "N/2 + tau1"', "tau1 is not declared kind = \"integer\""),
    ('length = "N"', 'length = "2.5"', "must be an integer >= 0"),
    ('name = "wire"', 'name = "a"', "'a' is already a name under [sites]"),
    ('name = "L"', 'name = "R"', "lead 'R' is defined twice"),
    ('site = "a"', 'site = "zz"', "[[lead]] L site: unknown site 'zz'"),
    ('coupling = "-tau1*sqrt(Lambda)"\n\n[[lead]]', 'coupling = "-tau1*sqrt(Lambda)"\nfoo = 1\n\n[[lead]]',
     "unknown key 'foo'"),
    ('N      = { kind = "integer", range = ">= 1" }', 'N      = { kind = "natural" }', "kind: must be one of"),
    ('eps    = { about = "dot level" }', 'eps    = { range = "positive" }', "[parameters] eps range"),
    ('eps    = { about = "dot level" }', 'omega  = {}\neps = {}', "'omega' is reserved"),
    ('eps    = { about = "dot level" }', 'eps = { kind = "complex", range = "> 0" }', "a complex parameter has no range"),
    ('[sites]', 'x = 1\n[sites]', "[parameters] x: expected an inline table"),
    ('a = "0"', 'a = "0"\ngamma = "1"', "'gamma' is already a name under [parameters]"),
    ('energy = "0"\nhopping = "-1"\n', 'energy = "0"\n', "missing key 'hopping'"),
    ('d = "eps - I*gamma/2"', 'd = "eps - I*gamma/2', "not valid TOML"),
]


@pytest.mark.parametrize("old,new,message", BAD, ids=[b[2][:40] for b in BAD])
def test_bad_files_name_file_table_and_rule(tmp_path, old, new, message):
    assert old in GOOD
    f = tmp_path / "model.toml"
    f.write_text(GOOD.replace(old, new, 1))
    with pytest.raises(ModelFileError) as exc:
        load_model_file(f)
    text = str(exc.value)
    assert str(f) in text and message in text and "\n" not in text


def test_no_leads_no_sites_and_unreadable(tmp_path):
    with pytest.raises(ModelFileError, match="at least one lead"):
        normalise({"sites": {"a": "0"}}, name="m")
    with pytest.raises(ModelFileError, match="at least one region site"):
        normalise({"lead": [{"name": "L", "site": "a", "hopping": "-1", "coupling": "-1"}]}, name="m")
    with pytest.raises(ModelFileError, match="cannot read"):
        load_model_file(tmp_path / "missing.toml")


def test_every_example_model_loads():
    files = sorted(EXAMPLES.glob("*.toml"))
    assert files
    for f in files:
        assert load_model_file(f)["name"] == f.stem


def test_the_registry_lattice_is_the_example_model_file():
    """anglin:lattice-as-model checks derive.papers.anglin.general_route.lattice_model: it is the example file's model."""
    from derive.papers.anglin.general_route import lattice_model

    def bare(d):
        d = normalise(d, name="lattice")
        d["parameters"] = {k: {"kind": v["kind"], "range": v["range"]} for k, v in d["parameters"].items()}
        return d

    assert bare(lattice_model(True)) == bare(load_model_file(EXAMPLES / "anglin_lattice.toml"))


@pytest.mark.parametrize("name", ["I", "pi", "omega", "sqrt", "lambda"])
def test_a_lead_may_not_take_a_reserved_name(tmp_path, name):
    """Sites, segments and parameters refused the names of the value language; a lead took them (I, pi, omega)."""
    from tunnelkit.models.model_file import ModelFileError, load_model_file

    f = tmp_path / "m.toml"
    f.write_text(f'[sites]\na = "0"\n[[lead]]\nname = "{name}"\nsite = "a"\nhopping = "-1"\ncoupling = "-1"\n')
    with pytest.raises(ModelFileError, match="reserved"):
        load_model_file(f)
