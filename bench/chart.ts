/**
 * A hand-written SVG bar chart of the benchmark ratios (no dependency).
 *
 * Every bar is "ours / reference" where lower is better (times, bytes); a whisker shows the
 * spread (p25–p75 of the per-round paired ratios), a dashed line marks 1.0 (parity) and a red
 * tick marks the target. Bars are green when the target is met, amber when missed, grey when
 * there is no target (context only).
 */

export interface RatioBar {
  group: string;
  label: string;
  ratio: number;
  lo?: number;
  hi?: number;
  /** Upper bound the ratio should stay at or under. */
  target?: number;
}

export interface ChartOptions {
  title: string;
  subtitle?: string;
}

const esc = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const num = (v: number): string => (Math.round(v * 10) / 10).toString();

const fmtRatio = (v: number): string => (v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v >= 0.01 ? v.toFixed(3) : v.toPrecision(2));

/** Axis maximum: a round number just above the largest value shown (at least 1.25). */
function axisMax(values: number[]): number {
  const m = Math.max(1.25, ...values.filter(Number.isFinite)) * 1.08;
  const steps = [1.5, 2, 2.5, 3, 4, 5, 6, 8, 10, 15, 20, 30, 50, 100];
  return steps.find((s) => s >= m) ?? Math.ceil(m);
}

function ticks(max: number): number[] {
  const step = max <= 1.5 ? 0.25 : max <= 3 ? 0.5 : max <= 6 ? 1 : max <= 15 ? 2.5 : max <= 30 ? 5 : 10;
  const out: number[] = [];
  for (let v = 0; v <= max + 1e-9; v += step) out.push(Math.round(v * 100) / 100);
  return out;
}

export function renderChart(bars: RatioBar[], options: ChartOptions): string {
  const [width, labelW, barH, rowH, groupGap] = [880, 300, 20, 30, 30];
  const plotX = labelW + 20;
  const plotW = width - plotX - 90;
  const top = options.subtitle ? 78 : 58;

  // Scale on medians and targets; a whisker running past the axis is clipped (arrow-headed).
  const max = axisMax(bars.flatMap((b) => [b.ratio, b.target ?? 0]));
  const x = (v: number): number => plotX + (Math.min(v, max) / max) * plotW;

  // Layout rows, grouped.
  const rows: { bar: RatioBar; y: number; groupStart: boolean }[] = [];
  let y = top + 10;
  let prevGroup: string | undefined;
  for (const bar of bars) {
    const groupStart = bar.group !== prevGroup;
    if (groupStart) y += prevGroup === undefined ? 12 : groupGap;
    rows.push({ bar, y, groupStart });
    y += rowH;
    prevGroup = bar.group;
  }
  const plotBottom = y + 4;
  const legendY = plotBottom + 44;
  const height = legendY + 22;

  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${num(height)}" viewBox="0 0 ${width} ${num(height)}" font-family="-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" font-size="13">`,
    `<title>${esc(options.title)}</title>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="20" y="30" font-size="17" font-weight="600" fill="#1f2328">${esc(options.title)}</text>`,
  );
  if (options.subtitle) {
    parts.push(`<text x="20" y="52" font-size="12" fill="#57606a">${esc(options.subtitle)}</text>`);
  }

  // Grid and axis.
  for (const t of ticks(max)) {
    const tx = num(x(t));
    parts.push(
      `<line x1="${tx}" y1="${top}" x2="${tx}" y2="${num(plotBottom)}" stroke="#eaeef2" stroke-width="1"/>`,
      `<text x="${tx}" y="${num(plotBottom + 16)}" text-anchor="middle" font-size="11" fill="#57606a">${t}×</text>`,
    );
  }
  parts.push(
    `<text x="${num(plotX + plotW / 2)}" y="${num(plotBottom + 32)}" text-anchor="middle" font-size="11" fill="#57606a">ratio, ours (or the variant named) / reference — lower is better</text>`,
  );

  // Rows.
  for (const { bar, y: ry, groupStart } of rows) {
    if (groupStart) {
      parts.push(`<text x="20" y="${num(ry - 8)}" font-size="13" font-weight="600" fill="#1f2328">${esc(bar.group)}</text>`);
    }
    const met = bar.target === undefined ? undefined : bar.ratio <= bar.target;
    const fill = met === undefined ? "#8c959f" : met ? "#2da44e" : "#d4a72c";
    const cy = ry + barH / 2;
    parts.push(
      `<text x="${labelW + 10}" y="${num(cy + 4)}" text-anchor="end" fill="#1f2328">${esc(bar.label)}</text>`,
      `<rect x="${plotX}" y="${num(ry)}" width="${num(Math.max(1, x(bar.ratio) - plotX))}" height="${barH}" rx="2" fill="${fill}"/>`,
    );
    if (bar.lo !== undefined && bar.hi !== undefined && Number.isFinite(bar.lo) && Number.isFinite(bar.hi)) {
      const x1 = num(x(bar.lo));
      const x2 = num(x(bar.hi));
      parts.push(
        `<line x1="${x1}" y1="${num(cy)}" x2="${x2}" y2="${num(cy)}" stroke="#1f2328" stroke-width="1.2"/>`,
        `<line x1="${x1}" y1="${num(cy - 5)}" x2="${x1}" y2="${num(cy + 5)}" stroke="#1f2328" stroke-width="1.2"/>`,
      );
      if (bar.hi > max) {
        parts.push(`<path d="M${x2} ${num(cy)} l-6 -4 v8 z" fill="#1f2328"/>`);
      } else {
        parts.push(`<line x1="${x2}" y1="${num(cy - 5)}" x2="${x2}" y2="${num(cy + 5)}" stroke="#1f2328" stroke-width="1.2"/>`);
      }
    }
    if (bar.target !== undefined) {
      const tx = num(x(bar.target));
      parts.push(
        `<line x1="${tx}" y1="${num(ry - 4)}" x2="${tx}" y2="${num(ry + barH + 4)}" stroke="#cf222e" stroke-width="2.5"/>`,
      );
    }
    // The value goes right of the bar and whisker, and past the target tick if it would overlap it.
    let valueX =
      Math.max(x(bar.ratio), bar.hi !== undefined && Number.isFinite(bar.hi) ? x(bar.hi) : 0) +
      (bar.hi !== undefined && bar.hi > max ? 2 : 0);
    if (bar.target !== undefined && x(bar.target) >= valueX - 2 && x(bar.target) <= valueX + 62) {
      valueX = x(bar.target) + 2;
    }
    const clipped = bar.ratio > max ? " ▸" : "";
    parts.push(
      `<text x="${num(valueX + 8)}" y="${num(cy + 4)}" font-size="12" font-weight="600" fill="#1f2328">${fmtRatio(bar.ratio)}×${clipped}</text>`,
    );
  }

  // Parity line at 1.0, drawn over the bars.
  const one = num(x(1));
  parts.push(
    `<line x1="${one}" y1="${top}" x2="${one}" y2="${num(plotBottom)}" stroke="#1f2328" stroke-width="1.2" stroke-dasharray="5 4"/>`,
  );

  // Legend: swatches, then the target tick, the parity line and the whisker.
  let lx = 20;
  const item = (mark: string, text: string, markW: number): void => {
    parts.push(mark, `<text x="${lx + markW + 6}" y="${legendY}" font-size="12" fill="#1f2328">${esc(text)}</text>`);
    lx += markW + 24 + text.length * 7;
  };
  for (const [color, text] of [["#2da44e", "target met"], ["#d4a72c", "target missed"], ["#8c959f", "no target (context)"]]) {
    item(`<rect x="${lx}" y="${legendY - 10}" width="12" height="12" rx="2" fill="${color}"/>`, text!, 12);
  }
  item(`<line x1="${lx}" y1="${legendY - 10}" x2="${lx}" y2="${legendY + 2}" stroke="#cf222e" stroke-width="2.5"/>`, "target", 2);
  const line = (dash: string): string =>
    `<line x1="${lx}" y1="${legendY - 4}" x2="${lx + 26}" y2="${legendY - 4}" stroke="#1f2328" stroke-width="1.2"${dash}/>`;
  item(line(' stroke-dasharray="5 4"'), "parity (1.0)", 26);
  item(line(""), "p25–p75 of rounds", 26);

  parts.push(`</svg>`, "");
  return parts.join("\n");
}
