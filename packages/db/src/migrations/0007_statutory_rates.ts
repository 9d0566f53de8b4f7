import { type Kysely, sql } from 'kysely';

// Frozen. The published rates statutory late-payment charges depend on, each valid from a day until
// the next row of its kind: ECB main refinancing rate (EU, FR), German Basiszinssatz (DE), NBP reference
// rate (PL), Bank of England Bank Rate (UK) in basis points, and the NBP EUR mid rate (PLN per EUR ×
// 10 000) that converts the Polish EUR 40/70/100. Rows with organization_id NULL are built in; an
// organization's own row for the same kind and day overrides one (a correction, or a newer rate).
//
// The seed covers 2024-01-01 onwards with the rate in force on that day and every change after it that
// was published when this was written (December 2025). Later changes are added through the API (or a
// later migration); until then the last row stays in force.
// - ECB: changes of 2024-06-12 … 2025-06-11; 2.15 % was still in force on 2026-04-01 (OJ C/2026/01398).
// - Basiszinssatz: each half-year from 2024-01-01 to 2026-01-01 (1.27 %, unchanged, Bundesbank
//   announcement of December 2025).
// - NBP reference rate: 5.75 % from 2023-10-05, then the six cuts of 2025 effective the day after each
//   MPC decision (2025-05-08 … 2025-12-04, 4.00 %).
// - BoE Bank Rate: 5.25 % from 2023-08-03, then the cuts of 2024-08-01 … 2025-12-18 (3.75 %).
// - NBP EUR mid rates: only the two year-end fixings below are seeded, and they are from memory, not
//   checked against the NBP tables (29 Dec 2023: 4.3480; 31 Dec 2024: 4.2730). The Polish
//   compensation is left unstated (never estimated) for a due month whose previous month-end rate is
//   missing, so month-end rates should be loaded from the NBP (api.nbp.pl, table A) before relying on it.
const SEED: [kind: string, validFrom: string, basisPoints: number, source: string][] = [
  ['ecb_main_refinancing', '2023-09-20', 450, 'ECB monetary policy decision of 2023-09-14'],
  ['ecb_main_refinancing', '2024-06-12', 425, 'ECB monetary policy decision of 2024-06-06'],
  ['ecb_main_refinancing', '2024-09-18', 365, 'ECB monetary policy decision of 2024-09-12'],
  ['ecb_main_refinancing', '2024-10-23', 340, 'ECB monetary policy decision of 2024-10-17'],
  ['ecb_main_refinancing', '2024-12-18', 315, 'ECB monetary policy decision of 2024-12-12'],
  ['ecb_main_refinancing', '2025-02-05', 290, 'ECB monetary policy decision of 2025-01-30'],
  ['ecb_main_refinancing', '2025-03-12', 265, 'ECB monetary policy decision of 2025-03-06'],
  ['ecb_main_refinancing', '2025-04-23', 240, 'ECB monetary policy decision of 2025-04-17'],
  ['ecb_main_refinancing', '2025-06-11', 215, 'ECB monetary policy decision of 2025-06-05'],
  ['de_base_rate', '2024-01-01', 362, 'Deutsche Bundesbank, Basiszinssatz nach § 247 BGB'],
  ['de_base_rate', '2024-07-01', 337, 'Deutsche Bundesbank, Basiszinssatz nach § 247 BGB'],
  ['de_base_rate', '2025-01-01', 227, 'Deutsche Bundesbank, Basiszinssatz nach § 247 BGB'],
  ['de_base_rate', '2025-07-01', 127, 'Deutsche Bundesbank, Basiszinssatz nach § 247 BGB'],
  ['de_base_rate', '2026-01-01', 127, 'Deutsche Bundesbank, Basiszinssatz nach § 247 BGB'],
  ['nbp_reference', '2023-10-05', 575, 'Uchwała RPP z 2023-10-04'],
  ['nbp_reference', '2025-05-08', 525, 'Uchwała RPP z 2025-05-07'],
  ['nbp_reference', '2025-07-03', 500, 'Uchwała RPP z 2025-07-02'],
  ['nbp_reference', '2025-09-04', 475, 'Uchwała RPP z 2025-09-03'],
  ['nbp_reference', '2025-10-09', 450, 'Uchwała RPP z 2025-10-08'],
  ['nbp_reference', '2025-11-06', 425, 'Uchwała RPP z 2025-11-05'],
  ['nbp_reference', '2025-12-04', 400, 'Uchwała RPP z 2025-12-03'],
  ['boe_base', '2023-08-03', 525, 'Bank of England MPC decision of 2023-08-03'],
  ['boe_base', '2024-08-01', 500, 'Bank of England MPC decision of 2024-08-01'],
  ['boe_base', '2024-11-07', 475, 'Bank of England MPC decision of 2024-11-07'],
  ['boe_base', '2025-02-06', 450, 'Bank of England MPC decision of 2025-02-06'],
  ['boe_base', '2025-05-08', 425, 'Bank of England MPC decision of 2025-05-08'],
  ['boe_base', '2025-08-07', 400, 'Bank of England MPC decision of 2025-08-07'],
  ['boe_base', '2025-12-18', 375, 'Bank of England MPC decision of 2025-12-18'],
  ['nbp_eur_pln', '2023-12-29', 43_480, 'NBP table A of 2023-12-29 (unverified)'],
  ['nbp_eur_pln', '2024-12-31', 42_730, 'NBP table A of 2024-12-31 (unverified)'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE statutory_rates (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid REFERENCES organizations(id),
      kind text NOT NULL CHECK (kind IN
        ('ecb_main_refinancing', 'de_base_rate', 'nbp_reference', 'boe_base', 'nbp_eur_pln')),
      valid_from date NOT NULL,
      basis_points integer NOT NULL
        CHECK (basis_points BETWEEN -10000 AND 1000000 AND (kind <> 'nbp_eur_pln' OR basis_points > 0)),
      source text NOT NULL CHECK (length(source) BETWEEN 1 AND 200),
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT statutory_rates_key UNIQUE NULLS NOT DISTINCT (organization_id, kind, valid_from)
    );
  `.execute(db);
  for (const [kind, validFrom, basisPoints, source] of SEED) {
    await sql`
      INSERT INTO statutory_rates (organization_id, kind, valid_from, basis_points, source)
      VALUES (NULL, ${kind}, ${validFrom}, ${basisPoints}, ${source})
    `.execute(db);
  }
}
