import type { UserRole } from '@settle/db';
import { AppError } from '../errors';

/**
 * What a finance role may do. `view`: read every console page. `collect`: day-to-day collection work
 * (resolve disputes, record calls, pause/resume/re-send, complete tasks, write off). `administer`:
 * policies, templates, customer settings and portal links.
 */
export type FinancePermission = 'view' | 'collect' | 'administer';

const GRANTS: Record<UserRole, readonly FinancePermission[]> = {
  viewer: ['view'],
  collector: ['view', 'collect'],
  admin: ['view', 'collect', 'administer'],
};

export function canStaff(staff: { role: UserRole }, permission: FinancePermission): boolean {
  return GRANTS[staff.role].includes(permission);
}

/** Throws FORBIDDEN unless the staff member's role grants `permission`. */
export function authorizeStaff(staff: { role: UserRole }, permission: FinancePermission): void {
  if (!canStaff(staff, permission)) {
    throw new AppError('FORBIDDEN', `role ${staff.role} may not ${permission}`, {
      userMessage: `Your role (${staff.role}) does not allow this action.`,
    });
  }
}
