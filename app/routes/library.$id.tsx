import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormAlert, SelectField, TextAreaField } from "~/components/FormBits";
import { descriptionLine } from "~/components/LibraryLabels";
import { resourcePage } from "~/domain/library/resources.server";
import { CHECKLIST, decideListing, decisionFormValues, markQuality, recommendUp } from "~/domain/library/reviews.server";
import { commentOnResource, rateResource } from "~/domain/library/ratings.server";
import { copyIntoLessonChoices, copyIntoLesson } from "~/domain/library-use/using.server";
import { withdrawResource } from "~/domain/library-use/offering.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { formatDateTime, formatNumber } from "~/lib/format";
import type { RouteHandle } from "~/i18n";
import { field, formFailure, orErrorPage, requireActor } from "~/lib/http.server";
import spaceCss from "~/styles/class-space.css?url";
import cssUrl from "~/styles/library.css?url";

// A reviewer's comments and a teacher's comment are kept as browser drafts until sent (a dropped link loses nothing).
export const handle: RouteHandle = { drafts: true };
export const links: LinksFunction = () => [{ rel: "stylesheet", href: spaceCss }, { rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

const DONE = ["offered", "revised", "decided", "rated", "commented", "withdrawn"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const url = new URL(request.url);
  const lng = await resolveLocale(request, actor);
  const page = await orErrorPage(async () => resourcePage(actor, params.id ?? "", { versionId: url.searchParams.get("version") }));
  const choices = page.mayUse ? await orErrorPage(async () => copyIntoLessonChoices(actor, page.id)) : null;
  const done = DONE.find((d) => d === url.searchParams.get("done")) ?? null;
  return {
    title: page.version.title,
    done,
    page: {
      ...page,
      version: { ...page.version, files: page.version.files.map((f) => ({ ...f, sizeText: formatNumber(Math.max(1, Math.round(f.size / 1024)), lng) })) },
      reviews: page.reviews.map((r) => ({ ...r, time: formatDateTime(r.at, lng) })),
      comments: page.comments.map((c) => ({ ...c, time: formatDateTime(c.at, lng) })),
      ratingText: page.rating.average === null ? null : formatNumber(page.rating.average, lng),
    },
    choices,
    checklist: CHECKLIST,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const id = params.id ?? "";
  const form = await request.formData();
  const intent = field(form, "intent");
  const listingId = field(form, "listingId");
  const back = (done: (typeof DONE)[number]) => redirect(`/library/${id}?done=${done}`);
  const values = { intent, listingId, ...decisionFormValues({ get: (k) => field(form, k), getAll: (k) => form.getAll(k).map(String) }), lessonId: field(form, "lessonId"), classIds: form.getAll("classIds").map(String), stars: field(form, "stars"), body: field(form, "body") };
  try {
    switch (intent) {
      case "withdraw":
        await withdrawResource(actor, id);
        return back("withdrawn");
      case "decide":
        await decideListing(actor, listingId, values);
        return back("decided");
      case "quality":
      case "unquality":
        await markQuality(actor, listingId, intent === "quality");
        return back("decided");
      case "recommend":
        await recommendUp(actor, listingId);
        return back("decided");
      case "use": {
        const { lessonId } = await copyIntoLesson(actor, id, { lessonId: values.lessonId || "new", classIds: values.classIds });
        return redirect(`/lessons/${lessonId}?done=${values.classIds.length ? "published" : "fromLibrary"}`);
      }
      case "rate":
        await rateResource(actor, id, values.stars);
        return back("rated");
      case "comment":
        await commentOnResource(actor, id, values.body);
        return back("commented");
      default:
        return redirect(`/library/${id}`);
    }
  } catch (error) {
    return formFailure(error, values);
  }
}

type Failure = ReturnType<typeof useActionData<typeof action>>;
const failureOf = (failure: Failure, intent: string, listingId = "") => (failure && failure.values.intent === intent && failure.values.listingId === listingId ? failure : undefined);

/** One resource: its content and files; for its author where it stands; for reviewers the decision; for readers use, rating and comments. */
export default function LibraryResource() {
  const { page, choices, done, checklist } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("library");
  const v = page.version;
  return (
    <>
      {done ? (
        <p className="notice" role="status">
          {t(`done.${done}`)}
        </p>
      ) : null}
      <article className="panel" aria-labelledby="resource-title">
        <p className="meta">
          <a href="/library">{t("title")}</a>
        </p>
        <h1 id="resource-title" lang={v.lang ?? undefined}>
          {v.title}
          {page.listings.some((l) => l.quality) ? <span className="badge">{t("quality")}</span> : null}
        </h1>
        {page.withdrawn ? <p className="alert">{t("withdrawnNotice")}</p> : null}
        {/* A decision sent from a page opened before the author withdrew it: its form is gone, its answer shows here. */}
        {page.withdrawn ? <FormAlert problem={failure?.formError} /> : null}
        <p className="meta">
          {t("byline", { name: page.author.realName, school: page.author.schoolName ?? "" })} · {t("version", { n: v.number })}
        </p>
        <p className="meta">
          {descriptionLine(t, v)} · {t(`licences.${v.licence}`)}
        </p>
        {v.note ? <p className="meta">{t("versionNote", { note: v.note })}</p> : null}
        {/* Sanitized on the server when saved (richtext.server's allowlist). */}
        <div className="rich-text" dangerouslySetInnerHTML={{ __html: v.bodyHtml }} />
        {v.files.length ? (
          <>
            <h2>{t("files")}</h2>
            <ul className="file-list">
              {v.files.map((f) => (
                <li key={f.id}>
                  <a href={f.url}>{f.name}</a> <span className="meta">{t("sizeKb", { size: f.sizeText })}</span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <p className="meta">
          {page.ratingText === null ? t("noRating") : t("rating", { rating: page.ratingText, count: page.rating.count })} · {t("usesTotal", { count: page.uses.total })}
        </p>
      </article>

      {page.isAuthor || page.listings.some((l) => l.mayReview) ? (
        <section className="panel" aria-labelledby="listings-title">
          <h2 id="listings-title">{t("listingsTitle")}</h2>
          <ul className="publications">
            {page.listings.map((l) => (
              <li key={l.id}>
                {t("libraryOf", { name: l.regionName })}
                <span className={`badge state-${l.state}`}>{t(`states.${l.state}`)}</span>
                {l.quality ? <span className="badge">{t("quality")}</span> : null}
                {l.admittedNumber !== null ? <span className="meta"> {t("listingShows", { n: l.admittedNumber })}</span> : null}
                {l.recommendedFrom ? <span className="meta"> · {t("recommendedFrom")}</span> : null}
              </li>
            ))}
          </ul>
          {page.isAuthor && !page.withdrawn ? (
            <div className="library-actions">
              <a href={`/library/${page.id}/revise`}>{t("newVersion")}</a>
              <Form method="post">
                <button type="submit" name="intent" value="withdraw" className="quiet danger">
                  {t("withdraw")}
                </button>
              </Form>
            </div>
          ) : null}
          {page.isAuthor && !page.withdrawn ? <p className="hint">{t("withdrawHint")}</p> : null}
          {page.isAuthor ? (
            <>
              <h3>{t("usesTitle")}</h3>
              {page.uses.bySchool.length === 0 ? <p>{t("noUses")}</p> : null}
              <ul>
                {page.uses.bySchool.map((u) => (
                  <li key={u.schoolName}>{t("usesBySchool", { school: u.schoolName, count: u.uses })}</li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}

      {page.listings
        .filter((l) => l.mayReview && !page.withdrawn)
        .map((l) => {
          const mine = failureOf(failure, "decide", l.id) ?? failureOf(failure, "quality", l.id) ?? failureOf(failure, "unquality", l.id) ?? failureOf(failure, "recommend", l.id);
          const ticked = new Set(mine?.values.checklist ?? []);
          return (
            <section key={l.id} className="panel review-form" aria-labelledby={`review-${l.id}`}>
              <h2 id={`review-${l.id}`}>{t("reviewTitle", { library: t("libraryOf", { name: l.regionName }) })}</h2>
              <FormAlert problem={mine?.formError} />
              {l.state === "pending" ? (
                <Form method="post" noValidate data-draft={`review-${l.id}`}>
                  <p className="meta">{t("reviewRound", { n: l.versionNumber })}</p>
                  <input type="hidden" name="listingId" value={l.id} />
                  <input type="hidden" name="round" value={l.round} />
                  <fieldset className={mine?.fieldErrors.checklist ? "field has-error" : "field"}>
                    <legend>{t("checklistLegend")}</legend>
                    {checklist.map((c) => (
                      <label key={c} className="check">
                        <input type="checkbox" name="checklist" value={c} defaultChecked={ticked.has(c)} /> {t(`checklist.${c}`)}
                      </label>
                    ))}
                    {mine?.fieldErrors.checklist ? <p className="error">{t(mine.fieldErrors.checklist.key)}</p> : null}
                  </fieldset>
                  <SelectField name="decision" id={`f-decision-${l.id}`} label={t("fieldDecision")} defaultValue={mine?.values.decision ?? ""} error={mine?.fieldErrors.decision}>
                    <option value="">—</option>
                    {(["admit", "return", "refuse"] as const).map((d) => (
                      <option key={d} value={d}>
                        {t(`decisions.${d}`)}
                      </option>
                    ))}
                  </SelectField>
                  <TextAreaField name="comment" id={`f-comment-${l.id}`} label={t("fieldComment")} hint={t("fieldCommentHint")} defaultValue={mine?.values.comment ?? ""} rows={4} maxLength={2000} error={mine?.fieldErrors.comment} />
                  <button type="submit" name="intent" value="decide" className="primary">
                    {t("decide")}
                  </button>
                </Form>
              ) : (
                <p>
                  <span className={`badge state-${l.state}`}>{t(`states.${l.state}`)}</span>
                </p>
              )}
              {l.admittedNumber !== null ? (
                <div className="library-actions">
                  <Form method="post">
                    <input type="hidden" name="listingId" value={l.id} />
                    <button type="submit" name="intent" value={l.quality ? "unquality" : "quality"} className="quiet">
                      {t(l.quality ? "unmarkQuality" : "markQuality")}
                    </button>
                  </Form>
                  {l.parent ? (
                    <Form method="post">
                      <input type="hidden" name="listingId" value={l.id} />
                      <button type="submit" name="intent" value="recommend" className="quiet">
                        {t("recommendTo", { name: l.parent.name })}
                      </button>
                    </Form>
                  ) : null}
                </div>
              ) : null}
            </section>
          );
        })}

      {page.reviews.length ? (
        <section className="panel" aria-labelledby="reviews-title">
          <h2 id="reviews-title">{t("reviewsTitle")}</h2>
          <ul className="stream">
            {page.reviews.map((r, i) => (
              <li key={i}>
                <p className="meta">
                  {t("reviewLine", { reviewer: r.reviewer, library: r.regionName, version: r.versionNumber, decision: t(`decisions.${r.decision}`) })} · {r.time}
                </p>
                {r.comment ? <p lang={r.lang ?? undefined}>{r.comment}</p> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {choices ? (
        <section className="panel" aria-labelledby="use-title">
          <h2 id="use-title">{t("useTitle")}</h2>
          <Form method="post" noValidate>
            <FormAlert problem={failureOf(failure, "use")?.formError} />
            <SelectField name="lessonId" label={t("useInto")} defaultValue={failureOf(failure, "use")?.values.lessonId ?? "new"} error={failureOf(failure, "use")?.fieldErrors.lessonId}>
              <option value="new">{t("newLesson")}</option>
              {choices.lessons.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.title}
                </option>
              ))}
            </SelectField>
            <fieldset className={failureOf(failure, "use")?.fieldErrors.classIds ? "field has-error" : "field"}>
              <legend>{t("publishTo")}</legend>
              {choices.classes.length === 0 ? <p>{t("noClasses")}</p> : null}
              {choices.classes.map((k) => (
                <label key={k.id} className="check">
                  <input type="checkbox" name="classIds" value={k.id} defaultChecked={failureOf(failure, "use")?.values.classIds.includes(k.id)} /> {k.name}
                </label>
              ))}
              {failureOf(failure, "use")?.fieldErrors.classIds ? <p className="error">{t(failureOf(failure, "use")!.fieldErrors.classIds!.key)}</p> : null}
            </fieldset>
            <button type="submit" name="intent" value="use" className="primary">
              {t("use")}
            </button>
          </Form>
        </section>
      ) : null}

      {choices ? (
        <section className="panel" aria-labelledby="rate-title">
          <h2 id="rate-title">{t("rateTitle")}</h2>
          {page.rating.mine !== null ? <p>{t("yourRating", { count: page.rating.mine })}</p> : null}
          <Form method="post">
            <FormAlert problem={failureOf(failure, "rate")?.formError ?? (failureOf(failure, "rate")?.fieldErrors.stars ? failureOf(failure, "rate")!.fieldErrors.stars : undefined)} />
            <fieldset className="stars">
              <legend className="visually-hidden">{t("rateTitle")}</legend>
              {[1, 2, 3, 4, 5].map((n) => (
                <label key={n}>
                  <input type="radio" name="stars" value={n} defaultChecked={page.rating.mine === n} /> {t("stars", { count: n })}
                </label>
              ))}
            </fieldset>
            <button type="submit" name="intent" value="rate" className="quiet">
              {t("rate")}
            </button>
          </Form>
        </section>
      ) : null}

      {choices || page.isAuthor || page.comments.length ? (
        <section className="panel" aria-labelledby="comments-title">
          <h2 id="comments-title">{t("commentsTitle")}</h2>
          {page.comments.length === 0 ? <p>{t("noComments")}</p> : null}
          <ul className="stream">
            {page.comments.map((c) => (
              <li key={c.id}>
                <p className="meta">
                  {t("byline", { name: c.author, school: c.schoolName ?? "" })} · {c.time}
                </p>
                <p lang={c.lang ?? undefined}>{c.body}</p>
              </li>
            ))}
          </ul>
          {choices || page.isAuthor ? (
            <Form method="post" noValidate data-draft="library-comment">
              <TextAreaField name="body" id="f-comment-body" label={t("commentField")} defaultValue={failureOf(failure, "comment")?.values.body ?? ""} rows={3} maxLength={1000} error={failureOf(failure, "comment")?.fieldErrors.comment} />
              <button type="submit" name="intent" value="comment" className="quiet">
                {t("postComment")}
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}
    </>
  );
}

