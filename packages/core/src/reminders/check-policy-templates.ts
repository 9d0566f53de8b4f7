import { type Db, listOrganizationLocales, listStoredTemplateKeys } from '@settle/db';
import {
  DEFAULT_TEMPLATES,
  type PolicyValidationError,
  type ReminderPolicy,
  resolveLocale,
  SUPPORTED_LOCALES,
} from '@settle/domain';

const slot = (key: string, channel: string, locale: string) => `${key}/${channel}/${locale}`;

const BUILT_IN = new Set(DEFAULT_TEMPLATES.map((t) => slot(t.key, t.channel, t.locale)));

/**
 * The steps of a policy whose template is missing in a language the organization writes in (its
 * default locale and every customer's), each as the domain names a rule problem:
 * `{ path: 'steps[3].templateKey', message: "no sms template 'overdue' in de, fr" }`. A template
 * counts when the organization stores it or a built-in default exists for its key, channel and
 * language. Checked when a policy is saved, so that a sequence does not find the hole at send time.
 */
export async function checkPolicyTemplates(
  deps: { db: Db },
  input: { organizationId: string; policy: ReminderPolicy },
): Promise<PolicyValidationError[]> {
  const [rawLocales, stored] = await Promise.all([
    listOrganizationLocales(deps.db, input.organizationId),
    listStoredTemplateKeys(deps.db, input.organizationId),
  ]);
  const used = new Set(rawLocales.map(resolveLocale));
  const locales = SUPPORTED_LOCALES.filter((locale) => used.has(locale));
  const present = new Set([...BUILT_IN, ...stored.map((t) => slot(t.key, t.channel, t.locale))]);
  return input.policy.steps.flatMap((step, index) => {
    const missing = locales.filter((locale) => !present.has(slot(step.templateKey, step.channel, locale)));
    if (missing.length === 0) return [];
    return [
      {
        path: `steps[${index}].templateKey`,
        message: `no ${step.channel} template '${step.templateKey}' in ${missing.join(', ')}`,
      },
    ];
  });
}
