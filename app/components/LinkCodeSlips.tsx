import type { TFunction } from "i18next";
import type { ReactNode } from "react";
import { bilingual, byClass, Fact, Lines, SlipsPanel, SlipSteps, type SlipLayout, type SlipVoice } from "~/components/ActivationSlips";
import type { LinkCodeSlip } from "~/domain/families/guardian-links.server";
import type { Disambiguator } from "~/domain/accounts/slip-codes.server";
import type { Lng } from "~/i18n";
import { formatDate, formatNumber } from "~/lib/format";

/** Everything a printed link-code slip says, already in the school's language and Chinese (parents read it at home). */
export type LinkSlipSheet = {
  langs: Lng[];
  layout: SlipLayout;
  labels: Record<"heading" | "school" | "class" | "child" | "guardian" | "code" | "expires", string[]>;
  steps: string[][];
  slips: { codeId: string; realName: string; told: string[]; guardian: string | null; className: string | null; schoolName: string; code: string; expires: string }[];
};

/**
 * What tells a child from a same-name classmate, in words: "3月生", "3月生 · K7", or "K7" without a
 * birth date. `t` is a fixed guardianLinks translator; numbers are written in its language.
 */
export function disambiguatorText(told: Disambiguator, t: TFunction, lng: Lng): string {
  const parts: string[] = [];
  if (told.birthMonth) parts.push(String(t("slip.bornInMonth", { month: formatNumber(told.birthMonth, lng) })));
  if (told.tag) parts.push(String(t("slip.tag", { tag: told.tag })));
  return parts.join(" · ");
}

/** Built on the server, where Intl formats dates in bo and ii. */
export function linkSlipSheet(slips: LinkCodeSlip[], voice: SlipVoice, joinAddress: string, layout: SlipLayout = "full"): LinkSlipSheet {
  const { langs, ts } = voice;
  const label = (key: string, params?: Record<string, unknown>) => bilingual(ts, `slip.${key}`, params);
  return {
    langs,
    layout,
    labels: { heading: label("heading"), school: label("school"), class: label("class"), child: label("child"), guardian: label("guardian"), code: label("code"), expires: label("expires") },
    steps: [label("step1", { address: joinAddress }), label("step2"), label("step3")],
    slips: slips.map((s) => {
      const told = ts.map((t, i) => disambiguatorText(s.disambiguator, t, langs[i]!));
      return {
        codeId: s.codeId,
        realName: s.student.realName,
        told: told.filter((line, i) => line && told.indexOf(line) === i),
        guardian: s.guardian ? (s.guardian.relation ? `${s.guardian.name}（${s.guardian.relation}）` : s.guardian.name) : null,
        className: s.class?.name ?? null,
        schoolName: s.school.name,
        code: s.code,
        expires: formatDate(s.expiresAt, langs[0]!),
      };
    }),
  };
}

/** One slip per code: the child (and what tells them from a classmate of the same name), class, school, guardian, the code in large type. */
export function LinkCodeSlips({ sheet, notice }: { sheet: LinkSlipSheet; notice?: ReactNode }) {
  const { labels, langs } = sheet;
  return (
    <SlipsPanel ns="guardianLinks" className="link-slips" count={sheet.slips.length} lang={langs[0]!} layout={sheet.layout} notice={notice}>
      {byClass(sheet.slips, (s) => s.className).map((group, g) => (
        <ol className={`link-slips slip-class layout-${sheet.layout}`} lang={langs[0]} key={g}>
          {group.slips.map((s) => (
            <li className="link-slip" key={s.codeId}>
              <p className="link-slip-heading">
                <Lines lines={labels.heading} langs={langs} />
              </p>
              <dl className="link-slip-facts">
                <Fact label={labels.child} langs={langs} className="link-slip-child">
                  <span className="link-slip-name">{s.realName}</span>
                  {s.told.length ? (
                    <span className="link-slip-told">
                      {" "}
                      <Lines lines={s.told} langs={langs} />
                    </span>
                  ) : null}
                </Fact>
                {s.className ? (
                  <Fact label={labels.class} langs={langs}>
                    {s.className}
                  </Fact>
                ) : null}
                <Fact label={labels.school} langs={langs}>
                  {s.schoolName}
                </Fact>
                {s.guardian ? (
                  <Fact label={labels.guardian} langs={langs} className="link-slip-guardian">
                    {s.guardian}
                  </Fact>
                ) : null}
                <Fact label={labels.expires} langs={langs}>
                  {s.expires}
                </Fact>
              </dl>
              <p className="link-slip-code-label">
                <Lines lines={labels.code} langs={langs} />
              </p>
              <p className="link-slip-code" translate="no">
                {s.code}
              </p>
              <SlipSteps className="link-slip-steps" steps={sheet.steps} langs={langs} />
            </li>
          ))}
        </ol>
      ))}
    </SlipsPanel>
  );
}
