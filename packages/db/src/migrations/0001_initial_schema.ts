import { type Kysely, sql } from 'kysely';

// Frozen: a migration never imports application code and never changes once released.
// Conventions: every tenant table carries organization_id; money is bigint minor units plus an
// ISO 4217 currency; instants are timestamptz; calendar days (issue, due, promised) are date.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE organizations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]+$'),
      name text NOT NULL,
      legal_name text NOT NULL,
      vat_number text,
      registration_number text,
      address_line1 text NOT NULL,
      address_line2 text,
      postal_code text NOT NULL,
      city text NOT NULL,
      country char(2) NOT NULL,
      bank_account_holder text,
      bank_iban text,
      bank_bic text,
      bank_name text,
      sender_name text NOT NULL,
      sender_email text NOT NULL,
      sender_phone text,
      signatory_name text NOT NULL,
      logo_url text,
      default_currency char(3) NOT NULL CHECK (default_currency ~ '^[A-Z]{3}$'),
      default_locale text NOT NULL,
      default_time_zone text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE users (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id),
      email text NOT NULL,
      name text NOT NULL,
      password_hash text NOT NULL,
      role text NOT NULL CHECK (role IN ('viewer', 'collector', 'admin')),
      disabled_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX users_email_key ON users (lower(email));

    CREATE TABLE sessions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id),
      user_id uuid NOT NULL REFERENCES users(id),
      token_hash text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz
    );
    CREATE INDEX sessions_user_idx ON sessions (user_id);

    CREATE TABLE api_keys (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id),
      name text NOT NULL,
      prefix text NOT NULL,
      key_hash text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    );
    CREATE INDEX api_keys_org_idx ON api_keys (organization_id);

    CREATE TABLE reminder_policies (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id),
      name text NOT NULL,
      is_default boolean NOT NULL DEFAULT false,
      segment text,
      send_window_start time NOT NULL DEFAULT '09:00',
      send_window_end time NOT NULL DEFAULT '17:00',
      late_charges boolean NOT NULL DEFAULT false,
      max_promise_days integer NOT NULL DEFAULT 30 CHECK (max_promise_days > 0),
      promise_grace_days integer NOT NULL DEFAULT 2 CHECK (promise_grace_days >= 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (organization_id, name),
      CHECK (send_window_start < send_window_end)
    );
    CREATE UNIQUE INDEX reminder_policies_one_default ON reminder_policies (organization_id) WHERE is_default;
    CREATE UNIQUE INDEX reminder_policies_one_per_segment ON reminder_policies (organization_id, segment)
      WHERE segment IS NOT NULL;

    CREATE TABLE reminder_policy_steps (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id),
      policy_id uuid NOT NULL REFERENCES reminder_policies(id) ON DELETE CASCADE,
      position integer NOT NULL CHECK (position >= 0),
      key text NOT NULL,
      anchor text NOT NULL CHECK (anchor IN ('issue_date', 'due_date', 'paid')),
      offset_days integer NOT NULL,
      channel text NOT NULL CHECK (channel IN ('email', 'sms', 'letter', 'call', 'collections')),
      template_key text NOT NULL,
      escalation text NOT NULL CHECK (escalation IN ('courteous', 'firm', 'final', 'collections')),
      min_balance_minor bigint NOT NULL DEFAULT 0 CHECK (min_balance_minor >= 0),
      only_when_overdue boolean NOT NULL DEFAULT false,
      only_if_unpaid_since_previous boolean NOT NULL DEFAULT false,
      repeat_every_days integer CHECK (repeat_every_days > 0),
      repeat_max_times integer CHECK (repeat_max_times > 0),
      repeat_until_offset_days integer,
      UNIQUE (policy_id, position),
      UNIQUE (policy_id, key)
    );

    CREATE TABLE customers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id),
      code text NOT NULL,
      name text NOT NULL,
      contact_name text,
      email text,
      phone text,
      vat_number text,
      registration_number text,
      address_line1 text,
      address_line2 text,
      postal_code text,
      city text,
      country char(2) NOT NULL,
      locale text NOT NULL,
      time_zone text NOT NULL,
      segment text,
      reminder_policy_id uuid REFERENCES reminder_policies(id),
      credit_limit_minor bigint CHECK (credit_limit_minor >= 0),
      credit_limit_currency char(3),
      email_opt_out boolean NOT NULL DEFAULT false,
      sms_opt_out boolean NOT NULL DEFAULT false,
      gocardless_customer_id text,
      gocardless_mandate_id text,
      gocardless_mandate_status text,
      credit_balance_minor bigint NOT NULL DEFAULT 0 CHECK (credit_balance_minor >= 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (organization_id, code),
      UNIQUE (organization_id, id),
      CHECK ((credit_limit_minor IS NULL) = (credit_limit_currency IS NULL))
    );
    CREATE INDEX customers_org_name_idx ON customers (organization_id, lower(name));

    CREATE TABLE invoices (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id),
      customer_id uuid NOT NULL,
      number text NOT NULL,
      external_id text,
      currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
      total_minor bigint NOT NULL CHECK (total_minor > 0),
      paid_minor bigint NOT NULL DEFAULT 0 CHECK (paid_minor >= 0),
      issue_date date NOT NULL,
      due_date date NOT NULL,
      status text NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'paid', 'void', 'written_off', 'in_collections')),
      payment_pending boolean NOT NULL DEFAULT false,
      paused_at timestamptz,
      pause_reason text,
      paid_at timestamptz,
      closed_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (organization_id, number),
      UNIQUE (organization_id, id),
      FOREIGN KEY (organization_id, customer_id) REFERENCES customers (organization_id, id),
      CHECK (due_date >= issue_date)
    );
    CREATE UNIQUE INDEX invoices_external_id_key ON invoices (organization_id, external_id)
      WHERE external_id IS NOT NULL;
    CREATE INDEX invoices_customer_idx ON invoices (organization_id, customer_id);
    CREATE INDEX invoices_open_due_idx ON invoices (organization_id, due_date) WHERE status = 'open';

    CREATE TABLE invoice_lines (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id),
      invoice_id uuid NOT NULL,
      position integer NOT NULL CHECK (position >= 0),
      description text NOT NULL,
      quantity_milli bigint NOT NULL CHECK (quantity_milli > 0),
      unit_price_minor bigint NOT NULL,
      tax_rate_basis_points integer NOT NULL DEFAULT 0 CHECK (tax_rate_basis_points >= 0),
      total_minor bigint NOT NULL,
      FOREIGN KEY (organization_id, invoice_id) REFERENCES invoices (organization_id, id) ON DELETE CASCADE,
      UNIQUE (invoice_id, position)
    );

    CREATE TABLE payments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id),
      customer_id uuid NOT NULL,
      provider text NOT NULL CHECK (provider IN ('stripe', 'gocardless', 'manual')),
      provider_payment_id text NOT NULL,
      method text NOT NULL CHECK (method IN ('card', 'direct_debit', 'bank_transfer', 'other')),
      amount_minor bigint NOT NULL CHECK (amount_minor > 0),
      currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
      status text NOT NULL
        CHECK (status IN ('pending', 'confirmed', 'paid_out', 'failed', 'cancelled', 'refunded', 'charged_back')),
      via_portal boolean NOT NULL DEFAULT false,
      received_at timestamptz NOT NULL DEFAULT now(),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (provider, provider_payment_id),
      UNIQUE (organization_id, id),
      FOREIGN KEY (organization_id, customer_id) REFERENCES customers (organization_id, id)
    );

    CREATE TABLE payment_allocations (
      payment_id uuid NOT NULL,
      invoice_id uuid NOT NULL,
      organization_id uuid NOT NULL REFERENCES organizations(id),
      amount_minor bigint NOT NULL CHECK (amount_minor > 0),
      PRIMARY KEY (payment_id, invoice_id),
      FOREIGN KEY (organization_id, payment_id) REFERENCES payments (organization_id, id),
      FOREIGN KEY (organization_id, invoice_id) REFERENCES invoices (organization_id, id)
    );

    CREATE TABLE payment_attempts (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id),
      customer_id uuid NOT NULL,
      provider text NOT NULL CHECK (provider IN ('stripe', 'gocardless', 'local')),
      kind text NOT NULL CHECK (kind IN ('checkout_session', 'billing_request')),
      provider_reference text,
      invoice_ids uuid[] NOT NULL CHECK (cardinality(invoice_ids) > 0),
      amount_minor bigint NOT NULL CHECK (amount_minor > 0),
      currency char(3) NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'completed', 'expired', 'failed')),
      redirect_url text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      FOREIGN KEY (organization_id, customer_id) REFERENCES customers (organization_id, id)
    );
    CREATE UNIQUE INDEX payment_attempts_reference_key ON payment_attempts (provider, provider_reference)
      WHERE provider_reference IS NOT NULL;

    CREATE TABLE disputes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id),
      invoice_id uuid NOT NULL,
      customer_id uuid NOT NULL,
      reason text NOT NULL CHECK (reason IN ('not_received', 'wrong_amount', 'already_paid', 'quality', 'other')),
      message text NOT NULL DEFAULT '',
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'rejected')),
      resolution_note text,
      resolved_by uuid REFERENCES users(id),
      opened_at timestamptz NOT NULL DEFAULT now(),
      resolved_at timestamptz,
      FOREIGN KEY (organization_id, invoice_id) REFERENCES invoices (organization_id, id),
      FOREIGN KEY (organization_id, customer_id) REFERENCES customers (organization_id, id),
      CHECK ((status = 'open') = (resolved_at IS NULL))
    );
    CREATE UNIQUE INDEX disputes_one_open_per_invoice ON disputes (invoice_id) WHERE status = 'open';

    CREATE TABLE promises_to_pay (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id),
      invoice_id uuid NOT NULL,
      customer_id uuid NOT NULL,
      promised_date date NOT NULL,
      status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'kept', 'missed', 'cancelled')),
      note text,
      created_at timestamptz NOT NULL DEFAULT now(),
      closed_at timestamptz,
      FOREIGN KEY (organization_id, invoice_id) REFERENCES invoices (organization_id, id),
      FOREIGN KEY (organization_id, customer_id) REFERENCES customers (organization_id, id)
    );
    CREATE UNIQUE INDEX promises_one_active_per_invoice ON promises_to_pay (invoice_id) WHERE status = 'active';

    CREATE TABLE templates (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id),
      key text NOT NULL,
      channel text NOT NULL CHECK (channel IN ('email', 'sms', 'letter', 'call', 'collections')),
      locale text NOT NULL,
      subject text NOT NULL DEFAULT '',
      body text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (organization_id, key, channel, locale)
    );

    CREATE TABLE communications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id),
      customer_id uuid NOT NULL,
      idempotency_key text NOT NULL,
      step_key text NOT NULL,
      channel text NOT NULL CHECK (channel IN ('email', 'sms', 'letter')),
      locale text NOT NULL,
      recipient text NOT NULL,
      subject text,
      body_text text NOT NULL,
      body_html text,
      provider text NOT NULL CHECK (provider IN ('resend', 'twilio', 'outbox', 'letter')),
      provider_message_id text,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
      error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz,
      UNIQUE (organization_id, idempotency_key),
      FOREIGN KEY (organization_id, customer_id) REFERENCES customers (organization_id, id)
    );
    CREATE INDEX communications_customer_idx ON communications (organization_id, customer_id, created_at);

    -- One message may cover several invoices of one customer (merged reminders).
    CREATE TABLE communication_invoices (
      communication_id uuid NOT NULL REFERENCES communications(id) ON DELETE CASCADE,
      invoice_id uuid NOT NULL REFERENCES invoices(id),
      organization_id uuid NOT NULL REFERENCES organizations(id),
      PRIMARY KEY (communication_id, invoice_id)
    );
    CREATE INDEX communication_invoices_invoice_idx ON communication_invoices (invoice_id);

    CREATE TABLE tasks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id),
      kind text NOT NULL
        CHECK (kind IN ('letter', 'call', 'collections_handover', 'failed_message', 'payment_review')),
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
      idempotency_key text NOT NULL,
      customer_id uuid,
      invoice_id uuid REFERENCES invoices(id),
      communication_id uuid REFERENCES communications(id),
      title text NOT NULL,
      details jsonb NOT NULL DEFAULT '{}'::jsonb,
      outcome text,
      assigned_to uuid REFERENCES users(id),
      due_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      completed_at timestamptz,
      UNIQUE (organization_id, idempotency_key),
      FOREIGN KEY (organization_id, customer_id) REFERENCES customers (organization_id, id)
    );
    CREATE INDEX tasks_open_idx ON tasks (organization_id, created_at) WHERE status = 'open';

    CREATE TABLE portal_links (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL REFERENCES organizations(id),
      customer_id uuid NOT NULL,
      token_hash text NOT NULL UNIQUE,
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz,
      last_used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      FOREIGN KEY (organization_id, customer_id) REFERENCES customers (organization_id, id)
    );

    -- Provider events arrive before we know their tenant; organization_id is filled when applied.
    CREATE TABLE webhook_events (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      provider text NOT NULL CHECK (provider IN ('stripe', 'gocardless')),
      event_id text NOT NULL,
      type text NOT NULL,
      organization_id uuid REFERENCES organizations(id),
      payload jsonb NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      processed_at timestamptz,
      error text,
      UNIQUE (provider, event_id)
    );
    CREATE INDEX webhook_events_unprocessed_idx ON webhook_events (received_at) WHERE processed_at IS NULL;

    CREATE TABLE audit_log (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      organization_id uuid NOT NULL REFERENCES organizations(id),
      actor_type text NOT NULL CHECK (actor_type IN ('user', 'api_key', 'debtor', 'system')),
      actor_id text,
      action text NOT NULL,
      subject_type text NOT NULL,
      subject_id text NOT NULL,
      data jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX audit_log_subject_idx ON audit_log (organization_id, subject_type, subject_id, created_at);
  `.execute(db);
}
