"""The HTML report's stylesheet, inlined so the file needs nothing else to render."""

from __future__ import annotations

STYLESHEET = """
:root { --ink: #1d2330; --muted: #5b6473; --line: #d5d9e0; --sla: #1f4e9c;
  --slo: #2e7d32; --ok: #00796b; --bad: #c62828; --warn: #b26a00; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans",
  sans-serif; color: var(--ink); margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
h2 { font-size: 1.35rem; border-bottom: 2px solid var(--sla); padding-bottom: .2rem;
  margin-top: 2.2rem; }
h3 { font-size: 1.1rem; margin: 1.4rem 0 .4rem; }
h4 { font-size: 1rem; margin: 1rem 0 .3rem; }
.meta, .note, figcaption { color: var(--muted); font-size: .9rem; }
.missing { color: var(--bad); font-style: italic; }
table { border-collapse: collapse; margin: .5rem 0; font-size: .92rem; }
th, td { border: 1px solid var(--line); padding: .3rem .55rem; text-align: left;
  vertical-align: top; }
th { background: #f1f3f6; }
table.summary { width: 100%; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem;
  margin: .4rem 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.status { display: inline-block; padding: 0 .45rem; border-radius: .6rem;
  font-size: .85rem; background: #eceff3; }
.status-met { background: #dcefe0; color: #1b5e20; }
.status-breached { background: #f8d7da; color: #8e1b1b; }
ul.findings { list-style: none; padding: 0; margin: .4rem 0; }
li.finding { border-left: 4px solid var(--warn); background: #fff8e6;
  padding: .3rem .6rem; margin: .25rem 0; font-size: .9rem; }
li.finding.severity-error { border-color: var(--bad); background: #fdecee; }
li.finding.severity-info { border-color: var(--muted); background: #f1f3f6; }
section.commitment { border: 1px solid var(--line); border-radius: .4rem;
  padding: .2rem 1rem .8rem; margin: 1rem 0; }
figure { margin: .6rem 0; }
svg.chart { width: 100%; max-width: 46rem; height: auto; display: block; }
.credit-tables { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
tr.measured td { font-weight: 600; }
svg .axis { stroke: #6b7280; stroke-width: 1; }
svg .grid { stroke: #eceff3; stroke-width: 1; }
svg .tick { font-size: 11px; fill: var(--muted); }
svg .label { font-size: 12px; font-weight: 600; paint-order: stroke;
  stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
svg .zone-breach { fill: #f5c6cb; }
svg .zone-warn { fill: #ffe8a8; }
svg .zone-ok { fill: #cfe8d4; }
svg .mark { stroke-width: 2.5; }
svg .mark.sla { stroke: var(--sla); } svg .label.sla { fill: var(--sla); }
svg .mark.slo { stroke: var(--slo); } svg .label.slo { fill: var(--slo); }
svg .mark.measured-ok { stroke: var(--ok); } svg .label.measured-ok { fill: var(--ok); }
svg .mark.measured-bad { stroke: var(--bad); }
svg .label.measured-bad { fill: var(--bad); }
svg .bracket path { fill: none; stroke: var(--ink); stroke-width: 1.2; }
svg .label.margin { fill: var(--slo); }
svg .steps { fill: none; stroke: var(--sla); stroke-width: 2.5; }
svg .cap { stroke: var(--bad); stroke-width: 1; stroke-dasharray: 5 4; }
svg .cap-label { fill: var(--bad); }
svg .commitment { stroke: var(--muted); stroke-width: 1; stroke-dasharray: 3 3; }
svg .example-point { fill: #ef8f00; } svg .label.example-point { fill: #9a5b00; }
svg .measured-point { fill: var(--bad); }
svg .label.measured-point { fill: var(--bad); }
@page { size: A4; margin: 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  section.sla { break-before: page; }
  section.commitment, figure, table, li.finding { break-inside: avoid; }
  h2, h3, h4 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""
