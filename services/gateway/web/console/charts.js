// uPlot is 145 kB of module: it is fetched in parallel (modulepreload in index.html) and evaluated when
// the first chart is drawn, so it never delays restoring the session and the first API calls.
let loading = null;

export function loadUPlot() {
  loading ??= import('./vendor/uplot/uPlot.esm.js').then((module) => module.default);
  return loading;
}
