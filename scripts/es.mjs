#!/usr/bin/env node
// A single-node Elasticsearch for machines without Docker: node scripts/es.mjs start | stop | status
//
// start  builds search-indexer/dev-elasticsearch once (Maven Central: the Elasticsearch distribution + our dev plugin),
//        launches the node in the background, waits until it is healthy and prints
//        ELASTICSEARCH_URL=http://127.0.0.1:<port> on stdout (progress goes to stderr).
//        A healthy Elasticsearch already on the port (this script's or e.g. Docker's) is reused.
// stop   stops the node started from this ES_HOME (SIGTERM, then SIGKILL) — only the pid in its pid file.
// status prints the state; exit code 0 when a healthy node answers, 1 otherwise.
//
// Environment: ES_PORT (9200), ES_HOME (search-indexer/dev-elasticsearch/.data), ES_HEAP (1g), ES_JAVA_OPTS (extra JVM
// flags), ES_JAVA_HOME / JAVA_HOME (else the `java` on PATH), ES_START_TIMEOUT seconds (180),
// ES_STOP_TIMEOUT seconds (30). Needs only Java 17+, Maven and Node.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const projectDir = path.join(repoRoot, 'search-indexer', 'dev-elasticsearch');
const port = Number(process.env.ES_PORT || 9200);
const esHome = path.resolve(process.env.ES_HOME || path.join(projectDir, '.data'));
const heap = process.env.ES_HEAP || '1g';
const startTimeoutMs = Number(process.env.ES_START_TIMEOUT || 180) * 1000;
const stopTimeoutMs = Number(process.env.ES_STOP_TIMEOUT || 30) * 1000;
const url = `http://127.0.0.1:${port}`;
const clusterName = 'boxoffice';
const pidFile = path.join(esHome, 'es.pid');
const logsDir = path.join(esHome, 'logs');
const launchLog = path.join(logsDir, 'launch.log');
const serverLog = path.join(logsDir, `${clusterName}.log`);
const buildLog = path.join(projectDir, 'target', 'maven-build.log');
const buildStamp = path.join(projectDir, 'target', '.build-stamp');
// Elasticsearch refuses to run as root; as root we run it as this unprivileged user.
const NOBODY = 65534;

const say = (msg) => process.stderr.write(`[es] ${msg}\n`);
class Failure extends Error {}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function esVersion() {
  const pom = fs.readFileSync(path.join(projectDir, 'pom.xml'), 'utf8');
  const m = pom.match(/<es\.version>([^<]+)<\/es\.version>/);
  if (!m) throw new Failure('cannot find <es.version> in search-indexer/dev-elasticsearch/pom.xml');
  return m[1].trim();
}
const distDir = () => path.join(projectDir, 'target', `elasticsearch-${esVersion()}`);

function onPath(cmd) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    const file = path.join(dir, cmd);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here; try the next PATH entry
    }
  }
  return null;
}

function javaHome() {
  const fromEnv = process.env.ES_JAVA_HOME || process.env.JAVA_HOME;
  if (fromEnv) return fromEnv;
  const java = onPath('java');
  if (!java) throw new Failure('Java 17+ is required: no `java` on PATH and neither ES_JAVA_HOME nor JAVA_HOME is set');
  return path.dirname(path.dirname(fs.realpathSync(java)));
}

function tail(file, lines = 40) {
  try {
    const text = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    return text.slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

// ------------------------------------------------------------------------------------------- build

function sourceFingerprint() {
  const hash = createHash('sha256');
  const walk = (p) => {
    const st = fs.statSync(p);
    if (st.isDirectory()) for (const name of fs.readdirSync(p).sort()) walk(path.join(p, name));
    else hash.update(path.relative(projectDir, p)).update('\0').update(fs.readFileSync(p)).update('\0');
  };
  walk(path.join(projectDir, 'pom.xml'));
  walk(path.join(projectDir, 'src'));
  return hash.digest('hex');
}

async function ensureBuilt() {
  const dist = distDir();
  const fingerprint = sourceFingerprint();
  const built =
    fs.existsSync(path.join(dist, 'bin', 'elasticsearch')) &&
    fs.existsSync(path.join(dist, 'plugins', 'boxoffice-es', 'boxoffice-es.jar')) &&
    fs.existsSync(buildStamp) &&
    fs.readFileSync(buildStamp, 'utf8') === fingerprint;
  if (built) return dist;

  const mvn = onPath('mvn');
  if (!mvn) throw new Failure('Maven (`mvn`) is required for the first start, to fetch Elasticsearch from Maven Central');
  javaHome(); // fail early without Java
  fs.mkdirSync(path.dirname(buildLog), { recursive: true });
  say(`resolving Elasticsearch ${esVersion()} from Maven Central and building the dev plugin`);
  say('(the first run downloads about 150 MB into ~/.m2 and takes a minute or a few; later starts skip this)');
  const started = Date.now();
  const out = fs.openSync(buildLog, 'w');
  const child = spawn(mvn, ['-B', '--no-transfer-progress', '-f', path.join(projectDir, 'pom.xml'), 'package'], {
    stdio: ['ignore', out, out],
    env: { ...process.env, MAVEN_OPTS: process.env.MAVEN_OPTS || '-Xmx512m' },
  });
  const ticker = setInterval(() => say(`still building… ${Math.round((Date.now() - started) / 1000)} s`), 15000);
  const code = await new Promise((resolve) => child.on('exit', (c, sig) => resolve(sig ? 128 : c)));
  clearInterval(ticker);
  fs.closeSync(out);
  if (code !== 0) {
    throw new Failure(`Maven build failed (exit ${code}); last lines of ${buildLog}:\n${tail(buildLog)}`);
  }
  fs.writeFileSync(buildStamp, fingerprint);
  say(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return dist;
}

// --------------------------------------------------------------------------------------- processes

function readPid() {
  try {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

// True when pid is a live Elasticsearch server JVM (guards against a recycled pid).
function isElasticsearch(pid) {
  if (!isAlive(pid)) return false;
  let cmdline;
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    const ps = spawnSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' });
    cmdline = ps.stdout || '';
  }
  return cmdline.includes('org.elasticsearch');
}

function removePidFile() {
  fs.rmSync(pidFile, { force: true });
}

// ------------------------------------------------------------------------------------------ health

function getJson(pathAndQuery, timeoutMs = 3000) {
  return new Promise((resolve) => {
    const req = http.get(`${url}${pathAndQuery}`, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode, body: JSON.parse(body) });
        } catch {
          resolve({ status: res.statusCode, body: null, text: body });
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(null));
  });
}

// Health of whatever answers on the port: null when nothing answers over HTTP.
async function health(waitFor = null) {
  const q = waitFor ? `?wait_for_status=${waitFor}&timeout=1s` : '?timeout=1s';
  return getJson(`/_cluster/health${q}`, 5000);
}

// Any healthy Elasticsearch (a Docker one, say, is just as good); ours is the one named clusterName.
const healthy = (h) => Boolean(h?.body && ['green', 'yellow'].includes(h.body.status) && typeof h.body.cluster_name === 'string');
const ours = (h) => healthy(h) && h.body.cluster_name === clusterName;

function portInUse() {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.on('connect', () => (socket.destroy(), resolve(true)));
    socket.on('timeout', () => (socket.destroy(), resolve(false)));
    socket.on('error', () => resolve(false));
  });
}

function request(method, pathname, body) {
  return new Promise((resolve, reject) => {
    const data = body ? JSON.stringify(body) : undefined;
    const req = http.request(
      `${url}${pathname}`,
      { method, headers: data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {} },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode, text }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

// ------------------------------------------------------------------------------------------- start

function configuredPort() {
  try {
    const yml = fs.readFileSync(path.join(esHome, 'config', 'elasticsearch.yml'), 'utf8');
    const m = yml.match(/^http\.port:\s*(\d+)/m);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

function writeConfig(dist) {
  const conf = path.join(esHome, 'config');
  for (const dir of [conf, path.join(conf, 'jvm.options.d'), path.join(esHome, 'data'), logsDir, path.join(esHome, 'tmp')]) {
    fs.mkdirSync(dir, { recursive: true });
  }
  fs.writeFileSync(
    path.join(conf, 'elasticsearch.yml'),
    [
      '# Written by scripts/es.mjs on every start; edit that script, not this file.',
      `cluster.name: ${clusterName}`,
      'node.name: boxoffice-dev',
      `path.data: ${JSON.stringify(path.join(esHome, 'data'))}`,
      `path.logs: ${JSON.stringify(logsDir)}`,
      'network.host: 127.0.0.1',
      `http.port: ${port}`,
      'discovery.type: single-node',
      'xpack.security.enabled: false',
      // a dev machine's disk may be fuller than the production watermarks allow
      'cluster.routing.allocation.disk.threshold_enabled: false',
      // One thread per search: since 8.12 a node also hands each search's segments (and each query
      // term's lookup in every segment) to a second pool, search_worker, so one search can use several
      // cores. With many small searches in flight (a storefront in an on-sale) every core is already
      // busy and the hand-offs are pure cost: in alternated runs at concurrency 16 on 2 cores, 25-33 %
      // more text searches per second and 20 % less CPU per search with it off (docs/performance-history.md,
      // "Elasticsearch: one thread per search"). Production clusters should set it the same way.
      'search.worker_threads_enabled: false',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(conf, 'jvm.options'),
    [
      '-XX:+UseG1GC',
      '-Djava.io.tmpdir=${ES_TMPDIR}',
      '-XX:+ExitOnOutOfMemoryError',
      `-XX:ErrorFile=${path.join(logsDir, 'hs_err_pid%p.log')}`,
      '',
    ].join('\n'),
  );
  fs.copyFileSync(path.join(dist, 'config', 'log4j2.properties'), path.join(conf, 'log4j2.properties'));
}

function chownTree(p, uid, gid) {
  fs.chownSync(p, uid, gid);
  if (fs.statSync(p).isDirectory()) for (const name of fs.readdirSync(p)) chownTree(path.join(p, name), uid, gid);
}

// As root: the command prefix that drops to `nobody`, after checking that nobody can read what it needs.
function dropPrivileges(dist, java) {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return [];
  const setpriv = onPath('setpriv');
  if (!setpriv) throw new Failure('running as root, and Elasticsearch refuses root: `setpriv` (util-linux) is needed to run it as nobody');
  const prefix = [setpriv, `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups'];
  chownTree(esHome, NOBODY, NOBODY);
  const probe = spawnSync(prefix[0], [...prefix.slice(1), 'sh', '-c', 'test -r "$1" && test -x "$2"', 'sh',
    path.join(dist, 'lib', `elasticsearch-${esVersion()}.jar`), path.join(java, 'bin', 'java')]);
  if (probe.status !== 0) {
    throw new Failure(
      `running as root, so Elasticsearch runs as user nobody (it refuses root), but nobody cannot read ${dist} or ${java}: ` +
        'some parent directory is not world-readable. Run as a normal user or keep the checkout under a world-readable path.',
    );
  }
  say('running as root: the node runs as user nobody (Elasticsearch refuses root)');
  return prefix;
}

async function stopPid(pid) {
  if (!isElasticsearch(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + stopTimeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(250);
  if (isAlive(pid)) {
    say(`pid ${pid} still running after ${stopTimeoutMs / 1000} s: SIGKILL`);
    process.kill(pid, 'SIGKILL');
    const killDeadline = Date.now() + 10000;
    while (isAlive(pid) && Date.now() < killDeadline) await sleep(100);
  }
}

const groupAlive = (pgid) => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
};

// Undo a failed start: the server (once it has written its pid) and the launcher's process group
// (the launcher JVM, and a server JVM that has not written its pid yet).
async function abortStart(launcher) {
  const pid = readPid();
  if (pid) await stopPid(pid);
  for (const signal of ['SIGTERM', 'SIGKILL']) {
    if (!groupAlive(launcher.pid)) break;
    process.kill(-launcher.pid, signal);
    const deadline = Date.now() + 10000;
    while (groupAlive(launcher.pid) && Date.now() < deadline) await sleep(200);
  }
  removePidFile();
}

async function waitHealthy(deadline, launcher) {
  let launcherExit = null;
  launcher?.on('exit', (code, sig) => (launcherExit = sig ? `signal ${sig}` : code));
  while (Date.now() < deadline) {
    const h = await health('yellow');
    if (ours(h)) return h.body;
    if (launcherExit !== null && launcherExit !== 0) {
      throw new Failure(`Elasticsearch failed to start (launcher exit ${launcherExit})`);
    }
    const pid = readPid();
    if (launcherExit === 0 && pid && !isAlive(pid)) throw new Failure(`Elasticsearch (pid ${pid}) exited during start-up`);
    await sleep(1000);
  }
  throw new Failure(`Elasticsearch was not healthy within ${startTimeoutMs / 1000} s (ES_START_TIMEOUT)`);
}

function failureDetails() {
  return `--- ${launchLog} (last lines)\n${tail(launchLog, 25)}\n--- ${serverLog} (last lines)\n${tail(serverLog, 25)}`;
}

// Single-node: new indices get 0 replicas so the cluster stays green (indices may still set their own).
async function applyDevDefaults() {
  const res = await request('PUT', '/_template/boxoffice-dev-single-node', {
    index_patterns: ['*'],
    order: -1000,
    settings: { number_of_replicas: 0 },
  });
  if (res.status !== 200) say(`warning: could not install the 0-replica default template: ${res.status} ${res.text}`);
}

async function start() {
  const t0 = Date.now();
  const existing = await health();
  if (existing) {
    if (healthy(existing)) {
      say(`already running on port ${port} (cluster ${existing.body.cluster_name}, status ${existing.body.status})`);
      return printUrl();
    }
  }
  const deadline = Date.now() + startTimeoutMs;
  const oldPid = readPid();
  if (oldPid && isElasticsearch(oldPid)) {
    const otherPort = configuredPort();
    if (otherPort && otherPort !== port) {
      throw new Failure(`the node from ${esHome} (pid ${oldPid}) uses port ${otherPort}, not ${port}: stop it first or use another ES_HOME`);
    }
    say(`a node from ${esHome} is already starting (pid ${oldPid}); waiting for it`);
    try {
      await waitHealthy(deadline, null);
    } catch (e) {
      throw new Failure(`${e.message}\n${failureDetails()}`);
    }
    return printUrl();
  }
  if (oldPid) removePidFile(); // stale
  if (existing || (await portInUse())) {
    throw new Failure(`port ${port} is in use by something that is not a healthy Elasticsearch; set ES_PORT or free the port`);
  }

  const dist = await ensureBuilt();
  const java = javaHome();
  writeConfig(dist);
  const prefix = dropPrivileges(dist, java);
  const log = fs.openSync(launchLog, 'w');
  const env = {
    ...process.env,
    ES_JAVA_HOME: java,
    ES_PATH_CONF: path.join(esHome, 'config'),
    ES_TMPDIR: path.join(esHome, 'tmp'),
    ES_JAVA_OPTS: `-Xms${heap} -Xmx${heap} -XX:-AlwaysPreTouch ${process.env.ES_JAVA_OPTS || ''}`.trim(),
    HOME: esHome,
  };
  delete env.JAVA_HOME; // the launcher only warns about it
  delete env.JAVA_TOOL_OPTIONS;
  const bin = path.join(dist, 'bin', 'elasticsearch');
  const argv = [...prefix, bin, '-d', '-p', pidFile];
  say(`starting Elasticsearch ${esVersion()} on ${url} (heap ${heap}, data in ${esHome})`);
  // -d: the launcher returns once the node has started; the server JVM writes its own pid to pidFile.
  const launcher = spawn(argv[0], argv.slice(1), { cwd: dist, env, stdio: ['ignore', log, log], detached: true });
  fs.closeSync(log);
  const onSignal = async () => {
    say('interrupted: stopping the node that was starting');
    await abortStart(launcher);
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let body;
  try {
    body = await waitHealthy(deadline, launcher);
  } catch (e) {
    await abortStart(launcher);
    throw new Failure(`${e.message}\n${failureDetails()}`);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    launcher.unref();
  }
  await applyDevDefaults();
  say(`ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: pid ${readPid()}, status ${body.status}, logs in ${logsDir}`);
  printUrl();
}

function printUrl() {
  process.stdout.write(`ELASTICSEARCH_URL=${url}\n`);
}

// -------------------------------------------------------------------------------------- stop/status

async function stop() {
  const pid = readPid();
  if (!pid) {
    const h = await health();
    say(h ? `no pid file in ${esHome}; something answers on port ${port}, but this script did not start it: left alone` : 'not running');
    return;
  }
  if (!isElasticsearch(pid)) {
    say(`not running (removing stale pid file for pid ${pid})`);
    removePidFile();
    return;
  }
  say(`stopping Elasticsearch (pid ${pid})`);
  await stopPid(pid);
  removePidFile();
  say('stopped');
}

async function status() {
  const pid = readPid();
  const running = pid && isElasticsearch(pid);
  const h = await health();
  if (healthy(h)) {
    say(`running${running ? ` (pid ${pid})` : ' (not started from this ES_HOME)'}: cluster ${h.body.cluster_name}, status ${h.body.status}`);
    printUrl();
    return 0;
  }
  say(running ? `starting or unhealthy (pid ${pid}); no healthy answer on ${url}` : `not running (${url})`);
  return 1;
}

const command = process.argv[2];
try {
  if (command === 'start') await start();
  else if (command === 'stop') await stop();
  else if (command === 'status') process.exitCode = await status();
  else {
    process.stderr.write('usage: node scripts/es.mjs start | stop | status\n');
    process.exitCode = 2;
  }
} catch (e) {
  if (!(e instanceof Failure)) throw e;
  say(`error: ${e.message}`);
  process.exitCode = 1;
}
