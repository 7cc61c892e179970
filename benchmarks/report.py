"""The benchmark's targets and its printed table, from the results of one run.

Results are plain JSON-ready dictionaries:

    {"about": {"clock": "cpu", ..},
     "sizes": {"400": {"tools": {"build": {"cpu_s": {"median": .., "runs": [..]}, "wall_s": {..},
                                           "peak_mb": .., "pages": ..}, ..},
                       "bytes": {"issue_page": {"sofs": .., "plain": .., "blog": ..},
                                 "search_index": {..}, "email_html": {"sofs": ..}}}}}
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

TOOLS = ("check", "build", "recheck", "rebuild", "plain", "blog")
TOOL_LABELS = {
    "check": "sofs check, cold",
    "build": "sofs build, cold",
    "recheck": "sofs check, one issue edited",
    "rebuild": "sofs build, one issue edited",
    "plain": "mkdocs build (plain Material, baseline)",
    "blog": "mkdocs build (Material blog plugin)",
}
#: The two ways sofs is timed: (build, check, label). Cold starts without the build cache;
#: "after an edit" has the cache of the build before and one issue changed since.
MODES = (("build", "check", "cold"), ("rebuild", "recheck", "after an edit"))
Results = dict[str, Any]


@dataclass(frozen=True)
class Target:
    """A target from issue 7: a ratio (or size) measured in one run, and its limit."""

    name: str
    limit: float
    value: Callable[[Results], float | None]
    unit: str = "x"

    def evaluate(self, results: Results) -> dict[str, Any]:
        try:
            value = self.value(results)
        except (KeyError, ZeroDivisionError, TypeError):
            value = None
        met = None if value is None else value <= self.limit
        return {"name": self.name, "value": value, "limit": self.limit, "unit": self.unit, "met": met}


def clock(results: Results) -> str:
    """The key of the time the table and targets use: `cpu_s` or `wall_s`."""
    return f"{results.get('about', {}).get('clock', 'cpu')}_s"


def _time(results: Results, size: int, tool: str) -> float:
    return float(results["sizes"][str(size)]["tools"][tool][clock(results)]["median"])


def _ratio(size: int, tool: str, base_size: int, base_tool: str) -> Callable[[Results], float]:
    """The time of `tool` at `size` over the time of `base_tool` at `base_size`."""
    return lambda r: _time(r, size, tool) / _time(r, base_size, base_tool)


def _page_change(results: Results) -> float:
    small = results["sizes"]["100"]["bytes"]["issue_page"]["sofs"]
    large = results["sizes"]["1600"]["bytes"]["issue_page"]["sofs"]
    return float(abs(large / small - 1))


def _peak(results: Results) -> float:
    tools = results["sizes"]["1600"]["tools"]
    return max(float(tools[build]["peak_mb"]) for build, _, _ in MODES if build in tools)


def targets() -> list[Target]:
    """The targets, in the order issue 7 lists them, each for a cold build and a rebuild, and
    issue 17's for a cold build."""
    found: list[Target] = []
    for size in (400, 1600):
        for build, _, mode in MODES:
            found.append(
                Target(
                    f"sofs build ({mode}) <= 1.15 x plain baseline at {size}",
                    1.15,
                    _ratio(size, build, size, "plain"),
                )
            )
            found.append(
                Target(
                    f"sofs build ({mode}) <= 0.6 x blog plugin at {size}",
                    0.6,
                    _ratio(size, build, size, "blog"),
                )
            )
    for build, _, mode in MODES:
        found.append(
            Target(f"sofs build ({mode}) at 1600 <= 4.4 x at 400", 4.4, _ratio(1600, build, 400, build))
        )
    for build, check, mode in MODES:
        found.append(
            Target(f"sofs check <= 0.1 x sofs build at 1600 ({mode})", 0.1, _ratio(1600, check, 1600, build))
        )
    for size in (400, 1600):  # issue 17 asks less of a cold build than issue 7 did
        found.append(
            Target(
                f"sofs build (cold) <= 2 x plain baseline at {size}",
                2.0,
                _ratio(size, "build", size, "plain"),
            )
        )
    found += [
        Target("issue 10 page size change 100 -> 1600 <= 5%", 0.05, _page_change, unit="fraction"),
        Target("sofs build peak memory at 1600 < 500 MB", 500.0, _peak, unit="MB"),
    ]
    return found


def evaluate(results: Results) -> list[dict[str, Any]]:
    return [target.evaluate(results) for target in targets()]


def _kb(value: int | None) -> str:
    return "n/a" if value is None else f"{value / 1024:,.1f} KB"


def table(results: Results) -> str:
    """The results as a Markdown table (times and memory), then sizes, then targets."""
    key = clock(results)
    other = "wall_s" if key == "cpu_s" else "cpu_s"
    names = {"cpu_s": "processor time", "wall_s": "wall time"}
    lines = [
        f"| issues | command | {names[key]} (median) | × baseline | {names[other]} | peak memory | pages built |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size, entry in results["sizes"].items():
        tools = entry["tools"]
        for tool in TOOLS:
            if tool not in tools:
                continue
            row = tools[tool]
            time = row[key]["median"]
            pages = row.get("pages")
            lines.append(
                f"| {int(size):,} | {TOOL_LABELS[tool]} | {time:.2f} s | {time / _time(results, int(size), 'plain'):.2f} | "
                f"{row[other]['median']:.2f} s | {row['peak_mb']:.0f} MB | {'' if pages is None else pages} |"
            )
    lines += [
        "",
        "| issues | issue 10 page (sofs / plain / blog) | search index (sofs / plain / blog) | issue 10 email HTML |",
        "| ---: | ---: | ---: | ---: |",
    ]
    for size, entry in results["sizes"].items():
        sizes = entry["bytes"]
        page = " / ".join(_kb(sizes["issue_page"].get(k)) for k in ("sofs", "plain", "blog"))
        index = " / ".join(_kb(sizes["search_index"].get(k)) for k in ("sofs", "plain", "blog"))
        lines.append(f"| {int(size):,} | {page} | {index} | {_kb(sizes['email_html'].get('sofs'))} |")
    lines += ["", "| target | measured | limit | |", "| --- | ---: | ---: | --- |"]
    for outcome in results.get("targets", []):
        lines.append(_target_row(outcome))
    return "\n".join(lines)


def _target_row(outcome: dict[str, Any]) -> str:
    value, unit = outcome["value"], outcome["unit"]
    if value is None:
        shown, verdict = "n/a", "not measured"
    else:
        verdict = "met" if outcome["met"] else "**missed**"
        shown = (
            f"{value:.1%}" if unit == "fraction" else f"{value:.0f} MB" if unit == "MB" else f"{value:.2f}"
        )
    limit = outcome["limit"]
    limit_text = (
        f"{limit:.0%}" if unit == "fraction" else f"{limit:.0f} MB" if unit == "MB" else f"{limit:.2f}"
    )
    return f"| {outcome['name']} | {shown} | {limit_text} | {verdict} |"
