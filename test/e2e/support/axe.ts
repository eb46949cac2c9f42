import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const axeSource = readFileSync(createRequire(__filename).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; summary: string }[];
}

/** Critical + serious violations are what the target counts (0 of each). */
export const BLOCKING = new Set(['critical', 'serious']);

/**
 * Runs axe-core (npm, the same engine as the browser extensions) over the page as it is now and
 * returns its violations. The script is injected as text; the context needs `bypassCSP` because
 * the app's CSP allows no inline script.
 */
export async function axe(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate('typeof window.axe !== "undefined"');
  if (!loaded) await page.addScriptTag({ content: axeSource });
  // A string, like the other page-side code of these specs: this file has no DOM typings.
  return (await page.evaluate(`(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String), summary: n.failureSummary || '' })),
    }));
  })()`)) as AxeViolation[];
}

/** Impact → node count, e.g. { critical: 17, serious: 3 }. */
export function countByImpact(violations: AxeViolation[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of violations) out[v.impact ?? 'unknown'] = (out[v.impact ?? 'unknown'] ?? 0) + v.nodes.length;
  return out;
}
