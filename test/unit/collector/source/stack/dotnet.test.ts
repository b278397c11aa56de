import { strict as assert } from 'node:assert';
import { parseStackTrace } from '../../../../../collector/source/stackTrace';
import { corpusTrace } from './corpusFixture';

describe('.NET exception text', () => {
  it('reads Mono frames (a space before the arguments, `[0x…] in <hash>:0`) as .NET, not JavaScript', () => {
    const r = parseStackTrace(corpusTrace('dotnet-jackett-mono-frames'));
    assert.equal(r.runtime, 'dotnet');
    assert.equal(r.frames.length, 8);
    assert.deepEqual(r.frames[0], { function: 'System.Runtime.CompilerServices.TaskAwaiter.HandleNonSuccessAndDebuggerNotification', inApp: false });
  });

  it('finds the exception line below a logger\'s own lines, behind CI timestamps', () => {
    const r = parseStackTrace(corpusTrace('dotnet-filterlists-actions-timestamps'));
    assert.equal(r.type, 'System.InvalidOperationException');
    assert.match(r.message ?? '', /^An error was generated for warning/);
    assert.equal(r.frames[0].function, 'Microsoft.EntityFrameworkCore.Diagnostics.EventDefinition`1.Log[TLoggerCategory]');
  });

  it('reads frames that name the assembly instead of the arguments (Application Insights)', () => {
    const r = parseStackTrace(corpusTrace('dotnet-efcore-appinsights-assemblies'));
    assert.equal(r.runtime, 'dotnet');
    assert.deepEqual(r.frames[1], { function: 'lambda_method', inApp: false });
  });

  it('reads frames printed in the system language (zh-CN `在 … 位置 …:行号 N`)', () => {
    const r = parseStackTrace(corpusTrace('dotnet-wox-localized-zh'));
    assert.equal(r.runtime, 'dotnet');
    assert.deepEqual(r.frames.map((f) => [f.function, f.line]), [['Wox.Plugin.Program.Main.DefaultProgramSources', 136], ['Wox.Plugin.Program.Main.IndexPrograms', 102],
      ['Wox.Plugin.Program.Main.Init', 94], ['Wox.Infrastructure.Stopwatch.Normal', 27]]);
    assert.equal(r.frames[0].file, 'C:\\projects\\wox\\Plugins\\Wox.Plugin.Program\\Main.cs');
    const de = parseStackTrace('System.Exception: x\n   bei Acme.Run(String s) in C:\\src\\Run.cs:Zeile 12');
    assert.deepEqual([de.frames[0].function, de.frames[0].line], ['Acme.Run', 12]);
  });
});
