import { buildModIndex, type ModIndex } from '../../analysis/mods/mod-index';
import type { SetupInstance, SetupProfile } from '../../../shared/domain/setup';
import { readSetup } from './discover';

/**
 * The file → mod index of one profile of a setup folder, for `analyze --setup`: the named
 * profile, else the one MO2 has selected, else the first.
 */
export async function loadSetupIndex(
  dir: string,
  profileName?: string,
): Promise<{ instance: SetupInstance; profile: SetupProfile; index: ModIndex } | null> {
  const inst = await readSetup(dir, { profiles: profileName ? [profileName] : 'selected' });
  if (!inst) return null;
  let profile = inst.profiles.find((p) => p.name === (profileName ?? inst.selectedProfile));
  if (!profile && !profileName) {
    const again = await readSetup(dir, { profiles: 'all' });
    profile = again?.profiles.find((p) => p.mods.length > 0);
  }
  if (!profile) return null;
  return { instance: inst, profile, index: buildModIndex(profile.mods, inst.manager) };
}
