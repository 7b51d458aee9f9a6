// The demo's flag rules: the "three priorities" as data. Teachers first (rules on role teacher),
// developed areas first (rules on 成都市 / 武侯区), vocational first (rules on stage vocational).
// Idempotent: a flag the platform admin has already edited is left as it is.
import { bumpFlagsVersion, type FlagKey, type FlagSettings } from "~/domain/rollout/flags.server";
import { changedRows, db, schema } from "../client";

export async function seedDemoFlags(): Promise<{ created: number }> {
  const d = db();
  const regions = await d.select({ id: schema.regions.id, name: schema.regions.name }).from(schema.regions);
  const region = (name: string) => {
    const found = regions.find((r) => r.name === name);
    if (!found) throw new Error(`seedDemoFlags: no region named ${name}; run seedDemo first`);
    return found.id;
  };
  const chengdu = region("成都市");
  const wuhou = region("武侯区");
  const regionAndSchool = { region: true, school: true, user: false };
  const everyLevel = { region: true, school: true, user: true };

  const flags: Record<FlagKey, FlagSettings> = {
    blog: { defaultEnabled: false, overridable: everyLevel, rules: [{ enabled: true, roles: ["teacher"] }, { enabled: true, roles: ["student"], regionIds: [chengdu] }] },
    portfolio: { defaultEnabled: false, overridable: everyLevel, rules: [{ enabled: true, roles: ["teacher"] }, { enabled: true, roles: ["student"], regionIds: [chengdu] }] },
    assignments: { defaultEnabled: false, overridable: regionAndSchool, rules: [{ enabled: true, roles: ["teacher", "student"] }] },
    // Teachers everywhere; students from junior school up (primary pupils join their school's groups once a school opts in).
    study_groups: { defaultEnabled: false, overridable: regionAndSchool, rules: [{ enabled: true, roles: ["teacher"] }, { enabled: true, roles: ["student"], stages: ["junior", "senior", "vocational"] }] },
    // Teachers' research across schools first; students' cross-school groups in junior and vocational schools.
    cross_school_groups: { defaultEnabled: false, overridable: regionAndSchool, rules: [{ enabled: true, roles: ["teacher"] }, { enabled: true, stages: ["junior", "vocational"] }] },
    // Whether students may make their own study groups: each school decides (a school override); vocational schools start with it on.
    student_groups: { defaultEnabled: false, overridable: regionAndSchool, rules: [{ enabled: true, stages: ["vocational"] }] },
    // Teachers first: every teacher may offer to the region library and use it; in vocational schools, everyone.
    lesson_sharing: { defaultEnabled: false, overridable: regionAndSchool, rules: [{ enabled: true, roles: ["teacher"] }, { enabled: true, stages: ["vocational"] }] },
    // Parents are evaluated without a school (see flags.server.ts): this rule opens the capability for
    // the people of 武侯区's schools; parents themselves follow a user override or a rule on role parent.
    parent_access: { defaultEnabled: false, overridable: { region: true, school: false, user: false }, rules: [{ enabled: true, regionIds: [wuhou] }] },
  };

  let created = 0;
  await d.transaction(
    async (tx) => {
      for (const [key, f] of Object.entries(flags)) {
        created += (await changedRows(tx
          .insert(schema.featureFlags)
          .values({ key, defaultEnabled: f.defaultEnabled, rules: f.rules, overridable: f.overridable })
          .onConflictDoNothing()
          ));
      }
      if (created) await bumpFlagsVersion();
    },
    { behavior: "immediate" },
  );
  return { created };
}
