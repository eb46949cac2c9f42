import type { Finding } from '../../../shared/domain/finding';
import type { ModRef, Suspect, SuspectEvidence } from '../../../shared/domain/incident';
import { fileNameOf } from '../../../shared/text';
import { TrigramFilter } from '../trigram-filter';
import { modFromPath } from './mod-path';
import { classifyModule, isEngineOrSystem, isProxyName, type ModuleClass, type Weight } from './roles';
import { compareNames } from './name-order';

/**
 * The culprit model shared by crash logs, minidumps and hangs. Each input is first reduced to
 * a CauseInput (the crashing thread's frames, the faulting module, objects and pointers near
 * the crash, outside candidates such as SkyrimDiag's); every module or plugin then collects
 * weighted evidence for and against, and its role (roles.ts) scales the total:
 *
 * - owning the faulting instruction counts most, except for modules where damage is only
 *   noticed (game, Windows, runtime, allocator);
 * - with engine frames on top, the first mod module below them is the caller that handed the
 *   engine bad input ("first mod DLL below the game's own frames");
 * - a framework or hook host there is weighed down, and a mod module under it promoted, unless
 *   nothing lies under it;
 * - plugins (esp/esm/esl) come from objects found near the crash, closest first;
 * - known victims keep their counter-evidence and are ranked after every real candidate.
 *
 * The weights are heuristics from public crash-reading practice (culprit-knowledge.md §2);
 * scores are comparable within one incident only.
 */

export type FrameTrust = 'probable' | 'scan';

export interface CauseFrame {
  module: string | null;
  /** Full path when the input has one (minidump module list): mod name and proxy detection. */
  path?: string | null;
  symbol?: string | null;
  trust: FrameTrust;
}

export interface CauseModule {
  name: string;
  path?: string | null;
  version?: string | null;
}

export interface CauseObject {
  /** Register ("RDX"), stack slot ("RSP+3A0", "SP+20"), NSF list position ("[166]"), nested ("RSI > ParentCell"). */
  where: string;
  type: string | null;
  formId: string | null;
  /** The plugin that last changed the record (the one in use). */
  file: string | null;
}

/** A module named by a pointer in a register or on the stack (not a frame). */
export interface CauseMention {
  module: string;
  where: 'register' | 'stack';
  /** Bytes above the stack pointer for stack slots; 0 for registers. */
  depth: number;
}

/** A candidate another analyzer produced (SkyrimDiag's actionable candidates and suspects). */
export interface ExternalCandidate {
  name: string;
  strength: 'strong' | 'medium' | 'weak';
  text: string;
  mod?: ModRef;
}

export interface CauseInput {
  exception: {
    code: number | null;
    name: string | null;
    module: string | null;
    modulePath?: string | null;
    /** C++ exceptions: the module that threw (Crash Logger 1.18+), not KERNELBASE. */
    cppModule?: string | null;
  } | null;
  /** The crashing (or blocked) thread, top first; null when the input has no stack at all. */
  frames: CauseFrame[] | null;
  /** Whose stack `frames` is: the crashing thread (default) or, for hangs, the main thread. */
  thread?: 'crash' | 'main';
  /** Loaded modules (with versions and paths where known); null when the list is missing. */
  modules: CauseModule[] | null;
  objects: CauseObject[];
  mentions: CauseMention[];
  external: ExternalCandidate[];
  findings: Finding[];
  /** Every module and plugin file the input lists, for matching names quoted by findings. */
  known?: string[];
}

export const MAX_SUSPECTS = 10;

const W = {
  ownsFault: 40,
  cppThrow: 40,
  firstCaller: 35,
  clientOfHook: 24,
  frameHit: 8,
  frameCap: 24,
  object: 8,
  objectCap: 15,
  register: 4,
  stackSlot: 1.5,
  mentionCap: 10,
  finding: 10,
  /** A file only a load-order or setup check names: listed, below anything the crash touched. */
  setupLead: 0.5,
  external: { strong: 30, medium: 18, weak: 8 },
} as const;

const WEIGHT_FACTOR: Record<Weight, number> = { high: 1.25, normal: 1, low: 0.5, victim: 0.15 };
/** Scanned frames may be stale return addresses. */
const SCAN_FACTOR = 0.35;
/** Deeper than this in the crashing stack, a "first caller" says little. */
const FIRST_CALLER_DEPTH = 16;
/** How far under a hook host we look for the mod that called it. */
const CLIENT_WINDOW = 8;

interface Acc {
  key: string;
  name: string;
  cls: ModuleClass;
  path: string | null;
  raw: number;
  factor: number;
  evidence: (SuspectEvidence & { weight: number })[];
  /** Families that pointed at it ("frame", "object", …), for the confidence. */
  families: Set<string>;
  mod?: ModRef;
}

class Board {
  readonly acc = new Map<string, Acc>();
  /** Points given so far per (cap group, module): repeated evidence of one kind saturates. */
  private readonly sums = new Map<string, number>();
  constructor(private readonly paths: Map<string, string>) {}

  get(name: string, path?: string | null): Acc {
    const key = fileNameOf(name).toLowerCase();
    let a = this.acc.get(key);
    if (!a) {
      const p = path ?? this.paths.get(key) ?? null;
      const cls = classifyModule(name, p);
      a = {
        key,
        name: fileNameOf(name),
        cls,
        path: p,
        raw: 0,
        factor: WEIGHT_FACTOR[cls.weight],
        evidence: [],
        families: new Set(),
      };
      const mod = p ? (modFromPath(p) ?? proxyMod(name, cls)) : undefined;
      if (mod) a.mod = mod;
      this.acc.set(key, a);
    }
    return a;
  }

  /** Adds up to `cap` points in total for this group and module; returns false once saturated. */
  addCapped(
    group: string,
    cap: number,
    name: string,
    points: number,
    text: string,
    family: string,
    path?: string | null,
  ): boolean {
    const key = `${group}|${fileNameOf(name).toLowerCase()}`;
    const sofar = this.sums.get(key) ?? 0;
    const add = Math.min(points, cap - sofar);
    if (add <= 0) return false;
    this.sums.set(key, sofar + add);
    this.add(name, add, text, family, path);
    return true;
  }

  add(name: string, points: number, text: string, family: string, path?: string | null): Acc {
    const a = this.get(name, path);
    a.raw += points;
    a.families.add(family);
    const prev = a.evidence.find((e) => e.text === text);
    if (prev) prev.weight += points;
    else a.evidence.push({ direction: 'for', text, weight: points });
    return a;
  }
}

/** What a player calls a Windows DLL name found in the game folder: the tool that put it there. */
function proxyMod(name: string, cls: ModuleClass): ModRef | undefined {
  if (cls.role !== 'overlay' || cls.weight !== 'normal' || !isProxyName(name)) return undefined;
  const n = fileNameOf(name).toLowerCase();
  const what = /^(d3d11|dxgi|d3d9)\.dll$/.test(n)
    ? 'ENB/ReShade'
    : n === 'dinput8.dll'
      ? 'an input proxy'
      : 'an audio proxy';
  return { name: `${what} in the game folder`, source: 'path' };
}

function against(a: Acc, text: string): void {
  if (!a.evidence.some((e) => e.text === text)) a.evidence.push({ direction: 'against', text, weight: -1 });
}

/** "RDX"/"AX" → 1, "RSP+3A0" by depth, NSF "[166]" by position; nested lookups count less. */
export function objectCloseness(where: string): number {
  const base = where.split('>')[0]!.trim();
  const nested = where.includes('>') ? 0.6 : 1;
  const sp = /^[RE]?SP\s*\+\s*([0-9A-Fa-f]+)$/i.exec(base);
  if (sp) {
    const off = Number.parseInt(sp[1]!, 16);
    return nested * (off < 0x80 ? 0.8 : off < 0x200 ? 0.6 : off < 0x800 ? 0.4 : 0.25);
  }
  const nsf = /^\[\s*(\d+)\s*\]$/.exec(base);
  if (nsf) {
    const n = Number(nsf[1]);
    return nested * (n < 10 ? 0.9 : n < 50 ? 0.6 : n < 200 ? 0.4 : 0.2);
  }
  return nested;
}

/** The player's own records: named whenever the player is involved, by whatever mod last edited them. */
function isPlayerRecord(o: CauseObject): boolean {
  const id = o.formId?.toUpperCase().replace(/^0X/, '').padStart(8, '0');
  return id === '00000007' || id === '00000014' || /PlayerCharacter/i.test(o.type ?? '');
}

/** Modules we pass over when looking for the caller under the engine: game, OS, runtime, drivers, victims. */
function passThrough(c: ModuleClass): boolean {
  return isEngineOrSystem(c) || c.role === 'driver' || c.weight === 'victim';
}

function isHookHost(c: ModuleClass): boolean {
  return c.weight === 'low';
}

/** Frames a crash logger's own handler left on top (H6): drop them and the system frames above them. */
function dropHandlerFrames(frames: CauseFrame[]): CauseFrame[] {
  const lastLogger = frames
    .slice(0, 8)
    .findLastIndex((f) => f.module && classifyModule(f.module).role === 'crash-logger');
  if (lastLogger < 0) return frames;
  const above = frames.slice(0, lastLogger);
  if (above.every((f) => !f.module || passThrough(classifyModule(f.module))))
    return frames.slice(lastLogger + 1);
  return frames;
}

function frameEvidence(b: Board, framesIn: CauseFrame[], main: boolean): void {
  const stack = main ? "the main thread's stack" : 'the crashing call stack';
  const frames = dropHandlerFrames(framesIn);
  const unwound = frames.filter((f) => f.trust === 'probable');
  // Only the top frame unwound (a dump without unwind data, a logger that only scanned): the
  // scanned frames stand in, at a third of the weight.
  const scanOnly = unwound.length <= 1 && frames.length > unwound.length;
  const probable = scanOnly ? frames : unwound;
  const trustFactor = scanOnly ? SCAN_FACTOR : 1;
  // Frame hits: the top of the stack counts most, scanned frames a third.
  frames.slice(0, 32).forEach((f, i) => {
    if (!f.module || isEngineOrSystem(classifyModule(f.module, f.path))) return;
    const pts = (W.frameHit / (1 + i / 3)) * (f.trust === 'scan' ? SCAN_FACTOR : 1);
    const text = f.trust === 'scan' ? `on the scanned part of ${stack}` : `frames in ${stack}`;
    b.addCapped('frame', W.frameCap, f.module, pts, text, 'frame', f.path);
  });

  // The first caller under the engine's own frames (H1).
  let i = 0;
  let gameAbove = false;
  let othersAbove = false;
  while (i < probable.length && i < FIRST_CALLER_DEPTH) {
    const f = probable[i]!;
    if (f.module) {
      const c = classifyModule(f.module, f.path);
      // A script-extender trampoline between two engine frames is part of the engine's path.
      const sandwiched =
        c.role === 'script-extender' &&
        i > 0 &&
        isEngineFrame(probable[i - 1]) &&
        isEngineFrame(probable[i + 1]);
      if (!passThrough(c) && !sandwiched) break;
      if (c.role === 'game') gameAbove = true;
      else if (c.role !== 'os' && c.role !== 'runtime') othersAbove = true;
      if (sandwiched)
        against(
          b.get(f.module, f.path),
          'script-extender hook between engine frames: part of the path, not the cause',
        );
    }
    i++;
  }
  if (i >= probable.length || i >= FIRST_CALLER_DEPTH) return;
  const first = probable[i]!;
  const c = classifyModule(first.module!, first.path);
  // Say whose frames lie above it: the game's, or only Windows' (a Direct3D or heap call).
  const above = gameAbove
    ? "the game's own frames"
    : othersAbove
      ? 'frames of modules that only carry the crash'
      : "Windows' own frames";
  const depthFactor = (i <= 4 ? 1 : i <= 8 ? 0.85 : 0.7) * trustFactor;
  // At i === 0 the module owns the top frame: the fault evidence already covers it.
  const a =
    i > 0
      ? b.add(
          first.module!,
          W.firstCaller * depthFactor,
          isHookHost(c)
            ? `first non-engine frame below ${above} (a framework: look at who called it)`
            : scanOnly
              ? `first mod module below ${above} on the scanned stack`
              : `first mod DLL below ${above} in ${stack}`,
          'first-caller',
          first.path,
        )
      : b.get(first.module!, first.path);
  if (!isHookHost(c)) return;
  const client = findClient(probable, i + 1);
  if (client)
    b.add(
      client.module!,
      W.clientOfHook * depthFactor,
      `called ${a.name} (a framework) just before the crash`,
      'first-caller',
      client.path,
    );
  else markNoClientBelow(a, probable, i);
}

function isEngineFrame(f: CauseFrame | undefined): boolean {
  return !!f?.module && classifyModule(f.module, f.path).role === 'game';
}

function findClient(frames: CauseFrame[], from: number): CauseFrame | undefined {
  for (let j = from; j < Math.min(frames.length, from + CLIENT_WINDOW); j++) {
    const f = frames[j]!;
    if (!f.module) continue;
    const c = classifyModule(f.module, f.path);
    if (c.weight === 'normal' || c.weight === 'high') return f;
  }
  return undefined;
}

/** A framework whose own code is the last non-engine caller, with no mod under it, keeps most of its weight. */
function markNoClientBelow(a: Acc, frames: CauseFrame[], at: number): void {
  const below = frames.slice(at + 1).some((x) => {
    if (!x.module) return false;
    const c = classifyModule(x.module, x.path);
    return c.weight === 'normal' || c.weight === 'high';
  });
  if (below) return;
  a.factor = Math.max(a.factor, 0.85);
  if (!a.evidence.some((e) => e.text.startsWith('no mod frame')))
    a.evidence.push({
      direction: 'for',
      text: 'no mod frame lies under it: its own code is the last caller',
      weight: 0,
    });
}

function faultEvidence(b: Board, input: CauseInput): void {
  const ex = input.exception;
  if (!ex) return;
  if (ex.cppModule) {
    const c = classifyModule(ex.cppModule);
    if (!isEngineOrSystem(c))
      b.add(ex.cppModule, W.cppThrow, 'threw the C++ exception that ended the game', 'fault');
  }
  if (!ex.module) return;
  const c = classifyModule(ex.module, ex.modulePath);
  if (!isEngineOrSystem(c)) {
    b.add(ex.module, W.ownsFault, 'owns the faulting instruction', 'fault', ex.modulePath);
    return;
  }
  // d3d11.dll/dxgi.dll with no path (a crash log): Windows' own, or ENB/ReShade's copy in the
  // game folder. Kept as a weak lead so an ENB or ReShade problem can still be named.
  if (!ex.modulePath && isProxyName(ex.module)) {
    const a = b.get(ex.module);
    a.cls = {
      role: 'overlay',
      weight: 'low',
      why: "Windows' Direct3D, or an ENB/ReShade copy in the game folder: the log does not say which",
      source: 'https://forum.step-project.com/topic/13743-what-makes-enboost-run/',
      known: true,
    };
    a.factor = WEIGHT_FACTOR.low;
    b.add(ex.module, W.ownsFault, 'owns the faulting instruction', 'fault');
  }
}

/** An override chain written into one field: "A.esm -> B.esp" ends with the winner, "B.esp <- A.esm" starts with it. */
function winningFile(file: string | null): string | null {
  if (!file) return null;
  if (file.includes('->')) return file.split('->').pop()!.trim() || null;
  if (file.includes('<-')) return file.split('<-')[0]!.trim() || null;
  return file.trim() || null;
}

function objectEvidence(b: Board, objects: readonly CauseObject[]): void {
  const seen = new Set<string>();
  for (const o of objects) {
    const file = winningFile(o.file);
    if (!file) continue;
    const id = `${o.formId ?? o.type ?? ''}|${file.toLowerCase()}`;
    if (seen.has(id) || classifyModule(file).weight === 'victim') continue;
    seen.add(id);
    const player = isPlayerRecord(o);
    const pts = W.object * objectCloseness(o.where) * (player ? 0.2 : 1);
    const text = player
      ? 'last edited the player record found near the crash'
      : 'a record of it is among the objects near the crash';
    if (b.addCapped('object', W.objectCap, file, pts, text, 'object') && player)
      against(b.get(file), 'the player record is near most crashes; naming its last editor is weak');
  }
}

function mentionEvidence(b: Board, mentions: readonly CauseMention[]): void {
  for (const m of mentions) {
    if (isEngineOrSystem(classifyModule(m.module))) continue;
    const reg = m.where === 'register';
    const pts = reg ? W.register : W.stackSlot * (m.depth < 0x200 ? 1 : 0.5);
    const text = reg ? 'a register points into it' : 'pointers into it on the stack';
    b.addCapped('pointer', W.mentionCap, m.module, pts, text, 'pointer');
  }
}

/**
 * Evidence lines (rules/engine.ts) that only say what is installed or configured ("plugin X in
 * the load order", "module Y loaded", settings, versions, plugin counts, "X loads before Y"),
 * as opposed to what the crash touched.
 */
const SETUP_LINE =
  /^(?:plugin .+ (?:in the load order|loads before .+)|module .+ loaded|setting .+|game version .+|[\w-]+ version .+|no .+|\d+ (?:plugins|full|light)\b.*|the log lists no .+)$/i;

/** A known issue decided from the installed mods alone: it says nothing about this crash's stack. */
export function isSetupOnly(f: Finding): boolean {
  return f.evidence.length > 0 && f.evidence.every((e) => SETUP_LINE.test(e.trim()));
}

/**
 * Modules and plugins a known issue's evidence quotes. Only names the input itself lists (or
 * already points at) count: a finding's text is prose, not a list of files. A load-order or
 * setup check (isSetupOnly) only corroborates a module the crash already points at; for any
 * other file it is a faint lead, so a remark about the mod list never pushes a module the
 * crash touched out of the top of the list.
 */
function findingEvidence(b: Board, findings: readonly Finding[], known: readonly string[]): void {
  if (!findings.some((f) => f.severity !== 'low' && f.severity !== 'info')) return;
  const scored = findings.flatMap((f) => {
    const pts =
      f.severity === 'critical' || f.severity === 'high'
        ? W.finding
        : f.severity === 'medium'
          ? W.finding / 2
          : 0;
    return pts === 0 ? [] : [{ f, pts, text: [f.title, ...f.evidence].join('\n').toLowerCase() }];
  });
  // Only names that may occur in some finding's text are worth a key: a Nolvus log lists ~3,000.
  const filter = new TrigramFilter().index(scored.map((x) => x.text).join('\n'));
  const names = new Map<string, string>();
  const consider = (n: string) => {
    if (n.length >= 5 && filter.mayContainLowered(n)) names.set(n.toLowerCase(), n);
  };
  // Loops, not spreads: no copy of a ~3,000-name list per log.
  for (const n of known) consider(n);
  for (const a of b.acc.values()) consider(a.name);
  const keys = [...names.keys()];
  const shown = [...names.values()];
  const nearCrash = new Set([...b.acc.values()].filter((a) => a.raw > 0).map((a) => a.key));
  for (const { f, pts, text } of scored) {
    const setup = isSetupOnly(f);
    filter.index(text);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const n = shown[i]!;
      if (!filter.mayContain(key) || !text.includes(key)) continue;
      const c = classifyModule(n);
      if (isEngineOrSystem(c) || c.weight === 'victim') continue;
      if (setup && !nearCrash.has(fileNameOf(n).toLowerCase()))
        b.add(n, W.setupLead, `in the mod list the known issue "${f.title}" warns about`, 'setup');
      else b.add(n, pts, `named by the known issue "${f.title}"`, 'finding');
    }
  }
}

function externalEvidence(b: Board, ext: readonly ExternalCandidate[]): void {
  for (const x of ext) {
    const c = classifyModule(x.name);
    if (isEngineOrSystem(c)) continue;
    const a = b.add(x.name, W.external[x.strength], x.text, 'external');
    if (x.mod && (!a.mod || a.mod.source === 'path')) a.mod = x.mod;
  }
}

/** How a victim or hook host is introduced in its counter-evidence. */
const ROLE_LABEL: Partial<Record<ModuleClass['role'], string>> = {
  allocator: 'allocator: usually a victim',
  framework: 'framework on many code paths',
  'script-extender': 'script extender: hooks many engine paths',
  'mod-manager': 'mod manager hook: on every file access',
  'crash-logger': "the crash logger's own code",
  overlay: 'injected overlay or hook',
  driver: 'graphics driver',
};

function counterEvidence(a: Acc): void {
  if ((a.cls.weight === 'victim' || a.cls.weight === 'low') && a.cls.why)
    against(a, `${ROLE_LABEL[a.cls.role] ?? a.cls.role} (${a.cls.why})`);
}

/**
 * Evidence in reading order (for, strongest first, then against) and its one-line digest:
 * "first mod DLL below the game's own frames; frames in the crashing call stack; but: …".
 */
export function digest(ordered: readonly SuspectEvidence[]): { evidence: SuspectEvidence[]; reason: string } {
  const fors = ordered.filter((e) => e.direction === 'for');
  const against = ordered.filter((e) => e.direction === 'against');
  const reason = [
    fors
      .slice(0, 2)
      .map((e) => e.text)
      .join('; '),
    against[0] ? `but: ${against[0].text}` : '',
  ]
    .filter(Boolean)
    .join('; ');
  return { evidence: [...fors, ...against].map(({ direction, text }) => ({ direction, text })), reason };
}

export interface RankedSuspect extends Suspect {
  /** Evidence families behind it ("fault", "first-caller", "frame", "object", …). */
  families: string[];
}

/** Ranks every module and plugin the input points at; victims come after every real candidate. */
export function rankSuspects(input: CauseInput): RankedSuspect[] {
  const paths = new Map<string, string>();
  const versions = new Map<string, string>();
  for (const m of input.modules ?? []) {
    const k = fileNameOf(m.name).toLowerCase();
    if (m.path) paths.set(k, m.path);
    if (m.version) versions.set(k, m.version);
  }
  const b = new Board(paths);
  faultEvidence(b, input);
  if (input.frames) frameEvidence(b, input.frames, input.thread === 'main');
  objectEvidence(b, input.objects);
  mentionEvidence(b, input.mentions);
  findingEvidence(b, input.findings, input.known ?? []);
  externalEvidence(b, input.external);

  const out: (RankedSuspect & { victim: boolean })[] = [];
  for (const a of b.acc.values()) {
    if (isEngineOrSystem(a.cls) || a.raw <= 0) continue;
    counterEvidence(a);
    const score = Math.round(a.raw * a.factor * 10) / 10;
    const { evidence, reason } = digest([...a.evidence].sort((x, y) => y.weight - x.weight));
    const s: RankedSuspect & { victim: boolean } = {
      name: a.name,
      score,
      reason,
      role: a.cls.role,
      evidence,
      families: [...a.families],
      victim: a.cls.weight === 'victim' && a.factor < 0.5,
    };
    const v = versions.get(a.key);
    if (v) s.version = v;
    if (a.mod) s.mod = a.mod;
    out.push(s);
  }
  out.sort(
    (x, y) => Number(x.victim) - Number(y.victim) || y.score - x.score || compareNames(x.name, y.name),
  );
  return out.slice(0, MAX_SUSPECTS).map(({ victim: _v, ...s }) => s);
}
