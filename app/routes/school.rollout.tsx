import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { RolloutApprovalForm, RolloutConsentForm, RolloutPhaseForm } from "~/components/RolloutForms";
import { ValidationError } from "~/domain/errors.server";
import { resolveLocale } from "~/domain/locale.server";
import { schoolCeilingFor } from "~/domain/regions.server";
import { recordConsent, rolloutOverview, setSchoolPhase, setStudentContentApproval, shanghaiToday } from "~/domain/rollout.server";
import { formatDate, formatNumber } from "~/lib/format";
import { field, formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/school.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = requireActor(request);
  const lng = resolveLocale(request, actor);
  const title = await pageTitle(request, "rollout:title");
  const url = new URL(request.url);
  return orErrorPage(() => {
    const o = rolloutOverview(actor);
    const done = url.searchParams.get("done");
    return {
      title,
      school: { id: o.school.id, name: o.school.name, phase: o.school.phase },
      ceiling: o.ceiling,
      ceilingSource: schoolCeilingFor(actor).source,
      effectivePhase: o.effectivePhase,
      studentApproval: o.studentApproval,
      counts: (["teacher", "student", "parent"] as const).map((role) => ({ role, open: formatNumber(o.counts[role].open, lng), closed: formatNumber(o.counts[role].closed, lng) })),
      missingConsent: o.missingConsent.map((s) => ({
        ...s,
        birthDateText: s.birthDate ? formatDate(new Date(`${s.birthDate}T12:00:00+08:00`), lng) : null,
      })),
      missingCount: formatNumber(o.missingConsent.length, lng),
      prefillStudent: (url.searchParams.get("student") ?? "").slice(0, 64),
      today: shanghaiToday(),
      done: done === "phase" || done === "consent" || done === "approval" ? done : null,
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = requireActor(request);
  const form = await request.formData();
  const intent = field(form, "intent");
  const values = {
    intent,
    phase: field(form, "phase"),
    approval: field(form, "approval"),
    student: field(form, "student"),
    guardianName: field(form, "guardianName"),
    signedOn: field(form, "signedOn"),
    decision: field(form, "decision"),
    note: field(form, "note"),
  };
  try {
    if (intent === "phase") {
      setSchoolPhase(actor, field(form, "schoolId"), values.phase);
    } else if (intent === "approval") {
      setStudentContentApproval(actor, field(form, "schoolId"), values.approval);
    } else if (intent === "consent") {
      recordConsent(actor, values);
    } else {
      throw new ValidationError({}, "errors:invalidInput");
    }
    return redirect(`/school/rollout?done=${intent}`);
  } catch (error) {
    return formFailure(error, values);
  }
}

export default function SchoolRollout() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("rollout");
  const phaseFailure = failure?.values.intent === "phase" ? failure : undefined;
  const consentFailure = failure?.values.intent === "consent" ? failure : undefined;
  const approvalFailure = failure?.values.intent === "approval" ? failure : undefined;
  return (
    <>
      {data.done ? (
        <p className="notice" role="status">
          {t(`done.${data.done}`)}
        </p>
      ) : null}
      <section className="panel" aria-labelledby="rollout-title">
        <p className="meta">{data.school.name}</p>
        <h1 id="rollout-title">{t("title")}</h1>
        <nav className="admin-nav" aria-label={t("adminNav")}>
          <a href="/school/classes">{t("classes:listTitle")}</a>
          <a href="/audit">{t("audit:title")}</a>
        </nav>
        <p>{t("phaseIntro")}</p>
        <dl className="stats space-counts">
          {data.counts.map((c) => (
            <div key={c.role}>
              <dt>{t(`spacesOf.${c.role}`)}</dt>
              <dd>
                {c.open}
                <span className="closed-count">{t("closedCount", { n: c.closed })}</span>
              </dd>
            </div>
          ))}
        </dl>
        <RolloutPhaseForm
          schoolId={data.school.id}
          phase={data.school.phase}
          ceiling={data.ceiling}
          ceilingSource={data.ceilingSource}
          effectivePhase={data.effectivePhase}
          failure={phaseFailure ? { formError: phaseFailure.formError, fieldErrors: phaseFailure.fieldErrors, phase: phaseFailure.values.phase } : undefined}
        />
      </section>

      <section className="panel" aria-labelledby="approval-title">
        <h2 id="approval-title">{t("approvalTitle")}</h2>
        <RolloutApprovalForm
          schoolId={data.school.id}
          approval={data.studentApproval}
          failure={approvalFailure ? { formError: approvalFailure.formError, fieldErrors: approvalFailure.fieldErrors, approval: approvalFailure.values.approval } : undefined}
        />
      </section>

      <section className="panel" aria-labelledby="missing-title">
        <h2 id="missing-title">{t("missingTitle")}</h2>
        <p className="hint">{t("missingHint", { n: data.missingCount })}</p>
        {data.missingConsent.length === 0 ? (
          <p>{t("missingNone")}</p>
        ) : (
          <div className="table-wrap">
            <table className="stack-table">
              <thead>
                <tr>
                  <th scope="col">{t("student")}</th>
                  <th scope="col">{t("class")}</th>
                  <th scope="col">{t("birthDate")}</th>
                  <th scope="col">{t("lastDecision")}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t("actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.missingConsent.map((s) => (
                  <tr key={s.studentId}>
                    <th scope="row">
                      {s.realName}
                      <br />
                      <span className="meta">{s.loginName}</span>
                    </th>
                    <td data-label={t("class")}>
                      <div>{s.className ?? <span className="meta">{t("noClass")}</span>}</div>
                    </td>
                    <td data-label={t("birthDate")}>
                      <div>{s.birthDateText ?? "—"}</div>
                    </td>
                    <td data-label={t("lastDecision")}>
                      <div>{s.lastDecision ? <span className={`tag consent-${s.lastDecision}`}>{t(`decisions.${s.lastDecision}`)}</span> : <span className="meta">{t("noRecord")}</span>}</div>
                    </td>
                    <td>
                      <a href={`/school/rollout?student=${encodeURIComponent(s.loginName)}#consent-title`} aria-label={t("recordFor", { name: s.realName })}>
                        {t("record")}
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="panel" aria-labelledby="consent-title">
        <h2 id="consent-title">{t("consentTitle")}</h2>
        <RolloutConsentForm
          today={data.today}
          prefillStudent={data.prefillStudent}
          failure={consentFailure ? { formError: consentFailure.formError, fieldErrors: consentFailure.fieldErrors, values: consentFailure.values } : undefined}
        />
      </section>
    </>
  );
}
