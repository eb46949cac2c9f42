import { closeSync, openSync, writeSync } from 'node:fs';
import { mulberry32 } from './prng';

/**
 * SYNTHETIC Papyrus.0.log generator. No real Papyrus log may be redistributed (the public
 * ones we found carry no licence, see fixtures PROVENANCE.md), so the Papyrus-specific format
 * and the 1 GB scale come from here. The shape follows the game's log: `[MM/DD/YYYY -
 * HH:MM:SSAM]` lines, `error:` / `warning:` entries followed by a `stack:` line and tab-indented
 * frames naming an alias/quest/form id, script, function, source file and line, VM state
 * lines, stack dumps, and load-order noise. Deterministic for a seed.
 */
export interface PapyrusGenOptions {
  seed?: number;
  /** First timestamp, wall clock as UTC ms. */
  startMs?: number;
  /** Scripts to draw names from: distinct patterns grow with it. */
  scripts?: number;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const hex8 = (n: number) => (n >>> 0).toString(16).toUpperCase().padStart(8, '0');

/** `[01/15/2026 - 08:15:32PM]` for a wall-clock time. */
export function papyrusTimestamp(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `[${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()} - ${pad(h12)}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${h < 12 ? 'AM' : 'PM'}]`;
}

/** An endless stream of Papyrus log lines (without line terminators). */
export function* papyrusLines(opts: PapyrusGenOptions = {}): Generator<string> {
  const r = mulberry32(opts.seed ?? 1);
  const nScripts = opts.scripts ?? 200;
  const scripts = Array.from({ length: nScripts }, (_, i) => ({
    name: `Mod${i % 37}_${['Player', 'Follower', 'Quest', 'Spell', 'Horse', 'Menu'][i % 6]}Script${i}`,
    quest: `Mod${i % 37}Quest${i % 23}`,
    alias: ['PlayerAlias', 'FollowerRef', 'TargetRef', ''][i % 4]!,
    form: (((i % 40) + 1) << 24) | ((i * 2654435761) & 0xffffff),
    fns: ['OnUpdate', 'OnInit', 'OnPlayerLoadGame', 'Tick', 'OnEffectStart'].slice(0, 2 + (i % 4)),
  }));
  let t = opts.startMs ?? Date.UTC(2026, 0, 15, 20, 15, 21);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const frame = (s: (typeof scripts)[number]) =>
    `\t[${s.alias ? `alias ${s.alias} on quest ${s.quest}` : s.quest} (${hex8(s.form)})].${s.name}.${pick(s.fns)}() - "${s.name}.psc" Line ${1 + Math.floor(r() * 400)}`;
  const ts = () => papyrusTimestamp(t);

  yield `${ts()} Papyrus log opened (PC)`;
  yield `${ts()} Update budget: 1.200000ms (Extra tasklet budget: 1.200000ms, Load screen budget: 500.000000ms)`;
  yield `${ts()} Memory page: 128 (min) 512 (max) 76800 (max total)`;
  yield `${ts()} Maximum stack depth: 100`;
  yield '';
  while (true) {
    t += Math.floor(r() * 1500);
    const s = pick(scripts);
    const x = r();
    if (x < 0.3) {
      yield `${ts()} error: Cannot call ${pick(['GetValue', 'GetActorBase', 'IsInCombat', 'GetReference', 'Is3DLoaded'])}() on a None object, aborting function call`;
      yield 'stack:';
      for (let k = 1 + Math.floor(r() * 3); k > 0; k--) yield frame(pick(scripts));
    } else if (x < 0.45) {
      yield `${ts()} warning: Assigning None to a non-object variable named "::temp${Math.floor(r() * 80)}"`;
      yield 'stack:';
      yield frame(s);
    } else if (x < 0.55) {
      yield `${ts()} error: Array index ${Math.floor(r() * 200)} is out of range (0-${Math.floor(r() * 100)})`;
      yield 'stack:';
      yield `\t[ (${hex8(0xff000000 | Math.floor(r() * 0xffff))})].Actor.GetItemCount() - "<native>" ?`;
      yield frame(s);
    } else if (x < 0.62) {
      yield `${ts()} Cannot open store for class "${s.name.toLowerCase()}", missing file?`;
    } else if (x < 0.68) {
      yield `${ts()} warning: Property ${pick(['PlayerRef', 'Gold001', 'MyGlobal', 'TargetFaction'])} on script ${s.name} attached to ${s.quest} (${hex8(s.form)}) cannot be initialized because the script no longer contains that property`;
    } else if (x < 0.72) {
      yield `${ts()} error: Unable to bind script ${s.name} to ${s.quest} (${hex8(s.form)}) because their base types do not match`;
    } else if (x < 0.8) {
      for (const m of [
        'VM is freezing...',
        'VM is frozen',
        'Reverting game...',
        'Loading game...',
        'VM is thawing...',
      ])
        yield `${ts()} ${m}`;
    } else if (x < 0.86) {
      yield `${ts()} Dumping stack ${Math.floor(r() * 90000)}:`;
      yield `\tFrame count: ${1 + Math.floor(r() * 4)} (Page count: ${1 + Math.floor(r() * 3)})`;
      yield '\tState: Waiting on other stack for call (Running)';
      yield '\tType: Normal';
      yield '\tReturn register: None';
      yield '\tHas stack callback: No';
      yield '\tStack trace:';
      yield `\t${frame(s)}`;
    } else if (x < 0.93) {
      yield `${ts()} [${s.name} <${s.quest} (${hex8(s.form)})>]: ${pick(['registered for update', 'OnInit done', 'state changed to Active', 'heartbeat'])} ${Math.floor(r() * 10000)}`;
    } else {
      yield `${ts()} SKSE64: ${pick(['serialization', 'papyrus events', 'messaging'])} took ${(r() * 20).toFixed(3)} ms`;
    }
  }
}

/** `count` generated lines joined with `eol` (for small in-memory tests). */
export function papyrusText(count: number, opts: PapyrusGenOptions = {}, eol = '\r\n'): string {
  const out: string[] = [];
  for (const l of papyrusLines(opts)) {
    out.push(l);
    if (out.length >= count) break;
  }
  return out.join(eol) + eol;
}

/** Writes at least `bytes` of generated log (CRLF, as the game writes) to `path`; returns lines written. */
export function writePapyrusLog(path: string, bytes: number, opts: PapyrusGenOptions = {}): number {
  const fd = openSync(path, 'w');
  let written = 0;
  let lines = 0;
  let batch: string[] = [];
  let batchLen = 0;
  try {
    for (const l of papyrusLines(opts)) {
      batch.push(l);
      batchLen += l.length + 2;
      lines++;
      if (batchLen >= 4 * 1024 * 1024 || written + batchLen >= bytes) {
        const buf = Buffer.from(batch.join('\r\n') + '\r\n', 'utf8');
        writeSync(fd, buf);
        written += buf.length;
        batch = [];
        batchLen = 0;
        if (written >= bytes) break;
      }
    }
  } finally {
    closeSync(fd);
  }
  return lines;
}
