import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormAlert, TextAreaField } from "~/components/FormBits";
import { GroupTaskStatus } from "~/components/GroupTaskStatus";
import { uploadProgressLinks, UploadProgressScript } from "~/components/UploadProgress";
import type { StoredFile } from "~/domain/uploads/files.server";
import { receiveUploadForm } from "~/domain/uploads/files.server";
import { addResultToPortfolio, handInResult, requireHandIn, taskView } from "~/domain/group-work/group-tasks.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { formatDateTime, formatNumber } from "~/lib/format";
import { field, formFailure, orErrorPage, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/group-tasks.css?url";
import { FilesInput } from "~/components/AttachedFilesField";

// A read page: no hydration. The hand-in is a plain multipart form (a textarea and a file input); the
// portfolio button a plain form.
export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }, ...uploadProgressLinks()];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  const groupId = params.id ?? "";
  const view = await orErrorPage(async () => taskView(actor, groupId, params.taskId ?? ""));
  const shown = (f: StoredFile) => ({ id: f.id, name: f.name, url: f.url, sizeText: formatNumber(Math.max(1, Math.round(f.size / 1024)), lng) });
  const received = Number(new URL(request.url).searchParams.get("received"));
  return {
    title: `${view.title} · ${view.groupName}`,
    task: {
      id: view.id,
      groupId,
      title: view.title,
      instructionsHtml: view.instructionsHtml,
      files: view.files.map(shown),
      dueText: formatDateTime(view.dueAt, lng),
      createdBy: view.createdBy,
      threadId: view.threadId,
      status: view.status,
    },
    result: view.result
      ? {
          bodyHtml: view.result.bodyHtml,
          bodyText: view.result.bodyText,
          files: view.result.files.map(shown),
          by: view.result.submittedBy,
          atText: formatDateTime(view.result.submittedAt, lng),
          late: view.result.late,
          versionText: formatNumber(view.result.version, lng),
          checksum: view.result.checksum,
        }
      : null,
    // The receipt line after a hand-in: only for the version now standing.
    receivedText: view.result && received === view.result.version ? formatNumber(received, lng) : null,
    version: view.version,
    may: view.may,
    myPortfolioItemId: view.myPortfolioItemId,
    portfolioOpen: view.portfolioOpen,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  // Handed in when the request arrived, not when a slow upload finished.
  const receivedAt = Date.now();
  const actor = await requireActor(request);
  const groupId = params.id ?? "";
  const taskId = params.taskId ?? "";
  const here = `/groups/${groupId}/tasks/${taskId}`;
  if (!(request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    const form = await request.formData();
    if (field(form, "intent") !== "portfolio") return redirect(here);
    try {
      const item = await addResultToPortfolio(actor, groupId, taskId);
      return redirect(`/portfolio/${item.id}`);
    } catch (error) {
      return formFailure(error, { body: "" });
    }
  }
  // Someone who may not hand in here (left, removed, a teacher, no such task) is refused before a byte is received.
  await orErrorPage(async () => requireHandIn(actor, groupId, taskId));
  let values = { body: "" };
  try {
    const { fields, files } = await receiveUploadForm(actor, request, { accept: "any" });
    values = { body: fields.get("body") ?? "" };
    const { version } = await handInResult(actor, groupId, taskId, fields, (files.get("files") ?? []).map((f) => f.id), receivedAt);
    return redirect(`${here}?received=${version}`);
  } catch (error) {
    return formFailure(error, values);
  }
}

type ShownFile = { id: string; name: string; url: string; sizeText: string };

function FileList({ files, label }: { files: ShownFile[]; label: string }) {
  const { t } = useTranslation("groupTasks");
  return (
    <ul className="file-list" aria-label={label}>
      {files.map((f) => (
        <li key={f.id}>
          <a href={f.url}>{f.name}</a> <span className="meta">{t("page.sizeKb", { size: f.sizeText })}</span>
        </li>
      ))}
    </ul>
  );
}

/** One group task: the instructions, the group's result, the hand-in form and the portfolio button. */
export default function GroupTaskPage() {
  const { task, result, receivedText, version, may, myPortfolioItemId, portfolioOpen } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("groupTasks");
  const fileError = failure?.fieldErrors.files;
  return (
    <>
      <article className="panel task-head" aria-labelledby="task-title">
        <p className="meta">
          <a href={`/groups/${task.groupId}/tasks`}>{t("back")}</a>
        </p>
        <h2 id="task-title">{task.title}</h2>
        <p className="meta">
          <GroupTaskStatus status={task.status} /> {t("setBy", { name: task.createdBy })}
        </p>
        <p>
          <strong>{t("due", { time: task.dueText })}</strong>
        </p>
        <h3>{t("page.instructions")}</h3>
        {/* Sanitized on the server when saved (richtext.server's allowlist). */}
        <div className="rich-text" dangerouslySetInnerHTML={{ __html: task.instructionsHtml }} />
        {task.files.length ? (
          <>
            <h3>{t("page.files")}</h3>
            <FileList files={task.files} label={t("page.files")} />
          </>
        ) : null}
        {task.threadId ? (
          <p>
            <a href={`/groups/${task.groupId}/threads/${task.threadId}`}>{t("page.thread")}</a>
          </p>
        ) : null}
      </article>

      <section className="panel" aria-labelledby="result-title">
        <h2 id="result-title">{t("result.title")}</h2>
        {receivedText ? (
          <p className="notice" role="status">
            {t("result.received", { n: receivedText })}
          </p>
        ) : null}
        {failure?.formError && !may.ok ? <FormAlert problem={failure.formError} /> : null}
        {result ? (
          <div className="group-result handed-in">
            <p className="meta">
              {t("result.by", { name: result.by, time: result.atText })} {result.late ? <span className="tag gt-late">{t("result.late")}</span> : null}
            </p>
            <dl className="facts task-facts">
              <dt>{t("result.checksum")}</dt>
              <dd>
                {t("result.version", { n: result.versionText })} · <span className="checksum">{result.checksum}</span>
              </dd>
            </dl>
            <div className="rich-text" dangerouslySetInnerHTML={{ __html: result.bodyHtml }} />
            {result.files.length ? (
              <>
                <h3>{t("result.files")}</h3>
                <FileList files={result.files} label={t("result.files")} />
              </>
            ) : null}
            {myPortfolioItemId ? (
              <p>
                <a href={`/portfolio/${myPortfolioItemId}`}>{t("portfolio.added")}</a>
              </p>
            ) : portfolioOpen ? (
              <form method="post">
                <button type="submit" name="intent" value="portfolio" className="primary">
                  {t("portfolio.add")}
                </button>
              </form>
            ) : (
              <p className="hint">{t("portfolio.closed")}</p>
            )}
          </div>
        ) : (
          <p className="hint">{t("result.none")}</p>
        )}

        {may.ok ? (
          <>
            <h3 id="hand-in-title">{result ? t("handIn.replaceTitle") : t("handIn.title")}</h3>
            {may.late ? <p className="alert">{t("handIn.lateWarning")}</p> : result ? <p className="hint">{t("handIn.replaceNote")}</p> : null}
            <FormAlert problem={failure?.formError} />
            <form method="post" encType="multipart/form-data" data-upload-progress="" noValidate className="hand-in-form" aria-labelledby="hand-in-title">
              {/* The version this form was built on: a newer result handed in meanwhile is not overwritten. */}
              <input type="hidden" name="version" value={version} />
              <TextAreaField name="body" label={t("handIn.body")} hint={t("handIn.bodyHint")} error={failure?.fieldErrors.body} rows={8} defaultValue={failure ? failure.values.body : (result?.bodyText ?? "")} />
              {result?.files.length ? (
                <fieldset>
                  <legend>{t("handIn.keep")}</legend>
                  <ul className="file-list">
                    {result.files.map((f) => (
                      <li key={f.id}>
                        <label className="check">
                          <input type="checkbox" name={`keep.${f.id}`} defaultChecked /> {f.name}
                        </label>
                      </li>
                    ))}
                  </ul>
                </fieldset>
              ) : null}
              <FilesInput label={t("handIn.files")} hint={failure ? `${t("handIn.filesHint")} ${t("handIn.filesAgain")}` : t("handIn.filesHint")} error={fileError ? t(fileError.key, fileError.params) : null} />
              <button type="submit" className="primary">
                {t("handIn.submit")}
              </button>
            </form>
            <UploadProgressScript />
          </>
        ) : (
          <p className="notice">{t(`cannot.${may.reason}`)}</p>
        )}
      </section>
    </>
  );
}
