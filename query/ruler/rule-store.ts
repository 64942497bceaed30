/**
 * The rule store port and its bucket implementation. In a bucket (S3 or the filesystem store)
 * every group is one object `rules/<tenant>/<base64url(namespace)>/<base64url(group)>` holding
 * Loki's RuleGroupDesc protobuf, Loki's layout (`L:pkg/ruler/rulestore/bucketclient`), so a
 * Loki rules bucket reads as it is.
 */
import { FjordError } from '../../schemas/index.js';
import { listAll, type ObjectStore } from '../../platform/index.js';
import type { RuleGroupDesc } from './rule-group.js';
import { decodeRuleGroupProto, encodeRuleGroupProto } from './rule-group-proto.js';

/** Loki's rulestore.ErrGroupNotFound text. */
export const ERR_GROUP_NOT_FOUND = 'group does not exist';
/** Loki's rulestore.ErrGroupNamespaceNotFound text. */
export const ERR_NAMESPACE_NOT_FOUND = 'group namespace does not exist';

/** A namespace that could not be read, and why. */
export interface NamespaceError {
  readonly namespace: string;
  readonly error: string;
}

/** A tenant's groups, and the namespaces that could not be read. */
export interface TenantGroups {
  readonly groups: readonly RuleGroupDesc[];
  readonly errors: readonly NamespaceError[];
}

/**
 * Where rule groups live. Errors are FjordError: not_found (ERR_GROUP_NOT_FOUND,
 * ERR_NAMESPACE_NOT_FOUND), rule_store_read_only (Loki's `… unsupported in rule local store`),
 * object_store_unavailable.
 */
export interface RuleStore {
  /** Tenants with at least one namespace. */
  listTenants(signal?: AbortSignal): Promise<string[]>;
  /** Groups of a tenant, of one namespace when `namespace` is given. */
  listGroups(tenant: string, namespace: string | null, signal?: AbortSignal): Promise<TenantGroups>;
  getGroup(tenant: string, namespace: string, name: string, signal?: AbortSignal): Promise<RuleGroupDesc>;
  setGroup(group: RuleGroupDesc, signal?: AbortSignal): Promise<void>;
  deleteGroup(tenant: string, namespace: string, name: string, signal?: AbortSignal): Promise<void>;
  deleteNamespace(tenant: string, namespace: string, signal?: AbortSignal): Promise<void>;
}

/** The key prefix of rule objects: `rules/`, under `ruler_storage.storage_prefix` when set. */
export function rulesPrefix(storagePrefix: string): string {
  return storagePrefix === '' ? 'rules/' : `${storagePrefix}/rules/`;
}

function b64(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

function unb64(s: string): string | null {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(s)) return null;
  return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
}

/** The object key of a group. */
export function ruleGroupKey(tenant: string, namespace: string, name: string, prefix = rulesPrefix('')): string {
  return `${prefix}${tenant}/${b64(namespace)}/${b64(name)}`;
}

/** Rule groups as objects of a bucket. */
export class BucketRuleStore implements RuleStore {
  constructor(
    private readonly store: ObjectStore,
    /** From rulesPrefix. */
    private readonly prefix = rulesPrefix(''),
  ) {}

  async listTenants(signal?: AbortSignal): Promise<string[]> {
    const tenants: string[] = [];
    let token: string | null = null;
    do {
      const page = await this.store.listPage(this.prefix, { delimiter: '/', token }, signal);
      for (const p of page.prefixes) tenants.push(p.slice(this.prefix.length, -1));
      token = page.nextToken;
    } while (token !== null);
    return tenants.sort();
  }

  private async keys(tenant: string, namespace: string | null, signal?: AbortSignal): Promise<string[]> {
    const prefix = namespace === null ? `${this.prefix}${tenant}/` : `${this.prefix}${tenant}/${b64(namespace)}/`;
    const keys: string[] = [];
    for await (const o of listAll(this.store, prefix, signal)) keys.push(o.key);
    return keys;
  }

  async listGroups(tenant: string, namespace: string | null, signal?: AbortSignal): Promise<TenantGroups> {
    const groups: RuleGroupDesc[] = [];
    const errors: NamespaceError[] = [];
    for (const key of await this.keys(tenant, namespace, signal)) {
      const parts = key.slice(this.prefix.length + tenant.length + 1).split('/');
      const ns = parts.length === 2 ? unb64(parts[0] as string) : null;
      const name = parts.length === 2 ? unb64(parts[1] as string) : null;
      if (ns === null || name === null) continue; // not a group object
      try {
        groups.push(await this.read(key, tenant, ns, name, signal));
      } catch (err) {
        if (err instanceof FjordError && err.code === 'object_not_found') continue; // deleted meanwhile
        if (err instanceof FjordError && err.code === 'bad_request') {
          errors.push({ namespace: ns, error: `invalid rule group object ${key}: ${err.message}` });
          continue;
        }
        throw err;
      }
    }
    groups.sort((a, b) => (a.namespace === b.namespace ? (a.name < b.name ? -1 : 1) : a.namespace < b.namespace ? -1 : 1));
    return { groups, errors };
  }

  private async read(key: string, tenant: string, namespace: string, name: string, signal?: AbortSignal): Promise<RuleGroupDesc> {
    const g = decodeRuleGroupProto(await this.store.get(key, signal));
    // The key is the truth about where a group lives (Loki fills these from the key too).
    return { ...g, tenant, namespace, name: g.name || name };
  }

  async getGroup(tenant: string, namespace: string, name: string, signal?: AbortSignal): Promise<RuleGroupDesc> {
    try {
      return await this.read(ruleGroupKey(tenant, namespace, name, this.prefix), tenant, namespace, name, signal);
    } catch (err) {
      if (err instanceof FjordError && err.code === 'object_not_found') throw new FjordError('not_found', ERR_GROUP_NOT_FOUND, { cause: err });
      throw err;
    }
  }

  async setGroup(group: RuleGroupDesc, signal?: AbortSignal): Promise<void> {
    await this.store.put(ruleGroupKey(group.tenant, group.namespace, group.name, this.prefix), encodeRuleGroupProto(group), signal);
  }

  /** Deleting a group that does not exist succeeds, as it does in Loki on S3 and filesystem buckets. */
  async deleteGroup(tenant: string, namespace: string, name: string, signal?: AbortSignal): Promise<void> {
    await this.store.delete(ruleGroupKey(tenant, namespace, name, this.prefix), signal);
  }

  async deleteNamespace(tenant: string, namespace: string, signal?: AbortSignal): Promise<void> {
    const keys = await this.keys(tenant, namespace, signal);
    if (keys.length === 0) throw new FjordError('not_found', ERR_NAMESPACE_NOT_FOUND);
    for (const key of keys) await this.store.delete(key, signal);
  }
}
