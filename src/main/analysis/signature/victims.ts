import { moduleRole } from '../minidump/module-roles';
import { fileNameOf } from '../../../shared/text';

/**
 * Whether a module is a *victim* for bucketing: where damage is noticed rather than done (the
 * game executable, Windows, the C/C++ runtimes). Buckets skip victim frames so two crashes of
 * one mod bug that surface in different engine or OS code still meet, and crashes that differ
 * only below the mod's frames do not split.
 *
 * This is the one place the bucket asks the question, so the data behind it can be swapped
 * (today the broad lists in resources/modules/system.json + game.json; the culprit model's
 * roles when they land) without touching the scheme. The answer must depend on the module's
 * file name only (and its path's folder, never the user part), or buckets would differ
 * between machines.
 */
export function isVictimModule(name: string): boolean {
  const base = fileNameOf(name);
  const role = moduleRole(base);
  return (
    role === 'system' ||
    role === 'game' ||
    SCRIPT_EXTENDER_RUNTIME.test(base) ||
    PASS_THROUGH.has(base.toLowerCase())
  );
}

/** Hook hosts and managed runtimes that sit between the game and the code they call. */
const PASS_THROUGH: ReadonlySet<string> = new Set([
  'netscriptframework.runtime.dll',
  'clr.dll',
  'coreclr.dll',
  'clrjit.dll',
]);

/**
 * The script extender's runtime DLL (skse64_1_5_97.dll, f4se_1_10_163.dll) hooks the game's main
 * loop and event dispatch, so its frame sits under nearly every crash a mod causes: a bucket
 * keyed on it would merge unrelated crashes (two real Buffout 4 logs with different faults both
 * had f4se_1_10_163.dll+0xa8ac as their first non-game frame).
 */
const SCRIPT_EXTENDER_RUNTIME = /^(?:skse|skse64|sksevr|f4se|f4sevr|sfse|nvse|obse|fose)(?:_\d+)+\.dll$/i;

/** The file name at the end of a module path (src/shared/text.ts). */
export { fileNameOf as baseName };
