import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormAlert } from "~/components/FormBits";
import { GroupFields } from "~/components/GroupForm";
import { discardDrafts, receiveUploadForm } from "~/domain/uploads/files.server";
import { GROUP_DESCRIPTION_MAX, GROUP_JOIN_POLICIES, GROUP_NAME_MAX, GROUP_SUBJECT_MAX, groupForEdit, groupFormValues, updateGroup, type GroupForm } from "~/domain/groups/groups.server";
import { i18next } from "~/i18next.server";
import { formFailure, orErrorPage, requireActor } from "~/lib/http.server";

// Inside the group's layout (head and tabs above): the owner's form, version-checked.
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const group = await orErrorPage(async () => groupForEdit(actor, params.id ?? ""));
  const t = await i18next.getFixedT(request);
  return {
    title: `${t("groups:form.editTitle")} · ${group.values.name} · ${t("common:appName")}`,
    group: { id: group.id, version: group.version, values: group.values, cover: group.cover?.isImage ? { url: group.cover.url, name: group.cover.name } : null },
    joinPolicies: GROUP_JOIN_POLICIES,
    limits: { name: GROUP_NAME_MAX, description: GROUP_DESCRIPTION_MAX, subject: GROUP_SUBJECT_MAX },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const groupId = params.id ?? "";
  // Only the owner reaches the upload.
  await orErrorPage(async () => groupForEdit(actor, groupId));
  let values: GroupForm | null = null;
  let coverIds: string[] = [];
  try {
    const { fields, files } = await receiveUploadForm(actor, request, { maxFiles: 1, accept: "image" });
    values = groupFormValues(fields);
    coverIds = (files.get("cover") ?? []).map((f) => f.id);
    await updateGroup(actor, groupId, fields, coverIds);
  } catch (error) {
    if (coverIds.length) await discardDrafts(actor, coverIds);
    return formFailure(error, values);
  }
  return redirect(`/groups/${groupId}`);
}

export default function EditGroup() {
  const { group, joinPolicies, limits } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("groups");
  return (
    <section className="panel" aria-labelledby="edit-group-title">
      <h2 id="edit-group-title">{t("form.editTitle")}</h2>
      <FormAlert problem={failure?.formError} />
      <form method="post" encType="multipart/form-data" className="group-form group-edit" noValidate>
        <input type="hidden" name="version" value={group.version} />
        <GroupFields
          values={failure?.values ?? group.values}
          errors={failure?.fieldErrors ?? {}}
          choices={{ kinds: [], reaches: [], regions: [], joinPolicies }}
          limits={limits}
          edit={{ cover: group.cover }}
          submitLabel={t("form.save")}
        />
      </form>
    </section>
  );
}
