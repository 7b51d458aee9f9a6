import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Pager } from "~/components/Pager";
import { PupilSearch } from "~/components/PupilSearch";
import { RolloutApprovalForm, RolloutBulkConsentForm, RolloutConsentForm, RolloutPhaseForm, type BulkConsentValues } from "~/components/RolloutForms";
import { ValidationError } from "~/domain/foundation/errors.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { parsePupilQuery, pupilClassOptions } from "~/domain/people/pupils.server";
import { schoolCeilingFor } from "~/domain/places/regions.server";
import { shanghaiToday } from "~/domain/foundation/beijing-time.server";
import { consentChecklist, recordClassPaperConsent, recordConsent, rolloutOverview, setSchoolPhase, setStudentContentApproval } from "~/domain/rollout/rollout.server";
import { i18next } from "~/i18next.server";
import { formatDate, formatNumber } from "~/lib/format";
import { field, formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/school.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  const title = await pageTitle(request, "rollout:title");
  const url = new URL(request.url);
  return orErrorPage(async () => {
    const pupilQuery = parsePupilQuery(url.searchParams, { consent: "missing" });
    const o = await rolloutOverview(actor, pupilQuery);
    const done = url.searchParams.get("done");
    const bulkClass = url.searchParams.get("bulkClass");
    const checklist = bulkClass ? await consentChecklist(actor, bulkClass) : null;
    const birthDateText = (birthDate: string | null) => (birthDate ? formatDate(new Date(`${birthDate}T12:00:00+08:00`), lng) : null);
    const page = o.pupils;
    return {
      title,
      school: { id: o.school.id, name: o.school.name, phase: o.school.phase },
      ceiling: o.ceiling,
      ceilingSource: (await schoolCeilingFor(actor)).source,
      effectivePhase: o.effectivePhase,
      studentApproval: o.studentApproval,
      counts: (["teacher", "student", "parent"] as const).map((role) => ({ role, open: formatNumber(o.counts[role].open, lng), closed: formatNumber(o.counts[role].closed, lng) })),
      pupils: page.rows.map((s) => ({ ...s, birthDateText: birthDateText(s.birthDate) })),
      pupilQuery: page.query,
      pager: {
        page: page.query.page,
        pageCount: page.pageCount,
        range: { first: formatNumber(page.first, lng), last: formatNumber(page.last, lng), total: formatNumber(page.total, lng), page: formatNumber(page.query.page, lng), pages: formatNumber(page.pageCount, lng) },
      },
      classes: await pupilClassOptions(o.school.id),
      missingCount: formatNumber(o.missingConsentTotal, lng),
      checklist: checklist ? { ...checklist, pupils: checklist.pupils.map((p) => ({ ...p, birthDateText: birthDateText(p.birthDate) })) } : null,
      prefillStudent: (url.searchParams.get("student") ?? "").slice(0, 64),
      today: shanghaiToday(),
      done: done === "phase" || done === "consent" || done === "approval" || done === "bulk" ? done : null,
      doneCount: formatNumber(Number(url.searchParams.get("n")) || 0, lng),
    };
  });
}

const BLANK_VALUES = { intent: "", phase: "", approval: "", student: "", guardianName: "", signedOn: "", decision: "", note: "", bulk: undefined as BulkConsentValues | undefined };

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const form = await request.formData();
  const intent = field(form, "intent");
  if (intent === "bulk") return bulkConsent(request, actor, form);
  const values = {
    ...BLANK_VALUES,
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
      await setSchoolPhase(actor, field(form, "schoolId"), values.phase);
    } else if (intent === "approval") {
      await setStudentContentApproval(actor, field(form, "schoolId"), values.approval);
    } else if (intent === "consent") {
      await recordConsent(actor, values);
    } else {
      throw new ValidationError({}, "errors:invalidInput");
    }
    return redirect(`/school/rollout?done=${intent}`);
  } catch (error) {
    return formFailure(error, values);
  }
}

async function bulkConsent(request: Request, actor: Awaited<ReturnType<typeof requireActor>>, form: FormData) {
  const students = form.getAll("students").filter((v): v is string => typeof v === "string");
  const guardianNames = Object.fromEntries(
    [...form.entries()].filter(([k, v]) => k.startsWith("guardian-") && typeof v === "string").map(([k, v]) => [k.slice("guardian-".length), String(v)]),
  );
  const bulk: BulkConsentValues = { bulkClass: field(form, "bulkClass"), students, signedOn: field(form, "signedOn"), seenBy: field(form, "seenBy"), guardianNames };
  try {
    const t = await i18next.getFixedT(await resolveLocale(request, actor), "rollout");
    const { recorded } = await recordClassPaperConsent(actor, bulk.bulkClass, { ...bulk, defaultGuardianName: t("bulk.defaultGuardian") });
    return redirect(`/school/rollout?done=bulk&n=${recorded}`);
  } catch (error) {
    return formFailure(error, { ...BLANK_VALUES, intent: "bulk", bulk });
  }
}

export default function SchoolRollout() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("rollout");
  const phaseFailure = failure?.values.intent === "phase" ? failure : undefined;
  const consentFailure = failure?.values.intent === "consent" ? failure : undefined;
  const approvalFailure = failure?.values.intent === "approval" ? failure : undefined;
  const bulkFailure = failure?.values.intent === "bulk" ? failure : undefined;
  // A refused bulk form is posted to the page without its query: it keeps its class from the form.
  const bulkClassId = bulkFailure?.values.bulk?.bulkClass ?? data.checklist?.klass.id ?? "";
  const listParams = { q: data.pupilQuery.q, class: data.pupilQuery.classId ?? "", consent: data.pupilQuery.consent };
  return (
    <>
      {data.done ? (
        <p className="notice" role="status">
          {t(`done.${data.done}`, { n: data.doneCount })}
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
        <h2 id="missing-title">{t("listTitle")}</h2>
        <p className="hint">{t("missingHint", { n: data.missingCount })}</p>
        <PupilSearch action="/school/rollout" anchor="missing-title" q={data.pupilQuery.q} classes={data.classes} classId={data.pupilQuery.classId} consent={data.pupilQuery.consent} />
        {data.pupils.length > 0 ? <Pager path="/school/rollout" params={listParams} anchor="missing-title" page={data.pager.page} pageCount={data.pager.pageCount} range={data.pager.range} /> : null}
        {data.pupils.length === 0 ? (
          <p>{data.pupilQuery.consent === "missing" && !data.pupilQuery.q && !data.pupilQuery.classId ? t("missingNone") : t("pupilList.empty")}</p>
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
                {data.pupils.map((s) => (
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
                      <div>
                        {s.consent === "given" ? (
                          <span className="tag consent-given">{t("decisions.given")}</span>
                        ) : s.lastDecision ? (
                          <span className={`tag consent-${s.lastDecision}`}>{t(`decisions.${s.lastDecision}`)}</span>
                        ) : (
                          <span className="meta">{t("noRecord")}</span>
                        )}
                      </div>
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
        {data.pager.pageCount > 1 ? <Pager path="/school/rollout" params={listParams} anchor="missing-title" page={data.pager.page} pageCount={data.pager.pageCount} range={data.pager.range} /> : null}
      </section>

      <section className="panel" aria-labelledby="bulk-title">
        <h2 id="bulk-title">{t("bulk.title")}</h2>
        <p className="hint">{t("bulk.intro")}</p>
        <form method="get" action="/school/rollout#bulk-title" className="school-form inline-form">
          <div className="field">
            <label htmlFor="f-bulkClass">{t("bulk.chooseClass")}</label>
            <select id="f-bulkClass" name="bulkClass" defaultValue={bulkClassId}>
              <option value="">{t("bulk.chooseClass")}</option>
              {data.classes.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit">{t("bulk.showClass")}</button>
        </form>
        {data.checklist ? (
          <RolloutBulkConsentForm
            klass={data.checklist.klass}
            pupils={data.checklist.pupils}
            staff={data.checklist.staff}
            defaultSeenBy={data.checklist.defaultSeenBy}
            today={data.today}
            failure={bulkFailure?.values.bulk ? { formError: bulkFailure.formError, fieldErrors: bulkFailure.fieldErrors, values: bulkFailure.values.bulk } : undefined}
          />
        ) : null}
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
