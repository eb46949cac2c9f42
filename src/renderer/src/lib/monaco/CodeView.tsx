import Editor, { type OnMount } from '@monaco-editor/react';
import type { editor as MonacoEditor } from 'monaco-editor';
import { useEffect, useRef, useState } from 'react';
import { monaco } from './setup';

export interface CodeViewProps {
  value: string;
  language: string;
  /** Model URI; the manifest prefix turns on schema validation. */
  path: string;
  height?: string | number;
  onMarkers?: (count: number) => void;
  /** 1-based line to scroll to and select (e.g. a section picked from an outline). */
  line?: number | undefined;
}

function prefersDark(): boolean {
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
}

function reveal(ed: MonacoEditor.IStandaloneCodeEditor, line: number): void {
  ed.revealLineNearTop(line);
  ed.setSelection({ startLineNumber: line, startColumn: 1, endLineNumber: line, endColumn: 1 });
}

/** Read-only Monaco viewer that follows the OS light/dark setting. */
export default function CodeView({ value, language, path, height = '100%', onMarkers, line }: CodeViewProps) {
  const [dark, setDark] = useState(prefersDark);
  const editorRef = useRef<MonacoEditor.IStandaloneCodeEditor | null>(null);
  useEffect(() => {
    const mq = window.matchMedia?.('(prefers-color-scheme: dark)');
    if (!mq) return;
    const on = () => setDark(mq.matches);
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);

  useEffect(() => {
    if (!onMarkers || language !== 'json') return;
    const uri = monaco.Uri.parse(path);
    let live = true;
    const report = () => live && onMarkers(monaco.editor.getModelMarkers({ resource: uri }).length);
    const sub = monaco.editor.onDidChangeMarkers((uris) => {
      if (uris.some((u) => u.toString() === uri.toString())) report();
    });
    // A valid document never fires a marker change, so ask the JSON worker once it has the
    // model: its answer queues behind the first validation, after which markers are final.
    const timer = setInterval(() => {
      if (!monaco.editor.getModel(uri)) return;
      clearInterval(timer);
      void monaco.json
        .getWorker()
        .then((get) => get(uri))
        .then((w) => w.getMatchingSchemas(uri.toString()))
        .then(() => setTimeout(report, 300))
        .catch(() => undefined);
    }, 50);
    return () => {
      live = false;
      clearInterval(timer);
      sub.dispose();
    };
  }, [path, language, value, onMarkers]);

  useEffect(() => {
    const ed = editorRef.current;
    if (ed && line) reveal(ed, line);
  }, [line]);

  const onMount: OnMount = (editor) => {
    editor.updateOptions({ readOnly: true, domReadOnly: true });
    editorRef.current = editor;
    if (line) reveal(editor, line);
  };

  return (
    <Editor
      value={value}
      language={language}
      path={path}
      height={height}
      theme={dark ? 'vs-dark' : 'vs'}
      onMount={onMount}
      loading={<div className="muted pad">Loading editor…</div>}
      options={{
        readOnly: true,
        // Monaco hides squiggles in read-only editors by default; schema problems must show.
        renderValidationDecorations: 'on',
        minimap: { enabled: false },
        scrollBeyondLastLine: false,
        fontSize: 12,
        wordWrap: 'on',
        renderWhitespace: 'none',
        automaticLayout: true,
        fixedOverflowWidgets: true,
      }}
    />
  );
}
