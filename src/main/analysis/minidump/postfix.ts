/**
 * Evaluator for Breakpad's postfix unwind programs (STACK WIN program strings and STACK CFI
 * rules): tokens are numbers, $registers, .pseudo variables and the operators + - * / % @ ^ =.
 * `^` dereferences through `deref`, which returns undefined for memory the dump did not capture.
 */
export type Deref = (addr: bigint) => bigint | undefined;

export function evalProgram(program: string, vars: Map<string, bigint>, deref: Deref, mask: bigint): boolean {
  const stack: (bigint | string)[] = [];
  const val = (t: bigint | string | undefined): bigint | undefined => {
    if (t === undefined) return undefined;
    if (typeof t === 'bigint') return t;
    const v = vars.get(t);
    if (v !== undefined) return v;
    if (/^-?[0-9]+$/.test(t)) return BigInt(t) & mask;
    if (/^0x[0-9a-f]+$/i.test(t)) return BigInt(t) & mask;
    return undefined;
  };
  for (const tok of program.split(/\s+/)) {
    if (tok === '') continue;
    if (tok === '=') {
      const v = val(stack.pop());
      const name = stack.pop();
      if (v === undefined || typeof name !== 'string') return false;
      vars.set(name, v);
    } else if (tok === '^') {
      const a = val(stack.pop());
      if (a === undefined) return false;
      const v = deref(a);
      if (v === undefined) return false;
      stack.push(v);
    } else if (tok.length === 1 && '+-*/%@'.includes(tok)) {
      const b = val(stack.pop());
      const a = val(stack.pop());
      if (a === undefined || b === undefined) return false;
      let r: bigint;
      if (tok === '+') r = a + b;
      else if (tok === '-') r = a - b;
      else if (tok === '*') r = a * b;
      else if (b === 0n) return false;
      else if (tok === '/') r = a / b;
      else if (tok === '%') r = a % b;
      else r = a & ~(b - 1n);
      stack.push(r & mask);
    } else stack.push(tok);
    if (stack.length > 64) return false;
  }
  return true;
}

/** Evaluates one postfix expression (a CFI rule's right-hand side) to a value. */
export function evalExpr(
  expr: string,
  vars: Map<string, bigint>,
  deref: Deref,
  mask: bigint,
): bigint | undefined {
  const tmp = new Map(vars);
  if (!evalProgram(`$__r ${expr} =`, tmp, deref, mask)) return undefined;
  return tmp.get('$__r');
}

/** Splits "`.cfa: $rsp 8 + .ra: .cfa -8 + ^`" into { '.cfa': '$rsp 8 +', '.ra': '.cfa -8 + ^' }. */
export function parseCfiRules(rules: string, into: Map<string, string>): void {
  let name: string | undefined;
  let expr: string[] = [];
  for (const tok of rules.split(/\s+/)) {
    if (tok.endsWith(':') && tok.length > 1) {
      if (name !== undefined) into.set(name, expr.join(' '));
      name = tok.slice(0, -1);
      expr = [];
    } else if (tok !== '') expr.push(tok);
  }
  if (name !== undefined) into.set(name, expr.join(' '));
}
