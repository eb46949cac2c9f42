import type { ArtifactRef } from '../../shared/contract/define';
import type { Artifact, ArtifactRole } from '../../shared/domain/incident';
import { BadRequestError, NotFoundError } from '../dispatch-errors';
import type { IncidentStore } from '../store/incident-store';

/**
 * The artifact an ArtifactRef names: by id (it must have `role`), or the incident's first
 * artifact of `role`, null when the incident has none. Unknown ids are NotFound; an id of
 * another role, or a ref naming neither, is a BadRequest. `what` names the role in messages
 * ("a dump", "a crash log").
 */
export function resolveArtifact(
  store: Pick<IncidentStore, 'get' | 'getArtifact'>,
  ref: ArtifactRef,
  role: ArtifactRole,
  what: string,
): Artifact | null {
  if (ref.artifactId !== undefined) {
    const a = store.getArtifact(ref.artifactId);
    if (!a) throw new NotFoundError(`artifact ${ref.artifactId} not found`);
    if (a.role !== role) throw new BadRequestError(`artifact ${ref.artifactId} is not ${what}`);
    return a;
  }
  if (ref.incidentId !== undefined) {
    const inc = store.get(ref.incidentId);
    if (!inc) throw new NotFoundError(`incident ${ref.incidentId} not found`);
    return inc.artifacts.find((x) => x.role === role) ?? null;
  }
  throw new BadRequestError('artifactId or incidentId is required');
}
