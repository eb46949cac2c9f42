import type { IncidentKind, IncidentStatus, ParseStatus } from '../../../../shared/domain/incident';

const KIND_GLYPH: Record<IncidentKind, string> = { crash: '✕', hang: '❚❚', manual: '◉', unknown: '?' };

export function KindBadge({ kind }: { kind: IncidentKind }) {
  return (
    <span className={`kind-badge kind-${kind}`} title={kind}>
      <span className="kind-glyph" aria-hidden>
        {KIND_GLYPH[kind]}
      </span>
      {kind}
    </span>
  );
}

export function StatusPill({ status }: { status: IncidentStatus }) {
  return <span className={`status-pill status-${status}`}>{status}</span>;
}

export function ParsePill({ status }: { status: ParseStatus }) {
  return <span className={`parse-pill parse-${status}`}>{status}</span>;
}

export const SOURCE_LABEL: Record<string, string> = {
  skyrimdiag: 'SkyrimDiag',
  crashlogger: 'Crash log',
  wer: 'WER dump',
  bundle: 'Bundle',
  capture: 'Capture',
};
