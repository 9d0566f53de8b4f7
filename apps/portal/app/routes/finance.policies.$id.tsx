import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { getReminderPolicyForEditing, updateReminderPolicy } from '@settle/core';
import {
  CHANNELS,
  ESCALATIONS,
  LATE_CHARGES_JURISDICTIONS,
  type LateChargesJurisdiction,
  STEP_ANCHORS,
} from '@settle/domain';
import { ActionMessage, FieldError } from '../components/finance/action-message';
import { db } from '../db.server';
import {
  type ActionResult,
  actorOf,
  financeDeps,
  formString,
  requireFinance,
  requireUuid,
  runAction,
} from '../lib/finance-access.server';

export const meta: MetaFunction = () => [{ title: 'Edit policy — Settle finance' }];

/** The statutory rule names as a finance user knows them. */
const JURISDICTION_LABELS: Record<LateChargesJurisdiction, string> = {
  auto: "Automatic, from our country and the customer's",
  eu: 'EU Late Payment Directive 2011/7',
  de: 'Germany, §288 BGB',
  fr: 'France, Code de commerce L441-10',
  pl: 'Poland, act on late payment in commercial transactions',
  uk: 'United Kingdom, Late Payment Act 1998',
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireFinance(request, 'view');
  const editing = await getReminderPolicyForEditing(
    { db },
    { organizationId: staff.organizationId, policyId: requireUuid(params.id) },
  );
  if (!editing) throw new Response('Policy not found', { status: 404 });
  const { row: policy, templateKeys } = editing;
  return {
    canEdit: staff.role === 'admin',
    id: policy.id,
    name: policy.name,
    segment: policy.segment ?? '',
    isDefault: policy.is_default,
    policy: editing.policy,
    templateKeys,
    options: {
      anchors: [...STEP_ANCHORS],
      channels: [...CHANNELS],
      escalations: [...ESCALATIONS],
      jurisdictions: LATE_CHARGES_JURISDICTIONS.map((id) => ({ id, label: JURISDICTION_LABELS[id] })),
    },
  };
}

/** A number field: empty stays undefined so the validator names it; anything else is parsed. */
function numberField(form: FormData, name: string): number | undefined {
  const raw = formString(form, name).trim();
  return raw === '' ? undefined : Number(raw);
}

/** The form's fields (named by the validator's paths, `steps[0].offsetDays`) as a policy object. */
function policyFromForm(form: FormData): unknown {
  const count = Number(formString(form, 'stepCount')) || 0;
  const steps: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const p = `steps[${i}]`;
    if (form.get(`${p}.remove`) === 'on') continue;
    const key = formString(form, `${p}.key`).trim();
    if (key === '' && i === count - 1) continue; // the blank row for a new step
    const everyDays = numberField(form, `${p}.repeat.everyDays`);
    const maxTimes = numberField(form, `${p}.repeat.maxTimes`);
    const untilOffsetDays = numberField(form, `${p}.repeat.untilOffsetDays`);
    steps.push({
      key,
      anchor: formString(form, `${p}.anchor`),
      offsetDays: numberField(form, `${p}.offsetDays`),
      channel: formString(form, `${p}.channel`),
      templateKey: formString(form, `${p}.templateKey`).trim(),
      escalation: formString(form, `${p}.escalation`),
      minBalanceMinor: numberField(form, `${p}.minBalanceMinor`) ?? 0,
      onlyWhenOverdue: form.get(`${p}.onlyWhenOverdue`) === 'on',
      onlyIfUnpaidSincePrevious: form.get(`${p}.onlyIfUnpaidSincePrevious`) === 'on',
      ...(everyDays !== undefined
        ? {
            repeat: {
              everyDays,
              ...(maxTimes !== undefined ? { maxTimes } : {}),
              ...(untilOffsetDays !== undefined ? { untilOffsetDays } : {}),
            },
          }
        : {}),
    });
  }
  return {
    sendWindow: { start: formString(form, 'sendWindow.start'), end: formString(form, 'sendWindow.end') },
    businessDaysOnly: form.get('businessDaysOnly') === 'on',
    lateCharges: form.get('lateCharges') === 'on',
    promiseGraceDays: numberField(form, 'promiseGraceDays'),
    maxPromiseDays: numberField(form, 'maxPromiseDays'),
    // Sent every time: a setting left out would fall back to its default and silently undo an edit.
    maxPromiseRenewals: numberField(form, 'maxPromiseRenewals'),
    mergeAcrossChannels: form.get('mergeAcrossChannels') === 'on',
    lateChargesJurisdiction: formString(form, 'lateChargesJurisdiction'),
    steps,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireFinance(request, 'administer');
  const policyId = requireUuid(params.id);
  const form = await request.formData();
  return runAction('save', async () => {
    const { replanned } = await updateReminderPolicy(financeDeps(), {
      organizationId: staff.organizationId,
      policyId,
      name: formString(form, 'name'),
      segment: formString(form, 'segment') || null,
      policy: policyFromForm(form),
      actor: actorOf(staff),
    });
    return `Policy saved; ${replanned} running reminder sequences re-planned from their next step.`;
  });
}

export default function FinancePolicy() {
  const { name, segment, isDefault, policy, canEdit, templateKeys, options } = useLoaderData<typeof loader>();
  const result = useActionData<ActionResult>();
  const rows = [...policy.steps, null];
  const disabled = !canEdit;
  return (
    <>
      <h1>Policy {name}</h1>
      <p>
        {isDefault ? 'The default policy. ' : ''}Saving re-plans running reminder sequences: the new steps
        apply from each invoice's next step; steps already sent are not repeated and dates already passed are
        skipped. Template wording is read at every send. A policy is only saved when every step has a template
        for its channel in each language your customers use (yours or a built-in one).
      </p>
      <ActionMessage result={result} />
      <Form method="post" className="fin-steps">
        <fieldset disabled={disabled}>
          <input type="hidden" name="stepCount" value={rows.length} />
          <div className="fin-inline">
            <label>
              Name
              <input name="name" defaultValue={name} required />
            </label>
            <label>
              Segment
              <input name="segment" defaultValue={segment} />
            </label>
            <label>
              Send from
              <input name="sendWindow.start" defaultValue={policy.sendWindow.start} />
            </label>
            <label>
              until
              <input name="sendWindow.end" defaultValue={policy.sendWindow.end} />
            </label>
            <label>
              Promise grace days
              <input name="promiseGraceDays" type="number" defaultValue={policy.promiseGraceDays} />
            </label>
            <label>
              Max promise days
              <input name="maxPromiseDays" type="number" defaultValue={policy.maxPromiseDays} />
            </label>
            <label>
              Times a customer may change a promised payment date (per invoice, 0 = never)
              <input
                name="maxPromiseRenewals"
                type="number"
                min={0}
                max={10}
                defaultValue={policy.maxPromiseRenewals}
              />
            </label>
            <label>
              <input name="lateCharges" type="checkbox" defaultChecked={policy.lateCharges} /> Claim late
              charges
            </label>
            <label>
              Late-payment rules to claim
              <select name="lateChargesJurisdiction" defaultValue={policy.lateChargesJurisdiction}>
                {options.jurisdictions.map((j) => (
                  <option key={j.id} value={j.id}>
                    {j.label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <input name="businessDaysOnly" type="checkbox" defaultChecked={policy.businessDaysOnly} /> Send
              on business days only (no weekends or public holidays of the customer's country)
            </label>
            <label>
              <input name="mergeAcrossChannels" type="checkbox" defaultChecked={policy.mergeAcrossChannels} />{' '}
              At most one message per customer per day, whatever the channel (the stronger step's channel is
              used)
            </label>
          </div>
          {[
            'name',
            'segment',
            'sendWindow',
            'sendWindow.start',
            'sendWindow.end',
            'promiseGraceDays',
            'maxPromiseDays',
            'maxPromiseRenewals',
            'lateChargesJurisdiction',
            'mergeAcrossChannels',
            'businessDaysOnly',
            'steps',
          ].map((field) => (
            <FieldError key={field} result={result} field={field} />
          ))}
          <table>
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Anchor</th>
                <th scope="col">Offset days</th>
                <th scope="col">Channel</th>
                <th scope="col">Template</th>
                <th scope="col">Escalation</th>
                <th scope="col">Min balance (minor)</th>
                <th scope="col">Conditions</th>
                <th scope="col">Repeat every / max / until</th>
                <th scope="col">Remove</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((step, i) => {
                const p = `steps[${i}]`;
                const errors = (field: string) => <FieldError result={result} field={`${p}.${field}`} />;
                return (
                  <tr key={step?.key ?? `new-${i}`}>
                    <td>
                      <input
                        name={`${p}.key`}
                        defaultValue={step?.key ?? ''}
                        aria-label={`Step ${i + 1} key`}
                        placeholder={step ? '' : 'new step'}
                      />
                      {errors('key')}
                      <FieldError result={result} field={p} />
                    </td>
                    <td>
                      <select
                        name={`${p}.anchor`}
                        defaultValue={step?.anchor ?? 'due_date'}
                        aria-label={`Step ${i + 1} anchor`}
                      >
                        {options.anchors.map((a) => (
                          <option key={a}>{a}</option>
                        ))}
                      </select>
                      {errors('anchor')}
                    </td>
                    <td>
                      <input
                        name={`${p}.offsetDays`}
                        type="number"
                        defaultValue={step?.offsetDays ?? 0}
                        aria-label={`Step ${i + 1} offset days`}
                      />
                      {errors('offsetDays')}
                    </td>
                    <td>
                      <select
                        name={`${p}.channel`}
                        defaultValue={step?.channel ?? 'email'}
                        aria-label={`Step ${i + 1} channel`}
                      >
                        {options.channels.map((c) => (
                          <option key={c}>{c}</option>
                        ))}
                      </select>
                      {errors('channel')}
                    </td>
                    <td>
                      <input
                        name={`${p}.templateKey`}
                        list="template-keys"
                        defaultValue={step?.templateKey ?? ''}
                        aria-label={`Step ${i + 1} template`}
                      />
                      {errors('templateKey')}
                    </td>
                    <td>
                      <select
                        name={`${p}.escalation`}
                        defaultValue={step?.escalation ?? 'courteous'}
                        aria-label={`Step ${i + 1} escalation`}
                      >
                        {options.escalations.map((e) => (
                          <option key={e}>{e}</option>
                        ))}
                      </select>
                      {errors('escalation')}
                    </td>
                    <td>
                      <input
                        name={`${p}.minBalanceMinor`}
                        type="number"
                        defaultValue={step?.minBalanceMinor ?? 0}
                        aria-label={`Step ${i + 1} minimum balance`}
                      />
                      {errors('minBalanceMinor')}
                    </td>
                    <td>
                      <label>
                        <input
                          type="checkbox"
                          name={`${p}.onlyWhenOverdue`}
                          defaultChecked={step?.onlyWhenOverdue ?? false}
                        />{' '}
                        only overdue
                      </label>
                      <label>
                        <input
                          type="checkbox"
                          name={`${p}.onlyIfUnpaidSincePrevious`}
                          defaultChecked={step?.onlyIfUnpaidSincePrevious ?? false}
                        />{' '}
                        only if unpaid since previous
                      </label>
                    </td>
                    <td>
                      <input
                        name={`${p}.repeat.everyDays`}
                        type="number"
                        defaultValue={step?.repeat?.everyDays ?? ''}
                        aria-label={`Step ${i + 1} repeat every days`}
                      />
                      <input
                        name={`${p}.repeat.maxTimes`}
                        type="number"
                        defaultValue={step?.repeat?.maxTimes ?? ''}
                        aria-label={`Step ${i + 1} repeat max times`}
                      />
                      <input
                        name={`${p}.repeat.untilOffsetDays`}
                        type="number"
                        defaultValue={step?.repeat?.untilOffsetDays ?? ''}
                        aria-label={`Step ${i + 1} repeat until offset`}
                      />
                      {errors('repeat')}
                      {errors('repeat.everyDays')}
                      {errors('repeat.maxTimes')}
                      {errors('repeat.untilOffsetDays')}
                    </td>
                    <td>
                      {step ? (
                        <input type="checkbox" name={`${p}.remove`} aria-label={`Remove step ${i + 1}`} />
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <datalist id="template-keys">
            {templateKeys.map((k) => (
              <option key={k} value={k} />
            ))}
          </datalist>
          {canEdit ? (
            <button type="submit">Save policy</button>
          ) : (
            <p>Only an administrator edits policies.</p>
          )}
        </fieldset>
      </Form>
    </>
  );
}
