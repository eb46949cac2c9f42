import type { Rule } from 'eslint';

declare const rule: Rule.RuleModule;
export default rule;
export const ALLOWED: Record<string, readonly string[]>;
export function layerOf(rel: string): string | null;
