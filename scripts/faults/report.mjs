// The table of phases (faults) × invariants, the details of any violation, and one JSON line.
export const COLUMNS = ['stored once', 'webhooks', 'ledger', 'reservations', 'invoices', '5xx outside'];

function cell(violations) {
  return violations.length === 0 ? 'ok' : `FAIL ${violations.length}`;
}

export function printReport(rows, meta) {
  const header = ['phase', 'window s', 'writes 2xx/sent', ...COLUMNS, 'dup hooks', '5xx in window'];
  const lines = rows.map((row) => [
    row.phase,
    row.windowS === null ? '-' : row.windowS.toFixed(1),
    `${row.acked}/${row.sent}`,
    ...COLUMNS.map((column) => cell(row.results[column])),
    String(row.duplicates),
    String(row.inWindow),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  console.log(`\n${format(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const line of lines) console.log(format(line));
  const failures = rows.flatMap((row) => COLUMNS.flatMap((column) => row.results[column].map((v) => `${row.phase} / ${column}: ${v}`)));
  if (failures.length) {
    console.log(`\n${failures.length} violation(s):`);
    for (const failure of failures.slice(0, 40)) console.log(`  ${failure}`);
    if (failures.length > 40) console.log(`  … ${failures.length - 40} more`);
  }
  console.log(
    JSON.stringify({
      suite: 'faults',
      ok: failures.length === 0,
      durationS: meta.durationS,
      violations: failures.length,
      webhookDuplicates: rows.reduce((sum, row) => sum + row.duplicates, 0),
      duplicateBound: meta.duplicateBound,
      phases: rows.map((row) => ({
        phase: row.phase,
        windowS: row.windowS,
        acked: row.acked,
        ...Object.fromEntries(COLUMNS.map((column) => [column, row.results[column].length])),
        duplicates: row.duplicates,
        inWindow: row.inWindow,
      })),
    }),
  );
  return failures.length;
}
