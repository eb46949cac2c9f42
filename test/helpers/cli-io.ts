import type { CliIo } from '../../src/main/cli/types';

/** A CliIo that records what a command printed, for CLI tests run in-process. */
export function captureIo(): CliIo & { outText: string; errText: string } {
  const o = {
    outText: '',
    errText: '',
    env: {},
    cwd: process.cwd(),
    out(t: string) {
      o.outText += t;
    },
    err(t: string) {
      o.errText += t;
    },
  };
  return o;
}
