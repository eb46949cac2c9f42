// Preload for bench:cli (`node -r ./bench/support/count-zod.cjs …`): counts the zod schemas (and
// checks) a run builds. zod 4 gives every schema and check instance a `_zod` property through
// Object.defineProperty; counting those calls counts instances. Printed to stderr at exit.
'use strict';
let built = 0;
const define = Object.defineProperty;
Object.defineProperty = function (o, k, d) {
  if (k === '_zod') built++;
  return define.call(this, o, k, d);
};
process.on('exit', () => process.stderr.write(`\nzod-instances-built ${built}\n`));
