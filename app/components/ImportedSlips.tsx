import { useTranslation } from "react-i18next";
import { ActivationSlips, SlipLayoutForm, type SlipLayout, type SlipSheet } from "~/components/ActivationSlips";
import { LinkCodeSlips, type LinkSlipSheet } from "~/components/LinkCodeSlips";
import { SlipPager } from "~/components/SlipPager";

export type ImportedSlipsData = {
  print: "activation" | "parents";
  layout: SlipLayout;
  counts: { activation: string; parents: string };
  activationSheet: SlipSheet | null;
  parentSheet: LinkSlipSheet | null;
  page: number;
  pages: number;
};

/**
 * A roster import's page once imported: what was done, and the slips whose codes are still open, read
 * again from the server (so reloading, a language switch or a jammed printer loses none of them).
 */
export function ImportedSlips({ importId, done, data }: { importId: string; done: { created: string; updated: string; unchanged: string }; data: ImportedSlipsData }) {
  const { t } = useTranslation("roster");
  const base = `/school/roster/${importId}`;
  const query = (print: string) => `${base}?print=${print}${data.layout === "eight" ? "&layout=8" : ""}`;
  const notice = (
    <p className="notice" role="status">
      {t("slips.againNotice")}
    </p>
  );
  return (
    <>
      <section className="panel no-print" aria-labelledby="done-title">
        <h1 id="done-title">{t("done.title")}</h1>
        <p role="status">{t("done.summary", done)}</p>
        <p className="roster-links">
          <a href="/school/roster">{t("nav.roster")}</a> · <a href="/school/slips">{t("nav.slips")}</a>
        </p>
        <ul className="slip-kinds">
          <li>{data.print === "activation" ? <strong>{t("slips.activationOpen", { n: data.counts.activation })}</strong> : <a href={query("activation")}>{t("slips.activationOpen", { n: data.counts.activation })}</a>}</li>
          <li>{data.print === "parents" ? <strong>{t("slips.parentsOpen", { n: data.counts.parents })}</strong> : <a href={query("parents")}>{t("slips.parentsOpen", { n: data.counts.parents })}</a>}</li>
        </ul>
        <SlipLayoutForm layout={data.layout} hidden={{ print: data.print }} />
      </section>
      {data.activationSheet ? <ActivationSlips sheet={data.activationSheet} notice={notice} /> : null}
      {data.parentSheet ? <LinkCodeSlips sheet={data.parentSheet} notice={notice} /> : null}
      {!data.activationSheet && !data.parentSheet ? <p className="notice no-print">{t("slips.noneOpen")}</p> : null}
      <SlipPager page={data.page} pages={data.pages} base={query(data.print)} />
    </>
  );
}
