/** How a file went into a bundle, as the export dialog and the Bundle tab name it. */
export const TREATMENT_LABEL: Record<string, string> = {
  'redacted-text': 'redacted',
  'sanitized-dump': 'sanitized',
  copied: 'as is',
  generated: 'generated',
};
