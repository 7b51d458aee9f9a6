import type { TFunction } from "i18next";
import { SlipsPanel, SlipSteps } from "~/components/ActivationSlips";
import type { LinkCodeSlip } from "~/domain/guardian-links.server";
import type { Lng } from "~/i18n";
import { formatDate } from "~/lib/format";

/** Everything a printed link-code slip says, already in the school's language (parents read it at home). */
export type LinkSlipSheet = {
  lang: Lng;
  labels: { heading: string; school: string; class: string; child: string; code: string; expires: string; steps: string[] };
  slips: { studentId: string; realName: string; className: string; schoolName: string; code: string; expires: string }[];
};

/** Built on the server, where Intl formats dates in bo and ii. */
export function linkSlipSheet(slips: LinkCodeSlip[], lang: Lng, t: TFunction, joinAddress: string): LinkSlipSheet {
  return {
    lang,
    labels: {
      heading: t("slip.heading"),
      school: t("slip.school"),
      class: t("slip.class"),
      child: t("slip.child"),
      code: t("slip.code"),
      expires: t("slip.expires"),
      steps: [t("slip.step1", { address: joinAddress }), t("slip.step2"), t("slip.step3")],
    },
    slips: slips.map((s) => ({
      studentId: s.student.id,
      realName: s.student.realName,
      className: s.class.name,
      schoolName: s.school.name,
      code: s.code,
      expires: formatDate(s.expiresAt, lang),
    })),
  };
}

/** One slip per child: name, class, school, the code in large type, expiry and where to use it. Print CSS keeps only these. */
export function LinkCodeSlips({ sheet }: { sheet: LinkSlipSheet }) {
  const { labels } = sheet;
  return (
    <SlipsPanel ns="guardianLinks" className="link-slips" count={sheet.slips.length} lang={sheet.lang}>
      {sheet.slips.map((s) => (
        <li className="link-slip" key={s.studentId}>
          <p className="link-slip-heading">{labels.heading}</p>
          <dl className="link-slip-facts">
            <dt>{labels.child}</dt>
            <dd className="link-slip-name">{s.realName}</dd>
            <dt>{labels.class}</dt>
            <dd>{s.className}</dd>
            <dt>{labels.school}</dt>
            <dd>{s.schoolName}</dd>
            <dt>{labels.expires}</dt>
            <dd>{s.expires}</dd>
          </dl>
          <p className="link-slip-code-label">{labels.code}</p>
          <p className="link-slip-code" translate="no">
            {s.code}
          </p>
          <SlipSteps className="link-slip-steps" steps={labels.steps} />
        </li>
      ))}
    </SlipsPanel>
  );
}
