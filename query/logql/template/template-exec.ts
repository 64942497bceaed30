/**
 * Execution of a parsed template over a line's labels (Go's text/template with
 * `missingkey=zero`: a missing label reads as ""), calling the functions of
 * template-functions.ts. Errors become `__error__=TemplateFormatErr` in the stages. Pure.
 */
import type { Command, Pipeline, TemplateArg, TemplateNode } from './template-ast.js';
import { FUNCTION_ARITY, TEMPLATE_FUNCTIONS, type CallContext, type TemplateFunction } from './template-functions.js';
import { parseTemplate, TemplateParseError } from './template-parse.js';
import { goInt, isInt, isTime, isTrue, printValue, TemplateExecError, typeName, type TValue } from './template-values.js';

/** A compiled template. */
export interface CompiledTemplate {
  /** When the template is exactly `{{ .name }}`, that name (Loki's fast path). */
  readonly simpleKey: string | null;
  /** The field names the template reads (Loki's listNodeFields: every `.a.b` gives `a` and `b`). */
  readonly fields: readonly string[];
  /** Render with the given data (a line's labels, or an alert's template data); throws TemplateExecError. */
  execute(data: Readonly<Record<string, TValue>>, ctx: CallContext): string;
}

/** The functions a template may call, and the argument counts Go checks before calling them. */
export interface TemplateFunctionSet {
  readonly functions: ReadonlyMap<string, TemplateFunction>;
  readonly arity: ReadonlyMap<string, readonly [number, number]>;
}

/** Loki's `line_format` / `label_format` functions. */
export const LINE_FORMAT_FUNCTIONS: TemplateFunctionSet = { functions: TEMPLATE_FUNCTIONS, arity: FUNCTION_ARITY };

/** Compile template source; throws TemplateParseError with Go's message. */
export function compileTemplate(name: string, src: string, fns: TemplateFunctionSet = LINE_FORMAT_FUNCTIONS): CompiledTemplate {
  const nodes = parseTemplate(name, src, (n) => fns.functions.has(n));
  const only = nodes.length === 1 ? nodes[0] : undefined;
  let simpleKey: string | null = null;
  if (only?.kind === 'action' && only.pipe.decl.length === 0 && only.pipe.cmds.length === 1) {
    const args = only.pipe.cmds[0]?.args ?? [];
    const a = args[0];
    if (args.length === 1 && a?.kind === 'field' && a.path.length === 1) simpleKey = a.path[0] as string;
  }
  return {
    simpleKey,
    fields: nodeFields(nodes),
    execute: (data, ctx) => new Executor(name, src, data, ctx, fns).run(nodes),
  };
}

export { TemplateParseError };

function argFields(args: readonly TemplateArg[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    if (a.kind === 'field') out.push(...a.path);
    // a parenthesised pipeline is walked; one followed by fields is a chain, which Loki does not walk
    else if (a.kind === 'pipeline' && a.path.length === 0) out.push(...pipeFields(a.pipe));
  }
  return out;
}

function pipeFields(p: Pipeline): string[] {
  return p.cmds.flatMap((c) => argFields(c.args));
}

/** Loki's listNodeFields over a template body. */
function nodeFields(nodes: readonly TemplateNode[]): string[] {
  const out: string[] = [];
  for (const n of nodes) {
    switch (n.kind) {
      case 'action': out.push(...pipeFields(n.pipe)); break;
      case 'if':
      case 'with':
      case 'range':
        out.push(...pipeFields(n.pipe), ...nodeFields(n.list), ...nodeFields(n.elseList ?? []));
        break;
      default: break;
    }
  }
  return out;
}

class BreakSignal {
  constructor(readonly isContinue: boolean) {}
}

class Executor {
  private out = '';
  private readonly vars: [string, TValue][] = [];

  constructor(
    private readonly name: string,
    private readonly src: string,
    private readonly data: Readonly<Record<string, TValue>>,
    private readonly ctx: CallContext,
    private readonly fns: TemplateFunctionSet,
  ) {}

  run(nodes: readonly TemplateNode[]): string {
    this.vars.push(['$', this.data as unknown as TValue]);
    this.walk(nodes, this.data as unknown as TValue);
    return this.out;
  }

  private walk(nodes: readonly TemplateNode[], dot: TValue): void {
    const mark = this.vars.length;
    for (const n of nodes) {
      switch (n.kind) {
        case 'text':
          this.out += n.text;
          break;
        case 'action': {
          const v = this.pipeline(n.pipe, dot);
          if (n.pipe.decl.length === 0) this.out += v === null ? '' : printValue(v);
          break;
        }
        case 'if':
        case 'with': {
          const v = this.pipeline(n.pipe, dot);
          if (isTrue(v)) this.walk(n.list, n.kind === 'with' ? v : dot);
          else if (n.elseList !== null) this.walk(n.elseList, dot);
          break;
        }
        case 'range': {
          const v = this.pipeline(n.pipe, dot);
          const items: [TValue, TValue][] = Array.isArray(v)
            ? v.map((x, i) => [goInt(i), x])
            : v !== null && typeof v === 'object' && !isInt(v) && !isTime(v)
              ? Object.keys(v).sort().map((k) => [k, (v as Record<string, TValue>)[k] as TValue])
              : [];
          if (items.length === 0) {
            if (n.elseList !== null) this.walk(n.elseList, dot);
            break;
          }
          for (const [k, x] of items) {
            const base = this.vars.length;
            if (n.pipe.decl.length === 1) this.vars.push([n.pipe.decl[0] as string, x]);
            if (n.pipe.decl.length === 2) this.vars.push([n.pipe.decl[0] as string, k], [n.pipe.decl[1] as string, x]);
            try {
              this.walk(n.list, x);
            } catch (e) {
              if (!(e instanceof BreakSignal)) throw e;
              if (!e.isContinue) break;
            } finally {
              this.vars.length = base;
            }
          }
          break;
        }
        case 'break':
        case 'continue':
          throw new BreakSignal(n.kind === 'continue');
      }
    }
    this.vars.length = mark;
  }

  private error(p: Pipeline, msg: string): never {
    throw new TemplateExecError(`template: ${this.name}:${p.line}:${p.col}: executing "${this.name}" at <${p.text}>: ${msg}`);
  }

  private cmdError(cmd: Command, msg: string): never {
    const before = this.src.slice(0, cmd.at);
    const nl = before.lastIndexOf('\n');
    const line = (before.match(/\n/g) ?? []).length + 1;
    const col = nl < 0 ? cmd.at : cmd.at - (nl + 1);
    throw new TemplateExecError(`template: ${this.name}:${line}:${col}: executing "${this.name}" at <${cmd.text}>: ${msg}`);
  }

  private call(cmd: Command, name: string, args: TValue[]): TValue {
    const arity = this.fns.arity.get(name);
    if (arity !== undefined) {
      const [min, max] = arity;
      if (max >= 0 && (args.length < min || args.length > max)) this.cmdError(cmd, `wrong number of args for ${name}: want ${min} got ${args.length}`);
      if (max < 0 && args.length < min) this.cmdError(cmd, `wrong number of args for ${name}: want at least ${min} got ${args.length}`);
    }
    try {
      return this.fns.functions.get(name)?.(args, this.ctx) ?? null;
    } catch (e) {
      if (e instanceof TemplateExecError) this.cmdError(cmd, e.message.startsWith('error calling') ? e.message : `error calling ${name}: ${e.message}`);
      throw e;
    }
  }

  private pipeline(p: Pipeline, dot: TValue): TValue {
    let value: TValue | undefined;
    for (const cmd of p.cmds) {
      const [head, ...rest] = cmd.args;
      if (head === undefined) this.error(p, 'missing command');
      if (head?.kind === 'identifier') {
        const args = rest.map((a) => this.arg(a, dot, p));
        if (value !== undefined) args.push(value);
        value = this.call(cmd, head.name, args);
      } else {
        if (rest.length > 0 || value !== undefined) {
          if (head?.kind === 'field') this.cmdError(cmd, `${head.path[head.path.length - 1] ?? ''} is not a method but has arguments`);
          this.cmdError(cmd, `can't give argument to non-function ${describeArg(head as TemplateArg)}`);
        }
        value = this.arg(head as TemplateArg, dot, p);
      }
    }
    const result = value ?? null;
    if (p.decl.length > 0) {
      if (p.isAssign) {
        for (let i = this.vars.length - 1; i >= 0; i--) {
          if ((this.vars[i] as [string, TValue])[0] === p.decl[0]) {
            (this.vars[i] as [string, TValue])[1] = result;
            break;
          }
        }
      } else this.vars.push([p.decl[0] as string, result]);
    }
    return result;
  }

  private field(v: TValue, path: readonly string[], p: Pipeline): TValue {
    let cur = v;
    for (const key of path) {
      if (cur !== null && typeof cur === 'object' && !Array.isArray(cur) && !isInt(cur) && !isTime(cur)) {
        const next = (cur as Record<string, TValue>)[key];
        cur = next === undefined ? (cur === (this.data as unknown) ? '' : null) : next;
      } else {
        this.error(p, `can't evaluate field ${key} in type ${cur === null ? 'interface {}' : typeName(cur)}`);
      }
    }
    return cur;
  }

  private arg(a: TemplateArg, dot: TValue, p: Pipeline): TValue {
    switch (a.kind) {
      case 'field': return this.field(dot, a.path, p);
      case 'dot': return dot;
      case 'variable': {
        for (let i = this.vars.length - 1; i >= 0; i--) {
          const [n, v] = this.vars[i] as [string, TValue];
          if (n === a.name) return this.field(v, a.path, p);
        }
        return this.error(p, `undefined variable: ${a.name}`);
      }
      case 'string': return a.value;
      case 'number': return a.isInt ? goInt(a.value) : a.value;
      case 'bool': return a.value;
      case 'nil': return null;
      case 'identifier': {
        const fn = this.fns.functions.get(a.name);
        try {
          return fn?.([], this.ctx) ?? null;
        } catch (e) {
          if (e instanceof TemplateExecError) this.error(p, `error calling ${a.name}: ${e.message}`);
          throw e;
        }
      }
      case 'pipeline': return this.field(this.pipeline(a.pipe, dot), a.path, p);
    }
  }
}

function describeArg(a: TemplateArg): string {
  switch (a.kind) {
    case 'field': return '.' + a.path.join('.');
    case 'variable': return a.name + a.path.map((x) => '.' + x).join('');
    case 'string': return JSON.stringify(a.value);
    case 'number': return a.text;
    default: return a.kind;
  }
}
