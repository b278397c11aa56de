// The AI Diffs view's production refresh (extension/views/visiblePoll.ts): every TTL while
// the view is visible and team mode is on, never while hidden, nothing after dispose.
// Timers are fake (pure logic; the interval is the team figures' 30 s TTL).
import { strict as assert } from 'node:assert';
import { VisiblePoll, type PollTimers } from '../../../../extension/views/visiblePoll';

const TTL = 30_000;

/** Intervals that run only when the test advances the clock. */
class FakeTimers implements PollTimers {
  now = 0;
  private next = 1;
  private readonly intervals = new Map<number, { fn: () => void; ms: number; due: number }>();
  setInterval(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.intervals.set(id, { fn, ms, due: this.now + ms });
    return id;
  }
  clearInterval(handle: unknown): void {
    this.intervals.delete(handle as number);
  }
  get active(): number {
    return this.intervals.size;
  }
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.intervals.entries()].filter(([, t]) => t.due <= end).sort((a, b) => a[1].due - b[1].due)[0];
      if (!due) break;
      const [, t] = due;
      this.now = t.due;
      t.due += t.ms;
      t.fn();
    }
    this.now = end;
  }
}

function setup(o: { visible?: boolean; enabled?: boolean } = {}) {
  const timers = new FakeTimers();
  const state = { visible: o.visible ?? true, enabled: o.enabled ?? true };
  const ticks: number[] = [];
  const resumes: number[] = [];
  const poll = new VisiblePoll({
    intervalMs: TTL,
    visible: () => state.visible,
    enabled: () => state.enabled,
    tick: () => ticks.push(timers.now),
    resume: () => resumes.push(timers.now),
    timers,
  });
  poll.update();
  return { timers, state, ticks, resumes, poll };
}

describe('AI Diffs view: production figures refreshed while visible (VisiblePoll)', () => {
  it('fetches again every TTL while the view is visible and team mode is on', () => {
    const { timers, ticks } = setup();
    timers.advance(TTL * 3 + 1);
    assert.deepEqual(ticks, [TTL, 2 * TTL, 3 * TTL]);
  });

  it('fetches nothing while the view is hidden, and stops its timer', () => {
    const { timers, state, ticks, poll } = setup();
    timers.advance(TTL);
    state.visible = false;
    poll.update();
    assert.equal(poll.running, false);
    assert.equal(timers.active, 0);
    timers.advance(TTL * 10);
    assert.deepEqual(ticks, [TTL]);
  });

  it('shows the latest at once when the view is shown again, then every TTL from then', () => {
    const { timers, state, ticks, resumes, poll } = setup({ visible: false });
    assert.deepEqual(resumes, []);
    timers.advance(5 * 60_000);
    state.visible = true;
    poll.update();
    assert.deepEqual(resumes, [5 * 60_000]);
    timers.advance(TTL);
    assert.deepEqual(ticks, [5 * 60_000 + TTL]);
  });

  it('does not run with team mode off, and starts when it is switched on', () => {
    const { timers, state, ticks, poll } = setup({ enabled: false });
    timers.advance(TTL * 2);
    assert.equal(poll.running, false);
    state.enabled = true;
    poll.update();
    timers.advance(TTL);
    assert.deepEqual(ticks, [3 * TTL]);
  });

  it('skips a tick when the view was hidden without an update, and stops', () => {
    const { timers, state, ticks, poll } = setup();
    state.visible = false;
    timers.advance(TTL);
    assert.deepEqual(ticks, []);
    assert.equal(poll.running, false);
  });

  it('keeps one timer however often it is updated', () => {
    const { timers, ticks, poll } = setup();
    for (let i = 0; i < 5; i++) poll.update();
    assert.equal(timers.active, 1);
    timers.advance(TTL);
    assert.deepEqual(ticks, [TTL]);
  });

  it('fetches nothing after dispose, even when updated again', () => {
    const { timers, ticks, poll } = setup();
    poll.dispose();
    poll.update();
    assert.equal(timers.active, 0);
    timers.advance(TTL * 3);
    assert.deepEqual(ticks, []);
  });
});
