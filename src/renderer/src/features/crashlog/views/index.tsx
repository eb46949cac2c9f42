import type { ComponentType } from 'react';
import type { CrashLogAnalysis } from '../../../../../shared/domain/crashlog';
import type { CrashLogView } from '../crashlog-store';
import { CallStack } from './CallStack';
import { Modules } from './Modules';
import { Objects } from './Objects';
import { Plugins } from './Plugins';
import { Raw } from './Raw';
import { Rules } from './Rules';
import { Slots } from './Slots';
import { Summary } from './Summary';

export interface CrashLogSection {
  id: CrashLogView;
  label: (a: CrashLogAnalysis) => string;
  Component: ComponentType<{ a: CrashLogAnalysis }>;
}

/** The Crash log tab's sections, in button order: one line per section. */
export const crashLogSections: CrashLogSection[] = [
  {
    id: 'summary',
    label: (a) => `Summary${a.findings.length ? ` · ${a.findings.length}` : ''}`,
    Component: Summary,
  },
  { id: 'stack', label: (a) => `Call stack (${a.parsed.callStack.length})`, Component: CallStack },
  {
    id: 'registers',
    label: (a) => `Registers (${a.parsed.registers.length})`,
    Component: ({ a }) => <Slots slots={a.parsed.registers} label="registers" testId="crashlog-registers" />,
  },
  {
    id: 'slots',
    label: (a) => `Stack (${a.parsed.stack.length})`,
    Component: ({ a }) => <Slots slots={a.parsed.stack} label="stack slots" testId="crashlog-stack" />,
  },
  { id: 'modules', label: (a) => `Modules (${a.parsed.modules.length})`, Component: Modules },
  { id: 'plugins', label: (a) => `Plugins (${a.parsed.gamePlugins.length})`, Component: Plugins },
  { id: 'objects', label: (a) => `Objects (${a.parsed.relevantObjects.length})`, Component: Objects },
  { id: 'raw', label: () => 'Raw', Component: Raw },
  { id: 'rules', label: () => 'Rules', Component: Rules },
];
