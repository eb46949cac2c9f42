import './causes.css';

/** A bucket marked fixed that crashed again (docs/SIGNATURES.md, "Regressions"). */
export function RegressedPill({ fixedAt }: { fixedAt?: string | null }) {
  return (
    <span
      className="regressed-pill"
      data-testid="regressed-pill"
      title={
        fixedAt
          ? `Marked fixed on ${fixedAt.slice(0, 10)}, then crashed again`
          : 'Marked fixed, then crashed again'
      }
    >
      regressed
    </span>
  );
}
