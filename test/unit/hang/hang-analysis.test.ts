import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWct } from '../../../src/main/formats/wct/parse-wct';
import { ParseError } from '../../../src/main/formats/common/parse-error';
import { analyzeHang } from '../../../src/main/analysis/hang/analyze-hang';
import { analyzeWctFile, WCT_PRIORITY } from '../../../src/main/analysis/hang/wct-analyzer';
import { analyzers } from '../../../src/main/analysis/analyzers';
import { deadlockDoc, objNode, threadNode } from './wct-fixtures';

// All WCT inputs here are synthetic (see wct-fixtures.ts): no real WCT file may be used.
const parse = (o: unknown): ReturnType<typeof parseWct> => parseWct(JSON.stringify(o));

describe('WCT parser', () => {
  it('reads the SkyrimDiag shape: threads, both passes, capture block', () => {
    const doc = parse(deadlockDoc());
    expect(doc.producer).toBe('skyrimdiag');
    expect(doc.pid).toBe(4242);
    expect(doc.threads).toHaveLength(4);
    expect(doc.passes.map((p) => p.longestWaitMs)).toEqual([9400, 9415]);
    expect(doc.passes[0]?.cycleThreadIds).toEqual([5120, 6312]);
    expect(doc.capture).toMatchObject({ kind: 'hang', thresholdSec: 10, dumpTransport: 'live_process' });
    expect(doc.cycleConsensus).toBe(true);
    expect(doc.problems).toEqual([]);
  });

  it('reads the capture_failed form', () => {
    const doc = parse({ pid: 1, error: 'capture_failed', capture: { kind: 'manual' } });
    expect(doc.captureFailed).toBe(true);
    const hang = analyzeHang(doc);
    expect(hang.verdict).toMatch(/capture failed/);
    expect(hang.signature).toBe('hang|wct-capture-failed');
  });

  it('tolerates missing fields and junk entries, noting problems', () => {
    const doc = parse({
      threads: [
        { tid: 5 },
        '…',
        { nodes: [] },
        { tid: 6, nodes: [{ objectStatus: 3 }, 7, threadNode(6, 10)] },
      ],
    });
    expect(doc.pid).toBeNull();
    expect(doc.threads.map((t) => t.tid)).toEqual([5, 6]);
    expect(doc.threads[1]?.nodes).toHaveLength(1);
    expect(doc.problems.length).toBeGreaterThan(0);
    expect(() => analyzeHang(doc)).not.toThrow();
  });

  it('takes threads from the first usable pass when the top-level list is absent', () => {
    const d = deadlockDoc();
    delete d.threads;
    expect(parse(d).threads).toHaveLength(4);
  });

  it('throws ParseError (only) for non-JSON or non-object text', () => {
    expect(() => parseWct('{"pid": 1,', 'x.json')).toThrow(ParseError);
    expect(() => parseWct('[1,2]', 'x.json')).toThrow(ParseError);
    expect(() => parseWct('', 'x.json')).toThrow(ParseError);
  });

  it('reads our own producer block and main_tid', () => {
    const d = { ...deadlockDoc(), producer: { name: 'ctd-workbench', version: '0.1.0' }, main_tid: 7100 };
    const doc = parse(d);
    expect(doc.producer).toBe('ctd-workbench');
    expect(analyzeHang(doc).mainThreadSource).toBe('capture');
  });
});

describe('hang analysis', () => {
  it('finds the deadlock, puts the main thread first and says why in one sentence', () => {
    const hang = analyzeHang(parse(deadlockDoc()));
    expect(hang.mainThreadId).toBe(5120);
    expect(hang.mainThreadSource).toBe('longest-wait');
    expect(hang.cycles).toEqual([
      { tids: [5120, 6312], objects: ['critical section', 'critical section'], incomplete: false },
    ]);
    expect(hang.threads.map((t) => t.tid)).toEqual([5120, 6312, 7000, 7100]);
    expect(hang.threads[0]).toMatchObject({ isMain: true, inCycle: true, waitMs: 9400 });
    expect(hang.verdict).toBe(
      'Main thread 5120 (waiting 9.4 s) waits on a critical section owned by thread 6312, which waits on a critical section owned by main thread 5120: deadlock',
    );
    expect(hang.signature).toBe('hang|main:critical_section>critical_section|deadlock:critical_section:main');
    const t7000 = hang.threads.find((t) => t.tid === 7000);
    expect(t7000?.chain[0]).toMatchObject({ kind: 'object', typeName: 'mutex', name: 'Global\\SaveLock' });
    expect(t7000?.chain[1]).toMatchObject({ kind: 'thread', tid: 5120, known: true });
  });

  it('uses the given (black box) main thread and names chains through other threads', () => {
    const hang = analyzeHang(parse(deadlockDoc()), { mainThreadId: 7000 });
    expect(hang.threads[0]?.tid).toBe(7000);
    expect(hang.verdict).toMatch(
      /^Main thread 7000 \(waiting 500 ms\) waits on a mutex "Global\\SaveLock" owned by thread 5120, which waits on a critical section owned by thread 6312, which waits on a critical section owned by thread 5120: deadlock/,
    );
  });

  it('signature does not depend on thread ids', () => {
    const a = analyzeHang(parse(deadlockDoc()));
    const shifted = JSON.parse(
      JSON.stringify(deadlockDoc()).replaceAll('5120', '1111').replaceAll('6312', '2222'),
    ) as unknown;
    expect(analyzeHang(parse(shifted)).signature).toBe(a.signature);
  });

  it('keeps a WCT-flagged cycle that references threads not in the capture', () => {
    const doc = parse({
      pid: 9,
      threads: [
        { tid: 1, isCycle: true, nodes: [threadNode(1, 50, 3, 9), objNode(3), threadNode(777, 40, 3, 9)] },
      ],
    });
    const hang = analyzeHang(doc);
    expect(hang.cycles).toEqual([{ tids: [1], objects: ['mutex'], incomplete: true }]);
    expect(hang.verdict).toMatch(/owned by thread 777 \(not in the capture\)/);
    expect(hang.problems.join()).toMatch(/do not close/);
  });

  it('describes unowned objects, foreign processes and a running main thread', () => {
    const notOwned = analyzeHang(
      parse({
        pid: 9,
        threads: [{ tid: 1, isCycle: false, nodes: [threadNode(1, 5, 3, 9), objNode(3, 7)] }],
      }),
    );
    expect(notOwned.verdict).toMatch(/waits on a mutex that no thread owns/);
    const foreign = analyzeHang(
      parse({
        pid: 9,
        threads: [
          { tid: 1, isCycle: false, nodes: [threadNode(1, 5, 3, 9), objNode(2), threadNode(50, 1, 2, 33)] },
        ],
      }),
    );
    expect(foreign.verdict).toMatch(/SendMessage call owned by thread 50 of process 33, which is running/);
    const running = analyzeHang(
      parse({ pid: 9, main_tid: 2, threads: [{ tid: 2, isCycle: false, nodes: [threadNode(2, 0, 2, 9)] }] }),
    );
    expect(running.verdict).toBe('Main thread 2 is not blocked on a lock (running)');
    expect(running.signature).toBe('hang|main:not-blocked|no-deadlock');
  });

  it('handles 10,000 threads with a 5,000-long cycle without recursion', () => {
    // Synthetic scale case: no real process has this many threads in a cycle.
    const threads = [];
    for (let i = 0; i < 10_000; i++) {
      const owner = i < 5000 ? (i + 1) % 5000 : i - 1;
      threads.push({
        tid: i + 1,
        isCycle: i < 5000,
        nodes: [threadNode(i + 1, 10_000 - i), objNode(1), threadNode(owner + 1, 1)],
      });
    }
    const hang = analyzeHang(parse({ pid: 4242, threads }));
    expect(hang.threads).toHaveLength(10_000);
    expect(hang.cycles).toHaveLength(1);
    expect(hang.cycles[0]?.tids).toHaveLength(5000);
    expect(hang.mainThreadId).toBe(1);
    expect(hang.verdict).toMatch(/…$/);
  });
});

describe('wct ArtifactAnalyzer', () => {
  it('is registered for role wct and outranks a dump verdict; main thread from the black box; manual kind', () => {
    expect(analyzers.some((a) => a.roles.includes('wct'))).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'wct-'));
    const wct = join(dir, 'SkyrimDiag_WCT_Manual_20260315_130000_001.json');
    writeFileSync(wct, JSON.stringify({ ...deadlockDoc(), capture: { kind: 'manual' } }));
    writeFileSync(
      join(dir, 'SkyrimDiag_Manual_20260315_130000_001_SkyrimDiagBlackbox.jsonl'),
      '{"i":0,"t_ms":0.0,"tid":7000,"type":1,"type_name":"SessionStart","a":4242,"b":0,"c":0,"d":0}\n',
    );
    const out = analyzeWctFile(wct);
    rmSync(dir, { recursive: true, force: true });
    expect(out.kind).toBe('manual');
    expect(out.priority).toBe(WCT_PRIORITY);
    expect(out.priority).toBeGreaterThan(50);
    expect(out.verdict?.title).toMatch(/^Main thread 7000/);
    expect(out.verdict?.analyzer).toBe('wct');
    expect(out.searchText).toMatch(/deadlock/);
  });
});
