"""MkDocs hook: the pages rendered from the code, each put in place of its marker line when the site is built.

Each module in ``RENDERERS`` renders one page and names it: ``PAGE`` (the page's path under ``docs/``),
``MARKER`` (the line the page holds where the rendering goes) and ``render() -> str`` (the Markdown). So
a page never is a copy that could go stale. This hook refuses a page whose marker is missing or repeated,
and fails the build when a page was never rendered (left out of the site), so that a generated page
cannot go missing silently.

MkDocs loads a hook file by its path (its directory is on ``sys.path`` only while the file runs), and
``tests/test_site.py`` loads the renderers by path too, so they are loaded here by path, from this
file's directory. The renderers do not import MkDocs, so the tests can use them where it is not installed.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

from mkdocs.exceptions import PluginError

RENDERERS = ("cli_reference", "event_reference", "case_file", "error_reference")


def _load(name: str) -> ModuleType:
    path = Path(__file__).with_name(f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"_swp_docs_{name}", path)
    if spec is None or spec.loader is None:
        raise PluginError(f"cannot load the page renderer {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_BY_PAGE: dict[str, ModuleType] = {renderer.PAGE: renderer for renderer in map(_load, RENDERERS)}
_rendered: set[str] = set()


def on_pre_build(config: Any) -> None:
    _rendered.clear()  # `mkdocs serve` builds again and again with this module loaded once


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    renderer = _BY_PAGE.get(page.file.src_uri)
    if renderer is None:
        return markdown
    if markdown.count(renderer.MARKER) != 1:
        raise PluginError(f"docs/{renderer.PAGE} must contain the line {renderer.MARKER!r} exactly once")
    _rendered.add(renderer.PAGE)
    return markdown.replace(renderer.MARKER, renderer.render())


def on_post_build(config: Any) -> None:
    missing = [f"docs/{page}" for page in _BY_PAGE if page not in _rendered]
    if missing:
        raise PluginError(f"generated pages not rendered (are they in the site?): {', '.join(missing)}")
