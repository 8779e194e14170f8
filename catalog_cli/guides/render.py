"""Guides rendered through Jinja2 templates (``templates/guide/``, overridable by a user's
folder): one :class:`Renderer` per output format, each turning guide data into
(relative path, bytes) pairs that the command line writes.

A format is an entry of :data:`RENDERERS`; adding one (DOCX, say) means adding a renderer with
the same three functions, nothing else changes (DOCX is in guides/docx.py).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from catalog_cli.guides.chart import render_svg
from catalog_cli.guides.docx import docx_bundle, docx_index, docx_item
from catalog_cli.guides.model import MISSING, BundleGuide, GuideSet, ItemGuide
from catalog_cli.model.errors import CatalogInputError
from catalog_cli.schema import load_schema, resource_dir

GUIDE_TEMPLATES = "guide"
Output = tuple[str, bytes]
_MD_SPECIAL = str.maketrans(
    {c: "\\" + c for c in "\\`*_[]|#"} | {"\n": "<br>", "\r": ""}  # one table row stays one line
)


def md_text(value: Any) -> Markup:
    """A value for a Markdown page: HTML-escaped, Markdown's special characters escaped, line
    breaks as ``<br>`` (so a table row stays one line)."""
    return Markup(str(escape("" if value is None else value)).translate(_MD_SPECIAL))


def href(path: str, start: str) -> str:
    """The relative, URL-quoted link from the page at ``start`` to ``path`` (both relative to
    the output folder, with ``/``)."""
    folder, name = posixpath.split(posixpath.normpath(path))
    up = _relative_folder(folder or ".", posixpath.dirname(start) or ".")
    return quote(name if up == "." else f"{up}/{name}")


@lru_cache(maxsize=1024)
def _relative_folder(folder: str, start: str) -> str:
    """``posixpath.relpath`` of two folders, remembered: every page of a folder links to the
    same few folders (the index, the items, the bundles)."""
    return posixpath.relpath(folder, start)


class Templates:
    """The Jinja2 templates of the guides: a user's folder first, then ``templates/guide/``;
    autoescape on for every template."""

    def __init__(self, user_dir: Path | None = None) -> None:
        loaders: list[jinja2.BaseLoader] = []
        if user_dir is not None:
            if not Path(user_dir).is_dir():
                raise CatalogInputError(str(user_dir), "模板目录不存在或不是文件夹")
            loaders.append(jinja2.FileSystemLoader(str(user_dir)))
        loaders.append(jinja2.FileSystemLoader(str(resource_dir("templates") / GUIDE_TEMPLATES)))
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            auto_reload=False,  # compiled once per run: no stat of every template for every page
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["md"] = md_text
        schema = load_schema()
        self.env.globals.update(
            titles={
                name: {k: f.title for k, f in r.fields.items()}
                for name, r in schema.records.items()
            },
            MISSING=MISSING,
        )

    def render(self, name: str, **context: Any) -> str:
        """Render one template; a missing or broken template is bad input, in one line."""
        try:
            return self.env.get_template(name).render(**context)
        except jinja2.TemplateNotFound as exc:
            raise CatalogInputError(name, f"找不到模板 {exc.name}") from None
        except jinja2.TemplateSyntaxError as exc:
            where = exc.filename or name
            message = f"模板第 {exc.lineno} 行有语法错误：{exc.message}"
            raise CatalogInputError(where, message) from None
        except jinja2.TemplateError as exc:
            raise CatalogInputError(name, f"模板无法渲染：{exc}") from None


@dataclass(frozen=True)
class Renderer:
    """One output format: the extension of its pages and how an item guide, a bundle guide and
    the index become files."""

    ext: str
    item: Callable[[ItemGuide, GuideSet, Templates], list[Output]]
    bundle: Callable[[BundleGuide, GuideSet, Templates], list[Output]]
    index: Callable[[GuideSet, Templates], list[Output]]


def _page(stem: str, ext: str) -> str:
    return f"{stem}.{ext}"


def _links(guides: GuideSet, page: str, ext: str) -> Callable[[str], str]:
    """A function from a guide's stem to the link to its page from ``page``."""
    return lambda stem: href(_page(stem, ext), page)


def _svg(layout: Any) -> Markup:
    return Markup(render_svg(layout, id_prefix="chart"))


# ---------------------------------------------------------------- HTML


def html_item(guide: ItemGuide, guides: GuideSet, templates: Templates) -> list[Output]:
    page = _page(guide.stem, "html")
    text = templates.render(
        "item.html.j2",
        guide=guide,
        chart=_svg(guide.chart),
        link=_links(guides, page, "html"),
        index=href("index.html", page),
    )
    return [(page, text.encode("utf-8"))]


def html_bundle(guide: BundleGuide, guides: GuideSet, templates: Templates) -> list[Output]:
    page = _page(guide.stem, "html")
    text = templates.render(
        "bundle.html.j2",
        guide=guide,
        chart=_svg(guide.chart),
        link=_links(guides, page, "html"),
        index=href("index.html", page),
    )
    return [(page, text.encode("utf-8"))]


def html_index(guides: GuideSet, templates: Templates) -> list[Output]:
    page = "index.html"
    text = templates.render(
        "index.html.j2",
        guides=guides,
        link=_links(guides, page, "html"),
    )
    return [(page, text.encode("utf-8"))]


# ---------------------------------------------------------------- Markdown


def _md_with_chart(
    template: str, guide: ItemGuide | BundleGuide, guides: GuideSet, templates: Templates
) -> list[Output]:
    page, svg = _page(guide.stem, "md"), _page(guide.stem, "svg")
    text = templates.render(
        template,
        guide=guide,
        chart_file=href(svg, page),
        link=_links(guides, page, "md"),
        index=href("index.md", page),
    )
    chart = render_svg(guide.chart, id_prefix="chart")
    return [(page, text.encode("utf-8")), (svg, (chart + "\n").encode("utf-8"))]


def md_item(guide: ItemGuide, guides: GuideSet, templates: Templates) -> list[Output]:
    return _md_with_chart("item.md.j2", guide, guides, templates)


def md_bundle(guide: BundleGuide, guides: GuideSet, templates: Templates) -> list[Output]:
    return _md_with_chart("bundle.md.j2", guide, guides, templates)


def md_index(guides: GuideSet, templates: Templates) -> list[Output]:
    page = "index.md"
    text = templates.render("index.md.j2", guides=guides, link=_links(guides, page, "md"))
    return [(page, text.encode("utf-8"))]


RENDERERS: dict[str, Renderer] = {
    "html": Renderer("html", html_item, html_bundle, html_index),
    "md": Renderer("md", md_item, md_bundle, md_index),
    "docx": Renderer("docx", docx_item, docx_bundle, docx_index),
}


def safe_output(path: str) -> str:
    """A relative output path that stays inside the output folder (a guard: the names are
    already sanitized in guides/model.py)."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or "\\" in path:
        raise ValueError(f"输出路径不安全：{path}")
    return path
