// A score distribution over the five bands as server-rendered SVG: five bars, no script, no library.
// The counts are printed on the bars' ends and repeated in the aria-label, so nothing is colour or
// shape alone.
import { useTranslation } from "react-i18next";
import type { BandKey } from "~/domain/grading/grading.server";

const BAND_KEYS: readonly BandKey[] = ["excellent", "good", "fair", "pass", "fail"];
const WIDTH = 200;
const ROW = 22;
const LABEL = 58;
const ROOM = 24;

export function ScoreChart({ id, title, distribution }: { id: string; title: string; distribution: Record<BandKey, number> }) {
  const { t } = useTranslation("grading");
  const max = Math.max(1, ...BAND_KEYS.map((b) => distribution[b]));
  const scale = (WIDTH - LABEL - ROOM) / max;
  const label = t("chartLabel", { title, ...distribution });
  return (
    <svg className="score-chart" viewBox={`0 0 ${WIDTH} ${BAND_KEYS.length * ROW}`} role="img" aria-label={label} preserveAspectRatio="xMinYMin meet">
      <title id={`${id}-title`}>{label}</title>
      {BAND_KEYS.map((band, i) => {
        const n = distribution[band];
        const w = n > 0 ? Math.max(3, n * scale) : 0;
        const y = i * ROW;
        return (
          <g key={band} transform={`translate(0 ${y})`}>
            <text className="band-label" x={LABEL - 6} y={ROW / 2 + 5} textAnchor="end">
              {t(`band.${band}`)}
            </text>
            <rect className={`band-${band}`} x={LABEL} y={3} width={w} height={ROW - 6} rx={2} />
            <text className="band-count" x={LABEL + w + 4} y={ROW / 2 + 5}>
              {n}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
