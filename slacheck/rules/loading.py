"""Codes for files that cannot be read as definitions (SC0xx)."""

from __future__ import annotations

from slacheck.findings import Severity
from slacheck.rules.base import describe

describe(
    "SC001",
    "invalid-yaml",
    Severity.ERROR,
    """File is not valid YAML.

    The parser stopped at the reported line and column, so nothing in the
    file was checked. Tabs used for indentation, an unclosed quote or bracket
    and a missing space after a colon are the usual causes.

    Failing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: Service
    metadata:
      name: "checkout
    ```

    Passing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: Service
    metadata:
      name: checkout
    ```
    """,
)

describe(
    "SC002",
    "duplicate-key",
    Severity.ERROR,
    """A mapping has the same key twice.

    Most YAML tools keep the last value without a word, so a reviewer reading
    the first one is misled about what the file contains. The finding points at
    the second key and names the line of the first.

    Failing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: Service
    metadata:
      name: checkout
      name: payments
    ```

    Passing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: Service
    metadata:
      name: checkout
    ```
    """,
)

describe(
    "SC003",
    "not-text",
    Severity.ERROR,
    """File is binary or not UTF-8.

    Definition files are UTF-8 text. A NUL byte or an invalid UTF-8
    sequence usually means a binary file was named like a YAML file, or the
    file was saved in a legacy encoding.
    """,
)

describe(
    "SC004",
    "alias-expansion",
    Severity.ERROR,
    """Aliases expand to too many values.

    Anchors and aliases may share a block between documents, but a few
    levels of aliases referring to aliases (a "billion laughs" document) can
    expand to billions of values. Reading stops after 10,000 values added by
    expansion.
    """,
)

describe(
    "SC005",
    "nesting-too-deep",
    Severity.ERROR,
    """Document nests too deeply.

    No definition needs more than a few levels; a document nesting deeper
    than 64 levels (or deeper than the parser's own limit) is rejected
    rather than read, so hostile files cannot exhaust the stack.
    """,
)

describe(
    "SC006",
    "file-too-large",
    Severity.ERROR,
    """File is larger than 5 MiB.

    Definitions are small; a file this large is usually generated output or
    a data dump. It is not read, which keeps a run's memory bounded.
    """,
)

describe(
    "SC007",
    "yaml11-ambiguous",
    Severity.WARNING,
    """A plain value means something else to YAML 1.1 tools.

    slacheck reads YAML 1.2, where ``no``, ``on``, ``1:30`` and unquoted dates
    are strings and ``010`` is ten. PyYAML's ``safe_load`` and other YAML 1.1
    tools read them as booleans, base-60 numbers, dates and octal, so the
    same file means different things to different tools. Quote the value.

    Failing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: Service
    metadata:
      name: checkout
      labels:
        paging: on
    ```

    Passing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: Service
    metadata:
      name: checkout
      labels:
        paging: "on"
    ```
    """,
)

describe(
    "SC008",
    "unsupported-yaml",
    Severity.ERROR,
    """YAML feature that definitions do not support.

    Custom tags (``!Ref``, ``!!python/object``), complex mapping keys and
    tags that contradict the value are rejected: definitions are plain
    mappings, lists, strings, numbers and booleans.

    Failing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: Service
    metadata:
      name: !Ref checkout
    ```

    Passing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: Service
    metadata:
      name: checkout
    ```
    """,
)

describe(
    "SC009",
    "unknown-kind",
    Severity.ERROR,
    """Document has an unsupported apiVersion or kind.

    A file that declares ``apiVersion: slacheck/...`` must use a version and
    kind slacheck supports; otherwise it would be skipped and its mistakes
    missed. A document without ``apiVersion`` inside a file of definitions
    is reported too.

    Failing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: ServiceLevelAgreement
    metadata:
      name: checkout
    ```

    Passing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: Service
    metadata:
      name: checkout
    ```
    """,
)

describe(
    "SC010",
    "schema",
    Severity.ERROR,
    """Document does not match its JSON Schema.

    Missing required fields, unknown fields (usually typos), values of the
    wrong type, a bare number above 1 where a ratio is expected, a duration
    without a unit or an unknown time zone. ``slacheck schema KIND`` prints
    the schema; point your editor at ``schemas/v1/`` for completion.

    Failing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: SLO
    metadata:
      name: checkout-availability
    spec:
      service: checkout
      indicatorRef: checkout-availability
      budgetingMethod: Occurrences
      timeWindow:
        - duration: 28d
          isRolling: true
      objectives:
        - target: 99.9
    ```

    Passing example:
    ```yaml
    apiVersion: slacheck/v1
    kind: SLO
    metadata:
      name: checkout-availability
    spec:
      service: checkout
      indicatorRef: checkout-availability
      budgetingMethod: Occurrences
      timeWindow:
        - duration: 28d
          isRolling: true
      objectives:
        - target: 99.9%
    ```
    """,
)

describe(
    "SC011",
    "unreadable-file",
    Severity.ERROR,
    """File cannot be opened.

    The file named on the command line does not exist or cannot be read
    (permissions, a broken symbolic link). The run goes on with the other
    files.
    """,
)

describe(
    "SC012",
    "internal-error",
    Severity.ERROR,
    """A check failed with an unexpected error.

    This is a bug in slacheck or in a policy, not in your file. The run goes
    on with the other checks; please report the message with the file that
    caused it.
    """,
)
