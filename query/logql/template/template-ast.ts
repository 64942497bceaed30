/**
 * The tree of a Go text/template as Loki's `line_format` / `label_format` use it: text, actions
 * with pipelines, if/else, range, with, and variables. Pure types.
 */

/** An argument of a command. */
export type TemplateArg =
  | { readonly kind: 'field'; readonly path: readonly string[] }
  | { readonly kind: 'dot' }
  | { readonly kind: 'variable'; readonly name: string; readonly path: readonly string[] }
  | { readonly kind: 'identifier'; readonly name: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly text: string; readonly value: number; readonly isInt: boolean }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'nil' }
  | { readonly kind: 'pipeline'; readonly pipe: Pipeline; readonly path: readonly string[] };

/** A command: a function call or a single operand. */
export interface Command {
  readonly args: readonly TemplateArg[];
  /** Offset of the command's first token in the template source, and that token's text. */
  readonly at: number;
  readonly text: string;
}

/** A pipeline `cmd | cmd | …`, optionally declaring or assigning variables. */
export interface Pipeline {
  readonly decl: readonly string[];
  readonly isAssign: boolean;
  readonly cmds: readonly Command[];
  /** Source text of the pipeline, for error messages. */
  readonly text: string;
  readonly line: number;
  readonly col: number;
}

/** A node of the template body. */
export type TemplateNode =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'action'; readonly pipe: Pipeline }
  | {
      readonly kind: 'if' | 'with' | 'range';
      readonly pipe: Pipeline;
      readonly list: readonly TemplateNode[];
      readonly elseList: readonly TemplateNode[] | null;
    }
  | { readonly kind: 'break' | 'continue' };
