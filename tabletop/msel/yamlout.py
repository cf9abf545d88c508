"""Write a scenario as YAML that tabletop reads back exactly, with comments for the author.

PyYAML writes YAML 1.1; tabletop reads YAML 1.2. A string that a 1.2 reader would take
for a number (`1e3`, `0o17`) is double-quoted here, decided by the loader's own rule, so
that every string comes back as the same string.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from tabletop.model.yamlsafe import _plain_value  # the loader's rule for plain scalars

_STR = "tag:yaml.org,2002:str"


class Flow(list):  # type: ignore[type-arg]
    """A list written on one line: `to: [burgemeester, politie]`."""


class FlowMap(dict):  # type: ignore[type-arg]
    """A mapping written on one line: `gemeente: {label: Gemeente, default: Dalwijk}`."""


class _Dumper(yaml.SafeDumper):  # type: ignore[misc]
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # lists indented under their key


def _reads_back(text: str) -> bool:
    value = _plain_value(text) if text else None
    return isinstance(value, str) and value == text


def unicode_breaks(text: str) -> str:
    """U+2028 and U+2029 as newlines: YAML takes them for line breaks anyway."""
    return text.replace("\u2028", "\n").replace("\u2029", "\n")


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    data = unicode_breaks(data)
    if "\n" in data:
        # A block that keeps its trailing newlines (`|+`) would take in the blank line
        # written after it; such a string is double-quoted instead.
        keeps = data.endswith("\n\n") or not data.strip("\n")
        return dumper.represent_scalar(_STR, data, style='"' if keeps else "|")
    if len(data) > 72 and data == data.strip() and "  " not in data:
        return dumper.represent_scalar(_STR, data, style=">")  # long prose, folded
    return dumper.represent_scalar(_STR, data, style=None if _reads_back(data) else '"')


def _represent_flow(dumper: yaml.SafeDumper, data: Flow) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


def _represent_flow_map(dumper: yaml.SafeDumper, data: FlowMap) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(Flow, _represent_flow)
_Dumper.add_representer(FlowMap, _represent_flow_map)


def _dump(value: Mapping[str, Any]) -> str:
    return str(yaml.dump(dict(value), Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=88, indent=2))


def _comment(lines: Sequence[str], indent: str) -> list[str]:
    out: list[str] = []
    for line in lines:
        for part in line.split("\n"):
            out.append(f"{indent}# {part}".rstrip())
    return out


def _lines(text: str) -> list[str]:
    """A dump's lines, without the final newline and without PyYAML's `...` end marker
    (written after a block scalar that keeps its trailing newlines); nothing else is cut,
    for the empty lines before it are that scalar's content."""
    lines = text[:-1].split("\n") if text.endswith("\n") else text.split("\n")
    if lines and lines[-1] == "...":
        lines.pop()
    return lines


def _indented(text: str) -> list[str]:
    return [("  " + line) if line else "" for line in _lines(text)]


def document(header: Sequence[str], sections: Sequence[tuple[str, Any]],
             item_notes: Mapping[tuple[str, str], Sequence[str]]) -> str:
    """The YAML text: a header comment, then each top-level key in order.

    `item_notes[(section, ident)]` are comment lines put above the list item whose `id` is
    `ident` (or above the mapping entry named `ident`) of that section.
    """
    out = _comment(header, "")
    for key, value in sections:
        if isinstance(value, list) and value and not isinstance(value, Flow):
            out += ["", f"{key}:"]
            for n, item in enumerate(value):
                if n and isinstance(item, Mapping) and not isinstance(item, FlowMap) \
                        and len(item) > 3:
                    out.append("")
                ident = str(item.get("id", "")) if isinstance(item, Mapping) else ""
                out += _comment(item_notes.get((key, ident), ()), "  ")
                out += _indented(yaml.dump([item], Dumper=_Dumper, sort_keys=False,
                                           allow_unicode=True, default_flow_style=False,
                                           width=88, indent=2))
        elif isinstance(value, dict) and value and not isinstance(value, FlowMap):
            out += ["", f"{key}:"]
            for name, entry in value.items():
                out += _comment(item_notes.get((key, str(name)), ()), "  ")
                out += _indented(_dump({name: entry}))
        else:
            out += _lines(_dump({key: value}))
    return "\n".join(out) + "\n"
