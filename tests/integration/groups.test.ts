// Groups: who may make which group, who finds it, and every way in or out — with the reach, kind,
// minors and cross-school rules, and each bad input of the issue refused with its message.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema } from "#db/client";
import { ForbiddenError, NotFoundError } from "~/domain/foundation/errors.server";
import { bumpFlagsVersion, FeatureClosedError, type FlagKey } from "~/domain/rollout/flags.server";
import { answerInvitation, cancelRequest, decideRequest, groupMembers, inviteToGroup, joinGroup, leaveGroup, removeMember, setMemberRole } from "~/domain/groups/group-members.server";
import { createGroup, groupAbout, groupAccess, groupDirectory, groupForEdit, myGroups, newGroupForm, requireGroupMember, searchFold, updateGroup } from "~/domain/groups/groups.server";
import { randomId } from "~/domain/foundation/ids.server";
import { refusal, validationRefusal } from "../support/refusal";
import { actorFor, demoWorld, userByLogin } from "../support/world";

type Form = Record<string, string>;
const fields = (form: Form) => new Map(Object.entries(form));
const groupForm = (over: Form = {}): Map<string, string> =>
  fields({ name: "初中数学教研组", description: "一起备课、评课", subject: "数学", kind: "research", reach: "platform", joinPolicy: "approval", ...over });

const make = (login: string, over: Form = {}, role?: "teacher" | "student") => createGroup(actorFor(login, role), groupForm(over)).id;

function schoolId(prefix: string): string {
  return db().select().from(schema.schools).where(eq(schema.schools.loginPrefix, prefix)).get()!.id;
}

function regionId(name: string): string {
  return db().select().from(schema.regions).where(eq(schema.regions.name, name)).get()!.id;
}

function setSchoolFlag(prefix: string, flag: FlagKey, enabled: boolean): void {
  const scopeId = schoolId(prefix);
  db().delete(schema.flagOverrides).where(and(eq(schema.flagOverrides.flagKey, flag), eq(schema.flagOverrides.scopeType, "school"), eq(schema.flagOverrides.scopeId, scopeId))).run();
  db().insert(schema.flagOverrides).values({ id: randomId(), flagKey: flag, scopeType: "school", scopeId, enabled }).run();
  bumpFlagsVersion();
}

function clearSchoolFlag(prefix: string, flag: FlagKey): void {
  db().delete(schema.flagOverrides).where(and(eq(schema.flagOverrides.flagKey, flag), eq(schema.flagOverrides.scopeId, schoolId(prefix)))).run();
  bumpFlagsVersion();
}

const stateOf = (groupId: string, login: string) =>
  db()
    .select()
    .from(schema.groupMembers)
    .where(and(eq(schema.groupMembers.groupId, groupId), eq(schema.groupMembers.userId, userByLogin(login).id)))
    .get()?.state;

/** Invites people chosen in the picker, by their ids (issue 13 item 4: never by typing a login). */
const invite = (inviter: string, groupId: string, ...invitees: string[]) => inviteToGroup(actorFor(inviter), groupId, invitees.map((login) => userByLogin(login).id));

const noticesOf = (login: string, kind: string) =>
  db()
    .select()
    .from(schema.notifications)
    .where(and(eq(schema.notifications.userId, userByLogin(login).id), eq(schema.notifications.kind, kind as "group_invited")))
    .all();

beforeAll(async () => {
  await demoWorld();
});

describe("making a group", () => {
  it("a teacher makes a platform-wide research group and owns it", () => {
    const id = make("wuhou-jun.t1");
    const { about, access } = groupAbout(actorFor("wuhou-jun.t1"), id);
    expect(about).toMatchObject({ name: "初中数学教研组", kind: "research", reach: "platform", memberCount: 1, schools: ["武侯区第一初级中学"] });
    expect(access).toMatchObject({ isMember: true, mayModerate: true, role: "owner" });
  });

  it("refuses a 500-character name, an empty name and a long description, each beside its field", () => {
    expect(validationRefusal(() => make("wuhou-jun.t1", { name: "组".repeat(500) })).fields.name?.key).toBe("groups:nameTooLong");
    expect(validationRefusal(() => make("wuhou-jun.t1", { name: "   " })).fields.name?.key).toBe("groups:nameRequired");
    expect(validationRefusal(() => make("wuhou-jun.t1", { description: "x".repeat(1001) })).fields.description?.key).toBe("groups:descriptionTooLong");
    expect(validationRefusal(() => make("wuhou-jun.t1", { kind: "club" })).fields.kind?.key).toBe("groups:kindRequired");
  });

  it("a student makes a study group of their school only where the school allows it, never a research group", () => {
    // Vocational schools allow student-made groups in the demo; a junior school does not.
    expect(refusal(() => make("wuhou-jun.s5", { kind: "study", reach: "school" }, "student"))).toMatchObject({ key: "groups:studentsMayNotCreate" });
    expect(refusal(() => newGroupForm(actorFor("wuhou-jun.s5")))).toBeInstanceOf(ForbiddenError);
    expect(validationRefusal(() => make("wuhou-voc.s5", { kind: "research", reach: "school" })).fields.kind?.key).toBe("groups:studentResearch");
    expect(validationRefusal(() => make("wuhou-voc.s5", { kind: "study", reach: "platform" })).fields.reach?.key).toBe("groups:studentReachSchool");
    const id = make("wuhou-voc.s5", { name: "计算机兴趣小组", kind: "study", reach: "school", joinPolicy: "open" });
    expect(groupAbout(actorFor("wuhou-voc.s5"), id).access.role).toBe("owner");
    // Once the junior school allows it, its students may too.
    setSchoolFlag("wuhou-jun", "student_groups", true);
    expect(newGroupForm(actorFor("wuhou-jun.s5")).reaches).toEqual(["school"]);
    clearSchoolFlag("wuhou-jun", "student_groups");
  });

  it("a group beyond the school needs the cross-school capability for the maker's school", () => {
    setSchoolFlag("kangding-jun", "cross_school_groups", false);
    expect(newGroupForm(actorFor("kangding-jun.t1")).reaches).toEqual(["school"]);
    expect(validationRefusal(() => make("kangding-jun.t1")).fields.reach?.key).toBe("groups:reachNeedsCrossSchool");
    expect(make("kangding-jun.t1", { reach: "school" })).toBeTruthy();
    clearSchoolFlag("kangding-jun", "cross_school_groups");
  });

  it("a region reach names a region on the maker's own path", () => {
    expect(validationRefusal(() => make("wuhou-jun.t1", { reach: "region", regionId: regionId("凉山彝族自治州") })).fields.regionId?.key).toBe("groups:regionRequired");
    const id = make("wuhou-jun.t1", { reach: "region", regionId: regionId("成都市"), name: "成都物理教研" });
    expect(groupAbout(actorFor("wuhou-jun.t1"), id).about.regionName).toBe("成都市");
  });

  it("refuses parents, admins and anonymous readers", () => {
    expect(refusal(() => newGroupForm(actorFor("wuhou-pri.p1")))).toMatchObject({ key: "groups:teachersAndStudentsOnly" });
    expect(refusal(() => groupDirectory(actorFor("wuhou-jun.admin")))).toBeInstanceOf(ForbiddenError);
    expect(refusal(() => groupDirectory(null))).toMatchObject({ status: 401 });
    expect(refusal(() => createGroup(null, groupForm()))).toMatchObject({ status: 401 });
  });

  it("only the owner edits, and an edit made from an older version is refused with nothing lost", () => {
    const id = make("wuhou-jun.t1", { name: "待改名的组" });
    const { version } = groupForEdit(actorFor("wuhou-jun.t1"), id);
    updateGroup(actorFor("wuhou-jun.t1"), id, groupForm({ name: "改过名的组", version: String(version) }));
    expect(refusal(() => updateGroup(actorFor("wuhou-jun.t1"), id, groupForm({ name: "又一个名字", version: String(version) })))).toMatchObject({ key: "groups:editedMeanwhile" });
    expect(groupAbout(actorFor("wuhou-jun.t1"), id).about.name).toBe("改过名的组");
    joinGroup(actorFor("wuhou-jun.t2"), id);
    decideRequest(actorFor("wuhou-jun.t1"), id, userByLogin("wuhou-jun.t2").id, true);
    expect(refusal(() => groupForEdit(actorFor("wuhou-jun.t2"), id))).toMatchObject({ key: "groups:ownerOnly" });
  });
});

describe("the directory", () => {
  let platformGroup: string;
  let garzeGroup: string;
  let yiGroup: string;
  beforeAll(() => {
    platformGroup = make("wuhou-jun.t3", { name: "全省初中数学教研共同体", subject: "数学" });
    garzeGroup = make("kangding-jun.t1", { name: "བོད་ཡིག་སློབ་ཚན་ཞིབ་འཇུག་ཚོགས་ཆུང་", subject: "藏文", reach: "region", regionId: regionId("甘孜藏族自治州") });
    yiGroup = make("zhaojue-jun.t2", { name: "ꆈꌠꁱꂷ ꇬꉼ", subject: "彝文", kind: "study", joinPolicy: "open" });
  });

  it("finds a group by a substring of its name in Chinese, Tibetan or Yi, without word boundaries", () => {
    const found = (login: string, q: string) => groupDirectory(actorFor(login), { q }).groups.map((g) => g.id);
    expect(found("zhaojue-pri.t1", "初中数学")).toContain(platformGroup);
    expect(found("zhaojue-pri.t1", "数学教研")).toContain(platformGroup);
    expect(found("kangding-pri.t1", "སློབ་ཚན")).toContain(garzeGroup);
    expect(found("wuhou-jun.t3", "ꁱꂷ")).toContain(yiGroup);
    expect(found("zhaojue-pri.t1", "没有这个组")).toEqual([]);
    // Full-width and upper-case letters fold like their plain forms.
    expect(searchFold("ＡＢＣ数学")).toBe("abc数学");
  });

  it("shows member counts and schools, and filters by subject, kind and reach", () => {
    const dir = groupDirectory(actorFor("zhaojue-pri.t1"), { subject: "数学", kind: "research", reach: "platform" });
    const card = dir.groups.find((g) => g.id === platformGroup)!;
    expect(card).toMatchObject({ memberCount: 1, schools: ["武侯区第一初级中学"], joinRefusal: null, myState: null });
    expect(dir.subjects).toContain("数学");
    expect(dir.groups.every((g) => g.subject === "数学" && g.kind === "research" && g.reach === "platform")).toBe(true);
  });

  it("hides groups beyond the reader's reach and research groups from students", () => {
    expect(groupDirectory(actorFor("wuhou-jun.t1")).groups.map((g) => g.id)).not.toContain(garzeGroup);
    expect(groupDirectory(actorFor("kangding-pri.t1")).groups.map((g) => g.id)).toContain(garzeGroup);
    const student = groupDirectory(actorFor("zhaojue-jun.s5")).groups;
    expect(student.map((g) => g.id)).toContain(yiGroup);
    expect(student.every((g) => g.kind === "study")).toBe(true);
    // Beyond reach, the group's page does not exist for them.
    expect(refusal(() => groupAbout(actorFor("wuhou-jun.t1"), garzeGroup))).toBeInstanceOf(NotFoundError);
    expect(refusal(() => groupAbout(actorFor("zhaojue-jun.s5"), platformGroup))).toBeInstanceOf(NotFoundError);
  });
});

describe("joining", () => {
  it("an open group takes anyone within reach at once; an approval group waits for its teachers", () => {
    const open = make("wuhou-jun.t1", { name: "开放的组", joinPolicy: "open" });
    expect(joinGroup(actorFor("zhaojue-pri.t1"), open)).toEqual({ state: "active" });
    expect(joinGroup(actorFor("zhaojue-pri.t1"), open)).toEqual({ state: "active" });

    const approval = make("wuhou-jun.t1", { name: "需要审核的组" });
    expect(joinGroup(actorFor("zhaojue-jun.t1"), approval, "我是昭觉的数学老师")).toEqual({ state: "requested" });
    expect(noticesOf("wuhou-jun.t1", "group_join_request").length).toBeGreaterThan(0);
    // The owner's "my groups" counts the request waiting; a plain member's would not.
    expect(myGroups(actorFor("wuhou-jun.t1")).active.find((g) => g.id === approval)?.requestsWaiting).toBe(1);
    expect(refusal(() => requireGroupMember(actorFor("zhaojue-jun.t1"), approval))).toMatchObject({ key: "groups:membersOnly" });
    const { requests } = groupMembers(actorFor("wuhou-jun.t1"), approval);
    expect(requests.map((r) => [r.realName, r.note, r.schoolName])).toEqual([[userByLogin("zhaojue-jun.t1").realName, "我是昭觉的数学老师", "昭觉县民族中学"]]);
    decideRequest(actorFor("wuhou-jun.t1"), approval, userByLogin("zhaojue-jun.t1").id, true);
    expect(stateOf(approval, "zhaojue-jun.t1")).toBe("active");
    expect(noticesOf("zhaojue-jun.t1", "group_join_approved").length).toBe(1);
    expect(myGroups(actorFor("wuhou-jun.t1")).active.find((g) => g.id === approval)?.requestsWaiting).toBe(0);
    expect(refusal(() => decideRequest(actorFor("wuhou-jun.t1"), approval, userByLogin("zhaojue-jun.t1").id, true))).toMatchObject({ key: "groups:noSuchRequest" });
    // Each member sees the others' real names and schools.
    const { members } = groupMembers(actorFor("zhaojue-jun.t1"), approval);
    expect(members.map((m) => [m.realName, m.schoolName, m.role])).toEqual([
      [userByLogin("wuhou-jun.t1").realName, "武侯区第一初级中学", "owner"],
      [userByLogin("zhaojue-jun.t1").realName, "昭觉县民族中学", "member"],
    ]);
  });

  it("a declined or withdrawn request leaves the person outside", () => {
    const id = make("wuhou-jun.t1", { name: "审核后拒绝" });
    joinGroup(actorFor("kangding-jun.t2"), id);
    cancelRequest(actorFor("kangding-jun.t2"), id);
    expect(stateOf(id, "kangding-jun.t2")).toBeUndefined();
    joinGroup(actorFor("kangding-jun.t2"), id);
    decideRequest(actorFor("wuhou-jun.t1"), id, userByLogin("kangding-jun.t2").id, false);
    expect(stateOf(id, "kangding-jun.t2")).toBe("declined");
  });

  it("refuses a request to a closed group; an invitation is its only way in", () => {
    const closed = make("wuhou-jun.t1", { name: "邀请制的组", joinPolicy: "invitation" });
    expect(refusal(() => joinGroup(actorFor("zhaojue-jun.t3"), closed))).toMatchObject({ key: "groups:closedGroup" });
    expect(stateOf(closed, "zhaojue-jun.t3")).toBeUndefined();
    expect(invite("wuhou-jun.t1", closed, "zhaojue-jun.t3")).toEqual([{ userId: userByLogin("zhaojue-jun.t3").id, realName: userByLogin("zhaojue-jun.t3").realName, sent: true }]);
    expect(noticesOf("zhaojue-jun.t3", "group_invited").length).toBe(1);
    expect(myGroups(actorFor("zhaojue-jun.t3")).invited.map((g) => g.id)).toContain(closed);
    expect(answerInvitation(actorFor("zhaojue-jun.t3"), closed, true)).toEqual({ state: "active" });
    expect(refusal(() => answerInvitation(actorFor("zhaojue-jun.t3"), closed, true))).toMatchObject({ key: "groups:noInvitation" });
    const notPossible = { sent: false, realName: null, reason: "groups:inviteNotPossible" };
    expect(inviteToGroup(actorFor("wuhou-jun.t1"), closed, ["no-such-id"])).toEqual([{ userId: "no-such-id", ...notPossible }]);
    // Someone already in, and a student offered a research group, are no candidates at all.
    expect(invite("wuhou-jun.t1", closed, "zhaojue-jun.t3")).toEqual([{ userId: userByLogin("zhaojue-jun.t3").id, ...notPossible }]);
    expect(invite("wuhou-jun.t1", closed, "wuhou-jun.s5")).toEqual([{ userId: userByLogin("wuhou-jun.s5").id, ...notPossible }]);
    // A plain member cannot invite.
    expect(refusal(() => invite("zhaojue-jun.t3", closed, "kangding-jun.t3"))).toMatchObject({ key: "groups:moderatorsOnly" });
  });

  it("refuses joining beyond the group's reach with a message, and a school group to other schools", () => {
    const chengdu = make("wuhou-jun.t1", { name: "成都市教研", reach: "region", regionId: regionId("成都市"), joinPolicy: "open" });
    expect(refusal(() => joinGroup(actorFor("zhaojue-jun.t2"), chengdu))).toMatchObject({ key: "groups:beyondReach" });
    expect(joinGroup(actorFor("wuhou-pri.t3"), chengdu)).toEqual({ state: "active" });
    const ownSchool = make("wuhou-jun.t1", { name: "本校教研", reach: "school", joinPolicy: "open" });
    expect(refusal(() => joinGroup(actorFor("wuhou-pri.t3"), ownSchool))).toMatchObject({ key: "groups:beyondReach" });
    expect(refusal(() => groupAccess(actorFor("wuhou-pri.t3"), ownSchool))).toBeInstanceOf(NotFoundError);
    expect(joinGroup(actorFor("wuhou-jun.t2"), ownSchool)).toEqual({ state: "active" });
  });

  it("students join study groups only", () => {
    const research = make("wuhou-jun.t1", { name: "只收教师", joinPolicy: "open" });
    expect(refusal(() => joinGroup(actorFor("wuhou-jun.s5"), research))).toMatchObject({ key: "groups:teachersOnlyGroup" });
    const study = make("wuhou-jun.t1", { name: "九年级数学学习小组", kind: "study", joinPolicy: "open" });
    expect(joinGroup(actorFor("wuhou-jun.s5"), study)).toEqual({ state: "active" });
    // A teacher who is also a parent acts as a parent: refused.
    expect(refusal(() => joinGroup(actorFor("wuhou-pri.t1", "parent"), study))).toMatchObject({ key: "groups:teachersAndStudentsOnly" });
  });

  it("leaving ends access; a removed member cannot come back by themselves, only by a new invitation", () => {
    const id = make("wuhou-jun.t1", { name: "进出的组", kind: "study", joinPolicy: "open" });
    joinGroup(actorFor("wuhou-jun.s6"), id);
    leaveGroup(actorFor("wuhou-jun.s6"), id);
    expect(refusal(() => requireGroupMember(actorFor("wuhou-jun.s6"), id))).toMatchObject({ key: "groups:noLongerMember" });
    expect(joinGroup(actorFor("wuhou-jun.s6"), id)).toEqual({ state: "active" });

    joinGroup(actorFor("zhaojue-jun.s6"), id);
    expect(refusal(() => removeMember(actorFor("wuhou-jun.s6"), id, userByLogin("zhaojue-jun.s6").id))).toMatchObject({ key: "groups:moderatorsOnly" });
    removeMember(actorFor("wuhou-jun.t1"), id, userByLogin("zhaojue-jun.s6").id);
    expect(refusal(() => requireGroupMember(actorFor("zhaojue-jun.s6"), id))).toMatchObject({ key: "groups:noLongerMember" });
    expect(refusal(() => joinGroup(actorFor("zhaojue-jun.s6"), id))).toMatchObject({ key: "groups:removedCannotRejoin" });
    // Back only by a new invitation, from someone who may see them (here: a teacher of their school in the group).
    joinGroup(actorFor("zhaojue-jun.t1"), id);
    setMemberRole(actorFor("wuhou-jun.t1"), id, userByLogin("zhaojue-jun.t1").id, "moderator");
    expect(invite("zhaojue-jun.t1", id, "zhaojue-jun.s6")).toMatchObject([{ sent: true }]);
    expect(answerInvitation(actorFor("zhaojue-jun.s6"), id, true)).toEqual({ state: "active" });
  });

  it("roles: the owner names moderators and hands the group over; the owner cannot leave before that", () => {
    const id = make("wuhou-jun.t1", { name: "交接的组", joinPolicy: "open" });
    joinGroup(actorFor("wuhou-jun.t2"), id);
    joinGroup(actorFor("kangding-jun.t3"), id);
    expect(refusal(() => leaveGroup(actorFor("wuhou-jun.t1"), id))).toMatchObject({ key: "groups:ownerCannotLeave" });
    expect(refusal(() => setMemberRole(actorFor("wuhou-jun.t2"), id, userByLogin("kangding-jun.t3").id, "moderator"))).toMatchObject({ key: "groups:ownerOnly" });
    setMemberRole(actorFor("wuhou-jun.t1"), id, userByLogin("wuhou-jun.t2").id, "moderator");
    expect(groupAbout(actorFor("wuhou-jun.t2"), id).access).toMatchObject({ mayModerate: true, role: "moderator" });
    // A moderator removes members but not another moderator or the owner.
    expect(refusal(() => removeMember(actorFor("wuhou-jun.t2"), id, userByLogin("wuhou-jun.t1").id))).toMatchObject({ key: "groups:ownerCannotBeRemoved" });
    setMemberRole(actorFor("wuhou-jun.t1"), id, userByLogin("kangding-jun.t3").id, "owner");
    expect(groupAbout(actorFor("kangding-jun.t3"), id).access.role).toBe("owner");
    leaveGroup(actorFor("wuhou-jun.t1"), id);
    expect(stateOf(id, "wuhou-jun.t1")).toBe("left");
  });
});

describe("minors", () => {
  // 七年级 students (born 2014) are under 14; 九年级 ones (born 2011) are not.
  it("a student under 14 joins only groups whose people all come from their school (issue 13 item 5)", () => {
    const ledHere = make("wuhou-jun.t2", { name: "本校老师带的跨校小组", kind: "study", joinPolicy: "open" });
    const ledElsewhere = make("zhaojue-jun.t2", { name: "昭觉老师带的小组", kind: "study", joinPolicy: "open" });
    const schoolOnly = make("wuhou-jun.t3", { name: "七年级英语角", kind: "study", reach: "school", joinPolicy: "open" });
    expect(joinGroup(actorFor("wuhou-jun.s1"), ledHere)).toEqual({ state: "active" });
    expect(joinGroup(actorFor("wuhou-jun.s1"), schoolOnly)).toEqual({ state: "active" });
    expect(refusal(() => joinGroup(actorFor("wuhou-jun.s1"), ledElsewhere))).toMatchObject({ key: "groups:minorRule" });
    // No dead end (issue 16 item 7): the directory does not offer them a group they cannot join; their own groups stay.
    const hers = groupDirectory(actorFor("wuhou-jun.s1")).groups.map((g) => g.id);
    expect(hers).not.toContain(ledElsewhere);
    expect(hers).toEqual(expect.arrayContaining([ledHere, schoolOnly]));
    // A pupil over 14 of her school, who may join, still finds it.
    expect(groupDirectory(actorFor("wuhou-jun.s7")).groups.map((g) => g.id)).toContain(ledElsewhere);
    // Over 14, the same group is open to them.
    expect(joinGroup(actorFor("wuhou-jun.s7"), ledElsewhere)).toEqual({ state: "active" });
    // A stranger of another school cannot even reach them with an invitation.
    expect(invite("zhaojue-jun.t2", ledElsewhere, "wuhou-jun.s2")).toMatchObject([{ sent: false, realName: null, reason: "groups:inviteNotPossible" }]);
  });

  it("the group's teachers see every member and moderate a study group even without a moderator role", () => {
    const id = make("wuhou-jun.t2", { name: "有两位老师的小组", kind: "study", joinPolicy: "approval" });
    joinGroup(actorFor("zhaojue-jun.t3"), id);
    decideRequest(actorFor("wuhou-jun.t2"), id, userByLogin("zhaojue-jun.t3").id, true);
    joinGroup(actorFor("zhaojue-jun.s7"), id);
    // A teacher member (no moderator role) approves a student's request in a study group.
    decideRequest(actorFor("zhaojue-jun.t3"), id, userByLogin("zhaojue-jun.s7").id, true);
    expect(groupAbout(actorFor("zhaojue-jun.t3"), id).access).toMatchObject({ isGroupTeacher: true, mayModerate: true, role: "member" });
    // A student member moderates nothing.
    expect(groupAbout(actorFor("zhaojue-jun.s7"), id).access).toMatchObject({ isGroupTeacher: false, mayModerate: false });
    expect(refusal(() => decideRequest(actorFor("zhaojue-jun.s7"), id, userByLogin("zhaojue-jun.t3").id, false))).toMatchObject({ key: "groups:moderatorsOnly" });
  });
});

describe("the cross-school capability", () => {
  it("a group takes members from several schools only where the flag is on for each member's school", () => {
    const id = make("wuhou-jun.t1", { name: "跨校开关测试", joinPolicy: "open" });
    setSchoolFlag("kangding-jun", "cross_school_groups", false);
    expect(refusal(() => joinGroup(actorFor("kangding-jun.t2"), id))).toMatchObject({ key: "groups:crossSchoolClosed", params: { school: "康定市民族中学" } });
    expect(stateOf(id, "kangding-jun.t2")).toBeUndefined();
    clearSchoolFlag("kangding-jun", "cross_school_groups");
    expect(joinGroup(actorFor("kangding-jun.t2"), id)).toEqual({ state: "active" });

    // Now the group holds a 康定 member: closing the flag at 康定 stops others joining, naming 康定.
    setSchoolFlag("kangding-jun", "cross_school_groups", false);
    expect(refusal(() => joinGroup(actorFor("zhaojue-jun.t2"), id))).toMatchObject({ key: "groups:crossSchoolClosed", params: { school: "康定市民族中学" } });
    clearSchoolFlag("kangding-jun", "cross_school_groups");
  });

  it("an approval re-checks the rules when it is given", () => {
    const id = make("wuhou-jun.t1", { name: "审核时再查" });
    joinGroup(actorFor("kangding-jun.t1"), id);
    setSchoolFlag("kangding-jun", "cross_school_groups", false);
    expect(refusal(() => decideRequest(actorFor("wuhou-jun.t1"), id, userByLogin("kangding-jun.t1").id, true))).toMatchObject({ key: "groups:crossSchoolClosed" });
    expect(stateOf(id, "kangding-jun.t1")).toBe("requested");
    clearSchoolFlag("kangding-jun", "cross_school_groups");
  });

  it("members of one school need no cross-school capability", () => {
    setSchoolFlag("wuhou-jun", "cross_school_groups", false);
    const id = make("wuhou-jun.t1", { name: "一校之内", reach: "school", joinPolicy: "open" });
    expect(joinGroup(actorFor("wuhou-jun.t3"), id)).toEqual({ state: "active" });
    clearSchoolFlag("wuhou-jun", "cross_school_groups");
  });

  it("students' groups follow the study_groups capability of their school", () => {
    // Primary pupils have no study groups in the demo until their school opens them.
    expect(refusal(() => groupDirectory(actorFor("wuhou-pri.s1")))).toMatchObject({ key: "flags:notYetOpen" });
    expect(refusal(() => groupDirectory(actorFor("wuhou-pri.s1")))).toBeInstanceOf(FeatureClosedError);
  });
});
