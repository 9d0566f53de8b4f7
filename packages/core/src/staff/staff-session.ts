/** A staff session ends 12 hours after sign-in, or after 30 minutes without a request. */
export const SESSION_ABSOLUTE_MS = 12 * 3_600_000;
export const SESSION_IDLE_MS = 30 * 60_000;

export interface StaffSession {
  sessionId: string;
  userId: string;
  organizationId: string;
  role: 'viewer' | 'collector' | 'admin';
  name: string;
  email: string;
}
