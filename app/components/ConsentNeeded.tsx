import { useTranslation } from "react-i18next";

/**
 * What a parent sees instead of an under-14 child's work while no guardian consent is on record: that
 * consent is needed, and that it can be given online now (not only on the school's paper form).
 */
export function ConsentNeeded({ childId, headingLevel = 2 }: { childId: string; headingLevel?: 2 | 3 }) {
  const { t } = useTranslation("progress");
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <div className="notice consent-needed" role="note">
      <Heading>{t("consentNeeded.title")}</Heading>
      <p>{t("consentNeeded.body")}</p>
      <p>{t("consentNeeded.how")}</p>
      <p>
        <a href={`/parent/children/${childId}/consent`}>{t("consentNeeded.link")}</a>
      </p>
    </div>
  );
}
