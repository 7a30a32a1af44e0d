// Reads Schemathesis's NDJSON event stream (--report ndjson) into the figures the fuzz run prints:
// operations exercised, requests sent, and each distinct failure (check × operation × status × title).

export function summarise(ndjson) {
  const operations = new Set();
  const failures = new Map();
  const byCheck = {};
  let requests = 0;
  for (const line of ndjson.split('\n')) {
    if (!line.trim()) continue;
    const event = JSON.parse(line);
    const scenario = event.ScenarioFinished;
    if (!scenario || scenario.status === 'skip') continue;
    const { label, interactions = {}, checks = {} } = scenario.recorder ?? {};
    if (Object.keys(interactions).length > 0 && label !== 'Stateful tests') operations.add(label);
    requests += Object.keys(interactions).length;
    for (const [caseId, results] of Object.entries(checks)) {
      for (const result of results) {
        if (result.status !== 'failure') continue;
        const interaction = interactions[caseId];
        const status = interaction?.response?.status_code ?? 'no response';
        const info = result.failure_info?.failure ?? {};
        const message = String(info.message ?? info.title ?? '');
        // "Schema at /components/schemas/Address:" says where a response differs; the first line, how
        const where = /Schema at (\S+?):/.exec(message)?.[1] ?? '';
        const what = message.split('\n')[0].slice(0, 160);
        const operation = label === 'Stateful tests' && interaction ? `stateful: ${interaction.request.method} ${new URL(interaction.request.uri).pathname}` : label;
        const key = `${result.name}|${label === 'Stateful tests' ? interaction?.request.method : label}|${status}|${where || what}`;
        if (!failures.has(key)) {
          byCheck[result.name] = (byCheck[result.name] ?? 0) + 1;
          failures.set(key, { check: result.name, operation, status, where, what });
        }
      }
    }
  }
  return { operations: operations.size, requests, byCheck, failures: [...failures.values()] };
}
