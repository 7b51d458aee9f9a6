// A horizontal bar chart drawn as server-rendered SVG: no script, no library. It scales with its
// viewBox, so it reads on a 360 px phone; the numbers are also printed beside each bar, and the page
// shows them again in a table for screen readers and for copying.

export type BarSeries = { key: string; label: string };
/** One group of bars: its label, the value of each series, and each value already formatted. */
export type BarGroup = { label: string; values: number[]; texts: string[] };

const WIDTH = 360;
const LABEL = 22;
const BAR = 13;
const GAP = 3;
const AFTER = 14;
const VALUE_ROOM = 72;

export function BarChart({ id, title, desc, series, groups }: { id: string; title: string; desc: string; series: BarSeries[]; groups: BarGroup[] }) {
  const max = Math.max(1, ...groups.flatMap((g) => g.values));
  const groupHeight = LABEL + series.length * (BAR + GAP) + AFTER;
  const height = Math.max(groupHeight, groups.length * groupHeight);
  const scale = (WIDTH - VALUE_ROOM) / max;
  return (
    <figure className="bar-chart">
      <ul className="legend">
        {series.map((s, i) => (
          <li key={s.key}>
            <span className={`swatch series-${i}`} aria-hidden="true" />
            {s.label}
          </li>
        ))}
      </ul>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} preserveAspectRatio="xMinYMin meet">
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{desc}</desc>
        {groups.map((g, gi) => {
          const top = gi * groupHeight;
          return (
            <g key={gi} transform={`translate(0 ${top})`}>
              <text className="label" x={0} y={LABEL - 5}>
                {g.label}
              </text>
              {g.values.map((v, si) => {
                const y = LABEL + si * (BAR + GAP);
                const w = v > 0 ? Math.max(2, v * scale) : 0;
                return (
                  <g key={si}>
                    <rect className={`series-${si}`} x={0} y={y} width={w} height={BAR} rx={2} />
                    <text className="value" x={w + 4} y={y + BAR - 2}>
                      {g.texts[si]}
                    </text>
                  </g>
                );
              })}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
