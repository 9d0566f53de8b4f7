import { type Db, listDocumentIdsByCommunication, listOutboxWithCustomers } from '@settle/db';

/** Every message recorded (sent, or held in local mode), newest first, with its customer, invoice and document. */
export async function listOutboxMessages(
  deps: { db: Db },
  input: { organizationId: string; limit?: number },
) {
  const [messages, documents] = await Promise.all([
    listOutboxWithCustomers(deps.db, input.organizationId, input.limit),
    listDocumentIdsByCommunication(deps.db, input.organizationId),
  ]);
  return messages.map((message) => ({ ...message, document_id: documents.get(message.id) ?? null }));
}
