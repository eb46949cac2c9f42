import type { ModuleRole, Suspect } from '../../../shared/domain/incident';
import { fileNameOf } from '../../../shared/text';
import rolesFile from '../../../../resources/modules/roles.json';
import systemList from '../../../../resources/modules/system.json';
import gameList from '../../../../resources/modules/game.json';

/**
 * What a module or plugin is to the game (its role) and how much a stack hit on it means (its
 * weight), from resources/modules/roles.json plus the broad system/game lists. The culprit
 * model (model.ts) reads every module through this, so dumps, crash logs and hangs agree.
 *
 * The files ship with the build and are checked against their schemas (roles-file.ts) when it is
 * made and by the tests, so they are read here without zod: every CLI run loads this (issue 15).
 */

export const WEIGHTS = ['high', 'normal', 'low', 'victim'] as const;
export type Weight = (typeof WEIGHTS)[number];

/** roles.json as its schema (`RolesFile` in roles-file.ts) accepts it; it has no defaults to fill. */
export interface RolesData {
  sources: Record<string, string>;
  modules: { match: string[]; role: ModuleRole; weight: Weight; why: string; source: string }[];
}

export interface ModuleClass {
  role: ModuleRole;
  weight: Weight;
  /** Why a module of this kind shows up in crashes (counter-evidence for victims). */
  why: string | null;
  /** URL of the public fact behind the entry. */
  source: string | null;
  /** False when nothing in the data names it (a DLL we do not know is taken for a mod's). */
  known: boolean;
}

interface Entry {
  role: ModuleRole;
  weight: Weight;
  why: string;
  source: string;
}

function compile(file: RolesData): { exact: Map<string, Entry>; globs: { re: RegExp; e: Entry }[] } {
  const exact = new Map<string, Entry>();
  const globs: { re: RegExp; e: Entry }[] = [];
  for (const m of file.modules) {
    const e: Entry = {
      role: m.role,
      weight: m.weight,
      why: m.why,
      source: file.sources[m.source] ?? m.source,
    };
    for (const pat of m.match) {
      if (!pat.includes('*')) {
        if (!exact.has(pat)) exact.set(pat, e);
      } else {
        const re = new RegExp(`^${pat.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
        globs.push({ re, e });
      }
    }
  }
  return { exact, globs };
}

const DATA = compile(rolesFile as RolesData);
const SYSTEM = new Set(systemList.modules.filter((m) => !m.endsWith('*')));
const SYSTEM_PREFIX = systemList.modules.filter((m) => m.endsWith('*')).map((m) => m.slice(0, -1));
const GAME = new Set(gameList.modules);

/** Game masters (and the unofficial patches) every load order has: never a suspect. */
const BASE_MASTERS = new Set([
  'skyrim.esm',
  'update.esm',
  'dawnguard.esm',
  'hearthfires.esm',
  'dragonborn.esm',
  '_resourcepack.esl',
  'unofficial skyrim special edition patch.esp',
  'unofficial skyrim creation club content patch.esl',
  'skyrimvr.esm',
  'fallout4.esm',
  'fallout4_vr.esm',
  'dlcrobot.esm',
  'dlcworkshop01.esm',
  'dlcworkshop02.esm',
  'dlcworkshop03.esm',
  'dlccoast.esm',
  'dlcnukaworld.esm',
  'dlcultrahighresolution.esm',
  'unofficial fallout 4 patch.esp',
]);

/** Windows DLL names that ENB, ReShade and input mods ship as proxies in the game folder. */
const PROXY_NAMES = new Set([
  'd3d11.dll',
  'dxgi.dll',
  'd3d9.dll',
  'dinput8.dll',
  'x3daudio1_7.dll',
  'xaudio2_7.dll',
]);

/** A name ENB, ReShade or an input mod may use for its proxy DLL. */
export function isProxyName(name: string): boolean {
  return PROXY_NAMES.has(fileNameOf(name).toLowerCase());
}

function fromData(n: string): Entry | undefined {
  return DATA.exact.get(n) ?? DATA.globs.find((g) => g.re.test(n))?.e;
}

const cls = (e: Entry): ModuleClass => ({ ...e, known: true });

/**
 * Role and weight of a module (dll/exe/sys) or game plugin (esp/esm/esl). `path`, when the input
 * has one (a minidump's module list), tells a game-folder proxy (ENB's d3d11.dll) from the
 * Windows original and an unknown Windows DLL from a mod's.
 */
export function classifyModule(nameIn: string, path?: string | null): ModuleClass {
  const key = path ? `${nameIn}\u0000${path}` : nameIn;
  let c = CACHE.get(key);
  if (!c) {
    if (CACHE.size >= CACHE_MAX) CACHE.clear();
    c = classify(nameIn, path);
    CACHE.set(key, c);
  }
  return c;
}

/** Classifications are pure functions of name and path; a log asks about the same few hundred names. */
const CACHE = new Map<string, ModuleClass>();
const CACHE_MAX = 20_000;

function classify(nameIn: string, path?: string | null): ModuleClass {
  const n = fileNameOf(nameIn).trim().toLowerCase();
  const p = path?.replace(/\//g, '\\').toLowerCase() ?? null;
  const inWindows = p !== null && /^(?:[a-z]:)?\\windows\\/.test(p.replace(/^\\\\\?\\/, ''));
  if (/\.es[pml]$/.test(n)) {
    if (BASE_MASTERS.has(n))
      return {
        role: 'plugin',
        weight: 'victim',
        why: 'a base game master: every load order has it',
        source: null,
        known: true,
      };
    if (/^cc[a-z]{3}(?:sse|fo4)\d{3}/.test(n))
      return {
        role: 'plugin',
        weight: 'low',
        why: 'official Creation Club content: often named in logs through a record another mod overrides',
        source: 'https://github.com/Phostwood/crash-analyzer',
        known: true,
      };
    return { role: 'plugin', weight: 'normal', why: null, source: null, known: false };
  }
  if (p !== null && !inWindows && PROXY_NAMES.has(n))
    return {
      role: 'overlay',
      weight: 'normal',
      why: 'a copy of a Windows DLL outside Windows: an ENB, ReShade or input proxy',
      source: 'https://forum.step-project.com/topic/13743-what-makes-enboost-run/',
      known: true,
    };
  const e = fromData(n);
  if (e) return cls(e);
  if (inWindows || SYSTEM.has(n) || SYSTEM_PREFIX.some((x) => n.startsWith(x)))
    return { role: 'os', weight: 'victim', why: 'a Windows or runtime library', source: null, known: true };
  if (GAME.has(n))
    return { role: 'game', weight: 'victim', why: "part of the game's own files", source: null, known: true };
  if (/\.(dll|asi|dllplugin)$/.test(n))
    return { role: 'mod-dll', weight: 'normal', why: null, source: null, known: false };
  return {
    role: 'unknown',
    weight: n.endsWith('.exe') ? 'low' : 'normal',
    why: null,
    source: null,
    known: false,
  };
}

/** Game, Windows and runtime code: where damage is noticed, never a suspect of its own. */
export function isEngineOrSystem(c: ModuleClass): boolean {
  return c.role === 'game' || c.role === 'os' || c.role === 'runtime';
}

/**
 * The weight of a ranked suspect, which may know more than its name: a d3d11.dll/dxgi.dll the
 * input placed in the game folder (role overlay, no counter-evidence) is ENB's or ReShade's copy,
 * not Windows' runtime; one kept as an ambiguous lead (it carries the "log does not say which"
 * counter-evidence) counts as low.
 */
export function suspectWeight(s: Pick<Suspect, 'name' | 'role' | 'evidence'>): Weight {
  if (isProxyName(s.name) && s.role === 'overlay')
    return (s.evidence ?? []).some((e) => e.direction === 'against') ? 'low' : 'normal';
  return classifyModule(s.name).weight;
}
