// `npm run bench:hang`: time to parse + analyse synthetic WCT files of 1,000 / 10,000 / 100,000
// threads (SkyrimDiag's shape; no real file of that size exists), with a 1,000-thread deadlock
// ring and a blocked chain per thread. Prints median ms over runs and the heap used.
import { analyzeHang } from '../src/main/analysis/hang/analyze-hang';
import { parseWct } from '../src/main/formats/wct/parse-wct';

function threadNode(tid: number, wait: number): Record<string, unknown> {
  return {
    objectType: 8,
    objectStatus: 3,
    thread: { processId: 1, threadId: tid, waitTime: wait, contextSwitches: 1 },
  };
}

function doc(n: number): string {
  const ring = Math.min(1000, n);
  const threads = [];
  for (let i = 0; i < n; i++) {
    const tid = 1000 + i;
    const owner = i < ring ? 1000 + ((i + 1) % ring) : 1000 + (i % ring);
    threads.push({
      tid,
      isCycle: i < ring,
      nodes: [
        threadNode(tid, 5000 + (i % 97)),
        { objectType: 1, objectStatus: 6, objectName: '' },
        threadNode(owner, 5000),
      ],
    });
  }
  return JSON.stringify({ pid: 1, threads, capture: { kind: 'hang' } });
}

for (const n of [1_000, 10_000, 100_000]) {
  const text = doc(n);
  const times: number[] = [];
  let verdict = '';
  const runs = n >= 100_000 ? 3 : 7;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const hang = analyzeHang(parseWct(text), {});
    times.push(performance.now() - t0);
    verdict = hang.verdict;
  }
  times.sort((a, b) => a - b);
  const heap = process.memoryUsage().heapUsed / 1024 / 1024;
  console.log(
    `${String(n).padStart(7)} threads, ${(text.length / 1024 / 1024).toFixed(1)} MB JSON: median ${times[Math.floor(times.length / 2)]!.toFixed(1)} ms, heap ${heap.toFixed(0)} MB (${verdict.slice(0, 60)}…)`,
  );
}
