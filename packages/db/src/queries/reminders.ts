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

/** The console's policy list: each policy with how many steps it has and how many customers it is assigned to. */
export async function listReminderPoliciesOverview(db: DbOrTx, organizationId: string) {
  const [policies, steps, assigned] = await Promise.all([
    db
      .selectFrom('reminder_policies')
      .select(['id', 'name', 'segment', 'is_default', 'updated_at'])
      .where('organization_id', '=', organizationId)
      .orderBy('name')
      .execute(),
    db
      .selectFrom('reminder_policy_steps')
      .select((eb) => ['policy_id', eb.fn.countAll<string>().as('count')])
      .where('organization_id', '=', organizationId)
      .groupBy('policy_id')
      .execute(),
    db
      .selectFrom('customers')
      .select((eb) => ['reminder_policy_id', eb.fn.countAll<string>().as('count')])
      .where('organization_id', '=', organizationId)
      .where('reminder_policy_id', 'is not', null)
      .groupBy('reminder_policy_id')
      .execute(),
  ]);
  return policies.map((policy) => ({
    ...policy,
    steps: Number(steps.find((s) => s.policy_id === policy.id)?.count ?? 0),
    customers: Number(assigned.find((a) => a.reminder_policy_id === policy.id)?.count ?? 0),
  }));
}

/** The organization's default policy with its steps, if it has one. */
export async function findDefaultReminderPolicy(
  db: DbOrTx,
  organizationId: string,
): Promise<ReminderPolicyWithSteps | undefined> {
  const base = await db
    .selectFrom('reminder_policies')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('is_default', '=', true)
    .executeTakeFirst();
  return base ? getReminderPolicy(db, organizationId, base.id) : undefined;
}

/** The template keys an organization has, in any channel or language, sorted. */
export async function listTemplateKeys(db: DbOrTx, organizationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('templates')
    .select('key')
    .distinct()
    .where('organization_id', '=', organizationId)
    .orderBy('key')
    .execute();
  return rows.map((row) => row.key);
}

/** Open invoices to preview a template with (number, customer and its language), earliest due first. */
export function listOpenInvoicesForPreview(db: DbOrTx, organizationId: string, limit = 100) {
  return db
    .selectFrom('invoices as i')
    .innerJoin('customers as c', 'c.id', 'i.customer_id')
    .select(['i.id', 'i.number', 'c.name as customer', 'c.locale'])
    .where('i.organization_id', '=', organizationId)
    .where('i.status', '=', 'open')
    .orderBy('i.due_date')
    .limit(limit)
    .execute();
}

/** The policies a customer can be assigned to, by name. */
export function listReminderPolicyChoices(db: DbOrTx, organizationId: string) {
  return db
    .selectFrom('reminder_policies')
    .select(['id', 'name', 'segment', 'is_default'])
    .where('organization_id', '=', organizationId)
    .orderBy('name')
    .execute();
}
