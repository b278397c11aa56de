// One verb of the `vibewatch` CLI. Each folder exports its verbs from its own `cli.ts`;
// collector/cli/main.ts lists them. `run` returns the process exit code.
//
// Contract: `options` is the whole list of flags the verb reads. `vibewatch NAME --help` is
// generated from it and `runCli` refuses any other flag (exit 2), so a flag that works is a
// flag that the help lists (and the README's CLI table, which a test compares with it).
export interface CliCommand {
  name: string;
  /** One line for `vibewatch --help`. */
  summary: string;
  options: readonly CliOption[];
  /** What follows the flags in the synopsis, e.g. `< input`. */
  operands?: string;
  /** Free text after the option list (input formats, exit codes). */
  notes?: string;
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

export interface CliOption {
  /** Without the leading `--`. */
  name: string;
  /** Placeholder of the value (`N`, `DIR`); absent for a bare switch. */
  arg?: string;
  help: string;
}

/** The flags every client verb takes (they connect to a running collector). */
export const CLIENT_OPTIONS: readonly CliOption[] = [
  { name: 'host', arg: 'H', help: 'collector host (default 127.0.0.1)' },
  { name: 'port', arg: 'N', help: 'collector port (default 4318)' },
  { name: 'storage', arg: 'DIR', help: "the collector's storage folder, which holds its secret (default $VIBEWATCH_STORAGE or ~/.local/share/vibewatch); a collector in remote mode also needs $VIBEWATCH_API_KEY" },
  { name: 'json', help: 'print JSON' },
];

/** `vibewatch NAME --help`: synopsis, one line per option, notes. */
export function usageText(cmd: CliCommand): string {
  const synopsis = ['vibewatch', cmd.name, ...cmd.options.map((o) => `[--${o.name}${o.arg ? ` ${o.arg}` : ''}]`), ...(cmd.operands ? [cmd.operands] : [])].join(' ');
  const left = cmd.options.map((o) => `--${o.name}${o.arg ? ` ${o.arg}` : ''}`);
  const width = Math.max(0, ...left.map((l) => l.length));
  const lines = cmd.options.map((o, i) => `  ${left[i].padEnd(width)}  ${o.help}`);
  return `${synopsis}\n\n${lines.join('\n')}\n${cmd.notes ? `\n${cmd.notes.replace(/\n?$/, '\n')}` : ''}`;
}

/** Flags given that the verb does not take (`help`/`h` are always allowed). */
export function unknownFlags(cmd: CliCommand, args: ParsedArgs): string[] {
  const known = new Set(['help', 'h', ...cmd.options.map((o) => o.name)]);
  return Object.keys(args.flags).filter((f) => !known.has(f));
}

export interface ParsedArgs {
  /** Positional arguments after the verb. */
  positional: string[];
  /** `--name value`, `--name=value`; bare `--flag` is `true`. Repeated flags keep the last. */
  flags: Record<string, string | true>;
}

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads all of stdin (for verbs that take a stack trace or a diff). */
  readStdin: () => Promise<string>;
  env: NodeJS.ProcessEnv;
}

export function parseArgs(argv: string[]): ParsedArgs {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { positional.push(...argv.slice(i + 1)); break; }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) flags[a.slice(2, eq)] = a.slice(eq + 1);
      else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) flags[a.slice(2)] = argv[++i];
      else flags[a.slice(2)] = true;
    } else positional.push(a);
  }
  return { positional, flags };
}
