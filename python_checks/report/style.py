"""The report's stylesheet: calm, readable, printable."""

CSS = """
:root {
  --ink: #1f2a37; --muted: #6b7280; --line: #e5e7eb; --bg: #f5f6f8; --card: #ffffff;
  --risk: #d1495b; --good: #2e9e7a; --accent: #3b5b92;
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--bg); color: var(--ink);
  font: 15px/1.5 Inter, "Segoe UI", system-ui, -apple-system, Helvetica, Arial, sans-serif;
}
main { max-width: 1240px; margin: 0 auto; padding: 32px 28px 48px; }
header { margin-bottom: 20px; }
.eyebrow { text-transform: uppercase; letter-spacing: .08em; font-size: 12px; color: var(--accent);
  font-weight: 600; }
h1 { font-size: 32px; margin: 4px 0 2px; letter-spacing: -.01em; }
h2 { font-size: 21px; margin: 40px 0 8px; padding-bottom: 6px; border-bottom: 2px solid var(--line); }
h3 { font-size: 15px; margin: 0 0 4px; }
p { margin: 6px 0; }
.asof { color: var(--muted); margin: 0; }
.lede { max-width: 900px; color: #374151; }
.section-note { color: #374151; max-width: 980px; margin-bottom: 12px; }
.sub { color: var(--muted); font-size: 12.5px; }
.tiles { display: grid; grid-template-columns: repeat(6, 1fr); gap: 12px; margin: 18px 0 14px; }
.tiles.small { grid-template-columns: repeat(4, 1fr); }
.tile { background: var(--card); border-radius: 10px; padding: 14px 16px;
  box-shadow: 0 1px 2px rgba(0,0,0,.06); border-top: 4px solid var(--accent); }
.tile.bad { border-top-color: var(--risk); }
.tile.good { border-top-color: var(--good); }
.tile-label { font-size: 12.5px; color: var(--muted); font-weight: 600; }
.tile-value { font-size: 28px; font-weight: 700; margin: 2px 0; font-variant-numeric: tabular-nums; }
.tile-note { font-size: 12px; color: var(--muted); }
.grid.two { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.card { background: var(--card); border-radius: 10px; padding: 16px 18px; margin: 0 0 16px;
  box-shadow: 0 1px 2px rgba(0,0,0,.06); }
figure.card { margin: 0 0 16px; }
figcaption p { color: var(--muted); font-size: 13px; }
.chart { min-height: 200px; }
.table-card { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; }
th { text-align: left; font-size: 12px; text-transform: uppercase; letter-spacing: .04em;
  color: var(--muted); border-bottom: 1px solid var(--line); padding: 8px 10px; }
td { border-bottom: 1px solid var(--line); padding: 9px 10px; vertical-align: top; }
tr:last-child td { border-bottom: 0; }
.num, .score { font-variant-numeric: tabular-nums; }
.score { font-weight: 700; }
.pill { display: inline-block; border-radius: 999px; padding: 1px 9px; font-size: 12px;
  font-weight: 600; color: #fff; background: var(--muted); }
.delta.down { color: var(--risk); font-weight: 600; }
.delta.up { color: var(--good); font-weight: 600; }
.driver { display: inline-block; background: #fbecee; color: #7a1f2b; border-radius: 6px;
  padding: 1px 7px; margin: 0 4px 4px 0; font-size: 12.5px; }
.flag.critical, .sev.critical { background: #8f1d2c; color: #fff; border-radius: 6px;
  padding: 1px 7px; font-size: 12px; font-weight: 600; }
.sev { border-radius: 6px; padding: 1px 7px; font-size: 12px; font-weight: 600; }
.sev.high { background: #fbecee; color: #8f1d2c; }
.sev.warning { background: #fdf3df; color: #6b4a05; }
.status { display: inline-block; border-radius: 8px; padding: 6px 12px; font-weight: 600; }
.status.ok { background: #e3f4ee; color: #17624a; }
.status.bad { background: #fbecee; color: #8f1d2c; }
.status.warn { background: #fdf3df; color: #6b4a05; }
.mixbar { display: flex; width: 160px; height: 12px; border-radius: 6px; overflow: hidden;
  background: var(--line); }
.mixbar span { display: block; height: 100%; }
.empty { color: var(--muted); font-style: italic; }
footer { margin-top: 40px; color: var(--muted); font-size: 12.5px; }
code { background: #eef0f4; border-radius: 4px; padding: 0 4px; }
@media (max-width: 1000px) {
  .tiles { grid-template-columns: repeat(3, 1fr); }
  .grid.two { grid-template-columns: 1fr; }
}
@media print { body { background: #fff; } .card, .tile { box-shadow: none; border: 1px solid var(--line); } }
"""


def band_css(colors: dict[str, str]) -> str:
    """The rules that colour each band's pill and band-mix segment (class band-<band>), from the
    band colours of the report's charts; dark text on a light colour."""
    rules = []
    for band, color in colors.items():
        red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
        light = 0.299 * red + 0.587 * green + 0.114 * blue > 160
        text = "color: #3d2c05; " if light else ""
        rules.append(f".pill.band-{band} {{ background: {color}; {text}}}")
        rules.append(f".mixbar .band-{band} {{ background: {color}; }}")
    return "\n".join(rules) + "\n"
