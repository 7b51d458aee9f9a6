import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormAlert } from "~/components/FormBits";
import { GroupFields } from "~/components/GroupForm";
import { discardDrafts, receiveUploadForm } from "~/domain/uploads/files.server";
import { createGroup, GROUP_DESCRIPTION_MAX, GROUP_JOIN_POLICIES, GROUP_NAME_MAX, GROUP_SUBJECT_MAX, groupFormValues, newGroupForm, type GroupForm } from "~/domain/groups/groups.server";
import { formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/groups.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

const EMPTY: GroupForm = { name: "", description: "", subject: "", kind: "", reach: "", regionId: "", joinPolicy: "" };

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const choices = await orErrorPage(async () => newGroupForm(actor));
  return { title: await pageTitle(request, "groups:form.newTitle"), choices: { ...choices, joinPolicies: GROUP_JOIN_POLICIES }, limits: { name: GROUP_NAME_MAX, description: GROUP_DESCRIPTION_MAX, subject: GROUP_SUBJECT_MAX } };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  // Refused people are turned away before a byte of the upload is stored.
  await orErrorPage(async () => newGroupForm(actor));
  let values = EMPTY;
  let coverIds: string[] = [];
  try {
    const { fields, files } = await receiveUploadForm(actor, request, { maxFiles: 1, accept: "image" });
    values = groupFormValues(fields);
    coverIds = (files.get("cover") ?? []).map((f) => f.id);
    const { id } = await createGroup(actor, fields, coverIds);
    return redirect(`/groups/${id}`);
  } catch (error) {
    // The cover must be chosen again (a file input cannot be refilled): its draft is not kept.
    if (coverIds.length) await discardDrafts(actor, coverIds);
    return formFailure(error, values);
  }
}

/** A teacher (or, where the school allows it, a student) makes a group and becomes its owner. */
export default function NewGroup() {
  const { choices, limits } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("groups");
  return (
    <section className="panel narrow" aria-labelledby="new-group-title">
      <h1 id="new-group-title">{t("form.newTitle")}</h1>
      <FormAlert problem={failure?.formError} />
      <form method="post" encType="multipart/form-data" className="group-form" noValidate>
        <GroupFields
          values={failure?.values ?? EMPTY}
          errors={failure?.fieldErrors ?? {}}
          choices={choices}
          limits={limits}
          submitLabel={t("form.create")}
        />
      </form>
    </section>
  );
}
