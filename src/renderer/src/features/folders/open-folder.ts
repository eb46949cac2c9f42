import { invoke, pathForDroppedFile } from '../../api/client';
import { useAppStore } from '../../app/app-store';
import { errorMessage } from '../../lib/format';
import { useFolderStore } from './folder-store';
import { bundleFilesOf, useBundleStore } from '../bundle/bundle-store';

/** "Open folder…": the native picker in Electron; a typed path where there is none (serve mode). */
export async function openFolder(): Promise<void> {
  const folders = useFolderStore.getState();
  if (useAppStore.getState().info?.transport !== 'electron') {
    folders.showPathPrompt();
    return;
  }
  try {
    const picked = await invoke('dialog:openFolder', {});
    if (picked) await addAndReport(picked);
  } catch (e) {
    useAppStore.getState().notify(errorMessage(e), 'error');
  }
}

/** Adds (and scans) a folder; `inline` callers show the error themselves, next to their input. */
export async function addAndReport(path: string, inline = false): Promise<boolean> {
  const ok = await useFolderStore.getState().add(path);
  const app = useAppStore.getState();
  if (ok) app.notify(`Added ${path.trim()}`);
  else if (!inline) app.notify(useFolderStore.getState().error ?? 'Cannot open that folder', 'error');
  return ok;
}

/** A dropped folder: Electron tells us its path; a browser cannot, so we ask for it instead. */
export async function handleDrop(files: FileList): Promise<void> {
  // Bundles (.zip) are imported; the browser has their bytes even without a path.
  const bundles = bundleFilesOf(files);
  if (bundles.length) await useBundleStore.getState().importFiles(bundles);
  const rest = Array.from(files).filter((f) => !bundles.includes(f));
  if (rest.length === 0) return;
  const paths = rest.map((f) => pathForDroppedFile(f)).filter((p): p is string => !!p);
  if (paths.length === 0) {
    const name = rest[0]?.name;
    useFolderStore
      .getState()
      .showPathPrompt(
        `The browser does not reveal where${name ? ` "${name}"` : ' a dropped folder'} lives on disk. Type or paste its full path.`,
      );
    return;
  }
  for (const p of paths) await addAndReport(p);
}
