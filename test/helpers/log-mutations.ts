/** Seeded PRNG and the corruptions the crash-log fuzz test and bench:logs apply to real logs. */

export { mulberry32 as rng } from './prng';

export function mutateLog(src: Buffer, rnd: () => number): Buffer {
  const pick = (n: number) => Math.floor(rnd() * n);
  const b = Buffer.from(src);
  switch (pick(6)) {
    case 0:
      return b.subarray(0, pick(b.length));
    case 1: {
      for (let i = 0; i < 1 + pick(64); i++) b[pick(b.length)] = pick(256);
      return b;
    }
    case 2: {
      const lines = src.toString('latin1').split('\n');
      for (let i = 0; i < 1 + pick(20); i++) {
        const x = pick(lines.length);
        const y = pick(lines.length);
        [lines[x], lines[y]] = [lines[y] ?? '', lines[x] ?? ''];
      }
      return Buffer.from(lines.join('\n'), 'latin1');
    }
    case 3: {
      const lines = src.toString('latin1').split('\n');
      const at = pick(lines.length);
      lines.splice(at, pick(200));
      if (pick(2)) lines.splice(pick(lines.length), 0, ...lines.slice(at, at + pick(50)));
      return Buffer.from(lines.join('\n'), 'latin1');
    }
    case 4: {
      for (let i = 0; i < 1 + pick(8); i++) b.fill(pick(2) ? 0 : 0xff, pick(b.length), pick(b.length));
      return b;
    }
    default: {
      // Remove every brace or every section colon: the block structure itself is damaged.
      const t = src.toString('latin1');
      return Buffer.from(pick(2) ? t.replace(/[{}]/g, '') : t.replace(/:\r?\n/g, '\n'), 'latin1');
    }
  }
}
