// Which workspace folders the connected editors have open, and their path mappings
// (deployed path prefix → workspace path prefix). Filled by the live `registerWorkspace`
// method; read by processors (source mapping). One entry per client, removed when the
// client disconnects (LiveClient re-registers after a reconnect via its `open` event).
export interface WorkspaceEntry {
  folders: string[];
  pathMappings: Record<string, string>;
}

export class WorkspaceRegistry {
  private readonly byClient = new Map<number, WorkspaceEntry>();
  private readonly listeners = new Set<() => void>();

  register(clientId: number, entry: WorkspaceEntry): void {
    this.byClient.set(clientId, { folders: [...entry.folders], pathMappings: { ...entry.pathMappings } });
    this.emit();
  }

  unregister(clientId: number): void {
    if (this.byClient.delete(clientId)) this.emit();
  }

  /** All registered folders, deduplicated, longest first (so the most specific matches first). */
  folders(): string[] {
    const all = new Set<string>();
    for (const e of this.byClient.values()) for (const f of e.folders) all.add(f);
    return [...all].sort((a, b) => b.length - a.length);
  }

  /** The folders one client registered (none for a client that did not register). */
  foldersOf(clientId: number): string[] {
    return [...(this.byClient.get(clientId)?.folders ?? [])];
  }

  /** Merged path mappings; a later registration wins on the same prefix. */
  pathMappings(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.byClient.values()) Object.assign(out, e.pathMappings);
    return out;
  }

  /** Called after every change; returns an unsubscribe function. */
  onChange(cb: () => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  private emit(): void {
    for (const cb of this.listeners) cb();
  }
}
