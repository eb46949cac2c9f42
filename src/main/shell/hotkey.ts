import { acceleratorLabel, acceleratorProblem } from '../../shared/domain/accelerator';
import type { HotkeyStatus } from '../../shared/contract/preferences';
import type { GlobalShortcutLike } from './electron-like';

/**
 * The global capture shortcut: registered while the app runs, changed or turned off from the
 * preferences. Registration fails when another program holds the same keys; that is reported,
 * not thrown, and the previous shortcut is given up either way.
 */
export class CaptureHotkey {
  private current: string | null = null;
  private status: HotkeyStatus = { state: 'off', message: null };

  constructor(
    private readonly gs: GlobalShortcutLike,
    private readonly onPress: () => void,
  ) {}

  apply(accelerator: string): HotkeyStatus {
    if (accelerator === this.current && this.status.state === 'active') return this.status;
    this.release();
    if (accelerator === '') return (this.status = { state: 'off', message: null });
    const problem = acceleratorProblem(accelerator);
    if (problem) return (this.status = { state: 'failed', message: problem });
    let ok: boolean;
    try {
      ok = this.gs.register(accelerator, this.onPress);
    } catch (e) {
      return (this.status = { state: 'failed', message: (e as Error).message });
    }
    if (!ok)
      return (this.status = {
        state: 'failed',
        message: `${acceleratorLabel(accelerator, process.platform)} is taken by another program; pick another shortcut.`,
      });
    this.current = accelerator;
    return (this.status = { state: 'active', message: null });
  }

  /** The registered shortcut, for the tray menu's label; null when off or failed. */
  get accelerator(): string | null {
    return this.current;
  }

  get state(): HotkeyStatus {
    return this.status;
  }

  release(): void {
    if (this.current) this.gs.unregister(this.current);
    this.current = null;
  }
}
