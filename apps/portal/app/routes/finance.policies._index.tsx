import {
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
  redirect,
} from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import {
  createPolicyFromPreset,
  createReminderPolicy,
  getDefaultReminderPolicy,
  listReminderPolicies,
} from '@settle/core';
import { POLICY_PRESETS } from '@settle/domain';
import { ActionMessage, FieldError } from '../components/finance/action-message';
import { db } from '../db.server';
import {
  type ActionResult,
  actorOf,
  formString,
  requireFinance,
  runAction,
} from '../lib/finance-access.server';

export const meta: MetaFunction = () => [{ title: 'Policies — Settle finance' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireFinance(request, 'view');
  const policies = await listReminderPolicies({ db }, { organizationId: staff.organizationId });
  return {
    canEdit: staff.role === 'admin',
    presets: POLICY_PRESETS.map((p) => ({
      id: p.id,
      name: p.name,
      description: p.description,
      steps: p.policy.steps.length,
    })),
    policies: policies.map((p) => ({
      id: p.id,
      name: p.name,
      segment: p.segment,
      isDefault: p.is_default,
      steps: p.steps,
      customers: p.customers,
    })),
  };
}

/**
 * A new policy starts as a copy of the organization's default policy (or the built-in sequence), or,
 * with `intent=preset`, as a copy of a built-in preset named after it; either way the editor opens next.
 */
export async function action({ request }: ActionFunctionArgs) {
  const staff = await requireFinance(request, 'administer');
  const form = await request.formData();
  let createdId = '';
  if (formString(form, 'intent') === 'preset') {
    const result = await runAction('preset', async () => {
      const created = await createPolicyFromPreset(
        { db },
        {
          organizationId: staff.organizationId,
          presetId: formString(form, 'preset'),
          name: formString(form, 'name'),
          segment: formString(form, 'segment').trim() || null,
          actor: actorOf(staff),
        },
      );
      createdId = created.id;
      return 'Policy created.';
    });
    return createdId ? redirect(`/finance/policies/${createdId}`) : result;
  }
  const result = await runAction('create', async () => {
    const policy = await getDefaultReminderPolicy({ db }, { organizationId: staff.organizationId });
    const created = await createReminderPolicy(
      { db },
      {
        organizationId: staff.organizationId,
        name: formString(form, 'name'),
        segment: formString(form, 'segment').trim() || null,
        policy,
        actor: actorOf(staff),
      },
    );
    createdId = created.id;
    return 'Policy created.';
  });
  return createdId ? redirect(`/finance/policies/${createdId}`) : result;
}

export default function FinancePolicies() {
  const { policies, presets, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<ActionResult>();
  const presetResult = result?.intent === 'preset' ? result : undefined;
  const createResult = result?.intent === 'preset' ? undefined : result;
  return (
    <>
      <h1>Reminder policies</h1>
      <p>
        A customer follows the policy assigned to it, else the policy of its segment, else the default. Assign
        a policy to a customer on its customer page; a segment here.
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Policy</th>
            <th scope="col">Applies to</th>
            <th scope="col">Steps</th>
          </tr>
        </thead>
        <tbody>
          {policies.map((p) => (
            <tr key={p.id}>
              <th scope="row">
                <Link to={`/finance/policies/${p.id}`}>{p.name}</Link>
              </th>
              <td>
                {[
                  p.isDefault ? 'default' : null,
                  p.segment ? `segment ${p.segment}` : null,
                  p.customers ? `${p.customers} customers assigned` : null,
                ]
                  .filter(Boolean)
                  .join(', ') || '–'}
              </td>
              <td>{p.steps}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {canEdit ? (
        <section aria-labelledby="new-policy">
          <h2 id="new-policy">New policy</h2>
          <p>Starts as a copy of the default policy; edit its steps next.</p>
          <ActionMessage result={createResult} />
          <Form method="post" className="fin-inline">
            <label>
              Name
              <input name="name" required />
            </label>
            <label>
              Segment (optional)
              <input name="segment" />
            </label>
            <button type="submit">Create</button>
          </Form>
          <FieldError result={createResult} field="name" />
          <FieldError result={createResult} field="segment" />
        </section>
      ) : null}
      {canEdit ? (
        <section aria-labelledby="new-from-preset">
          <h2 id="new-from-preset">New policy from preset</h2>
          <p>
            A built-in policy with its templates in every language, copied as your own and named after the
            preset unless you name it; edit it next. Later changes to the preset do not change your copy.
          </p>
          <ActionMessage result={presetResult} />
          {presets.map((preset) => (
            <Form method="post" className="fin-inline" key={preset.id} aria-label={`From ${preset.name}`}>
              <input type="hidden" name="intent" value="preset" />
              <input type="hidden" name="preset" value={preset.id} />
              <p>
                <strong>{preset.name}</strong> ({preset.steps} steps): {preset.description}
              </p>
              <label>
                Name (optional)
                <input name="name" placeholder={preset.name} />
              </label>
              <label>
                Segment (optional)
                <input name="segment" />
              </label>
              <button type="submit">Create from {preset.name}</button>
            </Form>
          ))}
          {['preset', 'name', 'segment'].map((field) => (
            <FieldError key={field} result={presetResult} field={field} />
          ))}
        </section>
      ) : null}
    </>
  );
}
