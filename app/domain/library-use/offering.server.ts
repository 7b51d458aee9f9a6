// Offering to the region library: a teacher offers one of their lessons (its text and files) or a
// standalone resource to their county's, prefecture's or the province's library, described by stage,
// grade, subject, edition and unit, kind, language and licence. The author keeps the original: the
// library holds versions, each with its own copy of the files. Once offered, a resource changes only
// by a new version, which goes to review again in every library it is in (what a library admitted
// stays shown until then). Withdrawing hides it from search; lessons that copied it keep their copy.
import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import { db, schema, first } from "#db/client";
import type { Actor } from "../foundation/actor.server";
import { recordAudit } from "../foundation/audit.server";
import { NotFoundError, ValidationError, type FieldErrors } from "../foundation/errors.server";
import { randomId } from "../foundation/ids.server";
import { withoutDirectionControls } from "../foundation/plain-text.server";
import { plainTextOf, richTextFromForm } from "../foundation/richtext.server";
import { attachFiles, discardDrafts, filesOf, orDiscard, type StoredFile } from "../uploads/files.server";
import { copyFilesAsDrafts, pointingAtCopies } from "../downloads/file-reading.server";
import { catalogue, descriptionShape, gradeWithinStage, parseUnit, schoolYear, unitCode, type Catalogue, type Description } from "../library/catalogue.server";
import { bumpLibraryVersion, requireLibraryTeacher, resourceRow } from "../library/library-access.server";
import { searchFold } from "../groups/groups.server";
import { LESSON_TITLE_MAX, lessonForEdit } from "../classwork/lessons.server";

type Fields = { get(name: string): string | null | undefined };

export const RESOURCE_NOTE_MAX = 500;

export type OfferValues = Partial<Record<keyof Description | "unitBook" | "unitNumber" | "schoolYear", string>> & { title: string; body: string; bodyJson: unknown; regionId: string; lessonId: string; note: string };

export type OfferForm = {
  catalogue: Catalogue;
  /** The libraries the teacher may offer to: their county's, prefecture's and the province's. */
  libraries: { id: string; name: string; level: string }[];
  values: OfferValues;
  /** Files that come with it: the lesson's (offering a lesson) or the latest version's (a new version). */
  files: StoredFile[];
  /** For a new version: the resource and its latest version number. */
  revising: { id: string; number: number } | null;
};

const blank = (): OfferValues => ({ title: "", body: "", bodyJson: null, regionId: "", lessonId: "", note: "", licence: "platform_adapt" });

/** The offer form: empty, from one of the teacher's lessons, or (`resourceId`) a new version of their resource. */
export async function offerForm(actor: Actor, opts: { lessonId?: string | null; resourceId?: string | null } = {}): Promise<OfferForm> {
  const teacher = await requireLibraryTeacher(actor);
  const libraries = teacher.path.map((r) => ({ id: r.id, name: r.name, level: r.level }));
  let values = { ...blank(), regionId: libraries[0]?.id ?? "" };
  let files: StoredFile[] = [];
  let revising: OfferForm["revising"] = null;
  if (opts.resourceId) {
    const { resource, latest } = await ownResource(teacher.me.id, opts.resourceId);
    const d = latest;
    const unit = parseUnit(d.unit);
    values = { ...values, title: d.title, body: plainTextOf(d.bodyJson), bodyJson: d.bodyJson, kind: d.kind, stage: d.stage, grade: String(d.grade), schoolYear: String(schoolYear(d.stage, d.grade)), subject: d.subject, edition: d.edition, unitBook: unit?.book ?? "", unitNumber: unit ? String(unit.number) : "", language: d.language, licence: d.licence };
    files = await filesOf("library_version", d.id);
    revising = { id: resource.id, number: d.number };
  } else if (opts.lessonId) {
    const lesson = await lessonForEdit(teacher.me, opts.lessonId);
    values = { ...values, lessonId: lesson.id, ...lesson.values, kind: "lesson_plan", stage: teacher.stage };
    files = lesson.files;
  } else {
    values.stage = teacher.stage;
  }
  return { catalogue: catalogue(), libraries, values, files, revising };
}

/** The form's values as typed, for a form sent back with errors. */
export function offerFormValues(fields: Fields): OfferValues {
  let bodyJson: unknown = null;
  try {
    bodyJson = fields.get("bodyJson") ? JSON.parse(fields.get("bodyJson")!) : null;
  } catch {
    bodyJson = null;
  }
  const get = (k: string) => fields.get(k) ?? "";
  return {
    title: get("title"),
    body: get("body"),
    bodyJson,
    regionId: get("regionId"),
    lessonId: get("lessonId"),
    note: get("note"),
    kind: get("kind"),
    stage: get("stage"),
    grade: get("grade"),
    subject: get("subject"),
    edition: get("edition"),
    unit: get("unit"),
    schoolYear: get("schoolYear"),
    unitBook: get("unitBook"),
    unitNumber: get("unitNumber"),
    language: get("language"),
    licence: get("licence"),
  };
}

async function ownResource(userId: string, resourceId: string) {
  const resource = await resourceRow(resourceId);
  if (resource.authorId !== userId) throw new NotFoundError();
  const latest = await first(db().select().from(schema.libraryVersions).where(eq(schema.libraryVersions.resourceId, resourceId)).orderBy(desc(schema.libraryVersions.number)).limit(1));
  if (!latest) throw new NotFoundError();
  return { resource, latest };
}

const titleShape = z.string().overwrite(withoutDirectionControls).trim().min(1, "library:errors.titleRequired").max(LESSON_TITLE_MAX, "library:errors.titleTooLong");

/** Fields whose body names files by their old ids (a lesson's), read as naming their copies. */
function withFileIds(fields: Fields, copies: Map<string, string>): Fields {
  if (!copies.size) return fields;
  return {
    get(name: string) {
      const value = fields.get(name);
      return name === "bodyJson" && value ? pointingAtCopies(value, copies) : value;
    },
  };
}

/** The form names a unit by its book (上册 "a" / 下册 "b") and number; with the edition and grade that is its code. */
function unitOfForm(fields: Fields): string | undefined {
  const [edition, grade, book, number] = ["edition", "grade", "unitBook", "unitNumber"].map((k) => fields.get(k) ?? "");
  if (!edition || !/^\d$/.test(grade!) || (book !== "a" && book !== "b") || !/^\d$/.test(number!)) return undefined;
  return unitCode(edition!, Number(grade), book, Number(number));
}

/** Checks everything a version needs; `fileCount` is the files that come with it. */
function parseVersion(fields: Fields, fileCount: number): { title: string; body: ReturnType<typeof richTextFromForm>; description: Description; note: string } {
  const errors: FieldErrors = {};
  const title = titleShape.safeParse(fields.get("title") ?? "");
  if (!title.success) errors.title = { key: title.error.issues[0]?.message ?? "errors:invalidInput" };
  let body: ReturnType<typeof richTextFromForm> | undefined;
  try {
    body = richTextFromForm(fields, "body");
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    Object.assign(errors, error.fields);
  }
  if (body && !body.text.trim() && !body.fileIds.length && !fileCount) errors.body = { key: "library:errors.emptyResource" };
  const raw: Record<string, string | undefined> = Object.fromEntries(["kind", "stage", "grade", "subject", "edition", "unit", "language", "licence"].map((k) => [k, fields.get(k) || undefined]));
  // The form asks for the school year (七年级 = 7); the description keeps the year within the stage.
  if (!raw.grade && raw.stage && /^\d{1,2}$/.test(fields.get("schoolYear") ?? "")) raw.grade = String(gradeWithinStage(raw.stage, Number(fields.get("schoolYear"))));
  raw.unit ??= unitOfForm({ get: (k: string) => (k === "grade" ? raw.grade : fields.get(k)) });
  const description = descriptionShape.safeParse(raw);
  if (!description.success) for (const issue of description.error.issues) errors[String(issue.path[0])] ??= { key: issue.message.startsWith("library:") ? issue.message : "errors:invalidInput" };
  const note = withoutDirectionControls(fields.get("note") ?? "").trim();
  if (note.length > RESOURCE_NOTE_MAX) errors.note = { key: "library:errors.noteTooLong" };
  if (Object.keys(errors).length || !title.success || !body || !description.success) throw new ValidationError(errors);
  return { title: title.data, body, description: description.data, note };
}

/**
 * Offers a resource to one library on the teacher's path. With `lessonId` (their own lesson) the
 * lesson's files come too, as the library's own copies. Uploaded files are attached to the version.
 */
export async function offerResource(actor: Actor, fields: Fields, uploadedFileIds: string[] = []): Promise<{ id: string }> {
  return orDiscard(actor, uploadedFileIds, async () => {
    const teacher = await requireLibraryTeacher(actor);
    const me = teacher.me;
    const regionId = fields.get("regionId") ?? "";
    const regionError = teacher.path.some((r) => r.id === regionId) ? null : { regionId: { key: "library:errors.libraryNotYours" } };
    const lessonId = fields.get("lessonId") || null;
    // Their own lesson (another's reads as "not found"), its files to come along.
    const lessonFiles = lessonId ? (await lessonForEdit(me, lessonId)).files : [];
    let parsed;
    try {
      parsed = parseVersion(fields, uploadedFileIds.length + lessonFiles.length);
    } catch (error) {
      if (error instanceof ValidationError && regionError) Object.assign(error.fields, regionError);
      throw error;
    }
    if (regionError) throw new ValidationError(regionError);
    // The library's own copies of the lesson's files: the lesson may change or go; the version does not.
    const copies = lessonFiles.length ? await copyFilesAsDrafts(me, lessonFiles.map((f) => f.id)) : new Map<string, string>();
    const { title, body, description, note } = copies.size ? parseVersion(withFileIds(fields, copies), uploadedFileIds.length + lessonFiles.length) : parsed;
    const id = randomId();
    const versionId = randomId();
    try {
      await db().transaction(
        async (tx) => {
          await tx.insert(schema.libraryResources).values({ id, authorId: me.id, schoolId: teacher.schoolId, sourceLessonId: lessonId, latestVersionId: versionId });
          await tx.insert(schema.libraryVersions).values({ id: versionId, resourceId: id, number: 1, title, searchText: searchFold(title), bodyJson: body.doc, bodyHtml: body.html, note, ...description });
          const attach = [...new Set([...copies.values(), ...uploadedFileIds, ...body.fileIds])];
          if (attach.length) await attachFiles(tx, me, attach, { type: "library_version", id: versionId });
          await tx.insert(schema.libraryListings).values({ id: randomId(), resourceId: id, regionId, versionId });
          await recordAudit({ actorId: me.id, action: "library.offer", targetType: "library_resource", targetId: id, schoolId: teacher.schoolId, detail: { regionId, library: teacher.path.find((r) => r.id === regionId)?.name ?? "", versionId } }, tx);
        },
        { behavior: "immediate" },
      );
    } catch (error) {
      await discardDrafts(me, [...copies.values()]);
      throw error;
    }
    return { id };
  });
}

/**
 * A new version of the author's resource. Files of the latest version come with it (as new copies)
 * unless named `removeFile.<id>` = "on"; uploaded ones are added. Every library it is in reviews it again.
 */
export async function reviseResource(actor: Actor, resourceId: string, fields: Fields, uploadedFileIds: string[] = []): Promise<{ versionId: string }> {
  return orDiscard(actor, uploadedFileIds, async () => {
    const teacher = await requireLibraryTeacher(actor);
    const me = teacher.me;
    const { resource, latest } = await ownResource(me.id, resourceId);
    if (resource.withdrawnAt) throw new ValidationError({}, "library:errors.withdrawn");
    const kept = (await filesOf("library_version", latest.id)).filter((f) => fields.get(`removeFile.${f.id}`) !== "on");
    parseVersion(fields, uploadedFileIds.length + kept.length);
    const copies = kept.length ? await copyFilesAsDrafts(me, kept.map((f) => f.id)) : new Map<string, string>();
    const { title, body, description, note } = parseVersion(withFileIds(fields, copies), uploadedFileIds.length + kept.length);
    const versionId = randomId();
    try {
      await db().transaction(
        async (tx) => {
          const newest = (await tx.select({ number: schema.libraryVersions.number }).from(schema.libraryVersions).where(eq(schema.libraryVersions.resourceId, resourceId)).orderBy(desc(schema.libraryVersions.number)).limit(1))[0];
          if (newest && newest.number !== latest.number) throw new ValidationError({}, "library:errors.versionConflict");
          await tx.insert(schema.libraryVersions).values({ id: versionId, resourceId, number: latest.number + 1, title, searchText: searchFold(title), bodyJson: body.doc, bodyHtml: body.html, note, ...description });
          const attach = [...new Set([...copies.values(), ...uploadedFileIds, ...body.fileIds])];
          if (attach.length) await attachFiles(tx, me, attach, { type: "library_version", id: versionId });
          await tx.update(schema.libraryResources).set({ latestVersionId: versionId }).where(eq(schema.libraryResources.id, resourceId));
          const listings = await tx.select().from(schema.libraryListings).where(eq(schema.libraryListings.resourceId, resourceId));
          for (const l of listings) await tx.update(schema.libraryListings).set({ state: "pending", versionId, round: l.round + 1 }).where(eq(schema.libraryListings.id, l.id));
          await recordAudit({ actorId: me.id, action: "library.revise", targetType: "library_resource", targetId: resourceId, schoolId: resource.schoolId, detail: { regionId: listings[0]?.regionId ?? null, versionId, number: latest.number + 1 } }, tx);
        },
        { behavior: "immediate" },
      );
    } catch (error) {
      await discardDrafts(me, [...copies.values()]);
      throw error;
    }
    return { versionId };
  });
}

/** Takes the resource out of every library's search; lessons that copied it keep their copies. */
export async function withdrawResource(actor: Actor, resourceId: string, now = Date.now()): Promise<void> {
  const teacher = await requireLibraryTeacher(actor);
  const { resource } = await ownResource(teacher.me.id, resourceId);
  if (resource.withdrawnAt) return;
  await db().transaction(
    async (tx) => {
      await tx.update(schema.libraryResources).set({ withdrawnAt: new Date(now), withdrawnBy: teacher.me.id }).where(eq(schema.libraryResources.id, resourceId));
      await bumpLibraryVersion();
      const regions = (await tx.select({ regionId: schema.libraryListings.regionId }).from(schema.libraryListings).where(eq(schema.libraryListings.resourceId, resourceId))).map((r) => r.regionId);
      await recordAudit({ actorId: teacher.me.id, action: "library.withdraw", targetType: "library_resource", targetId: resourceId, schoolId: resource.schoolId, detail: { regionId: regions[0] ?? null, regionIds: regions } }, tx);
    },
    { behavior: "immediate" },
  );
}

/** The teacher's lessons they might offer (for the "offer a lesson" choice). */
export async function offerableLessons(actor: Actor): Promise<{ id: string; title: string }[]> {
  const teacher = await requireLibraryTeacher(actor);
  return db().select({ id: schema.lessons.id, title: schema.lessons.title }).from(schema.lessons).where(eq(schema.lessons.authorId, teacher.me.id)).orderBy(desc(schema.lessons.createdAt));
}

