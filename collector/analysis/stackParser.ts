// Adapts collector/source's stack-trace parser to the analysis `StackParser` seam, mapping
// the OTel `telemetry.sdk.language` values to the parser's runtime hints.
import type { RuntimeHint } from '../source/types';
import { parseStackTrace } from '../source/stackTrace';
import type { StackParser } from './fingerprint';

const HINTS: Record<string, RuntimeHint> = {
  nodejs: 'node', node: 'node', webjs: 'browser', browser: 'browser', python: 'python', java: 'java', go: 'go', dotnet: 'dotnet', ruby: 'ruby',
};

export const sourceStackParser: StackParser = {
  parseStackTrace(text: string, runtime?: string) {
    return parseStackTrace(text, (runtime && HINTS[runtime]) || 'auto');
  },
};
