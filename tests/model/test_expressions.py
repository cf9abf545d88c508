"""The expression language of `if`, `when`, outcomes and authority: parsed at load, evaluated
over a context, never handed to Python's `eval`."""

from __future__ import annotations

import builtins
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tabletop.errors import ScenarioProblems
from tabletop.model.expressions import ExpressionError, Reference, parse_expression
from tabletop.model.loading import LoadedScenario

pytestmark = pytest.mark.usefixtures("english")  # assertions read in English


@dataclass
class Ctx:
    """A hand-made evaluation context."""

    state: dict[str, Any] = field(default_factory=dict)
    levels: dict[str, Any] = field(default_factory=dict)
    t: float = 0
    phase: str | None = None
    decisions: dict[str, str] = field(default_factory=dict)
    delivered_ids: set[str] = field(default_factory=set)
    met_ids: set[str] = field(default_factory=set)
    present_ids: set[str] = field(default_factory=set)

    def decided(self, decision_id: str) -> str | None:
        return self.decisions.get(decision_id)

    def delivered(self, inject_id: str) -> bool:
        return inject_id in self.delivered_ids

    def met(self, inject_id: str) -> bool:
        return inject_id in self.met_ids

    def present(self, role_id: str) -> bool:
        return role_id in self.present_ids


def ev(source: str, ctx: Ctx | None = None) -> Any:
    return parse_expression(source).evaluate(ctx or Ctx())


# -- parsing and evaluation ---------------------------------------------------------------
@pytest.mark.parametrize(("source", "value"), [
    ("1 + 2", 3), ("7 - 10", -3), ("3 * 4", 12), ("7 / 2", 3.5), ("7 % 4", 3),
    ("7 // 2", 3), ("-3 + +2", -1), ("2 + 3 * 4", 14), ("(2 + 3) * 4", 20),
    ("1 == 1", True), ("1 != 1", False), ("1 < 2", True), ("2 <= 2", True),
    ("1 > 2", False), ("2 >= 3", False), ("1 < 2 < 3", True), ("1 < 3 < 2", False),
    ('"a" in ("a", "b")', True), ('"c" not in ["a", "b"]', True),
    ("true and false", False), ("true or false", True), ("not false", True),
    ("not true or true", True), ("True and not False", True), ("none == None", True),
    ('"x" == "x"', True), ("1.5 * 2", 3.0),
])
def test_every_operator_evaluates(source: str, value: Any) -> None:
    assert ev(source) == value


def test_names_read_state_time_phase_and_free_capacity() -> None:
    ctx = Ctx(state={"spanning": 3, "bovenlokaal": True}, levels={"me_pelotons": 2},
              t=125, phase="blokkade")
    assert ev("spanning >= 3 and bovenlokaal", ctx) is True
    assert ev("res.me_pelotons < 2", ctx) is False
    assert ev("res.me_pelotons * 10 + spanning", ctx) == 23
    assert ev("t >= 120 and t < 130", ctx) is True
    assert ev('phase == "blokkade"', ctx) is True


def test_a_variable_the_context_lacks_reads_false() -> None:
    """Authority `when: bovenlokaal` in a scenario without that variable never holds."""
    assert ev("bovenlokaal", Ctx()) is False
    assert ev("not bovenlokaal", Ctx()) is True


def test_functions_read_decisions_deliveries_expectations_and_presence() -> None:
    ctx = Ctx(decisions={"aanpak": "ontruimen"}, delivered_ids={"melding"},
              met_ids={"sitrap"}, present_ids={"nctv"})
    assert ev('decided("aanpak") == "ontruimen"', ctx) is True
    assert ev('decided("aanpak") in ("gedogen", "afwachten")', ctx) is False
    assert ev('decided("later") == none', ctx) is True
    assert ev('delivered("melding") and not delivered("ander")', ctx) is True
    assert ev('met("sitrap")', ctx) is True
    assert ev('met("melding")', ctx) is False
    assert ev('present("nctv") and not present("defensie")', ctx) is True


def test_references_name_what_the_expression_reads_once_each() -> None:
    expr = parse_expression('spanning > 1 and res.me_pelotons < 2 and spanning < 4 and '
                            'decided("a") == "x" and delivered("b") and met("c") and '
                            'present("nctv") and t > 3 and phase == "p"')
    assert expr.references == (
        Reference("state", "spanning"), Reference("resource", "me_pelotons"),
        Reference("option", "a/x"), Reference("decision", "a"), Reference("inject", "b"),
        Reference("inject", "c"), Reference("role", "nctv"),
    )
    assert str(expr) == expr.source


def test_holds_is_false_on_a_type_mismatch_but_evaluate_raises() -> None:
    expr = parse_expression('decided("x") > 3')
    assert expr.holds(Ctx()) is False
    assert parse_expression("1 / spanning").holds(Ctx(state={"spanning": 0})) is False
    with pytest.raises(TypeError):
        expr.evaluate(Ctx())


def test_equal_sources_make_equal_expressions() -> None:
    assert parse_expression(" a > 1 ") == parse_expression("a > 1")
    assert len({parse_expression("a > 1"), parse_expression("a > 1")}) == 1


# -- refusals ----------------------------------------------------------------------------
@pytest.mark.parametrize(("source", "message", "column"), [
    ("", "the expression is empty", 1),
    ("   ", "the expression is empty", 1),
    ("spanning.real", "'spanning.real': only res.<resource> has a dot", 1),
    ("res.x.y", "'res.x.y': only res.<resource> has a dot", 1),
    ("res", "write res.<resource>, e.g. res.me_pelotons", 1),
    ("a and open('f')", "'open' is not a function here "
     "(known: decided(), delivered(), met(), present())", 7),
    ("__import__('os').system('true')",
     "'__import__('os').system' is not a function here "
     "(known: decided(), delivered(), met(), present())", 1),
    ("decided", 'decided is a function: write decided("id")', 1),
    ("decided(x)", 'decided() takes one quoted id, e.g. decided("some-id")', 1),
    ("met('a', 'b')", 'met() takes one quoted id, e.g. met("some-id")', 1),
    ("present(role='a')", 'present() takes one quoted id, e.g. present("some-id")', 1),
    ("lambda: 1", "'lambda: 1' is not allowed in an expression", 1),
    ("x[0]", "'x[0]' is not allowed in an expression", 1),
    ("x[1:2]", "'x[1:2]' is not allowed in an expression", 1),
    ("a if b else c", "'a if b else c' is not allowed in an expression", 1),
    ("[x for x in y]", "'[x for x in y]' is not allowed in an expression", 1),
    ("{1: 2}", "'{1: 2}' is not allowed in an expression", 1),
    ("{1, 2}", "'{1, 2}' is not allowed in an expression", 1),
    ("b'x'", "'b'x'' is not allowed in an expression", 1),
    ("2 ** 3", "'2 ** 3': operator not allowed", 1),
    ("a & b", "'a & b': operator not allowed", 1),
    ("~a", "'~a' is not allowed in an expression", 1),
    ("a is none", "use ==, !=, <, <=, >, >=, in or not in", 1),
    ("f'{a}'", "'f'{a}'' is not allowed in an expression", 1),
])
def test_refused_constructs_name_the_reason_and_column(source: str, message: str,
                                                      column: int) -> None:
    with pytest.raises(ExpressionError) as info:
        parse_expression(source)
    assert (str(info.value), info.value.column) == (message, column)


@pytest.mark.parametrize("source", ["spanning >=", "(a", "a = 1", "a := 1", "not"])
def test_syntax_errors_are_expression_errors(source: str) -> None:
    with pytest.raises(ExpressionError, match="^expression syntax error: "):
        parse_expression(source)


def test_eval_and_exec_are_never_used(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("eval/exec was called")

    monkeypatch.setattr(builtins, "eval", refuse)
    monkeypatch.setattr(builtins, "exec", refuse)
    ctx = Ctx(state={"spanning": 4}, levels={"me": 1}, decisions={"a": "x"})
    expr = parse_expression('spanning >= 3 and res.me > 0 and decided("a") in ("x", "y")')
    assert expr.holds(ctx) is True


def test_a_refused_call_has_no_side_effect(tmp_path: Path) -> None:
    target = tmp_path / "pwned"
    with pytest.raises(ExpressionError):
        parse_expression(f"__import__('pathlib').Path({str(target)!r}).touch()")
    assert not target.exists()


# -- name checks at load time -------------------------------------------------------------
BODY = """\
state:
  spanning: {label: Spanning, initial: 1, min: 0, max: 5}
resources:
  me-pelotons: {label: ME, capacity: 2}
phases:
  - {id: aanloop, title: Aanloop}
injects:
  - id: melding
    at: 10m
    from: Meldkamer
    to: [burgemeester]
    channel: melding
    title: Melding
    expect: {what: Sitrap}
  - id: vervolg
    when: EXPR
    from: Meldkamer
    to: [burgemeester]
    channel: melding
    title: Vervolg
decisions:
  - id: aanpak
    on: melding
    question: Wat doet u?
    domain: openbare-orde
    owner: burgemeester
    options:
      - {id: ontruimen, label: Ontruimen, effects: [{add: {spanning: 1}}]}
      - {id: wachten, label: Wachten}
"""


def load_errors(scenario: Callable[[str], LoadedScenario], expression: str) -> list[str]:
    body = BODY.replace("EXPR", expression)
    try:
        loaded = scenario(body)
    except ScenarioProblems as exc:
        return [f"{p.line}:{p.col}: {p.message}" for p in exc.errors]
    assert loaded.scenario.injects[1].when is not None
    return []


# `when:` of inject `vervolg` stands on line 21 (5 header lines + 16), its value at column 11.
@pytest.mark.parametrize(("expression", "message"), [
    ("spaning >= 3", "unknown name 'spaning' in expression 'spaning >= 3' "
                     "(did you mean 'spanning'?)"),
    ("res.me_peloton < 1", "unknown resource 'res.me_peloton' in expression "
                           "'res.me_peloton < 1' (did you mean 'me_pelotons'?)"),
    ("me_pelotons < 1", "unknown name 'me_pelotons' in expression 'me_pelotons < 1' "
                        "(a resource is written res.me_pelotons)"),
    ('decided("aanpk") == "wachten"', "unknown decision 'aanpk' in expression "
                                      "'decided(\"aanpk\") == \"wachten\"' "
                                      "(did you mean 'aanpak'?)"),
    ('decided("aanpak") == "ontruime"', "decision 'aanpak' has no option 'ontruime' "
                                        "(did you mean 'ontruimen'?)"),
    ('delivered("meldin")', "unknown inject 'meldin' in expression 'delivered(\"meldin\")' "
                            "(did you mean 'melding'?)"),
    ('met("melding2")', "unknown inject 'melding2' in expression 'met(\"melding2\")' "
                        "(did you mean 'melding'?)"),
    ('present("burgemeestr")', "unknown role 'burgemeestr' in expression "
                               "'present(\"burgemeestr\")' (did you mean 'burgemeester'?)"),
    ("zzz > 1", "unknown name 'zzz' in expression 'zzz > 1'"),
])
def test_unknown_names_are_located_with_a_suggestion(
        scenario: Callable[[str], LoadedScenario], expression: str, message: str) -> None:
    assert load_errors(scenario, f"'{expression}'") == [f"21:11: {message}"]


def test_known_names_load(scenario: Callable[[str], LoadedScenario]) -> None:
    good = ('spanning >= 3 and res.me_pelotons < 2 and decided("aanpak") == "ontruimen" '
            'and delivered("melding") and met("melding") and present("om") and t > 5 '
            'and phase == "aanloop"')
    assert load_errors(scenario, f"'{good}'") == []


def test_a_syntax_error_is_located(scenario: Callable[[str], LoadedScenario]) -> None:
    errors = load_errors(scenario, "spanning >=")
    assert len(errors) == 1
    assert errors[0].startswith("21:11: injects[vervolg].when: expression syntax error")
