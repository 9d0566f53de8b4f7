import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Table types, mirroring the migrations. Money columns are integer minor units (bigint in SQL). */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** A calendar day, `YYYY-MM-DD` (DATE columns are read as strings, never shifted by a time zone). */
type CalendarDate = ColumnType<string, string, string>;
type Json<T> = ColumnType<T, string | T | undefined, string | T>;

export type Channel = 'email' | 'sms' | 'letter' | 'call' | 'collections';
export type Escalation = 'courteous' | 'firm' | 'final' | 'collections';
export type StepAnchor = 'issue_date' | 'due_date' | 'paid';
export type InvoiceStatus = 'open' | 'paid' | 'void' | 'written_off' | 'in_collections';
export type UserRole = 'viewer' | 'collector' | 'admin';
export type PaymentProvider = 'stripe' | 'gocardless' | 'manual';
export type PaymentStatus =
  | 'pending'
  | 'confirmed'
  | 'paid_out'
  | 'failed'
  | 'cancelled'
  | 'refunded'
  | 'charged_back';
export type DisputeReason = 'not_received' | 'wrong_amount' | 'already_paid' | 'quality' | 'other';
export type TaskKind = 'letter' | 'call' | 'collections_handover' | 'failed_message' | 'payment_review';

export interface OrganizationsTable {
  id: Generated<string>;
  slug: string;
  name: string;
  legal_name: string;
  vat_number: string | null;
  registration_number: string | null;
  address_line1: string;
  address_line2: string | null;
  postal_code: string;
  city: string;
  country: string;
  bank_account_holder: string | null;
  bank_iban: string | null;
  bank_bic: string | null;
  bank_name: string | null;
  sender_name: string;
  sender_email: string;
  sender_phone: string | null;
  signatory_name: string;
  logo_url: string | null;
  default_currency: string;
  default_locale: string;
  default_time_zone: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface UsersTable {
  id: Generated<string>;
  organization_id: string;
  email: string;
  name: string;
  password_hash: string;
  role: UserRole;
  disabled_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface SessionsTable {
  id: Generated<string>;
  organization_id: string;
  user_id: string;
  token_hash: string;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
}

export interface ApiKeysTable {
  id: Generated<string>;
  organization_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface ReminderPoliciesTable {
  id: Generated<string>;
  organization_id: string;
  name: string;
  is_default: Generated<boolean>;
  segment: string | null;
  /** `HH:MM:SS`, local to the customer. */
  send_window_start: Generated<string>;
  send_window_end: Generated<string>;
  late_charges: Generated<boolean>;
  max_promise_days: Generated<number>;
  promise_grace_days: Generated<number>;
  merge_across_channels: Generated<boolean>;
  business_days_only: Generated<boolean>;
  max_promise_renewals: Generated<number>;
  late_charges_jurisdiction: Generated<'auto' | 'eu' | 'de' | 'fr' | 'pl' | 'uk'>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface ReminderPolicyStepsTable {
  id: Generated<string>;
  organization_id: string;
  policy_id: string;
  position: number;
  key: string;
  anchor: StepAnchor;
  offset_days: number;
  channel: Channel;
  template_key: string;
  escalation: Escalation;
  min_balance_minor: Generated<number>;
  only_when_overdue: Generated<boolean>;
  only_if_unpaid_since_previous: Generated<boolean>;
  repeat_every_days: number | null;
  repeat_max_times: number | null;
  repeat_until_offset_days: number | null;
}

export interface CustomersTable {
  id: Generated<string>;
  organization_id: string;
  code: string;
  name: string;
  contact_name: string | null;
  email: string | null;
  phone: string | null;
  vat_number: string | null;
  registration_number: string | null;
  address_line1: string | null;
  address_line2: string | null;
  postal_code: string | null;
  city: string | null;
  country: string;
  locale: string;
  time_zone: string;
  segment: string | null;
  reminder_policy_id: string | null;
  credit_limit_minor: number | null;
  credit_limit_currency: string | null;
  email_opt_out: Generated<boolean>;
  sms_opt_out: Generated<boolean>;
  gocardless_customer_id: string | null;
  gocardless_mandate_id: string | null;
  gocardless_mandate_status: string | null;
  credit_balance_minor: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface InvoicesTable {
  id: Generated<string>;
  organization_id: string;
  customer_id: string;
  number: string;
  external_id: string | null;
  currency: string;
  total_minor: number;
  paid_minor: Generated<number>;
  issue_date: CalendarDate;
  due_date: CalendarDate;
  status: Generated<InvoiceStatus>;
  payment_pending: Generated<boolean>;
  paused_at: Timestamp | null;
  pause_reason: string | null;
  paid_at: Timestamp | null;
  closed_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface InvoiceLinesTable {
  id: Generated<string>;
  organization_id: string;
  invoice_id: string;
  position: number;
  description: string;
  /** Quantity in thousandths, so 1.5 hours is 1500. */
  quantity_milli: number;
  unit_price_minor: number;
  tax_rate_basis_points: Generated<number>;
  total_minor: number;
}

export interface PaymentsTable {
  id: Generated<string>;
  organization_id: string;
  customer_id: string;
  provider: PaymentProvider;
  provider_payment_id: string;
  method: 'card' | 'direct_debit' | 'bank_transfer' | 'other';
  amount_minor: number;
  currency: string;
  status: PaymentStatus;
  via_portal: Generated<boolean>;
  attempt_id: string | null;
  /** The part that became customer credit (an overpayment), as allocated: reversals do not lower it. */
  credit_minor: Generated<number>;
  /** How much of `credit_minor` refunds and charge-backs have taken back. */
  credit_reversed_minor: Generated<number>;
  /** What refunds and charge-backs have taken back so far (the provider's cumulative amount). */
  reversed_minor: Generated<number>;
  received_at: Timestamp;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** What one payment paid on one invoice, as allocated, and how much of it has been taken back since. */
export interface PaymentAllocationsTable {
  payment_id: string;
  invoice_id: string;
  organization_id: string;
  amount_minor: number;
  /** The order the payment paid its invoices in (0 = first); reversals take back from the last. */
  position: Generated<number>;
  reversed_minor: Generated<number>;
}

export interface PaymentAttemptsTable {
  id: Generated<string>;
  organization_id: string;
  customer_id: string;
  provider: 'stripe' | 'gocardless' | 'local';
  kind: 'checkout_session' | 'billing_request';
  provider_reference: string | null;
  invoice_ids: string[];
  amount_minor: number;
  currency: string;
  status: Generated<'open' | 'completed' | 'expired' | 'failed'>;
  redirect_url: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface DisputesTable {
  id: Generated<string>;
  organization_id: string;
  invoice_id: string;
  customer_id: string;
  reason: DisputeReason;
  message: Generated<string>;
  status: Generated<'open' | 'upheld' | 'rejected'>;
  resolution_note: string | null;
  resolved_by: string | null;
  opened_at: CreatedAt;
  resolved_at: Timestamp | null;
}

export interface PromisesToPayTable {
  id: Generated<string>;
  organization_id: string;
  invoice_id: string;
  customer_id: string;
  promised_date: CalendarDate;
  status: Generated<'active' | 'kept' | 'missed' | 'cancelled'>;
  note: string | null;
  created_at: CreatedAt;
  closed_at: Timestamp | null;
}

export interface TemplatesTable {
  id: Generated<string>;
  organization_id: string;
  key: string;
  channel: Channel;
  locale: string;
  subject: Generated<string>;
  body: string;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface CommunicationsTable {
  id: Generated<string>;
  organization_id: string;
  customer_id: string;
  idempotency_key: string;
  step_key: string;
  channel: 'email' | 'sms' | 'letter';
  locale: string;
  recipient: string;
  subject: string | null;
  body_text: string;
  body_html: string | null;
  provider: 'resend' | 'twilio' | 'outbox' | 'letter';
  provider_message_id: string | null;
  status: Generated<'pending' | 'sent' | 'failed' | 'cancelled'>;
  error: string | null;
  created_at: CreatedAt;
  sent_at: Timestamp | null;
  /** When the latest attempt to hand the message to its provider began (committed before the call). */
  sending_started_at: Timestamp | null;
  /**
   * A reminder step's channel slot ('email', 'sms', 'letter', 'email+sms') and the customer's local
   * day: while pending or sent, the only message of that slot and day (unique). Null for notices.
   */
  day_slot: string | null;
  slot_date: string | null;
}

export interface CommunicationInvoicesTable {
  communication_id: string;
  invoice_id: string;
  organization_id: string;
}

export interface TasksTable {
  id: Generated<string>;
  organization_id: string;
  kind: TaskKind;
  status: Generated<'open' | 'done' | 'cancelled'>;
  idempotency_key: string;
  customer_id: string | null;
  invoice_id: string | null;
  communication_id: string | null;
  title: string;
  details: Json<Record<string, unknown>>;
  outcome: string | null;
  assigned_to: string | null;
  due_at: Timestamp | null;
  created_at: CreatedAt;
  completed_at: Timestamp | null;
}

export interface PortalLinksTable {
  id: Generated<string>;
  organization_id: string;
  customer_id: string;
  token_hash: string;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface WebhookEventsTable {
  id: Generated<string>;
  provider: 'stripe' | 'gocardless';
  event_id: string;
  type: string;
  organization_id: string | null;
  payload: Json<unknown>;
  received_at: CreatedAt;
  processed_at: Timestamp | null;
  error: string | null;
  /** The signals the applied event decided on (repeated as they are when an activity retries). */
  result: Json<unknown> | null;
}

export interface AuditLogTable {
  id: Generated<string>;
  organization_id: string;
  actor_type: 'user' | 'api_key' | 'debtor' | 'system';
  actor_id: string | null;
  action: string;
  subject_type: string;
  subject_id: string;
  data: Json<Record<string, unknown>>;
  created_at: CreatedAt;
}

export interface DocumentsTable {
  id: Generated<string>;
  organization_id: string;
  communication_id: string;
  kind: 'letter';
  filename: string;
  content_type: string;
  content: Buffer;
  created_at: CreatedAt;
}

export interface IdempotencyKeysTable {
  organization_id: string;
  key: string;
  /** sha256 of method, path and body: the same key with a different request is refused. */
  request_hash: string;
  status: 'in_flight' | 'done';
  response_status: number | null;
  response_body: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

/** A file a debtor attached to a dispute in the portal (pdf, png or jpeg, at most 5 MB). */
export interface DisputeAttachmentsTable {
  id: Generated<string>;
  organization_id: string;
  dispute_id: string;
  customer_id: string;
  filename: string;
  content_type: 'application/pdf' | 'image/png' | 'image/jpeg';
  size_bytes: number;
  content: Buffer;
  created_at: CreatedAt;
}

export type StatutoryRateKind =
  | 'ecb_main_refinancing'
  | 'de_base_rate'
  | 'nbp_reference'
  | 'boe_base'
  | 'nbp_eur_pln';

/**
 * A published rate statutory late charges depend on, in force from `valid_from` until the next row of its
 * kind. `organization_id` NULL: built in (seeded); an organization's row overrides it for the same kind
 * and day. Basis points, except `nbp_eur_pln`: PLN per EUR × 10 000.
 */
export interface StatutoryRatesTable {
  id: Generated<string>;
  organization_id: string | null;
  kind: StatutoryRateKind;
  valid_from: CalendarDate;
  basis_points: number;
  source: string;
  created_at: CreatedAt;
}

export interface Database {
  organizations: OrganizationsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  reminder_policies: ReminderPoliciesTable;
  reminder_policy_steps: ReminderPolicyStepsTable;
  customers: CustomersTable;
  invoices: InvoicesTable;
  invoice_lines: InvoiceLinesTable;
  payments: PaymentsTable;
  payment_allocations: PaymentAllocationsTable;
  payment_attempts: PaymentAttemptsTable;
  disputes: DisputesTable;
  promises_to_pay: PromisesToPayTable;
  templates: TemplatesTable;
  communications: CommunicationsTable;
  communication_invoices: CommunicationInvoicesTable;
  tasks: TasksTable;
  portal_links: PortalLinksTable;
  webhook_events: WebhookEventsTable;
  audit_log: AuditLogTable;
  documents: DocumentsTable;
  dispute_attachments: DisputeAttachmentsTable;
  idempotency_keys: IdempotencyKeysTable;
  statutory_rates: StatutoryRatesTable;
}

export type Organization = Selectable<OrganizationsTable>;
export type NewOrganization = Insertable<OrganizationsTable>;
export type Customer = Selectable<CustomersTable>;
export type NewCustomer = Insertable<CustomersTable>;
export type CustomerUpdate = Updateable<CustomersTable>;
export type Invoice = Selectable<InvoicesTable>;
export type NewInvoice = Insertable<InvoicesTable>;
export type InvoiceUpdate = Updateable<InvoicesTable>;
export type InvoiceLine = Selectable<InvoiceLinesTable>;
export type NewInvoiceLine = Insertable<InvoiceLinesTable>;
export type Payment = Selectable<PaymentsTable>;
export type NewPayment = Insertable<PaymentsTable>;
export type ReminderPolicy = Selectable<ReminderPoliciesTable>;
export type NewReminderPolicy = Insertable<ReminderPoliciesTable>;
export type ReminderPolicyStep = Selectable<ReminderPolicyStepsTable>;
export type NewReminderPolicyStep = Insertable<ReminderPolicyStepsTable>;
export type Template = Selectable<TemplatesTable>;
export type NewTemplate = Insertable<TemplatesTable>;
export type Communication = Selectable<CommunicationsTable>;
export type NewCommunication = Insertable<CommunicationsTable>;
export type Task = Selectable<TasksTable>;
export type NewTask = Insertable<TasksTable>;
export type Dispute = Selectable<DisputesTable>;
export type PromiseToPay = Selectable<PromisesToPayTable>;
export type User = Selectable<UsersTable>;
export type ApiKey = Selectable<ApiKeysTable>;
export type PortalLink = Selectable<PortalLinksTable>;
export type WebhookEvent = Selectable<WebhookEventsTable>;
export type Document = Selectable<DocumentsTable>;
export type IdempotencyKey = Selectable<IdempotencyKeysTable>;
export type DisputeAttachment = Selectable<DisputeAttachmentsTable>;
export type NewDisputeAttachment = Insertable<DisputeAttachmentsTable>;
export type StatutoryRateRow = Selectable<StatutoryRatesTable>;
export type NewStatutoryRate = Insertable<StatutoryRatesTable>;
export type DisputeAttachmentInfo = Omit<DisputeAttachment, 'organization_id' | 'customer_id' | 'content'>;
