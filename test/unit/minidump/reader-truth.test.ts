import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withFileSource } from '../../../src/main/formats/common/byte-source';
import { readMinidump } from '../../../src/main/formats/minidump/reader';
import { explainCrash } from '../../../src/main/analysis/minidump/explain';
import { fixturesAvailable, real } from '../../helpers/fixtures';

interface Truth {
  dump_file: string;
  os?: string;
  cpu?: string;
  exception_code?: string;
  exception_thread_id?: string;
  thread_count?: number;
  module_count?: number;
  os_version?: string;
  cpu_info?: string;
  cpu_count?: number;
  thread_names?: Record<string, string>;
  streams?: string[];
  faulting_module?: string;
  faulting_module_offset?: string;
}

const hex = (n: number | bigint): string => `0x${n.toString(16)}`;

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('minidump reader vs *.truth.json', () => {
  const dir = fixturesAvailable() ? real('minidumps') : '';
  const truths = fixturesAvailable() ? readdirSync(dir).filter((f) => f.endsWith('.truth.json')) : [];
  for (const f of truths) {
    it(f, () => {
      const t = JSON.parse(readFileSync(real('minidumps', f), 'utf8')) as Truth;
      const md = withFileSource(real('minidumps', t.dump_file), (src) => readMinidump(src));
      if (t.os !== undefined) expect(md.system?.os).toBe(t.os);
      if (t.cpu !== undefined) expect(md.system?.cpu).toBe(t.cpu);
      if (t.exception_code !== undefined) expect(hex(md.exception?.code ?? 0)).toBe(t.exception_code);
      if (t.exception_thread_id !== undefined)
        expect(hex(md.exception?.threadId ?? 0)).toBe(t.exception_thread_id);
      if (t.thread_count !== undefined) expect(md.threads.length).toBe(t.thread_count);
      if (t.module_count !== undefined) expect(md.modules.length).toBe(t.module_count);
      if (t.os_version !== undefined) expect(md.system?.osVersionFull).toBe(t.os_version);
      if (t.cpu_info !== undefined) expect(md.system?.cpuInfo).toBe(t.cpu_info);
      if (t.cpu_count !== undefined) expect(md.system?.cpuCount).toBe(t.cpu_count);
      if (t.streams !== undefined) expect(md.streams.map((s) => s.name)).toEqual(t.streams);
      for (const [id, name] of Object.entries(t.thread_names ?? {}))
        expect(md.threads.find((th) => hex(th.id) === id)?.name).toBe(name);
      expect(md.problems).toEqual([]);
      const ex = explainCrash(md);
      if (t.faulting_module !== undefined) expect(ex?.faultingModule?.name).toBe(t.faulting_module);
      if (t.faulting_module_offset !== undefined)
        expect(hex(ex?.faultingModule?.offset ?? -1n)).toBe(t.faulting_module_offset);
      // Every thread with a context gets named registers for its architecture.
      for (const th of md.threads) if (th.contextSize > 0) expect(th.context?.arch).toBe(md.system?.cpu);
    });
  }
});

// Skipped only where the real fixtures are absent; CI requires them (CTD_REQUIRE_FIXTURES=1).
describe.skipIf(!fixturesAvailable())('crash explanation vs *.truth.json', () => {
  const dir = fixturesAvailable() ? real('minidumps') : '';
  const truths = fixturesAvailable() ? readdirSync(dir).filter((f) => f.endsWith('.truth.json')) : [];
  for (const f of truths) {
    it(f, () => {
      const t = JSON.parse(readFileSync(real('minidumps', f), 'utf8')) as Truth & {
        crash_reason?: string;
        crash_address?: string;
        crashing_thread_index?: number;
      };
      const md = withFileSource(real('minidumps', t.dump_file), (src) => readMinidump(src));
      const ex = explainCrash(md);
      if (t.crash_reason === undefined) return;
      expect(ex?.reason).toBe(t.crash_reason);
      if (t.crash_address !== undefined && t.crash_reason.startsWith('EXCEPTION_ACCESS'))
        expect(hex(ex?.crashAddress ?? -1n)).toBe(t.crash_address);
      if (t.crashing_thread_index !== undefined) expect(ex?.threadIndex).toBe(t.crashing_thread_index);
    });
  }
});
