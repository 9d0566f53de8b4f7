/** Machine-readable reasons a domain function refused its input. */
export type DomainErrorCode =
  | 'invalid_money'
  | 'currency_mismatch'
  | 'invalid_currency'
  | 'invalid_date'
  | 'invalid_time'
  | 'invalid_time_zone'
  | 'invalid_input'
  | 'invalid_template'
  | 'missing_template_value';

/** The one error type thrown by the domain package; callers map `code` at their edge. */
export class DomainError extends Error {
  override name = 'DomainError';
  readonly code: DomainErrorCode;

  constructor(code: DomainErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
