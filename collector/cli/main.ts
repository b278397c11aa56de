// The `vibewatch` CLI (bundled to dist/cli.js). Each folder's verbs are CliCommands, listed
// here in the order `vibewatch --help` shows them.
import { collectCommand, healthCommand, statsCommand, tracesCommand } from './collectorCommands';
import { REFUSED_FLAGS } from '../config';
import { parseArgs, unknownFlags, usageText, type CliCommand, type CliIo } from './command';
import { isMainScript, processIo } from './io';

import { commands as sourceCommands } from './sourceCommands';
import { commands as gitCommands } from './gitCommands';
import { commands as analysisCommands } from './analysisCommands';

export const commands: CliCommand[] = [collectCommand, statsCommand, tracesCommand, healthCommand, ...sourceCommands, ...gitCommands, ...analysisCommands];

function help(list: CliCommand[]): string {
  const width = Math.max(...list.map((c) => c.name.length));
  return 'Usage: vibewatch <command> [options]\n\nCommands:\n' +
    list.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n') +
    '\n\nRun `vibewatch <command> --help` for the options of one command.\n';
}

/** Runs one CLI invocation; returns the exit code. */
export async function runCli(argv: string[], io: CliIo, list: CliCommand[] = commands): Promise<number> {
  const [verb, ...rest] = argv;
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') {
    io.stdout(help(list));
    return 0;
  }
  const cmd = list.find((c) => c.name === verb);
  if (!cmd) {
    io.stderr(`vibewatch: unknown command ${JSON.stringify(verb)}\n\n${help(list)}`);
    return 2;
  }
  const args = parseArgs(rest);
  if (args.flags.help || args.flags.h) {
    io.stdout(`${cmd.summary}\n\nUsage: ${usageText(cmd)}`);
    return 0;
  }
  const unknown = unknownFlags(cmd, args);
  const refused = unknown.find((f) => REFUSED_FLAGS[f]);
  if (refused) {
    io.stderr(`vibewatch ${cmd.name}: ${REFUSED_FLAGS[refused]}\n`);
    return 2;
  }
  if (unknown.length) {
    io.stderr(`vibewatch ${cmd.name}: unknown option ${unknown.map((f) => `--${f}`).join(', ')}\n\nUsage: ${usageText(cmd)}`);
    return 2;
  }
  return cmd.run(args, io);
}

if (isMainScript(__filename)) {
  runCli(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
      // `collect` may leave a stray handle after shutdown; never hang after the verb is done.
      setTimeout(() => process.exit(code), 2000).unref();
    },
    (err: Error) => {
      process.stderr.write(`vibewatch: ${err.stack ?? err.message}\n`);
      process.exitCode = 1;
    },
  );
}
