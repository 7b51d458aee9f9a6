import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";

export type GuardianLinkRow = {
  linkId: string;
  guardianName: string;
  relationship: "mother" | "father" | "guardian";
  consentState: "none" | "given" | "refused" | "withdrawn";
  /** Formatted on the server. */
  since: string;
};

/**
 * Who is linked to a child as parent. With `removeIntent`, each row has a remove button posting
 * `intent=<removeIntent>&linkId=…` to the page's own action (the school admin's class page).
 */
export function GuardianLinkList({ guardians, removeIntent }: { guardians: GuardianLinkRow[]; removeIntent?: string }) {
  const { t } = useTranslation("guardianLinks");
  if (guardians.length === 0) return <span className="meta">{t("list.none")}</span>;
  return (
    <ul className="guardian-links">
      {guardians.map((g) => (
        <li key={g.linkId}>
          <span>
            {g.guardianName} <span className="meta">({t(`relationship.${g.relationship}`)} · {t(`consent.${g.consentState}`)} · {t("list.since", { date: g.since })})</span>
          </span>
          {removeIntent ? (
            <Form method="post" className="inline">
              <input type="hidden" name="intent" value={removeIntent} />
              <input type="hidden" name="linkId" value={g.linkId} />
              <button type="submit" className="secondary" aria-label={t("list.removeNamed", { name: g.guardianName })}>
                {t("list.remove")}
              </button>
            </Form>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
