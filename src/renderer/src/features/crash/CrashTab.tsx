import type { IncidentDetail } from '../../../../shared/domain/incident';
import { MemorySection } from './sections/HexView';
import { ModulesSection } from './sections/Modules';
import { StreamsSection } from './sections/Streams';
import {
  AnnotationsSection,
  CulpritsSection,
  ExceptionSection,
  ProblemsSection,
  RegistersSection,
  stackThread,
  threadLabel,
  VerdictHead,
} from './sections/Summary';
import { ThreadsSection } from './sections/Threads';
import { Stack } from './Stack';
import { useDumpAnalysis } from './use-dump-analysis';
import './crash.css';

export function hasDump(incident: IncidentDetail): boolean {
  return incident.artifacts.some((a) => a.role === 'dump');
}

/** Crash tab: verdict, exception, registers, stacks with frame trust, threads, modules, streams, memory. */
export function CrashTab({ incident }: { incident: IncidentDetail }) {
  const current = useDumpAnalysis(incident.id);
  if (!current) return <div className="crash-tab crash-muted">Reading the dump…</div>;
  const a = current.analysis;
  if (!a || current.artifactId === null)
    return <div className="crash-tab crash-muted">{current.error ?? 'No analysis.'}</div>;
  const artifactId = current.artifactId;
  // Sections keyed by incident so their on-demand state (a thread's stack, a stream's bytes)
  // starts empty for the next incident.
  return (
    <div className="crash-tab" key={incident.id}>
      <VerdictHead a={a} />
      <ProblemsSection a={a} />
      <ExceptionSection a={a} />
      <CulpritsSection a={a} />
      <section>
        <h2 data-testid="crash-stack-title">
          {a.exception
            ? `Crashing thread stack (${threadLabel(stackThread(a))})`
            : `Stack of thread ${threadLabel(stackThread(a))}, usually the game's main thread`}
        </h2>
        <Stack frames={a.stack} />
      </section>
      <RegistersSection a={a} />
      <ThreadsSection artifactId={artifactId} a={a} />
      <ModulesSection a={a} />
      <StreamsSection artifactId={artifactId} a={a} />
      <AnnotationsSection a={a} />
      <MemorySection artifactId={artifactId} a={a} />
    </div>
  );
}
