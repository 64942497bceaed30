/**
 * Tenant ids from `X-Scope-OrgID`, validated as dskit does: at most 150 characters of
 * `[A-Za-z0-9!-_.*'()]`, not `.` or `..`; several tenants are joined with `|`. Pure.
 */
import { FjordError } from '../errors.js';

/** The tenant of every request when `auth_enabled` is false (Loki's `no_auth_tenant`). */
export const NO_AUTH_TENANT = 'fake';
const MAX_TENANT_LENGTH = 150;
const TENANT_CHAR = /^[A-Za-z0-9!\-_.*'()]$/;

/** Throws FjordError('bad_request') unless `id` is a valid tenant id. */
export function validateTenantId(id: string): void {
  for (const ch of id) {
    if (!TENANT_CHAR.test(ch)) throw new FjordError('bad_request', `tenant ID '${id}' contains unsupported character '${ch}'`);
  }
  if (id.length > MAX_TENANT_LENGTH) throw new FjordError('bad_request', `tenant ID is too long: max ${MAX_TENANT_LENGTH} characters`);
  if (id === '.' || id === '..') throw new FjordError('bad_request', 'tenant ID is \'.\' or \'..\'');
}

/**
 * The tenants a request acts for. With auth off: [`fake`]. With auth on: the header's ids,
 * validated; a missing or empty header is FjordError('no_org_id', 'no org id').
 */
export function resolveTenants(header: string | undefined, authEnabled: boolean): string[] {
  if (!authEnabled) return [NO_AUTH_TENANT];
  if (header === undefined || header === '') throw new FjordError('no_org_id', 'no org id');
  const ids = header.split('|');
  for (const id of ids) {
    if (id === '') throw new FjordError('no_org_id', 'no org id');
    validateTenantId(id);
  }
  return [...new Set(ids)].sort();
}

/** The one tenant of a write request; several (`a|b`) are refused as dskit's `multiple org IDs present`. */
export function resolveWriteTenant(header: string | undefined, authEnabled: boolean): string {
  const tenants = resolveTenants(header, authEnabled);
  if (tenants.length > 1) throw new FjordError('bad_request', 'multiple org IDs present');
  return tenants[0] as string;
}
