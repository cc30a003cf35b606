"""The safe YAML reader: values and positions, and every way a file can be refused."""

from __future__ import annotations

import datetime as dt
import time
import tracemalloc

import pytest
import yaml

from gmed_trainer.decks import yamlsafe
from gmed_trainer.decks.findings import Code
from gmed_trainer.decks.yamlsafe import (
    REJECTED,
    Limits,
    YamlSafeError,
    YList,
    YMap,
    parse,
    read_text,
)
from tests.decks.helpers import check, deck_text

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


@pytest.fixture(params=["c", "python"])
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with libyaml's parser and again with PyYAML's pure Python fallback."""
    if request.param == "python":
        monkeypatch.setattr(yamlsafe, "_Loader", yaml.SafeLoader)
    return str(request.param)


def fails(text: str, **limits: int) -> YamlSafeError:
    with pytest.raises(YamlSafeError) as caught:
        parse(text, limits=Limits(**limits))
    return caught.value


def test_values_and_positions(loader: str) -> None:
    doc = parse("a: 1\nb:\n  - x\n  - {c: yes, d: ~, e: 2026-01-02, f: '3', g: 1.5}\n")
    root = doc.root
    assert isinstance(root, YMap)
    assert root == {
        "a": 1,
        "b": ["x", {"c": True, "d": None, "e": dt.date(2026, 1, 2), "f": "3", "g": 1.5}],
    }
    assert (root.key_pos["b"].line, root.key_pos["b"].column) == (1, 0)
    items = root["b"]
    assert isinstance(items, YList)
    assert [(p.line, p.column) for p in items.item_pos] == [(2, 4), (3, 4)]
    inner = items[1]
    assert (inner.value_pos["f"].line, inner.value_pos["f"].column) == (3, 37)
    assert doc.problems == []


YAML11_WORDS = {
    **dict.fromkeys(["yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"], True),
    **dict.fromkeys(["no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"], False),
    **dict.fromkeys(["null", "Null", "NULL", "~"], None),
}


@pytest.mark.parametrize(("word", "value"), YAML11_WORDS.items())
def test_plain_scalars_resolve_as_yaml_1_1_says(loader: str, word: str, value: object) -> None:
    # Read twice (the second from what the reader remembers), in a mapping and in a list.
    text = f"a: {word}\nb: {word}\nc: [{word}, '{word}']\n"
    assert parse(text).root == {"a": value, "b": value, "c": [value, word]}
    assert parse("a:\nb:\n").root == {"a": None, "b": None}


def test_only_plain_scalars_that_could_be_typed_are_resolved(loader: str) -> None:
    text = "a: trueish\nb: Nullable value\nc: 0x1F\nd: 1_000\ne: .inf\nf: 2026-01-02 10:00:00\n"
    root = parse(text).root
    assert root["a"] == "trueish" and root["b"] == "Nullable value"
    assert (root["c"], root["d"], root["e"]) == (31, 1000, float("inf"))
    assert root["f"] == dt.datetime(2026, 1, 2, 10, 0)


def test_keys_are_the_text_as_written(loader: str) -> None:
    # YAML 1.1 reads a bare `yes` or `1` as true or a number: as a key, keep what was typed.
    assert parse("yes: a\n1: b\nnull: c\n").root == {"yes": "a", "1": "b", "null": "c"}


def test_anchors_and_aliases_share_values(loader: str) -> None:
    root = parse("base: &o {id: a, text: A}\nuse: [*o, *o]\n").root
    assert root["use"] == [{"id": "a", "text": "A"}] * 2
    assert root["use"][0] is root["base"]


def test_explicit_core_tags_are_allowed(loader: str) -> None:
    # `!` alone means "resolve as usual" to PyYAML (and libyaml): `! 8` is the number 8.
    assert parse("a: !!str 5\nb: !!int '7'\nc: ! 8\n").root == {"a": "5", "b": 7, "c": 8}


def test_duplicate_keys_keep_the_first_and_are_reported(loader: str) -> None:
    doc = parse("a: 1\nb: 2\na: 3\n")
    assert doc.root == {"a": 1, "b": 2}
    [problem] = doc.problems
    assert (problem.code, problem.line, problem.column) == (Code.DUPLICATE_KEY, 3, 1)
    assert "first at line 1" in problem.message


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object/apply:os.system ['true']\n",
        "a: !!python/name:os.system\n",
        "a: !custom {x: 1}\n",
        "a: !!set {x, y}\n",
        "a: !!binary aGk=\n",
        "a: !<tag:example.com,2026:thing> x\n",
    ],
)
def test_foreign_tags_are_rejected_not_constructed(loader: str, text: str) -> None:
    doc = parse(text)
    assert doc.root == {"a": REJECTED}
    [problem] = doc.problems
    assert (problem.code, problem.line, problem.column) == (Code.TAG_NOT_ALLOWED, 1, 4)


def test_billion_laughs_fails_fast_in_little_memory(loader: str) -> None:
    tracemalloc.start()
    started = time.perf_counter()
    error = fails(BILLION_LAUGHS)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert error.code == Code.ALIAS_LIMIT
    assert (error.line, error.column) == (6, 8)
    assert elapsed < 1.0
    assert peak < 5 * 1024 * 1024


def test_the_alias_budget_is_configurable() -> None:
    text = "a: &a [1, 2, 3]\nb: [*a, *a]\n"
    assert parse(text).root["b"] == [[1, 2, 3], [1, 2, 3]]
    assert fails(text, max_alias_nodes=5).code == Code.ALIAS_LIMIT


def test_nesting_is_bounded(loader: str) -> None:
    error = fails("a: " + "[" * 10 + "]" * 10 + "\n", max_depth=5)
    assert (error.code, error.line, error.column) == (Code.TOO_DEEP, 1, 8)


def test_deep_flow_nesting_fails_quickly(loader: str) -> None:
    started = time.perf_counter()
    error = fails("[" * 100_000)
    assert error.code in {Code.TOO_DEEP, Code.YAML_SYNTAX}
    assert time.perf_counter() - started < 2.0


@pytest.mark.parametrize(
    ("text", "code", "line", "column"),
    [
        ("a: [1, 2\nb: 3\n", Code.YAML_SYNTAX, 2, 2),
        ("a: 1\n---\nb: 2\n", Code.YAML_SYNTAX, 2, 1),
        ("a: *missing\n", Code.YAML_SYNTAX, 1, 4),
        ("a: &x [1, *x]\n", Code.YAML_SYNTAX, 1, 11),
        ("a: b\n\tc: d\n", Code.YAML_SYNTAX, 2, 1),
    ],
)
def test_unreadable_yaml(loader: str, text: str, code: Code, line: int, column: int) -> None:
    error = fails(text)
    assert (error.code, error.line, error.column) == (code, line, column)


def test_complex_and_merge_keys_are_refused(loader: str) -> None:
    doc = parse("? [a]\n: 1\n<<: {b: 2}\nx: &k key\n*k : 3\nc: 4\n")
    assert doc.root == {"x": "key", "c": 4}
    assert [(p.code, p.line) for p in doc.problems] == [
        (Code.BAD_KEY, 1),
        (Code.BAD_KEY, 3),
        (Code.BAD_KEY, 5),
    ]


def test_empty_document() -> None:
    assert parse("").root is None
    assert parse("# only a comment\n").root is None


def test_read_text_limits_size() -> None:
    error = _read_fails(b"a" * 101, max_bytes=100)
    assert (error.code, error.line, error.column) == (Code.FILE_TOO_LARGE, 1, 1)
    assert read_text(b"a" * 100, limits=Limits(max_bytes=100)) == "a" * 100


def test_read_text_refuses_binary() -> None:
    error = _read_fails(b"format: x\nab\x00cd")
    assert (error.code, error.line, error.column) == (Code.BINARY_FILE, 2, 3)


def test_read_text_refuses_other_encodings() -> None:
    error = _read_fails("a: b\ntitle: caf\u00e9\n".encode("latin-1"))
    assert (error.code, error.line, error.column) == (Code.NOT_UTF8, 2, 11)
    assert "0xe9" in error.message
    utf16 = "a: b\n".encode("utf-16")
    assert _read_fails(utf16).code in {Code.NOT_UTF8, Code.BINARY_FILE}


def test_read_text_drops_a_bom() -> None:
    assert read_text("\ufeffa: b\n".encode()) == "a: b\n"


def test_file_problems_become_findings() -> None:
    findings = check(b"\xff\xfe", limits=None)
    assert [(f.code, f.line, f.column) for f in findings] == [(Code.NOT_UTF8, 1, 1)]
    big = deck_text().encode() + b"#" * 200
    [finding] = check(big, limits=Limits(max_bytes=100))
    assert (finding.code, finding.severity) == (Code.FILE_TOO_LARGE, "error")


def _read_fails(data: bytes, **limits: int) -> YamlSafeError:
    with pytest.raises(YamlSafeError) as caught:
        read_text(data, limits=Limits(**limits))
    return caught.value
