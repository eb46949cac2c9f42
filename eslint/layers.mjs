// The layer rule (docs/ARCHITECTURE.md, "Layers"), as VS Code's code-layering check does it:
// every file belongs to a layer by its folder, and a layer may import only the layers listed
// for it. Relative imports are resolved to the file they name, so the rule does not depend on
// how many `../` a path needs. No exceptions: fix the import (move the code), not the table.
import { builtinModules } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');

/** The main-process layers a feature, a transport or the composition root may use. */
const SERVICES = [
  'store',
  'sources',
  'capture',
  'privacy',
  'export',
  'analysis',
  'formats',
  'platform',
  'shared',
];

/** Layer -> the layers its files may import (its own layer included). */
export const ALLOWED = {
  shared: ['shared'],
  formats: ['formats', 'shared'],
  analysis: ['analysis', 'formats', 'shared'],
  store: ['store', 'shared'],
  // Node process plumbing (starting worker threads) that services share; it imports no service.
  platform: ['platform', 'shared'],
  privacy: ['privacy', 'formats', 'platform', 'shared'],
  sources: ['sources', 'store', 'analysis', 'formats', 'platform', 'shared'],
  capture: ['capture', 'analysis', 'formats', 'platform', 'shared'],
  export: ['export', 'privacy', 'analysis', 'formats', 'platform', 'shared'],
  // What the composition root hands a feature: WorkbenchContext and the errors dispatch maps.
  context: ['context', 'store', 'sources', 'analysis', 'shared'],
  features: ['features', 'context', ...SERVICES],
  cli: ['cli', 'features', 'context', 'root', ...SERVICES],
  server: ['server', 'cli', 'context', 'root', ...SERVICES],
  root: ['root', 'features', 'context', 'server', 'cli', ...SERVICES],
  preload: ['preload', 'shared'],
  renderer: ['renderer', 'shared'],
};

/** Files at the top of src/main that features may import (everything else there is the root). */
const CONTEXT_FILES = new Set(['context', 'dispatch-errors']);
/** The only files that may import 'electron'. */
const ELECTRON_FILES = new Set(['src/main/index.ts', 'src/main/ipc.ts', 'src/preload/index.ts']);
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
/** Packages that belong to one layer. */
const PACKAGE_LAYERS = {
  'better-sqlite3': ['store'],
  react: ['renderer'],
  'react-dom': ['renderer'],
};
/** Layers that run without Node (the renderer, the sandboxed preload, code shared with both). */
const NO_NODE = new Set(['shared', 'renderer', 'preload']);

/** The layer of a repository-relative path, or null outside src/. */
export function layerOf(rel) {
  const parts = rel.split(/[\\/]/);
  if (parts[0] !== 'src' || parts.length < 3) return null;
  if (parts[1] !== 'main') return parts[1] in ALLOWED ? parts[1] : null;
  if (parts.length === 3) return CONTEXT_FILES.has(parts[2].replace(/\.tsx?$/, '')) ? 'context' : 'root';
  return parts[2] in ALLOWED ? parts[2] : 'root';
}

function packageName(spec) {
  const p = spec.split('/');
  return spec.startsWith('@') ? p.slice(0, 2).join('/') : p[0];
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the import layers of src/ (docs/ARCHITECTURE.md).' },
    schema: [],
    messages: {
      layer: "{{from}} may not import {{to}} ('{{spec}}'); {{from}} imports only: {{allowed}}.",
      electron: "Only src/main/index.ts, src/main/ipc.ts and the preload import 'electron'.",
      node: "{{from}} runs without Node: no '{{spec}}'.",
      pkg: "'{{spec}}' belongs to {{layers}}, not {{from}}.",
    },
  },
  create(context) {
    const file = relative(ROOT, context.filename).split(sep).join('/');
    const from = layerOf(file);
    if (!from) return {};
    const check = (node, spec) => {
      if (typeof spec !== 'string') return;
      if (spec.startsWith('.')) {
        const target = relative(ROOT, resolve(dirname(context.filename), spec))
          .split(sep)
          .join('/');
        const to = layerOf(target);
        if (to && !ALLOWED[from].includes(to))
          context.report({
            node,
            messageId: 'layer',
            data: { from, to, spec, allowed: ALLOWED[from].join(', ') },
          });
        return;
      }
      const name = packageName(spec);
      if (name === 'electron') {
        if (!ELECTRON_FILES.has(file)) context.report({ node, messageId: 'electron' });
      } else if (NODE_BUILTINS.has(spec) || NODE_BUILTINS.has(name)) {
        if (NO_NODE.has(from)) context.report({ node, messageId: 'node', data: { from, spec } });
      } else if (PACKAGE_LAYERS[name] && !PACKAGE_LAYERS[name].includes(from)) {
        context.report({
          node,
          messageId: 'pkg',
          data: { spec, from, layers: PACKAGE_LAYERS[name].join(', ') },
        });
      }
    };
    const fromSource = (node) => node.source && check(node.source, node.source.value);
    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
      TSImportType: (node) => {
        const arg = node.argument?.literal ?? node.argument;
        if (arg?.type === 'Literal') check(arg, arg.value);
      },
    };
  },
};
