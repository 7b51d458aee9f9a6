import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormAlert, SelectField, TextField } from "~/components/FormBits";
import { appointReviewer, removeReviewer, reviewersView } from "~/domain/library/reviews.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { formatDate } from "~/lib/format";
import { field, formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import spaceCss from "~/styles/class-space.css?url";
import cssUrl from "~/styles/library.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: spaceCss }, { rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  const view = await orErrorPage(async () => reviewersView(actor));
  return {
    title: await pageTitle(request, "library:reviewersTitle"),
    libraries: view.libraries,
    reviewers: view.reviewers.map((r) => ({ ...r, sinceText: formatDate(r.since, lng) })),
    appointed: new URL(request.url).searchParams.get("done") === "appointed",
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const form = await request.formData();
  const values = { regionId: field(form, "regionId"), loginName: field(form, "loginName"), userId: field(form, "userId") };
  if (field(form, "intent") === "remove") {
    await orErrorPage(async () => removeReviewer(actor, values));
    return redirect("/region/reviewers");
  }
  try {
    await appointReviewer(actor, values);
    return redirect("/region/reviewers?done=appointed");
  } catch (error) {
    return formFailure(error, values);
  }
}

/** A region admin names the reviewers of the libraries in their area (teachers of its schools, or its staff). */
export default function LibraryReviewers() {
  const { libraries, reviewers, appointed } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("library");
  return (
    <>
      {appointed ? (
        <p className="notice" role="status">
          {t("done.appointed")}
        </p>
      ) : null}
      <section className="panel" aria-labelledby="reviewers-title">
        <h1 id="reviewers-title">{t("reviewersTitle")}</h1>
        <p>{t("reviewersIntro")}</p>
        {reviewers.length === 0 ? <p>{t("reviewersEmpty")}</p> : null}
        <ul className="publications">
          {reviewers.map((r) => (
            <li key={`${r.regionId}:${r.userId}`}>
              {t("libraryOf", { name: r.regionName })} · {t("reviewerLine", { name: r.realName, login: r.loginName, school: r.schoolName ?? "" })} · {r.sinceText}
              <Form method="post">
                <input type="hidden" name="regionId" value={r.regionId} />
                <input type="hidden" name="userId" value={r.userId} />
                <button type="submit" name="intent" value="remove" className="quiet danger">
                  {t("removeReviewer")}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      </section>
      <section className="panel narrow" aria-labelledby="appoint-title">
        <h2 id="appoint-title">{t("appointTitle")}</h2>
        <Form method="post" noValidate>
          <FormAlert problem={failure?.formError} />
          <SelectField name="regionId" label={t("fieldReviewLibrary")} defaultValue={failure?.values.regionId ?? libraries[0]?.id ?? ""} error={failure?.fieldErrors.regionId}>
            {libraries.map((l) => (
              <option key={l.id} value={l.id}>
                {t("libraryOf", { name: l.name })}
              </option>
            ))}
          </SelectField>
          <TextField name="loginName" label={t("fieldLoginName")} defaultValue={failure?.values.loginName ?? ""} autoComplete="off" error={failure?.fieldErrors.loginName} />
          <button type="submit" name="intent" value="appoint" className="primary">
            {t("appoint")}
          </button>
        </Form>
      </section>
    </>
  );
}
