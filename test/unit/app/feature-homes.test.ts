import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WorkbenchContext } from '../../../src/main/context';

/**
 * One home per feature: src/shared/contract/<feature>.ts holds the feature's channels and
 * events, src/main/features/<feature>/handlers.ts answers exactly those channels, and a channel
 * prefix (`<prefix>:verb`) belongs to one contract file only.
 */
const root = join(__dirname, '../../..');
const contractDir = join(root, 'src/shared/contract');
/** Contract plumbing, not features. */
const PLUMBING = new Set(['define', 'index', 'ipc-names', 'wire']);

type Table = Record<string, unknown>;
interface Feature {
  name: string;
  channels: string[];
  events: string[];
}

async function contractFeatures(): Promise<Feature[]> {
  const out: Feature[] = [];
  for (const file of readdirSync(contractDir).sort()) {
    const name = file.replace(/\.ts$/, '');
    if (PLUMBING.has(name)) continue;
    const mod = (await import(join(contractDir, file))) as Record<string, unknown>;
    const pick = (suffix: string) =>
      Object.entries(mod)
        .filter(([k]) => k.endsWith(suffix))
        .flatMap(([, v]) => Object.keys(v as Table));
    out.push({ name, channels: pick('Channels'), events: pick('Events') });
  }
  return out;
}

// Factories must not touch the context while building their table; a proxy stands in for it.
const deep: unknown = new Proxy(function () {}, { get: () => deep, apply: () => deep });
const stubCtx = deep as WorkbenchContext;

describe('feature homes', () => {
  it('gives every channel and event prefix exactly one contract file', async () => {
    const owner = new Map<string, string>();
    for (const f of await contractFeatures()) {
      for (const name of [...f.channels, ...f.events]) {
        const prefix = name.split(':')[0]!;
        const had = owner.get(prefix);
        expect(had ?? f.name, `prefix "${prefix}" is in contract/${had}.ts and contract/${f.name}.ts`).toBe(
          f.name,
        );
        owner.set(prefix, f.name);
      }
    }
  });

  it('answers each contract file from src/main/features/<file>/handlers.ts, and nothing else there', async () => {
    for (const f of await contractFeatures()) {
      if (f.channels.length === 0) continue;
      const path = join(root, 'src/main/features', f.name, 'handlers.ts');
      expect(existsSync(path), `${f.name}: no src/main/features/${f.name}/handlers.ts`).toBe(true);
      const mod = (await import(path)) as Record<string, unknown>;
      // `incidents` exports incidentHandlers, as its contract table is incidentChannels.
      const factory = mod[`${f.name}Handlers`] ?? mod[`${f.name.replace(/s$/, '')}Handlers`];
      expect(typeof factory, `${f.name}: exports ${f.name}Handlers`).toBe('function');
      const table = (factory as (ctx: WorkbenchContext) => Table)(stubCtx);
      expect(Object.keys(table).sort(), f.name).toEqual([...f.channels].sort());
    }
  });
});
