"""The general split (derive.fields.field_split) against an independent brute-force expansion and by hand.

The brute force expands the product of sums directly (every choice of sides),
applies Wick's theorem (all sets of contractions of an annihilator standing left
of a creator of the same species) and sorts what is left into the canonical
order of docs/field-files.md with the sign of the permutation -- no ladder algebra, no
bubble sort.  Its class rule is a transcription of the spec's table.
"""
from __future__ import annotations

import itertools
from collections import defaultdict
from pathlib import Path

import pytest
import sympy as sp

import derive.fields.field_split as FS
from derive.fields.field_algebra import Ladder
from derive.papers.tajima import split_fields as F
from tunnelkit.fields.field_file import load_fields

EXAMPLES = sorted((Path(__file__).resolve().parents[3] / "examples" / "fields").glob("*.toml"))


# ----------------------------------------------------------------------------- brute force

def _canonical(species, f):
    """docs/field-files.md: creators by (species, L before R), then annihilators the opposite way."""
    s, side, creates, part = f
    pos = (species.index(s), "LR".index(side), part or "")
    return (0,) + pos if creates else (1,) + tuple(-p if isinstance(p, int) else p for p in pos)


def _parity(perm):
    return sum(1 for i, j in itertools.combinations(range(len(perm)), 2) if perm[i] > perm[j]) % 2


def _contraction_sets(fields, start=0, used=frozenset()):
    yield []
    for a in range(start, len(fields)):
        if a in used or fields[a][2]:
            continue
        for b in range(a + 1, len(fields)):
            if b in used or not fields[b][2] or fields[b][0] != fields[a][0]:
                continue
            for rest in _contraction_sets(fields, a + 1, used | {a, b}):
                yield [(a, b)] + rest


def _value(fa, fb, overlap):
    s = fa[0]
    if fa[1] == fb[1]:
        return sp.Symbol(f"delta_{s}_{fa[1]}", positive=True)
    if overlap == "zero":
        return 0
    K = sp.Symbol(f"K_{s}")
    return K if fa[1] == "L" else sp.conjugate(K)


def brute_force(model, overlap):
    fermion = {s for s, k in model.kinds.items() if k == "fermion"}  # a mixture: the sign counts fermions only
    sp_ = list(model.species)
    out = defaultdict(lambda: sp.Integer(0))
    for term in model.terms:
        if isinstance(term, FS.OneBody):
            for s, p, i, j in itertools.product(sp_, term.parts, "LR", "LR"):
                out[((s, i, True, None), (s, j, False, p))] += 1
            continue
        for sides in itertools.product("LR", repeat=len(term.word)):
            fields = [(s, side, c, None) for (s, c), side in zip(term.word, sides)]
            for pairs in _contraction_sets(fields):
                value = sp.Integer(1)
                for a, b in pairs:
                    value *= _value(fields[a], fields[b], overlap)
                if value == 0:
                    continue
                inside = {i for p in pairs for i in p}
                rest = sorted((i for i in range(len(fields)) if i not in inside),
                              key=lambda i: _canonical(sp_, fields[i]))
                kept = tuple(fields[i] for i in rest)
                if any(kept.count(f) > 1 for f in kept if f[0] in fermion):
                    continue  # psi psi = 0 for identical fermion fields
                perm = [i for p in pairs for i in p] + rest
                sign = -1 if _parity([i for i in perm if fields[i][0] in fermion]) else 1
                out[kept] += sign * value * term.coupling
    return {k: sp.expand(v) for k, v in out.items() if sp.expand(v) != 0}


def brute_class(key, species):
    if not key:
        return "constant"
    sides = {f[1] for f in key}
    dn = [sum((1 if f[2] else -1) for f in key if f[0] == s) for s in species]  # change of N_s, both sides
    if any(dn):
        where = "L" if sides == {"L"} else "R" if sides == {"R"} else "across the junction"
        if max(dn) > 0 > min(dn):
            return "conversion " + where
        size = ["particle", "pair"][abs(sum(dn)) - 1] if abs(sum(dn)) <= 2 else "multi-particle"
        return f"{size} {'creation' if sum(dn) > 0 else 'annihilation'} {where}"
    if sides in ({"L"}, {"R"}):
        return "reservoir " + sides.pop()
    t = {s: sum((1 if f[2] else -1) for f in key if f[0] == s and f[1] == "L") for s in species}
    tot = abs(sum(t.values()))
    if tot == 1:
        return "one-body tunneling" if len(key) == 2 else "density-assisted tunneling"
    if tot == 2:
        return "pair tunneling"
    if tot >= 3:
        return "multi-particle tunneling"
    return "exchange" if any(t.values()) else "induced interaction"


def _key(term):
    return tuple((op.label[-2], op.label[-1], op.dagger, op.label[0] if len(op.label) == 3 else None)
                 for op in term.operator)


# ----------------------------------------------------------------------------- tests

@pytest.mark.parametrize("overlap", ["zero", "K"])
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_term_agrees_with_the_brute_force_expansion(path, overlap):
    model = load_fields(path)
    result = FS.split(model, overlap=overlap)
    want = brute_force(model, overlap)
    got = {_key(t): t for t in result.terms}
    assert set(got) == set(want)
    for key, term in got.items():
        assert sp.expand(term.coefficient - want[key]) == 0, (term.fields, term.coefficient, want[key])
        assert term.cls == brute_class(key, model.species)
        assert term.transfer == {s: sum((1 if f[2] else -1) for f in key if f[0] == s and f[1] == "L")
                                 for s in model.species}
        assert list(key) == sorted(key, key=lambda f: _canonical(list(model.species), f))


def test_overlap_matters_only_for_words_not_written_normal_ordered():
    for path in EXAMPLES:
        model = load_fields(path)
        zero, K = FS.split(model).hamiltonian, FS.split(model, overlap="K").hamiltonian
        reorders = any(a[0] == b[0] and not a[1] and b[1] for t in model.terms if isinstance(t, FS.Local)
                       for a, b in itertools.combinations(t.word, 2))  # an annihilator left of its creator
        assert (zero != K) == reorders, path.stem
        assert any(K_s in sp.sympify(c).free_symbols for c in K.values()
                   for K_s in map(FS.overlap_symbol, model.species)) == reorders


def test_canonical_order_and_fermion_sign_by_hand():
    # dn+ up+ dn up = - up+ dn+ dn up ; bosons keep the sign
    for stats, sign in (("fermion", -1), ("boson", 1)):
        m = FS.FieldModel(stats, ("up", "dn"), (FS.Local("g", ("dn+", "up+", "dn", "up")),))
        t = [x for x in FS.split(m).terms if x.fields == ("up_L+", "dn_L+", "dn_L", "up_L")]
        assert len(t) == 1 and t[0].coefficient == sign * sp.Symbol("g", real=True)
    # the spec's example is already canonical, its pair-tunnelling term as printed in docs/field-files.md
    m = FS.FieldModel("fermion", ("up", "dn"), (FS.Local("g", ("up+", "dn+", "dn", "up")),))
    pair = FS.split(m).terms_of("pair tunneling")[0].as_json()
    assert pair["transfer"] == {"up": 1, "dn": 1} and pair["coefficient"] == "g"
    assert pair["operator"] == ["up_L+", "dn_L+", "dn_R", "up_R"]


def test_fermion_self_interaction_vanishes_boson_one_is_kept():
    word = ("up+", "up+", "up", "up")
    assert FS.split(FS.FieldModel("fermion", ("up",), (FS.Local("U/2", word),))).terms == ()
    bos = FS.split(FS.FieldModel("boson", ("up",), (FS.Local("U/2", word),)))
    # (a_L + a_R)^+2 (a_L + a_R)^2: 3 x 3 collected operators, U/2 x (1, 2, 1) x (1, 2, 1)
    assert len(bos.terms) == 9
    coeff = {t.fields: t.coefficient for t in bos.terms}
    U = sp.Symbol("U", real=True)
    assert coeff[("up_L+", "up_R+", "up_R", "up_L")] == 2 * U
    assert coeff[("up_L+", "up_L+", "up_R", "up_R")] == U / 2


@pytest.mark.parametrize("word,cls", [
    (("a", "L", True, "b", "L", True, "b", "R", False, "a", "R", False), "pair tunneling"),  # bosons a-b pair
    (("a", "L", True, "a", "R", False), "one-body tunneling"),
    (("a", "L", True, "b", "L", True, "b", "L", False, "a", "R", False), "density-assisted tunneling"),
    (("a", "L", True, "b", "R", True, "b", "L", False, "a", "R", False), "exchange"),
    (("a", "L", True, "b", "R", True, "b", "R", False, "a", "L", False), "induced interaction"),
    (("a", "L", True, "a", "L", True, "b", "L", True, "b", "R", False, "a", "R", False, "a", "R", False),
     "multi-particle tunneling"),
    (("a", "R", True, "a", "R", False), "reservoir R"),
    ((), "constant"),
])
def test_classes_for_any_species(word, cls):
    ops = tuple(Ladder((word[i], word[i + 1]), word[i + 2]) for i in range(0, len(word), 3))
    assert FS.classify(ops, ("a", "b")) == cls


def test_latex_for_any_labels():
    m = FS.FieldModel("boson", ("a", "up", "red", "1", "alpha"),
                      (FS.Local("W", ("a+", "up+", "red+", "1", "alpha")),))
    text = sp.latex(FS.to_sympy(FS.split(m).hamiltonian))
    for piece in (r"_{a L}", r"_{\uparrow L}", r"_{\mathrm{red} L}", r"_{1 R}", r"_{\alpha R}"):
        assert piece in text
    assert FS.split(m).latex().startswith(r"\begin{aligned}")


def test_tajima_instance_gives_the_terms_of_split_fields():
    """examples/fields/spin_half_contact.toml = tajima:1; h = T + V merged, the words and classes coincide."""
    model = load_fields(EXAMPLES[[p.stem for p in EXAMPLES].index("spin_half_contact")])
    result = FS.split(model)
    merged, parts = {}, defaultdict(dict)
    for w, c in F.hamiltonian().items():
        if any(len(op.label) == 3 for op in w):  # psi+ (T psi) and psi+ (V psi): one psi+ (h psi), h = T + V
            cre, ann = w
            parts[(cre, Ladder(("h",) + ann.label[1:], False))][ann.label[0]] = c
        else:
            merged[w] = c
    for w, by_part in parts.items():
        assert set(by_part) == {"T", "V"} and by_part["T"] == by_part["V"]
        merged[w] = by_part["T"]
    alg = FS.algebra(model)
    assert alg.normal_order(dict(merged)) == result.hamiltonian
    tajima_name = {"reservoir L": "L", "reservoir R": "R", "one-body tunneling": "1t",
                   "density-assisted tunneling": "1t", "pair tunneling": "pair", "exchange": "spin",
                   "induced interaction": "ind"}
    for t in result.terms:
        assert F.classify(t.operator) == tajima_name[t.cls]
    # the spin-exchange class is -g (S+_L S-_R + S+_R S-_L) (tajima:9 corrected), by hand
    spin = {w: c for w, c in F.ALG.normal_order(F.decompose().classes["spin"]).items()}
    assert F.is_zero(F.sub(spin, F.corrected_terms()["spin"]), orthogonal=True)


def test_tajima_classify_no_longer_mislabels_other_species():
    a_b_pair = (Ladder(("a", "L"), True), Ladder(("b", "L"), True), Ladder(("b", "R"), False), Ladder(("a", "R"), False))
    assert FS.classify(a_b_pair, ("a", "b")) == "pair tunneling"
    with pytest.raises(ValueError):
        F.classify(a_b_pair)  # not a word of tajima:1: refused, not labelled "ind"


def test_currents_are_the_charge_grading():
    model = load_fields(EXAMPLES[[p.stem for p in EXAMPLES].index("spin_half_contact")])
    cur = FS.current_operators(FS.split(model))
    assert set(cur) == {"I_up", "I_dn", "I_total", "I_up-I_dn"}
    # the pair term moves two particles: coefficient 2i g in I_total, 0 in I_up - I_dn
    pair = next(t for t in FS.split(model).terms_of("pair tunneling") if t.transfer["up"] == 1)
    assert cur["I_total"][pair.operator] == 2 * sp.I * sp.Symbol("g", real=True)
    assert pair.operator not in cur["I_up-I_dn"]
    with pytest.raises(FS.FieldError, match="orthogonal"):
        FS.current_operators(FS.split(model, overlap="K"))


@pytest.mark.parametrize("make,match", [
    (lambda: FS.FieldModel("anyon", ("a",)), "statistics"),
    (lambda: FS.FieldModel("boson", ("a", "a")), "distinct"),
    (lambda: FS.FieldModel("boson", ("a",), (FS.Local("U", ("b",)),)), "term 1 .*unknown species 'b'"),
    (lambda: FS.Local("U", ("a+-",)), "malformed field"),
    (lambda: FS.Local("U[0]", ("a",)), "coupling"),
    (lambda: FS.Local("x.real", ("a",)), "coupling"),
    (lambda: FS.FieldModel("boson", ("a",), (FS.Local("K_a", ("a",)),)), "reserved"),
])
def test_bad_descriptions_are_refused(make, match):
    with pytest.raises(FS.FieldError, match=match):
        make()


@pytest.mark.parametrize("word", [[("up", "no")], [("up",)], [("up", True, 3)], [(3, True)], [("up", 1)]])
def test_a_word_of_pairs_must_be_species_and_bool(word):
    """Local(word=...) takes strings or (species, creates) pairs; ("up", "no") was taken as a creator
    (a truthy string) and ("up",) raised an anonymous unpacking error."""
    with pytest.raises(FS.FieldError, match="malformed field"):
        FS.Local("g", word)


@pytest.mark.parametrize("overlap", ["zero", "K"])
def test_terms_that_change_particle_numbers_are_named_for_what_they_do(overlap):
    """b+ b+ / b b (pairs made or removed), a spin flip, a three-boson source: every class against the brute
    force, and the words of the issue by hand: b_L+ b_R+ is not one-body tunneling, up_L+ dn_L not a reservoir."""
    bose = FS.FieldModel("boson", ("b",), (FS.Local("Delta", ("b+", "b+")), FS.Local("Delta", ("b", "b")),
                                           FS.Local("eta", ("b+", "b+", "b+")), FS.Local("s", ("b",))))
    spin = FS.FieldModel("fermion", ("up", "dn"), (FS.Local("Omega", ("up+", "dn")), FS.Local("Omega", ("dn+", "up")),
                                                   FS.Local("g", ("up+", "dn+", "dn", "up"))))
    for model in (bose, spin):
        want = brute_force(model, overlap)
        for term in FS.split(model, overlap=overlap).terms:
            assert term.cls == brute_class(_key(term), model.species), term.fields
    by_fields = {t.fields: t.cls for m in (bose, spin) for t in FS.split(m, overlap=overlap).terms}
    assert by_fields[("b_L+", "b_R+")] == "pair creation across the junction"
    assert by_fields[("b_R", "b_L")] == "pair annihilation across the junction"
    assert by_fields[("b_L+", "b_L+")] == "pair creation L"
    assert by_fields[("b_L+", "b_L+", "b_R+")] == "multi-particle creation across the junction"
    assert by_fields[("b_R",)] == "particle annihilation R"
    assert by_fields[("up_L+", "dn_L")] == "conversion L"
    assert by_fields[("up_L+", "dn_R")] == "conversion across the junction"
    # number-conserving classes as before
    assert by_fields[("up_L+", "dn_L+", "dn_R", "up_R")] == "pair tunneling"
    assert by_fields[("up_L+", "dn_R+", "dn_L", "up_R")] == "exchange"
    assert set(FS.CLASSES) == set(FS.CONSERVING) | set(FS.NON_CONSERVING) | {"constant"}
