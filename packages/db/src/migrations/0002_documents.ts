import { type Kysely, sql } from 'kysely';

// Frozen. Generated documents (the formal letter's PDF) kept with the message they belong to.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE documents (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id),
      communication_id uuid NOT NULL REFERENCES communications(id),
      kind text NOT NULL CHECK (kind IN ('letter')),
      filename text NOT NULL,
      content_type text NOT NULL,
      content bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (communication_id, kind)
    );
    CREATE INDEX documents_org_idx ON documents (organization_id, created_at);
  `.execute(db);
}
