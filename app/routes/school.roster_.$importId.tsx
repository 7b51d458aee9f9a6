import { redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormAlert } from "~/components/FormBits";
import { ImportedSlips } from "~/components/ImportedSlips";
import { RosterFileColumns, RosterQuestions, RosterRows, RosterUnknownClasses } from "~/components/RosterPreview";
import { currentSchoolYear } from "~/domain/classwork/classes.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { answerSamePerson, createMissingClasses, importRoster, PREVIEW_FILTERS, rosterPreview, type PreviewFilter } from "~/domain/provisioning/rosters.server";
import { formatDateTime, formatNumber } from "~/lib/format";
import { field, formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import { importedSlips } from "~/lib/slips.server";
import cssUrl from "~/styles/roster.css?url";
import guardianLinksCssUrl from "~/styles/guardian-links.css?url";
import slipsCssUrl from "~/styles/slips.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: cssUrl },
  { rel: "stylesheet", href: guardianLinksCssUrl },
  { rel: "stylesheet", href: slipsCssUrl },
];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  return orErrorPage(async () => {
    const url = new URL(request.url);
    const asked = url.searchParams.get("filter") as PreviewFilter | null;
    const first = await rosterPreview(actor, params.importId ?? "", { filter: "all", page: 1 });
    // Problems first when there are any: they are what the admin has to act on.
    const filter = asked && PREVIEW_FILTERS.includes(asked) ? asked : first.summary.withProblems ? "problems" : "all";
    const preview = filter === "all" && Number(url.searchParams.get("page") ?? 1) === 1 ? first : await rosterPreview(actor, params.importId ?? "", { filter, page: Number(url.searchParams.get("page") ?? 1) });
    const lng = await resolveLocale(request, actor);
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
      pupilRoster: s.teachers === 0,
      imported: preview.status === "imported" ? await importedSlips(request, actor, preview.id) : null,
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const importId = params.importId ?? "";
  const form = await request.formData();
  const intent = form.get("intent");
  try {
    if (intent === "answer") {
      await answerSamePerson(actor, importId, { line: String(form.get("line") ?? ""), answer: String(form.get("answer") ?? "") });
      return redirect(`/school/roster/${importId}`);
    }
    if (intent === "createClasses") {
      const created = await createMissingClasses(actor, importId);
      return redirect(`/school/roster/${importId}?created=${created.length}`);
    }
    await importRoster(actor, importId, undefined, { guardianCodes: field(form, "guardianCodes") === "on" });
    // The slips are read from the server on the next page: a reload or a language switch keeps them.
    return redirect(`/school/roster/${importId}`);
  } catch (error) {
    return formFailure(error, {});
  }
}

export default function RosterPreviewPage() {
  const p = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useTranslation("roster");
  if (p.imported) return <ImportedSlips importId={p.id} done={{ created: p.totals.new, updated: p.totals.updated, unchanged: p.totals.unchanged }} data={p.imported} />;
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
            <p className="choice">
              <input type="checkbox" id="f-guardianCodes" name="guardianCodes" defaultChecked={p.pupilRoster} />
              <label htmlFor="f-guardianCodes">{t("slips.guardianCodesOption")}</label>
            </p>
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
