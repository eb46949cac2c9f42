import type { IncidentCandidate } from '../../src/main/sources/group';

/** Grouping's whole result as text, one line per incident and per file, in the order returned. */
export function groupingDigest(candidates: readonly IncidentCandidate[]): string {
  const lines: string[] = [];
  for (const c of candidates) {
    lines.push(`${c.id} ${c.key} ${c.folder} ${c.source} ${c.kind} ${c.capturedAt} ${c.capturedMs}`);
    for (const f of c.files) lines.push(`  ${f.role} ${f.file.path} ${f.file.size} ${f.file.mtimeMs}`);
  }
  return `${lines.join('\n')}\n`;
}
