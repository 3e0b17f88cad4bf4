"""Add a fact to an entity file's text by inserting lines, so every comment and the layout stay as written.

The caller parses the result with the strict loader before writing it: an insertion this cannot place
safely raises ``ValueError``, and one it placed badly is caught there.
"""

from __future__ import annotations

import yaml


def content_end(node: yaml.Node) -> int:
    """0-based line just after the last line holding any of a node's text."""
    if isinstance(node, yaml.ScalarNode):
        return int(node.end_mark.line) if node.style in ("|", ">") else int(node.end_mark.line) + 1
    if isinstance(node, yaml.SequenceNode | yaml.MappingNode) and node.flow_style:
        return int(node.end_mark.line) + 1
    children: list[yaml.Node] = []
    if isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    elif isinstance(node, yaml.MappingNode):
        children = [part for pair in node.value for part in pair]
    return max((content_end(child) for child in children), default=int(node.start_mark.line) + 1)


def insert_fact(text: str, item: str) -> tuple[str, int]:
    """Insert a fact item after the last fact of an entity file's text; return the text and its 1-based line."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    facts = None
    if isinstance(root, yaml.MappingNode):
        facts = next((v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "facts"), None)
    if facts is None:
        block = ["facts:\n", *("  " + line if line.strip() else line for line in item.splitlines(keepends=True))]
        return "".join(lines + block), len(lines) + 2
    if not isinstance(facts, yaml.SequenceNode):
        raise ValueError("'facts' is not a list")
    if facts.flow_style:
        if facts.value:
            raise ValueError("'facts' is written as a [...] list; add the fact by hand")
        # `facts: []`, on one line or over several, becomes a block list holding the new fact.
        first, last_line = int(facts.start_mark.line), int(facts.end_mark.line)
        head = lines[first][: facts.start_mark.column].rstrip() + "\n"
        indented = ["  " + part if part.strip() else part for part in item.splitlines(keepends=True)]
        return "".join(lines[:first] + [head] + indented + lines[last_line + 1 :]), first + 2
    last = facts.value[-1]
    dash_line = lines[int(last.start_mark.line)]
    dash = dash_line[: int(last.start_mark.column)].rstrip()
    indent = " " * (len(dash) - 1)
    at = content_end(last)
    while at > last.start_mark.line + 1 and not lines[at - 1].strip():  # a block scalar's trailing blank lines
        at -= 1
    indented = [indent + part if part.strip() else part for part in item.splitlines(keepends=True)]
    return "".join(lines[:at] + indented + lines[at:]), at + 1
