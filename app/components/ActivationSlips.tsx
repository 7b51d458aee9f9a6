import type { TFunction } from "i18next";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { SlipBatch } from "~/domain/rosters.server";
import { formatDate } from "~/lib/format";
import type { Lng } from "~/i18n";

/** Everything a printed slip says, already in the school's language (not the admin's). */
export type SlipSheet = {
  lang: Lng;
  site: string;
  labels: { heading: string; school: string; name: string; class: string; login: string; code: string; expires: string; steps: string[] };
  schoolName: string;
  slips: { realName: string; className: string | null; loginName: string; code: string; expires: string }[];
};

/**
 * Builds the sheet on the server: slips speak the school's default language (a Tibetan school's
 * pupils read Tibetan at home) and dates are formatted where Intl knows bo and ii.
 */
export function slipSheet(batch: SlipBatch, t: TFunction, site: string): SlipSheet {
  const lang = batch.school.defaultLocale as Lng;
  return {
    lang,
    site,
    labels: {
      heading: t("slip.heading"),
      school: t("slip.school"),
      name: t("slip.name"),
      class: t("slip.class"),
      login: t("slip.login"),
      code: t("slip.code"),
      expires: t("slip.expires"),
      steps: [t("slip.step1", { site }), t("slip.step2"), t("slip.step3")],
    },
    schoolName: batch.school.name,
    slips: batch.slips.map((s) => ({ realName: s.realName, className: s.className, loginName: s.loginName, code: s.code, expires: formatDate(s.expiresAt, lang) })),
  };
}

/** Printable activation slips with the shown-once warning; print CSS (roster.css) drops everything else. */
export function ActivationSlips({ sheet }: { sheet: SlipSheet }) {
  const { labels } = sheet;
  return (
    <SlipsPanel ns="roster" className="slips" count={sheet.slips.length} lang={sheet.lang}>
      {sheet.slips.map((s) => (
        <li className="slip" key={s.loginName}>
          <p className="slip-heading">{labels.heading}</p>
          <dl className="slip-facts">
            <dt>{labels.school}</dt>
            <dd>{sheet.schoolName}</dd>
            <dt>{labels.name}</dt>
            <dd className="slip-name">{s.realName}</dd>
            {s.className ? (
              <>
                <dt>{labels.class}</dt>
                <dd>{s.className}</dd>
              </>
            ) : null}
            <dt>{labels.login}</dt>
            <dd className="slip-login" translate="no">
              {s.loginName}
            </dd>
            <dt>{labels.code}</dt>
            <dd className="slip-code" translate="no">
              {s.code}
            </dd>
            <dt>{labels.expires}</dt>
            <dd>{s.expires}</dd>
          </dl>
          <SlipSteps className="slip-steps" steps={labels.steps} />
        </li>
      ))}
    </SlipsPanel>
  );
}

/**
 * A sheet of printed slips (activation slips, parents' link codes): the shown-once warning and count
 * on screen, then the slips in the school's language; print CSS keeps only the slips. `className` is
 * the list's class; the panel's is `<className>-panel`.
 */
export function SlipsPanel({ ns, className, count, lang, children }: { ns: "roster" | "guardianLinks"; className: string; count: number; lang: Lng; children: ReactNode }) {
  const { t } = useTranslation(ns);
  const titleId = `${className}-title`;
  return (
    <section className={`panel ${className}-panel`} aria-labelledby={titleId}>
      <div className="no-print">
        <h2 id={titleId}>{t("slips.printTitle")}</h2>
        <p className="notice" role="status">
          {t("slips.onceNotice")}
        </p>
        <p className="meta">{t("slips.count", { n: count })}</p>
      </div>
      <ol className={className} lang={lang}>
        {children}
      </ol>
    </section>
  );
}

/** What to do with a slip, step by step. */
export function SlipSteps({ className, steps }: { className: string; steps: string[] }) {
  return (
    <ol className={className}>
      {steps.map((step, i) => (
        <li key={i}>{step}</li>
      ))}
    </ol>
  );
}
