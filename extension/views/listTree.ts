// A flat-or-two-level tree view fed by a loader (a collector query or an in-memory list).
// Refreshes are debounced; a failed load keeps the previous items and says so in the view's
// message, so the view never blanks on a hiccup.
import * as vscode from 'vscode';
import { Coalescer } from '../coalescer';

export interface TreeNode {
  item: vscode.TreeItem;
  children?: TreeNode[];
  /** Whatever commands on the node (context menus) need, e.g. an incident id. */
  data?: unknown;
}

export class ListTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  /** One refresh per burst of events, edits and polls. */
  private readonly refresher = new Coalescer(() => void this.refresh(), 300);
  private nodes: TreeNode[] = [];
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  readonly view: vscode.TreeView<TreeNode>;

  constructor(readonly id: string, private readonly load: () => Promise<TreeNode[] | undefined>, private readonly emptyMessage: string) {
    this.view = vscode.window.createTreeView(id, { treeDataProvider: this, showCollapseAll: false });
  }

  /** Top-level nodes as last loaded (tests read them). */
  get items(): readonly TreeNode[] {
    return this.nodes;
  }

  schedule(delayMs = 300): void {
    this.refresher.schedule(delayMs);
  }

  async refresh(): Promise<void> {
    try {
      const next = await this.load();
      if (next === undefined) return;
      this.nodes = next;
      this.view.message = next.length ? undefined : this.emptyMessage;
    } catch (err) {
      this.view.message = `Could not load: ${(err as Error).message}`;
    }
    this.emitter.fire(undefined);
  }

  getTreeItem(n: TreeNode): vscode.TreeItem {
    return n.item;
  }

  getChildren(n?: TreeNode): TreeNode[] {
    return n ? n.children ?? [] : this.nodes;
  }

  dispose(): void {
    this.refresher.dispose();
    this.view.dispose();
    this.emitter.dispose();
  }
}

/** A command that opens `file` with `line` (1-based) selected. */
export function revealCommand(file: string, line: number, title = 'Reveal in Editor'): vscode.Command {
  const pos = new vscode.Position(Math.max(0, line - 1), 0);
  return { command: 'vscode.open', title, arguments: [vscode.Uri.file(file), { selection: new vscode.Range(pos, pos), preview: true }] };
}
