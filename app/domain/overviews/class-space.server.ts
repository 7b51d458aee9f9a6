// The class space (/classes/:id): who is in the class (real names, avatars), its announcement stream,
// the lessons published to it, and its students' recent posts that the reader may see (the feed's
// visibility checks, not a second set of rules), and its assignments. Members only; the school's
// admins read it.
import { and, eq } from "drizzle-orm";
import { db, schema } from "#db/client";
import type { Lng } from "~/i18n";
import { localName, localSubject } from "~/lib/local-names";
import type { Actor, SignedInActor } from "../foundation/actor.server";
import type { FlagKey } from "../rollout/flags.server";
import { announcementsOf, type AnnouncementView } from "../classwork/announcements.server";
import { assignmentsForStanding, type AssignmentCard } from "../classwork/assignments.server";
import { classReader, type ClassStanding } from "../classwork/class-access.server";
import { recentPostsFrom, type FeedEntry } from "./feed.server";
import { fileUrl } from "../uploads/files.server";
import { lessonsOfClass } from "../classwork/lessons.server";
import { DomainError } from "../foundation/errors.server";
import { findSchool } from "../places/schools.server";
import { enterableSpaces, requireSpaceFeature } from "../spaces/spaces.server";

export const RECENT_POSTS = 10;

export type ClassPerson = { id: string; handle: string; realName: string; avatarUrl: string | null; isHeadTeacher: boolean; subject: string | null; canVisit: boolean };

export type ClassSpace = {
  klass: { id: string; name: string; grade: number; year: number; schoolName: string; archived: boolean };
  standing: ClassStanding;
  mayAnnounce: boolean;
  mayWriteLessons: boolean;
  /** A teacher of the class who may set assignments: the "new assignment" link (an archived class takes none). */
  maySetAssignments: boolean;
  mayReadGradebook: boolean;
  teachers: ClassPerson[];
  students: ClassPerson[];
  announcements: AnnouncementView[];
  lessons: { id: string; title: string; publishAt: Date; author: string }[];
  /** Published assignments set to the class (students: opened ones), latest due first. */
  assignments: AssignmentCard[];
  recentPosts: FeedEntry[];
};

async function hasSpaceFeature(me: SignedInActor, key: FlagKey): Promise<boolean> {
  try {
    await requireSpaceFeature(me, key);
    return true;
  } catch (error) {
    if (error instanceof DomainError) return false;
    throw error;
  }
}

/** `lng`: the reader's language, for the class, school and subject names the school gave in it. */
export async function classSpace(actor: Actor, classId: string, now = Date.now(), lng?: Lng): Promise<ClassSpace> {
  const { me, klass, standing } = await classReader(actor, classId);
  const teaches = standing === "teacher" && await hasSpaceFeature(me, "assignments");
  const school = await findSchool(klass.schoolId);
  const members = await db()
      .select({
        id: schema.users.id,
        handle: schema.users.handle,
        realName: schema.users.realName,
        status: schema.users.status,
        role: schema.classMemberships.role,
        isHeadTeacher: schema.classMemberships.isHeadTeacher,
        subject: schema.classMemberships.subject,
        avatarId: schema.files.id,
        avatarName: schema.files.name,
      })
      .from(schema.classMemberships)
      .innerJoin(schema.users, eq(schema.users.id, schema.classMemberships.userId))
      .leftJoin(schema.files, and(eq(schema.files.id, schema.users.avatarFileId), eq(schema.files.attachedTo, "avatar")))
      .where(eq(schema.classMemberships.classId, classId))
      .orderBy(schema.users.realName);
  const enterable = await enterableSpaces(
    me,
    members.map((m) => m.id),
  );
  const people = members.map((m) => {
    // Whether the reader may enter this person's space decides the link and the avatar (files follow the space).
    const canVisit = m.status === "active" && enterable.has(m.id);
    return {
      role: m.role,
      person: {
        id: m.id,
        handle: m.handle,
        realName: m.realName,
        avatarUrl: canVisit && m.avatarId && m.avatarName ? fileUrl(m.avatarId, m.avatarName) : null,
        isHeadTeacher: m.isHeadTeacher,
        subject: localSubject(m.subject, school?.subjectNames, lng),
        canVisit,
      },
    };
  });
  const teachers = people.filter((p) => p.role === "teacher").map((p) => p.person);
  teachers.sort((a, b) => Number(b.isHeadTeacher) - Number(a.isHeadTeacher));
  const students = people.filter((p) => p.role === "student").map((p) => p.person);
  return {
    klass: { id: klass.id, name: localName(klass, lng), grade: klass.grade, year: klass.year, schoolName: school ? localName(school, lng) : "", archived: Boolean(klass.archivedAt) },
    standing,
    // announcements.server's mayAnnounce and lessons.server's mayWriteLessons, asked once: a teacher of
    // this class (acting as one) with class teaching open to them.
    mayAnnounce: teaches,
    mayWriteLessons: teaches,
    // The same rule as writing a lesson: a teacher of this class with class teaching open to them.
    maySetAssignments: !klass.archivedAt && teaches,
    // grading.server's mayReadGradebook: the class's teachers.
    mayReadGradebook: standing === "teacher",
    teachers,
    students,
    announcements: await announcementsOf(classId),
    lessons: await lessonsOfClass(classId, now),
    assignments: await assignmentsForStanding(classId, standing, now),
    recentPosts: await recentPostsFrom(
      me,
      students.map((s) => s.id),
      RECENT_POSTS,
    ),
  };
}
