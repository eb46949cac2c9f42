/** Model URIs under this prefix get the incident-manifest JSON schema (see setup.ts). */
export const MANIFEST_MODEL_PREFIX = 'inmemory://ctd/manifest/';
