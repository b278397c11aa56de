// Project rules that the type checker cannot see. Fails (exit 1) with one line per finding.
//  1. collector/ never imports vscode: it runs as a plain Node process and CLI.
//  2. webview/ never imports vscode or node built-ins: it runs in a browser sandbox.
//  3. No nonce from Math.random anywhere (webview CSP nonces come from crypto).
//  4. The collector's layering (scripts/layering.mjs): model/ alone, storage without the wire,
//     cli/ only from the entry points, no import cycles.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkLayering } from './layering.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (name === 'node_modules' || name === 'fixtures') continue;
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else if (/\.(ts|js|mjs|cjs)$/.test(name)) out.push(full);
  }
  return out;
}
const importOf = (mod) => new RegExp(`(from\\s*|require\\(\\s*|import\\(\\s*|import\\s+)['"]${mod}['"]`);
const findings = [];
const check = (dir, rule, re) => {
  let files = [];
  try { files = walk(join(root, dir)); } catch { return; }
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    text.split('\n').forEach((line, i) => { if (re.test(line)) findings.push(`${relative(root, f)}:${i + 1}: ${rule}`); });
  }
};
check('collector', 'collector/ must not import vscode', importOf('vscode'));
check('webview', 'webview/ must not import vscode', importOf('vscode'));
check('webview', 'webview/ must not import node built-ins', importOf('(node:[a-z_/]+|fs|child_process|net|http)'));
check('webview', 'nonces must come from crypto, not Math.random', /nonce.*Math\.random|Math\.random.*nonce/i);
check('extension', 'nonces must come from crypto, not Math.random', /nonce.*Math\.random|Math\.random.*nonce/i);
findings.push(...checkLayering(join(root, 'collector')));
if (findings.length) {
  console.error(findings.join('\n'));
  console.error(`[lint] ${findings.length} finding(s)`);
  process.exit(1);
}
console.log('[lint] ok');
