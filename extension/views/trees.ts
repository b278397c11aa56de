// The four side views in the Vibewatch container: AI Diffs (ranked by runtime risk),
// Errors, Alerts, Incidents. Selecting an item reveals its code (or opens its panel when it
// has no location).
import { Disposable } from '../disposable';
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { AlertView, ErrorGroupView, IncidentView } from '../../collector/analysis/types';
import type { CollectorClient } from '../collectorClient';
import { isUnknownMethod } from '../client/editorQueries';
import type { AiIndex } from '../overlays/aiIndex';
import { formatAgo, formatCount } from '../overlays/format';
import { ListTree, revealCommand, type TreeNode } from './listTree';
import { rankAiDiffs } from './rank';
import { VisiblePoll } from './visiblePoll';
import type { RepoAiDiff } from '../../collector/model/teamQueries';
import { plainText } from '../../collector/text/sinkText';
import { aiDiffTooltipMarkdown, productionMarkdown } from './treeText';

export interface TreesDeps {
  client: CollectorClient;
  ai: AiIndex;
  alerts: { readonly alerts: readonly AlertView[]; onDidChange: vscode.Event<unknown> };
  /** Team mode: the team collector's AI diffs by commit (empty when off or switched to local). */
  production?: ProductionAiDiffs;
  now?: () => number;
}

export interface ProductionAiDiffs {
  aiDiffsByCommit(): Promise<ReadonlyMap<string, RepoAiDiff>>;
  /** Team mode is on and shows production figures. */
  active(): boolean;
  /** Forgets the kept answer, so the next `aiDiffsByCommit()` asks the team collector. */
  expire(): void;
  /** How long an answer is kept: the interval at which the visible view asks again. */
  ttlMs: number;
  /** Reconnect or a team setting changed. */
  onDidChange: vscode.Event<void>;
}

export class Trees extends Disposable {
  readonly aiDiffs: ListTree;
  readonly errors: ListTree;
  readonly alerts: ListTree;
  readonly incidents: ListTree;
  /** Incidents as last loaded (the acknowledge/resolve commands pick from them). */
  incidentList: IncidentView[] = [];

  constructor(d: TreesDeps) {
    super();
    const now = d.now ?? Date.now;
    this.aiDiffs = new ListTree('vibewatch.aiDiffs', async () => aiNodes(d.ai, now(), (await d.production?.aiDiffsByCommit()) ?? new Map()), 'No AI diffs recorded yet.');
    this.errors = new ListTree('vibewatch.errors', async () => {
      const groups = await optional(() => d.client.request('errors', { limit: 200 }));
      return groups && groups.filter((g) => g.state !== 'ignored').sort((a, b) => b.lastSeenMs - a.lastSeenMs).map((g) => errorNode(g, now()));
    }, 'No errors seen.');
    this.alerts = new ListTree('vibewatch.alerts', async () => [...d.alerts.alerts].filter((a) => a.state !== 'resolved').sort(alertOrder).map(alertNode), 'No alerts pending or firing.');
    this.incidents = new ListTree('vibewatch.incidents', async () => {
      const list = await optional(() => d.client.request('incidents', {}));
      if (!list) return undefined;
      this.incidentList = list;
      return [...list].sort((a, b) => Number(a.state === 'resolved') - Number(b.state === 'resolved') || b.openedAtMs - a.openedAtMs).map((i) => incidentNode(i, now()));
    }, 'No incidents.');
    const all = [this.aiDiffs, this.errors, this.alerts, this.incidents];
    this.register(
      ...all,
      d.ai.onDidChange(() => this.aiDiffs.schedule(0)),
      ...(d.production ? this.pollProduction(d.production) : []),
      d.alerts.onDidChange(() => this.alerts.schedule(0)),
      d.client.onDidConnect(() => this.refreshAll()),
      d.client.onChanged((e) => {
        this.errors.schedule(500);
        if (e.resync || e.topics.includes('incidents')) this.incidents.schedule(500);
      }),
    );
  }

  /** Production figures change without an event from this machine's collector: while the
   *  AI Diffs view is visible in team mode they are fetched again every TTL. */
  private pollProduction(p: ProductionAiDiffs): vscode.Disposable[] {
    const poll = new VisiblePoll({
      intervalMs: p.ttlMs,
      visible: () => this.aiDiffs.view.visible,
      enabled: () => p.active(),
      tick: () => {
        p.expire();
        this.aiDiffs.schedule(0);
      },
      resume: () => this.aiDiffs.schedule(0),
    });
    poll.update();
    return [
      poll,
      this.aiDiffs.view.onDidChangeVisibility(() => poll.update()),
      p.onDidChange(() => {
        poll.update();
        this.aiDiffs.schedule(0);
      }),
    ];
  }

  async refreshAll(): Promise<void> {
    await Promise.all([this.aiDiffs.refresh(), this.errors.refresh(), this.alerts.refresh(), this.incidents.refresh()]);
  }

}

/** A method the collector does not answer yet gives an empty view, not an error. */
async function optional<T>(call: () => Promise<T[]>): Promise<T[] | undefined> {
  try {
    return await call();
  } catch (err) {
    if (isUnknownMethod(err)) return [];
    throw err;
  }
}

function aiNodes(ai: AiIndex, now: number, production: ReadonlyMap<string, RepoAiDiff>): TreeNode[] {
  return rankAiDiffs(ai.diffs().map((x) => x.diff), production).map((d) => {
    const prod = d.commit ? production.get(d.commit) : undefined;
    const root = ai.diffs().find((x) => x.diff.id === d.id)?.root ?? '';
    const who = d.tool ?? d.model ?? d.source;
    const item = new vscode.TreeItem(plainText(d.subject ?? `AI diff (${who})`), vscode.TreeItemCollapsibleState.Collapsed);
    const risk = d.risk ? `risk ${d.risk.score.toFixed(1)}` : 'risk unknown';
    const prodRisk = prod?.risk ? `production risk ${prod.risk.score.toFixed(1)} · ` : '';
    item.description = plainText(`${prodRisk}${risk} · ${who} · ${formatAgo(d.timeMs, now)}${d.state === 'suspected' ? ' · suspected' : ''}`);
    item.tooltip = new vscode.MarkdownString(aiDiffTooltipMarkdown(d));
    // The same before/after sentences as the lens, hover and CLI, one per measured function
    // (appendText escapes them).
    const sentences = d.runtime?.units?.map((u) => u.sentence) ?? (d.runtime?.beforeAfter ? [d.runtime.beforeAfter] : []);
    for (const s of sentences) item.tooltip.appendMarkdown('\n\n').appendText(s);
    // Production figures are labelled as such and, like every telemetry string, escaped.
    if (prod) item.tooltip.appendMarkdown('\n\n').appendMarkdown(productionMarkdown(prod));
    item.iconPath = new vscode.ThemeIcon(d.state === 'suspected' ? 'question' : 'sparkle');
    item.contextValue = `aiDiff.${d.state}`;
    const children: TreeNode[] = d.files.flatMap((f) => f.ranges.map((r) => {
      const file = path.isAbsolute(f.path) ? f.path : path.join(root, f.path);
      const c = new vscode.TreeItem(plainText(`${path.basename(f.path)}:${r.start}–${r.end}`), vscode.TreeItemCollapsibleState.None);
      c.description = path.dirname(f.path) === '.' ? undefined : plainText(path.dirname(f.path));
      c.command = revealCommand(file, r.start);
      c.resourceUri = vscode.Uri.file(file);
      return { item: c, data: { file, line: r.start } };
    }));
    return { item, children, data: { aiDiffId: d.id } };
  });
}

function errorNode(g: ErrorGroupView, now: number): TreeNode {
  const item = new vscode.TreeItem(plainText(`${g.type}: ${g.title}`), vscode.TreeItemCollapsibleState.None);
  item.description = `${formatCount(g.count)}× · ${formatAgo(g.lastSeenMs, now)}${g.state === 'new' || g.state === 'regressed' ? ` · ${g.state}` : ''}`;
  item.iconPath = new vscode.ThemeIcon(g.state === 'resolved' ? 'pass' : 'error');
  item.tooltip = `${plainText(`${g.type}: ${g.title}`, 500)}\n${g.count} events, first ${new Date(g.firstSeenMs).toISOString()}, last ${new Date(g.lastSeenMs).toISOString()}\nservices: ${plainText(g.services.join(', '), 300)}`;
  item.command = g.location ? revealCommand(g.location.file, g.location.line) : { command: 'vibewatch.openErrors', title: 'Open Errors', arguments: [{ errorGroupId: g.id, groupId: g.id }] };
  item.contextValue = 'errorGroup';
  return { item, data: { errorGroupId: g.id } };
}

function alertOrder(a: AlertView, b: AlertView): number {
  const rank = (x: AlertView) => (x.state === 'firing' ? 0 : 1) * 10 + (x.severity === 'critical' ? 0 : x.severity === 'warning' ? 1 : 2);
  return rank(a) - rank(b) || a.title.localeCompare(b.title);
}

function alertNode(a: AlertView): TreeNode {
  const item = new vscode.TreeItem(plainText(a.title), vscode.TreeItemCollapsibleState.None);
  item.description = plainText(`${a.state} · ${a.severity}${a.service ? ` · ${a.service}` : ''}`);
  item.tooltip = plainText(a.text, 500);
  item.iconPath = new vscode.ThemeIcon(a.state === 'firing' ? 'bell-dot' : 'bell');
  item.command = a.location ? revealCommand(a.location.file, a.location.line) : { command: 'vibewatch.openAlerts', title: 'Open Alerts', arguments: [{ alertKey: a.key }] };
  item.contextValue = `alert.${a.state}`;
  return { item, data: { alertKey: a.key, incidentId: a.incidentId } };
}

function incidentNode(i: IncidentView, now: number): TreeNode {
  const item = new vscode.TreeItem(plainText(`#${i.number} ${i.title}`), vscode.TreeItemCollapsibleState.None);
  item.description = plainText(`${i.state} · ${i.severity} · ${formatAgo(i.openedAtMs, now)}`);
  item.iconPath = new vscode.ThemeIcon(i.state === 'resolved' ? 'pass' : 'flame');
  item.command = { command: 'vibewatch.openIncidents', title: 'Open Incident', arguments: [{ incidentId: i.id }] };
  item.contextValue = `incident.${i.state}`;
  return { item, data: { incidentId: i.id } };
}
