import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SlipPager } from "~/components/SlipPager";
import { FormAlert } from "~/components/FormBits";
import { SlipLayoutForm, slipLayoutOf } from "~/components/ActivationSlips";
import { disambiguatorText, LinkCodeSlips, linkSlipSheet } from "~/components/LinkCodeSlips";
import { issueLinkCodes, LINK_CODE_TTL_MS, linkCodeChoices, openLinkSlipsOfClass } from "~/domain/families/guardian-links.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { i18next } from "~/i18next.server";
import { formatDate, formatNumber } from "~/lib/format";
import { field, formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import { slipPage, slipVoice } from "~/lib/slips.server";
import cssUrl from "~/styles/guardian-links.css?url";
import slipsCssUrl from "~/styles/slips.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: cssUrl },
  { rel: "stylesheet", href: slipsCssUrl },
];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  const title = await pageTitle(request, "guardianLinks:slips.title");
  const t = await i18next.getFixedT(lng, "guardianLinks");
  const url = new URL(request.url);
  const layout = slipLayoutOf(url.searchParams.get("layout"));
  return orErrorPage(async () => {
    const choices = await linkCodeChoices(actor, params.id ?? "");
    // Codes still open are read again from the server, so a language switch (or a jammed printer) loses none.
    const open = await openLinkSlipsOfClass(actor, params.id ?? "");
    const shown = url.searchParams.get("print") === "open" ? slipPage(open, url) : null;
    const reprint = shown && shown.items.length ? { sheet: linkSlipSheet(shown.items, await slipVoice(shown.items[0]!.school.defaultLocale, "guardianLinks"), `${url.protocol}//${url.host}/parent/join`, layout), page: shown.page, pages: shown.pages } : null;
    return {
      openCount: formatNumber(open.length, lng),
      hasOpen: open.length > 0,
      layout,
      reprint,
      title: `${choices.klass.name} · ${title}`,
      klass: choices.klass,
      schoolName: choices.schoolName,
      days: formatNumber(LINK_CODE_TTL_MS / 86_400_000, lng),
      students: choices.students.map((s) => ({
        id: s.id,
        realName: s.realName,
        told: disambiguatorText(s.disambiguator, t, lng),
        guardians: s.guardians,
        guardiansText: formatNumber(s.guardians, lng),
        openUntil: s.openCodeExpiresAt ? formatDate(s.openCodeExpiresAt, lng) : null,
      })),
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const form = await request.formData();
  const studentIds = form.getAll("student").filter((v): v is string => typeof v === "string");
  try {
    const slips = await issueLinkCodes(actor, params.id ?? "", studentIds);
    // Slips speak the school's language and Chinese, like activation slips: a Tibetan school's parents read Tibetan.
    const voice = await slipVoice(slips[0]?.school.defaultLocale ?? await resolveLocale(request, actor), "guardianLinks");
    const url = new URL(request.url);
    return { sheet: linkSlipSheet(slips, voice, `${url.protocol}//${url.host}/parent/join`, slipLayoutOf(field(form, "layout"))), values: { studentIds }, formError: null, fieldErrors: {} };
  } catch (error) {
    return formFailure(error, { studentIds });
  }
}

/** The class's teachers (and the school's admins) choose students and print link-code slips for their parents. */
export default function LinkCodes() {
  const { klass, schoolName, students, days, openCount, hasOpen, layout, reprint } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useTranslation("guardianLinks");
  const sheet = answer && "sheet" in answer ? answer.sheet : null;
  const chosen = answer?.values.studentIds;
  const studentsError = answer?.fieldErrors && "students" in answer.fieldErrors ? answer.fieldErrors.students : null;
  return (
    <>
      <section className="panel no-print" aria-labelledby="link-codes-title">
        <p className="meta">
          <a href={`/classes/${klass.id}`}>{t("slips.backToClass")}</a>
        </p>
        <h1 id="link-codes-title">{t("slips.title")}</h1>
        <p className="meta">
          {klass.name} · {schoolName}
        </p>
        <p>{t("slips.intro", { days })}</p>
        {klass.archived ? (
          <p className="notice">{t("slips.archived")}</p>
        ) : students.length === 0 ? (
          <p>{t("slips.noStudents")}</p>
        ) : (
          <>
            <FormAlert problem={answer?.formError} />
            <Form method="post" noValidate className="link-code-form">
              <fieldset aria-describedby={studentsError ? "f-students-error" : undefined}>
                <legend>{t("slips.students")}</legend>
                {studentsError ? (
                  <p className="error" id="f-students-error">
                    {t(studentsError.key, studentsError.params)}
                  </p>
                ) : null}
                <ul className="link-code-students">
                  {students.map((s) => (
                    <li key={s.id}>
                      <input
                        type="checkbox"
                        id={`s-${s.id}`}
                        name="student"
                        value={s.id}
                        defaultChecked={chosen ? chosen.includes(s.id) : s.guardians === 0}
                      />
                      <label htmlFor={`s-${s.id}`}>
                        <strong>{s.realName}</strong>
                        {s.told ? <span className="told"> {s.told}</span> : null}
                        <span className="meta">
                          {" "}
                          · {s.guardians ? t("slips.guardians", { n: s.guardiansText }) : t("slips.noGuardian")}
                          {s.openUntil ? ` · ${t("slips.openCode", { date: s.openUntil })}` : null}
                        </span>
                      </label>
                    </li>
                  ))}
                </ul>
              </fieldset>
              <p className="choice">
                <input type="checkbox" id="f-layout" name="layout" value="8" defaultChecked={layout === "eight"} />
                <label htmlFor="f-layout">{t("roster:slips.layoutEight")}</label>
              </p>
              <button type="submit" className="primary">
                {t("slips.submit")}
              </button>
            </Form>
          </>
        )}
        {hasOpen ? (
          <p>
            <a href={`/classes/${klass.id}/link-codes?print=open${layout === "eight" ? "&layout=8" : ""}`}>{t("slips.printOpen", { n: openCount })}</a>
          </p>
        ) : null}
      </section>
      {sheet ? <LinkCodeSlips sheet={sheet} notice={<p className="notice" role="status">{t("slips.againNotice")}</p>} /> : null}
      {!sheet && reprint ? (
        <>
          <SlipLayoutForm layout={layout} hidden={{ print: "open" }} />
          <LinkCodeSlips sheet={reprint.sheet} notice={<p className="notice" role="status">{t("slips.againNotice")}</p>} />
          <SlipPager page={reprint.page} pages={reprint.pages} base={`/classes/${klass.id}/link-codes?print=open${layout === "eight" ? "&layout=8" : ""}`} />
        </>
      ) : null}
    </>
  );
}
