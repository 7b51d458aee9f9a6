// Scores over time as server-rendered SVG: percent of points on the y axis, one point per returned
// grade in date order on the x axis, each point labelled with its value. No script, no library; the
// same numbers are in the aria-label and in the table the page prints under the chart, so nothing is
// shape or colour alone. Points are spaced evenly (not by date): a parent reads the order and the
// values, and a week without grades would otherwise squeeze the rest together on a phone.

export type TrendPoint = { dateText: string; percent: number; percentText: string };

const WIDTH = 320;
const HEIGHT = 168;
const LEFT = 36;
const RIGHT = 14;
const TOP = 18;
const BOTTOM = 30;
const PLOT_H = HEIGHT - TOP - BOTTOM;
const PLOT_W = WIDTH - LEFT - RIGHT;
/** Date labels under the axis: at most this many, or they overlap at 360 px. */
const MAX_DATE_LABELS = 5;

const yOf = (percent: number) => TOP + PLOT_H * (1 - Math.min(100, Math.max(0, percent)) / 100);

export function ScoreTrendChart({ label, points }: { label: string; points: TrendPoint[] }) {
  const xOf = (i: number) => (points.length === 1 ? LEFT + PLOT_W / 2 : LEFT + (PLOT_W * i) / (points.length - 1));
  const every = Math.ceil(points.length / MAX_DATE_LABELS);
  const line = points.map((p, i) => `${xOf(i).toFixed(1)},${yOf(p.percent).toFixed(1)}`).join(" ");
  return (
    <svg className="trend-chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label} preserveAspectRatio="xMidYMid meet">
      <title>{label}</title>
      {[0, 50, 100].map((v) => (
        <g key={v} className="grid">
          <line x1={LEFT} x2={WIDTH - RIGHT} y1={yOf(v)} y2={yOf(v)} />
          <text x={LEFT - 4} y={yOf(v) + 4} textAnchor="end">
            {v}%
          </text>
        </g>
      ))}
      {points.length > 1 ? <polyline className="trend" points={line} /> : null}
      {points.map((p, i) => (
        <g key={i}>
          <circle className="dot" cx={xOf(i)} cy={yOf(p.percent)} r={3.5} />
          <text className="value" x={xOf(i)} y={yOf(p.percent) - 7} textAnchor="middle">
            {p.percentText}
          </text>
          {i % every === 0 || i === points.length - 1 ? (
            <text className="date" x={xOf(i)} y={HEIGHT - 10} textAnchor={points.length === 1 ? "middle" : i === 0 ? "start" : i === points.length - 1 ? "end" : "middle"}>
              {p.dateText}
            </text>
          ) : null}
        </g>
      ))}
    </svg>
  );
}
