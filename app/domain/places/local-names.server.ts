// Names in the school's languages: a school's admin gives the school's, each class's and each subject's
// name in Tibetan, Yi and English. The official Chinese name stays as it is (the registry name, and the
// key rosters match classes on); pages pick the reader's language with `localName` (app/lib/local-names.ts).
import { and, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import { db, schema } from "#db/client";
import { fieldOf, LOCAL_NAME_LOCALES, LOCAL_NAME_MAX, type LocalNameLocale, type LocalNames } from "~/lib/local-names";
import { requireActingAs, type Actor, type SignedInActor } from "../foundation/actor.server";
import { recordAudit } from "../foundation/audit.server";
import { ForbiddenError, NotFoundError, ValidationError, type FieldErrors } from "../foundation/errors.server";
import { withoutDirectionControls } from "../foundation/plain-text.server";
import { findSchool, type School } from "./schools.server";


export type NamedRow = { name: string; names: LocalNames };
export type LocalNamesForm = {
  school: NamedRow;
  classes: (NamedRow & { id: string })[];
  /** The subjects the school's teachers teach (as written on their classes), and any already named. */
  subjects: NamedRow[];
};

/** The school the actor administers, acting as its school admin; everyone else is refused. */
async function ownSchool(actor: Actor): Promise<{ admin: SignedInActor; school: School }> {
  const { actor: admin, grant } = requireActingAs(actor, "school_admin");
  const school = grant.schoolId ? await findSchool(grant.schoolId) : undefined;
  if (!school) throw new ForbiddenError();
  return { admin, school };
}

async function subjectsTaught(schoolId: string): Promise<string[]> {
  return (await db()
      .selectDistinct({ subject: schema.classMemberships.subject })
      .from(schema.classMemberships)
      .innerJoin(schema.classes, eq(schema.classes.id, schema.classMemberships.classId))
      .where(and(eq(schema.classes.schoolId, schoolId), isNull(schema.classes.archivedAt), isNotNull(schema.classMemberships.subject))))
    .map((r) => r.subject ?? "")
    .filter(Boolean);
}

/** What the names form shows: the school, its current classes and its subjects, each with the names given so far. */
export async function localNamesForm(actor: Actor): Promise<LocalNamesForm> {
  const { school } = await ownSchool(actor);
  const classes = await db()
      .select({ id: schema.classes.id, name: schema.classes.name, names: schema.classes.names })
      .from(schema.classes)
      .where(and(eq(schema.classes.schoolId, school.id), isNull(schema.classes.archivedAt)))
      .orderBy(schema.classes.grade, schema.classes.name);
  const subjectNames = school.subjectNames ?? {};
  const subjects = [...new Set([...await subjectsTaught(school.id), ...Object.keys(subjectNames)])].sort((a, b) => a.localeCompare(b, "zh-Hans"));
  return {
    school: { name: school.name, names: school.names ?? {} },
    classes,
    subjects: subjects.map((name) => ({ name, names: subjectNames[name] ?? {} })),
  };
}

type Fields = Record<string, string>;

/** The names typed for one row: trimmed, direction controls removed, blanks dropped; too long → a field error. */
function namesFrom(fields: Fields, fieldName: (lng: LocalNameLocale) => string, errors: FieldErrors): LocalNames {
  const names: LocalNames = {};
  for (const lng of LOCAL_NAME_LOCALES) {
    const key = fieldName(lng);
    const value = withoutDirectionControls(fields[key] ?? "")
      .replace(/\s+/gu, " ")
      .trim();
    if ([...value].length > LOCAL_NAME_MAX) errors[key] = { key: "classes:localNames.tooLong", params: { max: LOCAL_NAME_MAX } };
    else if (value) names[lng] = value;
  }
  return names;
}

const same = (a: LocalNames | null | undefined, b: LocalNames) => LOCAL_NAME_LOCALES.every((lng) => (a?.[lng] ?? "") === (b[lng] ?? ""));

/**
 * Saves the names typed on the form: the school's, its classes' (a class of another school reads as
 * not found) and its subjects'. Only the school's own admin, acting as such. One audit event lists
 * what changed. Returns how many names (school, classes, subjects) changed.
 */
export async function saveLocalNames(actor: Actor, fields: Fields): Promise<{ changed: number }> {
  const { admin, school } = await ownSchool(actor);
  const errors: FieldErrors = {};
  // Only what the form sent changes: a row left out keeps its names.
  const schoolSent = LOCAL_NAME_LOCALES.some((lng) => fieldOf.school(lng) in fields);
  const schoolNames = schoolSent ? namesFrom(fields, fieldOf.school, errors) : (school.names ?? {});

  const classIds = new Set<string>();
  for (const key of Object.keys(fields)) {
    const m = key.match(/^class\.([^.]+)\.(bo|ii|en)$/u);
    if (m) classIds.add(m[1]!);
  }
  const classes = classIds.size
    ? await db()
              .select({ id: schema.classes.id, schoolId: schema.classes.schoolId, name: schema.classes.name, names: schema.classes.names })
              .from(schema.classes)
              .where(inArray(schema.classes.id, [...classIds]))
    : [];
  if (classes.length !== classIds.size || classes.some((k) => k.schoolId !== school.id)) throw new NotFoundError();
  const classNames = classes.map((k) => ({ klass: k, names: namesFrom(fields, (lng) => fieldOf.klass(k.id, lng), errors) }));

  // Subjects come as rows n = 0, 1, …: the Chinese subject in a hidden field, its names beside it.
  const known = new Set([...await subjectsTaught(school.id), ...Object.keys(school.subjectNames ?? {})]);
  const subjectNames: Record<string, LocalNames> = { ...(school.subjectNames ?? {}) };
  for (const key of Object.keys(fields)) {
    const n = Number(key.match(/^subject\.(\d+)\.name$/u)?.[1] ?? NaN);
    if (!Number.isInteger(n)) continue;
    const subject = fields[key]!;
    if (!known.has(subject)) continue; // a subject no longer taught nor named: nothing to keep
    const names = namesFrom(fields, (lng) => fieldOf.subject(n, lng), errors);
    if (Object.keys(names).length) subjectNames[subject] = names;
    else delete subjectNames[subject];
  }
  if (Object.keys(errors).length) throw new ValidationError(errors, "classes:localNames.fixErrors");

  const changes: string[] = [];
  await db().transaction(
    async (tx) => {
      if (!same(school.names, schoolNames)) changes.push(school.name);
      const subjectsChanged = Object.keys({ ...subjectNames, ...school.subjectNames }).filter((s) => !same(school.subjectNames?.[s], subjectNames[s] ?? {}));
      changes.push(...subjectsChanged);
      if (changes.length) await tx.update(schema.schools).set({ names: schoolNames, subjectNames }).where(eq(schema.schools.id, school.id));
      for (const { klass, names } of classNames) {
        if (same(klass.names, names)) continue;
        await tx.update(schema.classes).set({ names }).where(eq(schema.classes.id, klass.id));
        changes.push(klass.name);
      }
      if (changes.length) {
        await recordAudit(
          { actorId: admin.id, action: "school.local_names", targetType: "school", targetId: school.id, schoolId: school.id, detail: { count: changes.length, names: changes.join("、") } },
          tx,
        );
      }
    },
    { behavior: "immediate" },
  );
  return { changed: changes.length };
}
