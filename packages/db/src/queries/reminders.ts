import type { DbOrTx } from '../client';
import type {
  Channel,
  NewReminderPolicy,
  NewReminderPolicyStep,
  NewTemplate,
  ReminderPolicy,
  ReminderPolicyStep,
  Template,
} from '../schema';

export type ReminderPolicyWithSteps = ReminderPolicy & { steps: ReminderPolicyStep[] };

/** Inserts a policy and its ordered steps; call inside a transaction. */
export async function insertReminderPolicy(
  db: DbOrTx,
  policy: NewReminderPolicy,
  steps: Omit<NewReminderPolicyStep, 'organization_id' | 'policy_id' | 'position'>[],
): Promise<ReminderPolicyWithSteps> {
  const row = await db
    .insertInto('reminder_policies')
    .values(policy)
    .returningAll()
    .executeTakeFirstOrThrow();
  const stepRows =
    steps.length === 0
      ? []
      : await db
          .insertInto('reminder_policy_steps')
          .values(
            steps.map((step, position) => ({
              ...step,
              position,
              organization_id: row.organization_id,
              policy_id: row.id,
            })),
          )
          .returningAll()
          .execute();
  return { ...row, steps: stepRows.sort((a, b) => a.position - b.position) };
}

export async function getReminderPolicy(
  db: DbOrTx,
  organizationId: string,
  id: string,
): Promise<ReminderPolicyWithSteps | undefined> {
  const policy = await db
    .selectFrom('reminder_policies')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!policy) return undefined;
  const steps = await db
    .selectFrom('reminder_policy_steps')
    .selectAll()
    .where('policy_id', '=', id)
    .orderBy('position')
    .execute();
  return { ...policy, steps };
}

/** The policy that governs a customer: its own, else its segment's, else the organization default. */
export async function resolveReminderPolicy(
  db: DbOrTx,
  customer: { organization_id: string; reminder_policy_id: string | null; segment: string | null },
): Promise<ReminderPolicyWithSteps | undefined> {
  // An organization has a handful of policies: choosing in code keeps the precedence readable.
  const policies = await db
    .selectFrom('reminder_policies')
    .select(['id', 'segment', 'is_default'])
    .where('organization_id', '=', customer.organization_id)
    .execute();
  const chosen =
    policies.find((p) => p.id === customer.reminder_policy_id) ??
    policies.find((p) => customer.segment !== null && p.segment === customer.segment) ??
    policies.find((p) => p.is_default);
  return chosen ? getReminderPolicy(db, customer.organization_id, chosen.id) : undefined;
}

/** Creates or replaces the template for (key, channel, locale). */
export async function upsertTemplate(db: DbOrTx, values: NewTemplate): Promise<Template> {
  return db
    .insertInto('templates')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['organization_id', 'key', 'channel', 'locale']).doUpdateSet((eb) => ({
        subject: eb.ref('excluded.subject'),
        body: eb.ref('excluded.body'),
        updated_at: new Date(),
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findTemplate(
  db: DbOrTx,
  organizationId: string,
  key: string,
  channel: Channel,
  locale: string,
): Promise<Template | undefined> {
  return db
    .selectFrom('templates')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('key', '=', key)
    .where('channel', '=', channel)
    .where('locale', '=', locale)
    .executeTakeFirst();
}

export async function listTemplates(db: DbOrTx, organizationId: string): Promise<Template[]> {
  return db
    .selectFrom('templates')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('key')
    .orderBy('channel')
    .orderBy('locale')
    .execute();
}
