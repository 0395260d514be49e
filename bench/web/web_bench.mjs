// The peer of `Gym.Bench web`: the same Chromium, the same task site, the same actions and the same observation
// script (envs/Gym.Envs.Web/Browser/observe.js), driven by playwright-core from node.
// Usage: node web_bench.mjs BASE_URL RUNS SECONDS [CHROMIUM]
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';

const [base, runsArg, secondsArg, exe = '/usr/lib/chromium/chromium'] = process.argv.slice(2);
const runs = Number(runsArg), seconds = Number(secondsArg);
const observe = readFileSync(new URL('../../envs/Gym.Envs.Web/Browser/observe.js', import.meta.url), 'utf8');
const origin = new URL(base).origin;
const args = ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-default-apps', '--mute-audio'];
const settle = () => new Promise(r => requestAnimationFrame(() => r()));
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)];

async function reset(browser, widget, seed) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, serviceWorkers: 'block', acceptDownloads: false });
  await context.route('**/*', route => {
    const u = route.request().url();
    return u.startsWith('data:') || u.startsWith('about:') || new URL(u).origin === origin ? route.continue() : route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  await page.goto(`${base}widgets/${widget}?seed=${seed}`, { waitUntil: 'domcontentloaded' });
  await page.evaluate(settle);
  const obs = await page.evaluate(`(${observe})({ marks: false })`);
  await page.title();
  return { context, page, obs };
}

async function step(page, id) {
  const locator = page.locator(`[data-gym-id='${id}']`);
  await locator.count();
  await locator.first().click();
  await page.evaluate(settle);
  const done = await page.evaluate(() => window.__gymSubmitted ?? null);
  const obs = await page.evaluate(`(${observe})({ marks: false })`);
  await page.title();
  return { obs, done };
}

const idOf = (text, role, name) => (text.match(new RegExp(`\\[(\\d+)\\] ${role} "${name}"`)) || [])[1];

const browser = await chromium.launch({ executablePath: exe, headless: true, args });
const resets = [], steps = [];
for (let i = 0; i < runs + 5; i++) {
  let t = performance.now();
  const { context, page, obs } = await reset(browser, 'set-counter', i);
  if (i >= 5) resets.push(performance.now() - t);
  const more = idOf(obs.text, 'button', 'More tickets');
  await new Promise(r => setTimeout(r, 300)); // an agent's think time, as on Gym's side
  t = performance.now();
  await step(page, more);
  if (i >= 5) steps.push(performance.now() - t);
  await new Promise(r => setTimeout(r, 300));
  await context.close();
}
await browser.close();
console.log(`node playwright-core: reset median ${median(resets).toFixed(1)} ms p90 ${p90(resets).toFixed(1)}; step median ${median(steps).toFixed(1)} ms p90 ${p90(steps).toFixed(1)}`);

// Episodes per second: each worker has its own browser (as Gym's environments do) and runs click-button episodes
// (reset, click the first button, close the context).
for (const workers of [1, 2, 4]) {
  let episodes = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: workers }, async (_, w) => {
    const b = await chromium.launch({ executablePath: exe, headless: true, args });
    for (let seed = w * 100000; performance.now() < end; seed++) {
      const { context, page, obs } = await reset(b, 'click-button', seed);
      const ids = [...obs.text.matchAll(/\[(\d+)\] button/g)].map(m => m[1]);
      await step(page, ids[0]);
      await context.close();
      episodes++;
    }
    await b.close();
  }));
  console.log(`node playwright-core: ${workers} parallel: ${(episodes / seconds).toFixed(2)} episodes/s`);
}
