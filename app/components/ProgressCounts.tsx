import { useTranslation } from "react-i18next";

/** A child's assignment counts as the parent's pages show them (numbers formatted by the loader). */
export function ProgressCounts({ counts }: { counts: { key: string; n: string; alert?: boolean }[] }) {
  const { t } = useTranslation("progress");
  return (
    <dl className="stats progress-counts">
      {counts.map((c) => (
        <div key={c.key} className={c.alert ? "alert-count" : undefined}>
          <dt>{t(c.key)}</dt>
          <dd>{c.n}</dd>
        </div>
      ))}
    </dl>
  );
}
