import { describe, expect, it } from 'vitest';
import { isUuid } from './ids';

describe('isUuid', () => {
  it('accepts a row id in either case and refuses anything else', () => {
    expect(isUuid('4f0c2a4e-8d1b-4c3e-9a7f-0b1c2d3e4f50')).toBe(true);
    expect(isUuid('4F0C2A4E-8D1B-4C3E-9A7F-0B1C2D3E4F50')).toBe(true);
    expect(isUuid('4f0c2a4e8d1b4c3e9a7f0b1c2d3e4f50')).toBe(false);
    expect(isUuid('------------------------------------')).toBe(false);
    expect(isUuid("x' OR 1=1 --")).toBe(false);
    expect(isUuid(undefined)).toBe(false);
  });
});
