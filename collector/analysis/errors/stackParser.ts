// Adapts collector/source's stack-trace parser to the analysis `StackParser` seam; the
// OTel `telemetry.sdk.language` value becomes the parser's runtime hint.
import { runtimeHintForLanguage } from '../../source/locator';
import { parseStackTrace } from '../../source/stackTrace';
import type { StackParser } from './fingerprint';

export const sourceStackParser: StackParser = {
  parseStackTrace(text: string, runtime?: string) {
    return parseStackTrace(text, runtimeHintForLanguage(runtime));
  },
};
