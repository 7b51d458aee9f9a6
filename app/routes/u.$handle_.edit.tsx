import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormAlert, TextAreaField } from "~/components/FormBits";
import { UploadProgressScript, uploadProgressLinks } from "~/components/UploadProgress";
import { receiveUploadForm } from "~/domain/uploads/files.server";
import { BIO_MAX, profileForEdit, updateProfile } from "~/domain/spaces/profiles.server";
import { formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/space.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }, ...uploadProgressLinks()];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const profile = await orErrorPage(async () => profileForEdit(actor, params.handle ?? ""));
  return { title: await pageTitle(request, "space:editTitle"), profile, bioMax: BIO_MAX };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const handle = params.handle ?? "";
  let bio = "";
  try {
    const { fields, files } = await receiveUploadForm(actor, request, { maxFiles: 1, accept: "image" });
    bio = fields.get("bio") ?? "";
    await updateProfile(actor, handle, { bio, avatarFileId: files.get("avatar")?.[0]?.id ?? null, removeAvatar: fields.get("removeAvatar") === "on" });
  } catch (error) {
    return formFailure(error, { bio });
  }
  return redirect(`/u/${actor.handle}`);
}

/** The owner's profile: a short plain-text bio and an avatar image. */
export default function EditProfile() {
  const { profile, bioMax } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("space");
  return (
    <section className="panel narrow" aria-labelledby="edit-title">
      <h1 id="edit-title">{t("editTitle")}</h1>
      <FormAlert problem={failure?.formError} />
      <form method="post" encType="multipart/form-data" data-upload-progress="" noValidate>
        <TextAreaField name="bio" label={t("bio")} hint={t("bioHint", { max: bioMax })} rows={4} maxLength={bioMax} defaultValue={failure?.values.bio ?? profile.bio} error={failure?.fieldErrors.bio} />
        <div className={failure?.fieldErrors.avatar ? "field has-error" : "field"}>
          <label htmlFor="f-avatar">{t("avatar")}</label>
          <p className="hint" id="f-avatar-hint">
            {t("avatarHint")}
          </p>
          {profile.avatarUrl ? <img className="avatar" src={profile.avatarUrl} alt={t("avatarOf", { name: profile.realName })} width={96} height={96} /> : null}
          <input
            id="f-avatar"
            name="avatar"
            type="file"
            accept="image/jpeg,image/png,image/gif,image/webp"
            aria-describedby={failure?.fieldErrors.avatar ? "f-avatar-hint f-avatar-error" : "f-avatar-hint"}
            aria-invalid={failure?.fieldErrors.avatar ? true : undefined}
          />
          {failure?.fieldErrors.avatar ? (
            <p className="error" id="f-avatar-error">
              {t(failure.fieldErrors.avatar.key, failure.fieldErrors.avatar.params)}
            </p>
          ) : null}
          {profile.avatarUrl ? (
            <label className="check">
              <input type="checkbox" name="removeAvatar" /> {t("removeAvatar")}
            </label>
          ) : null}
        </div>
        <button type="submit" className="primary">
          {t("save")}
        </button>
      </form>
      <UploadProgressScript />
    </section>
  );
}
