import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ConfirmDelete } from "~/components/ConfirmDelete";
import { FormAlert, SelectField, TextField } from "~/components/FormBits";
import { GroupLibraryEntries } from "~/components/GroupLibraryEntries";
import { uploadProgressLinks, UploadProgressScript } from "~/components/UploadProgress";
import { discardDrafts, receiveUploadForm } from "~/domain/uploads/files.server";
import {
  addLibraryFiles,
  addLibraryLink,
  createFolder,
  deleteFolder,
  FOLDER_NAME_MAX,
  LIBRARY_MAX_FILES,
  libraryView,
  removeLibraryEntry,
  renameFolder,
} from "~/domain/group-work/group-library.server";
import { requireGroupMember } from "~/domain/groups/groups.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { formatDateTime, formatNumber } from "~/lib/format";
import { formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import { i18next } from "~/i18next.server";
import cssUrl from "~/styles/group-library.css?url";

// A read page: no hydration. Every form is a plain multipart form (one action, told apart by `intent`).
export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }, ...uploadProgressLinks()];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

const here = (groupId: string, folderId: string | null | undefined) => `/groups/${groupId}/library${folderId ? `?folder=${encodeURIComponent(folderId)}` : ""}`;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  const url = new URL(request.url);
  const folderId = url.searchParams.get("folder");
  const view = await orErrorPage(async () => libraryView(actor, params.id ?? "", folderId));
  const t = await i18next.getFixedT(request);
  const folderTitle = view.folder ? `${view.folder.name} · ` : "";
  // "Remove" first opens this question (a GET view naming the entry): only for an entry the reader may remove.
  const doomed = url.searchParams.get("confirm") === "remove" ? (view.entries.find((e) => e.id === url.searchParams.get("entry") && e.mayRemove) ?? null) : null;
  return {
    confirmRemove: doomed ? { id: doomed.id, title: doomed.title, file: doomed.file ? { id: doomed.file.id, name: doomed.file.name, sizeText: t("groupLibrary:sizeKb", { size: formatNumber(Math.max(1, Math.round(doomed.file.size / 1024)), lng) }) } : null } : null,
    title: `${folderTitle}${await pageTitle(request, "groupLibrary:title")}`,
    maxFiles: LIBRARY_MAX_FILES,
    folderNameMax: FOLDER_NAME_MAX,
    view: {
      ...view,
      folders: view.folders.map((f) => ({ ...f, countText: t("groupLibrary:entryCount", { count: f.entryCount }) })),
      entries: view.entries.map(({ addedAt, ...e }) => ({
        ...e,
        addedText: e.addedBy.schoolName
          ? t("groupLibrary:addedBy", { name: e.addedBy.realName, school: e.addedBy.schoolName, time: formatDateTime(addedAt, lng) })
          : t("groupLibrary:addedByNoSchool", { name: e.addedBy.realName, time: formatDateTime(addedAt, lng) }),
        sizeText: e.file ? formatNumber(Math.max(1, Math.round(e.file.size / 1024)), lng) : null,
        host: e.kind === "link" ? hostOf(e.href) : null,
      })),
    },
  };
}

function hostOf(href: string): string | null {
  try {
    return new URL(href).host;
  } catch {
    return null;
  }
}

type Values = { intent: string; name: string; title: string; url: string; folderId: string; entryId: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const groupId = params.id ?? "";
  // Someone who is not (or no longer) a member is refused before a byte of their upload is received.
  await orErrorPage(async () => requireGroupMember(actor, groupId));
  const at = new URL(request.url).searchParams.get("folder");
  // Until the form is read, a refusal can only be of its upload (too large, wrong type, cut off).
  let values: Values = { intent: "upload", name: "", title: "", url: "", folderId: at ?? "", entryId: "" };
  try {
    const { fields, files } = await receiveUploadForm(actor, request, { accept: "any", maxFiles: LIBRARY_MAX_FILES });
    const get = (name: string) => fields.get(name) ?? "";
    values = { intent: get("intent"), name: get("name"), title: get("title"), url: get("url"), folderId: get("folderId"), entryId: get("entryId") };
    const uploaded = (files.get("files") ?? []).map((f) => f.id);
    // Only the upload form carries files: any sent with another form are not kept as drafts.
    if (values.intent !== "upload" && uploaded.length) await discardDrafts(actor, uploaded);
    // Removing is asked first: a bare "remove" (an old page, a stray tap) only opens the question.
    if (get("intent") === "remove" && get("confirmed") !== "yes") {
      return redirect(`/groups/${groupId}/library?${new URLSearchParams({ ...(at ? { folder: at } : {}), confirm: "remove", entry: get("entryId") })}`);
    }
    switch (values.intent) {
      case "upload":
        await addLibraryFiles(actor, groupId, fields, uploaded);
        return redirect(here(groupId, values.folderId));
      case "link":
        await addLibraryLink(actor, groupId, fields);
        return redirect(here(groupId, values.folderId));
      case "newFolder": {
        const { id } = await createFolder(actor, groupId, fields);
        return redirect(here(groupId, id));
      }
      case "renameFolder":
        await renameFolder(actor, groupId, at ?? "", fields);
        return redirect(here(groupId, at));
      case "deleteFolder":
        await deleteFolder(actor, groupId, at ?? "");
        return redirect(here(groupId, null));
      case "remove":
        await removeLibraryEntry(actor, groupId, values.entryId);
        return redirect(here(groupId, at));
      default:
        return redirect(here(groupId, at));
    }
  } catch (error) {
    return formFailure(error, values);
  }
}

export default function GroupLibraryPage() {
  const { view, maxFiles, folderNameMax, confirmRemove } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("groupLibrary");
  const formAction = here(view.groupId, view.folder?.id);
  if (confirmRemove && !failure) {
    return (
      <ConfirmDelete
        level={2}
        heading={t("common:confirm.entry.heading")}
        name={confirmRemove.title}
        files={confirmRemove.file ? [confirmRemove.file] : []}
        confirmLabel={t("common:confirm.entry.button")}
        cancelHref={formAction}
        action={formAction}
        multipart
        fields={{ intent: "remove", entryId: confirmRemove.id }}
      />
    );
  }
  const failed = (intent: string) => (failure?.values.intent === intent ? failure : null);
  const folderChoice = (intent: string) => {
    const chosen = failed(intent)?.values.folderId ?? view.folder?.id ?? "";
    return (
      <SelectField name="folderId" id={`f-${intent}-folder`} label={t("add.folder")} defaultValue={chosen} error={failed(intent)?.fieldErrors.folderId}>
        <option value="">{t("add.top")}</option>
        {view.folders.map((f) => (
          <option key={f.id} value={f.id}>
            {f.name}
          </option>
        ))}
      </SelectField>
    );
  };
  return (
    <section className="panel group-library" aria-labelledby="library-title">
      <h2 id="library-title">{t("heading")}</h2>
      {view.folder ? (
        <nav aria-label={t("breadcrumbs")} className="library-crumbs">
          <ol>
            <li>
              <a href={here(view.groupId, null)}>{t("top")}</a>
            </li>
            <li>
              <span aria-current="page" lang={view.folder.lang ?? undefined}>
                {view.folder.name}
              </span>
            </li>
          </ol>
        </nav>
      ) : null}
      {/* A failed form of an intent not shown below (a removal, a folder gone meanwhile) says why here. */}
      {failure && !["upload", "link", "newFolder", "renameFolder"].includes(failure.values.intent) ? <FormAlert problem={failure.formError} /> : null}

      {!view.folder ? (
        <section aria-labelledby="folders-title" className="library-folders">
          <h3 id="folders-title">{t("folders")}</h3>
          {view.folders.length === 0 ? <p className="meta">{t("noFolders")}</p> : null}
          <ul>
            {view.folders.map((f) => (
              <li key={f.id}>
                <a href={here(view.groupId, f.id)} aria-label={t("folder.open", { name: f.name })}>
                  <span className="folder-icon" aria-hidden="true" />
                  <span lang={f.lang ?? undefined}>{f.name}</span>
                </a>
                <span className="meta">{f.countText}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="entries-title">
        <h3 id="entries-title">{view.folder ? view.folder.name : t("entries")}</h3>
        <GroupLibraryEntries entries={view.entries} groupId={view.groupId} action={formAction} mayCopyToLesson={view.mayCopyToLesson} />
      </section>

      <div className="library-forms">
        <details open={Boolean(failed("upload"))}>
          <summary>{t("add.files")}</summary>
          <FormAlert problem={failed("upload")?.formError ?? failed("upload")?.fieldErrors.form} />
          <form method="post" action={formAction} encType="multipart/form-data" data-upload-progress="" noValidate>
            <div className={failed("upload")?.fieldErrors.files ? "field has-error" : "field"}>
              <label htmlFor="f-upload-files">{t("add.filesField", { max: maxFiles })}</label>
              <input id="f-upload-files" name="files" type="file" multiple aria-describedby={failed("upload")?.fieldErrors.files ? "f-upload-files-error" : undefined} />
              {failed("upload")?.fieldErrors.files ? (
                <p className="error" id="f-upload-files-error">
                  {t(failed("upload")!.fieldErrors.files!.key, failed("upload")!.fieldErrors.files!.params)}
                </p>
              ) : null}
            </div>
            {folderChoice("upload")}
            <button type="submit" name="intent" value="upload" className="primary">
              {t("add.upload")}
            </button>
          </form>
          <UploadProgressScript />
        </details>

        <details open={Boolean(failed("link"))}>
          <summary>{t("add.link")}</summary>
          <form method="post" action={formAction} encType="multipart/form-data" noValidate>
            <TextField name="title" id="f-link-title" label={t("add.linkTitle")} maxLength={120} defaultValue={failed("link")?.values.title ?? ""} error={failed("link")?.fieldErrors.title} />
            <TextField
              name="url"
              id="f-link-url"
              type="url"
              inputMode="url"
              label={t("add.linkUrl")}
              hint={t("add.linkUrlHint")}
              defaultValue={failed("link")?.values.url ?? ""}
              error={failed("link")?.fieldErrors.url}
            />
            {folderChoice("link")}
            <FormAlert problem={failed("link")?.formError} />
            <button type="submit" name="intent" value="link" className="primary">
              {t("add.addLink")}
            </button>
          </form>
        </details>

        {!view.folder ? (
          <details open={Boolean(failed("newFolder"))}>
            <summary>{t("folder.new")}</summary>
            <form method="post" action={formAction} encType="multipart/form-data" noValidate>
              <TextField
                name="name"
                id="f-newFolder-name"
                label={t("folder.name")}
                hint={t("folder.nameHint", { max: folderNameMax })}
                defaultValue={failed("newFolder")?.values.name ?? ""}
                error={failed("newFolder")?.fieldErrors.name}
              />
              <FormAlert problem={failed("newFolder")?.formError} />
              <button type="submit" name="intent" value="newFolder" className="primary">
                {t("folder.create")}
              </button>
            </form>
          </details>
        ) : null}

        {view.folder && (view.folder.mayRename || view.folder.mayDelete) ? (
          <details open={Boolean(failed("renameFolder") || failed("deleteFolder"))}>
            <summary>{t("folder.manage")}</summary>
            {view.folder.mayRename ? (
              <form method="post" action={formAction} encType="multipart/form-data" noValidate>
                <TextField
                  name="name"
                  id="f-renameFolder-name"
                  label={t("folder.rename")}
                  hint={t("folder.nameHint", { max: folderNameMax })}
                  defaultValue={failed("renameFolder")?.values.name ?? view.folder.name}
                  error={failed("renameFolder")?.fieldErrors.name}
                />
                <FormAlert problem={failed("renameFolder")?.formError} />
                <button type="submit" name="intent" value="renameFolder" className="primary">
                  {t("folder.save")}
                </button>
              </form>
            ) : null}
            {view.folder.mayDelete ? (
              <form method="post" action={formAction} encType="multipart/form-data" className="delete-folder">
                <p className="hint">{t("folder.deleteHint")}</p>
                <button type="submit" name="intent" value="deleteFolder" className="quiet danger">
                  {t("folder.delete")}
                </button>
              </form>
            ) : null}
          </details>
        ) : null}
      </div>
    </section>
  );
}
