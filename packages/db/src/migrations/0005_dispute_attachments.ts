import { type Kysely, sql } from 'kysely';

// Frozen. Files a debtor attaches to a dispute in the portal (a delivery note, a photo), kept with it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE dispute_attachments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id),
      dispute_id uuid NOT NULL REFERENCES disputes(id),
      customer_id uuid NOT NULL REFERENCES customers(id),
      filename text NOT NULL,
      content_type text NOT NULL CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg')),
      size_bytes integer NOT NULL CHECK (size_bytes > 0 AND size_bytes <= 5242880),
      content bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX dispute_attachments_dispute_idx ON dispute_attachments (organization_id, dispute_id);
  `.execute(db);
}
