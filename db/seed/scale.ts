// The scale seed: a generated slice of the province — at N pupils about N/333 schools, N/33 classes,
// 0.07·N teachers, 0.8·N parents, 2·N posts, 10·N hand-ins, 0.2·N groups — for measuring pages at
// realistic sizes (issue 17). Deterministic: the same N, seed and base time give the same rows (ids
// included), except what is keyed by the database's own random secret (registration hashes) and the
// one password hash (argon2 salts it). Written with prepared statements in large transactions,
// without foreign-key checks during the load (checked afterwards by the test and the CLI).
import type Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import type { FlagKey, FlagSettings } from "~/domain/rollout/flags.server";
import { runDataMigrations } from "../data-migrations.mjs";
import { configure, migrationsFolder } from "../paths.mjs";
import { editionsOf, GRADES, SUBJECTS, unitCode, type LibraryStage } from "~/domain/library/catalogue.server";
import { LIBRARY_LICENCES, type LibraryKind, type LibraryLanguage, type Role, type Stage } from "../schema";
import { keyedHash, serverSecret } from "../secrets.mjs";
import { seededRandom, type Random } from "./scale/random";
import { ASSIGNMENT_TITLES, bodies, COMMENTS, FEEDBACK, GROUP_NAMES, GROUP_SUBJECTS, LESSON_TITLES, TAGS, THREAD_TITLES, type Body } from "./scale/texts";
import {
  chineseNumber, className, communityIn, COUNTIES, FIRST_COUNTIES, FIRST_GRADE_AGE, GRADE_COUNT, personName, PREFECTURES, PROVINCE, schoolName, STAGE_PATTERN, subjectsOf,
  type Community, type County,
} from "./scale/world";

export const SCALE_PASSWORD = "demo1234";
/**
 * Bump whenever the generated rows change (new tables, other proportions): the benchmark regenerates
 * its kept slices (.bench-data/<N>) when their version differs. 2: the region library.
 */
export const SCALE_SEED_VERSION = 2;
/** Default base time ("now" of the generated world): 2026-12-01 00:00 UTC, a Tuesday of the autumn term. */
export const SCALE_BASE = Date.UTC(2026, 11, 1);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TERM_START = Date.UTC(2026, 8, 1);

export type ScaleOptions = {
  students: number;
  seed?: string;
  /** The generated world's "now" (ms); default SCALE_BASE. */
  now?: number;
  /** The one argon2 hash every person signs in with (hash SCALE_PASSWORD once with hashPassword). */
  passwordHash: string;
  log?: (message: string) => void;
};

export type ScaleLogin = { role: Role; loginName: string; realName: string; school: string | null; locale?: string; note?: string; ids?: Record<string, string> };
export type ScaleResult = { counts: Record<string, number>; logins: ScaleLogin[]; base: number; seed: string; students: number };

/** Opens (creating) a database file with the project's settings and migrates it, as the server does at start. */
export function openMigrated(file: string, DatabaseClass: typeof Database): Database.Database {
  const sqlite = configure(new DatabaseClass(file));
  migrate(drizzle(sqlite), { migrationsFolder });
  runDataMigrations(sqlite);
  return sqlite;
}

/** Whether the database already holds people or schools (the CLI refuses to write into it). */
export function isEmptyDatabase(sqlite: Database.Database): boolean {
  const row = sqlite.prepare("select (select count(*) from users) + (select count(*) from schools) as n").get() as { n: number };
  return row.n === 0;
}

type School = {
  id: string;
  name: string;
  prefix: string;
  county: County;
  regionId: string;
  stage: Stage;
  phase: number;
  adminId: string;
  teachers: Person[];
  classes: Klass[];
  pupils: Pupil[];
  subjects: string[];
};
type Person = { id: string; login: string; name: string; community: Community };
type Pupil = Person & { school: School; klass: Klass; under14: boolean; canWork: boolean; parents: Person[]; consentGiven: boolean };
type Klass = { id: string; school: School; grade: number; name: string; pupils: Pupil[]; teachers: { person: Person; subject: string; head: boolean }[] };

const STAGE_WEIGHT: Partial<Record<Stage, number>> = { primary: 1.25, junior: 1, vocational: 0.55 };

/** Splits `total` into integer parts proportional to `weights` (largest remainder), each at least `min`. */
function apportion(total: number, weights: number[], min = 0): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const spare = total - min * weights.length;
  const raw = weights.map((w) => (spare * w) / sum);
  const parts = raw.map((r) => min + Math.floor(r));
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) parts[order[k]![1]]!++;
  return parts;
}

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const handleOf = (login: string) => login.replace(/[^a-z0-9]+/g, "-");
const fold = (text: string) => text.normalize("NFKC").toLowerCase();

// ---- the region library's descriptions ----

/** A 2-character fragment of every generated library title (第…单元), for a benchmark's search: a full page of results. */
export const LIBRARY_SEARCH_SAMPLE = "单元";
const LIBRARY_CHECKLIST = ["correct", "suitable", "noPupilData", "rights", "phoneReadable"];
const LIBRARY_REVIEW_COMMENTS = {
  return: ["请删去截图中学生的姓名后再提交。", "单元选错了，请核对教材版本和单元。", "第二页的表格在手机上看不清，请改成列表。"],
  refuse: ["材料为转载，未注明出处和授权，不能入库。", "内容与所选学科不符。"],
};
/** Subject codes of the names schools give their subjects and vocational majors. */
const LIBRARY_SUBJECT_OF: Record<string, string> = {
  语文: "chinese", 数学: "math", 英语: "english", 藏文: "tibetan", 彝文: "yi", 科学: "science", 道德与法治: "morality", 美术: "art", 音乐: "music", 体育: "pe",
  物理: "physics", 化学: "chemistry", 历史: "history", 地理: "geography", 生物: "biology", 计算机基础: "computing", 计算机应用: "computing", 电子商务: "computing",
  旅游服务: "tourism", 唐卡绘画: "thangka", 藏医药: "tibetan_medicine", 彝绣工艺: "yi_embroidery", 农业技术: "agriculture", 畜牧兽医: "agriculture",
};
const LIBRARY_SUBJECT_NAMES: Record<string, string> = {
  chinese: "语文", math: "数学", english: "英语", tibetan: "藏文", yi: "彝文", science: "科学", morality: "道德与法治", music: "音乐", art: "美术", pe: "体育", it: "信息技术",
  physics: "物理", chemistry: "化学", biology: "生物", history: "历史", geography: "地理", computing: "计算机应用基础", tourism: "旅游服务", thangka: "唐卡绘画",
  tibetan_medicine: "藏医药", yi_embroidery: "彝绣工艺", agriculture: "农业技术",
};
const LIBRARY_KIND_NAMES: Record<LibraryKind, string> = { lesson_plan: "教学设计", slides: "课件", micro_video: "微课", exercises: "分层练习", study_guide: "导学案", material: "拓展材料" };
const KIND_WEIGHTS: LibraryKind[] = ["lesson_plan", "lesson_plan", "slides", "slides", "micro_video", "exercises", "study_guide", "material"];

/** What a teacher offers: one of their subjects (or their school's), a grade and unit of its edition, in their county's languages. */
function libraryDescription(random: Random, school: School, taught: string[]) {
  const stage = school.stage as LibraryStage;
  const valid = (names: string[]) => names.map((n) => LIBRARY_SUBJECT_OF[n]).filter((c): c is string => !!c && SUBJECTS[stage].includes(c));
  const own = valid(taught);
  const subject = own.length ? random.pick(own) : random.pick([...valid(school.subjects), "chinese"]);
  const grade = 1 + random.int(GRADES[stage]);
  const book = random.chance(0.5) ? "a" : "b";
  const number = 1 + random.int(8);
  const edition = random.pick(editionsOf(subject));
  const kind = random.pick(KIND_WEIGHTS);
  const locale = school.county.locale;
  const language: LibraryLanguage =
    subject === "tibetan" ? (random.chance(0.7) ? "bo" : "zh-bo") : subject === "yi" ? (random.chance(0.7) ? "ii" : "zh-ii") : locale === "bo" && random.chance(0.25) ? "zh-bo" : locale === "ii" && random.chance(0.25) ? "zh-ii" : "zh-Hans";
  const year = stage === "junior" ? `${chineseNumber(grade + 6)}年级` : stage === "vocational" ? `中职${chineseNumber(grade)}年级` : `${chineseNumber(grade)}年级`;
  const base = `${LIBRARY_SUBJECT_NAMES[subject]}${year}${book === "a" ? "上册" : "下册"}第${chineseNumber(number)}单元${LIBRARY_KIND_NAMES[kind]}`;
  const title = language === "bo" ? `བོད་ཡིག་སློབ་ཚན། ${base}` : language === "ii" ? `ꆈꌠꉙ ${base}` : language === "zh-bo" ? `${base}（汉藏双语）` : language === "zh-ii" ? `${base}（彝汉双语）` : base;
  return { title, kind, stage, grade, subject, edition, unit: unitCode(edition, grade, book, number), language, licence: random.pick(LIBRARY_LICENCES) };
}

/** One reviewer per county and per prefecture with schools (a teacher there, named by that region's admin). */
function libraryReviewers(random: Random, schools: School[], regionIds: Map<string, string>, regionAdmins: Map<string, string>) {
  const reviewers = new Map<string, { person: Person; regionId: string; grantedBy: string }>();
  const named = new Set<string>();
  const name = (key: string, teachers: Person[]) => {
    const free = teachers.filter((t) => !named.has(t.id));
    if (!free.length) return;
    const person = random.pick(free);
    named.add(person.id);
    reviewers.set(key, { person, regionId: regionIds.get(key)!, grantedBy: regionAdmins.get(key)! });
  };
  for (const c of COUNTIES) name(c.key, schools.filter((s) => s.county.key === c.key).flatMap((s) => s.teachers));
  for (const p of PREFECTURES) name(p.key, schools.filter((s) => s.county.prefecture === p.key).flatMap((s) => s.teachers));
  return reviewers;
}

export function seedScale(sqlite: Database.Database, options: ScaleOptions): ScaleResult {
  const N = Math.max(1, Math.floor(options.students));
  const seed = options.seed ?? "1";
  const NOW = options.now ?? SCALE_BASE;
  const log = options.log ?? (() => {});
  const random: Random = seededRandom(`scale|${seed}|${N}`);
  const hash = options.passwordHash;
  const text = bodies();
  const registrationSecret = serverSecret(sqlite);
  /** A time between `from` and `to` (ms). */
  const between = (from: number, to: number) => Math.floor(from + random.next() * Math.max(0, to - from));

  // ---- loading: prepared statements, committed every 100,000 rows ----
  const counts: Record<string, number> = {};
  let pending = 0;
  sqlite.pragma("foreign_keys = OFF");
  sqlite.pragma("synchronous = OFF");
  sqlite.pragma("cache_size = -262144");
  sqlite.pragma("temp_store = MEMORY");
  sqlite.exec("begin");
  const table = (name: string, columns: string) => {
    const stmt = sqlite.prepare(`insert into ${name} (${columns}) values (${columns.split(",").map(() => "?").join(",")})`);
    counts[name] = 0;
    return (...values: unknown[]) => {
      stmt.run(values);
      counts[name]!++;
      if (++pending >= 100_000) {
        sqlite.exec("commit");
        sqlite.exec("begin");
        pending = 0;
      }
    };
  };
  const insertRegion = table("regions", "id,parent_id,name,level,phase_ceiling,created_at");
  const insertSchool = table("schools", "id,region_id,name,stage,default_locale,tags,phase,login_prefix,created_at");
  const insertUser = table(
    "users",
    "id,handle,login_name,real_name,school_id,birth_date,gender,student_number,registration_hash,status,password_hash,password_changed_at,activated_at,last_seen_at,phone,created_at",
  );
  const insertRole = table("user_roles", "user_id,role,region_id,school_id,created_at");
  const insertClass = table("classes", "id,school_id,grade,name,year,created_at");
  const insertMembership = table("class_memberships", "class_id,user_id,role,is_head_teacher,subject,created_at");
  const insertLink = table("guardian_links", "id,guardian_id,student_id,relationship,consent_state,consent_recorded_at,created_at");
  const insertContact = table("guardian_contacts", "id,student_id,name,phone,relation,created_at");
  const insertConsent = table("consent_records", "id,student_id,guardian_name,method,decision,decided_at,recorded_by,seen_by,note,created_at");
  const insertLesson = table("lessons", "id,author_id,school_id,title,body_json,body_html,version,created_at");
  const insertLessonPub = table("lesson_publications", "lesson_id,class_id,publish_at,published_by,created_at");
  const insertAssignment = table(
    "assignments",
    "id,author_id,school_id,lesson_id,title,body_json,body_html,points,open_at,due_at,late_until,allow_resubmit,status,published_at,version,created_at",
  );
  const insertAssignmentClass = table("assignment_classes", "assignment_id,class_id");
  const insertSubmission = table(
    "submissions",
    "id,assignment_id,student_id,class_id,version_count,last_submitted_at,late,score,feedback,grade_state,grade_version,graded_by,graded_at,returned_at,created_at",
  );
  const insertVersion = table("submission_versions", "id,submission_id,number,body_json,body_html,checksum,late,submitted_at");
  const insertAnnouncement = table("announcements", "id,class_id,author_id,body_json,body_html,pinned,version,created_at");
  const insertPost = table("posts", "id,author_id,school_id,title,body_json,body_html,excerpt,visibility,status,approval,approved_by,version,published_at,updated_at,created_at");
  const insertTag = table("content_tags", "subject_type,subject_id,tag");
  const insertComment = table("comments", "id,post_id,author_id,body,approval,approved_by,removed_at,created_at");
  const insertReaction = table("reactions", "post_id,user_id,created_at");
  const insertGroup = table("groups", "id,kind,name,description,subject,search_text,reach,school_id,region_id,join_policy,created_by,created_as,version,created_at");
  const insertMember = table("group_members", "group_id,user_id,role,state,member_as,school_id,decided_at,joined_at,created_at");
  const insertThread = table("group_threads", "id,group_id,author_id,title,post_count,last_post_at,created_at");
  const insertGroupPost = table("group_posts", "id,thread_id,group_id,author_id,body_json,body_html,created_at");
  const insertNotice = table("notifications", "id,user_id,kind,actor_id,subject_type,subject_id,facts,read_at,created_at");
  const insertFlag = table("feature_flags", "key,default_enabled,rules,overridable,updated_at");
  const insertOverride = table("flag_overrides", "id,flag_key,scope_type,scope_id,enabled,locked,set_by,set_at");
  const insertAudit = table("audit_events", "id,actor_id,action,target_type,target_id,school_id,detail,at");
  const insertResource = table("library_resources", "id,author_id,school_id,latest_version_id,created_at");
  const insertLibraryVersion = table("library_versions", "id,resource_id,number,title,search_text,body_json,body_html,kind,stage,grade,subject,edition,unit,language,licence,note,created_at");
  const insertListing = table("library_listings", "id,resource_id,region_id,state,version_id,admitted_version_id,admitted_at,quality,recommended_from,round,decided_by,decided_at,created_at");
  const insertReview = table("library_reviews", "id,listing_id,version_id,reviewer_id,decision,checklist,comment,created_at");
  const insertReviewer = table("library_reviewers", "user_id,region_id,granted_by,created_at");
  const insertUse = table("library_uses", "id,resource_id,version_id,user_id,school_id,lesson_id,published,created_at");
  const insertRating = table("library_ratings", "resource_id,user_id,stars,updated_at");

  const logins: ScaleLogin[] = [];
  const person = (p: { login: string; name: string; community: Community; schoolId: string | null; role: Role; roleSchool?: string | null; roleRegion?: string | null; birth?: string; gender?: string; studentNumber?: string; registration?: string; seen: number | null; phone?: string | null }): Person => {
    const id = random.id();
    const activated = between(TERM_START - 20 * DAY, TERM_START + 30 * DAY);
    insertUser(id, handleOf(p.login), p.login, p.name, p.schoolId, p.birth ?? null, p.gender ?? null, p.studentNumber ?? null, p.registration ? keyedHash(registrationSecret, `registration|${p.registration}`) : null, "active", hash, activated, activated, p.seen, p.phone ?? null, activated - DAY);
    insertRole(id, p.role, p.roleRegion ?? null, p.roleSchool ?? null, activated - DAY);
    return { id, login: p.login, name: p.name, community: p.community };
  };
  /** When a person was last seen: `recent` of them within the week, `month` more within 30 days. */
  const seen = (recent: number, month: number) => {
    const r = random.next();
    if (r < recent) return NOW - Math.floor(random.next() * 7 * DAY);
    if (r < recent + month) return NOW - Math.floor((7 + random.next() * 23) * DAY);
    return null;
  };
  const phone = () => `1${random.pick(["3", "5", "8", "9"])}${String(random.int(1e9)).padStart(9, "0")}`;

  // ---- regions and their admins ----
  log("regions");
  const regionIds = new Map<string, string>();
  const regionNames = new Map<string, string>();
  const addRegion = (key: string, name: string, level: string, parent: string | null, ceiling: number | null) => {
    const id = random.id();
    regionNames.set(key, name);
    insertRegion(id, parent ? regionIds.get(parent)! : null, name, level, ceiling, TERM_START - 365 * DAY);
    regionIds.set(key, id);
  };
  addRegion(PROVINCE.key, PROVINCE.name, "province", null, null);
  for (const p of PREFECTURES) addRegion(p.key, p.name, "prefecture", PROVINCE.key, p.ceiling ?? null);
  for (const c of COUNTIES) addRegion(c.key, c.name, "county", c.prefecture, null);
  const regionAdmins = new Map<string, string>();
  const platform = person({ login: "platform", name: "周明远", community: "han", schoolId: null, role: "platform_admin", seen: NOW - DAY });
  logins.push({ role: "platform_admin", loginName: platform.login, realName: platform.name, school: null });
  for (const [key, name] of [[PROVINCE.key, PROVINCE.name], ...PREFECTURES.map((p) => [p.key, p.name]), ...COUNTIES.map((c) => [c.key, c.name])] as [string, string][]) {
    const community = COUNTIES.find((c) => c.key === key)?.community ?? (key === "liangshan" ? "yi" : key === "garze" || key === "aba" ? "tibetan" : "han");
    const admin = person({ login: `${key}.edu`, name: personName(random, community), community, schoolId: null, role: "region_admin", roleRegion: regionIds.get(key)!, seen: seen(0.7, 0.2) });
    regionAdmins.set(key, admin.id);
    if (key === "sichuan" || key === "chengdu" || key === "liangshan" || key === "wuhou") logins.push({ role: "region_admin", loginName: admin.login, realName: admin.name, school: null, note: name, ids: { regionId: regionIds.get(key)! } });
  }

  // ---- schools, classes, sizes ----
  const schoolCount = Math.max(6, Math.round(N / 333));
  const firsts = FIRST_COUNTIES.slice(0, Math.min(schoolCount, FIRST_COUNTIES.length));
  const rest = apportion(schoolCount - firsts.length, COUNTIES.map((c) => c.weight));
  const perCounty = COUNTIES.map((c, i) => rest[i]! + (firsts.includes(c.key) ? 1 : 0));
  const plan: { county: County; stage: Stage; k: number }[] = [];
  COUNTIES.forEach((county, ci) => {
    const seenStage: Record<string, number> = {};
    for (let j = 0; j < perCounty[ci]!; j++) {
      const stage = STAGE_PATTERN[j % STAGE_PATTERN.length]!;
      seenStage[stage] = (seenStage[stage] ?? 0) + 1;
      plan.push({ county, stage, k: seenStage[stage]! - 1 });
    }
  });
  const classCount = Math.max(schoolCount, Math.round(N / 33.3));
  const schoolWeights = plan.map((p) => (STAGE_WEIGHT[p.stage] ?? 1) * p.county.weight ** 0.3 * (0.6 + 0.8 * random.next()));
  const classesPer = apportion(classCount, schoolWeights, 1);
  const sizeWeights = Array.from({ length: classCount }, () => 0.8 + 0.4 * random.next());
  const classSizes = apportion(N, sizeWeights);

  const schools: School[] = [];
  let classIndex = 0;
  log(`schools (${schoolCount}), classes (${classCount}), people`);
  plan.forEach((p, si) => {
    const { county, stage } = p;
    const stageKey = stage as "primary" | "junior" | "vocational";
    const id = random.id();
    const prefix = `${county.key}-${stage[0]}${p.k + 1}`;
    const name = schoolName(county, stage, p.k);
    const tags = [...county.tags, ...(stage === "vocational" ? ["vocational-pilot"] : [])];
    const regionId = regionIds.get(county.key)!;
    insertSchool(id, regionId, name, stage, county.locale, JSON.stringify(tags), county.phase, prefix, TERM_START - 300 * DAY);
    const school: School = { id, name, prefix, county, regionId, stage, phase: county.phase, adminId: "", teachers: [], classes: [], pupils: [], subjects: subjectsOf(stage, county.community) };
    schools.push(school);
    const adminCommunity = communityIn(random, county);
    const admin = person({ login: `${prefix}.admin`, name: personName(random, adminCommunity), community: adminCommunity, schoolId: id, role: "school_admin", roleSchool: id, seen: seen(0.8, 0.15) });
    school.adminId = admin.id;

    // Classes and their pupils' count first: the school's teachers follow from its pupils.
    const grades = GRADE_COUNT[stageKey];
    const sizes: number[] = [];
    for (let j = 0; j < classesPer[si]!; j++) {
      const grade = (j % grades) + 1;
      const section = Math.floor(j / grades) + 1;
      const klass: Klass = { id: random.id(), school, grade, name: className(stage, grade, section, county.community), pupils: [], teachers: [] };
      insertClass(klass.id, id, grade, klass.name, 2026, TERM_START - 10 * DAY);
      school.classes.push(klass);
      sizes.push(classSizes[classIndex++]!);
    }
    const pupilTotal = sizes.reduce((a, b) => a + b, 0);
    const teacherCount = Math.max(2, Math.round(pupilTotal * 0.07));
    for (let t = 0; t < teacherCount; t++) {
      const community = communityIn(random, county);
      school.teachers.push(
        person({ login: `${prefix}.t${t + 1}`, name: personName(random, community), community, schoolId: id, role: "teacher", roleSchool: id, gender: random.chance(0.62) ? "female" : "male", seen: county.phase >= 1 ? seen(0.85, 0.1) : null }),
      );
    }
    const perClass = Math.min(5, teacherCount, school.subjects.length);
    school.classes.forEach((klass, ci) => {
      for (let k = 0; k < perClass; k++) {
        const teacher = school.teachers[(ci * perClass + k) % teacherCount]!;
        const subject = stage === "vocational" && k === 0 ? klass.name.replace(/^\d+级|\d+班$/g, "") : school.subjects[k]!;
        klass.teachers.push({ person: teacher, subject, head: k === 0 });
        insertMembership(klass.id, teacher.id, "teacher", k === 0 ? 1 : 0, subject, TERM_START - 10 * DAY);
      }
    });

    // Pupils, their guardians and consent.
    let pupilNo = 0;
    let parentNo = 0;
    school.classes.forEach((klass, ci) => {
      // The class's paper forms come back in a pile after a parents' meeting: one batch, as the rollout page records it.
      const batchAt = between(TERM_START + 3 * DAY, TERM_START + 20 * DAY);
      const batch: { id: string; name: string }[] = [];
      const firstAge = FIRST_GRADE_AGE[stageKey] + klass.grade - 1;
      for (let s = 0; s < sizes[ci]!; s++) {
        pupilNo++;
        const community = communityIn(random, county);
        // Born between 1 September and 31 August of the year that makes them `firstAge` on 1 September 2026; a few a year older.
        const older = random.chance(0.05) ? 1 : 0;
        const bornFrom = Date.UTC(2026 - firstAge - 1 - older, 8, 1);
        const born = between(bornFrom, bornFrom + 365 * DAY);
        const birth = iso(born);
        const under14 = Date.UTC(new Date(born).getUTCFullYear() + 14, new Date(born).getUTCMonth(), new Date(born).getUTCDate()) > NOW;
        const gender = random.chance(0.5) ? "female" : "male";
        const studentNumber = `2026${String(pupilNo).padStart(4, "0")}`;
        // 学籍号: G + an ID-number-like string (area code, birth date, sequence, check digit); only its keyed hash is stored.
        const registration = `G${510100 + si}${birth.replace(/-/g, "")}${String(pupilNo).padStart(4, "0")}`;
        const name = personName(random, community);
        const pupilUser = person({ login: `${prefix}.s${pupilNo}`, name, community, schoolId: id, role: "student", roleSchool: id, birth, gender, studentNumber, registration, seen: county.phase >= 2 ? seen(0.6, 0.2) : null });
        insertMembership(klass.id, pupilUser.id, "student", 0, null, TERM_START - 10 * DAY);
        const pupil: Pupil = { ...pupilUser, school, klass, under14, canWork: false, parents: [], consentGiven: false };
        klass.pupils.push(pupil);
        school.pupils.push(pupil);

        // Guardians: most pupils have a parent on the platform (a father shares a Han surname or Yi clan), some two.
        const parentSeen = () => (county.phase >= 3 ? seen(0.45, 0.25) : seen(0.05, 0.1));
        const addParent = (relationship: "father" | "mother") => {
          parentNo++;
          const parentCommunity = community;
          const parentName = personName(random, parentCommunity, relationship === "father" ? { community, name } : undefined);
          const parent = person({ login: `${prefix}.p${parentNo}`, name: parentName, community: parentCommunity, schoolId: null, role: "parent", seen: parentSeen(), phone: phone() });
          pupil.parents.push(parent);
          return parent;
        };
        if (random.chance(0.72)) addParent(random.chance(0.55) ? "father" : "mother");
        if (random.chance(0.08)) addParent(pupil.parents.length ? "mother" : "father");
        const contactName = pupil.parents[0]?.name ?? personName(random, community, { community, name });
        insertContact(random.id(), pupil.id, contactName, phone(), random.pick(["父亲", "母亲", "祖父", "祖母"]), TERM_START - 10 * DAY);

        // Consent for under-14s: most on paper (seen by the head teacher), some online by a linked parent; a few refused or withdrew.
        let decision: "given" | "refused" | "withdrawn" | "none" = "none";
        if (under14) {
          const r = random.next();
          decision = r < 0.88 ? "given" : r < 0.91 ? "refused" : r < 0.92 ? "withdrawn" : "none";
          if (decision !== "none") {
            const online = pupil.parents.length > 0 && random.chance(0.25);
            const inBatch = !online && decision !== "refused";
            const at = inBatch ? batchAt : between(TERM_START, TERM_START + 20 * DAY);
            const guardianName = online ? pupil.parents[0]!.name : contactName;
            const head = klass.teachers[0]!.person.id;
            const firstDecision = decision === "withdrawn" ? "given" : decision;
            const recordId = random.id();
            insertConsent(recordId, pupil.id, guardianName, online ? "online" : "paper", firstDecision, at, online ? pupil.parents[0]!.id : school.adminId, online ? null : head, null, at);
            if (inBatch) batch.push({ id: pupil.id, name });
            else if (online) insertAudit(random.id(), pupil.parents[0]!.id, "consent.online", "user", pupil.id, id, JSON.stringify({ recordId, decision: firstDecision, method: "online", from: "none", guardian: guardianName }), at);
            else insertAudit(random.id(), school.adminId, "consent.record", "user", pupil.id, id, JSON.stringify({ recordId, decision: firstDecision, method: "paper", guardian: guardianName, signedOn: iso(at) }), at);
            if (decision === "withdrawn") {
              const later = between(at + DAY, NOW - DAY);
              const withdrawalId = random.id();
              insertConsent(withdrawalId, pupil.id, guardianName, "paper", "withdrawn", later, school.adminId, head, null, later);
              insertAudit(random.id(), school.adminId, "consent.record", "user", pupil.id, id, JSON.stringify({ recordId: withdrawalId, decision: "withdrawn", method: "paper", guardian: guardianName, signedOn: iso(later) }), later);
            }
          }
        }
        pupil.consentGiven = !under14 || decision === "given";
        pupil.canWork = county.phase >= 2 && pupil.consentGiven;
        pupil.parents.forEach((parent, pi) =>
          insertLink(random.id(), parent.id, pupil.id, pi === 0 ? (parent.name.startsWith(name.slice(0, 1)) ? "father" : "mother") : "guardian", under14 ? decision : "none", under14 && decision !== "none" ? TERM_START + 10 * DAY : null, TERM_START + 5 * DAY),
        );
        // A few siblings: a parent of this pupil is also the guardian of the previous pupil of the school, in another class.
        const previous = school.pupils[school.pupils.length - 1 - (sizes[ci] ?? 30)];
        if (pupil.parents.length && previous && random.chance(0.05)) {
          insertLink(random.id(), pupil.parents[0]!.id, previous.id, "guardian", previous.under14 ? (previous.consentGiven ? "given" : "none") : "none", null, TERM_START + 5 * DAY);
          previous.parents.push(pupil.parents[0]!);
        }
      }
      if (batch.length) {
        const head = klass.teachers[0]!.person;
        insertAudit(random.id(), school.adminId, "consent.record_batch", "class", klass.id, id, JSON.stringify({ className: klass.name, count: batch.length, decision: "given", method: "paper", signedOn: iso(batchAt), seenBy: head.name, pupils: batch }), batchAt);
      }
    });
  });

  // ---- flags: the demo's three priorities (teachers first, 成都 first, vocational first); parents where their school is open ----
  const chengdu = regionIds.get("chengdu")!;
  const everyLevel = { region: true, school: true, user: true };
  const regionAndSchool = { region: true, school: true, user: false };
  const flags: Record<FlagKey, FlagSettings> = {
    blog: { defaultEnabled: false, overridable: everyLevel, rules: [{ enabled: true, roles: ["teacher"] }, { enabled: true, roles: ["student"], regionIds: [chengdu] }] },
    portfolio: { defaultEnabled: false, overridable: everyLevel, rules: [{ enabled: true, roles: ["teacher"] }, { enabled: true, roles: ["student"], regionIds: [chengdu] }] },
    assignments: { defaultEnabled: false, overridable: regionAndSchool, rules: [{ enabled: true, roles: ["teacher", "student"] }] },
    study_groups: { defaultEnabled: false, overridable: regionAndSchool, rules: [{ enabled: true, roles: ["teacher"] }, { enabled: true, roles: ["student"], stages: ["junior", "senior", "vocational"] }] },
    cross_school_groups: { defaultEnabled: false, overridable: regionAndSchool, rules: [{ enabled: true, roles: ["teacher"] }, { enabled: true, stages: ["junior", "vocational"] }] },
    student_groups: { defaultEnabled: false, overridable: regionAndSchool, rules: [{ enabled: true, stages: ["vocational"] }] },
    lesson_sharing: { defaultEnabled: false, overridable: regionAndSchool, rules: [{ enabled: true, roles: ["teacher"] }, { enabled: true, stages: ["vocational"] }] },
    parent_access: { defaultEnabled: false, overridable: { region: true, school: false, user: false }, rules: [{ enabled: true, regionIds: [chengdu] }, { enabled: true, roles: ["parent"] }] },
  };
  for (const [key, f] of Object.entries(flags)) insertFlag(key, f.defaultEnabled ? 1 : 0, JSON.stringify(f.rules), JSON.stringify(f.overridable), TERM_START);
  // 成都's primary schools have opted their pupils into study groups (a school override); elsewhere primary pupils wait.
  const pupilsInGroups = (s: School) => s.stage !== "primary" || (s.county.prefecture === "chengdu" && s.phase >= 3);
  for (const s of schools) {
    if (s.stage !== "primary" || !pupilsInGroups(s)) continue;
    insertOverride(random.id(), "study_groups", "school", s.id, 1, 0, s.adminId, TERM_START + 14 * DAY);
    insertAudit(random.id(), s.adminId, "flag.override_set", "flag", "study_groups", s.id, JSON.stringify({ flag: "study_groups", scope: "school", scopeId: s.id, place: s.name, before: null, after: { enabled: true, locked: false } }), TERM_START + 14 * DAY);
  }
  sqlite.prepare("insert into cache_versions (name, version) values ('flags', 1) on conflict(name) do update set version = version + 1").run();

  const notice = (userId: string, kind: string, actorId: string | null, subjectType: string | null, subjectId: string | null, facts: object | null, at: number) =>
    insertNotice(random.id(), userId, kind, actorId, subjectType, subjectId, facts ? JSON.stringify(facts) : null, random.chance(0.65) ? Math.min(NOW, at + Math.floor(random.next() * 2 * DAY)) : null, at);
  const bodyOf = (list: Body[]) => random.pick(list);

  // ---- lessons, assignments, hand-ins, announcements ----
  log("lessons, assignments, submissions");
  const ASSIGNMENTS_PER_CLASS = 14;
  for (const school of schools) {
    const lessonsOf = new Map<string, string[]>();
    for (const teacher of school.teachers) {
      const own: string[] = [];
      const classes = school.classes.filter((c) => c.teachers.some((t) => t.person.id === teacher.id));
      for (let l = 0, n = 1 + random.count(4); l < n; l++) {
        const id = random.id();
        const body = bodyOf(text.lessons);
        const at = between(TERM_START - 10 * DAY, NOW - DAY);
        insertLesson(id, teacher.id, school.id, random.pick(LESSON_TITLES), body.json, body.html, 1, at);
        own.push(id);
        const published = new Set<string>();
        for (let c = 0, m = Math.min(classes.length, 1 + random.int(2)); c < m; c++) {
          const klass = random.pick(classes);
          if (published.has(klass.id)) continue;
          published.add(klass.id);
          insertLessonPub(id, klass.id, at + DAY, teacher.id, at);
        }
      }
      lessonsOf.set(teacher.id, own);
    }

    for (const klass of school.classes) {
      for (let a = 0; a < ASSIGNMENTS_PER_CLASS; a++) {
        const author = klass.teachers[a % klass.teachers.length]!.person;
        const id = random.id();
        const body = bodyOf(text.assignments);
        // Spread over the term; the last few are open now or still to come.
        const openAt = a < ASSIGNMENTS_PER_CLASS - 2 ? between(TERM_START, NOW - 8 * DAY) : a === ASSIGNMENTS_PER_CLASS - 2 ? between(NOW - 3 * DAY, NOW - DAY) : between(NOW + DAY, NOW + 3 * DAY);
        const dueAt = openAt + (3 + random.int(8)) * DAY;
        const lateUntil = random.chance(0.5) ? dueAt + 2 * DAY : null;
        const draft = random.chance(0.02);
        const points = random.pick([10, 20, 30, 60, 100, 100]);
        const lessonIds = lessonsOf.get(author.id) ?? [];
        const title = `${random.pick(ASSIGNMENT_TITLES)}（${a + 1}）`;
        insertAssignment(id, author.id, school.id, lessonIds.length && random.chance(0.4) ? random.pick(lessonIds) : null, title, body.json, body.html, points, openAt, dueAt, lateUntil, 1, draft ? "draft" : "published", draft ? null : openAt, 1, openAt - DAY);
        insertAssignmentClass(id, klass.id);
        if (draft || openAt > NOW) continue;
        const closed = (lateUntil ?? dueAt) < NOW;
        let handedIn = 0;
        const returned: string[] = [];
        let lastReturn = 0;
        for (const pupil of klass.pupils) {
          if (!pupil.canWork) continue;
          const dueOver = dueAt < NOW;
          if (!random.chance(dueOver ? 0.9 : 0.55)) continue;
          const late = dueOver && lateUntil !== null && random.chance(0.08);
          const at = late ? between(dueAt, Math.min(lateUntil!, NOW)) : between(openAt, Math.min(dueAt, NOW));
          const versions = random.chance(0.1) ? 2 : 1;
          const sid = random.id();
          const r = random.next();
          const state = closed ? (r < 0.72 ? "returned" : r < 0.82 ? "draft" : "none") : "none";
          const score = state === "none" ? null : Math.round(points * (0.45 + 0.55 * random.next()));
          const gradedAt = state === "none" ? null : Math.min(NOW - 120_000, (lateUntil ?? dueAt) + Math.floor(random.next() * 2 * DAY));
          const returnedAt = state === "returned" ? gradedAt! + 60_000 : null;
          insertSubmission(sid, id, pupil.id, klass.id, versions, at, late ? 1 : 0, score, state === "none" ? null : random.chance(0.5) ? random.pick(FEEDBACK) : null, state, state === "none" ? 0 : 1, state === "none" ? null : author.id, gradedAt, returnedAt, at);
          for (let v = 1; v <= versions; v++) {
            const answer = bodyOf(text.answers);
            insertVersion(random.id(), sid, v, answer.json, answer.html, answer.checksum, late ? 1 : 0, v === versions ? at : at - Math.floor(random.next() * DAY));
          }
          handedIn++;
          if (state === "returned") {
            returned.push(pupil.id);
            lastReturn = Math.max(lastReturn, returnedAt!);
            if (random.chance(0.35)) notice(pupil.id, "grade_returned", author.id, "assignment", id, { score, points }, returnedAt!);
            for (const parent of pupil.parents) if (school.phase >= 3 && pupil.consentGiven && random.chance(0.3)) notice(parent.id, "child_grade_returned", pupil.id, "assignment", id, { score, points }, returnedAt!);
          }
        }
        if (returned.length) insertAudit(random.id(), author.id, "grade.return_batch", "assignment", id, school.id, JSON.stringify({ assignmentId: id, assignment: title, students: returned }), lastReturn);
        if (handedIn) notice(author.id, "handins", null, "assignment", id, { count: Math.max(1, Math.round(handedIn * 0.2)) }, Math.min(NOW, dueAt));
        if (!closed) for (const pupil of klass.pupils) if (pupil.canWork && random.chance(0.5)) notice(pupil.id, "assignment_new", author.id, "assignment", id, null, openAt);
      }
      for (let n = 0, count = 4 + random.int(8); n < count; n++) {
        const author = random.pick(klass.teachers).person;
        const body = bodyOf(text.announcements);
        insertAnnouncement(random.id(), klass.id, author.id, body.json, body.html, n === 0 && random.chance(0.3) ? 1 : 0, 1, between(TERM_START, NOW));
      }
    }
  }

  // ---- posts, comments, reactions ----
  log("posts, comments, reactions");
  const pupilsWriting = schools.filter((s) => s.county.prefecture === "chengdu" && s.phase >= 2).reduce((n, s) => n + s.pupils.filter((p) => p.canWork).length, 0);
  const teacherTotal = schools.reduce((n, s) => n + s.teachers.length, 0);
  // About 2·N posts: 30% by teachers, 70% by the pupils whose blog is open (成都's); count() draws half a post under its mean.
  const teacherMean = (0.6 * N) / Math.max(1, teacherTotal) + 0.5;
  const pupilMean = pupilsWriting ? (1.4 * N) / pupilsWriting + 0.5 : 0;
  for (const school of schools) {
    const community = school.county.community;
    const readers: Person[] = [...school.teachers, ...school.pupils.filter((p) => p.canWork)];
    const needsApproval = school.stage === "primary";
    const headOf = (p: Pupil) => p.klass.teachers[0]!.person.id;
    const write = (author: Person, pupil: Pupil | null) => {
      const id = random.id();
      const body = bodyOf(text.posts[community]);
      const created = between(TERM_START, NOW - 60_000);
      const draft = random.chance(0.04);
      const visibility = draft ? "private" : pupil ? random.pick(["classes", "classes", "school", "school", "public", "private"]) : random.pick(["public", "public", "school", "school", "classes", "private"]);
      const approval = pupil && needsApproval && !draft ? (random.chance(0.92) ? "approved" : "pending") : "none";
      const published = draft ? null : created + 60_000;
      insertPost(id, author.id, school.id, random.pick(text.titles[community]), body.json, body.html, body.excerpt, visibility, draft ? "draft" : "published", approval, approval === "approved" ? headOf(pupil!) : null, 1, published, published ?? created, created);
      if (random.chance(0.5)) insertTag("post", id, random.pick(TAGS));
      if (draft || approval === "pending" || visibility === "private") return;
      for (let c = 0, n = random.count(0.9); c < n; c++) {
        const by = random.pick(readers);
        const at = between(published!, NOW);
        const byPupil = school.pupils.includes(by as Pupil);
        insertComment(random.id(), id, by.id, random.pick(COMMENTS), byPupil && needsApproval ? "approved" : "none", null, random.chance(0.01) ? at + DAY : null, at);
        if (by.id !== author.id) notice(author.id, "comment", by.id, "post", id, null, at);
      }
      const liked = new Set<string>();
      for (let c = 0, n = Math.min(readers.length, random.count(1.1)); c < n; c++) {
        const by = random.pick(readers);
        if (liked.has(by.id)) continue;
        liked.add(by.id);
        insertReaction(id, by.id, between(published!, NOW));
      }
    };
    for (const teacher of school.teachers) for (let n = random.count(teacherMean); n > 0; n--) write(teacher, null);
    if (school.county.prefecture === "chengdu" && school.phase >= 2) for (const pupil of school.pupils) if (pupil.canWork) for (let n = random.count(pupilMean); n > 0; n--) write(pupil, pupil);
  }

  // ---- groups, members, threads ----
  log("groups");
  const teachersOfCounty = new Map<string, { person: Person; school: School }[]>();
  for (const s of schools) for (const t of s.teachers) teachersOfCounty.set(s.county.key, [...(teachersOfCounty.get(s.county.key) ?? []), { person: t, school: s }]);
  for (const school of schools) {
    const workers = pupilsInGroups(school) ? school.pupils.filter((p) => p.canWork) : [];
    for (let g = 0, n = Math.round(0.2 * school.pupils.length); g < n; g++) {
      const research = random.chance(0.3) || !workers.length;
      const pupilMade = !research && school.stage !== "primary" && random.chance(0.15);
      const owner: Person = pupilMade ? random.pick(workers) : random.pick(school.teachers);
      const id = random.id();
      const subject = random.pick(GROUP_SUBJECTS);
      const name = `${school.name.replace(school.county.name, "")}${random.pick(research ? GROUP_NAMES.research : GROUP_NAMES.study)}${g + 1}`;
      const description = research ? "一起备课、听课、研究作业设计。" : "一起读书、讨论、完成小组任务。";
      const reach = research ? random.pick(["school", "region", "region", "platform"]) : "school";
      const created = between(TERM_START, NOW - 7 * DAY);
      insertGroup(id, research ? "research" : "study", name, description, subject, fold(`${name} ${subject} ${description}`), reach, school.id, reach === "region" ? school.regionId : null, random.pick(["open", "approval", "approval", "invitation"]), owner.id, pupilMade ? "student" : "teacher", 1, created);
      const members = new Set<string>([owner.id]);
      const active: Person[] = [owner];
      insertMember(id, owner.id, "owner", "active", pupilMade ? "student" : "teacher", school.id, null, created, created);
      const join = (p: Person, as: "teacher" | "student", from: School, role = "member") => {
        if (members.has(p.id)) return;
        members.add(p.id);
        const r = random.next();
        const state = r < 0.9 ? "active" : r < 0.95 ? "requested" : "left";
        const at = between(created, NOW);
        insertMember(id, p.id, role, state, as, from.id, state === "requested" ? null : at, state === "requested" ? null : at, at);
        if (state === "active") active.push(p);
      };
      if (research) {
        for (let m = 0, k = 2 + random.int(5); m < k; m++) join(random.pick(school.teachers), "teacher", school);
        if (reach !== "school") {
          const county = teachersOfCounty.get(school.county.key)!;
          for (let m = 0, k = 1 + random.int(4); m < k; m++) {
            const other = random.pick(county);
            join(other.person, "teacher", other.school);
          }
        }
      } else {
        if (pupilMade || random.chance(0.4)) join(random.pick(school.teachers), "teacher", school, "moderator");
        for (let m = 0, k = 4 + random.int(11); m < k && workers.length; m++) join(random.pick(workers), "student", school);
      }
      for (let t = 0, threads = random.count(2.2); t < threads; t++) {
        const threadId = random.id();
        const author = random.pick(active);
        const opened = between(created, NOW - DAY);
        const posts = 1 + random.count(2.5);
        let last = opened;
        const rows: [string, string, number][] = [];
        for (let p = 0; p < posts; p++) {
          last = p === 0 ? opened : between(last, NOW);
          rows.push([random.id(), p === 0 ? author.id : random.pick(active).id, last]);
        }
        insertThread(threadId, id, author.id, random.pick(THREAD_TITLES), posts, last, opened);
        for (const [postId, by, at] of rows) {
          const body = bodyOf(text.replies);
          insertGroupPost(postId, threadId, id, by, body.json, body.html, at);
        }
      }
    }
  }

  // ---- the region library: offered to the county, reviewed there, some recommended to the prefecture ----
  log("library");
  const reviewers = libraryReviewers(random, schools, regionIds, regionAdmins);
  for (const r of reviewers.values()) insertReviewer(r.person.id, r.regionId, r.grantedBy, TERM_START - 30 * DAY);
  const reviewerIds = new Set([...reviewers.values()].map((r) => r.person.id));
  const subjectsOfTeacher = new Map<string, string[]>();
  for (const s of schools) for (const k of s.classes) for (const t of k.teachers) subjectsOfTeacher.set(t.person.id, [...(subjectsOfTeacher.get(t.person.id) ?? []), t.subject]);
  const authors = schools.flatMap((s) => s.teachers.filter((t) => !reviewerIds.has(t.id)).map((person) => ({ person, school: s })));
  const readersOf = (key: string, prefecture: boolean) => schools.filter((s) => (prefecture ? s.county.prefecture === key : s.county.key === key)).flatMap((s) => s.teachers.map((person) => ({ person, school: s })));
  const countyReaders = new Map(COUNTIES.map((c) => [c.key, readersOf(c.key, false)]));
  const prefectureReaders = new Map(PREFECTURES.map((p) => [p.key, readersOf(p.key, true)]));
  const libraryAudit = (actorId: string, action: string, resourceId: string, schoolId: string | null, detail: object, at: number) =>
    insertAudit(random.id(), actorId, `library.${action}`, "library_resource", resourceId, schoolId, JSON.stringify(detail), at);
  const ALL_TICKED = JSON.stringify(LIBRARY_CHECKLIST);
  for (let r = 0, n = Math.round(authors.length / 4); r < n && authors.length; r++) {
    const { person: author, school } = random.pick(authors);
    const county = school.county;
    const countyReviewer = reviewers.get(county.key);
    const prefectureReviewer = reviewers.get(county.prefecture);
    if (!countyReviewer || !prefectureReviewer) continue;
    const d = libraryDescription(random, school, subjectsOfTeacher.get(author.id) ?? []);
    const id = random.id();
    const versionId = random.id();
    const offeredAt = between(TERM_START - 45 * DAY, NOW - 5 * DAY);
    const body = bodyOf(text.lessons);
    insertResource(id, author.id, school.id, versionId, offeredAt);
    insertLibraryVersion(versionId, id, 1, d.title, fold(d.title), body.json, body.html, d.kind, d.stage, d.grade, d.subject, d.edition, d.unit, d.language, d.licence, "", offeredAt);
    libraryAudit(author.id, "offer", id, school.id, { regionId: school.regionId, versionId }, offeredAt);
    const listingId = random.id();
    const roll = random.next();
    const state = roll < 0.7 ? "admitted" : roll < 0.9 ? "pending" : roll < 0.97 ? "returned" : "refused";
    if (state === "pending") {
      insertListing(listingId, id, school.regionId, "pending", versionId, null, null, 0, null, 1, null, null, offeredAt);
      continue;
    }
    const decidedAt = offeredAt + DAY + random.int(3 * DAY);
    const reviewerId = countyReviewer.person.id;
    const decision = state === "admitted" ? "admit" : state === "returned" ? "return" : "refuse";
    const quality = state === "admitted" && random.chance(0.25);
    const qualityAt = quality ? decidedAt + HOUR : null;
    const recommended = state === "admitted" && random.chance(0.1) && decidedAt + 6 * DAY < NOW;
    const recommendedAt = recommended ? decidedAt + 2 * DAY : null;
    // As the domain writes them: a decision bumps the round and names who decided; 优质 and recommending do not.
    insertListing(listingId, id, school.regionId, state, versionId, state === "admitted" ? versionId : null, state === "admitted" ? decidedAt : null, quality ? 1 : 0, null, 2, reviewerId, decidedAt, offeredAt);
    const comment = decision === "admit" ? "" : random.pick(LIBRARY_REVIEW_COMMENTS[decision]);
    const checklist = decision === "admit" ? LIBRARY_CHECKLIST : LIBRARY_CHECKLIST.filter(() => random.chance(0.6));
    insertReview(random.id(), listingId, versionId, reviewerId, decision, JSON.stringify(checklist), comment, decidedAt);
    libraryAudit(reviewerId, decision, id, school.id, { regionId: school.regionId, versionId, checklist }, decidedAt);
    if (state !== "admitted") continue;
    if (quality) {
      insertReview(random.id(), listingId, versionId, reviewerId, "quality", "[]", "", qualityAt);
      libraryAudit(reviewerId, "quality", id, school.id, { regionId: school.regionId }, qualityAt!);
    }
    let readers = countyReaders.get(county.key)!;
    /** From when a reader can see it: once admitted in their county's library, or in the prefecture's. */
    const countyFrom = Math.max(TERM_START, decidedAt + HOUR);
    let readableFrom = (_: School) => countyFrom;
    if (recommended) {
      const prefectureId = regionIds.get(county.prefecture)!;
      const upId = random.id();
      const upReviewer = prefectureReviewer.person.id;
      const upAdmittedAt = recommendedAt! + DAY + random.int(2 * DAY);
      insertReview(random.id(), listingId, versionId, reviewerId, "recommend", "[]", "", recommendedAt);
      libraryAudit(reviewerId, "recommend", id, school.id, { regionId: school.regionId, toRegionId: prefectureId }, recommendedAt!);
      insertListing(upId, id, prefectureId, "admitted", versionId, versionId, upAdmittedAt, 0, school.regionId, 2, upReviewer, upAdmittedAt, recommendedAt);
      insertReview(random.id(), upId, versionId, upReviewer, "admit", ALL_TICKED, "", upAdmittedAt);
      libraryAudit(upReviewer, "admit", id, school.id, { regionId: prefectureId, versionId, checklist: LIBRARY_CHECKLIST }, upAdmittedAt);
      readers = prefectureReaders.get(county.prefecture)!;
      const prefectureFrom = Math.max(TERM_START, upAdmittedAt + HOUR);
      readableFrom = (s) => (s.county.key === county.key ? countyFrom : prefectureFrom);
    }
    // Used this term by teachers who can read it (the county's, or the prefecture's once admitted there); most rate it.
    if (countyFrom >= NOW) continue;
    const used = new Set<string>([author.id]);
    for (let u = 0, uses = random.count(3) + (random.chance(0.5) ? 1 : 0); u < uses; u++) {
      const reader = random.pick(readers);
      if (used.has(reader.person.id)) continue;
      used.add(reader.person.id);
      insertUse(random.id(), id, versionId, reader.person.id, reader.school.id, null, random.chance(0.6) ? 1 : 0, between(readableFrom(reader.school), NOW - HOUR));
    }
    const rated = new Set<string>([author.id]);
    for (let k = 0, ratings = random.count(3) + (random.chance(0.5) ? 1 : 0); k < ratings; k++) {
      const reader = random.pick(readers);
      if (rated.has(reader.person.id)) continue;
      rated.add(reader.person.id);
      insertRating(id, reader.person.id, random.pick([3, 4, 4, 5, 5, 5]), between(readableFrom(reader.school), NOW - HOUR));
    }
  }

  sqlite.exec("commit");
  log("indexes: analyze");
  sqlite.exec("analyze");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");

  // ---- sample logins for a benchmark: people whose pages have something to show ----
  const byStage = (stage: Stage, locale: string, prefecture?: string) =>
    schools.find((s) => s.stage === stage && s.county.locale === locale && s.phase >= 2 && (!prefecture || s.county.prefecture === prefecture) && s.pupils.some((p) => p.canWork && p.parents.length));
  const samples = [byStage("primary", "zh-Hans", "chengdu"), byStage("junior", "zh-Hans", "chengdu"), byStage("primary", "bo"), byStage("primary", "ii")].filter((s): s is School => !!s);
  // Ids a benchmark can open as that person: their newest assignment with hand-ins, their busiest group thread, a post.
  const sampleAssignment = sqlite.prepare(
    "select a.id from assignments a join assignment_classes ac on ac.assignment_id = a.id where ac.class_id = ? and a.author_id = ? and exists (select 1 from submissions s where s.assignment_id = a.id) order by a.due_at desc, a.id limit 1",
  );
  const sampleThread = sqlite.prepare(
    "select t.group_id as groupId, t.id as threadId from group_members m join group_threads t on t.group_id = m.group_id where m.user_id = ? and m.state = 'active' order by t.post_count desc, t.id limit 1",
  );
  const samplePost = sqlite.prepare("select id from posts where author_id = ? and status = 'published' and visibility in ('public', 'school') order by published_at desc, id limit 1");
  const idsOf = (userId: string, classId?: string): Record<string, string> => {
    const out: Record<string, string> = {};
    const assignment = classId ? (sampleAssignment.get(classId, userId) as { id: string } | undefined) : undefined;
    if (assignment) out.assignmentId = assignment.id;
    const thread = sampleThread.get(userId) as { groupId: string; threadId: string } | undefined;
    if (thread) Object.assign(out, thread);
    const post = samplePost.get(userId) as { id: string } | undefined;
    if (post) out.postId = post.id;
    return out;
  };
  for (const school of new Set(samples)) {
    const klass = school.classes.reduce((a, b) => (b.pupils.length > a.pupils.length ? b : a));
    const teacher = klass.teachers[0]!.person;
    const pupil = klass.pupils.find((p) => p.canWork && p.parents.length) ?? klass.pupils.find((p) => p.canWork) ?? klass.pupils[0]!;
    const ids = { schoolId: school.id, classId: klass.id };
    logins.push({ role: "teacher", loginName: teacher.login, realName: teacher.name, school: school.name, locale: school.county.locale, note: `head teacher of ${klass.name}`, ids: { ...ids, ...idsOf(teacher.id, klass.id) } });
    logins.push({ role: "student", loginName: pupil.login, realName: pupil.name, school: school.name, locale: school.county.locale, note: pupilsInGroups(school) ? undefined : "groups not open to this school's pupils (flags)", ids: { ...ids, studentId: pupil.id, ...idsOf(pupil.id) } });
    // A parent's pages open at phase 3 (and for an under-14, with consent): only such parents are samples.
    if (pupil.parents[0] && school.phase >= 3) logins.push({ role: "parent", loginName: pupil.parents[0].login, realName: pupil.parents[0].name, school: null, note: `${pupil.name} 的家长`, ids: { studentId: pupil.id } });
    logins.push({ role: "school_admin", loginName: `${school.prefix}.admin`, realName: "", school: school.name, locale: school.county.locale, ids: { schoolId: school.id } });
  }
  // The reviewers of the first sample school's county library and of its prefecture's (their review queues).
  for (const key of samples.length ? [samples[0]!.county.key, samples[0]!.county.prefecture] : []) {
    const reviewer = reviewers.get(key);
    const school = reviewer && schools.find((s) => s.teachers.includes(reviewer.person));
    if (reviewer && school) logins.push({ role: "teacher", loginName: reviewer.person.login, realName: reviewer.person.name, school: school.name, locale: school.county.locale, note: `library reviewer of ${regionNames.get(key)}`, ids: { regionId: reviewer.regionId } });
  }
  const nameOf = sqlite.prepare("select real_name as n from users where login_name = ?");
  for (const l of logins) if (!l.realName) l.realName = (nameOf.get(l.loginName) as { n: string }).n;
  return { counts, logins, base: NOW, seed, students: N };
}
