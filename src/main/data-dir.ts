import { homedir } from 'node:os';
import { join } from 'node:path';

/** Same folder Electron's app.getPath('userData') gives for productName "CTD Workbench". */
export const PRODUCT_NAME = 'CTD Workbench';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.CTD_DATA_DIR) return env.CTD_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), PRODUCT_NAME);
}
