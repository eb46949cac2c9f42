import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EtwValue } from '../../../src/shared/domain/etw';
import { fixturesAvailable, real } from '../../helpers/fixtures';
import {
  agrees,
  parseBaseline,
  parseEtl2Xml,
  readAllEvents,
  type BaselineEvent,
  type OurEvent,
} from './reference';

/**
 * Baseline fields we deliberately do not reproduce byte for byte, and why. Each entry has its
 * own check so the test still proves what we do decode for that field.
 */
const KNOWN_DIFFERENCES: Record<
  string,
  Record<string, { why: string; check: (ours: EtwValue | undefined, theirs: string) => boolean }>
> = {
  'solar_system/PrimitiveTypesTest': {
    int64_type: {
      why: "the trace's own TraceLogging metadata declares in-type UINT64 (0x0A) for this field; TraceEvent prints it signed. Same 64 bits.",
      check: (ours, theirs) =>
        typeof ours === 'string' && BigInt.asIntN(64, BigInt(ours)) === BigInt(theirs.replace(/,/g, '')),
    },
    system_time_type: {
      why: 'TraceEvent renders every SYSTEMTIME with ".03" milliseconds; the wire has wMilliseconds (e.g. 799). We agree to the second.',
      check: (ours, theirs) => {
        const m = /^(\d\d)\/(\d\d)\/(\d\d) (\d\d:\d\d:\d\d)/.exec(theirs);
        return typeof ours === 'string' && !!m && ours.startsWith(`20${m[1]}-${m[2]}-${m[3]}T${m[4]}`);
      },
    },
  },
  'Microsoft-Windows-DotNETRuntime/GC/FinalizeObject': {
    TypeName: {
      why: 'not on the wire: TraceEvent joins it from type-load events (none in this trace, so it prints empty).',
      check: (ours, theirs) => ours === undefined && theirs === '',
    },
  },
  'Microsoft-Windows-DotNETRuntime/GC/PerHeapHistory': {
    ConcurrentCompactMechanisms: {
      why: 'not part of the version 3 layout this trace carries; TraceEvent prints an empty value.',
      check: (ours, theirs) => ours === undefined && theirs === '',
    },
    MemoryPressure: {
      why: 'not part of the version 3 layout this trace carries; TraceEvent prints an empty value.',
      check: (ours, theirs) => ours === undefined && theirs === '',
    },
  },
};

function matchBaseline(ours: OurEvent[], b: BaselineEvent): { event: OurEvent | null; mismatches: string[] } {
  const candidates = ours.filter(
    (e) =>
      e.name === b.name &&
      Math.abs(e.timeMs - b.timeMs) <= 0.0005 + 1e-9 &&
      String(e.pid) === b.header.PID &&
      String(e.tid) === b.header.TID &&
      String(e.cpu) === b.header.ProceNum &&
      String(e.dataLen) === b.header.DataLen!.replace(/,/g, ''),
  );
  let best: { event: OurEvent | null; mismatches: string[] } = {
    event: null,
    mismatches: ['no event with that name, time, pid, tid, cpu and length'],
  };
  for (const e of candidates) {
    const mismatches: string[] = [];
    for (const [k, v] of b.fields) {
      const known = KNOWN_DIFFERENCES[b.name]?.[k];
      const ok = known ? known.check(e.fields.get(k), v) : agrees(e.fields.get(k), v);
      if (!ok) mismatches.push(`${k}: ours ${JSON.stringify(e.fields.get(k))} vs baseline ${v}`);
    }
    if (!best.event || mismatches.length < best.mismatches.length) best = { event: e, mismatches };
  }
  return best;
}

function countsOf(events: OurEvent[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const e of events) m.set(e.name, (m.get(e.name) ?? 0) + 1);
  return m;
}

const EXTRA_ETL = join(__dirname, '..', '..', 'fixtures-extra', 'etl');

/**
 * Event types PerfView's baselines leave out although the trace has them, and why: TraceLog
 * (which the baselines were made with) turns these into its code-address tables and drops them
 * from the event stream. We name and decode them; they are only left out of the count check.
 */
const NOT_IN_BASELINE: Record<string, string> = {
  'Microsoft-Windows-DotNETRuntimeRundown/Method/DCStopVerbose': 'TraceLog bookkeeping (method addresses)',
};

const PERFVIEW_CASES = [
  ...(fixturesAvailable()
    ? ['primitive-types', 'gcevents'].map((n) => ({
        name: n,
        etl: real('etl', `${n}.etl`),
        baseline: real('etl', `${n}.baseline.txt`),
      }))
    : []),
  {
    name: 'gcrundownevents',
    etl: join(EXTRA_ETL, 'gcrundownevents.etl'),
    baseline: join(EXTRA_ETL, 'gcrundownevents.baseline.txt'),
  },
];

describe('ETL agreement with PerfView baselines', () => {
  for (const { name, etl, baseline: baselinePath } of PERFVIEW_CASES) {
    describe(`${name}.etl vs PerfView ${name}.baseline.txt`, () => {
      const ours = readAllEvents(etl);
      const baseline = parseBaseline(baselinePath);

      it('reads the trace without problems', () => {
        expect(ours.trace.problems.items).toEqual([]);
        expect(ours.trace.header).not.toBeNull();
      });

      it('has exactly the baseline event types and counts', () => {
        const counts = countsOf(ours.events);
        for (const k of Object.keys(NOT_IN_BASELINE)) counts.delete(k);
        expect(Object.fromEntries(counts)).toEqual(Object.fromEntries(baseline.counts));
      });

      it('agrees on every baseline event: time, pid, tid, cpu, length and each decoded field', () => {
        expect(baseline.events.length).toBeGreaterThan(0);
        const failures: string[] = [];
        for (const b of baseline.events) {
          const r = matchBaseline(ours.events, b);
          if (!r.event || r.mismatches.length)
            failures.push(`${b.timeMs} ${b.name}: ${r.mismatches.join('; ')}`);
        }
        expect(failures).toEqual([]);
      });

      it('decodes every event with a schema (none left raw)', () => {
        expect(ours.events.filter((e) => e.decodedBy === 'raw').map((e) => e.name)).toEqual([]);
      });
    });
  }
});

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('ETL agreement with other reference parsers', () => {
  describe('AMSITrace.etl vs etl-parser etl2xml', () => {
    const ours = readAllEvents(real('etl', 'AMSITrace.etl'));
    const xml = parseEtl2Xml(real('etl', 'AMSITrace.etl2xml.xml'));

    it('finds the same 19 TraceLogging AmsiScript events', () => {
      expect(xml).toHaveLength(19);
      const tl = ours.events.filter((e) => e.decodedBy === 'tracelogging');
      expect(tl).toHaveLength(19);
      expect(new Set(tl.map((e) => e.name))).toEqual(new Set(['AmsiTrace/AmsiScript']));
    });

    it('agrees on timestamp, pid, tid and every attribute of each event', () => {
      const byTs = new Map(ours.events.map((e) => [e.rawTimestamp, e]));
      for (const x of xml) {
        const e = byTs.get(x.timestamp);
        expect(e, `event at ${x.timestamp}`).toBeDefined();
        expect([e!.pid, e!.tid]).toEqual([x.pid, x.tid]);
        expect(e!.name.endsWith(`/${x.name}`)).toBe(true);
        for (const [k, v] of x.attributes) {
          const val = e!.fields.get(k);
          // etl2xml prints arrays as "[a, b, ...]".
          const text = Array.isArray(val) ? `[${val.join(', ')}]` : val;
          expect(text, `${x.timestamp} ${k}`).toBe(v);
        }
      }
    });

    it('has only the header besides the AMSI events', () => {
      expect(Object.fromEntries(countsOf(ours.events))).toEqual({
        'Windows Kernel/EventTrace': 1,
        'AmsiTrace/AmsiScript': 19,
      });
    });
  });

  describe('SelfDescribingSingleEvent.etl vs SelfDescribingSingleEvent.truth.md', () => {
    const ours = readAllEvents(real('etl', 'SelfDescribingSingleEvent.etl'));

    it('decompresses its XPRESS buffers without problems', () => {
      expect(ours.trace.buffers.filter((b) => b.compressed).length).toBe(2);
      expect(ours.trace.problems.items).toEqual([]);
    });

    it('decodes the MySource/TestEvent TraceLogging event with its struct field', () => {
      const ev = ours.events.filter((e) => e.name === 'MySource/TestEvent');
      expect(ev).toHaveLength(1);
      const [first] = [...ev[0]!.fields.entries()];
      expect(first![1]).toEqual({ b: 'Hello', c: 'World!' });
    });

    it('reads the trace header fields of the relogged file', () => {
      const h = ours.trace.header!;
      expect(h.pointerSize).toBe(8);
      expect(h.numberOfProcessors).toBe(12);
      expect(h.cpuSpeedMHz).toBe(3192);
      expect(h.perfFreq).toBe(10_000_000);
      expect(h.providerVersion).toBe(22000);
      expect(h.loggerName).toBe('Relogger');
      expect(h.startTime).toBe('2022-04-20T21:27:15.2722435Z');
    });
  });
});

describe('every event of the ETL fixtures has its PerfView name', () => {
  // PerfView's own parsing test lists this one as a known unknown: TraceEvent has no template
  // for opcode 37 of the SysConfig class either.
  const PERFVIEW_UNKNOWN = new Set(['Windows Kernel/SysConfig/Opcode(37)']);
  const files = [
    ...(fixturesAvailable()
      ? ['AMSITrace', 'SelfDescribingSingleEvent', 'gcevents', 'primitive-types'].map((n) =>
          real('etl', `${n}.etl`),
        )
      : []),
    join(EXTRA_ETL, 'gcrundownevents.etl'),
  ];
  for (const path of files) {
    it(path.split('/').pop()!, () => {
      const names = new Set(readAllEvents(path).events.map((e) => e.name));
      const unnamed = [...names].filter((n) => /\(/.test(n) && !PERFVIEW_UNKNOWN.has(n));
      expect(unnamed).toEqual([]);
    });
  }

  it('SelfDescribingSingleEvent.etl: the kernel logger and KernelTraceControl classes by their PerfView names', () => {
    if (!fixturesAvailable()) return;
    const names = new Set(
      readAllEvents(real('etl', 'SelfDescribingSingleEvent.etl')).events.map((e) => e.name),
    );
    expect([...names].sort()).toEqual([
      'KernelTraceControl/WinSat/Metrics',
      'KernelTraceControl/WinSat/SystemConfig',
      'KernelTraceControl/WinSat/WinSPR',
      'MySource/TestEvent',
      'Windows Kernel/EventTrace',
      'Windows Kernel/SysConfig/BuildInfo',
      'Windows Kernel/SysConfig/Opcode(37)',
      'Windows Kernel/SysConfig/SystemPaths',
      'Windows Kernel/SysConfig/UnknownVolume',
      'Windows Kernel/SysConfig/VolumeMapping',
    ]);
  });
});

describe('CLR rundown events are decoded with their own ids', () => {
  const ours = readAllEvents(join(EXTRA_ETL, 'gcrundownevents.etl'));
  it('decodes all 110 rundown events with their own layouts', () => {
    const rundown = ours.events.filter((e) => e.name.startsWith('Microsoft-Windows-DotNETRuntimeRundown/'));
    expect(rundown).toHaveLength(110);
    expect(rundown.filter((e) => e.decodedBy !== 'builtin').map((e) => e.name)).toEqual([]);
  });
  it('reads the method rundown TraceLog keeps for itself (80 Method/DCStopVerbose)', () => {
    const methods = ours.events.filter((e) => e.name.endsWith('/Method/DCStopVerbose'));
    expect(methods).toHaveLength(80);
    expect(methods[0]!.fields.get('MethodName')).toBe('InvokeStub_EventAttribute.set_Level');
    expect(methods.every((e) => e.fields.get('ClrInstanceID') === 8)).toBe(true);
  });
  it('event 10 is GC/SettingsRundown here (AllocationTick in the runtime provider)', () => {
    const gc = ours.events.find((e) => e.name.endsWith('/GC/SettingsRundown'));
    expect(gc?.fields.get('LOHThreshold')).toBe(85000);
  });
});
