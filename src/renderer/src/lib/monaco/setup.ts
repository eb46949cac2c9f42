import { monaco } from './monaco-lite';
import { loader } from '@monaco-editor/react';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/languages/features/json/json.worker?worker';
import { MANIFEST_MODEL_PREFIX } from './paths';
import { registerLogLanguage } from './log-language';
import manifestSchema from '../../../../../resources/schemas/incident-manifest.schema.json';

/**
 * Monaco comes from our own bundle: without loader.config the React wrapper would fetch it
 * from a CDN, which the CSP (rightly) blocks. Loaded lazily so the list paints without it.
 */
self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string) {
    return label === 'json' ? new JsonWorker() : new EditorWorker();
  },
};

monaco.json.jsonDefaults.setDiagnosticsOptions({
  validate: true,
  allowComments: false,
  enableSchemaRequest: false,
  schemas: [
    {
      uri: 'ctd-workbench://schemas/incident-manifest.schema.json',
      fileMatch: [`${MANIFEST_MODEL_PREFIX}*`],
      schema: manifestSchema,
    },
  ],
});

registerLogLanguage(monaco);

loader.config({ monaco });

export { monaco };
