// The drizzle schema: the one description of every table. Domain modules in app/domain query it;
// routes never import it. Times are UTC, stored as integer milliseconds (`timestamp_ms`).
import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const LOCALES = ["zh-Hans", "bo", "ii", "en"] as const;
export type Locale = (typeof LOCALES)[number];

/** A school's, class's or subject's name in the languages besides Chinese, given by the school's admin. */
export type LocalNames = { bo?: string; ii?: string; en?: string };

export const ROLES = ["platform_admin", "region_admin", "school_admin", "teacher", "student", "parent"] as const;
export type Role = (typeof ROLES)[number];

export const STAGES = ["preschool", "primary", "junior", "senior", "vocational", "higher", "continuing", "special"] as const;
export type Stage = (typeof STAGES)[number];

export const REGION_LEVELS = ["province", "prefecture", "county"] as const;
export const USER_STATUSES = ["provisioned", "active", "disabled"] as const;
export type UserStatus = (typeof USER_STATUSES)[number];
export const CONSENT_STATES = ["none", "given", "refused", "withdrawn"] as const;
/** Who may see a post, portfolio item or file: only me · my classes · my school · public. */
export const VISIBILITIES = ["private", "classes", "school", "public"] as const;
export type Visibility = (typeof VISIBILITIES)[number];
/** Students' posts and comments may wait for a teacher (school setting); "none" = never needed it. */
export const APPROVAL_STATES = ["none", "pending", "approved", "rejected"] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];
export const PORTFOLIO_KINDS = ["work", "project", "award", "certificate", "reflection", "lesson_record"] as const;
export type PortfolioKind = (typeof PORTFOLIO_KINDS)[number];
/** What a file is attached to; its readers are that thing's readers. "draft": uploaded, not attached yet (owner only). */
export const FILE_ATTACHMENTS = [
  "draft",
  "avatar",
  "post",
  "portfolio_item",
  "lesson",
  "announcement",
  "assignment",
  "submission",
  "feedback",
  "group_cover",
  "group_post",
  "group_resource",
  "group_task",
  "group_result",
  "library_version",
] as const;
export type FileAttachment = (typeof FILE_ATTACHMENTS)[number];

const createdAt = (name = "created_at") =>
  integer(name, { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

export const regions = sqliteTable(
  "regions",
  {
    id: text("id").primaryKey(),
    parentId: text("parent_id").references((): any => regions.id),
    name: text("name").notNull(),
    level: text("level", { enum: REGION_LEVELS }).notNull(),
    /** Highest rollout phase (0–3) any school below may reach; null = no ceiling set here. */
    phaseCeiling: integer("phase_ceiling"),
    createdAt: createdAt(),
  },
  (t) => [index("regions_parent_idx").on(t.parentId), uniqueIndex("regions_parent_name_uq").on(t.parentId, t.name)],
);

export const schools = sqliteTable(
  "schools",
  {
    id: text("id").primaryKey(),
    regionId: text("region_id")
      .notNull()
      .references(() => regions.id),
    name: text("name").notNull(),
    stage: text("stage", { enum: STAGES }).notNull(),
    defaultLocale: text("default_locale", { enum: LOCALES }).notNull().default("zh-Hans"),
    /** JSON array of tag strings, e.g. ["ethnic-area","remote"]. */
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    phase: integer("phase").notNull().default(0),
    /** Short latin prefix for generated login names, e.g. "wuhou-pri" → "wuhou-pri.s12". */
    loginPrefix: text("login_prefix"),
    /** Students' posts and comments wait for a teacher's approval; null = the stage's default (on for primary). */
    studentContentApproval: integer("student_content_approval", { mode: "boolean" }),
    /** Highest phase this school may reach, set by an admin above it; null = only its regions' ceilings. */
    phaseCeiling: integer("phase_ceiling"),
    /** The name in bo, ii and en; `name` stays the official (registry) name. */
    names: text("names", { mode: "json" }).$type<LocalNames>().notNull().default(sql`'{}'`),
    /** Subjects (free text on class memberships, in Chinese) → their names in bo, ii and en. */
    subjectNames: text("subject_names", { mode: "json" }).$type<Record<string, LocalNames>>().notNull().default(sql`'{}'`),
    createdAt: createdAt(),
  },
  (t) => [
    index("schools_region_idx").on(t.regionId),
    uniqueIndex("schools_login_prefix_uq").on(t.loginPrefix),
    uniqueIndex("schools_region_name_uq").on(t.regionId, t.name),
    check("schools_phase_ck", sql`${t.phase} between 0 and 3`),
  ],
);

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    /** Public, URL-safe handle for /u/:handle. */
    handle: text("handle").notNull(),
    /** What the person types to sign in; stored lower-case. */
    loginName: text("login_name").notNull(),
    realName: text("real_name").notNull(),
    schoolId: text("school_id").references(() => schools.id),
    /** ISO date (YYYY-MM-DD); students only. */
    birthDate: text("birth_date"),
    gender: text("gender", { enum: ["female", "male"] }),
    /** The school's own student number (not the national 学籍号); unique within the school. */
    studentNumber: text("student_number"),
    /**
     * Keyed hash (HMAC-SHA-256, server secret) of the national 学籍号: tells pupils apart and matches
     * them on re-import, while the number itself is stored nowhere.
     */
    registrationHash: text("registration_hash"),
    locale: text("locale", { enum: LOCALES }),
    status: text("status", { enum: USER_STATUSES }).notNull().default("provisioned"),
    passwordHash: text("password_hash"),
    passwordChangedAt: integer("password_changed_at", { mode: "timestamp_ms" }),
    activatedAt: integer("activated_at", { mode: "timestamp_ms" }),
    /** Last request with a session, written at most once an hour (adoption: active in the last 7 days). */
    lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" }),
    /** When this visit of the home page began (a new visit: more than 30 minutes after the last view). */
    homeSeenAt: integer("home_seen_at", { mode: "timestamp_ms" }),
    /** When the visit before it began: home shows what was returned since then. */
    homePrevSeenAt: integer("home_prev_seen_at", { mode: "timestamp_ms" }),
    /** Mobile number (parents give it when they activate with a link code); digits only. */
    phone: text("phone"),
    /** Short plain-text bio on the space home. */
    bio: text("bio"),
    /** The avatar image (a row of `files` attached as "avatar"). */
    avatarFileId: text("avatar_file_id"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("users_login_name_uq").on(t.loginName),
    uniqueIndex("users_school_student_number_uq").on(t.schoolId, t.studentNumber),
    // Per school, not global: a pupil who changes school is a new account there, and a global index
    // would tell one school that another already has this child.
    uniqueIndex("users_school_registration_uq").on(t.schoolId, t.registrationHash),
    uniqueIndex("users_handle_uq").on(t.handle),
    index("users_school_idx").on(t.schoolId),
  ],
);

/**
 * A role a user holds, with its scope: region admins hold a region, school admins, teachers and
 * students a school; parents and platform admins need no scope.
 */
export const userRoles = sqliteTable(
  "user_roles",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: ROLES }).notNull(),
    regionId: text("region_id").references(() => regions.id),
    schoolId: text("school_id").references(() => schools.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.role] }), index("user_roles_school_idx").on(t.schoolId)],
);

export const sessions = sqliteTable(
  "sessions",
  {
    /** Hex SHA-256 of the token; the token itself is never stored. */
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    activeRole: text("active_role", { enum: ROLES }).notNull(),
    remember: integer("remember", { mode: "boolean" }).notNull().default(false),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    /** Sliding renewal never goes past this. */
    absoluteExpiresAt: integer("absolute_expires_at", { mode: "timestamp_ms" }).notNull(),
    userAgent: text("user_agent"),
    createdAt: createdAt(),
  },
  (t) => [index("sessions_user_idx").on(t.userId), index("sessions_expires_idx").on(t.expiresAt)],
);

export const activationCodes = sqliteTable(
  "activation_codes",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
    voidedAt: integer("voided_at", { mode: "timestamp_ms" }),
    issuedBy: text("issued_by").references(() => users.id),
    createdAt: createdAt(),
    /** The code sealed (AES-256-GCM, see slip-codes.server) so its slip can be printed again; cleared once it is used, voided or expired. */
    sealedCode: text("sealed_code"),
    /** The roster import that issued it, so the import's page can print its slips again. */
    rosterImportId: text("roster_import_id"),
  },
  (t) => [index("activation_codes_user_idx").on(t.userId)],
);

/** Failed-attempt counters for sign-in and activation throttling, keyed by account, address or both. */
export const attemptThrottles = sqliteTable("attempt_throttles", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  windowStartedAt: integer("window_started_at", { mode: "timestamp_ms" }).notNull(),
  lockedUntil: integer("locked_until", { mode: "timestamp_ms" }),
});

/**
 * Keys the server signs with (known-device cookies, hashes of retired login names). Kept in the
 * database so that every app server of a cluster signs alike; created on first use.
 */
export const serverSecrets = sqliteTable("server_secrets", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
  createdAt: createdAt(),
});

/**
 * A login name taken out of use because it held an identity number, kept only as a keyed hash so the
 * person can still sign in with it for a while (and is then told the new one). The name itself is gone.
 */
export const retiredLogins = sqliteTable(
  "retired_logins",
  {
    loginHash: text("login_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    retiredAt: integer("retired_at", { mode: "timestamp_ms" }).notNull(),
    /** After this the old name signs nobody in. */
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("retired_logins_user_idx").on(t.userId)],
);

export const classes = sqliteTable(
  "classes",
  {
    id: text("id").primaryKey(),
    schoolId: text("school_id")
      .notNull()
      .references(() => schools.id),
    /** Grade number within the school's stage (1 = first year). */
    grade: integer("grade").notNull(),
    name: text("name").notNull(),
    /** School year the class started, e.g. 2026 for 2026–2027. */
    year: integer("year").notNull(),
    /** The name in bo, ii and en; `name` stays the official name (roster matching keys on it). */
    names: text("names", { mode: "json" }).$type<LocalNames>().notNull().default(sql`'{}'`),
    archivedAt: integer("archived_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [index("classes_school_idx").on(t.schoolId), uniqueIndex("classes_school_year_name_uq").on(t.schoolId, t.year, t.name)],
);

export const classMemberships = sqliteTable(
  "class_memberships",
  {
    classId: text("class_id")
      .notNull()
      .references(() => classes.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: ["teacher", "student"] }).notNull(),
    /** For teachers: head teacher (班主任) of the class. */
    isHeadTeacher: integer("is_head_teacher", { mode: "boolean" }).notNull().default(false),
    subject: text("subject"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.classId, t.userId] }), index("class_memberships_user_idx").on(t.userId)],
);

export const guardianLinks = sqliteTable(
  "guardian_links",
  {
    id: text("id").primaryKey(),
    guardianId: text("guardian_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    studentId: text("student_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    relationship: text("relationship", { enum: ["mother", "father", "guardian"] }).notNull().default("guardian"),
    consentState: text("consent_state", { enum: CONSENT_STATES }).notNull().default("none"),
    consentRecordedAt: integer("consent_recorded_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("guardian_links_pair_uq").on(t.guardianId, t.studentId), index("guardian_links_student_idx").on(t.studentId)],
);

export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: text("id").primaryKey(),
    actorId: text("actor_id").references(() => users.id),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id"),
    schoolId: text("school_id"),
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown>>(),
    at: integer("at", { mode: "timestamp_ms" })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [index("audit_events_at_idx").on(t.at), index("audit_events_target_idx").on(t.targetType, t.targetId)],
);

/** Guardians named on a school roster (name and phone), before or without a parent account. */
export const guardianContacts = sqliteTable(
  "guardian_contacts",
  {
    id: text("id").primaryKey(),
    studentId: text("student_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    phone: text("phone"),
    /** As the roster says it (父亲, 母亲, 祖父…); free text, nullable. */
    relation: text("relation"),
    createdAt: createdAt(),
  },
  (t) => [index("guardian_contacts_student_idx").on(t.studentId), uniqueIndex("guardian_contacts_student_name_uq").on(t.studentId, t.name)],
);

/**
 * Guardian consent for a student under 14 (PIPL art. 31): paper consent recorded by the school admin,
 * or (later) given online by a linked parent. The newest record for a student is what counts.
 */
export const consentRecords = sqliteTable(
  "consent_records",
  {
    id: text("id").primaryKey(),
    studentId: text("student_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    guardianName: text("guardian_name").notNull(),
    method: text("method", { enum: ["paper", "online"] }).notNull(),
    decision: text("decision", { enum: ["given", "refused", "withdrawn"] }).notNull(),
    /** When the guardian signed (paper) or clicked (online). */
    decidedAt: integer("decided_at", { mode: "timestamp_ms" }).notNull(),
    recordedBy: text("recorded_by").references(() => users.id),
    /** Paper forms: the staff member who saw the signed paper (may differ from who typed it in). */
    seenBy: text("seen_by").references(() => users.id),
    note: text("note"),
    createdAt: createdAt(),
  },
  (t) => [index("consent_records_student_idx").on(t.studentId, t.decidedAt)],
);

export const FLAG_SCOPES = ["region", "school", "user"] as const;
export type FlagScope = (typeof FLAG_SCOPES)[number];

/**
 * A feature flag's platform-level definition: default, targeting rules, and which levels may
 * override it. Flag keys are defined in code (app/domain/rollout/flags.server.ts); a row exists once the
 * platform admin has edited one.
 */
export const featureFlags = sqliteTable("feature_flags", {
  key: text("key").primaryKey(),
  defaultEnabled: integer("default_enabled", { mode: "boolean" }).notNull().default(false),
  /** JSON array of rules, first match wins: { enabled, roles?, stages?, regionIds?, tags? }. */
  rules: text("rules", { mode: "json" }).$type<unknown[]>().notNull().default(sql`'[]'`),
  /** JSON: which levels may set overrides, e.g. { region: true, school: true, user: false }. */
  overridable: text("overridable", { mode: "json" }).$type<Partial<Record<FlagScope, boolean>>>().notNull().default(sql`'{}'`),
  updatedBy: text("updated_by").references(() => users.id),
  updatedAt: createdAt("updated_at"),
});

/** An override of a flag for one region (and below), school or user. `locked` stops levels below from overriding it. */
export const flagOverrides = sqliteTable(
  "flag_overrides",
  {
    id: text("id").primaryKey(),
    flagKey: text("flag_key").notNull(),
    scopeType: text("scope_type", { enum: FLAG_SCOPES }).notNull(),
    scopeId: text("scope_id").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull(),
    locked: integer("locked", { mode: "boolean" }).notNull().default(false),
    setBy: text("set_by").references(() => users.id),
    setAt: createdAt("set_at"),
  },
  (t) => [uniqueIndex("flag_overrides_scope_uq").on(t.flagKey, t.scopeType, t.scopeId), index("flag_overrides_scope_idx").on(t.scopeType, t.scopeId)],
);

/**
 * A region admin's targeting rules for one flag, for the people of that region's subtree: a JSON list
 * like feature_flags.rules, first match wins. Evaluated at the region's level (see flags.server.ts).
 */
export const regionFlagRules = sqliteTable(
  "region_flag_rules",
  {
    id: text("id").primaryKey(),
    flagKey: text("flag_key").notNull(),
    regionId: text("region_id")
      .notNull()
      .references(() => regions.id),
    rules: text("rules", { mode: "json" }).$type<unknown[]>().notNull().default(sql`'[]'`),
    setBy: text("set_by").references(() => users.id),
    setAt: createdAt("set_at"),
  },
  (t) => [uniqueIndex("region_flag_rules_uq").on(t.flagKey, t.regionId)],
);

/** Version counters for caches kept in each app server (e.g. "flags"): bumped on every change, read once a request. */
export const cacheVersions = sqliteTable("cache_versions", {
  name: text("name").primaryKey(),
  version: integer("version").notNull().default(0),
});

/**
 * Adoption figures of a region subtree, kept when computing them is slow (province-sized data): the
 * dashboard shows them with their time for up to ten minutes and the server's primary refreshes the
 * ones still being read (app/domain/rollout/adoption.server.ts). Key: "<admin's scope root>|<focus region>".
 */
export const adoptionSnapshots = sqliteTable("adoption_snapshots", {
  key: text("key").primaryKey(),
  data: text("data").notNull(),
  computedAt: integer("computed_at", { mode: "timestamp_ms" }).notNull(),
  computeMs: integer("compute_ms").notNull(),
  readAt: integer("read_at", { mode: "timestamp_ms" }).notNull(),
});

/** A roster file as parsed for preview; importing it writes the accounts in one transaction. */
export const rosterImports = sqliteTable(
  "roster_imports",
  {
    id: text("id").primaryKey(),
    schoolId: text("school_id")
      .notNull()
      .references(() => schools.id),
    uploadedBy: text("uploaded_by")
      .notNull()
      .references(() => users.id),
    fileName: text("file_name").notNull(),
    rowCount: integer("row_count").notNull(),
    status: text("status", { enum: ["preview", "imported", "discarded"] }).notNull().default("preview"),
    /** The parsed, normalised rows and each row's problems, as JSON. */
    rows: text("rows", { mode: "json" }).$type<unknown[]>().notNull(),
    summary: text("summary", { mode: "json" }).$type<Record<string, unknown>>(),
    importedAt: integer("imported_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [index("roster_imports_school_idx").on(t.schoolId, t.createdAt)],
);

/**
 * An uploaded file. The bytes live in storage (app/storage) under `storageKey`, a generated name; the
 * person's file name is kept only for downloads. Readers are those of what it is attached to.
 */
export const files = sqliteTable(
  "files",
  {
    id: text("id").primaryKey(),
    ownerId: text("owner_id")
      .notNull()
      .references(() => users.id),
    schoolId: text("school_id").references(() => schools.id),
    backend: text("backend", { enum: ["local", "uploadthing"] }).notNull(),
    storageKey: text("storage_key").notNull(),
    /** The uploader's file name, cleaned (no path, no control characters, at most 200 characters). */
    name: text("name").notNull(),
    /** Decided from the file's bytes, never from its name. */
    mimeType: text("mime_type").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    attachedTo: text("attached_to", { enum: FILE_ATTACHMENTS }).notNull().default("draft"),
    /** Id of the post, portfolio item, lesson or announcement (null for drafts and avatars). */
    attachedId: text("attached_id"),
    position: integer("position").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index("files_owner_idx").on(t.ownerId, t.createdAt), index("files_attached_idx").on(t.attachedTo, t.attachedId), uniqueIndex("files_storage_key_uq").on(t.storageKey)],
);

/** A blog post: tiptap JSON as written, and the sanitized HTML rendered from it on the server. */
export const posts = sqliteTable(
  "posts",
  {
    id: text("id").primaryKey(),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id),
    /** The author's school when written: visibility "school" and "classes" are judged from it. */
    schoolId: text("school_id").references(() => schools.id),
    title: text("title").notNull(),
    bodyJson: text("body_json", { mode: "json" }).$type<unknown>().notNull(),
    bodyHtml: text("body_html").notNull(),
    /** Plain-text start of the post for lists and the feed. */
    excerpt: text("excerpt").notNull().default(""),
    visibility: text("visibility", { enum: VISIBILITIES }).notNull().default("private"),
    status: text("status", { enum: ["draft", "published"] }).notNull().default("draft"),
    approval: text("approval", { enum: APPROVAL_STATES }).notNull().default("none"),
    approvedBy: text("approved_by").references(() => users.id),
    /** Bumped on every edit: an edit made from an older version is refused (concurrent edits). */
    version: integer("version").notNull().default(1),
    publishedAt: integer("published_at", { mode: "timestamp_ms" }),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [index("posts_author_idx").on(t.authorId, t.publishedAt), index("posts_school_idx").on(t.schoolId, t.approval), index("posts_published_idx").on(t.publishedAt)],
);

/** Tags of posts and portfolio items, lower-cased, one row per tag. */
export const contentTags = sqliteTable(
  "content_tags",
  {
    subjectType: text("subject_type", { enum: ["post", "portfolio_item"] }).notNull(),
    subjectId: text("subject_id").notNull(),
    tag: text("tag").notNull(),
  },
  (t) => [primaryKey({ columns: [t.subjectType, t.subjectId, t.tag] }), index("content_tags_tag_idx").on(t.tag)],
);

/** A plain-text comment on a post. Removed comments keep their row (for reports and the audit trail). */
export const comments = sqliteTable(
  "comments",
  {
    id: text("id").primaryKey(),
    postId: text("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id),
    body: text("body").notNull(),
    approval: text("approval", { enum: APPROVAL_STATES }).notNull().default("none"),
    approvedBy: text("approved_by").references(() => users.id),
    editedAt: integer("edited_at", { mode: "timestamp_ms" }),
    removedAt: integer("removed_at", { mode: "timestamp_ms" }),
    removedBy: text("removed_by").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index("comments_post_idx").on(t.postId, t.createdAt),
    index("comments_approval_idx").on(t.approval),
    // A blog list's comment counts (per post and author, live and not waiting) read from the index alone.
    index("comments_post_count_idx").on(t.postId, t.authorId, t.approval, t.removedAt),
  ],
);

/** A reader's report of a comment; the space owner and school admins see open reports. */
export const commentReports = sqliteTable(
  "comment_reports",
  {
    id: text("id").primaryKey(),
    commentId: text("comment_id")
      .notNull()
      .references(() => comments.id, { onDelete: "cascade" }),
    reporterId: text("reporter_id")
      .notNull()
      .references(() => users.id),
    reason: text("reason").notNull().default(""),
    resolvedAt: integer("resolved_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("comment_reports_once_uq").on(t.commentId, t.reporterId)],
);

/** A like on a post: one per person and post. */
export const reactions = sqliteTable(
  "reactions",
  {
    postId: text("post_id")
      .notNull()
      .references(() => posts.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.postId, t.userId] })],
);

/** 学生成长档案 / 教师专业档案: one entry of a person's portfolio. */
export const portfolioItems = sqliteTable(
  "portfolio_items",
  {
    id: text("id").primaryKey(),
    ownerId: text("owner_id")
      .notNull()
      .references(() => users.id),
    schoolId: text("school_id").references(() => schools.id),
    title: text("title").notNull(),
    kind: text("kind", { enum: PORTFOLIO_KINDS }).notNull(),
    /** ISO date (YYYY-MM-DD) the work, award or lesson happened. */
    occurredOn: text("occurred_on").notNull(),
    descriptionJson: text("description_json", { mode: "json" }).$type<unknown>().notNull(),
    descriptionHtml: text("description_html").notNull(),
    visibility: text("visibility", { enum: VISIBILITIES }).notNull().default("private"),
    featured: integer("featured", { mode: "boolean" }).notNull().default(false),
    /** Manual order within the owner's portfolio (ascending). */
    position: integer("position").notNull().default(0),
    version: integer("version").notNull().default(1),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [index("portfolio_items_owner_idx").on(t.ownerId, t.position), index("portfolio_items_created_idx").on(t.createdAt)],
);

/** Following a space. */
export const follows = sqliteTable(
  "follows",
  {
    followerId: text("follower_id")
      .notNull()
      .references(() => users.id),
    followeeId: text("followee_id")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.followerId, t.followeeId] }), index("follows_followee_idx").on(t.followeeId)],
);

export const NOTIFICATION_KINDS = [
  "comment",
  "reaction",
  "follow",
  "approval_needed",
  "approved",
  "rejected",
  "report",
  "assignment_new",
  "assignment_due",
  "grade_returned",
  "weekly_summary",
  "group_reply",
  "group_mention",
  "group_join_request",
  "group_join_approved",
  "group_invited",
  "group_report",
  "group_task",
  "group_minor_left",
  // Issue 16: the teacher hears of hand-ins (one unread notice per assignment, its count kept up to
  // date); a parent hears of a child's returned grade and of work missing after the due/late-until time.
  "handins",
  "child_grade_returned",
  "child_missing",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export const NOTIFICATION_SUBJECTS = ["post", "comment", "portfolio_item", "user", "assignment", "group", "group_thread", "group_task"] as const;
export type NotificationSubjectType = (typeof NOTIFICATION_SUBJECTS)[number];

/** An in-app notice to one person; the header shows the unread count. */
export const notifications = sqliteTable(
  "notifications",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    kind: text("kind", { enum: NOTIFICATION_KINDS }).notNull(),
    /** Who caused it (the commenter, the follower…). */
    actorId: text("actor_id").references(() => users.id),
    subjectType: text("subject_type", { enum: NOTIFICATION_SUBJECTS }),
    subjectId: text("subject_id"),
    /**
     * The facts the notice tells, not its words (rendered in the reader's language when read): a
     * returned score, a batch's count. The subject's title and due time are read fresh from the subject.
     */
    facts: text("facts", { mode: "json" }).$type<NoticeFacts>(),
    readAt: integer("read_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [index("notifications_user_idx").on(t.userId, t.readAt, t.createdAt)],
);
export type NoticeFacts = { score?: number | null; points?: number; count?: number };

/**
 * A person's choice per kind of notice: in-app is always on; `digest` adds the kind to a daily digest
 * sent by an outside channel (SMS, a messaging app) once one is plugged in (app/domain/overviews/notice-channels.server.ts).
 */
export const noticeSettings = sqliteTable(
  "notice_settings",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    kind: text("kind", { enum: NOTIFICATION_KINDS }).notNull(),
    digest: integer("digest", { mode: "boolean" }).notNull().default(false),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);

/** 备课: a teacher's lesson, written once and published to any of their classes (lessonPublications). */
export const lessons = sqliteTable(
  "lessons",
  {
    id: text("id").primaryKey(),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id),
    schoolId: text("school_id").references(() => schools.id),
    title: text("title").notNull(),
    bodyJson: text("body_json", { mode: "json" }).$type<unknown>().notNull(),
    bodyHtml: text("body_html").notNull(),
    /** Bumped on every edit: an edit made from an older version is refused (concurrent edits). */
    version: integer("version").notNull().default(1),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [index("lessons_author_idx").on(t.authorId, t.createdAt)],
);

/** A lesson published to one class: its students see it from publishAt (UTC) on. */
export const lessonPublications = sqliteTable(
  "lesson_publications",
  {
    lessonId: text("lesson_id")
      .notNull()
      .references(() => lessons.id, { onDelete: "cascade" }),
    classId: text("class_id")
      .notNull()
      .references(() => classes.id, { onDelete: "cascade" }),
    publishAt: integer("publish_at", { mode: "timestamp_ms" }).notNull(),
    publishedBy: text("published_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.lessonId, t.classId] }), index("lesson_publications_class_idx").on(t.classId, t.publishAt)],
);

/** A teacher's notice in a class's announcement stream; pinned ones stay on top. */
export const announcements = sqliteTable(
  "announcements",
  {
    id: text("id").primaryKey(),
    classId: text("class_id")
      .notNull()
      .references(() => classes.id, { onDelete: "cascade" }),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id),
    bodyJson: text("body_json", { mode: "json" }).$type<unknown>().notNull(),
    bodyHtml: text("body_html").notNull(),
    pinned: integer("pinned", { mode: "boolean" }).notNull().default(false),
    version: integer("version").notNull().default(1),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [index("announcements_class_idx").on(t.classId, t.pinned, t.createdAt)],
);

export const ASSIGNMENT_STATUSES = ["draft", "published"] as const;
export const GRADE_STATES = ["none", "draft", "returned"] as const;
export type GradeState = (typeof GRADE_STATES)[number];

/**
 * An assignment set to one or more classes (assignment_classes). Stored state is only draft or
 * published; scheduled / open / closed follow from the times (UTC): open from openAt, due at dueAt,
 * late work taken until lateUntil (null: no late work).
 */
export const assignments = sqliteTable(
  "assignments",
  {
    id: text("id").primaryKey(),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id),
    schoolId: text("school_id").references(() => schools.id),
    lessonId: text("lesson_id").references(() => lessons.id, { onDelete: "set null" }),
    title: text("title").notNull(),
    bodyJson: text("body_json", { mode: "json" }).$type<unknown>().notNull(),
    bodyHtml: text("body_html").notNull(),
    points: integer("points").notNull(),
    openAt: integer("open_at", { mode: "timestamp_ms" }).notNull(),
    dueAt: integer("due_at", { mode: "timestamp_ms" }).notNull(),
    lateUntil: integer("late_until", { mode: "timestamp_ms" }),
    allowResubmit: integer("allow_resubmit", { mode: "boolean" }).notNull().default(true),
    status: text("status", { enum: ASSIGNMENT_STATUSES }).notNull().default("draft"),
    publishedAt: integer("published_at", { mode: "timestamp_ms" }),
    version: integer("version").notNull().default(1),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [
    index("assignments_author_idx").on(t.authorId, t.createdAt),
    check("assignments_due_ck", sql`${t.dueAt} > ${t.openAt}`),
    check("assignments_late_ck", sql`${t.lateUntil} is null or ${t.lateUntil} >= ${t.dueAt}`),
    check("assignments_points_ck", sql`${t.points} between 0 and 1000`),
  ],
);

export const assignmentClasses = sqliteTable(
  "assignment_classes",
  {
    assignmentId: text("assignment_id")
      .notNull()
      .references(() => assignments.id, { onDelete: "cascade" }),
    classId: text("class_id")
      .notNull()
      .references(() => classes.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.assignmentId, t.classId] }), index("assignment_classes_class_idx").on(t.classId)],
);

/**
 * One student's work on one assignment: the versions they handed in (submission_versions) and the
 * grade. The grade is a draft until returned; gradeVersion guards against two teachers grading at once.
 */
export const submissions = sqliteTable(
  "submissions",
  {
    id: text("id").primaryKey(),
    assignmentId: text("assignment_id")
      .notNull()
      .references(() => assignments.id, { onDelete: "cascade" }),
    studentId: text("student_id")
      .notNull()
      .references(() => users.id),
    /** The class the student was in when they handed in (or were graded). */
    classId: text("class_id").references(() => classes.id, { onDelete: "set null" }),
    versionCount: integer("version_count").notNull().default(0),
    lastSubmittedAt: integer("last_submitted_at", { mode: "timestamp_ms" }),
    late: integer("late", { mode: "boolean" }).notNull().default(false),
    score: real("score"),
    feedback: text("feedback"),
    gradeState: text("grade_state", { enum: GRADE_STATES }).notNull().default("none"),
    gradeVersion: integer("grade_version").notNull().default(0),
    gradedBy: text("graded_by").references(() => users.id),
    gradedAt: integer("graded_at", { mode: "timestamp_ms" }),
    returnedAt: integer("returned_at", { mode: "timestamp_ms" }),
    portfolioItemId: text("portfolio_item_id"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("submissions_assignment_student_uq").on(t.assignmentId, t.studentId), index("submissions_student_idx").on(t.studentId)],
);

/** Every version a student handed in, kept: its id is chosen by the form page (a retried request is the same version). */
export const submissionVersions = sqliteTable(
  "submission_versions",
  {
    id: text("id").primaryKey(),
    submissionId: text("submission_id")
      .notNull()
      .references(() => submissions.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    bodyJson: text("body_json", { mode: "json" }).$type<unknown>().notNull(),
    bodyHtml: text("body_html").notNull(),
    /** SHA-256 (hex) of what was stored: the text and each file's hash; the receipt shows its start. */
    checksum: text("checksum").notNull(),
    late: integer("late", { mode: "boolean" }).notNull().default(false),
    submittedAt: integer("submitted_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("submission_versions_number_uq").on(t.submissionId, t.number)],
);

/**
 * A per-child code a teacher or school admin prints for a parent: it links the parent's account to
 * the child (creating the account if need be). Stored hashed; expires; one use; issuing a new one
 * voids the child's unused ones.
 */
export const guardianLinkCodes = sqliteTable(
  "guardian_link_codes",
  {
    id: text("id").primaryKey(),
    studentId: text("student_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    usedAt: integer("used_at", { mode: "timestamp_ms" }),
    usedBy: text("used_by").references(() => users.id),
    voidedAt: integer("voided_at", { mode: "timestamp_ms" }),
    issuedBy: text("issued_by").references(() => users.id),
    createdAt: createdAt(),
    /** As activation_codes.sealed_code. */
    sealedCode: text("sealed_code"),
    rosterImportId: text("roster_import_id"),
    /** The guardian row of the roster the code was printed for (a code per guardian), if any. */
    guardianContactId: text("guardian_contact_id"),
  },
  (t) => [uniqueIndex("guardian_link_codes_hash_uq").on(t.codeHash), index("guardian_link_codes_student_idx").on(t.studentId)],
);

export const ACKNOWLEDGED_SUBJECTS = ["grade", "announcement"] as const;
export type AcknowledgedSubject = (typeof ACKNOWLEDGED_SUBJECTS)[number];

/** 家长已阅: a parent marks a returned grade (a submission) or a class announcement as read, for one child. */
export const acknowledgements = sqliteTable(
  "acknowledgements",
  {
    guardianId: text("guardian_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    studentId: text("student_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    subjectType: text("subject_type", { enum: ACKNOWLEDGED_SUBJECTS }).notNull(),
    /** A submission id (grade) or an announcement id. */
    subjectId: text("subject_id").notNull(),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.guardianId, t.studentId, t.subjectType, t.subjectId] }), index("acknowledgements_subject_idx").on(t.subjectType, t.subjectId)],
);

// ---- groups: study groups (学习小组) and teaching-research groups (教研组), across schools ----

export const GROUP_KINDS = ["study", "research"] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];
/** Who may find and join: the home school only, the schools below a region, or every school. */
export const GROUP_REACHES = ["school", "region", "platform"] as const;
export type GroupReach = (typeof GROUP_REACHES)[number];
/** open: anyone within reach joins; approval: a request the group's teachers approve; invitation: closed, invited only. */
export const GROUP_JOIN_POLICIES = ["open", "approval", "invitation"] as const;
export type GroupJoinPolicy = (typeof GROUP_JOIN_POLICIES)[number];
export const GROUP_ROLES = ["owner", "moderator", "member"] as const;
export type GroupRole = (typeof GROUP_ROLES)[number];
export const GROUP_MEMBER_STATES = ["active", "requested", "invited", "left", "removed", "declined"] as const;
export type GroupMemberState = (typeof GROUP_MEMBER_STATES)[number];

export const groups = sqliteTable(
  "groups",
  {
    id: text("id").primaryKey(),
    kind: text("kind", { enum: GROUP_KINDS }).notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    subject: text("subject").notNull().default(""),
    /** Name, subject and description folded for substring search (NFKC, lower case): no word boundaries needed. */
    searchText: text("search_text").notNull().default(""),
    coverFileId: text("cover_file_id"),
    reach: text("reach", { enum: GROUP_REACHES }).notNull(),
    /** The creator's school: the whole reach of a "school" group, and where a student-made group belongs. */
    schoolId: text("school_id")
      .notNull()
      .references(() => schools.id),
    /** For reach "region": the root of the subtree whose schools may join. */
    regionId: text("region_id").references(() => regions.id),
    joinPolicy: text("join_policy", { enum: GROUP_JOIN_POLICIES }).notNull().default("approval"),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    /** The role the creator acted in: a student-made study group is "a group of their own school". */
    createdAs: text("created_as", { enum: ["teacher", "student"] }).notNull(),
    archivedAt: integer("archived_at", { mode: "timestamp_ms" }),
    version: integer("version").notNull().default(1),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [index("groups_school_idx").on(t.schoolId), index("groups_reach_idx").on(t.reach, t.kind), index("groups_created_idx").on(t.createdAt)],
);

export const groupMembers = sqliteTable(
  "group_members",
  {
    groupId: text("group_id")
      .notNull()
      .references(() => groups.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    role: text("role", { enum: GROUP_ROLES }).notNull().default("member"),
    state: text("state", { enum: GROUP_MEMBER_STATES }).notNull(),
    /** Whether they are in the group as a teacher or as a student (a person may hold both roles). */
    memberAs: text("member_as", { enum: ["teacher", "student"] }).notNull(),
    /** Their school when they joined, asked or were invited (members list, the cross-school rule). */
    schoolId: text("school_id").references(() => schools.id),
    /** What they wrote with a request to join. */
    note: text("note").notNull().default(""),
    invitedBy: text("invited_by").references(() => users.id),
    decidedBy: text("decided_by").references(() => users.id),
    decidedAt: integer("decided_at", { mode: "timestamp_ms" }),
    joinedAt: integer("joined_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] }), index("group_members_user_idx").on(t.userId, t.state), index("group_members_group_idx").on(t.groupId, t.state)],
);

/** A discussion thread; its opening post is the first of its posts. A task's thread carries its taskId. */
export const groupThreads = sqliteTable(
  "group_threads",
  {
    id: text("id").primaryKey(),
    groupId: text("group_id")
      .notNull()
      .references(() => groups.id, { onDelete: "cascade" }),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id),
    title: text("title").notNull(),
    taskId: text("task_id"),
    pinnedAt: integer("pinned_at", { mode: "timestamp_ms" }),
    lockedAt: integer("locked_at", { mode: "timestamp_ms" }),
    lockedBy: text("locked_by").references(() => users.id),
    hiddenAt: integer("hidden_at", { mode: "timestamp_ms" }),
    hiddenBy: text("hidden_by").references(() => users.id),
    postCount: integer("post_count").notNull().default(0),
    lastPostAt: integer("last_post_at", { mode: "timestamp_ms" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("group_threads_group_idx").on(t.groupId, t.lastPostAt)],
);

/** A post in a thread (the opening post or a reply). Hidden posts stay readable by the group's teachers. */
export const groupPosts = sqliteTable(
  "group_posts",
  {
    id: text("id").primaryKey(),
    threadId: text("thread_id")
      .notNull()
      .references(() => groupThreads.id, { onDelete: "cascade" }),
    groupId: text("group_id")
      .notNull()
      .references(() => groups.id, { onDelete: "cascade" }),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id),
    bodyJson: text("body_json", { mode: "json" }).$type<unknown>().notNull(),
    bodyHtml: text("body_html").notNull(),
    hiddenAt: integer("hidden_at", { mode: "timestamp_ms" }),
    hiddenBy: text("hidden_by").references(() => users.id),
    editedAt: integer("edited_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [index("group_posts_thread_idx").on(t.threadId, t.createdAt)],
);

export const groupReports = sqliteTable(
  "group_reports",
  {
    id: text("id").primaryKey(),
    postId: text("post_id")
      .notNull()
      .references(() => groupPosts.id, { onDelete: "cascade" }),
    groupId: text("group_id")
      .notNull()
      .references(() => groups.id, { onDelete: "cascade" }),
    reporterId: text("reporter_id")
      .notNull()
      .references(() => users.id),
    reason: text("reason").notNull().default(""),
    resolvedAt: integer("resolved_at", { mode: "timestamp_ms" }),
    resolvedBy: text("resolved_by").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("group_reports_once_uq").on(t.postId, t.reporterId), index("group_reports_group_idx").on(t.groupId, t.resolvedAt)],
);

export const groupFolders = sqliteTable(
  "group_folders",
  {
    id: text("id").primaryKey(),
    groupId: text("group_id")
      .notNull()
      .references(() => groups.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("group_folders_name_uq").on(t.groupId, t.name)],
);

/** An entry of a group's shared library: a file (files row attached as group_resource) or a link. */
export const groupResources = sqliteTable(
  "group_resources",
  {
    id: text("id").primaryKey(),
    groupId: text("group_id")
      .notNull()
      .references(() => groups.id, { onDelete: "cascade" }),
    folderId: text("folder_id").references(() => groupFolders.id, { onDelete: "set null" }),
    kind: text("kind", { enum: ["file", "link"] }).notNull(),
    title: text("title").notNull(),
    url: text("url"),
    addedBy: text("added_by")
      .notNull()
      .references(() => users.id),
    removedAt: integer("removed_at", { mode: "timestamp_ms" }),
    removedBy: text("removed_by").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index("group_resources_group_idx").on(t.groupId, t.folderId, t.createdAt)],
);

/** A task a teacher sets a study group; members work on it in its thread and one hands in the group's result. */
export const groupTasks = sqliteTable(
  "group_tasks",
  {
    id: text("id").primaryKey(),
    groupId: text("group_id")
      .notNull()
      .references(() => groups.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    instructionsJson: text("instructions_json", { mode: "json" }).$type<unknown>().notNull(),
    instructionsHtml: text("instructions_html").notNull(),
    dueAt: integer("due_at", { mode: "timestamp_ms" }).notNull(),
    threadId: text("thread_id"),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index("group_tasks_group_idx").on(t.groupId, t.dueAt)],
);

/** The group's one result for a task; a later hand-in (before the due time) replaces it, version-checked. */
export const groupTaskResults = sqliteTable("group_task_results", {
  taskId: text("task_id")
    .primaryKey()
    .references(() => groupTasks.id, { onDelete: "cascade" }),
  groupId: text("group_id")
    .notNull()
    .references(() => groups.id, { onDelete: "cascade" }),
  submittedBy: text("submitted_by")
    .notNull()
    .references(() => users.id),
  bodyJson: text("body_json", { mode: "json" }).$type<unknown>().notNull(),
  bodyHtml: text("body_html").notNull(),
  late: integer("late", { mode: "boolean" }).notNull().default(false),
  version: integer("version").notNull().default(1),
  submittedAt: integer("submitted_at", { mode: "timestamp_ms" }).notNull(),
});

/** A member's portfolio copy of a group result: one per member and task (adding twice returns it). */
export const groupResultPortfolioItems = sqliteTable(
  "group_result_portfolio_items",
  {
    taskId: text("task_id")
      .notNull()
      .references(() => groupTasks.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    portfolioItemId: text("portfolio_item_id").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.userId] })],
);

// ---------------------------------------------------------------------------------------------
// The region resource library (优质资源共建共享): teachers offer lessons and resources to their county's,
// prefecture's or the province's library; that region's reviewers admit, return or refuse them.

/** 教案 · 课件 · 微课 · 习题 · 学案 · 素材 */
export const LIBRARY_KINDS = ["lesson_plan", "slides", "micro_video", "exercises", "study_guide", "material"] as const;
export type LibraryKind = (typeof LIBRARY_KINDS)[number];
/** The language a resource is written in; "zh-bo" and "zh-ii" are bilingual (Chinese with Tibetan or Yi). */
export const LIBRARY_LANGUAGES = ["zh-Hans", "bo", "ii", "zh-bo", "zh-ii"] as const;
export type LibraryLanguage = (typeof LIBRARY_LANGUAGES)[number];
/** "platform_adapt" (the default): use and adapt within the platform, naming the author. */
export const LIBRARY_LICENCES = ["platform_adapt", "platform_use", "cc_by", "cc_by_sa"] as const;
export type LibraryLicence = (typeof LIBRARY_LICENCES)[number];
/** Where a resource stands in one region's library, after its latest review round. */
export const LISTING_STATES = ["pending", "returned", "refused", "admitted"] as const;
export type ListingState = (typeof LISTING_STATES)[number];
export const REVIEW_DECISIONS = ["admit", "return", "refuse", "quality", "unquality", "recommend", "withdraw"] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** A resource, owned by its author; what it says is in its versions. */
export const libraryResources = sqliteTable(
  "library_resources",
  {
    id: text("id").primaryKey(),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id),
    /** The author's school when it was first offered (uses and figures are counted by school). */
    schoolId: text("school_id").references(() => schools.id),
    /** The lesson it was offered from, if any (the author's lesson stays theirs). */
    sourceLessonId: text("source_lesson_id").references(() => lessons.id, { onDelete: "set null" }),
    /** The newest version the author wrote. */
    latestVersionId: text("latest_version_id"),
    withdrawnAt: integer("withdrawn_at", { mode: "timestamp_ms" }),
    withdrawnBy: text("withdrawn_by").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index("library_resources_author_idx").on(t.authorId, t.createdAt)],
);

/** One version of a resource: what reviewers decide on. A version is never changed once written. */
export const libraryVersions = sqliteTable(
  "library_versions",
  {
    id: text("id").primaryKey(),
    resourceId: text("resource_id")
      .notNull()
      .references(() => libraryResources.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    title: text("title").notNull(),
    /** The title folded for substring search (NFKC, lower case), in any script. */
    searchText: text("search_text").notNull().default(""),
    bodyJson: text("body_json", { mode: "json" }).$type<unknown>().notNull(),
    bodyHtml: text("body_html").notNull(),
    kind: text("kind", { enum: LIBRARY_KINDS }).notNull(),
    stage: text("stage", { enum: STAGES }).notNull(),
    /** The school year within the stage: primary 1–6, junior 1–3 (七年级 = 1), senior 1–3, vocational 1–3. */
    grade: integer("grade").notNull(),
    subject: text("subject").notNull(),
    edition: text("edition").notNull(),
    unit: text("unit").notNull(),
    language: text("language", { enum: LIBRARY_LANGUAGES }).notNull(),
    licence: text("licence", { enum: LIBRARY_LICENCES }).notNull(),
    /** What changed, in the author's words (for a version after the first). */
    note: text("note").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("library_versions_number_uq").on(t.resourceId, t.number), index("library_versions_subject_idx").on(t.stage, t.subject)],
);

/** A resource in one region's library: offered by its author, or recommended up from the library below. */
export const libraryListings = sqliteTable(
  "library_listings",
  {
    id: text("id").primaryKey(),
    resourceId: text("resource_id")
      .notNull()
      .references(() => libraryResources.id, { onDelete: "cascade" }),
    regionId: text("region_id")
      .notNull()
      .references(() => regions.id),
    state: text("state", { enum: LISTING_STATES }).notNull().default("pending"),
    /** The version of the latest review round. */
    versionId: text("version_id")
      .notNull()
      .references(() => libraryVersions.id),
    /** The version this library shows (null until first admitted); a later version replaces it only when admitted. */
    admittedVersionId: text("admitted_version_id").references(() => libraryVersions.id),
    admittedAt: integer("admitted_at", { mode: "timestamp_ms" }),
    /** 优质: marked by a reviewer of this library. */
    quality: integer("quality", { mode: "boolean" }).notNull().default(false),
    /** The library below that recommended it here (null: offered by the author). */
    recommendedFrom: text("recommended_from").references(() => regions.id),
    /** Bumped by every decision: a decision made on an older round is refused (two reviewers at once). */
    round: integer("round").notNull().default(1),
    decidedBy: text("decided_by").references(() => users.id),
    decidedAt: integer("decided_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("library_listings_region_uq").on(t.resourceId, t.regionId), index("library_listings_queue_idx").on(t.regionId, t.state)],
);

/** Every review decision, with the checklist as ticked and the comment for the author. */
export const libraryReviews = sqliteTable(
  "library_reviews",
  {
    id: text("id").primaryKey(),
    listingId: text("listing_id")
      .notNull()
      .references(() => libraryListings.id, { onDelete: "cascade" }),
    versionId: text("version_id")
      .notNull()
      .references(() => libraryVersions.id),
    reviewerId: text("reviewer_id")
      .notNull()
      .references(() => users.id),
    decision: text("decision", { enum: REVIEW_DECISIONS }).notNull(),
    checklist: text("checklist", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    comment: text("comment").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [index("library_reviews_listing_idx").on(t.listingId, t.createdAt)],
);

/** A person a region admin named reviewer of that region's library. */
export const libraryReviewers = sqliteTable(
  "library_reviewers",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    regionId: text("region_id")
      .notNull()
      .references(() => regions.id),
    grantedBy: text("granted_by")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.regionId] }), index("library_reviewers_region_idx").on(t.regionId)],
);

/** A teacher used a resource: copied it into a lesson, or published it to a class (as a lesson of theirs). */
export const libraryUses = sqliteTable(
  "library_uses",
  {
    id: text("id").primaryKey(),
    resourceId: text("resource_id")
      .notNull()
      .references(() => libraryResources.id, { onDelete: "cascade" }),
    versionId: text("version_id")
      .notNull()
      .references(() => libraryVersions.id),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    schoolId: text("school_id").references(() => schools.id),
    lessonId: text("lesson_id").references(() => lessons.id, { onDelete: "set null" }),
    published: integer("published", { mode: "boolean" }).notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index("library_uses_resource_idx").on(t.resourceId, t.createdAt), index("library_uses_school_idx").on(t.schoolId, t.createdAt), index("library_uses_lesson_idx").on(t.lessonId)],
);

/** One rating (1–5) per teacher and resource; rating again replaces it. */
export const libraryRatings = sqliteTable(
  "library_ratings",
  {
    resourceId: text("resource_id")
      .notNull()
      .references(() => libraryResources.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    stars: integer("stars").notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.resourceId, t.userId] }), check("library_ratings_stars_ck", sql`${t.stars} between 1 and 5`)],
);

export const libraryComments = sqliteTable(
  "library_comments",
  {
    id: text("id").primaryKey(),
    resourceId: text("resource_id")
      .notNull()
      .references(() => libraryResources.id, { onDelete: "cascade" }),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id),
    body: text("body").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("library_comments_resource_idx").on(t.resourceId, t.createdAt)],
);
