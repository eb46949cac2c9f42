import { vi } from 'vitest';
import {
  channels,
  type CallResult,
  type ChannelName,
  type EventName,
  type EventPayloadOf,
  type RequestOf,
  type ResponseOf,
  type WireErrorCode,
  type WorkbenchBridge,
} from '../../../src/shared/contract/index';
import { formatIssues } from '../../../src/shared/zod-issues';

/**
 * A stand-in for the transport under the renderer's stores: what the preload puts on
 * `window.ctd` (Electron) or the serve-mode socket. The stores and api/client.ts run unchanged
 * on top of it, so a failed call still becomes an ApiError in the one place that makes them.
 *
 * Every call waits until the test answers it (`answer`, `fail`), which is how tests put
 * answers out of order; `reply` answers a channel's calls at once. Requests are checked against
 * the channel's schema, as both real transports do before a handler runs.
 */
export interface FakeCall<K extends ChannelName = ChannelName> {
  name: K;
  request: RequestOf<K>;
  settled: boolean;
}

export class FakeBridge implements WorkbenchBridge {
  readonly calls: FakeCall[] = [];
  private readonly settlers = new WeakMap<FakeCall, (r: CallResult) => void>();
  /** Requests a real transport would have refused (a store bug): tests expect none. */
  readonly badRequests: { name: string; issues: string }[] = [];
  private readonly replies = new Map<string, (request: never) => unknown>();
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  /** The desktop bridge knows a dropped file's path; null: a browser (serve mode). */
  pathForFile: ((file: File) => string) | undefined;

  call<K extends ChannelName>(name: K, request: RequestOf<K>): Promise<CallResult<ResponseOf<K>>> {
    return new Promise((resolve) => {
      const entry: FakeCall = { name, request, settled: false };
      this.settlers.set(entry, (r) => resolve(r as CallResult<ResponseOf<K>>));
      this.calls.push(entry);
      const checked = channels[name].request.safeParse(request);
      if (!checked.success) {
        const issues = formatIssues(checked.error);
        this.badRequests.push({ name, issues });
        this.settleWith(entry, { ok: false, error: { code: 'bad_request', message: issues } });
        return;
      }
      const reply = this.replies.get(name);
      if (!reply) return;
      try {
        this.settleWith(entry, { ok: true, res: reply(request as never) });
      } catch (e) {
        const error = e instanceof FakeFailure ? e.wire : { code: 'internal' as const, message: String(e) };
        this.settleWith(entry, { ok: false, error });
      }
    });
  }

  on<K extends EventName>(name: K, listener: (payload: EventPayloadOf<K>) => void): () => void {
    const set = this.listeners.get(name) ?? new Set();
    const l = listener as (payload: unknown) => void;
    set.add(l);
    this.listeners.set(name, set);
    return () => set.delete(l);
  }

  /** Answers this channel's calls (present unanswered ones and later ones) with `reply(request)`; throw `new FakeFailure(...)` to fail them. */
  reply<K extends ChannelName>(name: K, reply: (request: RequestOf<K>) => ResponseOf<K>): void {
    this.replies.set(name, reply);
    for (const c of this.open(name)) {
      try {
        this.settleWith(c, { ok: true, res: reply(c.request) });
      } catch (e) {
        if (!(e instanceof FakeFailure)) throw e;
        this.settleWith(c, { ok: false, error: e.wire });
      }
    }
  }

  /** Unanswered calls of one channel, oldest first. */
  open<K extends ChannelName>(name: K): FakeCall<K>[] {
    return this.calls.filter((c) => c.name === name && !c.settled) as FakeCall<K>[];
  }

  /** Requests sent on one channel, answered or not, oldest first. */
  requests<K extends ChannelName>(name: K): RequestOf<K>[] {
    return this.calls.filter((c) => c.name === name).map((c) => c.request as RequestOf<K>);
  }

  answer<K extends ChannelName>(call: FakeCall<K>, res: ResponseOf<K>): Promise<void> {
    this.settleWith(call, { ok: true, res });
    return settle();
  }

  fail(call: FakeCall, code: WireErrorCode, message: string): Promise<void> {
    this.settleWith(call, { ok: false, error: { code, message } });
    return settle();
  }

  emit<K extends EventName>(name: K, payload: EventPayloadOf<K>): void {
    for (const l of this.listeners.get(name) ?? []) l(payload);
  }

  listenerCount(name: EventName): number {
    return this.listeners.get(name)?.size ?? 0;
  }

  /**
   * Between tests: answers whatever is still waiting (so no store keeps a request "in flight"
   * into the next test), then forgets calls, replies and listeners.
   */
  async reset(): Promise<void> {
    for (const c of this.calls)
      if (!c.settled) this.settleWith(c, { ok: false, error: { code: 'transport', message: 'test over' } });
    await settle();
    this.calls.length = 0;
    this.badRequests.length = 0;
    this.replies.clear();
    this.listeners.clear();
    this.pathForFile = undefined;
  }

  private settleWith(c: FakeCall, r: CallResult): void {
    if (c.settled) throw new Error(`${c.name} answered twice`);
    c.settled = true;
    this.settlers.get(c)?.(r);
  }
}

/** Thrown from a `reply` function: the call fails with this code, as main would fail it. */
export class FakeFailure extends Error {
  constructor(
    readonly code: WireErrorCode,
    message: string,
  ) {
    super(message);
  }
  get wire() {
    return { code: this.code, message: this.message };
  }
}

/** Lets every answered call's continuation (and what it starts) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setTimeout(r, 0));
}

/**
 * Installs one fake bridge as `window.ctd` for a test file. api/client.ts keeps the bridge it
 * first finds, so the same object serves every test of the file; `reset` it between tests.
 */
export function installFakeBridge(): FakeBridge {
  const bridge = new FakeBridge();
  vi.stubGlobal('window', {
    ctd: {
      call: bridge.call.bind(bridge),
      on: bridge.on.bind(bridge),
      pathForFile: (file: File) => bridge.pathForFile?.(file) ?? '',
    },
  });
  return bridge;
}

/** Puts zustand stores back to the state they were created with (actions included). */
export function resetStores(
  ...stores: { setState(s: never, replace: true): void; getInitialState(): unknown }[]
): void {
  for (const s of stores) s.setState(s.getInitialState() as never, true);
}

/**
 * A domain object the store under test only carries (never reads): the fields a test checks,
 * typed as the whole thing. Where the store reads a field, the test sets it here.
 */
export function standIn<T>(fields: Partial<T> = {}): T {
  return fields as T;
}
