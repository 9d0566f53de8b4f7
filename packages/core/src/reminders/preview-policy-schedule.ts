import {
  isSupportedCountry,
  isValidDate,
  isValidTimeZone,
  previewSchedule,
  type SchedulePreview,
  validatePolicy,
} from '@settle/domain';
import { AppError } from '../errors';
import { policyFieldOf } from '../policy/reminder-policy-input';

/** A made-up invoice to preview a draft policy against. */
export interface PolicyPreviewSample {
  issueDate: string;
  dueDate: string;
  /** ISO 3166 country (or `CC-SS` subdivision) for weekends and public holidays. */
  country: string;
  /** IANA time zone, e.g. `Europe/Warsaw`. */
  timeZone: string;
  /** Open balance in minor units: says whether each minimum-balance condition is met. */
  balanceMinor?: number;
}

type FieldError = { field: string; message: string };

function sampleErrors(sample: PolicyPreviewSample): FieldError[] {
  const errors: FieldError[] = [];
  if (!isValidDate(sample.issueDate)) {
    errors.push({ field: 'sample.issueDate', message: 'expected a calendar date YYYY-MM-DD' });
  }
  if (!isValidDate(sample.dueDate)) {
    errors.push({ field: 'sample.dueDate', message: 'expected a calendar date YYYY-MM-DD' });
  } else if (isValidDate(sample.issueDate) && sample.dueDate < sample.issueDate) {
    errors.push({ field: 'sample.dueDate', message: 'must not be before sample.issueDate' });
  }
  if (!isValidTimeZone(sample.timeZone)) {
    errors.push({ field: 'sample.timeZone', message: 'expected an IANA time zone such as Europe/Warsaw' });
  }
  if (typeof sample.country !== 'string' || !isSupportedCountry(sample.country)) {
    errors.push({
      field: 'sample.country',
      message: 'expected a supported ISO 3166 country code such as PL',
    });
  }
  if (
    sample.balanceMinor !== undefined &&
    (!Number.isSafeInteger(sample.balanceMinor) || sample.balanceMinor < 0)
  ) {
    errors.push({ field: 'sample.balanceMinor', message: 'expected a whole number of minor units ≥ 0' });
  }
  return errors;
}

/**
 * The schedule a draft policy (untrusted, checked by the same rules as a saved one) would give a
 * sample invoice. VALIDATION names every bad field of the policy and of the sample at once. A draft
 * has no invoice id, so its times carry the spread of the empty key (window start plus one minute).
 */
export function previewPolicySchedule(input: {
  policy: unknown;
  sample: PolicyPreviewSample;
}): SchedulePreview {
  const result = validatePolicy(input.policy);
  const details: FieldError[] = [
    ...(result.ok ? [] : result.errors.map((e) => ({ field: policyFieldOf(e.path), message: e.message }))),
    ...sampleErrors(input.sample),
  ];
  if (details.length > 0 || !result.ok) {
    throw new AppError(
      'VALIDATION',
      `invalid policy preview: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`,
      { userMessage: 'The policy or the sample invoice is invalid; see details.', details },
    );
  }
  const { sample } = input;
  return previewSchedule({
    policy: result.policy,
    issueDate: sample.issueDate,
    dueDate: sample.dueDate,
    timeZone: sample.timeZone,
    country: sample.country.trim().toUpperCase(),
    jitterKey: '',
    ...(sample.balanceMinor === undefined ? {} : { balanceMinor: sample.balanceMinor }),
  });
}
