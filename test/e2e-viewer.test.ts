/**
 * End to end in headless Chromium (Debian's chromium, driven by playwright-core): a user opens the
 * link the server prints at its first start, uploads the real CT pair of TCIA Lung-PET-CT-Dx
 * subject A0001 through the form (series-2 as T0, series-3 as T1, zipped; tumour centre from the
 * collection's annotation boxes), and the study page shows both scans in NiiVue centred on the
 * tumour, both model patches with Grad-CAM, P(malignant) and a Lung-RADS category. A screenshot is
 * saved to dist/e2e/study-page.png.
 *
 * Data: Lung-PET-CT-Dx, The Cancer Imaging Archive, doi 10.7937/TCIA.2020.NNC20461 (CC BY 4.0).
 * Series-2 and series-3 are two reconstructions of one exam, so the pair shows no growth; the days,
 * diameter and clinical values below are made up for the form (the tumour touches the 64 mm
 * measurement region, so the automatic measurement gives no diameter and the form's is used).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { REPO, startServerProcess, type ServerProcess } from '../src/server/testing/server-process.js';
import { tinyCheckpoint } from '../src/server/testing/study-fixtures.js';
import { writeZip } from '../src/server/testing/write-zip.js';

const A0001 = resolve(REPO, '..', 'shared', 'data', 'tcia-lung-pet-ct-dx', 'A0001');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TUMOUR = { x: 42.2, y: 202.4, z: -209 };
const SCREENSHOT = join(REPO, 'dist', 'e2e', 'study-page.png');

const root = mkdtempSync(join(tmpdir(), 'csfnet-e2e-'));
let server: ServerProcess;
let browser: Browser;

/**
 * The little of the browser's DOM the page functions below use (they run in Chromium; this
 * project's TypeScript has no DOM types). Functions, not strings, because the viewer's Content
 * Security Policy forbids evaluating text.
 */
interface PageElement {
  readonly dataset: Record<string, string | undefined>;
  readonly width: number;
  readonly height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
}
declare const document: { querySelector(selector: string): PageElement | null };

function zipSeries(series: string): string {
  const dir = join(A0001, series);
  const entries = readdirSync(dir)
    .sort()
    .map((name) => ({ name: `${series}/${name}`, data: readFileSync(join(dir, name)) }));
  const path = join(root, `A0001-${series}.zip`);
  writeFileSync(path, writeZip(entries));
  return path;
}

before(async () => {
  assert.ok(existsSync(join(REPO, 'web', 'dist', 'index.html')), 'the viewer is not built: run npm run build');
  assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM} (Debian package chromium; .ci/run installs it)`);
  tinyCheckpoint(join(root, 'tiny.safetensors'));
  server = await startServerProcess(['--data', join(root, 'data'), '--checkpoint', join(root, 'tiny.safetensors'), '--workers', '2', '--registry', join(root, 'no-registry.db')]);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--no-sandbox', '--disable-dev-shm-usage'] });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

test('upload the A0001 pair in the browser; the study page shows both scans, both patches, P(malignant) and Lung-RADS', { timeout: 300_000 }, async (t) => {
  const open = /open (http:\/\/\S+\/#token=\S+)/.exec(server.output());
  assert.ok(open, `the first start prints the viewer link with its token:\n${server.output()}`);
  const zips = { t0: zipSeries('series-2'), t1: zipSeries('series-3') };

  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  const foreign: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => {
    if (!r.url().startsWith(server.url) && !/^(data|blob):/.test(r.url())) foreign.push(r.url());
  });
  await page.goto(open[1]!);
  await page.waitForSelector('h1:text("Studies")');
  assert.ok(!page.url().includes('token='), 'the token is removed from the address once stored');

  await page.click('a[href="#/upload"]');
  await page.waitForSelector('[data-testid=upload-form]');
  await page.fill('input[name=label]', 'TCIA Lung-PET-CT-Dx A0001 (doi:10.7937/TCIA.2020.NNC20461)');
  await page.fill('input[name=days]', '365');
  for (const tp of ['t0', 't1'] as const) {
    await page.setInputFiles(`input[name=${tp}]`, zips[tp]);
    await page.fill(`input[name=${tp}_x]`, String(TUMOUR.x));
    await page.fill(`input[name=${tp}_y]`, String(TUMOUR.y));
    await page.fill(`input[name=${tp}_z]`, String(TUMOUR.z));
    await page.fill(`input[name=${tp}_diameter_mm]`, '70');
  }
  for (const [name, value] of [['age', '63'], ['gender', '1'], ['race', '1'], ['cigsmok', '1']] as const) await page.fill(`input[name=${name}]`, value);
  const started = performance.now();
  await page.click('[data-testid=upload-submit]');

  const lap = (what: string): void => t.diagnostic(`${what}: ${((performance.now() - started) / 1000).toFixed(1)} s after submitting`);
  await page.waitForURL(/#\/studies\/[0-9a-f-]{36}$/, { timeout: 120_000 });
  lap('study accepted');
  await page.waitForSelector('[data-testid=p-malignant]', { timeout: 180_000 });
  lap('prediction shown');
  await page.waitForFunction(
    (states) => ['scan-t0', 'scan-t1'].every((id) => states.includes(document.querySelector(`[data-testid=${id}]`)?.dataset.state ?? '')),
    ['loaded', 'error'],
    // Poll once a second, not every animation frame: frequent page calls slow NiiVue's software rendering down many times over.
    { timeout: 120_000, polling: 1000 },
  );
  lap('scans shown');
  await page.waitForFunction(() => ['patch-t0', 'patch-t1'].every((id) => document.querySelector(`[data-testid=${id}]`)?.dataset.state === 'drawn'), undefined, { timeout: 60_000, polling: 1000 });
  lap('patches drawn');
  for (const line of server.output().split('\n').filter((l) => /"route":"\/api\/studies","status":202|"job-done"/.test(l))) t.diagnostic(line);

  for (const id of ['scan-t0', 'scan-t1']) {
    const state = await page.getAttribute(`[data-testid=${id}]`, 'data-state');
    assert.equal(state, 'loaded', `${id}: ${await page.textContent('figcaption')}`);
    assert.equal(await page.getAttribute(`[data-testid=${id}]`, 'data-dims'), '512x512x64');
  }
  const p = Number(await page.textContent('[data-testid=p-malignant]'));
  assert.ok(p > 0 && p < 1, `P(malignant) ${p}`);
  // A solid 70 mm nodule seen before and not growing stays 4B (Lung-RADS v2022: 4B is not stepped down).
  assert.equal(await page.textContent('[data-testid=lung-rads-category]'), '4B');

  // Both patches show CT structure, and the Grad-CAM opacity slider changes what is drawn.
  const pixels = (id: string): Promise<number[]> =>
    page.evaluate((testid) => {
      const c = document.querySelector(`[data-testid=${testid}]`)!;
      return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data);
    }, id);
  for (const id of ['patch-t0', 'patch-t1']) {
    const grey = (await pixels(id)).filter((_, i) => i % 4 === 0);
    assert.ok(Math.max(...grey) - Math.min(...grey) > 50, `${id} is flat`);
  }
  const before0 = [...(await pixels('patch-t0')), ...(await pixels('patch-t1'))];
  await page.fill('[data-testid=opacity-slider]', '100');
  const after0 = [...(await pixels('patch-t0')), ...(await pixels('patch-t1'))];
  assert.notDeepEqual(after0, before0, 'the Grad-CAM overlay does not respond to its opacity');
  await page.fill('[data-testid=opacity-slider]', '50');

  mkdirSync(join(REPO, 'dist', 'e2e'), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  t.diagnostic(`screenshot: ${SCREENSHOT}`);

  await page.click('a[href="#/"]');
  await page.waitForSelector('[data-testid=study-list]');
  assert.match((await page.textContent('[data-testid=study-list]')) ?? '', /A0001/);
  await page.click('a[href="#/reports"]');
  await page.waitForSelector('h1:text("Cross-validation reports")');
  await page.click('a[href="#/cohorts"]');
  await page.waitForSelector('h1:text("Cohorts")');
  assert.deepEqual(errors, [], 'errors in the page');
  assert.deepEqual(foreign, [], 'requests beyond the server');
});
