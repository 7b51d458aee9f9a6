import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { OverrideCell, OverrideListing } from "~/domain/rollout/flags.server";

/** The tag that says on or off, in words and colour. */
export function FlagValue({ enabled }: { enabled: boolean }) {
  const { t } = useTranslation("flags");
  return <span className={enabled ? "tag flag-on" : "tag flag-off"}>{enabled ? t("value.on") : t("value.off")}</span>;
}

/**
 * One flag at one place: what is set here, and a form to set or clear it when this level may override
 * and no lock above forbids it. `hidden` carries where the form returns to.
 */
export function FlagOverrideCell({ cell, scope, scopeId, hidden }: { cell: OverrideCell; scope: "region" | "school"; scopeId: string; hidden?: Record<string, string> }) {
  const { t } = useTranslation("flags");
  const id = `o-${cell.key}`;
  return (
    <li className="card flag-cell" id={`flag-${cell.key}`}>
      <h3>{t(`names.${cell.key}`)}</h3>
      <p className="meta">{t(`descriptions.${cell.key}`)}</p>
      <p>
        {cell.current ? (
          <>
            {t("override.setHere")} <FlagValue enabled={cell.current.enabled} />
            {cell.current.locked ? <span className="tag flag-lock">{t("override.locked")}</span> : null}
          </>
        ) : (
          t("override.notSetHere")
        )}
      </p>
      {cell.lockedBy ? (
        <p className="flag-blocked">{t("override.lockedBy", { place: cell.lockedBy.place, value: cell.lockedBy.enabled ? t("value.on") : t("value.off") })}</p>
      ) : !cell.levelAllowed ? (
        <p className="flag-blocked">{t(`override.levelNotAllowed.${scope}`)}</p>
      ) : (
        <Form method="post" className="flag-override-form">
          <input type="hidden" name="flag" value={cell.key} />
          <input type="hidden" name="scope" value={scope} />
          <input type="hidden" name="scopeId" value={scopeId} />
          {Object.entries(hidden ?? {}).map(([k, v]) => (
            <input key={k} type="hidden" name={k} value={v} />
          ))}
          <div className="flag-row">
            <label htmlFor={`${id}-value`}>{t("override.value")}</label>
            <select id={`${id}-value`} name="enabled" defaultValue={cell.current ? (cell.current.enabled ? "on" : "off") : "on"}>
              <option value="on">{t("value.on")}</option>
              <option value="off">{t("value.off")}</option>
            </select>
          </div>
          <label className="check">
            <input type="checkbox" name="locked" id={`${id}-locked`} defaultChecked={cell.current?.locked} /> {t("override.lock")}
          </label>
          <div className="flag-buttons">
            <button type="submit" name="intent" value="set" className="primary">
              {t("override.save")}
            </button>
            {cell.current ? (
              <button type="submit" name="intent" value="clear" className="secondary">
                {t("override.clear")}
              </button>
            ) : null}
          </div>
        </Form>
      )}
    </li>
  );
}

/** Every override below an admin, with whether it is in effect (a lock above or a closed level makes it ignored). */
export function FlagOverrideList({ overrides, clearable }: { overrides: OverrideListing[]; clearable?: (o: OverrideListing) => boolean }) {
  const { t } = useTranslation("flags");
  if (!overrides.length) return <p>{t("override.none")}</p>;
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">{t("flag")}</th>
            <th scope="col">{t("override.place")}</th>
            <th scope="col">{t("override.value")}</th>
            <th scope="col">{t("override.state")}</th>
            {clearable ? <th scope="col">{t("override.actions")}</th> : null}
          </tr>
        </thead>
        <tbody>
          {overrides.map((o) => (
            <tr key={`${o.key}:${o.scope}:${o.scopeId}`}>
              <th scope="row">{t(`names.${o.key}`)}</th>
              <td>
                <span className="meta">{t(`levels.${o.scope}`)}</span> {o.place}
              </td>
              <td>
                <FlagValue enabled={o.enabled} />
                {o.locked ? <span className="tag flag-lock">{t("override.locked")}</span> : null}
              </td>
              <td>{o.inEffect ? t("override.inEffect") : t("override.ignored")}</td>
              {clearable ? (
                <td>
                  {clearable(o) ? (
                    <Form method="post">
                      <input type="hidden" name="flag" value={o.key} />
                      <input type="hidden" name="scope" value={o.scope} />
                      <input type="hidden" name="scopeId" value={o.scopeId} />
                      <button type="submit" name="intent" value="clear" className="secondary" aria-label={t("override.clearFor", { flag: t(`names.${o.key}`), place: o.place })}>
                        {t("override.clear")}
                      </button>
                    </Form>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
