// PostgreSQL's tables, derived from db/schema.ts, the one description of every table: the same tables,
// columns, keys, indexes and checks, each column in PostgreSQL's type for it. drizzle-kit reads this
// file for PostgreSQL's migrations (drizzle.pg.config.ts); at run time db/client uses these tables when
// DATABASE_URL names a PostgreSQL server. tests/unit/schema-engines.test.ts proves the two agree.
//
// Types: text → text; JSON text → jsonb; integers → bigint (read back as numbers); booleans → boolean;
// times stay integer milliseconds (bigint), read as Date, so hand-written SQL compares them alike on both.
import { is, sql, SQL, StringChunk, Column } from "drizzle-orm";
import { getTableConfig, type SQLiteColumn, type SQLiteTable } from "drizzle-orm/sqlite-core";
import {
  bigint,
  boolean,
  check,
  customType,
  doublePrecision,
  foreignKey,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  type PgColumn,
  type PgColumnBuilderBase,
  type PgTable,
} from "drizzle-orm/pg-core";
import * as lite from "./schema";

/** Integer milliseconds since 1970 (UTC), read and written as Date, as SQLite's `timestamp_ms` columns. */
const timestampMs = customType<{ data: Date; driverData: string | number }>({
  dataType: () => "bigint",
  toDriver: (value) => value.getTime(),
  fromDriver: (value) => new Date(Number(value)),
});

/** SQLite's spelling of a default or check → PostgreSQL's. */
const SQL_SPELLINGS: [string, string][] = [["(unixepoch('subsec') * 1000)", "((extract(epoch from now()) * 1000)::bigint)"]];

const twins = new Map<SQLiteTable, PgTable>();

function columnOf(column: SQLiteColumn): PgColumnBuilderBase {
  const name = column.name;
  let built: any;
  switch (column.columnType) {
    case "SQLiteText":
      built = text(name, column.enumValues?.length ? { enum: column.enumValues as [string, ...string[]] } : {});
      break;
    case "SQLiteTextJson":
      built = jsonb(name);
      break;
    case "SQLiteInteger":
      built = bigint(name, { mode: "number" });
      break;
    case "SQLiteBoolean":
      built = boolean(name);
      break;
    case "SQLiteTimestamp":
      built = timestampMs(name);
      break;
    case "SQLiteReal":
      built = doublePrecision(name);
      break;
    default:
      throw new Error(`no PostgreSQL type for ${column.columnType} (${name})`);
  }
  if (column.primary) built = built.primaryKey();
  if (column.notNull && !column.primary) built = built.notNull();
  if (column.default !== undefined) built = built.default(is(column.default, SQL) ? spelled(column.default) : column.default);
  if (column.defaultFn) built = built.$defaultFn(column.defaultFn);
  if (column.onUpdateFn) built = built.$onUpdateFn(column.onUpdateFn);
  if (column.isUnique) built = built.unique(column.uniqueName);
  return built as PgColumnBuilderBase;
}

/** The twin of a SQLite column (by table and column name). */
function twinColumn(column: Column): PgColumn {
  const table = twins.get(column.table as SQLiteTable);
  const found = table && Object.values(table as unknown as Record<string, unknown>).find((c): c is PgColumn => is(c, Column) && c.name === column.name);
  if (!found) throw new Error(`no twin for column ${column.name}`);
  return found;
}

/** A SQLite SQL fragment with its columns replaced by their twins and SQLite's spellings by PostgreSQL's. */
function spelled(fragment: SQL): SQL {
  return new SQL(
    fragment.queryChunks.map((chunk) => {
      if (is(chunk, Column)) return twinColumn(chunk);
      if (is(chunk, SQL)) return spelled(chunk);
      if (is(chunk, StringChunk)) return new StringChunk(chunk.value.map((s) => SQL_SPELLINGS.reduce((text, [from, to]) => text.replaceAll(from, to), s)));
      return chunk;
    }),
  );
}

/** The PostgreSQL table with the SQLite table's name, columns, keys, indexes and checks. */
function twin<T extends SQLiteTable>(table: T): PgTable {
  const config = getTableConfig(table);
  const columns = Object.fromEntries(Object.entries(table as unknown as Record<string, unknown>).filter(([, c]) => is(c, Column)).map(([key, c]) => [key, columnOf(c as SQLiteColumn)]));
  const made: PgTable = pgTable(config.name, columns, (own): any[] => {
    // An index is built from the callback's own columns (they carry its per-index settings).
    const ownColumn = (c: Column) => Object.values(own).find((x) => x.name === c.name) ?? twinColumn(c);
    return [
    ...config.primaryKeys.map((pk) => primaryKey({ columns: pk.columns.map(twinColumn) as [PgColumn, ...PgColumn[]] })),
    ...config.foreignKeys.map((fk) => {
      const ref = fk.reference();
      let key = foreignKey({ name: fk.getName(), columns: ref.columns.map(twinColumn) as [PgColumn], foreignColumns: ref.foreignColumns.map(twinColumn) as [PgColumn] });
      if (fk.onDelete) key = key.onDelete(fk.onDelete);
      if (fk.onUpdate) key = key.onUpdate(fk.onUpdate);
      return key;
    }),
    ...config.indexes.map((ix) => {
      const on = ix.config.columns.map((c) => (is(c, Column) ? ownColumn(c) : spelled(c as SQL))) as [PgColumn, ...PgColumn[]];
      const made = (ix.config.unique ? uniqueIndex : index)(ix.config.name).on(...on);
      return ix.config.where ? made.where(spelled(ix.config.where)) : made;
    }),
    ...config.checks.map((ck) => check(ck.name, spelled(ck.value))),
    ...(ENGINE_INDEXES[config.name]?.(own) ?? []),
    ];
  });
  twins.set(table, made);
  return made;
}

/**
 * Indexes only PostgreSQL has: trigram indexes (pg_trgm) so that substring search in Chinese, Tibetan and
 * Yi ("like '%…%'") is answered from an index.
 */
const ENGINE_INDEXES: Record<string, (table: any) => unknown[]> = {
  groups: (t) => [index("groups_search_trgm_idx").using("gin", sql`${t.searchText} gin_trgm_ops`)],
  library_versions: (t) => [index("library_versions_search_trgm_idx").using("gin", sql`${t.searchText} gin_trgm_ops`)],
};

export const regions = twin(lite.regions) as unknown as typeof lite.regions;
export const schools = twin(lite.schools) as unknown as typeof lite.schools;
export const users = twin(lite.users) as unknown as typeof lite.users;
export const userRoles = twin(lite.userRoles) as unknown as typeof lite.userRoles;
export const sessions = twin(lite.sessions) as unknown as typeof lite.sessions;
export const activationCodes = twin(lite.activationCodes) as unknown as typeof lite.activationCodes;
export const attemptThrottles = twin(lite.attemptThrottles) as unknown as typeof lite.attemptThrottles;
export const serverSecrets = twin(lite.serverSecrets) as unknown as typeof lite.serverSecrets;
export const retiredLogins = twin(lite.retiredLogins) as unknown as typeof lite.retiredLogins;
export const classes = twin(lite.classes) as unknown as typeof lite.classes;
export const classMemberships = twin(lite.classMemberships) as unknown as typeof lite.classMemberships;
export const guardianLinks = twin(lite.guardianLinks) as unknown as typeof lite.guardianLinks;
export const auditEvents = twin(lite.auditEvents) as unknown as typeof lite.auditEvents;
export const guardianContacts = twin(lite.guardianContacts) as unknown as typeof lite.guardianContacts;
export const consentRecords = twin(lite.consentRecords) as unknown as typeof lite.consentRecords;
export const featureFlags = twin(lite.featureFlags) as unknown as typeof lite.featureFlags;
export const flagOverrides = twin(lite.flagOverrides) as unknown as typeof lite.flagOverrides;
export const regionFlagRules = twin(lite.regionFlagRules) as unknown as typeof lite.regionFlagRules;
export const cacheVersions = twin(lite.cacheVersions) as unknown as typeof lite.cacheVersions;
export const adoptionSnapshots = twin(lite.adoptionSnapshots) as unknown as typeof lite.adoptionSnapshots;
export const rosterImports = twin(lite.rosterImports) as unknown as typeof lite.rosterImports;
export const files = twin(lite.files) as unknown as typeof lite.files;
export const posts = twin(lite.posts) as unknown as typeof lite.posts;
export const contentTags = twin(lite.contentTags) as unknown as typeof lite.contentTags;
export const comments = twin(lite.comments) as unknown as typeof lite.comments;
export const commentReports = twin(lite.commentReports) as unknown as typeof lite.commentReports;
export const reactions = twin(lite.reactions) as unknown as typeof lite.reactions;
export const portfolioItems = twin(lite.portfolioItems) as unknown as typeof lite.portfolioItems;
export const follows = twin(lite.follows) as unknown as typeof lite.follows;
export const notifications = twin(lite.notifications) as unknown as typeof lite.notifications;
export const noticeSettings = twin(lite.noticeSettings) as unknown as typeof lite.noticeSettings;
export const lessons = twin(lite.lessons) as unknown as typeof lite.lessons;
export const lessonPublications = twin(lite.lessonPublications) as unknown as typeof lite.lessonPublications;
export const announcements = twin(lite.announcements) as unknown as typeof lite.announcements;
export const assignments = twin(lite.assignments) as unknown as typeof lite.assignments;
export const assignmentClasses = twin(lite.assignmentClasses) as unknown as typeof lite.assignmentClasses;
export const submissions = twin(lite.submissions) as unknown as typeof lite.submissions;
export const submissionVersions = twin(lite.submissionVersions) as unknown as typeof lite.submissionVersions;
export const guardianLinkCodes = twin(lite.guardianLinkCodes) as unknown as typeof lite.guardianLinkCodes;
export const acknowledgements = twin(lite.acknowledgements) as unknown as typeof lite.acknowledgements;
export const groups = twin(lite.groups) as unknown as typeof lite.groups;
export const groupMembers = twin(lite.groupMembers) as unknown as typeof lite.groupMembers;
export const groupThreads = twin(lite.groupThreads) as unknown as typeof lite.groupThreads;
export const groupPosts = twin(lite.groupPosts) as unknown as typeof lite.groupPosts;
export const groupReports = twin(lite.groupReports) as unknown as typeof lite.groupReports;
export const groupFolders = twin(lite.groupFolders) as unknown as typeof lite.groupFolders;
export const groupResources = twin(lite.groupResources) as unknown as typeof lite.groupResources;
export const groupTasks = twin(lite.groupTasks) as unknown as typeof lite.groupTasks;
export const groupTaskResults = twin(lite.groupTaskResults) as unknown as typeof lite.groupTaskResults;
export const groupResultPortfolioItems = twin(lite.groupResultPortfolioItems) as unknown as typeof lite.groupResultPortfolioItems;
export const libraryResources = twin(lite.libraryResources) as unknown as typeof lite.libraryResources;
export const libraryVersions = twin(lite.libraryVersions) as unknown as typeof lite.libraryVersions;
export const libraryListings = twin(lite.libraryListings) as unknown as typeof lite.libraryListings;
export const libraryReviews = twin(lite.libraryReviews) as unknown as typeof lite.libraryReviews;
export const libraryReviewers = twin(lite.libraryReviewers) as unknown as typeof lite.libraryReviewers;
export const libraryUses = twin(lite.libraryUses) as unknown as typeof lite.libraryUses;
export const libraryRatings = twin(lite.libraryRatings) as unknown as typeof lite.libraryRatings;
export const libraryComments = twin(lite.libraryComments) as unknown as typeof lite.libraryComments;
