import { useTranslation } from "react-i18next";

/** 家长已阅 for teachers: the names (already joined in the page's locale on the server), or nothing. */
export function Acknowledgers({ ns, names }: { ns: "grading" | "classSpace"; names: string | null }) {
  const { t } = useTranslation(ns);
  if (!names) return null;
  return <p className="meta acknowledgers">{t(`${ns}:acknowledgedBy`, { names })}</p>;
}
