"""The ``catalog diff`` report as one offline HTML page (templates/diff/report.html.j2): rates,
then every deviation side by side, changed words marked, filtered by county and element."""

from __future__ import annotations

import jinja2

from catalog_cli.analyses.diff import CountyDiff
from catalog_cli.model.values import pct_text
from catalog_cli.report.diff import KIND_LABEL, TITLE, rate_pct, short_names
from catalog_cli.schema import resource_dir


def render_diff_html(city: str, diffs: list[CountyDiff]) -> str:
    """The page (autoescaped; no external resources)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(resource_dir("templates") / "diff"),
        autoescape=True,
        keep_trailing_newline=True,
    )
    label = short_names(diffs)
    elements = diffs[0].elements if diffs else ()
    counties = [
        {
            "name": label[d.county_file],
            "matched": d.matched_count,
            "unclaimed": len(d.unclaimed),
            "county_only": len(d.county_only),
            "rate": pct_text(rate_pct(d.rate())),
            "rates": [pct_text(rate_pct(d.rates()[e])) for e in d.elements],
            "deviations": [
                {
                    "item": x.pair.city.name,
                    "code": x.pair.city.code,
                    "element": x.deviation.title,
                    "kind": KIND_LABEL.get(x.deviation.kind, x.deviation.kind),
                    "severity": x.deviation.severity,
                    "city": x.deviation.city or "",
                    "county": x.deviation.county or "",
                    "runs": x.deviation.runs,
                }
                for x in d.deviations
            ],
        }
        for d in diffs
    ]
    titles = [diffs[0].titles[e] for e in elements] if diffs else []
    return env.get_template("report.html.j2").render(
        title=TITLE, city=city, elements=titles, counties=counties
    )
