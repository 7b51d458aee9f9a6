// Login names and handles without identity numbers (issue 13): the rule, the generator of new names
// (school prefix + role letter + a per-school counter), and the data migration that retires names made
// from student numbers or ID numbers. Plain JS so that server.mjs, which migrates at start-up, shares it.
import { randomBytes } from "node:crypto";
import { keyedHash, serverSecret } from "./secrets.mjs";

/** How long a retired login name still signs its person in (a school term and a holiday). */
export const RETIRED_LOGIN_MS = 180 * 86_400_000;

// A 学籍号 is "G" + an 18-character ID number (17 digits + a digit or X); student numbers that long, and
// phone-like runs, are identity numbers too. Six digits is the shortest run we treat as one.
const IDENTITY_DIGITS = /\d{6,}|\d{17}[\dx]/i;
// A one- or two-character student number ("7") would match every counter; such short ones identify nobody.
const MIN_STUDENT_NUMBER = 3;

/** Whether `text` (a login name or handle) holds an identity number, or one of the person's own numbers. */
export function holdsIdentityNumber(text, ownNumbers = []) {
  const folded = text.normalize("NFKC").toLowerCase();
  if (IDENTITY_DIGITS.test(folded)) return true;
  const squashed = folded.replace(/[^a-z0-9]/g, "");
  return ownNumbers.some((n) => {
    const number = (n ?? "").normalize("NFKC").toLowerCase().replace(/[^a-z0-9]/g, "");
    return number.length >= MIN_STUDENT_NUMBER && squashed.includes(number);
  });
}

/**
 * The school's prefix for generated login names (a short latin one from its id when it has none). A
 * prefix may be a six-digit area code ("school-510104"): such runs are left out, or every name made
 * from it would hold a number.
 */
export function loginPrefixOf(school) {
  return (school.loginPrefix ?? school.id.slice(0, 8).toLowerCase()).replace(/\d{6,}/g, "").replace(/^-+|-+$/g, "") || "school";
}

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");

/**
 * The next free generated login name, e.g. "wuhou-pri.s7": the school's prefix, a role letter and one
 * more than the highest counter in `taken`. Skips names that would hold one of `ownNumbers`.
 */
export function nextLoginName(prefix, letter, taken, ownNumbers = []) {
  const pattern = new RegExp(`^${escapeRegExp(prefix)}\\.${letter}(\\d+)$`);
  let n = 0;
  for (const login of taken) {
    const m = pattern.exec(login);
    if (m) n = Math.max(n, Number(m[1]));
  }
  let candidate = `${prefix}.${letter}${++n}`;
  while (taken.has(candidate) || holdsIdentityNumber(candidate, ownNumbers)) candidate = `${prefix}.${letter}${++n}`;
  return candidate;
}

/** A public handle derived from a login name ("wuhou-pri.s7" → "wuhou-pri-s7"), made unique with a random tail. */
export function handleFromLogin(loginName, isTaken) {
  const base = handleBase(loginName);
  let handle = base;
  while (isTaken(handle)) handle = handleVariant(base);
  return handle;
}

/** The handle a login name asks for first. */
export function handleBase(loginName) {
  return loginName.replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "u";
}

/** Another handle on the same base, when the base is taken: base32 lower-case like randomId (no digits 0, 1, 8, 9, never a long digit run). */
export function handleVariant(base) {
  return `${base}-${[...randomBytes(5)].map((b) => "abcdefghijklmnopqrstuvwxyz234567"[b % 32]).join("")}`;
}

/** The stored form of a retired login name: a keyed hash, so the name itself is nowhere in the database. */
export function retiredLoginHash(sqlite, loginName) {
  return keyedHash(serverSecret(sqlite), `retired-login|${loginName.normalize("NFKC").trim().toLowerCase()}`);
}

const ROLE_LETTER = { student: "s", teacher: "t", school_admin: "a" };

/**
 * Data migration: every school account whose login name or handle holds an identity number gets a
 * generated login name and handle. The old name is kept only as a keyed hash that still signs the person
 * in for RETIRED_LOGIN_MS; the old handle is simply gone (its links answer 404). One audit event per
 * school with the count. Idempotent: new names never hold a number, so a second run finds nobody.
 * Parents are left alone: their login is the phone number they chose to sign in with.
 */
export function retireIdentityNumberLogins(sqlite, now = Date.now()) {
  const people = sqlite
    .prepare(
      `select u.id, u.login_name as loginName, u.handle, u.student_number as studentNumber, u.school_id as schoolId,
              s.login_prefix as loginPrefix,
              (select group_concat(r.role) from user_roles r where r.user_id = u.id) as roles
         from users u join schools s on s.id = u.school_id`,
    )
    .all()
    .filter((p) => holdsIdentityNumber(p.loginName, [p.studentNumber]) || holdsIdentityNumber(p.handle, [p.studentNumber]));
  if (!people.length) return 0;

  const migrate = sqlite.transaction(() => {
    const taken = new Set(sqlite.prepare("select login_name as l from users").all().map((r) => r.l));
    const handleTaken = sqlite.prepare("select 1 from users where handle = ?");
    const rename = sqlite.prepare("update users set login_name = ?, handle = ? where id = ?");
    const retire = sqlite.prepare(
      "insert into retired_logins (login_hash, user_id, retired_at, expires_at) values (?, ?, ?, ?) on conflict(login_hash) do update set user_id = excluded.user_id, retired_at = excluded.retired_at, expires_at = excluded.expires_at",
    );
    const perSchool = new Map();
    for (const p of people) {
      const roles = (p.roles ?? "").split(",");
      const letter = ROLE_LETTER[["student", "teacher", "school_admin"].find((r) => roles.includes(r))] ?? "u";
      const prefix = loginPrefixOf({ id: p.schoolId, loginPrefix: p.loginPrefix });
      const loginName = holdsIdentityNumber(p.loginName, [p.studentNumber]) ? nextLoginName(prefix, letter, taken, [p.studentNumber]) : p.loginName;
      taken.add(loginName);
      const handle = handleFromLogin(loginName, (h) => Boolean(handleTaken.get(h)));
      rename.run(loginName, handle, p.id);
      if (loginName !== p.loginName) retire.run(retiredLoginHash(sqlite, p.loginName), p.id, now, now + RETIRED_LOGIN_MS);
      perSchool.set(p.schoolId, (perSchool.get(p.schoolId) ?? 0) + 1);
    }
    const audit = sqlite.prepare(
      "insert into audit_events (id, actor_id, action, target_type, target_id, school_id, detail, at) values (?, null, 'account.login_renamed', 'school', ?, ?, ?, ?)",
    );
    for (const [schoolId, count] of perSchool) {
      audit.run(randomBytes(10).toString("hex"), schoolId, schoolId, JSON.stringify({ count }), now);
    }
  });
  migrate.immediate();
  return people.length;
}
