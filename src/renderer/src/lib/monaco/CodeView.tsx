import Editor, { type OnMount } from '@monaco-editor/react';
import { useEffect, useRef, useState } from 'react';
import { monaco } from './setup';
import './code-view.css';

export interface CodeViewProps {
  value: string;
  language: string;
  /** Model URI; the manifest prefix turns on schema validation. */
  path: string;
  height?: string | number;
  onMarkers?: (count: number) => void;
  /** Number shown for the first line, when the value is a window into a bigger file. */
  firstLineNumber?: number;
  /** Line of the value (1-based) to scroll to and mark; changes re-reveal. */
  revealLine?: number | undefined;
  wordWrap?: 'on' | 'off';
}

function prefersDark(): boolean {
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
}

/** Read-only Monaco viewer that follows the OS light/dark setting. */
export default function CodeView({
  value,
  language,
  path,
  height = '100%',
  onMarkers,
  firstLineNumber = 1,
  revealLine,
  wordWrap = 'on',
}: CodeViewProps) {
  const [dark, setDark] = useState(prefersDark);
  const editorRef = useRef<Parameters<OnMount>[0] | null>(null);
  const marks = useRef<{ clear(): void } | null>(null);
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

  const reveal = (line: number | undefined) => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    marks.current?.clear();
    marks.current = null;
    if (!editor || !model || line === undefined || line < 1 || line > model.getLineCount()) return;
    editor.revealLineInCenter(line);
    editor.setPosition({ lineNumber: line, column: 1 });
    marks.current = editor.createDecorationsCollection([
      {
        range: new monaco.Range(line, 1, line, 1),
        options: { isWholeLine: true, className: 'code-line-focus' },
      },
    ]);
  };

  // After the value of a new window is in the model, scroll to the asked line.
  useEffect(() => {
    reveal(revealLine);
  }, [revealLine, value]);

  const onMount: OnMount = (editor) => {
    editor.updateOptions({ readOnly: true, domReadOnly: true });
    editorRef.current = editor;
    reveal(revealLine);
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
        wordWrap,
        lineNumbers: firstLineNumber === 1 ? 'on' : (n: number) => String(n + firstLineNumber - 1),
        lineNumbersMinChars: Math.max(5, String(firstLineNumber).length + 2),
        renderWhitespace: 'none',
        automaticLayout: true,
        fixedOverflowWidgets: true,
      }}
    />
  );
}
