// Mocha's spec reporter plus a machine-readable total: when VIBEWATCH_TOTALS_FILE is set,
// the counts are written there at the end so scripts/test-all.mjs can print one summary.
'use strict';
const Mocha = require('mocha');
const { writeFileSync, mkdirSync } = require('node:fs');
const { dirname } = require('node:path');

class TotalsReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.VIBEWATCH_TOTALS_FILE;
      if (!file) return;
      const s = runner.stats || {};
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify({ passes: s.passes || 0, failures: s.failures || 0, pending: s.pending || 0 }));
    });
  }
}
module.exports = TotalsReporter;
