import type { ArtifactRole, IncidentKind, IncidentSource } from '../../shared/domain/incident';
import type { IncidentCandidate } from './group';

/** What building one incident needs to know about one of its files (see ingest.ts). */
export interface QueuedFile {
  path: string;
  size: number;
  mtimeMs: number;
  /** The incident the index files it under, when the index holds it at this size and mtime. */
  storedIncident?: string;
}

/** One incident waiting to be (re)built: the grouped candidate without what grouping needed. */
export type QueuedCandidate = Omit<IncidentCandidate, 'files'> & {
  files: { file: QueuedFile; role: ArtifactRole }[];
  isNew: boolean;
};

/** No path, key or timestamp can hold NUL, on any file system. */
const SEP = '\u0000';
const HEAD_FIELDS = 7;
const FILE_FIELDS = 5;

/**
 * A cold scan of 100,000 incidents waits twenty minutes on analysis with every candidate
 * queued. As objects (the candidate, its file entries, each path) that queue was ~1 KB per
 * incident; as one flat string it is the bytes of its paths and ids (issue 15: peak RSS flat in
 * the number of incidents). `folder` is the scanned root and is not repeated.
 */
export function encodeCandidate(c: Omit<QueuedCandidate, 'folder'>): string {
  const parts: string[] = [
    c.isNew ? '1' : '0',
    c.id,
    c.key,
    c.source,
    c.kind,
    c.capturedAt,
    String(c.capturedMs),
  ];
  for (const { file, role } of c.files)
    parts.push(file.path, String(file.size), String(file.mtimeMs), role, file.storedIncident ?? '');
  // join() gives one flat string: the parts above are let go with the candidate.
  return parts.join(SEP);
}

export function decodeCandidate(s: string, folder: string): QueuedCandidate {
  const p = s.split(SEP);
  const files: QueuedCandidate['files'] = [];
  for (let i = HEAD_FIELDS; i + FILE_FIELDS <= p.length; i += FILE_FIELDS) {
    const stored = p[i + 4]!;
    const file: QueuedFile = { path: p[i]!, size: Number(p[i + 1]), mtimeMs: Number(p[i + 2]) };
    if (stored) file.storedIncident = stored;
    files.push({ file, role: p[i + 3] as ArtifactRole });
  }
  return {
    isNew: p[0] === '1',
    id: p[1]!,
    key: p[2]!,
    folder,
    source: p[3] as IncidentSource,
    kind: p[4] as IncidentKind,
    capturedAt: p[5]!,
    capturedMs: Number(p[6]),
    files,
  };
}
