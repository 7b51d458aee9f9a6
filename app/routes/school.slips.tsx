import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { ActivationSlips, slipSheet } from "~/components/ActivationSlips";
import { FormAlert, TextField } from "~/components/FormBits";
import { ValidationError } from "~/domain/errors.server";
import { reissueSlips, slipChoices, type SlipTarget } from "~/domain/rosters.server";
import { i18next } from "~/i18next.server";
import { field, formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/roster.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = requireActor(request);
  return orErrorPage(async () => ({ title: await pageTitle(request, "roster:slips.title"), choices: slipChoices(actor) }));
}

const slipRequest = z.discriminatedUnion("target", [
  z.object({ target: z.literal("class"), classId: z.string().min(1, "roster:slips.chooseClass") }),
  z.object({ target: z.literal("waiting") }),
  z.object({ target: z.literal("person"), loginName: z.string().trim().min(1, "roster:slips.loginRequired").max(64, "roster:slips.loginRequired") }),
]);

export async function action({ request }: ActionFunctionArgs) {
  const actor = requireActor(request);
  const form = await request.formData();
  const values = { target: field(form, "target") || "class", classId: field(form, "classId"), loginName: field(form, "loginName") };
  try {
    const parsed = slipRequest.safeParse(values);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const name = String(issue?.path[0] ?? "target");
      throw new ValidationError({ [name === "target" ? "classId" : name]: { key: issue?.message.startsWith("roster:") ? issue.message : "roster:slips.chooseClass" } });
    }
    const target: SlipTarget =
      parsed.data.target === "class" ? { kind: "class", classId: parsed.data.classId } : parsed.data.target === "person" ? { kind: "person", loginName: parsed.data.loginName } : { kind: "waiting" };
    const batch = reissueSlips(actor, target);
    const t = await i18next.getFixedT(batch.school.defaultLocale, "roster");
    const url = new URL(request.url);
    return { sheet: slipSheet(batch, t, `${url.protocol}//${url.host}`), values, formError: null, fieldErrors: {} };
  } catch (error) {
    return formFailure(error, values);
  }
}

export default function Slips() {
  const { choices } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const { t } = useTranslation("roster");
  const values = answer?.values;
  const target = values?.target ?? "class";
  const fieldErrors: Record<string, { key: string; params?: Record<string, unknown> } | undefined> = answer?.fieldErrors ?? {};
  const sheet = answer && "sheet" in answer ? answer.sheet : null;
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
          <button type="submit" className="primary">
            {t("slips.submit")}
          </button>
        </Form>
      </section>
      {sheet ? (
        sheet.slips.length ? (
          <ActivationSlips sheet={sheet} />
        ) : (
          <p className="notice no-print" role="status">
            {t("slips.none")}
          </p>
        )
      ) : null}
    </>
  );
}
