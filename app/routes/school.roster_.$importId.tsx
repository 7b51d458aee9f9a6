import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ActivationSlips, slipSheet } from "~/components/ActivationSlips";
import { FormAlert } from "~/components/FormBits";
import { RosterProblems, RosterSample } from "~/components/RosterPreview";
import { resolveLocale } from "~/domain/locale.server";
import { importRoster, rosterPreview } from "~/domain/rosters.server";
import { i18next } from "~/i18next.server";
import { formatDateTime, formatNumber } from "~/lib/format";
import { formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/roster.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = requireActor(request);
  return orErrorPage(async () => {
    const preview = rosterPreview(actor, params.importId ?? "");
    const lng = resolveLocale(request, actor);
    const n = (x: number) => formatNumber(x, lng);
    const s = preview.summary;
    return {
      title: await pageTitle(request, "roster:preview.title"),
      id: preview.id,
      fileName: preview.fileName,
      status: preview.status,
      importedAt: preview.importedAt ? formatDateTime(preview.importedAt, lng) : null,
      totals: { total: n(s.total), new: n(s.new), updated: n(s.updated), unchanged: n(s.unchanged), withProblems: n(s.withProblems) },
      problemCount: s.withProblems,
      toImport: s.new + s.updated,
      problemRows: preview.problemRows,
      sampleRows: preview.sampleRows,
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = requireActor(request);
  try {
    const result = importRoster(actor, params.importId ?? "");
    const t = await i18next.getFixedT(result.school.defaultLocale, "roster");
    const lng = resolveLocale(request, actor);
    const url = new URL(request.url);
    return {
      done: {
        created: formatNumber(result.created, lng),
        updated: formatNumber(result.updated, lng),
        unchanged: formatNumber(result.unchanged, lng),
      },
      sheet: slipSheet(result, t, `${url.protocol}//${url.host}`),
      formError: null,
    };
  } catch (error) {
    return formFailure(error, {});
  }
}

export default function RosterPreviewPage() {
  const p = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useTranslation("roster");
  if (answer && "sheet" in answer) {
    return (
      <>
        <section className="panel no-print" aria-labelledby="done-title">
          <h1 id="done-title">{t("done.title")}</h1>
          <p role="status">{t("done.summary", answer.done)}</p>
          {answer.sheet.slips.length === 0 ? <p>{t("done.noSlips")}</p> : null}
          <p className="roster-links">
            <a href="/school/roster">{t("nav.roster")}</a> · <a href="/school/slips">{t("nav.slips")}</a>
          </p>
        </section>
        {answer.sheet.slips.length ? <ActivationSlips sheet={answer.sheet} /> : null}
      </>
    );
  }
  return (
    <>
      <section className="panel" aria-labelledby="preview-title">
        <h1 id="preview-title">{t("preview.title")}</h1>
        <p className="meta">{t("preview.file", { file: p.fileName })}</p>
        <FormAlert problem={answer?.formError} />
        <dl className="stats">
          <div>
            <dt>{t("preview.total")}</dt>
            <dd>{p.totals.total}</dd>
          </div>
          <div>
            <dt>{t("preview.new")}</dt>
            <dd>{p.totals.new}</dd>
          </div>
          <div>
            <dt>{t("preview.updated")}</dt>
            <dd>{p.totals.updated}</dd>
          </div>
          <div>
            <dt>{t("preview.unchanged")}</dt>
            <dd>{p.totals.unchanged}</dd>
          </div>
          <div className={p.problemCount ? "has-problems" : undefined}>
            <dt>{t("preview.withProblems")}</dt>
            <dd>{p.totals.withProblems}</dd>
          </div>
        </dl>
        {p.status === "imported" ? (
          <p className="notice">
            {t("preview.importedAt", { at: p.importedAt })} <a href="/school/slips">{t("preview.toSlips")}</a>
          </p>
        ) : p.problemCount ? (
          <p className="alert roster-fix">
            {t("preview.fixAndUpload")} <a href="/school/roster">{t("preview.uploadAgain")}</a>
          </p>
        ) : (
          <Form method="post" className="roster-import">
            <p>{t("preview.ready")}</p>
            <button type="submit" className="primary">
              {t("preview.import")}
            </button>
          </Form>
        )}
      </section>
      {p.problemRows.length ? <RosterProblems rows={p.problemRows} /> : null}
      {p.sampleRows.length ? <RosterSample rows={p.sampleRows} /> : null}
    </>
  );
}
