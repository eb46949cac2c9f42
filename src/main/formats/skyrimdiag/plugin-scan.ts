import type { PluginScan, ScannedPlugin, SdProblem } from '../../../shared/domain/skyrimdiag';
import { arr, bool, num, obj, readJsonObject, str } from './json';

/**
 * `<stem>_PluginScan.json` (and the same JSON embedded in hang dumps): the active load order
 * SkyrimDiag's helper read, with each plugin's header version, light flag and masters
 * (skyrimdiag-artifacts.md §10). Missing masters and 1.71 headers are derived here: both are
 * setup causes a crash log alone often cannot show.
 */

export const MAX_PLUGIN_SCAN_BYTES = 8 * 1024 * 1024;
/** Full plus light plugins a load order can hold (254 + 4096), with slack. */
const MAX_PLUGINS = 5_000;
const MAX_MASTERS = 255;

export function parsePluginScan(input: Buffer | string, file = 'PluginScan.json'): PluginScan {
  const root = readJsonObject(input, file, MAX_PLUGIN_SCAN_BYTES, 'plugin scan');
  const problems: SdProblem[] = [];
  const rawPlugins = Array.isArray(root.plugins) ? root.plugins : null;
  if (!rawPlugins) problems.push({ line: null, code: 'no_plugins', message: 'no "plugins" list' });
  else if (rawPlugins.length > MAX_PLUGINS)
    problems.push({
      line: null,
      code: 'too_many',
      message: `${rawPlugins.length} plugins; only ${MAX_PLUGINS} read`,
    });
  const plugins: ScannedPlugin[] = [];
  let bad = 0;
  for (const raw of arr(rawPlugins, MAX_PLUGINS)) {
    const o = obj(raw);
    const filename = str(o?.filename, 260);
    if (!o || !filename) {
      bad++;
      continue;
    }
    plugins.push({
      filename,
      headerVersion: num(o.header_version),
      isEsl: bool(o.is_esl) ?? /\.esl$/i.test(filename),
      isActive: bool(o.is_active) ?? true,
      masters: arr(o.masters, MAX_MASTERS)
        .map((m) => str(m, 260))
        .filter((m): m is string => m !== null),
    });
  }
  if (bad)
    problems.push({
      line: null,
      code: 'bad_plugin',
      message: `${bad} plugin entr${bad === 1 ? 'y' : 'ies'} without a file name`,
    });
  const active = new Set(plugins.filter((p) => p.isActive).map((p) => p.filename.toLowerCase()));
  const missingMasters: PluginScan['missingMasters'] = [];
  for (const p of plugins) {
    if (!p.isActive) continue;
    for (const m of p.masters)
      if (!active.has(m.toLowerCase()) && missingMasters.length < 500)
        missingMasters.push({ plugin: p.filename, master: m });
  }
  return {
    gameExeVersion: str(root.game_exe_version, 64),
    pluginsSource: str(root.plugins_source, 64),
    mo2Detected: bool(root.mo2_detected) ?? false,
    error: str(root.error, 1024),
    plugins,
    missingMasters,
    header171: plugins.filter((p) => (p.headerVersion ?? 0) >= 1.705).map((p) => p.filename),
    problems,
  };
}
