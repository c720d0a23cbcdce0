"""Map a position inside a YAML string value back to the file's line and column.

The loader records where each scalar starts: the opening quote of a quoted
string, the ``|`` or ``>`` of a block scalar (whose text starts on the next
line), or the first character of a plain scalar. Walking the value and the
file text side by side, skipping whitespace (which folding and indentation
change), finds the file position of any character of the value. Escape
sequences in double-quoted strings break the match; the scalar's own
position is returned then.
"""

from __future__ import annotations

Position = tuple[int, int]


def offset_of(value: str, line: int, column: int) -> int:
    """Return the 0-based offset of a 1-based (line, column) inside ``value``."""
    lines = value.split("\n")
    line = max(1, min(line, len(lines)))
    offset = sum(len(text) + 1 for text in lines[: line - 1])
    return offset + max(column - 1, 0)


def locate(text: str, start: Position, value: str, offset: int) -> Position:
    """Return the file (line, column) of ``value[offset]``; ``start`` if unsure."""
    lines = text.split("\n")
    row, col = start[0] - 1, start[1] - 1
    if not 0 <= row < len(lines):
        return start
    head = lines[row][col : col + 1]
    if head in ("|", ">"):
        row, col = row + 1, 0
    elif head in ("'", '"'):
        col += 1
    offset = _first_visible(value, min(max(offset, 0), len(value)))
    for index, char in enumerate(value[: offset + 1]):
        if char.isspace():
            continue
        found = _next_visible(lines, row, col)
        if found is None or lines[found[0]][found[1]] != char:
            return start
        row, col = found
        if index == offset:
            return row + 1, col + 1
        col += 1
    return start


def _first_visible(value: str, offset: int) -> int:
    """Move an offset that points at whitespace to the next visible character."""
    while offset < len(value) and value[offset].isspace():
        offset += 1
    if offset >= len(value):
        offset = len(value.rstrip()) - 1
    return max(offset, 0)


def _next_visible(lines: list[str], row: int, col: int) -> Position | None:
    while row < len(lines):
        line = lines[row]
        while col < len(line) and line[col].isspace():
            col += 1
        if col < len(line):
            return row, col
        row, col = row + 1, 0
    return None
