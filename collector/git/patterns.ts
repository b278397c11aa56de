// Which commits count as AI-written: trailers and authors. Defaults cover the common
// agents; users extend them in settings with the same JSON shape (`AiPatternSpec`).
import type { CommitInfo } from './log';

export interface AiPatternSpec {
  /** Tool name recorded on matches (e.g. "Claude Code"). */
  tool: string;
  /** Trailer key to look at, case-insensitive (e.g. "Co-authored-by"). */
  trailer?: string;
  /** Regex (case-insensitive) on the trailer value; absent = any value of that trailer. */
  value?: string;
  /** Regex (case-insensitive) on "Author Name <email>", instead of a trailer. */
  author?: string;
  /** Take the tool from the trailer value's "Name:" prefix (kernel `Assisted-by: AGENT:MODEL`). */
  toolFromValue?: boolean;
}

export const DEFAULT_AI_PATTERNS: readonly AiPatternSpec[] = [
  { tool: 'GitHub Copilot', trailer: 'Co-authored-by', value: 'copilot' },
  { tool: 'Claude', trailer: 'Co-authored-by', value: 'noreply@anthropic\\.com|\\bclaude\\b' },
  { tool: 'Codex', trailer: 'Co-authored-by', value: 'noreply@openai\\.com|\\bcodex\\b' },
  { tool: 'Cursor', trailer: 'Co-authored-by', value: '\\bcursor' },
  { tool: 'Gemini', trailer: 'Co-authored-by', value: '\\bgemini\\b' },
  { tool: 'Devin', trailer: 'Co-authored-by', value: '\\bdevin\\b' },
  { tool: 'Aider', trailer: 'Co-authored-by', value: '\\baider\\b' },
  { tool: 'Junie', trailer: 'Co-authored-by', value: '\\bjunie\\b' },
  { tool: 'Aider', author: '\\(aider\\)' },
  // Agents that commit under their own identity.
  { tool: 'GitHub Copilot', author: '^copilot(-swe-agent\\[bot\\])? <' },
  { tool: 'Claude', author: '^claude(\\[bot\\])? <' },
  { tool: 'Devin', author: '^devin-ai-integration\\[bot\\]' },
  { tool: 'Codex', author: '^chatgpt-codex-connector\\[bot\\]' },
  { tool: 'Jules', author: '^google-labs-jules\\[bot\\]' },
  { tool: 'Cursor', author: '^cursor(agent|\\[bot\\])? <' },
  { tool: 'AI', trailer: 'Assisted-by', toolFromValue: true },
  { tool: 'AI', trailer: 'Generated-by', toolFromValue: true },
  // Bot authors ("name[bot]"). Dependency bots only bump manifests; they are not AI code.
  { tool: 'bot', author: '^(?!(dependabot|renovate)).*\\[bot\\]' },
];

export interface AiMatch {
  source: 'trailer' | 'author';
  tool: string;
  model?: string;
  /** The evidence, e.g. "Co-authored-by: Claude <noreply@anthropic.com>". */
  confirmedBy: string;
}

interface Compiled {
  spec: AiPatternSpec;
  value?: RegExp;
  author?: RegExp;
}

export class AiPatterns {
  private readonly compiled: Compiled[];

  /** `extra` patterns (from settings) are tried before the defaults. Invalid regexes throw. */
  constructor(extra: readonly AiPatternSpec[] = [], useDefaults = true) {
    const all = [...extra, ...(useDefaults ? DEFAULT_AI_PATTERNS : [])];
    this.compiled = all.map((spec) => ({
      spec,
      value: spec.value ? new RegExp(spec.value, 'i') : undefined,
      author: spec.author ? new RegExp(spec.author, 'i') : undefined,
    }));
  }

  /** The first pattern a commit matches, or undefined for a human commit. */
  match(c: Pick<CommitInfo, 'authorName' | 'authorEmail' | 'trailers'>): AiMatch | undefined {
    for (const p of this.compiled) {
      if (p.author) {
        const who = `${c.authorName} <${c.authorEmail}>`;
        if (p.author.test(who)) {
          const tool = p.spec.tool === 'bot' ? c.authorName.replace(/\[bot\]$/i, '').trim() || 'bot' : p.spec.tool;
          return { source: 'author', tool, confirmedBy: `author: ${who}` };
        }
        continue;
      }
      if (!p.spec.trailer) continue;
      const key = p.spec.trailer.toLowerCase();
      for (const t of c.trailers) {
        if (t.key.toLowerCase() !== key) continue;
        if (p.value && !p.value.test(t.value)) continue;
        return { source: 'trailer', confirmedBy: `${t.key}: ${t.value}`, ...toolAndModel(p.spec, t.value) };
      }
    }
    return undefined;
  }
}

function toolAndModel(spec: AiPatternSpec, value: string): { tool: string; model?: string } {
  const name = value.replace(/<[^>]*>/, '').trim();
  if (spec.toolFromValue) {
    // Kernel style "AGENT_NAME:MODEL_VERSION [TOOL...]", or a plain name.
    const m = /^([^:\s]+(?:\s[^:\s<]+)*?)\s*:\s*(\S+)/.exec(name);
    if (m) return { tool: m[1], model: m[2] };
    return { tool: name || spec.tool };
  }
  return { tool: spec.tool, model: name && name.toLowerCase() !== spec.tool.toLowerCase() ? name : undefined };
}
