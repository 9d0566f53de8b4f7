import { validationError } from './debtor-action-checks';

/** What a debtor may attach to a dispute: a few PDF, PNG or JPEG files of 5 MB at most. */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
export const MAX_ATTACHMENTS = 3;
export const ATTACHMENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;
type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

export interface DebtorAttachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
}

/** The file's first bytes must match its declared type: a renamed executable is not a PDF. */
function hasSignatureOf(type: AttachmentType, content: Uint8Array): boolean {
  const starts = (bytes: number[]) => bytes.every((b, i) => content[i] === b);
  switch (type) {
    case 'application/pdf':
      return starts([0x25, 0x50, 0x44, 0x46, 0x2d]);
    case 'image/png':
      return starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    case 'image/jpeg':
      return starts([0xff, 0xd8, 0xff]);
  }
}

/** Checks attachments (count, size, type by content) and names the first bad one. */
export function validateAttachments(
  files: DebtorAttachment[],
): { filename: string; contentType: AttachmentType; content: Uint8Array }[] {
  if (files.length > MAX_ATTACHMENTS) {
    throw validationError([{ path: ['attachments'], message: `at most ${MAX_ATTACHMENTS} files` }]);
  }
  return files.map((file) => {
    const type = ATTACHMENT_TYPES.find((t) => t === file.contentType);
    if (file.content.byteLength === 0) {
      throw validationError([{ path: ['attachments'], message: `${file.filename} is empty` }]);
    }
    if (file.content.byteLength > MAX_ATTACHMENT_BYTES) {
      throw validationError([{ path: ['attachments'], message: `${file.filename} is larger than 5 MB` }]);
    }
    if (!type || !hasSignatureOf(type, file.content)) {
      throw validationError([
        { path: ['attachments'], message: `${file.filename} is not a PDF, PNG or JPEG file` },
      ]);
    }
    return {
      filename: file.filename.slice(0, 200) || 'attachment',
      contentType: type,
      content: file.content,
    };
  });
}
