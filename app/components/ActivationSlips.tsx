import type { TFunction } from "i18next";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Lng } from "~/i18n";
import { formatDate } from "~/lib/format";
import { useNonce } from "~/lib/nonce";

/** Slip layouts: one slip per row on screen and two per row on paper, or eight to an A4 page with cut lines. */
export type SlipLayout = "full" | "eight";

export function slipLayoutOf(value: string | null | undefined): SlipLayout {
  return value === "8" || value === "eight" ? "eight" : "full";
}

/**
 * The languages a slip speaks: the school's, then Chinese (a Chinese-reading parent of a Yi school must
 * read it too). Each label is one line per language, on one slip.
 */
export function slipLanguages(schoolLng: Lng): Lng[] {
  return schoolLng === "zh-Hans" ? ["zh-Hans"] : [schoolLng, "zh-Hans"];
}

/** A label in each of the slip's languages (`ts`: one fixed t per language); identical lines are printed once. */
export function bilingual(ts: TFunction[], key: string, params?: Record<string, unknown>): string[] {
  const lines = ts.map((t) => String(t(key, params)));
  return lines.filter((line, i) => lines.indexOf(line) === i);
}

/** What is needed to print a sheet: the slips' languages and a fixed translator for each. */
export type SlipVoice = { langs: Lng[]; ts: TFunction[] };

type Item = { realName: string; className: string | null; loginName: string; code: string; expiresAt: Date | string };

/** Everything a printed slip says, already in the school's language and Chinese (not the admin's). */
export type SlipSheet = {
  langs: Lng[];
  layout: SlipLayout;
  labels: Record<"heading" | "school" | "name" | "class" | "login" | "code" | "expires", string[]>;
  steps: string[][];
  schoolName: string;
  slips: { realName: string; className: string | null; loginName: string; code: string; expires: string }[];
};

/** Built on the server, where Intl formats dates in bo and ii. */
export function slipSheet(batch: { school: { name: string }; slips: Item[] }, voice: SlipVoice, site: string, layout: SlipLayout = "full"): SlipSheet {
  const { langs, ts } = voice;
  const label = (key: string, params?: Record<string, unknown>) => bilingual(ts, `slip.${key}`, params);
  return {
    langs,
    layout,
    labels: { heading: label("heading"), school: label("school"), name: label("name"), class: label("class"), login: label("login"), code: label("code"), expires: label("expires") },
    steps: [label("step1", { site }), label("step2"), label("step3")],
    schoolName: batch.school.name,
    slips: batch.slips.map((s) => ({ realName: s.realName, className: s.className, loginName: s.loginName, code: s.code, expires: formatDate(new Date(s.expiresAt), langs[0]!) })),
  };
}

/** A label's lines, each marked with its language (fonts and screen readers need it). */
export function Lines({ lines, langs }: { lines: string[]; langs: Lng[] }) {
  return (
    <>
      {lines.map((line, i) => (
        <span className="slip-line" lang={langs[i]} key={i}>
          {line}
        </span>
      ))}
    </>
  );
}

/** Slips in runs of one class each: on paper every class starts a new page, so a teacher's pile is whole. */
export function byClass<T>(slips: T[], classOf: (slip: T) => string | null): { className: string | null; slips: T[] }[] {
  const groups: { className: string | null; slips: T[] }[] = [];
  for (const slip of slips) {
    const name = classOf(slip);
    const last = groups[groups.length - 1];
    if (last && last.className === name) last.slips.push(slip);
    else groups.push({ className: name, slips: [slip] });
  }
  return groups;
}

/** Printable activation slips; print CSS (slips.css) drops everything else. */
export function ActivationSlips({ sheet, notice }: { sheet: SlipSheet; notice?: ReactNode }) {
  const { labels, langs } = sheet;
  return (
    <SlipsPanel ns="roster" className="slips" count={sheet.slips.length} lang={langs[0]!} layout={sheet.layout} notice={notice}>
      {byClass(sheet.slips, (s) => s.className).map((group, g) => (
        <ol className={`slips slip-class layout-${sheet.layout}`} lang={langs[0]} key={g}>
          {group.slips.map((s) => (
            <li className="slip" key={s.loginName}>
              <p className="slip-heading">
                <Lines lines={labels.heading} langs={langs} />
              </p>
              <dl className="slip-facts">
                <Fact label={labels.school} langs={langs}>
                  {sheet.schoolName}
                </Fact>
                <Fact label={labels.name} langs={langs} className="slip-name">
                  {s.realName}
                </Fact>
                {s.className ? (
                  <Fact label={labels.class} langs={langs}>
                    {s.className}
                  </Fact>
                ) : null}
                <Fact label={labels.login} langs={langs} className="slip-login" translate="no">
                  {s.loginName}
                </Fact>
                <Fact label={labels.code} langs={langs} className="slip-code" translate="no">
                  {s.code}
                </Fact>
                <Fact label={labels.expires} langs={langs}>
                  {s.expires}
                </Fact>
              </dl>
              <SlipSteps className="slip-steps" steps={sheet.steps} langs={langs} />
            </li>
          ))}
        </ol>
      ))}
    </SlipsPanel>
  );
}

/** One labelled fact of a slip: the label in each language, then the value. */
export function Fact({ label, langs, className, translate, children }: { label: string[]; langs: Lng[]; className?: string; translate?: "no"; children: ReactNode }) {
  return (
    <>
      <dt>
        <Lines lines={label} langs={langs} />
      </dt>
      <dd className={className} translate={translate}>
        {children}
      </dd>
    </>
  );
}

/**
 * A sheet of printed slips (activation slips, parents' link codes): a notice, the count, the print button
 * and the layout on screen, then the slips, a list per class; print CSS keeps only the slips.
 */
export function SlipsPanel({
  ns,
  className,
  count,
  lang,
  layout,
  notice,
  children,
}: {
  ns: "roster" | "guardianLinks";
  className: string;
  count: number;
  lang: Lng;
  layout: SlipLayout;
  notice?: ReactNode;
  children: ReactNode;
}) {
  const { t } = useTranslation(ns);
  const titleId = `${className}-title`;
  return (
    <section className={`panel ${className}-panel slips-sheet layout-${layout}`} aria-labelledby={titleId} data-lang={lang}>
      <div className="no-print">
        <h2 id={titleId}>{t("slips.printTitle")}</h2>
        {notice ?? (
          <p className="notice" role="status">
            {t("slips.onceNotice")}
          </p>
        )}
        <p className="meta">{t("slips.count", { n: count })}</p>
        <PrintButton label={t("slips.print")} />
      </div>
      {children}
    </section>
  );
}

/**
 * A print button that a tiny script (public/print-slips.js, under the page's CSP nonce) reveals and wires
 * to window.print; without JavaScript the hint beside it says how to print (slips.css lays the paper out).
 */
export function PrintButton({ label }: { label: string }) {
  const { t } = useTranslation("roster");
  const nonce = useNonce();
  return (
    <p className="print-slips">
      <button type="button" className="primary" data-print-slips="" hidden>
        {label}
      </button>{" "}
      <span className="meta">{t("slips.printHint")}</span>
      <script src="/print-slips.js" defer nonce={nonce} />
    </p>
  );
}

/** Choose the layout of the printed sheet: a plain GET form, so it works without JavaScript. */
export function SlipLayoutForm({ layout, hidden }: { layout: SlipLayout; hidden?: Record<string, string> }) {
  const { t } = useTranslation("roster");
  return (
    <form method="get" className="slip-layout-form no-print">
      {Object.entries(hidden ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} key={name} />
      ))}
      <input type="checkbox" id="slip-layout" name="layout" value="8" defaultChecked={layout === "eight"} />
      <label htmlFor="slip-layout">{t("slips.layoutEight")}</label>{" "}
      <button type="submit">{t("slips.layoutApply")}</button>
    </form>
  );
}

/** What to do with a slip, step by step, each step in the slip's languages. */
export function SlipSteps({ className, steps, langs }: { className: string; steps: string[][]; langs: Lng[] }) {
  return (
    <ol className={className}>
      {steps.map((step, i) => (
        <li key={i}>
          <Lines lines={step} langs={langs} />
        </li>
      ))}
    </ol>
  );
}
