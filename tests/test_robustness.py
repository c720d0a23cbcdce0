"""Hostile input: huge numbers, unreadable paths, odd files, bombs and misspellings."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO

from slacheck import lint
from slacheck.classify import looks_like_definitions
from slacheck.display import clip, number_text, quote
from slacheck.findings import Finding
from slacheck.lint import load_definitions
from slacheck.quantities import format_minutes
from slacheck.settings import LintSettings
from slacheck.yamlload import load_file, load_text
from slacheck.yamlscalars import OVERSIZED_NUMBER

SERVICE = "apiVersion: slacheck/v1\nkind: Service\nmetadata:\n  name: {name}\n"
KPI = (
    "apiVersion: slacheck/v1\nkind: KPI\nmetadata: {{name: k, owner: team}}\n"
    "spec: {{metric: m, unit: count, direction: lowerIsBetter, target: {target}}}\n"
)
CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n---\n"


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def found(paths: list[Path | str]) -> list[tuple[str, int, int, str]]:
    """Load ``paths`` and list (file name, line, column, code), sorted."""
    loaded = load_definitions([str(p) for p in paths])
    return sorted(
        (Path(f.path).name, f.line, f.column, f.code) for f in loaded.findings
    )


def messages(paths: list[Path | str]) -> list[str]:
    loaded = load_definitions([str(p) for p in paths])
    return [f.message for f in sorted(loaded.findings, key=Finding.sort_key)]


def run(
    *args: str,
    cwd: Path,
    env: dict[str, str] | None = None,
    prefix: tuple[str, ...] = (),
) -> subprocess.CompletedProcess[bytes]:
    """Run ``slacheck lint`` and return raw bytes, so that any encoding is checked."""
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    command = [*prefix, sys.executable, "-m", "slacheck", "lint", "--no-cache", *args]
    result = subprocess.run(
        command, cwd=cwd, env=full_env, capture_output=True, timeout=120
    )
    assert b"Traceback" not in result.stderr, result.stderr
    return result


# --- Numbers ---------------------------------------------------------------

# (plain scalar, value the loader gives)
NUMBERS = [
    ("1e100", Decimal("1e100")),
    ("-1e-100", Decimal("-1e-100")),
    ("1e101", "1e101"),
    ("1e999999999", "1e999999999"),
    ("1e99999999999", "1e99999999999"),
    ("9" * 100, int("9" * 100)),
    ("9" * 101, "9" * 101),
    ("9" * 5000, "9" * 5000),
    ("0x" + "f" * 98, int("f" * 98, 16)),
    ("0x" + "f" * 5000, "0x" + "f" * 5000),
]


@pytest.mark.parametrize(("written", "expected"), NUMBERS, ids=lambda v: str(v)[:20])
def test_number_limits(written: str, expected: Any) -> None:
    loaded = load_text("f.yaml", f"value: {written}\n")
    assert loaded.documents[0].data == {"value": expected}
    # 1e100 is a string to YAML 1.1; a number kept as text warns of nothing.
    warns = "e" in written and isinstance(expected, Decimal)
    assert [f.code for f in loaded.findings] == (["SC007"] if warns else [])


@pytest.mark.parametrize("target", ["1e999999999", "9" * 5000, "0x" + "f" * 5000])
def test_huge_number_is_one_short_finding(tmp_path: Path, target: str) -> None:
    path = write(tmp_path, "kpi.yaml", KPI.format(target=target))
    assert found([path]) == [("kpi.yaml", 4, 66, "SC010")]
    assert messages([path]) == [f"$.spec.target is {quote(target)}, {OVERSIZED_NUMBER}"]


def test_huge_number_with_tag_is_sc008() -> None:
    loaded = load_text("f.yaml", "a: !!float 1e999\n")
    assert [f.code for f in loaded.findings] == ["SC008"]
    assert loaded.findings[0].message == (
        "value '1e999' does not match its tag 'tag:yaml.org,2002:float': "
        f"it is {OVERSIZED_NUMBER}"
    )


def test_yaml11_warning_spells_large_number_briefly() -> None:
    loaded = load_text("f.yaml", "a: 1e50\n")
    assert [f.message for f in loaded.findings] == [
        "plain value '1e50' is read as the number 1E+50 here (YAML 1.2) but as "
        "a string by YAML 1.1 tools; write 1.0e+50 or quote it"
    ]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("0.999"), "0.999"),
        (Decimal("100.0"), "100.0"),
        (Decimal("1e20"), "100000000000000000000"),
        (Decimal("1e21"), "1E+21"),
        (Decimal("1e999999999"), "1E+999999999"),
        (Decimal("-1.5e-30"), "-1.5E-30"),
        (Decimal("1000001e20"), "1.00000...E+26"),
        (Decimal("0e-1000"), "0"),
        (Decimal("0." + "1" * 31), "1.11111...E-1"),
        pytest.param(10**5000, "1E+5000", id="int-of-5001-digits"),
        (42, "42"),
    ],
)
def test_number_text(value: int | Decimal, shown: str) -> None:
    assert number_text(value) == shown


@pytest.mark.parametrize(
    ("minutes", "shown"),
    [
        (Decimal("43.2"), "43.2 min"),
        (Decimal("216"), "3 h 36 min"),
        (Decimal("9" * 1000), "1E+1000 min"),
    ],
    ids=["minutes", "hours", "huge"],
)
def test_format_minutes_bounded(minutes: Decimal, shown: str) -> None:
    assert format_minutes(minutes) == shown


def test_huge_duration_is_no_rule_failure(tmp_path: Path) -> None:
    slo = SLO.format(name="o", target="99.9%").replace("28d", "9" * 1000 + "d")
    sla = SLA_DATE.format(date='"2026-01-01"').replace(
        "name: up,", "name: up, sloRef: o,"
    )
    path = write(tmp_path, "f.yaml", slo + "---\n" + sla)
    codes = [f.code for f in lint.lint(LintSettings(paths=[str(path)])).findings]
    assert "SC012" not in codes
    assert "SC206" in codes


def test_clip_and_quote_say_the_length() -> None:
    assert clip("abc") == "abc"
    assert clip("x" * 100) == "x" * 80 + "... (100 characters)"
    assert quote("x" * 100) == repr("x" * 80) + "... (100 characters)"


# --- Unreadable folders and files -------------------------------------------


def _without_permission_override() -> tuple[str, ...] | None:
    """Return a command prefix under which chmod 000 is obeyed, or None.

    root reads any file unless setpriv drops the capabilities that allow it.
    """
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    caps = "-dac_override,-dac_read_search"
    prefix = (setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}")
    probe = subprocess.run([*prefix, "true"], capture_output=True)
    return prefix if probe.returncode == 0 else None


@pytest.fixture
def locked(tmp_path: Path) -> Any:
    """A folder ``d`` whose subfolder ``sub`` (with a definition) has mode 000."""
    prefix = _without_permission_override()
    if prefix is None:
        pytest.skip("cannot drop the permission override of root here")
    write(tmp_path, "d/sub/x.yaml", SERVICE.format(name="inside"))
    write(tmp_path, "d/ok.yaml", SERVICE.format(name="outside"))
    (tmp_path / "d" / "sub").chmod(0)
    yield prefix
    (tmp_path / "d" / "sub").chmod(0o755)


@pytest.mark.parametrize(
    ("named", "expected"),
    [
        ("d", "d/sub:1:1: SC011 cannot read folder: Permission denied\n"),
        ("d/sub", "d/sub:1:1: SC011 cannot read folder: Permission denied\n"),
        (
            "d/sub/x.yaml",
            "d/sub/x.yaml:1:1: SC011 cannot read file: Permission denied\n",
        ),
    ],
)
def test_unreadable_paths_are_sc011(
    tmp_path: Path, locked: tuple[str, ...], named: str, expected: str
) -> None:
    result = run(named, cwd=tmp_path, prefix=locked)
    assert result.stdout.decode() == expected
    assert result.returncode == 1


def test_unlistable_folder_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "sub/x.yaml", SERVICE.format(name="inside"))
    write(tmp_path, "ok.yaml", SERVICE.format(name="outside"))
    real_scandir = os.scandir

    def scandir(path: Any) -> Any:
        if str(path).endswith("sub"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.chdir(tmp_path)
    loaded = load_definitions(["."])
    assert [(f.path, f.line, f.column, f.code, f.message) for f in loaded.findings] == [
        ("sub", 1, 1, "SC011", "cannot read folder: Permission denied")
    ]
    assert [d.name for d in loaded.catalog.documents] == ["outside"]


def test_unreadable_file_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "x.yaml", SERVICE.format(name="x"))

    def read_bytes(name: str) -> bytes:
        raise PermissionError(13, "Permission denied", name)

    monkeypatch.setattr(lint, "read_bytes", read_bytes)
    assert found([path]) == [("x.yaml", 1, 1, "SC011")]
    assert messages([path]) == ["cannot read file: Permission denied"]


def test_venv_check_tolerates_unreadable_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "sub/x.yaml", SERVICE.format(name="inside"))
    real_stat = os.stat

    def stat(path: Any, *args: Any, **kwargs: Any) -> Any:
        if str(path).endswith("pyvenv.cfg"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)
    assert found([tmp_path]) == []
    assert [d.name for d in load_definitions([str(tmp_path)]).catalog.documents] == [
        "inside"
    ]


# --- FIFOs, devices and sockets ---------------------------------------------

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


@needs_fifo
def test_scan_skips_fifo_socket_and_links_to_them(tmp_path: Path) -> None:
    write(tmp_path, "svc.yaml", SERVICE.format(name="Bad"))
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "pipe.yaml")
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(tmp_path / "sock.yaml"))
    try:
        result = run(".", cwd=tmp_path)
    finally:
        listener.close()
    assert [line.split(" ")[:2] for line in result.stdout.decode().splitlines()] == [
        ["svc.yaml:4:9:", "SC010"]
    ]
    assert result.stderr.decode() == "Found 1 error in 1 file.\n"


@needs_fifo
@pytest.mark.parametrize("named", ["pipe.yaml", "/dev/null", "/dev/zero"])
def test_named_special_file_is_sc011(tmp_path: Path, named: str) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    result = run(named, cwd=tmp_path)
    message = "SC011 cannot read file: not a regular file (a FIFO, socket or device)"
    assert result.stdout.decode() == f"{named}:1:1: {message}\n"
    assert result.returncode == 1


# --- Output of names that are not UTF-8 --------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="needs byte file names")
@pytest.mark.parametrize("encoding", ["utf-8", "ascii"])
def test_non_utf8_file_name_is_escaped(tmp_path: Path, encoding: str) -> None:
    name = os.fsdecode(b"bad\xffname.yaml")
    write(tmp_path, name, SERVICE.format(name="Bad"))
    env = {"PYTHONIOENCODING": encoding}
    shown = rb"bad\udcffname.yaml:4:9: SC010"
    to_terminal = run(".", cwd=tmp_path, env=env)
    assert to_terminal.stdout.startswith(shown)
    assert to_terminal.returncode == 1
    to_file = run("-o", "out.txt", ".", cwd=tmp_path, env=env)
    assert (tmp_path / "out.txt").read_bytes().startswith(shown)
    assert to_file.stdout == b"Found 1 error in 1 file.\n"
    assert to_file.returncode == 1


# --- Aliases ---------------------------------------------------------------


def test_alias_budget_is_per_file() -> None:
    # 500 items each expanding a 9000-item list: per-document budgets would
    # allow 4.5 million values; one budget per file stops at the third item.
    shared = "- &big [" + ", ".join(["x"] * 9000) + "]\n"
    item = "- {kind: KPI, spec: {leadingIndicatorFor: *big}}\n"
    loaded = load_text("f.yaml", shared + item * 500)
    assert [f.code for f in loaded.findings] == ["SC004"]
    assert loaded.findings[0].message.endswith("the rest of the file is not read")
    assert len(loaded.documents) == 3


@pytest.mark.parametrize(
    "text",
    [
        "a: &a [*a]\n",
        "a: &m {name: x, labels: *m}\n",
        "a: &a {<<: *a, b: 1}\n",
        "a: &a {b: {<<: *a}}\n",
    ],
    ids=["list", "mapping", "merge", "merge-below"],
)
def test_recursive_alias_is_sc004(text: str) -> None:
    loaded = load_text("f.yaml", text)
    assert [(f.code, f.message) for f in loaded.findings] == [
        (
            "SC004",
            "alias refers to itself: the value it names contains the alias; "
            "write the values out instead",
        )
    ]


# --- Merge keys --------------------------------------------------------------

MERGES = [
    "base: &b {xx: 1, yy: 2}\nm: &m {<<: *b, yy: 3, zz: 4}\nfinal: {<<: *m, ww: 5}\n",
    "spec: {<<: {<<: {service: a}, budgetingMethod: Occurrences}}\n",
    "a: &a {kk: 1}\nb: &b {kk: 2}\nd: {<<: *a, <<: *b}\n",
    "a: &a {kk: 1}\nb: {kk: 0, <<: *a}\n",
    "a: &a {<<: &z {deep: 1}, kk: 1}\nb: &b {<<: *a, mid: 2}\nc: {<<: [*b, *z]}\n",
]


@pytest.mark.parametrize("text", MERGES)
def test_merge_keys_read_as_pyyaml(text: str) -> None:
    loaded = load_text("f.yaml", text)
    assert loaded.findings == []
    assert loaded.documents[0].data == yaml.safe_load(text)


def test_merge_list_earlier_mapping_wins() -> None:
    # The example of the merge key specification (yaml.org/type/merge.html).
    # PyYAML 6.0.4 lets the later mapping win unless the keys are the same
    # interned string, so its result is not the reference here.
    text = (
        "- &LEFT {x: 0, y: 2}\n- &BIG {r: 10}\n- &SMALL {r: 1}\n"
        "- {<<: [*BIG, *LEFT, *SMALL], x: 1, label: center/big}\n"
        "- {<<: [{rr: 1, ss: 1}, {rr: 2, tt: 2}]}\n"
    )
    loaded = load_text("f.yaml", text)
    assert loaded.documents[3].data == {"x": 1, "y": 2, "r": 10, "label": "center/big"}
    assert loaded.documents[4].data == {"rr": 1, "ss": 1, "tt": 2}


def test_chained_merge_keeps_definition(tmp_path: Path) -> None:
    text = (
        "- &base {apiVersion: slacheck/v1, kind: SLO, metadata: {name: base},\n"
        "    spec: &bs {service: api, indicatorRef: api,\n"
        "      budgetingMethod: Occurrences,\n"
        "      timeWindow: [{duration: 28d, isRolling: true}],\n"
        "      objectives: [{target: 99.9%}]}}\n"
        "- &m {<<: *base, metadata: {name: m},\n"
        "    spec: {<<: *bs, timeWindow: [{duration: 7d, isRolling: true}]}}\n"
        "- {<<: *m, metadata: {name: eu}}\n"
    )
    path = write(tmp_path, "slos.yaml", text)
    loaded = load_definitions([str(path)])
    assert [f.code for f in loaded.findings if f.code != "SC101"] == []
    eu = loaded.catalog.named("SLO", "eu")[0]
    assert eu.spec["timeWindow"] == [{"duration": "7d", "isRolling": True}]
    assert eu.spec["service"] == "api"


# --- Which documents are definitions ------------------------------------------

SLA_DUPLICATE = (
    "apiVersion: slacheck/v1\nkind: SLA\nmetadata: {name: s}\n"
    "spec:\n  service: a\n  service: b\n"
)
CLASSIFY = [
    pytest.param(
        CONFIG_MAP + SLA_DUPLICATE, [(10, 3, "SC002")], id="foreign-then-duplicate"
    ),
    pytest.param(
        CONFIG_MAP + "apiVersion: slacheck/v1\nkind: SLA\nspec: !include x\n",
        [(7, 7, "SC008")],
        id="foreign-then-tag",
    ),
    pytest.param(
        CONFIG_MAP + "apiVersion: slacheck/v1\nkind: SLA\nspec: &a [*a]\n",
        [(7, 7, "SC004")],
        id="foreign-then-recursive-alias",
    ),
    pytest.param(
        '- "generated"\n- {apiVersion: slacheck/v1, kind: KPI, '
        "metadata: {name: k, owner: a, owner: b}}\n",
        [(1, 3, "SC009"), (2, 70, "SC002")],
        id="scalar-item-then-duplicate",
    ),
    pytest.param(
        "- 42\n- apiVersion: slacheck/v1\n  kind: Service\n  metadata: {name: s}\n",
        [(1, 3, "SC009")],
        id="scalar-item-among-definitions",
    ),
    pytest.param("name: ci\non: [push]\non: [pull]\n", [], id="foreign-duplicate"),
    pytest.param(CONFIG_MAP + "x: [\n", [], id="foreign-syntax-error"),
    pytest.param("enabled: yes\n", [], id="foreign-yaml11"),
    pytest.param(
        SERVICE.format(name="s") + "  labels: {flag: yes}\n",
        [(5, 18, "SC007")],
        id="definition-keeps-yaml11-warning",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CLASSIFY)
def test_named_file_classification(
    tmp_path: Path, text: str, expected: list[tuple[int, int, str]]
) -> None:
    path = write(tmp_path, "f.yaml", text)
    codes = [(line, column, code) for _, line, column, code in found([path])]
    assert codes == expected


def test_scan_reports_broken_definition_next_to_foreign(tmp_path: Path) -> None:
    write(tmp_path, "mixed.yaml", CONFIG_MAP + SLA_DUPLICATE)
    write(tmp_path, "other.yaml", CONFIG_MAP + "x: [\n")
    assert found([tmp_path]) == [("mixed.yaml", 10, 3, "SC002")]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"apiVersion: slacheck/v1\n", True),
        (b"apiversion: slacheck/v1\n", True),
        (b"APIVERSION: SLACHECK/v1\n", True),
        (b"apiVersion: openslo/v1\n", True),
        (b"apiVersion:\nkind: SLO\n", True),
        (b"- {kind: KPI, metadata: {}}\n", True),
        (b"apiVersion: v1\nkind: Service\n", False),
        (b"name: ci\non: push\n", False),
        ("apiVersion: slacheck/v1\n".encode("utf-16"), True),
    ],
)
def test_pre_filter(raw: bytes, expected: bool) -> None:
    assert looks_like_definitions(raw) is expected


BODY = "kind: Service\nmetadata:\n  name: s\n"
API_VERSIONS = [
    (
        "apiversion: slacheck/v1\n" + BODY,
        "key 'apiversion' should be 'apiVersion' (keys are case-sensitive); "
        "write 'apiVersion: slacheck/v1'",
    ),
    (
        "apiVersion: SLACHECK/v1\n" + BODY,
        "unsupported apiVersion 'SLACHECK/v1'; slacheck reads openslo/v1, "
        "slacheck/v1 (apiVersion is case-sensitive: write 'slacheck/v1')",
    ),
    (
        "apiVersion: [slacheck/v1]\n" + BODY,
        "apiVersion is a list, not a string; write 'apiVersion: slacheck/v1'",
    ),
    (
        "apiVersion:\nkind: SLO\nmetadata: {name: s}\n",
        ("apiVersion is empty; write 'apiVersion: slacheck/v1'"),
    ),
    (
        "kind: SLA\nmetadata: {name: s}\n",
        "document has kind 'SLA' and metadata but no apiVersion; "
        "add 'apiVersion: slacheck/v1'",
    ),
    (
        "apiVersion: slacheck/v1\nmetadata: {name: s}\n",
        "document has no kind; add 'kind:' with one of Service, SLI, SLO, SLA, KPI, "
        "Snapshot, Policy",
    ),
]


@pytest.mark.parametrize(("text", "message"), API_VERSIONS)
def test_misspelt_api_version_in_scan(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path, "f.yaml", text)
    assert messages([tmp_path]) == [message]
    assert [code for *_, code in found([tmp_path])] == ["SC009"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "apiVersion: slachek/v1\n" + BODY,
            "unknown apiVersion 'slachek/v1'; did you mean 'slacheck/v1'?",
        ),
        (
            "apiVerison: slacheck/v1\n" + BODY,
            "key 'apiVerison' should be 'apiVersion'; write 'apiVersion: slacheck/v1'",
        ),
        ("apiVersion: v1\n" + BODY, None),
        ("kind: Service\nspec: {}\n", None),
    ],
)
def test_misspelt_api_version_named(
    tmp_path: Path, text: str, message: str | None
) -> None:
    path = write(tmp_path, "f.yaml", text)
    assert messages([path]) == ([message] if message else [])


# --- Positions -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        ("a: 1\nb: 日本語の説明\x01\n".encode(), (2, 10)),
        ("x: ééééééééééé\ny: ab\x01\n".encode(), (2, 6)),
        (b"a: 1\nb: \xc3\xa9\xc3\xa9\xc3\xa9\xff\n", (2, 7)),
        (b"\xef\xbb\xbfab: \xc3\xa9\xff\n", (1, 6)),
    ],
    ids=[
        "control-after-cjk",
        "control-below-accents",
        "invalid-utf8",
        "invalid-after-bom",
    ],
)
def test_positions_count_characters(raw: bytes, where: tuple[int, int]) -> None:
    loaded = load_file("f.yaml", raw)
    assert [(f.line, f.column) for f in loaded.findings] == [where]


# --- Links named on the command line -----------------------------------------


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_named_broken_links_are_sc011(tmp_path: Path) -> None:
    write(tmp_path, "svc.yaml", SERVICE.format(name="Bad"))
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "missing.yaml")
    (tmp_path / "loop1.yaml").symlink_to(tmp_path / "loop2.yaml")
    (tmp_path / "loop2.yaml").symlink_to(tmp_path / "loop1.yaml")
    result = run("gone.yaml", "loop1.yaml", "svc.yaml", cwd=tmp_path)
    lines = result.stdout.decode().splitlines()
    assert [line.split(" ")[:2] for line in lines] == [
        ["gone.yaml:1:1:", "SC011"],
        ["loop1.yaml:1:1:", "SC011"],
        ["svc.yaml:4:9:", "SC010"],
    ]
    assert result.returncode == 1
    missing = run("nothing.yaml", cwd=tmp_path)
    assert missing.stderr == b"slacheck: error: path 'nothing.yaml' does not exist\n"
    assert missing.returncode == 2


# --- Messages ------------------------------------------------------------------


def test_duplicate_names_list_three_places(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for index in range(6):
        write(tmp_path, f"s{index}.yaml", SERVICE.format(name="template"))
    sli = (
        "apiVersion: slacheck/v1\nkind: SLI\nmetadata: {name: x}\nspec:\n"
        "  service: template\n  ratioMetric:\n    good: {source: p, query: a}\n"
        "    total: {source: p, query: b}\n"
    )
    write(tmp_path, "sli.yaml", sli)
    monkeypatch.chdir(tmp_path)
    result = lint.lint(LintSettings(paths=["."]))
    by_path = {f.path: f.message for f in result.findings if f.code == "SC103"}
    assert by_path["s0.yaml"] == (
        "Service 'template' is also defined at s1.yaml:1, s2.yaml:1, s3.yaml:1 "
        "and 2 more; rename one"
    )
    assert by_path["sli.yaml"] == (
        "Service 'template' is defined 6 times "
        "(s0.yaml:1, s1.yaml:1, s2.yaml:1 and 3 more)"
    )


SLO = (
    "apiVersion: slacheck/v1\nkind: SLO\nmetadata: {{name: {name}}}\nspec:\n"
    "  service: api\n  indicatorRef: api\n  budgetingMethod: Occurrences\n"
    "  timeWindow: [{{duration: 28d, isRolling: true}}]\n"
    "  objectives:\n    - target: {target}\n"
)
SLA_DATE = (
    "apiVersion: slacheck/v1\nkind: SLA\nmetadata: {{name: s}}\nspec:\n"
    "  service: api\n  effectiveDate: {date}\n"
    "  commitments:\n    - {{name: up, target: 99%, period: month, timeZone: UTC}}\n"
)
MESSAGES = [
    pytest.param(
        SLO.format(name="o", target="99.5 %"),
        "$.spec.objectives[0].target is '99.5 %'; remove the space: write '99.5%'",
        id="percent-with-space",
    ),
    pytest.param(
        SLA_DATE.format(date='"2026-13-45"'),
        "$.spec.effectiveDate is '2026-13-45', which is not a valid calendar date: "
        "there is no month 13",
        id="no-such-month",
    ),
    pytest.param(
        SLA_DATE.format(date='"2026-02-29"'),
        "$.spec.effectiveDate is '2026-02-29', which is not a valid calendar date: "
        "February 2026 has 28 days, not 29",
        id="no-such-day",
    ),
    pytest.param(
        SLO.format(name="N" * 4000, target="99.9%"),
        "$.metadata.name is " + quote("N" * 4000) + ", which is not of the expected "
        "form; expected: Lower-case name",
        id="long-name-clipped",
    ),
]


@pytest.mark.parametrize(("text", "start"), MESSAGES)
def test_message_wording(tmp_path: Path, text: str, start: str) -> None:
    path = write(tmp_path, "f.yaml", text)
    found_messages = [m for m in messages([path]) if m.startswith(start[:30])]
    assert len(found_messages) == 1, messages([path])
    assert found_messages[0].startswith(start)
    assert len(found_messages[0]) < 300
