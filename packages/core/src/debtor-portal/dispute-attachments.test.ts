import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { MAX_ATTACHMENT_BYTES, validateAttachments } from './dispute-attachments';

const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x34]);
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]);

function failure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).message;
  }
  throw new Error('expected a validation error');
}

describe('dispute attachments', () => {
  it('accepts PDF, PNG and JPEG files whose content matches their type', () => {
    const files = validateAttachments([
      { filename: 'note.pdf', contentType: 'application/pdf', content: pdf },
      { filename: 'photo.png', contentType: 'image/png', content: png },
      { filename: 'scan.jpg', contentType: 'image/jpeg', content: new Uint8Array([0xff, 0xd8, 0xff, 0xe0]) },
    ]);
    expect(files.map((f) => f.contentType)).toEqual(['application/pdf', 'image/png', 'image/jpeg']);
  });

  it('refuses a file whose content is not what its type claims, naming it', () => {
    const message = failure(() =>
      validateAttachments([{ filename: 'invoice.pdf', contentType: 'application/pdf', content: png }]),
    );
    expect(message).toContain('invoice.pdf is not a PDF, PNG or JPEG file');
  });

  it('refuses other types, empty files, files over 5 MB and more than 3 files', () => {
    expect(
      failure(() =>
        validateAttachments([{ filename: 'a.exe', contentType: 'application/x-msdownload', content: pdf }]),
      ),
    ).toContain('a.exe');
    expect(
      failure(() =>
        validateAttachments([
          { filename: 'e.pdf', contentType: 'application/pdf', content: new Uint8Array() },
        ]),
      ),
    ).toContain('e.pdf is empty');
    const big = new Uint8Array(MAX_ATTACHMENT_BYTES + 1);
    big.set(pdf);
    expect(
      failure(() =>
        validateAttachments([{ filename: 'big.pdf', contentType: 'application/pdf', content: big }]),
      ),
    ).toContain('larger than 5 MB');
    const four = Array.from({ length: 4 }, (_, i) => ({
      filename: `${i}.pdf`,
      contentType: 'application/pdf',
      content: pdf,
    }));
    expect(failure(() => validateAttachments(four))).toContain('at most 3 files');
  });
});
