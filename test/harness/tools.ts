// Where scripts/ensure-tools.sh put the tools the in-host and browser tests need.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Tools {
  node24: string;
  codeServer: string;
  chromium: string;
}

export function toolsCacheDir(): string {
  return process.env.VIBEWATCH_TOOLS_CACHE ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'vibewatch-tools');
}

export function loadTools(): Tools {
  const file = path.join(toolsCacheDir(), 'tools.json');
  if (!fs.existsSync(file)) {
    throw new Error(`${file} is missing: run \`bash scripts/ensure-tools.sh\` first (installs chromium, Node 24 and code-server into a cache)`);
  }
  const tools = JSON.parse(fs.readFileSync(file, 'utf8')) as Tools;
  for (const [name, p] of Object.entries(tools)) {
    if (!p || !fs.existsSync(p)) throw new Error(`${name} not found at ${p}: run \`bash scripts/ensure-tools.sh\``);
  }
  return tools;
}

export function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) || !fs.existsSync(path.join(dir, 'extension'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the repository root from ' + __dirname);
    dir = up;
  }
  return dir;
}

export function artifactsDir(...sub: string[]): string {
  const dir = path.join(repoRoot(), 'test-artifacts', ...sub);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
