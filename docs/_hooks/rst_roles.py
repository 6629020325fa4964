"""MkDocs hook: show the reST roles of our docstrings (``:class:`Verdict```) as plain code in the API pages.

The docstrings are written for readers of the source and for ``help()``, where ``:class:`X``` is the
usual spelling; mkdocstrings renders Markdown, which would print the role's name before the code.
``~a.b.c`` (Sphinx's "last part only") becomes ``c``.
"""

from __future__ import annotations

import re
from typing import Any

_ROLE = re.compile(r":(?:class|func|meth|data|attr|mod|exc|obj|const):<code>(~?)([^<]*)</code>")


def _plain(match: re.Match[str]) -> str:
    tilde, target = match.groups()
    return f"<code>{target.rsplit('.', 1)[-1] if tilde else target}</code>"


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    return _ROLE.sub(_plain, html)
