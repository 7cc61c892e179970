"""Front-matter values wrapped in the curly quotes Word types (“...” or ‘...’).

YAML reads `title: “Meaningful measures”` as a title that begins and ends with curly
quotes, which then show on the page, in the feed and in the email subject. Each such
value gets a warning that names the quotes and says to use straight ones."""

from __future__ import annotations

from ..basics.diagnostics import Diagnostic, warning
from ..basics.yamlread import YamlDocument


def curly_quote_problems(path: str, document: YamlDocument) -> list[Diagnostic]:
    """A warning for each plain value of `document` wrapped in curly quotes."""
    problems: list[Diagnostic] = []
    for key_path, line in sorted(document.curly_quoted.items(), key=lambda item: item[1]):
        name = str(key_path[0]) if key_path else "value"
        problems.append(
            warning(
                path,
                line,
                "field.curly-quotes",
                f'the value of "{name}" is wrapped in curly quotes \u201c \u201d (from Word), which would '
                f'show on the page; replace them with straight double quotes " ", like {name}: "..."',
            )
        )
    return problems
