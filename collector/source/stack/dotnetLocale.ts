// .NET prints stack frames in the system's language: `在 X() 位置 C:\a.cs:行号 12` (zh-CN),
// `bei X() in C:\a.cs:Zeile 12` (de), `à X() dans C:\a.cs:ligne 12` (fr), `en X() en C:\a.cs:línea 12`
// (es), `в X() в C:\a.cs:строка 12` (ru), `場所 X() 場所 C:\a.cs:行 12` (ja), `em X() em C:\a.cs:linha 12`
// (pt), `in X() in C:\a.cs:riga 12` (it). Such lines are rewritten to the English form the .NET
// parser reads; every other line is returned unchanged.

const AT = '(?:在|bei|à|en|в|場所|em|in)';
const IN = '(?:位置|in|dans|en|в|場所|em)';
const LINE = '(?:行号|Zeile|ligne|línea|строка|行|linha|riga)';
const WITH_FILE = new RegExp(`^(\\s*)${AT} ([^\\s(]+\\([^()]*\\)) ${IN} (.+):${LINE} ?(\\d+)\\s*$`);
const NO_FILE = new RegExp(`^(\\s*)${AT} ([^\\s(]+\\([^()]*\\))\\s*$`);

export function englishDotnetFrame(line: string): string {
  if (!/^\s+\S/.test(line) || !line.includes('(')) return line;
  const m = WITH_FILE.exec(line);
  if (m) return `${m[1]}at ${m[2]} in ${m[3]}:line ${m[4]}`;
  const n = NO_FILE.exec(line);
  return n ? `${n[1]}at ${n[2]}` : line;
}
