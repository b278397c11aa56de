// Shapes of collector/source: parsed stack traces, path resolutions, and the registry the
// Locator reads workspace folders and path mappings from.
import type { SourceLocation } from '../model/types';

export type Runtime = 'node' | 'browser' | 'python' | 'java' | 'go' | 'dotnet' | 'ruby';
export type RuntimeHint = Runtime | 'auto';
export const RUNTIME_HINTS: readonly RuntimeHint[] = ['auto', 'node', 'browser', 'python', 'java', 'go', 'dotnet', 'ruby'];

export interface StackFrame {
  /** As printed by the runtime, with `file://` URLs turned into paths. Absent when the runtime printed none (.NET without pdb, Java `Native Method`). */
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  function?: string;
  /** False for runtime, standard-library and dependency frames (node_modules, site-packages, GOROOT, java.*, System.*, gems). */
  inApp: boolean;
}

/** One exception of a chain (Java `Caused by:`, Python chained tracebacks). */
export interface ParsedException {
  type?: string;
  message?: string;
  /** Innermost (throw site) first, whatever order the runtime printed them in. */
  frames: StackFrame[];
}

export interface ParsedStack extends ParsedException {
  runtime?: Runtime;
  /** Why there are no frames (or why the list is partial). */
  reason?: string;
  /** Causes of the exception above, nearest cause first (Java `Caused by:`, Python's earlier tracebacks). */
  causes?: ParsedException[];
  /** Frames were dropped at the frame limit or lines were cut. */
  truncated?: boolean;
}

export interface ParseOptions {
  /** Frames kept per exception (default 200). */
  maxFrames?: number;
}

/** Where the Locator learns which folders are open and how deployed paths map onto them. */
export interface WorkspaceRegistry {
  folders(): string[];
  /** `vibewatch.pathMappings`: deployed prefix → local prefix, `${workspaceFolder}` allowed. */
  pathMappings(): Record<string, string>;
}

export type PathResolution =
  | { kind: 'file'; file: string; how: 'exact' | 'mapping' | 'suffix'; confidence: number; matchedSegments: number }
  | { kind: 'ambiguous'; ambiguous: string[]; reason: string }
  | { kind: 'unresolved'; reason: string };

/** A frame or attribute location resolved to the workspace, or why not. */
export type FrameResolution =
  | { kind: 'location'; location: SourceLocation; generated?: { file: string; line: number; column?: number } }
  | { kind: 'ambiguous'; ambiguous: string[]; reason: string }
  | { kind: 'unresolved'; reason: string };
