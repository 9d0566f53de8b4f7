import { z } from '@hono/zod-openapi';
import type { Template } from '@settle/db';

export const TemplateSchema = z
  .object({
    id: z.uuid(),
    key: z.string(),
    channel: z.enum(['email', 'sms', 'letter', 'call', 'collections']),
    locale: z.string(),
    subject: z.string(),
    body: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Template');

export function toTemplateDto(row: Template): z.infer<typeof TemplateSchema> {
  return {
    id: row.id,
    key: row.key,
    channel: row.channel,
    locale: row.locale,
    subject: row.subject,
    body: row.body,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
