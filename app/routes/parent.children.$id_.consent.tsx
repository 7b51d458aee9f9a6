import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ConsentHistory, ConsentNotice } from "~/components/ConsentNotice";
import { FormAlert } from "~/components/FormBits";
import { consentNotice, decideConsent } from "~/domain/families/consent.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { formatDate, formatDateTime, formatList } from "~/lib/format";
import { field, formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/parents.css?url";

// A read page with one plain form (give / refuse / withdraw): no hydration.
export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

const DECISIONS = ["given", "refused", "withdrawn"] as const;
type Decision = (typeof DECISIONS)[number];
const asDecision = (raw: string | null): Decision | null => (DECISIONS as readonly string[]).includes(raw ?? "") ? (raw as Decision) : null;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  const notice = await orErrorPage(async () => consentNotice(actor, params.id ?? ""));
  const url = new URL(request.url);
  return {
    title: await pageTitle(request, "consent:title"),
    child: { ...notice.child, classes: formatList(notice.child.classNames, lng) },
    state: notice.state,
    underConsentAge: notice.underConsentAge,
    phaseAllowsSpace: notice.phaseAllowsSpace,
    spaceOpen: notice.spaceOpen,
    retentionMonths: notice.retentionMonths,
    history: notice.history.map((h) => ({ id: h.id, decision: h.decision, method: h.method, guardianName: h.guardianName, date: h.method === "paper" ? formatDate(h.decidedAt, lng) : formatDateTime(h.decidedAt, lng) })),
    done: asDecision(url.searchParams.get("done")),
    same: asDecision(url.searchParams.get("same")),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const studentId = params.id ?? "";
  const form = await request.formData();
  try {
    const decision = field(form, "decision");
    const { changed } = await decideConsent(actor, studentId, decision);
    return redirect(`/parent/children/${studentId}/consent?${changed ? "done" : "same"}=${encodeURIComponent(decision)}`);
  } catch (error) {
    return formFailure(error, {});
  }
}

/** The consent page: the child, what counts now, the notice, the parent's decision, the record of decisions. */
export default function ConsentPage() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("consent");
  const spaceLine = data.spaceOpen ? t("space.open") : !data.phaseAllowsSpace ? t("space.phase") : t("space.closed");
  return (
    <>
      <header className="panel">
        <h1>
          {t("title")} · {data.child.realName}
        </h1>
        <p className="meta">{t("childLine", { school: data.child.schoolName, classes: data.child.classes })}</p>
        <p className="consent-state">
          <span>{t("state.label")}</span>
          <span className={`tag consent-${data.state}`}>{t(`state.${data.state}`)}</span>
        </p>
        <p>{spaceLine}</p>
        {data.underConsentAge ? null : <p className="hint">{t("notUnder14")}</p>}
        <nav className="week-nav" aria-label={t("links.week")}>
          <a href={`/parent/children/${data.child.id}`}>{t("links.progress")}</a>
          <a href={`/parent/children/${data.child.id}/week`}>{t("links.week")}</a>
        </nav>
      </header>
      <ConsentNotice retentionMonths={data.retentionMonths} />
      <section className="panel" aria-labelledby="decide-title">
        <h2 id="decide-title">{t("decide.title")}</h2>
        {data.done ? (
          <p className="notice" role="status">
            {t(`done.${data.done}`)}
          </p>
        ) : null}
        {data.same ? (
          <p className="notice" role="status">
            {t(`same.${data.same}`)}
          </p>
        ) : null}
        <FormAlert problem={failure?.formError} />
        <Form method="post" className="decision-buttons">
          {data.state === "given" ? (
            <>
              <p className="hint" id="withdraw-hint">
                {t("decide.withdrawHint")}
              </p>
              <button type="submit" name="decision" value="withdrawn" className="danger" aria-describedby="withdraw-hint">
                {t("decide.withdraw")}
              </button>
            </>
          ) : (
            <>
              <button type="submit" name="decision" value="given" className="primary">
                {t("decide.give")}
              </button>
              <button type="submit" name="decision" value="refused" className="secondary">
                {t("decide.refuse")}
              </button>
            </>
          )}
        </Form>
      </section>
      <ConsentHistory rows={data.history} />
    </>
  );
}
