// Audit events as sentences in the reader's language: "王老师把 昭觉县 的最高阶段从“教师开通”改为“教师和学生开通”".
// Each action has "sentences.<group>.<action>" in locales/*/audit.json; its detail fields are passed by
// name, and enum values (phases, decisions, grade states, stages, flag keys, on/off) are translated
// first, so no raw key or JSON reaches the page. An action without a sentence (or whose facts the
// reader may not see) reads as its translated name and its target.
import type { TFunction } from "i18next";
import { autonyms, isLng } from "~/i18n";

export type AnonymousWord = "student" | "parent";
export type AuditPersonView = { name: string; anonymous: null } | { name: null; anonymous: AnonymousWord };

export type AuditEventView = {
  id: string;
  /** Already formatted on the server (Beijing time, the reader's locale). */
  at: string;
  atIso: string;
  who: string | null;
  whoLogin: string | null;
  /** A pupil or parent shown to region and platform admins only as "a student" / "a parent". */
  whoAnonymous: AnonymousWord | null;
  action: string;
  targetType: string;
  targetName: string | null;
  targetAnonymous: AnonymousWord | null;
  schoolName: string | null;
  detail: Record<string, unknown> | null;
  detailHidden: boolean;
  people: Record<string, AuditPersonView>;
  list: AuditPersonView[] | null;
};

type Params = Record<string, string | number>;

const str = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");

/** The words a sentence uses for a person: their name, or "a student" / "a parent". */
export function personWord(t: TFunction, p: AuditPersonView | undefined): string {
  if (!p) return t("audit:someone");
  return p.name ?? t(`audit:anonymous.${p.anonymous}`);
}

function phase(t: TFunction, p: unknown): string {
  return typeof p === "number" ? t(`common:phases.${p}`, { defaultValue: String(p) }) : t("audit:values.noCeiling");
}

function onOff(t: TFunction, v: unknown): string {
  return t(v === true ? "audit:values.on" : v === false ? "audit:values.off" : "audit:values.byDefault");
}

function grade(t: TFunction, g: unknown): string {
  const v = (g ?? {}) as { score?: unknown; state?: unknown };
  const state = t(`audit:gradeStates.${str(v.state) || "none"}`, { defaultValue: t("audit:gradeStates.none") });
  return typeof v.score === "number" ? t("audit:values.score", { score: v.score, state }) : state;
}

function flagState(t: TFunction, s: unknown): string {
  const v = (s ?? {}) as { enabled?: unknown; locked?: unknown };
  const state = onOff(t, v.enabled);
  return v.locked === true ? t("audit:values.locked", { state }) : state;
}

/** A field of a school as the school edit form names it, with its values translated. */
function schoolValue(t: TFunction, field: string, v: unknown): string {
  if (field === "stage") return t(`common:stages.${str(v)}`, { defaultValue: str(v) });
  if (field === "defaultLocale") return isLng(v) ? autonyms[v] : str(v);
  if (Array.isArray(v)) return v.length ? v.map(str).join("、") : t("audit:values.none");
  return str(v) || t("audit:values.none");
}

/** The detail fields of each action, as the sentence's interpolation values. */
function detailParams(t: TFunction, action: string, d: Record<string, unknown>): Params {
  switch (action) {
    case "school.phase_change":
    case "region.ceiling":
    case "school.ceiling":
      return { from: phase(t, d.from), to: phase(t, d.to) };
    case "school.content_approval":
      return { from: onOff(t, d.from), to: onOff(t, d.to) };
    case "school.create":
      return { name: str(d.name), stage: schoolValue(t, "stage", d.stage) };
    case "school.update": {
      const changes = Object.entries(d)
        .filter(([, v]) => v && typeof v === "object" && "to" in (v as object))
        .map(([field, v]) => {
          const { from, to } = v as { from: unknown; to: unknown };
          return t("audit:values.change", { field: t(`regions:fields.${field}`, { defaultValue: field }), from: schoolValue(t, field, from), to: schoolValue(t, field, to) });
        });
      return { changes: changes.join(t("audit:values.separator")) };
    }
    case "region.create":
      return { name: str(d.name), level: t(`regions:levels.${str(d.level)}`, { defaultValue: str(d.level) }) };
    case "region.rename":
      return { from: str(d.from), to: str(d.to) };
    case "class.create":
    case "class.archive":
      return { name: str(d.name), year: str(d.year) };
    case "class.assign_teacher":
      return { teacher: str(d.teacher), className: str(d.className), subject: str(d.subject) || t("audit:values.noSubject"), head: d.head ? t("audit:values.headTeacher") : "" };
    case "class.remove_teacher":
      return { teacher: str(d.teacher), className: str(d.className) };
    case "class.move_student":
      return { fromClass: str(d.fromClass) || t("audit:values.noClass"), toClass: str(d.toClass) };
    case "consent.record":
    case "consent.online":
      return { decision: t(`rollout:decisions.${str(d.decision)}`, { defaultValue: str(d.decision) }), guardian: str(d.guardian), signedOn: str(d.signedOn) };
    case "grade.save":
    case "grade.return":
      return { assignment: str(d.assignment), from: grade(t, d.before), to: grade(t, d.after) };
    case "post.delete":
    case "post.approve":
    case "post.reject":
      return { title: str(d.title) };
    case "flag.rule_change":
      return { flag: t(`flags:names.${str(d.flag)}`, { defaultValue: str(d.flag) }), op: t(`audit:values.ruleOps.${str(d.op)}`, { defaultValue: str(d.op) }) };
    case "flag.region_rules":
      return { flag: t(`flags:names.${str(d.flag)}`, { defaultValue: str(d.flag) }), place: str(d.place) };
    case "flag.override_set":
    case "flag.override_clear":
      return { flag: t(`flags:names.${str(d.flag)}`, { defaultValue: str(d.flag) }), place: str(d.place), from: d.before ? flagState(t, d.before) : t("audit:values.notSet"), to: flagState(t, d.after) };
    case "roster.create_classes":
      return { count: Number(d.count ?? 0), classNames: Array.isArray(d.classNames) ? d.classNames.map(str).join(t("audit:values.separator")) : "" };
    case "roster.import":
    case "account.login_renamed":
      return { created: Number(d.created ?? 0), updated: Number(d.updated ?? 0), rows: Number(d.rows ?? 0), count: Number(d.count ?? 0) };
  }
  // Another area's action: its plain facts (numbers and words, never objects) by name.
  const facts: Params = {};
  for (const [k, v] of Object.entries(d)) if (typeof v === "string" || typeof v === "number") facts[k] = v;
  return facts;
}

/** The event as one sentence in the reader's language. */
export function auditSentence(t: TFunction, e: AuditEventView): string {
  const actor = e.whoAnonymous ? t(`audit:anonymous.${e.whoAnonymous}`) : (e.who ?? t("audit:system"));
  const detailName = e.detail && typeof e.detail.name === "string" ? e.detail.name : null;
  const target = e.targetAnonymous
    ? t(`audit:anonymous.${e.targetAnonymous}`)
    : (e.targetName ?? detailName ?? t(`audit:targetTypes.${e.targetType}`, { defaultValue: t("audit:someone") }));
  const actionName = t(`audit:actions.${e.action}`, { defaultValue: e.action });
  const base: Params = { actor, target, school: e.schoolName ?? "", action: actionName };
  const fallback = t("audit:sentences.fallback", base);
  if (e.detailHidden) return fallback;
  const people: Params = {};
  for (const [as, p] of Object.entries(e.people)) people[as] = personWord(t, p);
  const batch: Params = e.list ? { count: e.list.length } : {};
  const params = { ...batch, ...(e.detail ? detailParams(t, e.action, e.detail) : {}), ...people, ...base };
  const key = e.action === "account.activate" && e.detail?.via === "guardian_link_code" ? "audit:sentences.account.activate_parent" : `audit:sentences.${e.action}`;
  return t(key, { ...params, defaultValue: fallback });
}

/** The known actions, grouped by kind, with translated names: the filter's choices (values stay the keys). */
export function auditActionChoices(t: TFunction): { group: string; label: string; actions: { key: string; label: string }[] }[] {
  const actions = t("audit:actions", { returnObjects: true }) as unknown as Record<string, Record<string, string>>;
  return Object.entries(typeof actions === "object" && actions ? actions : {}).map(([group, names]) => ({
    group,
    label: t(`audit:kinds.${group}`, { defaultValue: group }),
    actions: Object.entries(names ?? {})
      .filter(([, label]) => typeof label === "string")
      .map(([action, label]) => ({ key: `${group}.${action}`, label })),
  }));
}
