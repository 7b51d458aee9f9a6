import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormAlert } from "~/components/FormBits";
import { LinkCodeSlips, linkSlipSheet } from "~/components/LinkCodeSlips";
import { issueLinkCodes, LINK_CODE_TTL_MS, linkCodeChoices } from "~/domain/guardian-links.server";
import { resolveLocale } from "~/domain/locale.server";
import { isLng } from "~/i18n";
import { i18next } from "~/i18next.server";
import { formatDate, formatNumber } from "~/lib/format";
import { formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/guardian-links.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = requireActor(request);
  const lng = resolveLocale(request, actor);
  const title = await pageTitle(request, "guardianLinks:slips.title");
  return orErrorPage(() => {
    const choices = linkCodeChoices(actor, params.id ?? "");
    return {
      title: `${choices.klass.name} · ${title}`,
      klass: choices.klass,
      schoolName: choices.schoolName,
      days: formatNumber(LINK_CODE_TTL_MS / 86_400_000, lng),
      students: choices.students.map((s) => ({
        id: s.id,
        realName: s.realName,
        guardians: s.guardians,
        guardiansText: formatNumber(s.guardians, lng),
        openUntil: s.openCodeExpiresAt ? formatDate(s.openCodeExpiresAt, lng) : null,
      })),
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = requireActor(request);
  const form = await request.formData();
  const studentIds = form.getAll("student").filter((v): v is string => typeof v === "string");
  try {
    const slips = issueLinkCodes(actor, params.id ?? "", studentIds);
    // Slips speak the school's language, like activation slips: a Tibetan school's parents read Tibetan.
    const schoolLng = slips[0] && isLng(slips[0].school.defaultLocale) ? slips[0].school.defaultLocale : resolveLocale(request, actor);
    const t = await i18next.getFixedT(schoolLng, "guardianLinks");
    const url = new URL(request.url);
    return { sheet: linkSlipSheet(slips, schoolLng, t, `${url.protocol}//${url.host}/parent/join`), values: { studentIds }, formError: null, fieldErrors: {} };
  } catch (error) {
    return formFailure(error, { studentIds });
  }
}

/** The class's teachers (and the school's admins) choose students and print link-code slips for their parents. */
export default function LinkCodes() {
  const { klass, schoolName, students, days } = useLoaderData<typeof loader>();
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
              <button type="submit" className="primary">
                {t("slips.submit")}
              </button>
            </Form>
          </>
        )}
      </section>
      {sheet ? <LinkCodeSlips sheet={sheet} /> : null}
    </>
  );
}
