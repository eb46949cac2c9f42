import { watch, type FSWatcher } from 'node:fs';

/**
 * Watches folders and calls back (debounced) when something inside changed. SkyrimDiag writes
 * a family of files over several seconds (§13), so events are coalesced per folder; the
 * callback's rescan only re-reads changed files. Recursive fs.watch works on Windows and
 * macOS and on Linux with Node 20's recursive support.
 */
export class FolderWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly onChange: (folder: string) => void,
    private readonly debounceMs = 400,
  ) {}

  set(folders: string[]): void {
    for (const [f, w] of this.watchers) {
      if (!folders.includes(f)) {
        w.close();
        this.watchers.delete(f);
      }
    }
    for (const f of folders) {
      if (this.watchers.has(f)) continue;
      try {
        const w = watch(f, { recursive: true }, () => this.bump(f));
        w.on('error', () => {
          w.close();
          this.watchers.delete(f);
        });
        this.watchers.set(f, w);
      } catch {
        // Folder missing or not watchable: the next manual scan reports it.
      }
    }
  }

  private bump(folder: string): void {
    const t = this.timers.get(folder);
    if (t) clearTimeout(t);
    this.timers.set(
      folder,
      setTimeout(() => {
        this.timers.delete(folder);
        this.onChange(folder);
      }, this.debounceMs),
    );
  }

  close(): void {
    for (const w of this.watchers.values()) w.close();
    for (const t of this.timers.values()) clearTimeout(t);
    this.watchers.clear();
    this.timers.clear();
  }
}
