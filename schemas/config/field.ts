/**
 * How a config section is declared: a table of fields (Loki's YAML key, Loki's flag, kind, default,
 * help) plus nested sections. The TypeScript type of a section is derived from its table, so the
 * YAML key, the flag and the field read in code are one name. Pure.
 */
import type { DurationMs } from './values.js';

/** The kinds of values a field may hold. */
export type FieldKind = 'duration' | 'bytes' | 'int' | 'float' | 'bool' | 'string' | 'enum' | 'list' | 'stream_retention';

/** One `retention_stream` rule (Loki's `StreamRetention`): streams matching `selector` keep their data for `period`. */
export interface StreamRetentionRule {
  /** A stream selector of label matchers, e.g. `{namespace="dev"}`. */
  readonly selector: string;
  /** The larger the value, the higher the priority. */
  readonly priority: number;
  readonly period: DurationMs;
}

interface FieldBase {
  /** The YAML key, Loki's name where Loki has the setting; also the TypeScript field name. */
  readonly key: string;
  /** The command-line flag without its leading dash, Loki's where Loki has one; '' for a YAML-only key (as Loki's). */
  readonly flag: string;
  readonly help: string;
  /** Masked in `/config` and `-print-config`. */
  readonly secret?: boolean;
  /** Smallest allowed value for numeric kinds (durations in ms, sizes in bytes). */
  readonly min?: number;
}

/** One config field. Defaults are written the way a user would write them in YAML. */
export type FieldSpec =
  | (FieldBase & { readonly kind: 'duration'; readonly default: string })
  | (FieldBase & { readonly kind: 'bytes'; readonly default: string | number })
  | (FieldBase & { readonly kind: 'int' | 'float'; readonly default: number })
  | (FieldBase & { readonly kind: 'bool'; readonly default: boolean })
  | (FieldBase & { readonly kind: 'string'; readonly default: string })
  | (FieldBase & { readonly kind: 'enum'; readonly values: readonly string[]; readonly default: string })
  | (FieldBase & { readonly kind: 'list'; readonly default: readonly string[] })
  | (FieldBase & { readonly kind: 'stream_retention'; readonly default: readonly StreamRetentionRule[] });

/**
 * A key holding a YAML mapping of names the user chooses, as Loki's maps without flags
 * (`ruler.external_labels`, `ruler.remote_write.clients`): string values, or one section per name.
 */
export type MapSpec =
  | { readonly kind: 'strings'; readonly help: string; /** Values masked in `/config`. */ readonly secret?: boolean }
  | { readonly kind: 'sections'; readonly help: string; readonly entry: SectionSpec };

/** A config section: its own fields, its nested sections, and its maps. */
export interface SectionSpec {
  readonly fields: readonly FieldSpec[];
  readonly sections?: { readonly [name: string]: SectionSpec };
  readonly maps?: { readonly [key: string]: MapSpec };
}

/** The parsed value type of a field. */
export type ValueOf<F> = F extends { kind: 'enum'; values: readonly (infer V)[] }
  ? V
  : F extends { kind: 'duration' }
    ? DurationMs
    : F extends { kind: 'bytes' | 'int' | 'float' }
      ? number
      : F extends { kind: 'bool' }
        ? boolean
        : F extends { kind: 'list' }
          ? readonly string[]
          : F extends { kind: 'stream_retention' }
            ? readonly StreamRetentionRule[]
            : string;

type FieldsOf<S extends SectionSpec> = {
  readonly [F in S['fields'][number] as F['key']]: ValueOf<F>;
};
type SubsectionsOf<S extends SectionSpec> = S['sections'] extends { readonly [name: string]: SectionSpec }
  ? { readonly [K in keyof S['sections']]: S['sections'][K] extends SectionSpec ? ConfigOf<S['sections'][K]> : never }
  : unknown;

type MapsOf<S extends SectionSpec> = S['maps'] extends { readonly [key: string]: MapSpec }
  ? {
      readonly [K in keyof S['maps']]: S['maps'][K] extends { kind: 'sections'; entry: infer E extends SectionSpec }
        ? Readonly<Record<string, ConfigOf<E>>>
        : Readonly<Record<string, string>>;
    }
  : unknown;

/** The typed, parsed config of a section. */
export type ConfigOf<S extends SectionSpec> = FieldsOf<S> & SubsectionsOf<S> & MapsOf<S>;
