import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FlagValue } from "./FlagOverride";
import { TextField } from "./FormBits";

type Decision =
  | { step: "override"; scope: "region" | "school" | "user"; scopeId: string; locked: boolean }
  | { step: "rule"; index: number }
  | { step: "regionRule"; regionId: string; index: number }
  | { step: "default" };
type CeilingSource = { kind: "school" } | { kind: "region"; regionName: string };
type SpaceStatus = { open: true } | { open: false; reason: "phase" | "consent" | "disabled" };
export type PreviewData = {
  user: { realName: string | null; anonymous: "student" | "parent" | null; loginName: string; schoolName: string | null };
  role: string;
  roles: string[];
  rows: { key: string; enabled: boolean; decision: Decision; placeName: string | null }[];
  space: {
    school: { name: string; phase: number; effectivePhase: number; ceiling: number; ceilingSource: CeilingSource | null } | null;
    status: SpaceStatus | null;
    consent: { needed: boolean; given: boolean } | null;
  };
};
type Problem = { key: string; params?: Record<string, unknown> } | null;

function DecisionText({ decision, place }: { decision: Decision; place: string | null }) {
  const { t } = useTranslation("flags");
  if (decision.step === "rule") return <>{t("decision.rule", { n: decision.index + 1 })}</>;
  if (decision.step === "regionRule") return <>{t("decision.regionRule", { n: decision.index + 1, place: place ?? "" })}</>;
  if (decision.step === "default") return <>{t("decision.default")}</>;
  return <>{t(decision.locked ? "decision.lockedOverride" : "decision.override", { level: t(`levels.${decision.scope}`), place: place ?? "" })}</>;
}

function SpaceFacts({ space }: { space: PreviewData["space"] }) {
  const { t } = useTranslation("flags");
  const phaseName = (p: number) => t(`common:phases.${p}`);
  const { school, status, consent } = space;
  return (
    <dl className="facts">
      {school ? (
        <>
          <dt>{t("preview.space.phase")}</dt>
          <dd>{school.phase === school.effectivePhase ? phaseName(school.phase) : t("preview.space.phaseCapped", { phase: phaseName(school.phase), effective: phaseName(school.effectivePhase) })}</dd>
          <dt>{t("preview.space.ceiling")}</dt>
          <dd>
            {school.ceilingSource === null
              ? t("preview.space.noCeiling")
              : school.ceilingSource.kind === "school"
                ? t("preview.space.ceilingFromSchool", { n: school.ceiling })
                : t("preview.space.ceilingFromRegion", { region: school.ceilingSource.regionName, n: school.ceiling })}
          </dd>
        </>
      ) : null}
      <dt>{t("preview.space.status")}</dt>
      <dd>{status === null ? t("preview.space.notGated") : status.open ? t("preview.space.open") : t(`preview.space.closed_${status.reason}`)}</dd>
      {consent ? (
        <>
          <dt>{t("preview.space.consent")}</dt>
          <dd>{!consent.needed ? t("preview.space.consentNotNeeded") : consent.given ? t("preview.space.consentGiven") : t("preview.space.consentMissing")}</dd>
        </>
      ) : null}
    </dl>
  );
}

/**
 * The preview-as-user page body, shared by the platform admin's and region admins' routes: a plain GET
 * form (works without JavaScript), then every flag with the step that decided it, and the space's state.
 */
export type PreviewSearch = { q: string; candidates: { loginName: string; realName: string; role: string; schoolName: string }[] | null };

export function FlagPreviewPage({
  intro,
  back,
  login,
  search,
  preview,
  error,
}: {
  intro: string;
  back: { href: string; label: string };
  login: string;
  search: PreviewSearch;
  preview: PreviewData | null;
  error: Problem;
}) {
  const { t } = useTranslation("flags");
  return (
    <>
      <section className="panel" aria-labelledby="preview-title">
        <h1 id="preview-title">{t("preview.title")}</h1>
        <p className="hint">{intro}</p>
        <Form method="get" className="flag-preview-form">
          <TextField name="login" label={t("preview.login")} defaultValue={login} autoComplete="off" error={error} />
          {preview && preview.roles.length > 1 ? (
            <div className="field">
              <label htmlFor="f-role">{t("preview.role")}</label>
              <select id="f-role" name="role" defaultValue={preview.role}>
                {preview.roles.map((r) => (
                  <option key={r} value={r}>
                    {t(`common:roles.${r}`)}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <button type="submit" className="primary">
            {t("preview.show")}
          </button>
        </Form>
        <Form method="get" className="flag-preview-form">
          <TextField name="q" label={t("preview.search.label")} hint={t("preview.search.hint")} defaultValue={search.q} autoComplete="off" />
          <button type="submit" className="secondary">
            {t("preview.search.submit")}
          </button>
        </Form>
        {search.candidates ? (
          search.candidates.length ? (
            <ul className="preview-candidates">
              {search.candidates.map((c) => (
                <li key={`${c.loginName}:${c.role}`}>
                  <Link to={`?login=${encodeURIComponent(c.loginName)}&role=${c.role}`}>{c.realName}</Link> <span className="meta">{`${t(`common:roles.${c.role}`)} · ${c.schoolName}`}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p>{t("preview.search.none")}</p>
          )
        ) : null}
        <p>
          <Link to={back.href}>{back.label}</Link>
        </p>
      </section>
      {preview ? (
        <section className="panel" aria-labelledby="preview-result">
          <h2 id="preview-result">{t("preview.resultTitle", { name: preview.user.realName ?? t(`preview.anonymous.${preview.user.anonymous ?? "student"}`), role: t(`common:roles.${preview.role}`) })}</h2>
          <p className="meta">
            {preview.user.loginName}
            {preview.user.schoolName ? ` · ${preview.user.schoolName}` : ""}
          </p>
          <h3>{t("preview.space.title")}</h3>
          <SpaceFacts space={preview.space} />
          <h3>{t("preview.flagsTitle")}</h3>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("flag")}</th>
                  <th scope="col">{t("preview.value")}</th>
                  <th scope="col">{t("preview.decidedBy")}</th>
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((r) => (
                  <tr key={r.key}>
                    <th scope="row">{t(`names.${r.key}`)}</th>
                    <td>
                      <FlagValue enabled={r.enabled} />
                    </td>
                    <td className="flag-decision">
                      <DecisionText decision={r.decision} place={r.placeName} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </>
  );
}
