/** What `/loki/api/v1/status/buildinfo` and `loki_build_info` report. */
import { readFileSync } from 'node:fs';

/**
 * The Loki API version Fjord implements. Grafana reads `version` to decide which Loki features
 * to use, so it is reported as this, with Fjord's own version as semver build metadata.
 */
export const LOKI_COMPATIBLE_VERSION = '3.5.0';

/** Loki's buildinfo shape. */
export interface BuildInfo {
  readonly version: string;
  readonly revision: string;
  readonly branch: string;
  readonly buildUser: string;
  readonly buildDate: string;
  readonly goVersion: string;
}

/** Build info from package.json and the FJORD_REVISION / FJORD_BUILD_DATE the build may set. */
export function readBuildInfo(env: NodeJS.ProcessEnv): BuildInfo {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return {
    version: `${LOKI_COMPATIBLE_VERSION}+fjord.${pkg.version}`,
    revision: env.FJORD_REVISION ?? 'unknown',
    branch: env.FJORD_BRANCH ?? 'unknown',
    buildUser: 'fjord',
    buildDate: env.FJORD_BUILD_DATE ?? 'unknown',
    goVersion: `node${process.versions.node}`,
  };
}
