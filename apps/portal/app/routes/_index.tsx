import type { MetaFunction } from '@remix-run/node';

export const meta: MetaFunction = () => [
  { title: 'Settle — invoice portal' },
  {
    name: 'description',
    content: 'View your statement, pay or dispute invoices from the link in your reminder.',
  },
];

export default function Landing() {
  return (
    <main>
      <section className="card" aria-labelledby="landing-title">
        <h1 id="landing-title">Settle invoice portal</h1>
        <p>
          This is where you see what you owe a supplier who uses Settle, pay by card or direct debit, dispute
          an invoice or promise a payment date.
        </p>
        <p>
          Open the personal link from your payment reminder to see your statement. The link is private to your
          company: please do not forward it.
        </p>
      </section>
    </main>
  );
}
