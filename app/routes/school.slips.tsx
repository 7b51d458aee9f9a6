import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { ActivationSlips, SlipLayoutForm, slipLayoutOf, slipSheet } from "~/components/ActivationSlips";
import { FormAlert, TextField } from "~/components/FormBits";
import { LinkCodeSlips, linkSlipSheet } from "~/components/LinkCodeSlips";
import { SlipPager } from "~/components/SlipPager";
import { openActivationSlips } from "~/domain/accounts/accounts.server";
import { ValidationError } from "~/domain/foundation/errors.server";
import { issueGradeLinkCodes, linkCodeGrades, openLinkSlipsOfSchool } from "~/domain/families/guardian-links.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { reissueSlips, slipChoices, type SlipTarget } from "~/domain/provisioning/rosters.server";
import { formatNumber } from "~/lib/format";
import { field, formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import { slipPage, slipVoice } from "~/lib/slips.server";
import cssUrl from "~/styles/roster.css?url";
import guardianLinksCssUrl from "~/styles/guardian-links.css?url";
import slipsCssUrl from "~/styles/slips.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: cssUrl },
  { rel: "stylesheet", href: guardianLinksCssUrl },
  { rel: "stylesheet", href: slipsCssUrl },
];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const url = new URL(request.url);
  const lng = await resolveLocale(request, actor);
  const layout = slipLayoutOf(url.searchParams.get("layout"));
  const print = url.searchParams.get("print");
  return orErrorPage(async () => {
    // Codes still open are printed again from their sealed copies: nothing is lost to a reload or a language switch.
    const activation = await openActivationSlips(actor);
    const parents = await openLinkSlipsOfSchool(actor);
    const site = `${url.protocol}//${url.host}`;
    let reprint = null;
    if (print === "parents") {
      const shown = slipPage(parents, url);
      const parentSheet = shown.items.length ? linkSlipSheet(shown.items, await slipVoice(activation.school.defaultLocale, "guardianLinks"), `${site}/parent/join`, layout) : null;
      reprint = { print, page: shown.page, pages: shown.pages, activationSheet: null, parentSheet };
    } else if (print === "activation") {
      const shown = slipPage(activation.slips, url);
      const activationSheet = shown.items.length ? slipSheet({ school: activation.school, slips: shown.items }, await slipVoice(activation.school.defaultLocale, "roster"), site, layout) : null;
      reprint = { print, page: shown.page, pages: shown.pages, activationSheet, parentSheet: null };
    }
    return {
      title: await pageTitle(request, "roster:slips.title"),
      choices: await slipChoices(actor),
      grades: (await linkCodeGrades(actor)).map((grade) => ({ grade, text: formatNumber(grade, lng) })),
      open: { activation: formatNumber(activation.slips.length, lng), parents: formatNumber(parents.length, lng) },
      layout,
      reprint,
    };
  });
}

const slipRequest = z.discriminatedUnion("target", [
  z.object({ target: z.literal("class"), classId: z.string().min(1, "roster:slips.chooseClass") }),
  z.object({ target: z.literal("waiting") }),
  z.object({ target: z.literal("person"), loginName: z.string().trim().min(1, "roster:slips.loginRequired").max(64, "roster:slips.loginRequired") }),
]);

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const form = await request.formData();
  const values = { target: field(form, "target") || "class", classId: field(form, "classId"), loginName: field(form, "loginName"), grade: field(form, "grade") };
  const layout = slipLayoutOf(field(form, "layout"));
  const url = new URL(request.url);
  try {
    if (field(form, "intent") === "grade") {
      const grade = Number.parseInt(values.grade, 10);
      if (!Number.isInteger(grade)) throw new ValidationError({ grade: { key: "guardianLinks:errors.chooseGrade" } });
      const slips = await issueGradeLinkCodes(actor, grade);
      const voice = await slipVoice(slips[0]?.school.defaultLocale ?? "zh-Hans", "guardianLinks");
      return { sheet: null, linkSheet: linkSlipSheet(slips, voice, `${url.protocol}//${url.host}/parent/join`, layout), values, formError: null, fieldErrors: {} };
    }
    const parsed = slipRequest.safeParse(values);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const name = String(issue?.path[0] ?? "target");
      throw new ValidationError({ [name === "target" ? "classId" : name]: { key: issue?.message.startsWith("roster:") ? issue.message : "roster:slips.chooseClass" } });
    }
    const target: SlipTarget =
      parsed.data.target === "class" ? { kind: "class", classId: parsed.data.classId } : parsed.data.target === "person" ? { kind: "person", loginName: parsed.data.loginName } : { kind: "waiting" };
    const batch = await reissueSlips(actor, target);
    return { sheet: slipSheet(batch, await slipVoice(batch.school.defaultLocale, "roster"), `${url.protocol}//${url.host}`, layout), linkSheet: null, values, formError: null, fieldErrors: {} };
  } catch (error) {
    return formFailure(error, values);
  }
}

export default function Slips() {
  const { choices, grades, open, layout, reprint } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useTranslation("roster");
  const values = answer?.values;
  const target = values?.target ?? "class";
  const fieldErrors: Record<string, { key: string; params?: Record<string, unknown> } | undefined> = answer?.fieldErrors ?? {};
  const sheet = answer && "sheet" in answer ? answer.sheet : null;
  const linkSheet = answer && "linkSheet" in answer ? answer.linkSheet : null;
  const again = (
    <p className="notice" role="status">
      {t("slips.againNotice")}
    </p>
  );
  const printLink = (print: string) => `/school/slips?print=${print}${layout === "eight" ? "&layout=8" : ""}`;
  return (
    <>
      <section className="panel no-print" aria-labelledby="slips-form-title">
        <h1 id="slips-form-title">{t("slips.title")}</h1>
        <p>{t("slips.intro")}</p>
        <p className="roster-links">
          <a href="/school/roster">{t("nav.roster")}</a>
        </p>
        <FormAlert problem={answer?.formError} />
        <Form method="post" noValidate className="slips-form">
          <fieldset>
            <legend>{t("slips.target")}</legend>
            <div className="choice">
              <input type="radio" id="t-class" name="target" value="class" defaultChecked={target === "class"} />
              <label htmlFor="t-class">{t("slips.targetClass")}</label>
            </div>
            <div className={fieldErrors.classId ? "field nested has-error" : "field nested"}>
              <label htmlFor="f-classId">{t("slips.classLabel")}</label>
              <select id="f-classId" name="classId" defaultValue={values?.classId ?? ""} aria-describedby={fieldErrors.classId ? "f-classId-error" : undefined}>
                <option value="">—</option>
                {choices.classes.map((c) => (
                  <option key={c.id} value={c.id}>
                    {t("slips.classOption", { name: c.name, n: c.waiting })}
                  </option>
                ))}
              </select>
              {fieldErrors.classId ? (
                <p className="error" id="f-classId-error">
                  {t(fieldErrors.classId.key, fieldErrors.classId.params)}
                </p>
              ) : null}
            </div>
            <div className="choice">
              <input type="radio" id="t-waiting" name="target" value="waiting" defaultChecked={target === "waiting"} />
              <label htmlFor="t-waiting">{t("slips.targetWaiting", { n: choices.waiting })}</label>
            </div>
            <div className="choice">
              <input type="radio" id="t-person" name="target" value="person" defaultChecked={target === "person"} />
              <label htmlFor="t-person">{t("slips.targetPerson")}</label>
            </div>
            <div className="nested">
              <TextField
                name="loginName"
                label={t("slips.loginLabel")}
                autoCapitalize="none"
                spellCheck={false}
                defaultValue={values?.loginName}
                error={fieldErrors.loginName}
              />
            </div>
          </fieldset>
          <p className="choice">
            <input type="checkbox" id="f-layout" name="layout" value="8" defaultChecked={layout === "eight"} />
            <label htmlFor="f-layout">{t("slips.layoutEight")}</label>
          </p>
          <button type="submit" className="primary">
            {t("slips.submit")}
          </button>
        </Form>
      </section>
      <section className="panel no-print" aria-labelledby="grade-codes-title">
        <h2 id="grade-codes-title">{t("guardianLinks:slips.gradeTitle")}</h2>
        <p>{t("guardianLinks:slips.gradeIntro")}</p>
        <Form method="post" noValidate className="slips-form">
          <input type="hidden" name="intent" value="grade" />
          <div className={fieldErrors.grade ? "field has-error" : "field"}>
            <label htmlFor="f-grade">{t("guardianLinks:slips.gradeLabel")}</label>
            <select id="f-grade" name="grade" defaultValue={values?.grade ?? ""} aria-describedby={fieldErrors.grade ? "f-grade-error" : undefined}>
              <option value="">—</option>
              {grades.map((g) => (
                <option key={g.grade} value={g.grade}>
                  {t("guardianLinks:slips.gradeOption", { grade: g.text })}
                </option>
              ))}
            </select>
            {fieldErrors.grade ? (
              <p className="error" id="f-grade-error">
                {t(fieldErrors.grade.key, fieldErrors.grade.params)}
              </p>
            ) : null}
          </div>
          <p className="choice">
            <input type="checkbox" id="f-grade-layout" name="layout" value="8" defaultChecked={layout === "eight"} />
            <label htmlFor="f-grade-layout">{t("slips.layoutEight")}</label>
          </p>
          <button type="submit" className="primary">
            {t("guardianLinks:slips.gradeSubmit")}
          </button>
        </Form>
      </section>
      <section className="panel no-print" aria-labelledby="open-codes-title">
        <h2 id="open-codes-title">{t("slips.openTitle")}</h2>
        <ul className="slip-kinds">
          <li>
            <a href={printLink("activation")}>{t("slips.activationOpen", { n: open.activation })}</a>
          </li>
          <li>
            <a href={printLink("parents")}>{t("slips.parentsOpen", { n: open.parents })}</a>
          </li>
        </ul>
        {reprint ? <SlipLayoutForm layout={layout} hidden={{ print: reprint.print }} /> : null}
      </section>
      {linkSheet ? linkSheet.slips.length ? <LinkCodeSlips sheet={linkSheet} notice={again} /> : <p className="notice no-print" role="status">{t("guardianLinks:slips.gradeNone")}</p> : null}
      {!sheet && !linkSheet && reprint ? (
        <>
          {reprint.activationSheet ? <ActivationSlips sheet={reprint.activationSheet} notice={again} /> : null}
          {reprint.parentSheet ? <LinkCodeSlips sheet={reprint.parentSheet} notice={again} /> : null}
          {!reprint.activationSheet && !reprint.parentSheet ? <p className="notice no-print">{t("slips.noneOpen")}</p> : null}
          <SlipPager page={reprint.page} pages={reprint.pages} base={printLink(reprint.print)} />
        </>
      ) : null}
      {sheet ? (
        sheet.slips.length ? (
          <ActivationSlips sheet={sheet} notice={again} />
        ) : (
          <p className="notice no-print" role="status">
            {t("slips.none")}
          </p>
        )
      ) : null}
    </>
  );
}
