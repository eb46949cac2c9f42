/**
 * Plain text logs that belong to a game session rather than to one capture: the script
 * extender's (`skse64.log`, `f4se.log`, their loaders and VR builds) and SkyrimDiag's own
 * (`SkyrimDiag.log` from the plugin, `SkyrimDiagHelper.log` + rotations from the helper,
 * skyrimdiag-artifacts.md §2). Recognised by name alone: no head read needed, so an
 * unchanged file keeps its place on a rescan. Papyrus logs are matched in crashlog-names.ts.
 */
const SESSION_LOG =
  /^(?:(?:skse64|skse|sksevr|f4se|f4sevr)(?:_loader)?|SkyrimDiag|SkyrimDiagHelper)\.log(?:\.\d{1,2})?$/i;

export function isSessionLogName(name: string): boolean {
  return SESSION_LOG.test(name);
}
