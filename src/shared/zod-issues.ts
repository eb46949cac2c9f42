/**
 * The one way a failed zod parse becomes words, for every reader of untrusted JSON (requests on
 * either transport, CLI flags, bundle and incident manifests, rule files). Typed structurally so
 * it takes zod 4's issues without importing zod's internals.
 */
export interface IssueLike {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** Where an issue is: its path joined with dots, or `root` when it is about the whole value. */
export function issuePath(issue: IssueLike, root = '(root)'): string {
  return issue.path.map(String).join('.') || root;
}

/**
 * "path: message" for each issue, joined with "; ". `max` keeps the first few (a broken file
 * can have hundreds), `prefix` spells paths as the user typed them (`--` for CLI flags), `root`
 * names the whole value.
 */
export function formatIssues(
  error: { readonly issues: readonly IssueLike[] },
  opts: { max?: number; prefix?: string; root?: string } = {},
): string {
  const { max = Infinity, prefix = '', root } = opts;
  return error.issues
    .slice(0, max)
    .map((i) => `${prefix}${issuePath(i, root)}: ${i.message}`)
    .join('; ');
}
