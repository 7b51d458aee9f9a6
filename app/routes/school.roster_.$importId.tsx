import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ActivationSlips, slipSheet } from "~/components/ActivationSlips";
import { FormAlert } from "~/components/FormBits";
import { RosterFileColumns, RosterQuestions, RosterRows, RosterUnknownClasses } from "~/components/RosterPreview";
import { currentSchoolYear } from "~/domain/classes.server";
import { resolveLocale } from "~/domain/locale.server";
import { answerSamePerson, createMissingClasses, importRoster, PREVIEW_FILTERS, rosterPreview, type PreviewFilter } from "~/domain/rosters.server";
import { i18next } from "~/i18next.server";
import { formatDateTime, formatNumber } from "~/lib/format";
import { formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/roster.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = requireActor(request);
  return orErrorPage(async () => {
    const url = new URL(request.url);
    const asked = url.searchParams.get("filter") as PreviewFilter | null;
    const first = rosterPreview(actor, params.importId ?? "", { filter: "all", page: 1 });
    // Problems first when there are any: they are what the admin has to act on.
    const filter = asked && PREVIEW_FILTERS.includes(asked) ? asked : first.summary.withProblems ? "problems" : "all";
    const preview = filter === "all" && Number(url.searchParams.get("page") ?? 1) === 1 ? first : rosterPreview(actor, params.importId ?? "", { filter, page: Number(url.searchParams.get("page") ?? 1) });
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
      questionCount: s.questions,
      toImport: s.new + s.updated,
      file: preview.file,
      year: currentSchoolYear(),
      created: url.searchParams.get("created"),
      unknownClasses: preview.unknownClasses.map((g) => ({ name: g.name, pupils: n(g.pupils) })),
      questions: preview.questions.slice(0, 100),
      filters: PREVIEW_FILTERS,
      view: {
        filter: preview.filter,
        page: preview.page,
        pages: preview.pages,
        total: s.total,
        counts: Object.fromEntries(PREVIEW_FILTERS.map((f) => [f, n(preview.counts[f])])) as Record<PreviewFilter, string>,
        rows: preview.rows,
      },
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = requireActor(request);
  const importId = params.importId ?? "";
  const form = await request.formData();
  const intent = form.get("intent");
  try {
    if (intent === "answer") {
      answerSamePerson(actor, importId, { line: String(form.get("line") ?? ""), answer: String(form.get("answer") ?? "") });
      return redirect(`/school/roster/${importId}`);
    }
    if (intent === "createClasses") {
      const created = createMissingClasses(actor, importId);
      return redirect(`/school/roster/${importId}?created=${created.length}`);
    }
    const result = importRoster(actor, importId);
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
  if (answer && "sheet" in answer) return <RosterImported done={answer.done} sheet={answer.sheet} />;
  const open = p.status === "preview";
  return (
    <>
      <section className="panel" aria-labelledby="preview-title">
        <h1 id="preview-title">{t("preview.title")}</h1>
        <p className="meta">{t("preview.file", { file: p.fileName })}</p>
        {p.created ? <p role="status" className="notice">{t("unknownClasses.created", { n: p.created })}</p> : null}
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
        ) : p.questionCount ? (
          <p className="alert">{t("questions.unanswered", { n: p.questionCount })}</p>
        ) : (
          <Form method="post" className="roster-import">
            <p>{t("preview.ready")}</p>
            <button type="submit" name="intent" value="import" className="primary">
              {t("preview.import")}
            </button>
          </Form>
        )}
      </section>
      {p.unknownClasses.length ? <RosterUnknownClasses groups={p.unknownClasses} year={p.year} open={open} /> : null}
      {p.questions.length ? <RosterQuestions questions={p.questions} open={open} /> : null}
      {p.file ? <RosterFileColumns file={p.file} /> : null}
      <RosterRows view={p.view} filters={p.filters} baseUrl={`/school/roster/${p.id}`} />
    </>
  );
}

// ── After the import ───────────────────────────────────────────────────────────────────────────
// What the page shows once the roster is imported (the slips' side of issue 15 builds on this).

type ImportedProps = { done: { created: string; updated: string; unchanged: string }; sheet: ReturnType<typeof slipSheet> };

function RosterImported({ done, sheet }: ImportedProps) {
  const { t } = useTranslation("roster");
  return (
    <>
      <section className="panel no-print" aria-labelledby="done-title">
        <h1 id="done-title">{t("done.title")}</h1>
        <p role="status">{t("done.summary", done)}</p>
        {sheet.slips.length === 0 ? <p>{t("done.noSlips")}</p> : null}
        <p className="roster-links">
          <a href="/school/roster">{t("nav.roster")}</a> · <a href="/school/slips">{t("nav.slips")}</a>
        </p>
      </section>
      {sheet.slips.length ? <ActivationSlips sheet={sheet} /> : null}
    </>
  );
}
