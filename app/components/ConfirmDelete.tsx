import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

/**
 * The first step of deleting something: a plain GET form that opens the page's confirmation view
 * (`?confirm=delete`, plus any `fields` naming what is meant). Works without JavaScript; deletes nothing.
 */
export function AskToDelete({ label, action, fields, className = "quiet danger", value = "delete" }: { label: string; action?: string; fields?: Record<string, string>; className?: string; value?: string }) {
  return (
    <form method="get" action={action} className="ask-delete">
      {Object.entries(fields ?? {}).map(([name, v]) => (
        <input key={name} type="hidden" name={name} value={v} />
      ))}
      <button type="submit" name="confirm" value={value} className={className}>
        {label}
      </button>
    </form>
  );
}

export type DoomedFile = { id: string; name: string; sizeText?: string };

/**
 * The confirmation view: names what will be deleted (and its files), says it cannot be undone, and
 * offers the one POST button that really deletes, next to a way back. Server-rendered, no JavaScript.
 */
export function ConfirmDelete({
  heading,
  name,
  files = [],
  consequence,
  confirmLabel,
  cancelHref,
  action,
  fields,
  multipart = false,
  undoable = false,
  level = 1,
}: {
  heading: string;
  name: string;
  files?: DoomedFile[];
  consequence?: ReactNode;
  confirmLabel: string;
  cancelHref: string;
  action?: string;
  fields: Record<string, string>;
  multipart?: boolean;
  /** Something that can be done again (leaving a group): no "cannot be undone" line. */
  undoable?: boolean;
  /** 2 inside a page that already has its own h1 (a group's pages). */
  level?: 1 | 2;
}) {
  const { t } = useTranslation("common");
  return (
    <section className="panel confirm-delete" aria-labelledby="confirm-title">
      {level === 1 ? <h1 id="confirm-title">{heading}</h1> : <h2 id="confirm-title">{heading}</h2>}
      <p className="confirm-name">
        <strong>{name}</strong>
      </p>
      {files.length ? (
        <>
          <p>{t("confirm.filesToo", { count: files.length })}</p>
          <ul className="file-list">
            {files.map((f) => (
              <li key={f.id}>
                {f.name}
                {f.sizeText ? <span className="meta"> · {f.sizeText}</span> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {consequence ? <p>{consequence}</p> : null}
      {undoable ? null : <p className="confirm-warning">{t("confirm.noUndo")}</p>}
      <form method="post" action={action} encType={multipart ? "multipart/form-data" : undefined} className="confirm-actions">
        {Object.entries(fields).map(([n, v]) => (
          <input key={n} type="hidden" name={n} value={v} />
        ))}
        <input type="hidden" name="confirmed" value="yes" />
        <button type="submit" className="primary danger">
          {confirmLabel}
        </button>
        <a href={cancelHref} className="confirm-cancel">
          {t("confirm.cancel")}
        </a>
      </form>
    </section>
  );
}
