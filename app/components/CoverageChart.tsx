// A share chart drawn as server-rendered SVG, like BarChart: one horizontal bar per row on a 0–100%
// scale, a dashed line at the target, and each share printed beside its bar. A bar that meets the
// target takes the "good" colour; the page shows the same numbers again in a table.

/** One bar: its label, its share (0–1; null: nothing to count) and the share already formatted. */
export type CoverageBar = { key: string; label: string; share: number | null; text: string };

const WIDTH = 360;
const TOP = 20;
const LABEL = 22;
const BAR = 16;
const AFTER = 8;
const VALUE_ROOM = 84;
const PLOT = WIDTH - VALUE_ROOM;

export function CoverageChart({ id, title, desc, target, targetText, metText, belowText, bars }: { id: string; title: string; desc: string; target: number; targetText: string; metText: string; belowText: string; bars: CoverageBar[] }) {
  const rowHeight = LABEL + BAR + AFTER;
  const height = TOP + Math.max(1, bars.length) * rowHeight;
  const targetX = Math.round(target * PLOT * 10) / 10;
  return (
    <figure className="bar-chart coverage-chart">
      <ul className="legend">
        <li>
          <span className="swatch series-2" aria-hidden="true" />
          {metText}
        </li>
        <li>
          <span className="swatch series-1" aria-hidden="true" />
          {belowText}
        </li>
        <li>
          <span className="swatch" aria-hidden="true" style={{ background: "transparent", borderRadius: 0, borderInlineStart: "2px dashed currentColor" }} />
          {targetText}
        </li>
      </ul>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} preserveAspectRatio="xMinYMin meet">
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{desc}</desc>
        {bars.map((b, i) => {
          const top = TOP + i * rowHeight;
          const y = top + LABEL;
          const w = b.share === null ? 0 : b.share > 0 ? Math.max(2, Math.min(1, b.share) * PLOT) : 0;
          const met = b.share !== null && b.share >= target;
          return (
            <g key={b.key}>
              <text className="label" x={0} y={top + LABEL - 5}>
                {b.label}
              </text>
              <rect x={0} y={y} width={PLOT} height={BAR} rx={2} fill="#e8eef7" />
              {w > 0 ? <rect className={met ? "series-2" : "series-1"} x={0} y={y} width={w} height={BAR} rx={2} /> : null}
              <text className="value" x={PLOT + 4} y={y + BAR - 3}>
                {b.text}
              </text>
            </g>
          );
        })}
        <line x1={targetX} y1={TOP - 4} x2={targetX} y2={height} stroke="currentColor" strokeWidth={1.5} strokeDasharray="4 3" />
        <text className="value" x={Math.min(targetX, PLOT - 4)} y={TOP - 7} textAnchor={targetX > PLOT / 2 ? "end" : "start"}>
          {targetText}
        </text>
      </svg>
    </figure>
  );
}
