import { AskToDelete } from "./ConfirmDelete";
import { useTranslation } from "react-i18next";

export type LibraryEntryItem = {
  id: string;
  kind: "file" | "link";
  title: string;
  lang: "bo" | "ii" | null;
  href: string;
  file: { id: string; name: string } | null;
  addedText: string;
  sizeText: string | null;
  host: string | null;
  mayRemove: boolean;
};

/** A group library's entries: what it is, who added it and when, and what the reader may do with it. */
export function GroupLibraryEntries({ entries, groupId, action, mayCopyToLesson }: { entries: LibraryEntryItem[]; groupId: string; action: string; mayCopyToLesson: boolean }) {
  const { t } = useTranslation("groupLibrary");
  // A GET form drops its action's query: the folder travels as a field of the question.
  const folder = new URL(action, "http://here").searchParams.get("folder");
  if (entries.length === 0) return <p className="meta">{t("empty")}</p>;
  return (
    <ul className="library-entries">
      {entries.map((e) => (
        <li key={e.id}>
          <p className="entry-title">
            <span className={`tag kind-${e.kind}`}>{e.kind === "file" ? t("kindFile") : t("kindLink")}</span>{" "}
            {e.kind === "link" ? (
              <a href={e.href} rel="noopener noreferrer nofollow ugc" lang={e.lang ?? undefined}>
                {e.title}
              </a>
            ) : (
              <a href={e.href} lang={e.lang ?? undefined}>
                {e.title}
              </a>
            )}
            {e.sizeText ? <span className="meta"> · {t("sizeKb", { size: e.sizeText })}</span> : null}
            {e.host ? (
              <span className="meta">
                {" "}
                · {t("external")} {e.host}
              </span>
            ) : null}
          </p>
          <p className="meta">{e.addedText}</p>
          {(mayCopyToLesson && e.file) || e.mayRemove ? (
            <div className="entry-actions">
              {mayCopyToLesson && e.file ? <a href={`/groups/${groupId}/copy-to-lesson?file=${encodeURIComponent(e.file.id)}`}>{t("copyToLesson")}</a> : null}
              {e.mayRemove ? (
                <AskToDelete label={t("remove")} action={`/groups/${groupId}/library`} fields={{ ...(folder ? { folder } : {}), entry: e.id }} value="remove" />
              ) : null}
            </div>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
