"""The YAML loader: YAML 1.2 values, positions and unreadable input."""

from __future__ import annotations

import os
import tracemalloc
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from slacheck.findings import Finding, Severity
from slacheck.lint import load_definitions
from slacheck.yamlload import (
    MAX_ALIAS_EXPANSION,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    LoadedFile,
    load_file,
    load_text,
    read_bytes,
)

SERVICE = """\
apiVersion: slacheck/v1
kind: Service
metadata:
  name: checkout
spec:
  description: Checkout API
"""


def positions(findings: list[Finding]) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.code) for f in findings]


def only_document(loaded: LoadedFile) -> Any:
    assert len(loaded.documents) == 1, loaded.findings
    return loaded.documents[0].data


# (plain scalar, value slacheck reads, whether YAML 1.1 reads it differently)
SCALARS = [
    ("no", "no", True),
    ("No", "No", True),
    ("off", "off", True),
    ("on", "on", True),
    ("yes", "yes", True),
    ("1:30", "1:30", True),
    ("2022-01-01", "2022-01-01", True),
    ("2022-01-01T10:00:00Z", "2022-01-01T10:00:00Z", True),
    ("010", 10, True),
    (".inf", ".inf", True),
    ("-.inf", "-.inf", True),
    (".nan", ".nan", True),
    ("0o17", 15, True),
    ("1e3", Decimal(1000), True),
    ("1_000", "1_000", True),
    ("0b11", "0b11", True),
    ("true", True, False),
    ("False", False, False),
    ("null", None, False),
    ("~", None, False),
    ("42", 42, False),
    ("-7", -7, False),
    ("0x1F", 31, False),
    ("0.999", Decimal("0.999"), False),
    ("99.9%", "99.9%", False),
    ("28d", "28d", False),
    ("'no'", "no", False),
    ('"2022-01-01"', "2022-01-01", False),
    ("!!str on", "on", False),
]


@pytest.mark.parametrize(("written", "expected", "warns"), SCALARS)
def test_plain_scalar_reading(written: str, expected: Any, warns: bool) -> None:
    loaded = load_text("f.yaml", f"first: 1\nvalue: {written}\n")
    value = only_document(loaded)["value"]
    assert value == expected
    assert type(value) is type(expected)
    expected_findings = [(2, 8, "SC007")] if warns else []
    assert positions(loaded.findings) == expected_findings


def test_yaml11_warning_is_a_warning_with_field() -> None:
    loaded = load_text("f.yaml", "spec:\n  labels:\n    paging: on\n")
    [finding] = loaded.findings
    assert finding.severity == Severity.WARNING
    assert finding.field_path == "$.spec.labels.paging"
    assert finding.message == (
        "plain value 'on' is read as the string 'on' here (YAML 1.2) "
        "but as a boolean by YAML 1.1 tools; quote it"
    )


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (
            "010",
            "plain value '010' is read as the number 10 here (YAML 1.2) but as an "
            "octal number by YAML 1.1 tools; drop the leading zero or quote it",
        ),
        (
            "1e3",
            "plain value '1e3' is read as the number 1000 here (YAML 1.2) but as a "
            "string by YAML 1.1 tools; write 1000 or quote it",
        ),
        (
            ".inf",
            "plain value '.inf' is read as the string '.inf' here, but as a number "
            "by YAML 1.1 and YAML 1.2 tools; quote it",
        ),
        (
            "1:30",
            "plain value '1:30' is read as the string '1:30' here (YAML 1.2) but as "
            "a number by YAML 1.1 tools; quote it",
        ),
    ],
)
def test_yaml11_warning_messages(written: str, message: str) -> None:
    loaded = load_text("f.yaml", f"value: {written}\n")
    assert [f.message for f in loaded.findings] == [message]


def test_yaml11_directive_changes_nothing() -> None:
    loaded = load_text("f.yaml", "%YAML 1.1\n---\nvalue: yes\n")
    assert only_document(loaded) == {"value": "yes"}
    assert positions(loaded.findings) == [(3, 8, "SC007")]


def test_non_integer_numbers_are_exact() -> None:
    data = only_document(load_text("f.yaml", "a: 0.1\nb: 0.2\nc: 0.3\n"))
    assert data["a"] + data["b"] == data["c"]


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def codes_at(folder: Path, *names: str) -> list[tuple[str, int, int, str]]:
    """Load paths below ``folder`` and list (file name, line, column, code)."""
    paths = [str(folder / name) for name in names] or [str(folder)]
    loaded = load_definitions(paths)
    found = [(Path(f.path).name, f.line, f.column, f.code) for f in loaded.findings]
    return sorted(found)


SLO_WITH_YES = """\
apiVersion: slacheck/v1
kind: SLO
metadata:
  name: checkout-availability
  labels:
    team: 010
spec:
  service: checkout
  indicatorRef: checkout-availability
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 28d
      isRolling: yes
  objectives:
    - target: 99.9%
"""


def test_yaml12_value_with_wrong_type_is_schema_error(tmp_path: Path) -> None:
    write(tmp_path, "slo.yaml", SLO_WITH_YES)
    loaded = load_definitions([str(tmp_path / "slo.yaml")])
    found = {(f.line, f.column, f.code): f for f in loaded.findings}
    assert (6, 11, "SC007") in found
    assert (6, 11, "SC010") in found
    assert found[(6, 11, "SC010")].message == (
        "$.metadata.labels.team should be a string, not the number 10"
    )
    assert (13, 18, "SC007") in found
    assert (13, 18, "SC010") in found
    assert found[(13, 18, "SC010")].message == (
        "$.spec.timeWindow[0].isRolling should be a boolean, not 'yes'"
    )
    assert found[(13, 18, "SC010")].field_path == "$.spec.timeWindow[0].isRolling"


def test_duplicate_key_names_both_lines() -> None:
    text = "apiVersion: slacheck/v1\nmetadata:\n  name: a\n  owner: x\n  name: b\n"
    loaded = load_text("f.yaml", text)
    assert positions(loaded.findings) == [(5, 3, "SC002")]
    [finding] = loaded.findings
    assert finding.message == (
        "duplicate key 'name' on line 5, first defined on line 3; remove one of them"
    )
    assert finding.field_path == "$.metadata.name"
    assert loaded.documents == []


def test_duplicate_key_spares_other_documents() -> None:
    text = "a: 1\n---\nb: 1\nb: 2\n---\nc: 1\n"
    loaded = load_text("f.yaml", text)
    assert positions(loaded.findings) == [(4, 1, "SC002")]
    assert [d.data for d in loaded.documents] == [{"a": 1}, {"c": 1}]


def test_same_key_after_merge_is_no_duplicate() -> None:
    text = "base: &b {x: 1}\nitem:\n  <<: *b\n  x: 2\n"
    loaded = load_text("f.yaml", text)
    assert loaded.findings == []
    assert only_document(loaded)["item"] == {"x": 2}


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("metadata:\n\tname: a\n", 2),
        ("metadata:\n  name: a\n\towner: b\n", 3),
    ],
)
def test_tab_indentation_is_syntax_error(text: str, line: int) -> None:
    loaded = load_text("f.yaml", text)
    assert positions(loaded.findings) == [(line, 1, "SC001")]
    assert loaded.findings[0].message.endswith(
        "; a tab character is here: indent with spaces, not tabs"
    )


def test_syntax_error_points_at_problem() -> None:
    loaded = load_text("f.yaml", 'a: 1\nb: "open\nc: 2\n')
    assert positions(loaded.findings) == [(4, 1, "SC001")]
    assert loaded.findings[0].message == (
        "invalid YAML: found unexpected end of stream (while scanning a quoted scalar)"
    )


def test_control_character_is_located() -> None:
    loaded = load_text("f.yaml", "a: 1\nb: x\x07y\n")
    assert positions(loaded.findings) == [(2, 5, "SC001")]
    assert loaded.findings[0].message == (
        "invalid YAML: character U+0007 is not allowed in YAML text; remove it"
    )


@pytest.mark.parametrize(
    ("raw", "where", "message"),
    [
        (
            b"a: 1\nb: 2\x00\x01\x02\n",
            (2, 1),
            "file contains binary content (a NUL byte), not YAML text",
        ),
        (
            "a: 1\nb: caf\xe9\n".encode("latin-1"),
            (2, 7),
            "file is not valid UTF-8 (byte 0xe9); save it as UTF-8",
        ),
        (
            "a: 1\n".encode("utf-16"),
            (1, 1),
            "file is encoded as UTF-16; save it as UTF-8",
        ),
        (
            "a: 1\n".encode("utf-32"),
            (1, 1),
            "file is encoded as UTF-32; save it as UTF-8",
        ),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00",
            (3, 1),
            "file contains binary content (a NUL byte), not YAML text",
        ),
    ],
)
def test_not_text_is_sc003(raw: bytes, where: tuple[int, int], message: str) -> None:
    loaded = load_file("f.yaml", raw)
    assert positions(loaded.findings) == [(*where, "SC003")]
    assert loaded.findings[0].message == message
    assert loaded.documents == []


def billion_laughs(levels: int) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        previous = f"*l{level - 1}"
        lines.append(f"l{level}: &l{level} [{', '.join([previous] * 9)}]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_stopped() -> None:
    # Nine levels expand to 9**9 (387 million) strings: the loader must stop
    # counting long before, or this test would not finish.
    loaded = load_text("f.yaml", billion_laughs(9))
    assert [f.code for f in loaded.findings] == ["SC004"]
    # The allowance is MAX_ALIAS_EXPANSION plus one per value the file spells.
    message = loaded.findings[0].message
    allowance = int(message.split("more than ")[1].split()[0])
    assert MAX_ALIAS_EXPANSION < allowance < MAX_ALIAS_EXPANSION + 100
    assert message == (
        f"aliases expand to more than {allowance} extra values "
        "(an alias bomb?); write the values out or share fewer anchors; "
        "the rest of the file is not read"
    )
    assert loaded.documents == []


def test_modest_alias_use_is_fine() -> None:
    text = "shared: &s [a, b, c]\none: *s\ntwo: *s\n"
    data = only_document(load_text("f.yaml", text))
    assert data["one"] == data["two"] == ["a", "b", "c"]


DEPTH = 10_000


def block_mappings(depth: int) -> str:
    return "".join("  " * i + f"k{i}:\n" for i in range(depth)) + "  " * depth + "v\n"


@pytest.mark.parametrize(
    "text",
    [
        block_mappings(DEPTH),
        "".join("  " * i + "-\n" for i in range(DEPTH)) + "  " * DEPTH + "x\n",
        "a:\n  " + "- " * DEPTH + "x\n",
        "a: " + "[" * DEPTH + "]" * DEPTH + "\n",
        "a: " + "{b: " * DEPTH + "1" + "}" * DEPTH + "\n",
    ],
    ids=[
        "block-mapping",
        "block-sequence",
        "compact-sequence",
        "flow-sequence",
        "flow-mapping",
    ],
)
def test_very_deep_nesting_is_sc005(text: str) -> None:
    loaded = load_text("f.yaml", text)
    assert [f.code for f in loaded.findings] == ["SC005"]
    assert loaded.findings[0].line >= 1
    assert loaded.documents == []


def test_nesting_limit_is_exact() -> None:
    at_limit = load_text("f.yaml", block_mappings(MAX_DEPTH))
    assert at_limit.findings == []
    over = load_text("f.yaml", block_mappings(MAX_DEPTH + 1))
    assert positions(over.findings) == [(MAX_DEPTH + 2, 2 * MAX_DEPTH + 3, "SC005")]
    assert over.findings[0].message == (
        f"document nests deeper than {MAX_DEPTH} levels; flatten it"
    )


def test_file_over_limit_is_sc006() -> None:
    raw = b"a: " + b"x" * MAX_FILE_BYTES
    loaded = load_file("f.yaml", raw)
    assert positions(loaded.findings) == [(1, 1, "SC006")]
    assert loaded.findings[0].message == (
        "file is larger than the 5 MiB limit; split it into smaller definition files"
    )


def test_file_at_limit_is_read() -> None:
    raw = b"a: " + b"x" * (MAX_FILE_BYTES - 4) + b"\n"
    assert len(raw) == MAX_FILE_BYTES
    loaded = load_file("f.yaml", raw)
    assert loaded.findings == []


def test_huge_file_is_not_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.write(b"apiVersion: slacheck/v1\nkind: Service\n")
        handle.truncate(64 * 1024 * 1024)  # sparse: no disk space used
    tracemalloc.start()
    try:
        loaded = load_definitions([str(tmp_path)])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [f.code for f in loaded.findings] == ["SC006"]
    assert len(read_bytes(str(path))) == MAX_FILE_BYTES + 1
    assert peak < 4 * MAX_FILE_BYTES


def test_multi_document_positions() -> None:
    text = "a: 1\n---\n# note\nb:\n  c: 2\n--- \nd: 3\n---\n"
    loaded = load_text("f.yaml", text)
    assert loaded.findings == []
    documents = loaded.documents
    assert [d.data for d in documents] == [{"a": 1}, {"b": {"c": 2}}, {"d": 3}]
    assert [(d.index, d.line, d.column) for d in documents] == [
        (0, 1, 1),
        (1, 4, 1),
        (2, 7, 1),
    ]
    assert documents[1].position(("b", "c")) == (5, 6)
    assert documents[1].key_position(("b", "c")) == (5, 3)


def test_top_level_list_is_documents() -> None:
    text = "- kind: SLI\n  metadata: {name: a}\n- kind: SLO\n  metadata: {name: b}\n"
    loaded = load_text("f.yaml", text)
    documents = loaded.documents
    assert [d.data["kind"] for d in documents] == ["SLI", "SLO"]
    assert [(d.index, d.line, d.column) for d in documents] == [(0, 1, 3), (1, 3, 3)]
    assert documents[1].position(("metadata", "name")) == (4, 20)


def test_position_falls_back_to_parent() -> None:
    loaded = load_text("f.yaml", "spec:\n  commitments:\n    - name: up\n")
    document = loaded.documents[0]
    assert document.position(("spec", "commitments", 0, "target")) == (3, 7)
    assert document.position(()) == (1, 1)


def test_merge_keys() -> None:
    text = (
        "defaults: &d {period: month, timeZone: UTC}\n"
        "eu: &eu {timeZone: Europe/Berlin, region: eu}\n"
        "one:\n  <<: *d\n  timeZone: Asia/Tokyo\n"
        "two:\n  <<: [*d, *eu]\n"
    )
    data = only_document(load_text("f.yaml", text))
    assert data["one"] == {"timeZone": "Asia/Tokyo", "period": "month"}
    assert data["two"] == {"period": "month", "timeZone": "UTC", "region": "eu"}


def test_merge_of_scalar_is_sc008() -> None:
    loaded = load_text("f.yaml", "a:\n  <<: text\n")
    assert positions(loaded.findings) == [(2, 7, "SC008")]
    assert loaded.findings[0].field_path == "$.a['<<']"


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("!!str 1", "1"),
        ("!!str yes", "yes"),
        ("!!int '3'", 3),
        ("!!float 1", Decimal(1)),
        ("!!float '0.5'", Decimal("0.5")),
        ("!!bool true", True),
        ("!!null ''", None),
    ],
)
def test_standard_tags_are_honoured(written: str, expected: Any) -> None:
    loaded = load_text("f.yaml", f"value: {written}\n")
    value = only_document(loaded)["value"]
    assert value == expected
    assert type(value) is type(expected)
    assert loaded.findings == []


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("!!int abc", "value 'abc' does not match its tag 'tag:yaml.org,2002:int'"),
        ("!!bool yes", "value 'yes' does not match its tag 'tag:yaml.org,2002:bool'"),
        ("!Ref checkout", "unsupported YAML tag '!Ref'; remove the tag"),
        (
            "!!binary aGk=",
            "unsupported YAML tag 'tag:yaml.org,2002:binary'; remove the tag",
        ),
        (
            "!!timestamp 2022-01-01",
            "unsupported YAML tag 'tag:yaml.org,2002:timestamp'; remove the tag",
        ),
        (
            "!!set {a, b}",
            "unsupported YAML tag 'tag:yaml.org,2002:set'; remove the tag",
        ),
    ],
)
def test_other_tags_are_sc008(written: str, message: str) -> None:
    loaded = load_text("f.yaml", f"first: 1\nvalue: {written}\n")
    assert positions(loaded.findings) == [(2, 8, "SC008")]
    assert loaded.findings[0].message == message
    assert loaded.findings[0].field_path == "$.value"


def test_complex_key_is_sc008() -> None:
    loaded = load_text("f.yaml", "? [a, b]\n: 1\n")
    assert positions(loaded.findings) == [(1, 3, "SC008")]


@pytest.mark.parametrize(
    "text", ["", "\n\n", "# only\n# comments\n", "---\n", "--- \n...\n"]
)
def test_empty_files_have_no_documents(text: str) -> None:
    loaded = load_text("f.yaml", text)
    assert loaded.documents == []
    assert loaded.findings == []


def test_windows_line_endings_and_bom_keep_positions() -> None:
    text = "apiVersion: slacheck/v1\nmetadata:\n  name: a\n  labels:\n    x: no\n"
    plain = load_file("f.yaml", text.encode())
    crlf = load_file("f.yaml", text.replace("\n", "\r\n").encode())
    bom = load_file("f.yaml", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    for loaded in (crlf, bom):
        assert only_document(loaded) == only_document(plain)
        assert loaded.documents[0].positions == plain.documents[0].positions
        assert (
            positions(loaded.findings) == positions(plain.findings) == [(5, 8, "SC007")]
        )


def test_trailing_separator_is_not_a_document(tmp_path: Path) -> None:
    write(tmp_path, "svc.yaml", SERVICE + "---\n")
    assert codes_at(tmp_path, "svc.yaml") == []


def test_untyped_document_among_definitions_is_sc009(tmp_path: Path) -> None:
    write(tmp_path, "svc.yaml", SERVICE + "---\nname: forgotten\n")
    assert codes_at(tmp_path, "svc.yaml") == [("svc.yaml", 8, 1, "SC009")]


def test_foreign_documents_among_definitions_are_ignored(tmp_path: Path) -> None:
    manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"
    write(tmp_path, "mixed.yaml", SERVICE + "---\n" + manifest)
    loaded = load_definitions([str(tmp_path)])
    assert loaded.findings == []
    assert [d.name for d in loaded.catalog.documents] == ["checkout"]


FOREIGN = "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n"


def test_folder_scan_skips_foreign_yaml(tmp_path: Path) -> None:
    write(tmp_path, "svc.yaml", SERVICE)
    write(tmp_path, "workflow.yaml", FOREIGN + "jobs: again\n")  # duplicate key
    write(tmp_path, "broken.yml", "key: [unclosed\n")
    write(tmp_path, "notes.txt", SERVICE + "bad: [\n")
    loaded = load_definitions([str(tmp_path)])
    assert loaded.findings == []
    assert [Path(p).name for p in loaded.files] == ["svc.yaml"]


def test_explicit_foreign_file_is_skipped_silently(tmp_path: Path) -> None:
    path = write(tmp_path, "workflow.yaml", FOREIGN)
    loaded = load_definitions([str(path)])
    assert loaded.findings == []
    assert loaded.files == []


def test_explicit_unparseable_foreign_file_is_quiet(tmp_path: Path) -> None:
    # pre-commit passes every YAML file of a commit, definitions or not.
    path = write(tmp_path, "workflow.yaml", FOREIGN + "on: again\n")
    loaded = load_definitions([str(path)])
    assert loaded.findings == []


def test_explicit_unparseable_definition_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "svc.yaml", SERVICE + "kind: again\n")
    loaded = load_definitions([str(path)])
    assert positions(loaded.findings) == [(7, 1, "SC002")]


def test_explicit_file_of_any_name_is_read(tmp_path: Path) -> None:
    path = write(
        tmp_path, "service.txt", SERVICE.replace("name: checkout", "name: Bad")
    )
    loaded = load_definitions([str(path)])
    assert positions(loaded.findings) == [(4, 9, "SC010")]


@pytest.mark.parametrize(
    "folder",
    [
        ".git",
        ".venv",
        "venv",
        "node_modules",
        ".hidden",
        "env-with-pyvenv",
        "deep/.tox",
    ],
)
def test_folder_scan_skips_folders(tmp_path: Path, folder: str) -> None:
    write(tmp_path, "svc.yaml", SERVICE)
    write(tmp_path, f"{folder}/broken.yaml", SERVICE + "bad: [\n")
    write(tmp_path, f"{folder}/nested/broken.yaml", SERVICE + "bad: [\n")
    if folder == "env-with-pyvenv":
        write(tmp_path, f"{folder}/pyvenv.cfg", "home = /usr/bin\n")
    loaded = load_definitions([str(tmp_path)])
    assert loaded.findings == []
    assert [Path(p).name for p in loaded.files] == ["svc.yaml"]


def test_named_folder_is_scanned_even_if_skipped_below(tmp_path: Path) -> None:
    write(tmp_path, "node_modules/svc.yaml", SERVICE + "bad: [\n")
    loaded = load_definitions([str(tmp_path / "node_modules")])
    assert [f.code for f in loaded.findings] == ["SC001"]


def test_folder_scan_reads_each_file_once(tmp_path: Path) -> None:
    path = write(tmp_path, "svc.yaml", SERVICE)
    loaded = load_definitions([str(tmp_path), str(path), str(tmp_path)])
    assert len(loaded.files) == 1
    assert len(loaded.catalog.documents) == 1


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_dangling_link_is_sc011(tmp_path: Path) -> None:
    write(tmp_path, "svc.yaml", SERVICE)
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "missing.yaml")
    loaded = load_definitions([str(tmp_path)])
    assert codes_at(tmp_path) == [("gone.yaml", 1, 1, "SC011")]
    assert loaded.findings[0].message == "cannot read file: No such file or directory"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_links_are_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "slas/v3.yaml", SERVICE.replace("checkout", "Bad"))
    (tmp_path / "slas" / "current.yaml").symlink_to(tmp_path / "slas" / "v3.yaml")
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "missing.yaml")
    monkeypatch.chdir(tmp_path)
    loaded = load_definitions(["."])
    assert [(f.path, f.code) for f in loaded.findings] == [
        ("gone.yaml", "SC011"),
        ("slas/v3.yaml", "SC010"),
    ]


def test_discover_above_cwd_relative_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from slacheck.discovery import discover

    names = ("repo/slas/a.yaml", "repo/slas/deep/b.yaml", "repo/slos/c.yaml")
    for name in (*names, "repo/slas/deep/env/d.yaml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("kind: SLA\n", encoding="utf-8")
    (tmp_path / "repo/slas/deep/env/pyvenv.cfg").write_text("home = /usr\n")
    monkeypatch.chdir(tmp_path / "repo" / "slas")
    outside = (tmp_path / "repo/slos/c.yaml").as_posix()
    expected = {
        "..": ["a.yaml", "deep/b.yaml", "../slos/c.yaml"],
        "deep/../..": ["a.yaml", "deep/b.yaml", "deep/../../slos/c.yaml"],
        str(tmp_path / "repo"): ["a.yaml", "deep/b.yaml", outside],
        str(tmp_path): ["a.yaml", "deep/b.yaml", outside],
        ".": ["a.yaml", "deep/b.yaml"],
        "deep/env": ["deep/env/d.yaml"],
    }
    for spelling, paths in expected.items():
        assert [c.path for c in discover([spelling])] == paths, spelling


@pytest.mark.parametrize("size", [0, 1, 4095, MAX_FILE_BYTES, MAX_FILE_BYTES + 10])
def test_read_bytes_stops_past_limit(tmp_path: Path, size: int) -> None:
    path = tmp_path / "f.yaml"
    content = bytes(range(256)) * (size // 256 + 1)
    path.write_bytes(content[:size])
    assert read_bytes(str(path)) == content[: min(size, MAX_FILE_BYTES + 1)]


def test_syntax_error_keeps_earlier_documents() -> None:
    text = (
        "apiVersion: slacheck/v1\nkind: Service\nmetadata: {name: first}\n"
        "---\n"
        "apiVersion: slacheck/v1\nkind: Service\nmetadata: {name: [broken}\n"
        "---\n"
        "apiVersion: slacheck/v1\nkind: Service\nmetadata: {name: after}\n"
    )
    loaded = load_text("f.yaml", text)
    assert [d.data["metadata"]["name"] for d in loaded.documents] == ["first"]
    assert [f.code for f in loaded.findings] == ["SC001"]
    assert loaded.findings[0].line == 7


def test_non_specific_tag_reads_string() -> None:
    text = (
        'a: ! "5"\nb: ! yes\nc: ! 0o17\nd: &shared ! on\ne: *shared\n'
        "f: ! [1]\ng: !!str 5\nh: 5\n"
    )
    loaded = load_text("f.yaml", text)
    assert loaded.findings == []
    assert loaded.documents[0].data == {
        "a": "5", "b": "yes", "c": "0o17", "d": "on", "e": "on", "f": [1],
        "g": "5", "h": 5,
    }
