/** Which modules each target runs, in start order (dependencies first), as Loki's module manager. Pure. */
import type { Target } from '../../schemas/config/index.js';

/** The modules a Fjord process can run. */
export const MODULE_NAMES = [
  'server', 'runtime-config', 'partition-log', 'object-store', 'distributor', 'ingester', 'querier',
  'query-frontend', 'compactor', 'ruler',
] as const;
export type ModuleName = (typeof MODULE_NAMES)[number];

const DEPENDENCIES: Record<ModuleName, readonly ModuleName[]> = {
  server: [],
  'runtime-config': ['server'],
  'partition-log': ['server'],
  'object-store': ['server'],
  distributor: ['runtime-config', 'partition-log'],
  ingester: ['runtime-config', 'partition-log', 'object-store'],
  querier: ['runtime-config', 'partition-log', 'object-store'],
  'query-frontend': ['runtime-config', 'partition-log', 'object-store'],
  compactor: ['runtime-config', 'object-store'],
  ruler: ['runtime-config', 'partition-log', 'object-store'],
};

const TARGET_MODULES: Record<Target, readonly ModuleName[]> = {
  all: ['distributor', 'ingester', 'querier', 'query-frontend', 'compactor', 'ruler'],
  distributor: ['distributor'],
  ingester: ['ingester'],
  querier: ['querier'],
  'query-frontend': ['query-frontend'],
  compactor: ['compactor'],
  ruler: ['ruler'],
  write: ['distributor', 'ingester'],
  read: ['query-frontend', 'querier'],
  backend: ['compactor', 'ruler'],
};

/** The modules of a target with their dependencies, each once, dependencies before dependents. */
export function modulesFor(target: Target): ModuleName[] {
  const out: ModuleName[] = [];
  const visit = (m: ModuleName) => {
    if (out.includes(m)) return;
    for (const d of DEPENDENCIES[m]) visit(d);
    out.push(m);
  };
  for (const m of TARGET_MODULES[target]) visit(m);
  return out;
}
