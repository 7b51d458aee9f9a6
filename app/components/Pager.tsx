import { useTranslation } from "react-i18next";

/** The page's address with the list's other parameters kept (search, filters) and `page` set. */
export function pageHref(path: string, params: Record<string, string>, page: number, anchor?: string): string {
  const search = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== ""));
  if (page > 1) search.set("page", String(page));
  else search.delete("page");
  const query = search.toString();
  return `${path}${query ? `?${query}` : ""}${anchor ? `#${anchor}` : ""}`;
}

/**
 * "第 1–100 条，共 124 条" and plain previous/next links for an offset-paged list (works without
 * JavaScript; the links keep the list's search and filters). Counts arrive formatted by the server.
 */
export function Pager({
  path,
  params,
  page,
  pageCount,
  range,
  anchor,
}: {
  path: string;
  params: Record<string, string>;
  page: number;
  pageCount: number;
  range: { first: string; last: string; total: string; page: string; pages: string };
  anchor?: string;
}) {
  const { t } = useTranslation("rollout");
  return (
    <nav className="pager list-pager" aria-label={t("pupilList.pages")}>
      <p className="range">
        {t("pupilList.range", { first: range.first, last: range.last, total: range.total })}
      </p>
      {pageCount > 1 ? (
        <>
          {page > 1 ? <a href={pageHref(path, params, page - 1, anchor)}>{t("pupilList.previous")}</a> : null}
          <span className="meta">{t("pupilList.pageOf", { page: range.page, pages: range.pages })}</span>
          {page < pageCount ? <a href={pageHref(path, params, page + 1, anchor)}>{t("pupilList.next")}</a> : null}
        </>
      ) : null}
    </nav>
  );
}
