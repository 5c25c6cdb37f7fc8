// Checks the main job's report (target/replay/report.json, written by `java -jar target/quantum-trader-streams.jar replay`)
// on the bundled real data: every one of the 100,000 Bitstamp ticks read, published and processed; nothing dead-lettered,
// dropped as late or by a stage, or left undrained; opened = closed + open, the ending equity reconciles, and every
// order cancellation is counted. Exits 1 naming each problem. Usage: node .ci/check-replay-report.mjs [report.json]
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'target/replay/report.json';
const EXPECTED_TICKS = 100000;

if (!existsSync(file)) {
  console.error(`replay report check: ${file} is missing: the main job did not write its report`);
  process.exit(1);
}
const r = JSON.parse(readFileSync(file, 'utf8'));
const streams = r.events_per_stream ?? {};
const problems = [];
const expect = (ok, what) => { if (!ok) problems.push(what); };

expect(r.ticks_read === EXPECTED_TICKS, `ticks read ${r.ticks_read}, expected ${EXPECTED_TICKS}`);
expect(r.ticks_published === r.ticks_read, `ticks published ${r.ticks_published} != ticks read ${r.ticks_read}`);
expect(streams['market.tick.price'] === r.ticks_read,
  `market.tick.price holds ${streams['market.tick.price']} entries, expected ${r.ticks_read}`);
expect(r.malformed_lines === 0, `malformed CSV lines ${r.malformed_lines}`);
expect(r.dead_lettered === 0, `dead-lettered ${r.dead_lettered}`);
expect(r.duplicates_skipped === 0, `${r.duplicates_skipped} ticks skipped as duplicates (event ids must be unique per line)`);
const dlq = Object.entries(streams).filter(([s, n]) => s.endsWith('.dlq') && n > 0);
expect(dlq.length === 0, `dead-letter streams not empty: ${dlq.map(([s, n]) => `${s}=${n}`).join(', ')} (by reason: ${
  Object.entries(r.dead_letters_by_reason ?? {}).map(([why, n]) => `${why}=${n}`).join(', ')})`);
expect(r.dropped_late === 0, `late ticks dropped ${r.dropped_late}`);
expect(r.dropped_by_stages === 0, `records dropped by stages (null key or value, negative timestamp): ${r.dropped_by_stages}`);
expect((streams['market.tick.refused'] ?? 0) === 0,
  `the price band refused ${streams['market.tick.refused']} real prints (market.tick.refused): its default must pass the real data`);
expect(r.drained === true, 'the pipeline did not drain (lag or pending entries left)');
expect(r.records_processed >= r.ticks_published, `records processed ${r.records_processed} < ticks published ${r.ticks_published}`);
// the market-data stage passes every tick it accepts on to the portfolio (none is refused: market.tick.refused is 0
// above); records_processed >= ticks_published held with 1,000 ticks lost before it (review 2026-12-07)
const toPortfolio = 'quantum-trader-ticks-by-account-repartition';
expect(streams[toPortfolio] === r.ticks_read, `${toPortfolio} holds ${streams[toPortfolio]} entries, expected ${r.ticks_read}: ticks that never reached the portfolio`);
const rec = r.reconciliation ?? {};
// the figures themselves, not only the flag: reconciled true with a 5,000 USD difference passed (review 2026-12-07)
const diff = rec.equity_by_pnl_usd - rec.equity_by_cash_usd;
expect(typeof rec.difference_usd === 'number' && typeof rec.tolerance_usd === 'number'
    && Math.abs(rec.difference_usd) <= rec.tolerance_usd && Math.abs(diff - rec.difference_usd) <= 0.01,
  `equity difference ${rec.difference_usd} USD (by P&L ${rec.equity_by_pnl_usd} - by cash ${rec.equity_by_cash_usd} = ${diff}) is not within the tolerance ${rec.tolerance_usd} USD`);
expect(rec.reconciled === true,
  `equity does not reconcile: starting + realized + unrealized = ${rec.equity_by_pnl_usd}, cash + marked positions = ${rec.equity_by_cash_usd} (difference ${rec.difference_usd}, tolerance ${rec.tolerance_usd})`);
expect(Array.isArray(r.open_positions), 'the report lists no open_positions');
expect(r.positions_opened === r.trades + (r.open_positions ?? []).length,
  `positions opened ${r.positions_opened} != closed ${r.trades} + open ${(r.open_positions ?? []).length}`);
// every order cancellation is counted with its reason by the processor that decides it (docs/TRADING-PIPELINE.md
// "Counted"): the entry_cancelled_* and take_profit_cancelled_* counts add up to trades.order.rejected
const cancelledCounted = Object.entries(r.counted_by_processors ?? {})
  .filter(([k]) => / (entry|take_profit)_cancelled_/.test(k)).reduce((sum, [, n]) => sum + n, 0);
expect(cancelledCounted === (streams['trades.order.rejected'] ?? 0),
  `orders cancelled ${streams['trades.order.rejected'] ?? 0} (trades.order.rejected) != cancellations counted by processors ${cancelledCounted}: a cancellation without its count`);
// the results per symbol add up to the totals (SymbolResults)
const rows = Object.values(r.by_symbol ?? {});
expect(rows.length >= (r.symbols ?? []).length && rows.reduce((n, s) => n + s.trades, 0) === r.trades
    && Math.abs(rows.reduce((n, s) => n + s.realized_pnl_usd, 0) - r.realized_pnl_usd) <= 0.01 * Math.max(1, rows.length),
  `the results by symbol (${JSON.stringify(r.by_symbol)}) do not add up to ${r.trades} trades and ${r.realized_pnl_usd} USD realized`);

if (problems.length > 0) {
  console.error(`replay report check FAILED (${file}):`);
  problems.forEach(p => console.error(`  - ${p}`));
  process.exit(1);
}
console.log(`replay report check: ${r.ticks_published} ticks published and processed, 0 dead-lettered, 0 late, drained`);
