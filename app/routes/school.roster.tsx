import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  data,
  MaxPartSizeExceededError,
  redirect,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormAlert } from "~/components/FormBits";
import { RenamedLogins } from "~/components/RenamedLogins";
import { RosterColumns } from "~/components/RosterColumns";
import { UploadProgressScript, uploadProgressLinks } from "~/components/UploadProgress";
import { ValidationError } from "~/domain/foundation/errors.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { previewRoster, recentRosterImports, renamedLogins, ROSTER_FIELDS, ROSTER_MAX_BYTES, ROSTER_REQUIRED, rosterSchool, templateClassNames } from "~/domain/provisioning/rosters.server";
import { i18next } from "~/i18next.server";
import { formatDateTime, formatList, formatNumber } from "~/lib/format";
import { formFailure, orErrorPage, pageTitle, requireActor, type FormFailure } from "~/lib/http.server";
import cssUrl from "~/styles/roster.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }, ...uploadProgressLinks()];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

const MB = ROSTER_MAX_BYTES / 1024 / 1024;
// Multipart framing (boundaries, headers, the file name) on top of the file itself.
const MULTIPART_SLACK = 64 * 1024;

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  return orErrorPage(async () => {
    const school = await rosterSchool(actor);
    const lng = await resolveLocale(request, actor);
    const t = await i18next.getFixedT(lng, "roster");
    return {
      title: await pageTitle(request, "roster:title"),
      mb: MB,
      columns: ROSTER_FIELDS.map((field) => ({ field, need: ROSTER_REQUIRED[field] })),
      exampleLogin: `${school.loginPrefix ?? school.id.slice(0, 8)}.s12`,
      // A school without classes yet still gets an example, in the reader's language.
      exampleClass: (await templateClassNames(actor))[0] ?? t("example.className"),
      renamed: await renamedLogins(actor),
      recent: (await recentRosterImports(actor)).map((r) => ({ id: r.id, fileName: r.fileName, status: r.status, rows: formatNumber(r.rowCount, lng), at: formatDateTime(r.createdAt, lng) })),
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  return orErrorPage(async () => {
    // Refuse the wrong person before reading a byte of what they sent.
    await rosterSchool(actor);
    const refuse = (key: string, status = 400) => data<FormFailure<Record<string, never>>>({ formError: { key, params: { mb: MB } }, fieldErrors: {}, values: {} }, { status });
    const length = Number(request.headers.get("Content-Length") ?? 0);
    if (length > ROSTER_MAX_BYTES + MULTIPART_SLACK) return refuse("roster:problems.tooLarge", 413);
    if (!/^multipart\/form-data/i.test(request.headers.get("Content-Type") ?? "")) return refuse("roster:problems.noFile");
    let form: FormData;
    try {
      form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: ROSTER_MAX_BYTES }));
    } catch (error) {
      if (error instanceof MaxPartSizeExceededError) return refuse("roster:problems.tooLarge", 413);
      throw error;
    }
    const file = form.get("roster");
    if (!(file instanceof File) || (file.size === 0 && !file.name)) return refuse("roster:problems.noFile");
    try {
      const { importId } = await previewRoster(actor, { fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
      return redirect(`/school/roster/${importId}`);
    } catch (error) {
      return formFailure(await withColumnNames(error, request, actor), {} as Record<string, never>);
    }
  });
}

/** "Missing columns" names them in the reader's language, as a list. */
async function withColumnNames(error: unknown, request: Request, actor: Parameters<typeof resolveLocale>[1]): Promise<unknown> {
  if (!(error instanceof ValidationError) || !Array.isArray(error.params.columns)) return error;
  const lng = await resolveLocale(request, actor);
  const t = await i18next.getFixedT(lng, "roster");
  const names = (error.params.columns as string[]).map((c) => t(`columns.${c}`));
  return new ValidationError(error.fields, error.key, { ...error.params, columns: formatList(names, lng) });
}

export default function RosterUpload() {
  const { mb, columns, exampleLogin, exampleClass, recent, renamed } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("roster");
  return (
    <>
      <section className="panel" aria-labelledby="roster-title">
        <h1 id="roster-title">{t("title")}</h1>
        <p>{t("intro")}</p>
        <p className="roster-links">
          <a href="/school/slips">{t("nav.slips")}</a>
        </p>
      </section>
      <RenamedLogins people={renamed} />
      <section className="panel" aria-labelledby="upload-title">
        <h2 id="upload-title">{t("upload.title")}</h2>
        <FormAlert problem={failure?.formError} />
        {/* The shared progress script carries the page's CSP nonce; an inline one here was blocked. */}
        <Form method="post" encType="multipart/form-data" action="/school/roster" data-upload-progress="" className="roster-upload">
          <div className="field">
            <label htmlFor="f-roster">{t("upload.file")}</label>
            <p className="hint" id="f-roster-hint">
              {t("upload.fileHint", { mb })}
            </p>
            <input id="f-roster" name="roster" type="file" required accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" aria-describedby="f-roster-hint" />
          </div>
          <button type="submit" className="primary">
            {t("upload.submit")}
          </button>
        </Form>
        <UploadProgressScript />
      </section>
      <section className="panel" aria-labelledby="template-title">
        <h2 id="template-title">{t("template.title")}</h2>
        <p className="hint">{t("template.hint")}</p>
        <ul className="roster-templates">
          <li>
            <a href="/school/roster/template/xlsx" download>
              {t("template.xlsx")}
            </a>
          </li>
          <li>
            <a href="/school/roster/template/csv" download>
              {t("template.csv")}
            </a>
          </li>
        </ul>
      </section>
      <RosterColumns columns={columns} exampleLogin={exampleLogin} exampleClass={exampleClass} />
      {recent.length ? (
        <section className="panel" aria-labelledby="recent-title">
          <h2 id="recent-title">{t("upload.recent")}</h2>
          <ul className="roster-recent">
            {recent.map((r) => (
              <li key={r.id}>
                <a href={`/school/roster/${r.id}`}>{t("upload.recentRow", { file: r.fileName, rows: r.rows, at: r.at })}</a>
                <span className="tag">{t(`status.${r.status}`)}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
