import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { FieldErrors } from "~/domain/foundation/errors.server";
import { FormAlert, SelectField, TextAreaField, TextField } from "./FormBits";

type FormError = { key: string; params: Record<string, unknown> } | null;
const PHASES = [0, 1, 2, 3] as const;

/** The school's phase as four radio choices; choices above the region's ceiling are marked, and refused by the server. */
export function RolloutPhaseForm({
  schoolId,
  phase,
  ceiling,
  ceilingSource,
  effectivePhase,
  failure,
}: {
  schoolId: string;
  phase: number;
  ceiling: number;
  /** Who set the ceiling in force: the school's own (set from above) or a region's; null when none is set. */
  ceilingSource?: { kind: "school" } | { kind: "region"; regionName: string } | null;
  effectivePhase: number;
  failure?: { formError: FormError; fieldErrors: FieldErrors; phase: string };
}) {
  const { t } = useTranslation("rollout");
  const error = failure?.fieldErrors.phase;
  const chosen = failure ? failure.phase : String(phase);
  return (
    <Form method="post" noValidate className="school-form">
      <input type="hidden" name="intent" value="phase" />
      <input type="hidden" name="schoolId" value={schoolId} />
      <FormAlert problem={failure?.formError} />
      <fieldset className={error ? "phase-choice has-error" : "phase-choice"} aria-describedby={error ? "f-phase-error" : "f-phase-hint"}>
        <legend>{t("phaseLegend")}</legend>
        <p className="hint" id="f-phase-hint">
          {t("ceilingHint", { ceiling: t(`common:phases.${ceiling}`) })}
          {ceilingSource ? ` (${ceilingSource.kind === "school" ? t("ceilingFrom.school", { n: ceiling }) : t("ceilingFrom.region", { region: ceilingSource.regionName, n: ceiling })})` : ""}
          {effectivePhase < phase ? ` ${t("cappedHint", { phase: t(`common:phases.${effectivePhase}`) })}` : ""}
        </p>
        {PHASES.map((p) => (
          <div className="check" key={p}>
            <input id={`f-phase-${p}`} type="radio" name="phase" value={p} defaultChecked={chosen === String(p)} />
            <label htmlFor={`f-phase-${p}`}>
              <strong>{t("phaseN", { n: p })}</strong> {t(`common:phases.${p}`)}
              {p > ceiling ? <span className="tag above-ceiling">{t("aboveCeilingTag")}</span> : null}
              {p === phase ? <span className="tag">{t("currentTag")}</span> : null}
            </label>
          </div>
        ))}
        {error ? (
          <p className="error" id="f-phase-error">
            {t(error.key, { ...error.params, ceilingName: error.params?.ceiling !== undefined ? t(`common:phases.${String(error.params.ceiling)}`) : "" })}
          </p>
        ) : null}
      </fieldset>
      <p className="hint">{t("phaseDownHint")}</p>
      <button type="submit" className="primary">
        {t("savePhase")}
      </button>
    </Form>
  );
}

/** Whether students' posts and comments wait for a teacher: by stage (the default), on, or off. */
export function RolloutApprovalForm({
  schoolId,
  approval,
  failure,
}: {
  schoolId: string;
  approval: { required: boolean; stageDefault: boolean; setting: "default" | "on" | "off" };
  failure?: { formError: FormError; fieldErrors: FieldErrors; approval: string };
}) {
  const { t } = useTranslation("rollout");
  const error = failure?.fieldErrors.approval;
  const chosen = failure ? failure.approval : approval.setting;
  return (
    <Form method="post" noValidate className="school-form">
      <input type="hidden" name="intent" value="approval" />
      <input type="hidden" name="schoolId" value={schoolId} />
      <FormAlert problem={failure?.formError} />
      <p>{t(approval.required ? "approvalNowOn" : "approvalNowOff")}</p>
      <fieldset className={error ? "phase-choice has-error" : "phase-choice"} aria-describedby={error ? "f-approval-error" : undefined}>
        <legend>{t("approvalLegend")}</legend>
        {(["default", "on", "off"] as const).map((choice) => (
          <div className="check" key={choice}>
            <input id={`f-approval-${choice}`} type="radio" name="approval" value={choice} defaultChecked={chosen === choice} />
            <label htmlFor={`f-approval-${choice}`}>
              {choice === "default" ? t("approvalChoice.default", { state: t(approval.stageDefault ? "approvalState.on" : "approvalState.off") }) : t(`approvalChoice.${choice}`)}
            </label>
          </div>
        ))}
        {error ? (
          <p className="error" id="f-approval-error">
            {t(error.key)}
          </p>
        ) : null}
      </fieldset>
      <button type="submit" className="primary">
        {t("saveApproval")}
      </button>
    </Form>
  );
}

/** Paper consent: who signed, when, and what they decided. */
export function RolloutConsentForm({
  today,
  prefillStudent,
  failure,
}: {
  today: string;
  prefillStudent: string;
  failure?: { formError: FormError; fieldErrors: FieldErrors; values: { student: string; guardianName: string; signedOn: string; decision: string; note: string } };
}) {
  const { t } = useTranslation("rollout");
  const v = failure?.values;
  const e = failure?.fieldErrors;
  return (
    <Form method="post" noValidate className="school-form" id="consent">
      <input type="hidden" name="intent" value="consent" />
      <FormAlert problem={failure?.formError} />
      <TextField
        name="student"
        label={t("studentRef")}
        hint={t("studentRefHint")}
        autoCapitalize="none"
        spellCheck={false}
        required
        defaultValue={v?.student ?? prefillStudent}
        error={e?.student}
      />
      <TextField name="guardianName" label={t("guardianName")} autoComplete="off" required maxLength={50} defaultValue={v?.guardianName} error={e?.guardianName} />
      <TextField name="signedOn" type="date" label={t("signedOn")} max={today} required defaultValue={v?.signedOn} error={e?.signedOn} />
      <SelectField name="decision" label={t("decision")} required defaultValue={v?.decision ?? ""} error={e?.decision}>
        <option value="">{t("chooseDecision")}</option>
        {(["given", "refused", "withdrawn"] as const).map((d) => (
          <option key={d} value={d}>
            {t(`decisions.${d}`)}
          </option>
        ))}
      </SelectField>
      <TextAreaField name="note" label={t("note")} hint={t("noteHint")} rows={3} maxLength={500} defaultValue={v?.note} error={e?.note} />
      <p className="hint">{t("scanLater")}</p>
      <button type="submit" className="primary">
        {t("recordConsent")}
      </button>
    </Form>
  );
}

export type ChecklistPupil = { studentId: string; realName: string; loginName: string; birthDateText: string | null; guardianName: string | null };
export type BulkConsentValues = { bulkClass: string; students: string[]; signedOn: string; seenBy: string; guardianNames: Record<string, string> };

/**
 * Paper consent for a class from a checklist: tick the pupils whose signed forms came back, one
 * signing date, the staff member who saw them. A refused form comes back with its ticks, date,
 * staff member and guardian names.
 */
export function RolloutBulkConsentForm({
  klass,
  pupils,
  staff,
  defaultSeenBy,
  today,
  failure,
}: {
  klass: { id: string; name: string };
  pupils: ChecklistPupil[];
  staff: { id: string; realName: string; loginName: string }[];
  defaultSeenBy: string;
  today: string;
  failure?: { formError: FormError; fieldErrors: FieldErrors; values: BulkConsentValues };
}) {
  const { t } = useTranslation("rollout");
  const v = failure?.values;
  const e = failure?.fieldErrors;
  if (pupils.length === 0) return <p>{t("bulk.none")}</p>;
  const ticked = new Set(v?.students ?? []);
  return (
    <Form method="post" noValidate className="school-form bulk-consent" id="bulk-consent">
      <input type="hidden" name="intent" value="bulk" />
      <input type="hidden" name="bulkClass" value={klass.id} />
      <FormAlert problem={failure?.formError} />
      <fieldset className={e?.students ? "checklist has-error" : "checklist"} aria-describedby={e?.students ? "f-students-error" : undefined}>
        <legend>{t("bulk.pupilsLegend", { className: klass.name })}</legend>
        {e?.students ? (
          <p className="error" id="f-students-error">
            {t(e.students.key)}
          </p>
        ) : null}
        <ul className="checklist-rows">
          {pupils.map((p) => (
            <li key={p.studentId}>
              <div className="check">
                <input id={`f-pupil-${p.studentId}`} type="checkbox" name="students" value={p.studentId} defaultChecked={ticked.has(p.studentId)} />
                <label htmlFor={`f-pupil-${p.studentId}`}>
                  <strong>{p.realName}</strong> <span className="meta">{p.loginName}</span>
                  {p.birthDateText ? <span className="meta"> · {t("pupilList.born", { date: p.birthDateText })}</span> : null}
                </label>
              </div>
              <div className="field guardian-name">
                <label htmlFor={`f-guardian-${p.studentId}`}>{t("bulk.guardianFor", { name: p.realName })}</label>
                <input
                  id={`f-guardian-${p.studentId}`}
                  name={`guardian-${p.studentId}`}
                  autoComplete="off"
                  maxLength={50}
                  defaultValue={v?.guardianNames[p.studentId] ?? p.guardianName ?? t("bulk.defaultGuardian")}
                />
              </div>
            </li>
          ))}
        </ul>
      </fieldset>
      <TextField id="f-bulk-signedOn" name="signedOn" type="date" label={t("signedOn")} max={today} required defaultValue={v?.signedOn} error={e?.signedOn} />
      <SelectField id="f-bulk-seenBy" name="seenBy" label={t("bulk.seenBy")} required defaultValue={v?.seenBy ?? defaultSeenBy} error={e?.seenBy}>
        {staff.map((s) => (
          <option key={s.id} value={s.id}>
            {s.realName} ({s.loginName})
          </option>
        ))}
      </SelectField>
      <button type="submit" className="primary">
        {t("bulk.submit")}
      </button>
    </Form>
  );
}
