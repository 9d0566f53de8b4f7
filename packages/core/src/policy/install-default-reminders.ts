import { type DbOrTx, type ReminderPolicyWithSteps, upsertTemplate } from '@settle/db';
import { DEFAULT_POLICY, DEFAULT_TEMPLATES, type ReminderPolicy } from '@settle/domain';
import { saveReminderPolicy } from './reminder-policy-rows';

/** Gives a new organization the default policy (or the one given) and the default templates in every locale. */
export async function installDefaultReminders(
  db: DbOrTx,
  organizationId: string,
  options: { name?: string; policy?: ReminderPolicy } = {},
): Promise<ReminderPolicyWithSteps> {
  const policy = await saveReminderPolicy(db, {
    organizationId,
    name: options.name ?? 'Default',
    isDefault: true,
    policy: options.policy ?? DEFAULT_POLICY,
  });
  for (const template of DEFAULT_TEMPLATES) {
    await upsertTemplate(db, {
      organization_id: organizationId,
      key: template.key,
      channel: template.channel,
      locale: template.locale,
      subject: template.subject,
      body: template.body,
    });
  }
  return policy;
}
