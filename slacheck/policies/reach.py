"""Reach: the parts of a rule's variables that its expressions can read.

Converting a whole document to CEL values costs more than evaluating most
rules, so only the fields an expression names are converted. A reach is a
tree of field names: ``{"slo": {"owner": ALL}}`` for ``has(slo.owner)``.
A variable or field that an expression uses as a value of its own (compares,
iterates, measures with ``size()``, indexes, passes to a function) is
reached whole (``ALL``), so it converts exactly as before. A map that is
only followed by ``.field`` keeps just the named fields, which gives the
same results: field selection on a map looks up one key and nothing else.

The analysis over-approximates: a comprehension variable that shadows a
variable's name makes that variable reached whole.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import lark

# ALL marks a value that converts whole. A dict marks a map that keeps only its keys.
ALL: Any = None
Reach = dict[str, Any]

# cel-python resolves the name of a rooted call, ``.name(...)``, as a variable.
_NAMES = frozenset({"ident", "dot_ident", "dot_ident_arg"})
_PASS_THROUGH = frozenset({"primary", "member"})


def expression_reach(tree: lark.Tree, reach: Reach | None = None) -> Reach:
    """Add the variable paths that ``tree`` names to ``reach`` and return it."""
    reach = {} if reach is None else reach
    parents: dict[int, lark.Tree] = {}
    stack = [tree]
    while stack:
        node = stack.pop()
        for child in node.children:
            if not isinstance(child, str):  # lark's tokens are strings
                parents[id(child)] = node
                stack.append(child)
        if node.data in _NAMES:
            add_path(reach, _path(node, parents))
    return reach


def _path(node: lark.Tree, parents: dict[int, lark.Tree]) -> list[str]:
    """Return the path ``a.b.c`` that starts at the name ``a``, up to any other use."""
    path = [str(node.children[0])]
    while True:
        parent = parents.get(id(node))
        if parent is None:
            return path
        if parent.data == "member_dot" and parent.children[0] is node:
            path.append(str(parent.children[1]))
        elif parent.data not in _PASS_THROUGH:
            return path
        node = parent


def add_path(reach: Reach, path: list[str]) -> None:
    """Mark ``path`` reached, so the value at its end converts whole."""
    level = reach
    for depth, name in enumerate(path):
        last = depth == len(path) - 1
        if last:
            level[name] = ALL
            return
        if name in level and level[name] is ALL:
            return
        level = level.setdefault(name, {})


def merge(into: Reach, other: Reach) -> Reach:
    """Add every path of ``other`` to ``into``, where whole values win over parts."""
    for name, sub in other.items():
        if sub is ALL or into.get(name, {}) is ALL:
            into[name] = ALL
        else:
            merge(into.setdefault(name, {}), sub)
    return into
