import type { ActionResult } from '../../lib/finance-access.server';

/** The outcome of the last form sent from this page, announced to screen readers. */
export function ActionMessage({ result, intent }: { result: ActionResult | undefined; intent?: string }) {
  if (!result || (intent !== undefined && result.intent !== intent)) return null;
  return (
    <p role={result.ok ? 'status' : 'alert'} className={result.ok ? 'fin-flash' : 'fin-flash error'}>
      {result.message}
    </p>
  );
}

/** A field's validation message under its input. */
export function FieldError({
  result,
  field,
  id,
}: {
  result: ActionResult | undefined;
  field: string;
  id?: string;
}) {
  if (!result || result.ok) return null;
  const message = result.fields[field];
  return message ? (
    <p className="fin-field-error" id={id}>
      {message}
    </p>
  ) : null;
}
