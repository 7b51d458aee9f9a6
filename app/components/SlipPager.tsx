import { useTranslation } from "react-i18next";

/** Previous / next page of a pile of slips (plain links: works without JavaScript). `base` already has a query string. */
export function SlipPager({ page, pages, base }: { page: number; pages: number; base: string }) {
  const { t } = useTranslation("roster");
  if (pages <= 1) return null;
  return (
    <nav className="slip-pager no-print" aria-label={t("slips.pages")}>
      {page > 1 ? <a href={`${base}&page=${page - 1}`}>{t("slips.prevPage")}</a> : null} <span>{t("slips.pageOf", { page, pages })}</span>{" "}
      {page < pages ? <a href={`${base}&page=${page + 1}`}>{t("slips.nextPage")}</a> : null}
    </nav>
  );
}
