/**
 * The Helm and kubeconform binaries and the Kubernetes schemas installed by
 * deploy/local/k8s-tools.sh (which .ci/run calls). Outside CI a test may skip when they are not
 * installed; in CI (CI=true) their absence fails the test.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where the tools are. */
export interface K8sTools {
  readonly helm: string;
  readonly kubeconform: string;
  /** kubeconform's -schema-location (standalone strict layout). */
  readonly schemas: string;
  /** The Kubernetes version the manifests are rendered and validated for. */
  readonly kubeVersion: string;
}

/** The repository root (the source tree, not dist/). */
export const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The installed tools, or a sentence saying what is missing. */
export function findK8sTools(): K8sTools | string {
  const out = execFileSync('bash', ['deploy/local/k8s-tools.sh', 'env'], { cwd: projectRoot, encoding: 'utf8' });
  const env = Object.fromEntries(out.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  const tools = { helm: env.HELM ?? '', kubeconform: env.KUBECONFORM ?? '', schemas: env.KUBE_SCHEMAS ?? '', kubeVersion: env.KUBE_VERSION ?? '' };
  const missing = [tools.helm, tools.kubeconform, `${tools.schemas}/v${tools.kubeVersion}-standalone-strict/deployment-apps-v1.json`].filter((p) => !existsSync(p));
  if (missing.length > 0) return `not installed (run \`bash deploy/local/k8s-tools.sh install\`): ${missing.join(', ')}`;
  return tools;
}

/** The tools, or the reason to skip; throws in CI, where the tools must be there. */
export function k8sToolsOrSkip(): K8sTools | { skip: string } {
  const found = findK8sTools();
  if (typeof found !== 'string') return found;
  if (process.env.CI === 'true') throw new Error(`helm and kubeconform must be installed in CI: ${found}`);
  return { skip: `helm/kubeconform ${found}` };
}
