// A virtualised, keyboard-navigable list: only the rows in view (plus a little overscan)
// exist in the DOM, so 100,000 items scroll like 100. Rows have one fixed height; row
// elements are recycled from a pool and positioned with CSSOM transforms (CSP-safe).
//
// Keyboard (when the list has focus): ↑/↓ move the selection, PageUp/PageDown by a page,
// Home/End, Enter activates. Selection is announced via aria-activedescendant.

export interface VirtualListOptions<T> {
  rowHeight: number;
  /** Accessible name of the list. */
  label: string;
  /** Fill a (recycled) row element for `item`. Must fully overwrite previous content. */
  render(row: HTMLElement, item: T, index: number): void;
  onSelect?(item: T, index: number): void;
  onActivate?(item: T, index: number): void;
  overscan?: number;
}

let listSeq = 0;

export class VirtualList<T> {
  readonly element: HTMLElement;
  private readonly spacer: HTMLElement;
  private items: readonly T[] = [];
  private readonly pool: HTMLElement[] = [];
  private selected = -1;
  private frame = 0;
  private readonly idPrefix = `vl${++listSeq}-`;
  /** Per pool slot: which item index it shows, and the items version it was drawn from. */
  private readonly drawn: number[] = [];
  private readonly drawnVersion: number[] = [];
  private version = 0;

  constructor(private readonly opts: VirtualListOptions<T>) {
    this.element = document.createElement('div');
    this.element.className = 'vlist';
    this.element.tabIndex = 0;
    this.element.setAttribute('role', 'listbox');
    this.element.setAttribute('aria-label', opts.label);
    this.spacer = document.createElement('div');
    this.spacer.className = 'vlist-spacer';
    this.element.append(this.spacer);
    this.element.addEventListener('scroll', () => this.schedule(), { passive: true });
    this.element.addEventListener('keydown', (e) => this.onKey(e));
    this.element.addEventListener('click', (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>('.vrow');
      if (!row || row.dataset.index === undefined) return;
      const i = Number(row.dataset.index);
      this.select(i, false);
      this.activate(i);
    });
    new ResizeObserver(() => this.schedule()).observe(this.element);
  }

  get length(): number {
    return this.items.length;
  }
  get selectedIndex(): number {
    return this.selected;
  }
  item(i: number): T | undefined {
    return this.items[i];
  }

  /** Replace the items. Keeps the scroll offset; the selection is kept if still in range. */
  setItems(items: readonly T[], keepSelection = true): void {
    this.items = items;
    if (!keepSelection || this.selected >= items.length) this.selected = -1;
    this.spacer.style.height = `${items.length * this.opts.rowHeight}px`;
    this.version++;
    this.renderNow();
  }

  /** Re-render visible rows (e.g. after an item changed in place). */
  refresh(): void {
    this.version++;
    this.renderNow();
  }

  select(i: number, scroll = true): void {
    if (i < 0 || i >= this.items.length) return;
    this.selected = i;
    if (scroll) this.scrollIntoView(i);
    this.element.setAttribute('aria-activedescendant', this.idPrefix + i);
    this.renderNow();
    this.opts.onSelect?.(this.items[i], i);
  }

  private activate(i: number): void {
    if (i >= 0 && i < this.items.length) this.opts.onActivate?.(this.items[i], i);
  }

  private scrollIntoView(i: number): void {
    const h = this.opts.rowHeight;
    const top = i * h;
    const el = this.element;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + h > el.scrollTop + el.clientHeight) el.scrollTop = top + h - el.clientHeight;
  }

  private onKey(e: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.element.clientHeight / this.opts.rowHeight) - 1);
    const cur = this.selected;
    let next: number | undefined;
    switch (e.key) {
      case 'ArrowDown': next = Math.min(this.items.length - 1, cur + 1); break;
      case 'ArrowUp': next = Math.max(0, cur - 1); break;
      case 'PageDown': next = Math.min(this.items.length - 1, cur + page); break;
      case 'PageUp': next = Math.max(0, cur - page); break;
      case 'Home': next = 0; break;
      case 'End': next = this.items.length - 1; break;
      case 'Enter':
      case ' ':
        if (cur >= 0) this.activate(cur);
        e.preventDefault();
        return;
      default:
        return;
    }
    e.preventDefault();
    if (next !== undefined && next >= 0) this.select(next);
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.renderNow();
    });
  }

  private renderNow(): void {
    const h = this.opts.rowHeight;
    const overscan = this.opts.overscan ?? 8;
    const viewH = this.element.clientHeight || 600;
    const first = Math.max(0, Math.floor(this.element.scrollTop / h) - overscan);
    const last = Math.min(this.items.length, Math.ceil((this.element.scrollTop + viewH) / h) + overscan);
    const want = Math.ceil(viewH / h) + 2 * overscan + 2;
    if (this.pool.length < want) {
      while (this.pool.length < want) {
        const row = document.createElement('div');
        row.className = 'vrow';
        row.setAttribute('role', 'option');
        row.style.height = `${h}px`;
        this.pool.push(row);
        this.element.append(row);
      }
      this.drawn.fill(-1);
    }
    // Item i always lives in pool[i % pool.length], so scrolling re-renders only the rows
    // that came into view; a full redraw happens when items or the selection change.
    const n = this.pool.length;
    while (this.drawn.length < n) this.drawn.push(-1);
    const used = new Uint8Array(n);
    for (let i = first; i < last; i++) {
      const k = i % n;
      used[k] = 1;
      const row = this.pool[k];
      const sel = i === this.selected;
      if (this.drawn[k] === i && this.drawnVersion[k] === this.version && row.classList.contains('selected') === sel) continue;
      row.hidden = false;
      row.dataset.index = String(i);
      row.id = this.idPrefix + i;
      row.style.transform = `translateY(${i * h}px)`;
      row.classList.toggle('selected', sel);
      row.setAttribute('aria-selected', String(sel));
      this.opts.render(row, this.items[i], i);
      this.drawn[k] = i;
      this.drawnVersion[k] = this.version;
    }
    for (let k = 0; k < n; k++) {
      if (used[k] || this.pool[k].hidden) continue;
      this.pool[k].hidden = true;
      this.drawn[k] = -1;
    }
  }
}
