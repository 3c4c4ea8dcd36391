// Browser test harness: a real hotlined on 127.0.0.1 (own temp folder and database), accounts made with
// hotlinectl, and Debian's chromium driven by playwright-core. Every wait is bounded; nothing sleeps.
//
// Environment: HOTLINED, HOTLINECTL (binaries), RULES_DIR (the repo's rules/), WEB_DIR (optional: serve the
// terminal's files from disk, config key web.dir), SCREENSHOT_DIR (default tests/browser/screenshots/).
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (see tests/browser/README.md)`);
  if (!existsSync(value)) throw new Error(`${name}=${value} does not exist`);
  return resolve(value);
}

export const env = {
  get hotlined() { return required('HOTLINED'); },
  get hotlinectl() { return required('HOTLINECTL'); },
  get rulesDir() { return required('RULES_DIR'); },
  get webDir() { return process.env.WEB_DIR ? resolve(process.env.WEB_DIR) : ''; },
  get screenshotDir() { return resolve(process.env.SCREENSHOT_DIR || join(here, 'screenshots')); },
};

export const TIMEOUT_MS = 20_000;      // any one wait in a page (generous: CI runs other tests beside them)
const START_TIMEOUT_MS = 15_000;       // hotlined to print its port
const STOP_TIMEOUT_MS = 15_000;        // hotlined to exit after SIGTERM (then SIGKILL)
const COMMAND_TIMEOUT_MS = 15_000;     // one hotlinectl command

// Runs hotlinectl; resolves with stdout, rejects with its stderr.
export function hotlinectl(args, input = '') {
  return new Promise((resolveRun, reject) => {
    const child = execFile(env.hotlinectl, args, { timeout: COMMAND_TIMEOUT_MS, encoding: 'utf8' },
                           (error, stdout, stderr) => {
                             if (error) reject(new Error(`hotlinectl ${args.join(' ')}: ${error.message}\n${stderr}`));
                             else resolveRun(stdout);
                           });
    child.stdin.end(input);
  });
}

// One hotlined: its folder, config, database and port. start() once, then stop()/restart() at will.
export class Hotline {
  constructor() {
    this.dir = '';
    this.port = 0;
    this.child = null;
    this.output = '';
  }

  get database() { return join(this.dir, 'hotline.db'); }
  get url() { return `http://127.0.0.1:${this.port}`; }

  // Makes the folder and the config; accounts can be added before the first start (addUser, which starts and
  // stops the daemon once to create the database: hotlinectl never creates one). `config`: more lines for
  // hotline.yaml (a benchmark's limits).
  async prepare({ config = [] } = {}) {
    this.dir = await mkdtemp(join(tmpdir(), 'hotline-browser-'));
    const lines = [
      'listen: 127.0.0.1:0',
      `database: ${JSON.stringify(this.database)}`,
      `rules: ${JSON.stringify(env.rulesDir)}`,
      // The nightly reports in this daemon's own folder (the default, ./var/reports, is the current directory's:
      // a test would find another run's reports there, and leave its own in the repository).
      'report:',
      `  dir: ${JSON.stringify(join(this.dir, 'reports'))}`,
    ];
    if (env.webDir) lines.push('web:', `  dir: ${JSON.stringify(env.webDir)}`);
    lines.push(...config);
    this.config = join(this.dir, 'hotline.yaml');
    await writeFile(this.config, lines.join('\n') + '\n');
    return this;
  }

  // An account; the password goes on stdin. role: operator, unit, supervisor or admin.
  async addUser({ login, password, role, name, unit }) {
    if (!this.child && !existsSync(this.database)) await (await this.start()).stop();
    const args = ['user', '--database', this.database, 'add', '--login', login, '--role', role, '--name', name,
                  '--rules', env.rulesDir];
    if (unit) args.push('--unit', unit);
    await hotlinectl(args, password + '\n');
  }

  // Starts hotlined (on the port it had, after a first start) and waits for `listening on 127.0.0.1:PORT`.
  async start() {
    if (this.child) throw new Error('hotlined is already running');
    const args = ['--config', this.config];
    if (this.port) args.push('--listen', `127.0.0.1:${this.port}`);
    const child = spawn(env.hotlined, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.output = '';
    this.exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
    this.port = await new Promise((ready, fail) => {
      const timer = setTimeout(() => finish(new Error(`hotlined printed no port in ${START_TIMEOUT_MS} ms`)),
                               START_TIMEOUT_MS);
      const onData = (chunk) => {
        this.output += chunk;
        const m = /listening on 127\.0\.0\.1:(\d+)/.exec(this.output);
        if (m) finish(null, Number(m[1]));
      };
      const onExit = (code, signal) => finish(new Error(`hotlined exited (${code ?? signal}) before listening`));
      function finish(error, port) {
        clearTimeout(timer);
        child.off('exit', onExit);
        if (error) fail(error); else ready(port);
      }
      // Both streams are read to the end so a full pipe can never block the daemon.
      child.stdout.setEncoding('utf8').on('data', onData);
      child.stderr.setEncoding('utf8').on('data', onData);
      child.once('exit', onExit);
    }).catch(async (error) => {
      await this.stop();
      throw new Error(`${error.message}\n${this.output}`);
    });
    return this;
  }

  // SIGTERM, then waits for the exit (SIGKILL after STOP_TIMEOUT_MS). Resolves with the exit code.
  async stop() {
    const child = this.child;
    if (!child) return null;
    this.child = null;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    let timer;
    const killed = new Promise((done) => {
      timer = setTimeout(() => { child.kill('SIGKILL'); done(null); }, STOP_TIMEOUT_MS);
    });
    const result = await Promise.race([this.exited, killed]);
    clearTimeout(timer);
    if (!result) throw new Error(`hotlined did not stop within ${STOP_TIMEOUT_MS} ms after SIGTERM\n${this.output}`);
    return result.code;
  }

  // Same port, same database; sessions (kept in the daemon's memory) are gone.
  async restart() {
    const code = await this.stop();
    if (code !== 0) throw new Error(`hotlined stopped with ${code}\n${this.output}`);
    return this.start();
  }

  async dispose() {
    await this.stop();
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}

export async function launchBrowser() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'], headless: true,
                           timeout: START_TIMEOUT_MS });
}

// A fresh page in its own context (own cookies), 1366×768, zh-CN, every wait bounded.
export async function newPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  context.setDefaultTimeout(TIMEOUT_MS);
  context.setDefaultNavigationTimeout(TIMEOUT_MS);
  return context.newPage();
}

// Opens the terminal and waits for the login form.
export async function openLogin(page, hotline) {
  await page.goto(hotline.url + '/');
  await page.waitForSelector('#login:not([hidden])');
}

// Submits the login form; resolves with the POST /login response once the page has acted on it: signed in
// (#who shown) on 200, otherwise an error in #login-error.
export async function login(page, name, password) {
  await page.waitForSelector('#login:not([hidden])');
  await page.fill('#login-name', name);
  await page.fill('#login-password', password);
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/login' && r.request().method() === 'POST'),
    page.click('#login button[type=submit]'),
  ]);
  if (response.status() === 200) {
    await page.waitForSelector('#who:not([hidden])');
  } else {
    await page.waitForFunction(() => document.getElementById('login-error').textContent.trim() !== '');
  }
  return response;
}

// The page's session CSRF token, as a reloaded page gets it (GET /v1/session).
export async function csrfToken(page) {
  return page.evaluate(async () => (await (await fetch('/v1/session')).json()).csrf_token);
}

// A PNG in SCREENSHOT_DIR, of the whole page unless `fullPage` is false (a long report: the screen only);
// returns its path.
export async function shot(page, name, { fullPage = true } = {}) {
  await mkdir(env.screenshotDir, { recursive: true });
  const path = join(env.screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

// One daemon with `people`'s accounts and one browser for a whole test file, started before its tests and closed
// after them (node:test's before/after): `const suite = useSuite(people);` then `suite.hotline`, `suite.browser`.
export function useSuite(people) {
  const suite = { hotline: null, browser: null };
  before(async () => {
    suite.hotline = await new Hotline().prepare();
    for (const p of Object.values(people)) await suite.hotline.addUser(p);
    // In parallel, both settled before any failure is thrown, so after() closes whatever started.
    const started = await Promise.allSettled([launchBrowser(), suite.hotline.start()]);
    if (started[0].status === 'fulfilled') suite.browser = started[0].value;
    for (const s of started) if (s.status === 'rejected') throw s.reason;
  });
  after(async () => {
    await suite.browser?.close();
    await suite.hotline?.dispose();
  });
  return suite;
}
