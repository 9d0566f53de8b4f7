import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { db } from '../db.server';
import { requireFinance } from '../lib/finance-access.server';

export const meta: MetaFunction = () => [{ title: 'Policies — Settle finance' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireFinance(request, 'view');
  const [policies, steps, assigned] = await Promise.all([
    db
      .selectFrom('reminder_policies')
      .select(['id', 'name', 'segment', 'is_default', 'updated_at'])
      .where('organization_id', '=', staff.organizationId)
      .orderBy('name')
      .execute(),
    db
      .selectFrom('reminder_policy_steps')
      .select((eb) => ['policy_id', eb.fn.countAll<string>().as('count')])
      .where('organization_id', '=', staff.organizationId)
      .groupBy('policy_id')
      .execute(),
    db
      .selectFrom('customers')
      .select((eb) => ['reminder_policy_id', eb.fn.countAll<string>().as('count')])
      .where('organization_id', '=', staff.organizationId)
      .where('reminder_policy_id', 'is not', null)
      .groupBy('reminder_policy_id')
      .execute(),
  ]);
  return {
    policies: policies.map((p) => ({
      id: p.id,
      name: p.name,
      segment: p.segment,
      isDefault: p.is_default,
      steps: Number(steps.find((s) => s.policy_id === p.id)?.count ?? 0),
      customers: Number(assigned.find((a) => a.reminder_policy_id === p.id)?.count ?? 0),
    })),
  };
}

export default function FinancePolicies() {
  const { policies } = useLoaderData<typeof loader>();
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
    </>
  );
}
