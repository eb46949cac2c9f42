import type { Finding } from '../../shared/domain/finding';

/** Findings as plain text for `show` and `analyze` (most severe first, as stored). */
export function formatFindings(findings: readonly Finding[], indent = ''): string[] {
  if (findings.length === 0) return [`${indent}findings: none (no known-issue rule matched)`];
  const lines = [`${indent}findings:`];
  for (const f of findings) {
    lines.push(`${indent}  [${f.severity}] ${f.title} (${f.id})`);
    for (const e of f.evidence.slice(0, 4)) lines.push(`${indent}      · ${e}`);
    lines.push(`${indent}      fix: ${f.fix}`);
    if (f.link) lines.push(`${indent}      see: ${f.link}`);
  }
  return lines;
}
