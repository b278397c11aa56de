// One verb of the `vibewatch` CLI. Each area exports its verbs from its own `cli.ts`;
// collector/cli/main.ts lists them. `run` returns the process exit code.
export interface CliCommand {
  name: string;
  /** One line for `vibewatch --help`. */
  summary: string;
  /** Usage text for `vibewatch NAME --help`. */
  usage: string;
  run(args: ParsedArgs, io: CliIo): Promise<number>;
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
