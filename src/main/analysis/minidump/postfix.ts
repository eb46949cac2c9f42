/**
 * Evaluator for Breakpad's postfix unwind programs (STACK WIN program strings and STACK CFI
 * rules). Tokens are decimal literals (an optional leading '-'), `$register`s and `.pseudo`
 * variables, and the operators + - * / % @ (align down) ^ (dereference) = (assign). The rules
 * follow minidump_stackwalk's so both walkers take the same path through the same program:
 * literals before names, unknown names and leftover stack values fail the program, only `$`
 * names can be assigned, and an `=` glued to the next token (`=$eip`, as MSVC 2010 wrote in LTO
 * builds) is an assignment followed by that token.
 * `^` reads through `deref`, which returns undefined for memory the dump did not capture.
 */
export type Deref = (addr: bigint) => bigint | undefined;

type Item = bigint | string;

/** A decimal literal as the register-sized unsigned value, or undefined when `t` is a name. */
function literal(t: string, mask: bigint): bigint | undefined {
  if (!/^-?[0-9]+$/.test(t)) return undefined;
  const neg = t.startsWith('-');
  const v = BigInt(neg ? t.slice(1) : t);
  // A literal wider than the register size is not a number to Breakpad either: it is a name.
  if (v > mask) return undefined;
  return neg ? -v & mask : v;
}

function resolve(t: Item | undefined, vars: Map<string, bigint>, mask: bigint): bigint | undefined {
  if (t === undefined || typeof t === 'bigint') return t;
  return literal(t, mask) ?? vars.get(t);
}

/** What is left on the stack after a program ran, or undefined when it failed. */
function run(
  program: string,
  vars: Map<string, bigint>,
  deref: Deref,
  mask: bigint,
  assigned?: Set<string>,
): Item[] | undefined {
  const stack: Item[] = [];
  const value = (t: Item | undefined): bigint | undefined => resolve(t, vars, mask);
  const step = (tok: string): boolean => {
    if (tok.length === 1 && '+-*/%@'.includes(tok)) {
      const b = value(stack.pop());
      const a = value(stack.pop());
      if (a === undefined || b === undefined) return false;
      let r: bigint;
      if (tok === '+') r = a + b;
      else if (tok === '-') r = a - b;
      else if (tok === '*') r = a * b;
      else if (tok === '@') r = a & (mask ^ ((b - 1n) & mask));
      else if (b === 0n) return false;
      else r = tok === '/' ? a / b : a % b;
      stack.push(r & mask);
    } else if (tok === '^') {
      const a = value(stack.pop());
      const v = a === undefined ? undefined : deref(a);
      if (v === undefined) return false;
      stack.push(v);
    } else if (tok === '=') {
      const v = value(stack.pop());
      const name = stack.pop();
      if (v === undefined || typeof name !== 'string' || literal(name, mask) !== undefined) return false;
      if (!name.startsWith('$')) return false;
      vars.set(name, v);
      assigned?.add(name);
    } else stack.push(tok);
    return stack.length <= 256;
  };
  for (const tok of program.split(/\s+/)) {
    if (tok === '') continue;
    if (tok.length > 1 && tok.startsWith('=')) {
      if (!step('=') || !step(tok.slice(1))) return undefined;
    } else if (!step(tok)) return undefined;
  }
  return stack;
}

/**
 * Runs a program for its assignments (into `vars`, which keeps what was assigned even when a
 * later token fails, as Breakpad's dictionary does). True when it ran to the end with nothing
 * left on the stack.
 */
export function evalProgram(
  program: string,
  vars: Map<string, bigint>,
  deref: Deref,
  mask: bigint,
  assigned?: Set<string>,
): boolean {
  return run(program, vars, deref, mask, assigned)?.length === 0;
}

/** Evaluates one postfix expression (a CFI rule's right-hand side) to exactly one value. */
export function evalExpr(
  expr: string,
  vars: Map<string, bigint>,
  deref: Deref,
  mask: bigint,
): bigint | undefined {
  const scratch = new Map(vars);
  const rest = run(expr, scratch, deref, mask);
  return rest?.length === 1 ? resolve(rest[0], scratch, mask) : undefined;
}

/**
 * Splits "`.cfa: $rsp 8 + .ra: .cfa -8 + ^`" into { '.cfa': '$rsp 8 +', '.ra': '.cfa -8 + ^' }.
 * False when a rule has no name or no expression (Breakpad then ignores the whole record; the
 * rules before the bad one are kept, as its parser reports them as it goes).
 */
export function parseCfiRules(rules: string, into: Map<string, string>): boolean {
  let name: string | undefined;
  let expr: string[] = [];
  const report = (): boolean => {
    if (name === undefined || expr.length === 0) return false;
    into.set(name, expr.join(' '));
    return true;
  };
  for (const tok of rules.split(/\s+/)) {
    if (tok === '') continue;
    if (tok.endsWith(':')) {
      if (tok.length < 2) return false;
      if ((name !== undefined || expr.length > 0) && !report()) return false;
      name = tok.slice(0, -1);
      expr = [];
    } else expr.push(tok);
  }
  return report();
}
