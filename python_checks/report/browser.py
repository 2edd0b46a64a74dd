"""Open the report in headless Chromium and check that its charts drew.

Two independent looks at the page after its scripts ran: the DOM (every chart container must
hold a plotly SVG with data marks in its traces) and a screenshot (not blank, and the band
colours of the charts are on it). Used by the tests and to refresh docs/report.png:

    python -m python_checks.report.browser build/report/health_report.html \
        --screenshot docs/report.png --height 1600 --palette
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from PIL import Image

# Flags that work on a headless Debian machine without a display, a sandbox or a network.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
CHROMIUM_ENV = "CHROMIUM"
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "/usr/bin/chromium")
# Virtual time for the page's scripts: plotly draws synchronously, this is generous.
SCRIPT_BUDGET_MS = 10_000
TIMEOUT_S = 120
VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)


class BrowserError(Exception):
    """Chromium is missing or failed to render the page."""


def find_chromium() -> str | None:
    """$CHROMIUM when set (None when it is not an executable), else the first on the PATH."""
    configured = os.environ.get(CHROMIUM_ENV)
    if configured:
        return shutil.which(configured)
    for candidate in CHROMIUM_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def _run(page: Path, extra: Sequence[str], chromium: str | None) -> str:
    binary = chromium or find_chromium()
    if binary is None:
        raise BrowserError(
            "no Chromium found (apt-get install -y chromium, or set $CHROMIUM to its path)"
        )
    with tempfile.TemporaryDirectory(prefix="report-chromium-") as profile:
        command = [
            binary,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--virtual-time-budget={SCRIPT_BUDGET_MS}",
            *extra,
            page.resolve().as_uri(),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise BrowserError(f"{binary} did not finish {page} in {TIMEOUT_S} s") from exc
    if done.returncode != 0:
        raise BrowserError(
            f"{binary} failed on {page} (exit {done.returncode}): {done.stderr[-2000:]}"
        )
    return done.stdout


def dump_dom(page: Path, chromium: str | None = None) -> str:
    """The page's DOM after its scripts ran, serialised as HTML."""
    return _run(page, ["--dump-dom"], chromium)


def screenshot(
    page: Path, png: Path, width: int = 1280, height: int = 1800, chromium: str | None = None
) -> Path:
    """A PNG of the top ``width`` x ``height`` pixels of the page."""
    png.parent.mkdir(parents=True, exist_ok=True)
    png.unlink(missing_ok=True)
    _run(page, [f"--window-size={width},{height}", f"--screenshot={png.resolve()}"], chromium)
    if not png.is_file():
        raise BrowserError(f"Chromium wrote no screenshot of {page} to {png}")
    return png


@dataclass
class ChartDraw:
    """What one chart container holds after the scripts ran."""

    chart_id: str
    svgs: int = 0
    traces: int = 0
    marks: int = 0

    @property
    def drew(self) -> bool:
        return self.svgs > 0 and self.marks > 0


@dataclass
class _Open:
    tag: str
    chart: str | None
    trace: bool


class _ChartParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.charts: dict[str, ChartDraw] = {}
        self.stack: list[_Open] = []

    def _chart(self) -> str | None:
        return next((o.chart for o in reversed(self.stack) if o.chart), None)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        classes = set(values.get("class", "").split())
        chart_id = values.get("data-chart") or None
        if chart_id:
            self.charts[chart_id] = ChartDraw(chart_id)
        current = chart_id or self._chart()
        in_trace = any(o.trace for o in self.stack)
        if current is not None:
            draw = self.charts[current]
            if tag == "svg" and "main-svg" in classes:
                draw.svgs += 1
            if tag == "g" and "trace" in classes:
                draw.traces += 1
            if in_trace and tag == "path" and _has_shape(values.get("d", "")):
                draw.marks += 1
        if tag not in VOID_TAGS:
            self.stack.append(_Open(tag, chart_id, tag == "g" and "trace" in classes))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return


def _has_shape(d: str) -> bool:
    """A path that draws something: not empty and not a degenerate ``M0,0Z``."""
    text = d.replace(" ", "")
    return bool(text) and text not in {"M0,0Z", "M0,0", "Z"}


def drawn_charts(dom: str) -> dict[str, ChartDraw]:
    """Per chart container (``data-chart`` attribute): plot SVGs, traces and data marks."""
    parser = _ChartParser()
    parser.feed(dom)
    parser.close()
    return parser.charts


def chart_problems(dom: str, expected: Sequence[str]) -> list[str]:
    """Why the charts did not all draw (empty list: every expected chart drew)."""
    charts = drawn_charts(dom)
    problems = [f"chart {c} is not on the page" for c in expected if c not in charts]
    for draw in charts.values():
        if draw.svgs == 0:
            problems.append(f"chart {draw.chart_id}: no plot SVG (did the plotting JS run?)")
        elif draw.marks == 0:
            problems.append(
                f"chart {draw.chart_id}: the plot has no data marks ({draw.traces} traces)"
            )
    return problems


@dataclass(frozen=True)
class ScreenshotStats:
    width: int
    height: int
    distinct_colors: int
    top_color_share: float
    chart_color_share: float


def screenshot_stats(
    png: Path, chart_colors: Sequence[str], tolerance: int = 12
) -> ScreenshotStats:
    """How varied the screenshot is, and the share of its pixels in the charts' colours."""
    with Image.open(png) as image:
        rgb = image.convert("RGB")
    width, height = rgb.size
    pixels = width * height
    colors = rgb.getcolors(maxcolors=pixels) or []
    top = max((count for count, _ in colors), default=0)
    targets = [tuple(int(c.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)) for c in chart_colors]
    in_chart = sum(
        count
        for count, color in colors
        if any(all(abs(a - b) <= tolerance for a, b in zip(color, t, strict=True)) for t in targets)
    )
    return ScreenshotStats(width, height, len(colors), top / pixels, in_chart / pixels)


def to_palette(png: Path, colors: int = 256) -> None:
    """Rewrite ``png`` with an adaptive palette: a fraction of the size, for docs."""
    with Image.open(png) as image:
        reduced = image.convert("RGB").quantize(colors=colors, method=Image.Quantize.MEDIANCUT)
    reduced.save(png, optimize=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m python_checks.report.browser",
        description="Render the report in headless Chromium, check its charts drew, and "
        "optionally save a screenshot.",
    )
    parser.add_argument("page", type=Path)
    parser.add_argument("--screenshot", type=Path, help="save a PNG of the top of the page")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=1800)
    parser.add_argument(
        "--palette", action="store_true", help="save the screenshot with 256 colours (smaller)"
    )
    args = parser.parse_args(argv)
    try:
        dom = dump_dom(args.page)
        charts = drawn_charts(dom)
        problems = chart_problems(dom, list(charts))
        if args.screenshot:
            screenshot(args.page, args.screenshot, args.width, args.height)
            if args.palette:
                to_palette(args.screenshot)
    except BrowserError as exc:
        print(f"browser: {exc}", file=sys.stderr)
        return 2
    for draw in charts.values():
        print(f"{draw.chart_id:<18} svgs {draw.svgs}  traces {draw.traces}  marks {draw.marks}")
    if args.screenshot:
        print(f"screenshot: {args.screenshot}")
    if problems or not charts:
        print("\n".join(problems) or "no chart on the page", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
