// Without zod (GameFamily is a type here), so the index's listing can name games without loading
// the schemas: a no-change rescan never validates anything (issue 15). game.ts re-exports this.
import type { GameFamily } from './rules';

export const GAME_LABEL: Record<GameFamily, string> = { skyrim: 'Skyrim', fallout4: 'Fallout 4' };

/** "Skyrim SE 1.5.97", "Fallout 4 1.10.163", "Skyrim 1.6.1170" → the game; anything else null. */
export function gameOfText(text: string | null | undefined): GameFamily | null {
  if (!text) return null;
  if (/skyrim|\btesv\b/i.test(text)) return 'skyrim';
  if (/fallout\s*4/i.test(text)) return 'fallout4';
  return null;
}

/** A game executable, or a file named after one ("SkyrimSE.exe.5528.dmp" from WER). */
const GAME_EXE = /^(?:(skyrim(?:se|vr)?|tesv)|(fallout4(?:vr)?))\.exe(?:\.|$)/i;

export function gameOfFileName(name: string): GameFamily | null {
  const m = GAME_EXE.exec(name);
  return m ? (m[1] ? 'skyrim' : 'fallout4') : null;
}

/**
 * Which game an incident is of, from what the index knows: the verdict's game line (crash logs,
 * SkyrimDiag summaries), a game executable among its modules or file names, and SkyrimDiag
 * (a Skyrim-only plugin). Null when nothing says (a dump of some other program).
 */
export function incidentGame(i: {
  verdictGame: string | null | undefined;
  source: string;
  modules: readonly string[];
  files: readonly string[];
}): GameFamily | null {
  return (
    gameOfText(i.verdictGame) ??
    firstOf(i.modules) ??
    firstOf(i.files) ??
    (i.source === 'skyrimdiag' ? 'skyrim' : null)
  );
}

function firstOf(names: readonly string[]): GameFamily | null {
  for (const n of names) {
    const g = gameOfFileName(n);
    if (g) return g;
  }
  return null;
}
