// The one way extension objects own what they register: `register(...)` what you create,
// `dispose()` releases it all once, newest first. A subclass with more to release overrides
// `dispose()` and calls `super.dispose()`.
import type * as vscode from 'vscode';

export abstract class Disposable implements vscode.Disposable {
  private readonly owned: { dispose(): unknown }[] = [];
  private released = false;

  /** Owns each; something registered after `dispose()` is disposed at once. */
  protected register<T extends { dispose(): unknown }>(...items: T[]): void {
    if (this.released) for (const d of items) d.dispose();
    else this.owned.push(...items);
  }

  dispose(): void {
    if (this.released) return;
    this.released = true;
    for (const d of this.owned.splice(0).reverse()) {
      try {
        d.dispose();
      } catch {
        // One failing release must not keep the others alive.
      }
    }
  }
}
