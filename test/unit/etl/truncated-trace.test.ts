import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUFFER_HEADER_SIZE } from '../../../src/main/formats/etl/constants';
import { EtlSession } from '../../../src/main/analysis/etw/session';
import { runCli } from '../../../src/main/cli/run';
import { fixturesAvailable, real } from '../../helpers/fixtures';

/**
 * Real traces cut at every buffer boundary (a copy interrupted between two 64 KiB writes leaves
 * a file that parses cleanly): the header's buffer count gives the cut away, and the summary
 * and `etw` say the trace is incomplete.
 */
const EXTRA = join(__dirname, '..', '..', 'fixtures-extra', 'etl');
const traces = [
  join(EXTRA, 'gcrundownevents.etl'),
  ...(fixturesAvailable()
    ? ['AMSITrace', 'gcevents', 'primitive-types'].map((n) => real('etl', `${n}.etl`))
    : []),
];
const dir = mkdtempSync(join(tmpdir(), 'ctd-etl-cut-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function summaryOf(path: string) {
  const s = EtlSession.open(path);
  try {
    return s.summary;
  } finally {
    s.close();
  }
}

async function etwExit(path: string): Promise<number> {
  return runCli(['etw', path, '--json'], { out: () => {}, err: () => {}, env: {}, cwd: dir });
}

describe('ETL cut at a buffer boundary', () => {
  for (const path of traces) {
    const name = path.split('/').pop()!;
    it(`${name}: complete as is, incomplete at every earlier buffer boundary`, async () => {
      const whole = summaryOf(path);
      expect(whole.incomplete).toBe(false);
      expect(await etwExit(path)).toBe(0);
      const bytes = readFileSync(path);
      const size = whole.header?.bufferSize ?? 0;
      expect(size).toBeGreaterThan(BUFFER_HEADER_SIZE);
      for (let n = 1; n * size < bytes.length; n++) {
        const cut = join(dir, `${n}-${name}`);
        writeFileSync(cut, bytes.subarray(0, n * size));
        const s = summaryOf(cut);
        expect(s.incomplete, `${name} cut after ${n} buffers`).toBe(true);
        expect(s.missing[0]).toMatch(
          /^missing_buffers: the trace header says \d+ buffers were written; the file holds \d+/,
        );
        expect(s.facts[1]).toMatch(/^Incomplete trace: /);
        expect(s.events).toBeLessThan(whole.events);
        expect(await etwExit(cut)).toBe(1);
      }
    });
  }

  it('exits 2 when nothing of the trace is readable', async () => {
    const bytes = readFileSync(traces[0]!);
    const cut = join(dir, 'header-only.etl');
    writeFileSync(cut, bytes.subarray(0, BUFFER_HEADER_SIZE + 8));
    expect(await etwExit(cut)).toBe(2);
  });
});
