import type { DumpAnalysis } from '../../../../../shared/domain/minidump';

/**
 * The thread the tab's main stack is of: the crashing one, or (a dump written while the game ran
 * or hung: no exception) the first thread, which is the game's main thread in a game's dump.
 */
export function stackThread(a: DumpAnalysis): DumpAnalysis['threads'][number] | undefined {
  return a.threads.find((t) => t.crashed) ?? a.threads[0];
}

/** "#0 id 5120 "Main"". */
export function threadLabel(t: DumpAnalysis['threads'][number] | undefined): string {
  return t ? `#${t.index} id ${t.id}${t.name ? ` "${t.name}"` : ''}` : '';
}

/** Verdict line, bucket and system. */
export function VerdictHead({ a }: { a: DumpAnalysis }) {
  return (
    <>
      <div className={a.exception ? 'crash-verdict' : 'crash-verdict crash-ok'}>
        {a.exception
          ? a.verdict
          : 'No exception in this dump: it was written while the game was running or not responding (a hang or a manual capture), not by a crash.'}
      </div>
      <div className="crash-meta">
        <span>Bucket: {a.bucketTitle}</span>
        {a.system && (
          <span>
            {a.system.os} {a.system.osVersion} · {a.system.cpu} ({a.system.cpuInfo}, {a.system.cpuCount} CPU)
          </span>
        )}
      </div>
    </>
  );
}

/** Streams the reader could not use. */
export function ProblemsSection({ a }: { a: DumpAnalysis }) {
  if (a.problems.length === 0) return null;
  return (
    <section className="crash-problems">
      <h2>Damaged streams</h2>
      <ul>
        {a.problems.map((p, i) => (
          <li key={i} className="crash-mono">
            {p.stream} at offset 0x{p.offset.toString(16)}: {p.message}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ExceptionSection({ a }: { a: DumpAnalysis }) {
  const ex = a.exception;
  if (!ex) return null;
  return (
    <section>
      <h2>Exception</h2>
      <dl className="crash-dl">
        <dt>Code</dt>
        <dd className="crash-mono">
          {ex.code} {ex.reason}
        </dd>
        <dt>Address</dt>
        <dd className="crash-mono">{ex.crashAddress}</dd>
        <dt>Where</dt>
        <dd className="crash-mono">
          {ex.faultingModule ? `${ex.faultingModule}+${ex.faultingOffset ?? ''}` : ex.location}
        </dd>
        <dt>Thread</dt>
        <dd>
          #{ex.threadIndex} id {ex.threadId}
          {ex.threadName ? ` "${ex.threadName}"` : ''}
        </dd>
        <dt>Parameters</dt>
        <dd className="crash-mono">{ex.parameters.join(' ') || '—'}</dd>
      </dl>
    </section>
  );
}

export function CulpritsSection({ a }: { a: DumpAnalysis }) {
  if (a.culprits.length === 0) return null;
  return (
    <section>
      {/* Without a crash the ranking is only how present each module is on one thread's stack. */}
      <h2>
        {a.exception ? 'Likely culprits' : `Modules on the stack of thread ${threadLabel(stackThread(a))}`}
      </h2>
      <ol>
        {a.culprits.map((c) => (
          <li key={c.module}>
            <strong>{c.module}</strong> ({c.score}): {c.evidence.join('; ')}
          </li>
        ))}
      </ol>
    </section>
  );
}

export function RegistersSection({ a }: { a: DumpAnalysis }) {
  return (
    <section>
      <h2>{a.exception ? 'Registers' : `Registers of thread ${threadLabel(stackThread(a))}`}</h2>
      <div className="crash-regs crash-mono">
        {Object.entries(a.registers).map(([k, v]) => (
          <span key={k}>
            {k} = {v}
          </span>
        ))}
      </div>
    </section>
  );
}

export function AnnotationsSection({ a }: { a: DumpAnalysis }) {
  if (Object.keys(a.annotations).length + a.comments.length === 0) return null;
  return (
    <section>
      <h2>Annotations and comments</h2>
      <ul>
        {Object.entries(a.annotations).map(([k, v]) => (
          <li key={k} className="crash-mono">
            {k} = {v}
          </li>
        ))}
        {a.comments.map((c, i) => (
          <li key={`c${i}`}>{c}</li>
        ))}
      </ul>
    </section>
  );
}
