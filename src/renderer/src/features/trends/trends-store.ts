import { create } from 'zustand';
import type { GameFamily } from '../../../../shared/domain/game';
import type { Trends } from '../../../../shared/domain/trends';
import { invoke } from '../../api/client';
import { errorMessage } from '../../lib/format';

/** Range choices in days (0 = everything indexed). */
export const RANGES = [7, 30, 90, 365, 0] as const;
/** Modules asked for: enough that hiding OS and game modules still leaves a full chart. */
const MODULES_ASKED = 60;

interface TrendsState {
  days: number;
  /** One game's trends, or every game's (null). */
  game: GameFamily | null;
  data: Trends | null;
  loading: boolean;
  error: string | null;
  /** Hide OS/runtime and game modules (they are on every stack) from the participation chart. */
  hideSystem: boolean;
  generation: number;
  setDays(days: number): void;
  setGame(game: GameFamily | null): void;
  setHideSystem(on: boolean): void;
  load(): Promise<void>;
}

export const useTrendsStore = create<TrendsState>((set, get) => ({
  days: 30,
  game: null,
  data: null,
  loading: false,
  error: null,
  hideSystem: true,
  generation: 0,
  setDays(days) {
    set({ days });
    void get().load();
  },
  setGame(game) {
    set({ game });
    void get().load();
  },
  setHideSystem: (hideSystem) => set({ hideSystem }),
  async load() {
    const generation = get().generation + 1;
    set({ generation, loading: true });
    try {
      const data = await invoke('trends:get', {
        days: get().days,
        ...(get().game ? { game: get().game ?? undefined } : {}),
        topBuckets: 20,
        topModules: MODULES_ASKED,
      });
      if (get().generation === generation) set({ data, loading: false, error: null });
    } catch (e) {
      if (get().generation === generation) set({ loading: false, error: errorMessage(e) });
    }
  },
}));
