import { type Kysely, sql } from 'kysely';

// Frozen. Idempotency keys of the integration API: the first response to a POST, replayed to retries
// that carry the same key for 24 hours. Scoped per organization so tenants never see each other's keys.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE idempotency_keys (
      organization_id uuid NOT NULL REFERENCES organizations(id),
      key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
      request_hash text NOT NULL,
      status text NOT NULL CHECK (status IN ('in_flight', 'done')),
      response_status integer,
      response_body text,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (organization_id, key)
    );
    CREATE INDEX idempotency_keys_expiry_idx ON idempotency_keys (expires_at);
  `.execute(db);
}
