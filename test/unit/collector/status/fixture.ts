// A StatusView with hostile text in every free-text field (markup, a pasted stack, paths).
import type { StatusView } from '../../../../collector/analysis/types';

export const DAY = 86_400_000;
export const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);

export function hostileStatus(): StatusView {
  const history = Array.from({ length: 90 }, (_, k) => {
    const date = new Date(NOW - (89 - k) * DAY).toISOString().slice(0, 10);
    const major = k === 80 ? 30 : 0;
    return { date, observedMin: 1440, degradedMin: 0, partialMin: 0, majorMin: major, uptime: 1 - major / 1440 };
  });
  return {
    overall: 'partial_outage',
    generatedAtMs: NOW,
    components: [
      { id: 'api', name: 'Public API <script>alert(1)</script>', status: 'partial_outage', uptime90d: 0.9997, history },
      { id: 'web', name: 'Website', status: 'operational', uptime90d: 1, history: [] },
    ],
    incidents: [{
      id: 'inc-7',
      title: 'Checkout errors & "timeouts"',
      impact: 'critical',
      state: 'identified',
      startedAtMs: NOW - 3_600_000,
      components: ['api'],
      updates: [
        { atMs: NOW - 3_000_000, status: 'investigating', message: 'We see errors: TypeError: x is undefined\n    at placeOrder (/home/dev/shop/src/orders.ts:42:7)\n    at process (/home/dev/shop/node_modules/express/lib/router.js:10:3)' },
        { atMs: NOW - 600_000, status: 'identified', message: 'Fix in C:\\work\\shop\\src\\db.ts is rolling out <b>now</b>' },
      ],
    }],
  };
}
