/**
 * The read-only rule store of `ruler.storage.type: local` (`L:pkg/ruler/rulestore/local`): one
 * directory per tenant under the root, one rule file per namespace, the namespace being the file
 * name with its extension. Dot-files and sub-directories are skipped (a Kubernetes ConfigMap's
 * `..data` links among them); symlinks are followed. A file that does not parse or validate is
 * left out and reported; the tenant's other namespaces still load.
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FjordError, errorMessage } from '../../schemas/index.js';
import type { TemplateFunctionSet } from '../logql/index.js';
import type { RuleGroupDesc } from './rule-group.js';
import { parseRuleFile } from './rule-file.js';
import type { NamespaceError, RuleStore, TenantGroups } from './rule-store.js';

function readOnly(op: string): FjordError {
  return new FjordError('rule_store_read_only', `${op} unsupported in rule local store`);
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() ?? false;
}

/** Rule files in a directory tree. */
export class LocalRuleStore implements RuleStore {
  constructor(
    private readonly root: string,
    private readonly fns: TemplateFunctionSet,
  ) {}

  async listTenants(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch (err) {
      throw new FjordError('bad_request', `unable to read dir ${this.root}: ${errorMessage(err)}`, { cause: err });
    }
    const out: string[] = [];
    for (const n of names.sort()) if (!n.startsWith('.') && (await isDirectory(join(this.root, n)))) out.push(n);
    return out;
  }

  async listGroups(tenant: string, namespace: string | null): Promise<TenantGroups> {
    const dir = join(this.root, tenant);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (err) {
      throw new FjordError('bad_request', `unable to read rule dir ${dir}: ${errorMessage(err)}`, { cause: err });
    }
    const groups: RuleGroupDesc[] = [];
    const errors: NamespaceError[] = [];
    for (const name of names.sort()) {
      if (name.startsWith('.') || (namespace !== null && name !== namespace)) continue;
      const path = join(dir, name);
      const info = await stat(path).catch(() => null);
      if (!info?.isFile()) continue;
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (err) {
        errors.push({ namespace: name, error: `unable to read rule file ${path}: ${errorMessage(err)}` });
        continue;
      }
      const parsed = parseRuleFile(text, { tenant, namespace: name, path }, this.fns);
      if (parsed.ok) groups.push(...parsed.value);
      else errors.push({ namespace: name, error: parsed.error });
    }
    return { groups, errors };
  }

  async getGroup(): Promise<RuleGroupDesc> {
    throw readOnly('GetRuleGroup');
  }

  async setGroup(): Promise<void> {
    throw readOnly('SetRuleGroup');
  }

  async deleteGroup(): Promise<void> {
    throw readOnly('DeleteRuleGroup');
  }

  async deleteNamespace(): Promise<void> {
    throw readOnly('DeleteNamespace');
  }
}
