import { withFileSource } from '../../formats/common/byte-source';
import { readMinidump } from '../../formats/minidump/reader';
import type { ArtifactAnalyzer, AnalyzerOutput } from '../artifact-analyzer';
import { explainCrash, EXCEPTION_NAMES } from './explain';

function basename(p: string): string {
  return p.slice(Math.max(p.lastIndexOf('\\'), p.lastIndexOf('/')) + 1);
}

/** Turns a .dmp into the incident verdict; the signature is a provisional bucket until stack-based culprits exist. */
export const minidumpAnalyzer: ArtifactAnalyzer = {
  name: 'minidump',
  roles: ['dump'],
  analyze(path: string): AnalyzerOutput {
    const md = withFileSource(path, (src) => readMinidump(src));
    const crash = explainCrash(md);
    const moduleNames = md.modules.map((m) => basename(m.name));
    if (!crash) {
      return {
        kind: 'manual',
        priority: 10,
        searchText: moduleNames.join(' '),
        facts: { problems: md.problems },
      };
    }
    const where = crash.faultingModule
      ? `${crash.faultingModule.name}+0x${crash.faultingModule.offset.toString(16)}`
      : crash.location;
    const av = crash.reason.startsWith('EXCEPTION_ACCESS_VIOLATION_');
    const title = av
      ? `EXCEPTION_ACCESS_VIOLATION ${crash.reason.endsWith('WRITE') ? 'writing' : crash.reason.endsWith('EXEC') ? 'executing' : 'reading'} 0x${crash.crashAddress.toString(16)} in ${where}`
      : `${crash.reason} in ${where}`;
    const offset = crash.faultingModule ? Number(crash.faultingModule.offset) : null;
    return {
      kind: 'crash',
      priority: 50,
      verdict: {
        title,
        exceptionCode: crash.code,
        exceptionName: EXCEPTION_NAMES[crash.code] ?? null,
        faultingModule: crash.faultingModule?.name ?? null,
        faultingOffset: offset,
        signature: `${crash.reason}|${crash.faultingModule?.name.toLowerCase() ?? crash.location}|${offset === null ? '' : `0x${offset.toString(16)}`}`,
        suspects: [],
        game: null,
        analyzer: 'minidump',
      },
      searchText: [crash.reason, title, ...moduleNames].join(' '),
      modules: crash.faultingModule ? [{ name: crash.faultingModule.name, role: 'faulting', hits: 1 }] : [],
      facts: {
        threadId: crash.threadId,
        threadIndex: crash.threadIndex,
        location: crash.location,
        problems: md.problems,
      },
    };
  },
};
