/**
 * Parsing of Go text/template source (the subset Loki users write): `{{ }}` actions with `{{-`/`-}}`
 * trimming and comments, pipelines of fields, variables, literals and function calls, parentheses,
 * `if`/`else if`/`else`/`end`, `range`, `with`, variable declarations. Errors read like Go's
 * (`template: line:1: function "foo" not defined`). Pure.
 */
import { unquoteGo } from '../../../schemas/go/index.js';
import type { Command, Pipeline, TemplateArg, TemplateNode } from './template-ast.js';

/** Thrown for template syntax errors; the message is Go's text. */
export class TemplateParseError extends Error {}

type Tok =
  | { t: 'field'; v: string[] }
  | { t: 'dot' }
  | { t: 'var'; v: string; path: string[] }
  | { t: 'ident'; v: string }
  | { t: 'string'; v: string }
  | { t: 'number'; text: string; v: number; isInt: boolean }
  | { t: 'char' | 'pipe' | 'lparen' | 'rparen' | 'declare' | 'assign' | 'comma' | 'end' }
  | { t: 'fieldAfter'; v: string[] };

const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue']);

/** A token with its offset in the template and its source text. */
type PosTok = Tok & { at: number; raw: string };

/** Split an action body (starting at `base` in the template) into tokens; throws TemplateParseError. */
function tokenize(src: string, base: number, fail: (msg: string) => never): PosTok[] {
  const raw: Tok[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const out = {
    push(t: Tok): void {
      raw.push(t);
    },
  };
  let i = 0;
  let mark = 0;
  const track = (): void => {
    while (starts.length < raw.length) starts.push(mark);
    while (ends.length < raw.length) ends.push(i);
  };
  const fieldChain = (): string[] => {
    const path: string[] = [];
    while (src[i] === '.' && /[A-Za-z_]/.test(src[i + 1] ?? '')) {
      const m = /^\.([A-Za-z_][A-Za-z0-9_]*)/.exec(src.slice(i)) as RegExpExecArray;
      path.push(m[1] as string);
      i += m[0].length;
    }
    return path;
  };
  while (i < src.length) {
    track();
    mark = i;
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '.') {
      const path = fieldChain();
      if (path.length === 0) {
        out.push({ t: 'dot' });
        i++;
      } else out.push({ t: 'field', v: path });
    } else if (c === '$') {
      const m = /^\$[A-Za-z0-9_]*/.exec(src.slice(i)) as RegExpExecArray;
      i += m[0].length;
      out.push({ t: 'var', v: m[0], path: fieldChain() });
    } else if (c === '"' || c === '`') {
      const end = c === '`' ? src.indexOf('`', i + 1) : findQuoteEnd(src, i);
      if (end < 0) fail('unterminated quoted string');
      const v = unquoteGo(src.slice(i, end + 1));
      if (v === null) fail(`${src.slice(i, end + 1)}: invalid syntax`);
      out.push({ t: 'string', v: v as string });
      i = end + 1;
    } else if (c === "'") {
      const m = /^'(\\.|[^'\\])'/.exec(src.slice(i));
      if (m === null) fail('unterminated character constant');
      const mm = m as RegExpExecArray;
      const v = unquoteGo(`"${mm[1] as string}"`) ?? '';
      out.push({ t: 'number', text: mm[0], v: v.codePointAt(0) ?? 0, isInt: true });
      i += mm[0].length;
    } else if (/[0-9+-]/.test(c) && /^[+-]?(?:0[xX][0-9a-fA-F_]+|(?:\d[\d_]*\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.test(src.slice(i))) {
      const m = /^[+-]?(?:0[xX][0-9a-fA-F_]+|(?:\d[\d_]*\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(src.slice(i)) as RegExpExecArray;
      const text = m[0];
      const clean = text.replace(/_/g, '');
      const isInt = /^[+-]?(?:0[xX][0-9a-fA-F]+|\d+)$/.test(clean);
      const v = /^[+-]?0[xX]/.test(clean) ? (clean.startsWith('-') ? -1 : 1) * parseInt(clean.replace(/^[+-]?0[xX]/, ''), 16) : Number(clean);
      out.push({ t: 'number', text, v, isInt });
      i += text.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i)) as RegExpExecArray;
      out.push({ t: 'ident', v: m[0] });
      i += m[0].length;
    } else if (c === '|') {
      out.push({ t: 'pipe' });
      i++;
    } else if (c === '(') {
      out.push({ t: 'lparen' });
      i++;
    } else if (c === ')') {
      out.push({ t: 'rparen' });
      i++;
      const path = fieldChain();
      if (path.length > 0) out.push({ t: 'fieldAfter', v: path });
    } else if (c === ':' && src[i + 1] === '=') {
      out.push({ t: 'declare' });
      i += 2;
    } else if (c === '=') {
      out.push({ t: 'assign' });
      i++;
    } else if (c === ',') {
      out.push({ t: 'comma' });
      i++;
    } else {
      fail(`unexpected ${JSON.stringify(c)} in command`);
    }
  }
  track();
  return raw.map((t, k) => ({ ...t, at: base + (starts[k] as number), raw: src.slice(starts[k], ends[k]) }));
}

function findQuoteEnd(src: string, start: number): number {
  for (let i = start + 1; i < src.length; i++) {
    if (src[i] === '\\') i++;
    else if (src[i] === '"') return i;
    else if (src[i] === '\n') return -1;
  }
  return -1;
}

interface Action {
  readonly toks: PosTok[];
  readonly text: string;
  readonly line: number;
  readonly col: number;
}

type Piece = { kind: 'text'; text: string } | { kind: 'action'; action: Action };

/**
 * Parse a template; `hasFunction` tells which function names exist. Throws TemplateParseError
 * with Go's message prefixed by `template: <name>:<line>: `.
 */
export function parseTemplate(name: string, src: string, hasFunction: (n: string) => boolean): TemplateNode[] {
  let line = 1;
  const fail = (msg: string): never => {
    throw new TemplateParseError(`template: ${name}:${line}: ${msg}`);
  };
  const pieces: Piece[] = [];
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    let text = open < 0 ? src.slice(i) : src.slice(i, open);
    if (open < 0) {
      pieces.push({ kind: 'text', text });
      break;
    }
    let bodyStart = open + 2;
    if (src[open + 2] === '-' && /\s/.test(src[open + 3] ?? '')) {
      text = text.replace(/\s+$/, '');
      bodyStart = open + 3;
    }
    if (text !== '') pieces.push({ kind: 'text', text });
    line += (src.slice(i, open).match(/\n/g) ?? []).length;
    const close = findActionEnd(src, bodyStart);
    if (close < 0) fail('unclosed action');
    let body = src.slice(bodyStart, close);
    let next = close + 2;
    if (/\s-$/.test(body)) {
      body = body.slice(0, -2);
      while (next < src.length && /\s/.test(src[next] as string)) next++;
    }
    const trimmed = body.trim();
    if (trimmed.startsWith('/*')) {
      if (!trimmed.endsWith('*/')) fail('unclosed comment');
    } else {
      pieces.push({ kind: 'action', action: { toks: tokenize(body, bodyStart, fail), text: trimmed, line, col: open + 1 } });
    }
    line += (body.match(/\n/g) ?? []).length;
    i = next;
  }
  const p = new TemplateParser(pieces, hasFunction, fail);
  const nodes = p.parseList(new Set());
  if (p.stopWord !== null) fail(`unexpected {{${p.stopWord}}}`);
  return nodes;
}

function findActionEnd(src: string, from: number): number {
  let quote: string | null = null;
  for (let i = from; i < src.length; i++) {
    const c = src[i];
    if (quote !== null) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === '`' || c === "'") quote = c;
    else if (c === '}' && src[i + 1] === '}') return i;
  }
  return -1;
}

class TemplateParser {
  private pos = 0;
  stopWord: string | null = null;
  private stopAction: Action | null = null;
  private readonly vars: string[][] = [['$']];

  constructor(
    private readonly pieces: Piece[],
    private readonly hasFunction: (n: string) => boolean,
    private readonly fail: (msg: string) => never,
  ) {}

  /** Nodes until one of `stops` (`end`, `else`) or the end; sets stopWord. */
  parseList(stops: ReadonlySet<string>): TemplateNode[] {
    const out: TemplateNode[] = [];
    this.stopWord = null;
    while (this.pos < this.pieces.length) {
      const piece = this.pieces[this.pos++] as Piece;
      if (piece.kind === 'text') {
        out.push({ kind: 'text', text: piece.text });
        continue;
      }
      const a = piece.action;
      const first = a.toks[0];
      if (first === undefined) this.fail('missing value for command');
      if (first?.t === 'ident' && KEYWORDS.has(first.v)) {
        const kw = first.v;
        if (kw === 'end' || kw === 'else') {
          if (!stops.has(kw)) this.fail(`unexpected {{${kw}}}`);
          this.stopWord = kw;
          this.stopAction = a;
          return out;
        }
        if (kw === 'if' || kw === 'with' || kw === 'range') {
          out.push(this.parseBranch(kw, a, 1));
          continue;
        }
        if (kw === 'break' || kw === 'continue') {
          out.push({ kind: kw });
          continue;
        }
        this.fail(`{{${kw}}} is not supported`);
      }
      out.push({ kind: 'action', pipe: this.parsePipeline(a, 0) });
    }
    return out;
  }

  private parseBranch(kind: 'if' | 'with' | 'range', a: Action, start: number): TemplateNode {
    this.vars.push([]);
    const pipe = this.parsePipeline(a, start);
    const list = this.parseList(new Set(['end', 'else']));
    let elseList: TemplateNode[] | null = null;
    if (this.stopWord === null) this.fail('unexpected EOF');
    if (this.stopWord === 'else') {
      const elseAction = this.stopAction as Action;
      const second = elseAction.toks[1];
      if (second?.t === 'ident' && (second.v === 'if' || second.v === 'with')) {
        elseList = [this.parseBranch(second.v, elseAction, 2)];
      } else {
        elseList = this.parseList(new Set(['end']));
        if ((this.stopWord as string | null) !== 'end') this.fail('unexpected EOF');
      }
    }
    this.vars.pop();
    this.stopWord = null;
    return { kind, pipe, list, elseList };
  }

  private parsePipeline(a: Action, start: number): Pipeline {
    const toks: PosTok[] = a.toks.slice(start);
    let k = 0;
    const decl: string[] = [];
    let isAssign = false;
    const declEnd = toks.findIndex((t) => t.t === 'declare' || t.t === 'assign');
    if (declEnd > 0 && toks.slice(0, declEnd).every((t) => t.t === 'var' || t.t === 'comma')) {
      for (const t of toks.slice(0, declEnd)) if (t.t === 'var') decl.push(t.v);
      isAssign = toks[declEnd]?.t === 'assign';
      if (!isAssign) (this.vars[this.vars.length - 1] as string[]).push(...decl);
      k = declEnd + 1;
    }
    const [pipe, end] = this.parseCommands(toks, k, a);
    if (end !== toks.length) this.fail(`unexpected ${describe(toks[end] as Tok)} in command`);
    return { ...pipe, decl, isAssign };
  }

  private parseCommands(toks: PosTok[], from: number, a: Action): [Pipeline, number] {
    const cmds: Command[] = [];
    let k = from;
    let args: TemplateArg[] = [];
    let head: PosTok | null = null;
    const push = (): void => {
      cmds.push({ args, at: head?.at ?? 0, text: head?.raw ?? '' });
      args = [];
      head = null;
    };
    for (; k < toks.length; k++) {
      const t = toks[k] as PosTok;
      if (t.t === 'rparen') break;
      if (t.t === 'pipe') {
        if (args.length === 0) this.fail('missing value for command');
        push();
        continue;
      }
      head ??= t;
      if (t.t === 'lparen') {
        const [inner, end] = this.parseCommands(toks, k + 1, a);
        if (toks[end]?.t !== 'rparen') this.fail('unclosed left paren');
        let path: string[] = [];
        const after = toks[end + 1];
        k = end;
        if (after?.t === 'fieldAfter') {
          path = after.v;
          k = end + 1;
        }
        args.push({ kind: 'pipeline', pipe: inner, path });
        continue;
      }
      args.push(this.operand(t));
    }
    if (args.length > 0) push();
    else if (cmds.length > 0) this.fail('missing value for command');
    if (cmds.length === 0) this.fail('missing value for command');
    return [{ decl: [], isAssign: false, cmds, text: a.text, line: a.line, col: a.col }, k];
  }

  private operand(t: Tok): TemplateArg {
    switch (t.t) {
      case 'field': return { kind: 'field', path: t.v };
      case 'dot': return { kind: 'dot' };
      case 'var':
        if (!this.vars.some((scope) => scope.includes(t.v))) this.fail(`undefined variable "${t.v}"`);
        return { kind: 'variable', name: t.v, path: t.path };
      case 'string': return { kind: 'string', value: t.v };
      case 'number': return { kind: 'number', text: t.text, value: t.v, isInt: t.isInt };
      case 'ident':
        if (t.v === 'true' || t.v === 'false') return { kind: 'bool', value: t.v === 'true' };
        if (t.v === 'nil') return { kind: 'nil' };
        if (!this.hasFunction(t.v)) this.fail(`function ${JSON.stringify(t.v)} not defined`);
        return { kind: 'identifier', name: t.v };
      default:
        return this.fail(`unexpected ${describe(t)} in operand`);
    }
  }
}

function describe(t: Tok): string {
  switch (t.t) {
    case 'pipe': return '"|"';
    case 'rparen': return '")"';
    case 'lparen': return '"("';
    case 'comma': return '","';
    case 'declare': return '":="';
    case 'assign': return '"="';
    default: return `<${t.t}>`;
  }
}
