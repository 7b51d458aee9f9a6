import { useTranslation } from "react-i18next";

export const CONSENT_FILTER_CHOICES = ["all", "missing", "none", "given", "refused", "withdrawn"] as const;

/**
 * A plain GET form over a list of pupils: a text fragment (name, login name or class), optionally a
 * class and a consent state. The parameters land in the URL, so a search works without JavaScript
 * and can be bookmarked; `hidden` keeps other parameters of the page.
 */
export function PupilSearch({
  action,
  q,
  classes,
  classId,
  consent,
  hidden = {},
  anchor,
  idPrefix = "pupils",
}: {
  action: string;
  q: string;
  /** Omit to leave out the class filter (e.g. on a class's own page). */
  classes?: { id: string; name: string }[];
  classId?: string | null;
  /** Omit to leave out the consent filter. */
  consent?: string;
  hidden?: Record<string, string>;
  anchor?: string;
  idPrefix?: string;
}) {
  const { t } = useTranslation("rollout");
  return (
    <form method="get" action={anchor ? `${action}#${anchor}` : action} className="pupil-search" role="search" aria-labelledby={`${idPrefix}-search-legend`}>
      <p className="legend" id={`${idPrefix}-search-legend`}>
        {t("pupilList.searchLegend")}
      </p>
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <div className="field">
        <label htmlFor={`${idPrefix}-q`}>{t("pupilList.q")}</label>
        <input id={`${idPrefix}-q`} type="search" name="q" defaultValue={q} maxLength={50} aria-describedby={`${idPrefix}-q-hint`} />
        <p className="hint" id={`${idPrefix}-q-hint`}>
          {t("pupilList.qHint")}
        </p>
      </div>
      {classes ? (
        <div className="field">
          <label htmlFor={`${idPrefix}-class`}>{t("pupilList.class")}</label>
          <select id={`${idPrefix}-class`} name="class" defaultValue={classId ?? ""}>
            <option value="">{t("pupilList.allClasses")}</option>
            {classes.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {consent !== undefined ? (
        <div className="field">
          <label htmlFor={`${idPrefix}-consent`}>{t("pupilList.consent")}</label>
          <select id={`${idPrefix}-consent`} name="consent" defaultValue={consent}>
            {CONSENT_FILTER_CHOICES.map((c) => (
              <option key={c} value={c}>
                {t(`pupilList.consentFilters.${c}`)}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div className="actions">
        <button type="submit">{t("pupilList.search")}</button>
        <a href={anchor ? `${action}#${anchor}` : action}>{t("pupilList.clear")}</a>
      </div>
    </form>
  );
}
