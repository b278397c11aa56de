// Runs a task once per burst of triggers (events, edits, polls): while a run is pending,
// further `schedule` calls coalesce into it; a call due sooner moves the pending run
// earlier, so a burst of slow triggers cannot starve a prompt one.
export class Coalescer {
  private timer: NodeJS.Timeout | undefined;
  private due = 0;

  constructor(
    private readonly task: () => void,
    private readonly defaultDelayMs = 0,
  ) {}

  schedule(delayMs = this.defaultDelayMs): void {
    const due = Date.now() + delayMs;
    if (this.timer && this.due <= due) return;
    if (this.timer) clearTimeout(this.timer);
    this.due = due;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.task();
    }, delayMs);
  }

  get pending(): boolean {
    return this.timer !== undefined;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
