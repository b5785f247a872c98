// The fault scenarios of issue 6, against the real Pli.Web process (the Release build), restarted over the
// same data after each kill. One scenario per run:
//   node faults.mjs <uploads|sealing|diskfull|postgres> --work DIR [--port N] [--count N]
// Prints one JSON line {"scenario", ..counts.., "result": "PASS"|"FAIL"|"SKIPPED", "failures": [...]} and exits
// 0 (PASS), 1 (FAIL) or 3 (SKIPPED). run.sh bounds each run with a timeout and cleans up after it, whatever happens;
// the server's pid is kept in DIR/server.pid for that.
import { spawn, execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const here = path.dirname(fileURLToPath(import.meta.url))
const repo = path.resolve(here, '../..')
// The tus-js-client that tests/run-all.sh installs for the browser tests (same locked version).
const require = createRequire(path.join(repo, 'tests/Pli.Browser.Tests/TusClient/package.json'))
const { Upload, FileUrlStorage } = require('tus-js-client')

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    work: { type: 'string' },
    port: { type: 'string', default: '5391' },
    count: { type: 'string', default: '20' },
  },
})
const scenario = positionals[0]
const work = values.work
const port = Number(values.port)
const count = Number(values.count)
const base = `http://127.0.0.1:${port}`
const binDir = path.join(repo, 'src/Pli.Web/bin/Release/net10.0')
const MiB = 1024 * 1024

const failures = []
function check(condition, message) {
  if (!condition) {
    failures.push(message)
  }
  return condition
}
const began = Date.now()
/** Progress on stderr (run.sh shows it when a scenario fails or times out). */
function note(message) {
  process.stderr.write(`[${((Date.now() - began) / 1000).toFixed(1)} s] ${message}\n`)
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const random = (min, max) => min + Math.random() * (max - min)

// ---------------------------------------------------------------- the server process

class Server {
  constructor(env) {
    this.env = env
    this.process = null
    this.starts = 0
    this.startMs = []
  }

  async start() {
    const log = fs.openSync(path.join(work, 'server.log'), 'a')
    this.process = spawn('dotnet', [path.join(binDir, 'Pli.Web.dll'), '--urls', base], {
      cwd: binDir,
      env: { ...process.env, ...this.env },
      stdio: ['ignore', log, log],
    })
    fs.closeSync(log)
    this.exited = new Promise((resolve) => this.process.once('exit', resolve))
    fs.writeFileSync(path.join(work, 'server.pid'), String(this.process.pid))
    this.starts++
    const began = Date.now()
    const deadline = began + 120_000
    while (Date.now() < deadline) {
      if (this.process.exitCode !== null) {
        throw new Error(`Pli.Web exited with ${this.process.exitCode} while starting (see ${work}/server.log)`)
      }
      try {
        const response = await fetch(`${base}/health`, { signal: AbortSignal.timeout(2000) })
        if (response.ok) {
          this.startMs.push(Date.now() - began)
          note(`server started (${Date.now() - began} ms)`)
          return
        }
      } catch {
        // Not listening yet.
      }
      await sleep(100)
    }
    throw new Error('Pli.Web did not answer /health within 120 s')
  }

  get alive() {
    return this.process !== null && this.process.exitCode === null && this.process.signalCode === null
  }

  async kill9() {
    if (this.alive) {
      this.process.kill('SIGKILL')
      await this.exited
    }
  }

  async stop() {
    if (this.alive) {
      this.process.kill('SIGTERM')
      await Promise.race([this.exited, sleep(10_000)])
      await this.kill9()
    }
  }
}

function serverEnv(extra = {}) {
  const masterKey = fs.readFileSync(path.join(work, 'master-key'), 'utf8').trim()
  return {
    ASPNETCORE_ENVIRONMENT: 'Production',
    DOTNET_NOLOGO: '1',
    Data__Provider: 'Sqlite',
    Data__ConnectionString: `Data Source=${path.join(work, 'pli.db')}`,
    Storage__RootPath: path.join(work, 'files'),
    // The same master secret across restarts: the consultations' keys stay openable.
    Crypto__MasterKey: masterKey,
    Crypto__PrivateKeyIterations: '100000',
    Mail__PickupDirectory: path.join(work, 'mail'),
    // A kill while the outbox is sending leaves its mails leased until the lease ends (300 s in production, for a
    // slow SMTP server): the shortest lease allowed lets the scenarios see them go out within their bounded wait.
    Mail__Outbox__LeaseSeconds: '10',
    Timestamping__KeyPath: path.join(work, 'tsa'),
    Platform__PublicBaseUrl: base,
    Demo__Seed: 'true',
    Demo__ClosingSoon: 'false',
    Security__AuthenticationPermitsPerMinute: '1000',
    Logging__LogLevel__Default: 'Warning',
    Logging__LogLevel__Pli: 'Information',
    // Known start-up warnings (no wwwroot beside the build output, keys unencrypted at rest, split queries).
    'Logging__LogLevel__Microsoft.AspNetCore.StaticFiles': 'Error',
    'Logging__LogLevel__Microsoft.AspNetCore.DataProtection': 'Error',
    'Logging__LogLevel__Microsoft.EntityFrameworkCore.Query': 'Error',
    ...extra,
  }
}

// ---------------------------------------------------------------- the API, as a company

const DemoCompany = { email: 'contact@btp-demo.localhost', password: 'Demo-Pli-2026!' }

async function api(method, url, { token, json, headers = {}, body, timeout = 30_000 } = {}) {
  const response = await fetch(base + url, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(json ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: json ? JSON.stringify(json) : body,
    signal: AbortSignal.timeout(timeout),
  })
  const text = await response.text()
  let data = null
  try {
    data = text.length > 0 ? JSON.parse(text) : null
  } catch {
    data = text
  }
  return { status: response.status, data, headers: response.headers }
}

async function tokenFor() {
  const { status, data } = await api('POST', '/api/auth/token', { json: DemoCompany })
  if (status !== 200) {
    throw new Error(`token: ${status} ${JSON.stringify(data)}`)
  }
  return data.accessToken
}

/** The published consultations (demo data and the permanent test one), each with the first lot to answer. */
async function consultations() {
  const { status, data } = await api('GET', '/api/consultations?pageSize=50')
  if (status !== 200) {
    throw new Error(`consultations: ${status}`)
  }
  return data.items.map((c) => ({ id: c.id, reference: c.reference, lots: c.lots.length > 0 ? [c.lots[0].number] : [] }))
}

/** A new draft, or the one the company already has for that consultation (a 409 names it). */
async function startDeposit(token, consultation) {
  const { status, data } = await api('POST', `/api/consultations/${consultation.id}/deposits`, {
    token,
    json: { mode: 'Solo', candidatureType: 'Standard', lots: consultation.lots },
  })
  if (status !== 201 && status !== 409) {
    throw new Error(`start deposit: ${status} ${JSON.stringify(data)}`)
  }
  return data
}

function envelopeMeta(deposit, envelope) {
  return deposit.envelopes.find((e) => e.envelope === envelope).uploadMetadata
}

function tusMetadata(meta) {
  return Object.entries(meta)
    .map(([k, v]) => `${k} ${Buffer.from(String(v)).toString('base64')}`)
    .join(',')
}

function pdfBytes(size) {
  const bytes = crypto.randomBytes(size)
  Buffer.from('%PDF-1.7\n').copy(bytes)
  return bytes
}

const sha256 = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex')

/** A small file in one request (tus creation-with-upload): 201 when it is recorded in the deposit. */
async function smallUpload(token, deposit, envelope, name, bytes) {
  return api('POST', '/api/uploads/', {
    token,
    body: bytes,
    headers: {
      'Tus-Resumable': '1.0.0',
      'Upload-Length': String(bytes.length),
      'Upload-Metadata': tusMetadata({ ...envelopeMeta(deposit, envelope), filename: name }),
      'Content-Type': 'application/offset+octet-stream',
    },
  })
}

/** One tus-js-client upload of a file on disk; resolves with its outcome, never rejects. */
function tusUpload(token, file, meta, { chunkSize = 4 * MiB, retryDelays, store, onProgress, resume = true } = {}) {
  return new Promise((resolve) => {
    const upload = new Upload(fs.createReadStream(file), {
      endpoint: `${base}/api/uploads/`,
      headers: { Authorization: `Bearer ${token}` },
      chunkSize,
      uploadSize: fs.statSync(file).size,
      metadata: meta,
      urlStorage: new FileUrlStorage(store),
      retryDelays,
      removeFingerprintOnSuccess: true,
      onProgress: (sent) => onProgress?.(sent),
      onError(error) {
        const response = error.originalResponse ?? null
        resolve({ outcome: 'error', url: upload.url, message: String(error), status: response?.getStatus() ?? null, body: response?.getBody() ?? null })
      },
      onSuccess() {
        resolve({ outcome: 'done', url: upload.url })
      },
    })
    const go = async () => {
      if (resume) {
        const previous = await upload.findPreviousUploads()
        if (previous.length > 0) {
          upload.resumeFromPreviousUpload(previous[0])
        }
      }
      upload.start()
    }
    go().catch((e) => resolve({ outcome: 'error', message: String(e) }))
  })
}

function listFiles(dir) {
  if (!fs.existsSync(dir)) {
    return []
  }
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath ?? e.path, e.name))
}

function sqlite(query) {
  return execFileSync('sqlite3', [path.join(work, 'pli.db'), query], { encoding: 'utf8' }).trim().split('\n').filter((l) => l.length > 0)
}

// ---------------------------------------------------------------- 1. kill -9 during uploads

async function uploadsScenario() {
  const server = new Server(serverEnv({ Uploads__ExpireAfter: '00:01:00', Uploads__SweepEvery: '00:00:05' }))
  await server.start()
  try {
    const token = await tokenFor()
    const [consultation] = await consultations()
    const deposit = await startDeposit(token, consultation)
    const meta = envelopeMeta(deposit, 'candidature')
    const store = path.join(work, 'tus-urls.json')
    const sources = []
    let kills = 0
    let clientRestarts = 0
    for (let i = 1; i <= count; i++) {
      const name = `piece-${String(i).padStart(2, '0')}.pdf`
      const bytes = pdfBytes(Math.floor(random(8, 24) * MiB))
      const file = path.join(work, name)
      fs.writeFileSync(file, bytes)
      sources.push({ name, size: bytes.length, sha256: sha256(bytes) })
      const killAt = Math.floor(bytes.length * random(0.05, 0.95))
      let restart = null
      const onProgress = (sent) => {
        if (restart === null && sent >= killAt) {
          kills++
          restart = server.kill9().then(() => server.start())
        }
      }
      // Long enough retries to outlast a restart; if they run out, a new client run resumes from the URL store.
      let run = null
      for (let attempt = 0; attempt < 3; attempt++) {
        run = await tusUpload(token, file, { ...meta, filename: name }, {
          store,
          onProgress,
          retryDelays: [200, 500, 1000, 1000, 2000, 2000, 3000, 3000, 5000],
        })
        await restart
        if (run.outcome === 'done') {
          break
        }
        clientRestarts++
      }
      note(`${name} (${bytes.length} bytes, killed at ${killAt}): ${run.outcome}`)
      check(run.outcome === 'done', `${name}: ${run.outcome} ${run.message ?? ''}`)
      check(restart !== null, `${name}: never killed (progress not reported)`)
      fs.rmSync(file)
    }

    const { data: after } = await api('GET', `/api/deposits/${deposit.id}`, { token })
    let equal = 0
    for (const source of sources) {
      const recorded = after.files.filter((f) => f.name === source.name)
      check(recorded.length === 1, `${source.name}: recorded ${recorded.length} times`)
      if (recorded.length === 1 && check(recorded[0].sha256 === source.sha256 && recorded[0].size === source.size, `${source.name}: digest or size differs`)) {
        equal++
      }
    }
    check(after.files.length === count, `${after.files.length} files recorded, ${count} expected`)
    const rows = sqlite('SELECT StorageKey FROM DepositFiles')
    check(rows.length === count, `${rows.length} DepositFiles rows, ${count} expected`)

    // Nothing left of the uploads once they expire (usually nothing at all: each completion deletes its upload).
    const uploadsDir = path.join(work, 'files', 'uploads')
    const leftAtEnd = listFiles(uploadsDir).length
    let leftAfterExpiry = leftAtEnd
    const expiry = Date.now() + 75_000
    while (leftAfterExpiry > 0 && Date.now() < expiry) {
      await sleep(2000)
      leftAfterExpiry = listFiles(uploadsDir).length
    }
    check(leftAfterExpiry === 0, `${leftAfterExpiry} files left in the uploads folder after expiry`)
    const stored = listFiles(path.join(work, 'files', 'deposits')).map((f) => path.relative(path.join(work, 'files'), f)).sort()
    const expected = rows.slice().sort()
    check(JSON.stringify(stored) === JSON.stringify(expected), `deposits folder holds ${stored.length} files, not exactly the ${expected.length} recorded`)
    return { uploads: count, kills, serverStarts: server.starts, clientRestarts, completed: after.files.length, digestsEqual: equal, uploadsLeftAtEnd: leftAtEnd, uploadsLeftAfterExpiry: leftAfterExpiry, depositFilesOnDisk: stored.length }
  } finally {
    await server.stop()
  }
}

// ---------------------------------------------------------------- 2. kill -9 during sealing

/** Sealed with its receipt (row and PDF), or a draft without one; anything else is half. */
async function sealState(token, id) {
  const { status, data } = await api('GET', `/api/deposits/${id}`, { token })
  if (status !== 200) {
    return { state: 'absent' }
  }
  const json = await api('GET', `/api/deposits/${id}/receipt.json`, { token })
  const pdf = await fetch(`${base}/api/deposits/${id}/receipt.pdf`, { headers: { Authorization: `Bearer ${token}` } })
  const pdfBody = Buffer.from(await pdf.arrayBuffer())
  const receipt = json.status === 200
  const pdfOk = pdf.status === 200 && pdfBody.subarray(0, 5).toString() === '%PDF-'
  if (data.status === 'Sealed' && receipt && pdfOk && data.receivedAt) {
    // The token is stamped and the mail queued just after the seal's commit: a kill in between leaves the
    // receipt without them (counted, not a failure: the pli and its horodatage stand).
    const tsr = await api('GET', `/api/deposits/${id}/receipt.tsr`, { token })
    return { state: 'sealed', token: tsr.status === 200 }
  }
  if (data.status === 'Draft' && json.status === 404 && pdf.status === 404) {
    return { state: 'draft' }
  }
  return { state: 'half', detail: `status ${data.status}, receipt.json ${json.status}, receipt.pdf ${pdf.status}` }
}

async function sealingScenario() {
  // Receipts left incomplete by a kill are taken over 5 s after their seal (60 s in production), looked for every 2 s.
  const server = new Server(serverEnv({ Deposits__ReceiptCompletionGraceSeconds: '5', Deposits__ReceiptCompletionSeconds: '2' }))
  await server.start()
  try {
    const token = await tokenFor()
    const [consultation] = await consultations()
    const counts = { sealings: count, kills: 0, sealedBeforeKill: 0, answeredBeforeKill: 0, draftAfterRestart: 0, resealed: 0, half: 0, sealedWithoutToken: 0 }
    const delays = []
    for (let i = 1; i <= count; i++) {
      const deposit = await startDeposit(token, consultation)
      for (const [envelope, name] of [['candidature', 'DC1.pdf'], ['offre', 'offre.pdf']]) {
        const up = await smallUpload(token, deposit, envelope, name, pdfBytes(64 * 1024))
        check(up.status === 201, `deposit ${i}: upload ${name} answered ${up.status}`)
      }
      // Log-uniform from 2 ms to 400 ms after the request starts: as many kills inside the seal as after it.
      const delay = Math.round(Math.exp(random(Math.log(2), Math.log(400))))
      delays.push(delay)
      const answer = api('POST', `/api/deposits/${deposit.id}/seal`, { token, json: { acceptTerms: true } }).catch(() => null)
      await sleep(delay)
      await server.kill9()
      counts.kills++
      const answered = await answer
      if (answered?.status === 200) {
        counts.answeredBeforeKill++
      }
      await server.start()
      const state = await sealState(token, deposit.id)
      note(`deposit ${i}: killed ${delay} ms after the seal request (answered ${answered?.status ?? 'nothing'}): ${state.state}`)
      if (state.state === 'sealed') {
        counts.sealedBeforeKill++
        if (!state.token) {
          counts.sealedWithoutToken++
        }
      } else if (state.state === 'draft') {
        counts.draftAfterRestart++
        check(answered?.status !== 200, `deposit ${i}: the seal was answered 200, yet the deposit is a draft after the restart`)
        const again = await api('POST', `/api/deposits/${deposit.id}/seal`, { token, json: { acceptTerms: true } })
        const resealed = await sealState(token, deposit.id)
        if (check(again.status === 200 && resealed.state === 'sealed', `deposit ${i}: sealing again answered ${again.status}, then ${resealed.state}`)) {
          counts.resealed++
        }
      } else {
        counts.half++
        check(false, `deposit ${i} (kill ${delay} ms): ${state.state} ${state.detail ?? ''}`)
      }
    }
    // The database agrees: every sealed deposit has exactly one deposit receipt, no draft has one.
    const rows = sqlite("SELECT d.Status, (SELECT COUNT(*) FROM DepositReceipts r WHERE r.DepositId = d.Id) FROM Deposits d")
    const halfRows = rows.filter((r) => {
      const [status, receipts] = r.split('|')
      return !((status === 'Sealed' && receipts === '1') || (status === 'Draft' && receipts === '0'))
    })
    check(halfRows.length === 0, `database rows half sealed: ${JSON.stringify(halfRows)}`)
    check(rows.length === count, `${rows.length} deposits in the database, ${count} expected`)
    // Whatever a kill left out of a receipt (its token, its mail) is finished afterwards: every receipt completes
    // and every deposit's receipt mail leaves the outbox (pickup folder). A second copy is possible only when a kill
    // falls between the pickup write and the outbox's "sent" (at least once, as any outbox): counted, not failed.
    const incomplete = () => Number(sqlite('SELECT COUNT(*) FROM DepositReceipts WHERE CompletedUtc IS NULL')[0])
    const mailCount = () => listFiles(path.join(work, 'mail')).length
    const waitUntil = Date.now() + 30_000
    while ((incomplete() > 0 || mailCount() < count) && Date.now() < waitUntil) {
      await sleep(500)
    }
    await sleep(2_000) // a second mail of one receipt would come now
    const incompleteAtEnd = incomplete()
    const mails = mailCount()
    check(incompleteAtEnd === 0, `${incompleteAtEnd} receipts still without token or mail 30 s after the last kill`)
    check(mails >= count, `${mails} receipt mails for ${count} sealed deposits`)
    return { ...counts, incompleteAtEnd, receiptMails: mails, duplicateMails: Math.max(0, mails - count), killDelaysMs: { min: Math.min(...delays), max: Math.max(...delays) }, databaseHalf: halfRows.length }
  } finally {
    await server.stop()
  }
}

// ---------------------------------------------------------------- 3. disk full

async function diskFullScenario() {
  const root = path.join(work, 'files')
  fs.mkdirSync(root, { recursive: true })
  if (process.getuid?.() !== 0) {
    return { skipped: 'not root: a tmpfs cannot be mounted' }
  }
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=40m', 'tmpfs', root])
  const server = new Server(serverEnv())
  await server.start()
  try {
    const token = await tokenFor()
    const [consultation] = await consultations()
    const deposit = await startDeposit(token, consultation)
    // A first file that fits, recorded before the disk fills.
    const first = pdfBytes(4 * MiB)
    const firstFile = path.join(work, 'DC1.pdf')
    fs.writeFileSync(firstFile, first)
    const stored = await tusUpload(token, firstFile, { ...envelopeMeta(deposit, 'candidature'), filename: 'DC1.pdf' }, { store: path.join(work, 'urls-1.json'), retryDelays: [] })
    note(`first file: ${stored.outcome}`)
    check(stored.outcome === 'done', `first file: ${stored.outcome} ${stored.message ?? ''}`)
    const sealedFiles = () => listFiles(path.join(root, 'deposits'))
    const firstSealed = sealedFiles()
    check(firstSealed.length === 1, `${firstSealed.length} sealed files after the first upload`)
    const firstDigestOnDisk = firstSealed.length === 1 ? sha256(fs.readFileSync(firstSealed[0])) : null

    // The offer does not fit in what is left.
    const big = pdfBytes(48 * MiB)
    const bigFile = path.join(work, 'offre.pdf')
    fs.writeFileSync(bigFile, big)
    const bigStore = path.join(work, 'urls-2.json')
    const meta = { ...envelopeMeta(deposit, 'offre'), filename: 'offre.pdf' }
    const full = await tusUpload(token, bigFile, meta, { store: bigStore, retryDelays: [], chunkSize: 4 * MiB })
    note(`big file on the full disk: ${full.outcome} ${full.status} ${full.body}`)
    let problem = null
    try {
      problem = JSON.parse(full.body ?? 'null')
    } catch {
      // Not JSON: the check below says so.
    }
    check(full.outcome === 'error' && full.status === 507, `full disk: ${full.outcome}, status ${full.status} (507 expected)`)
    check(typeof problem?.title === 'string' && /espace/i.test(problem.title), `full disk: no clear French message (${full.body})`)

    const head = await api('HEAD', new URL(full.url).pathname, { token, headers: { 'Tus-Resumable': '1.0.0' } })
    const acknowledged = Number(head.headers.get('upload-offset'))
    check(head.status === 200 && acknowledged < big.length, `HEAD after the full disk: ${head.status}, offset ${acknowledged}`)

    const seal = await api('POST', `/api/deposits/${deposit.id}/seal`, { token, json: { acceptTerms: true } })
    check(seal.status === 400 && seal.data?.code === 'deposit.no-offer', `seal with the offer missing answered ${seal.status} ${seal.data?.code}`)
    const { data: draft } = await api('GET', `/api/deposits/${deposit.id}`, { token })
    check(draft.status === 'Draft' && draft.files.length === 1, `after the full disk: ${draft.status} with ${draft.files.length} files`)
    check(sha256(fs.readFileSync(firstSealed[0])) === firstDigestOnDisk, 'the first file changed on disk')

    // Space returns: the same upload resumes from its acknowledged offset and completes with the source's digest.
    execFileSync('mount', ['-o', 'remount,size=160m', root])
    const resumed = await tusUpload(token, bigFile, meta, { store: bigStore, retryDelays: [500, 1000] })
    check(resumed.outcome === 'done' && resumed.url === full.url, `resumed: ${resumed.outcome} ${resumed.message ?? ''} (same upload: ${resumed.url === full.url})`)
    note(`resumed: ${resumed.outcome} ${resumed.message ?? ''}`)
    const { data: after } = await api('GET', `/api/deposits/${deposit.id}`, { token })
    const offer = after.files.find((f) => f.name === 'offre.pdf')
    const firstAfter = after.files.find((f) => f.name === 'DC1.pdf')
    check(offer?.sha256 === sha256(big) && offer?.size === big.length, 'the resumed file is not recorded with the source digest')
    check(firstAfter?.sha256 === sha256(first), 'the first file is not recorded with its digest')
    check(sha256(fs.readFileSync(firstSealed[0])) === firstDigestOnDisk, 'the first file changed on disk')
    const sealed = await api('POST', `/api/deposits/${deposit.id}/seal`, { token, json: { acceptTerms: true } })
    check(sealed.status === 200, `seal once the file is there answered ${sealed.status}`)
    return { fullStatus: full.status, acknowledgedOffset: acknowledged, sealWhileMissing: seal.status, resumed: resumed.outcome, digestEqual: offer?.sha256 === sha256(big), sealAfter: sealed.status }
  } finally {
    await server.stop()
  }
}

// ---------------------------------------------------------------- 4. PostgreSQL restarted mid-surge

function pgBin(name) {
  const versions = fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a))
  return path.join('/usr/lib/postgresql', versions[0], 'bin', name)
}

/** A private PostgreSQL cluster for this run: restarting it disturbs nobody else's tests. */
function asPostgres(command) {
  return execFileSync('su', ['postgres', '-c', command], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

async function postgresScenario() {
  if (process.getuid?.() !== 0 || !fs.existsSync('/usr/lib/postgresql')) {
    return { skipped: 'needs root and a PostgreSQL installation to run a private cluster' }
  }
  const pgData = path.join(work, 'pg')
  const pgPort = port + 1
  fs.chmodSync(work, 0o755)
  fs.mkdirSync(pgData)
  execFileSync('chown', ['postgres', pgData])
  asPostgres(`${pgBin('initdb')} -D ${pgData} -U pli --auth=trust -E UTF8 --no-sync >/dev/null`)
  // fsync off: the restarts here are clean (fast shutdown, checkpoint), so nothing committed needs fsync to survive them.
  const pgCtl = (action) => asPostgres(`${pgBin('pg_ctl')} -D ${pgData} -l ${pgData}/log -w -m fast -o "-p ${pgPort} -k ${pgData} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" ${action}`)
  const pgCtlAsync = (action) => new Promise((resolve, reject) => {
    // Not execFileSync: the surge must go on while PostgreSQL restarts. (restart reuses the start's -o options.)
    const child = spawn('su', ['postgres', '-c', `${pgBin('pg_ctl')} -D ${pgData} -l ${pgData}/log -w -m fast ${action}`], { stdio: 'ignore' })
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`pg_ctl ${action} exited with ${code}`))))
  })
  pgCtl('start')
  execFileSync(pgBin('psql'), ['-h', '127.0.0.1', '-p', String(pgPort), '-U', 'pli', '-d', 'postgres', '-qc', 'CREATE DATABASE pli_faults'])
  const server = new Server(serverEnv({
    Data__Provider: 'PostgreSql',
    Data__ConnectionString: `Host=127.0.0.1;Port=${pgPort};Username=pli;Password=pli;Database=pli_faults`,
  }))
  try {
    await server.start()
    const token = await tokenFor()
    const targets = await consultations()
    const acked = new Set()
    const counts = { workers: targets.length, requests: 0, failed: 0, networkErrors: 0, seals: 0, sealsAfterRestart: 0 }
    let restartedAt = null
    let stop = false
    const errorStatuses = {}
    const failed = (status) => {
      counts.failed++
      errorStatuses[status] = (errorStatuses[status] ?? 0) + 1
    }
    const request = async (...args) => {
      counts.requests++
      try {
        const result = await api(...args)
        // 409: the company's draft of that consultation, which the worker takes up again.
        if (result.status >= 400 && result.status !== 409) {
          failed(result.status)
        }
        return result
      } catch {
        counts.networkErrors++
        return { status: 0 }
      }
    }
    const worker = async (consultation) => {
      while (!stop) {
        const started = await request('POST', `/api/consultations/${consultation.id}/deposits`, { token, json: { mode: 'Solo', candidatureType: 'Standard', lots: consultation.lots } })
        if (started.status !== 201 && started.status !== 409) {
          await sleep(100)
          continue
        }
        const deposit = started.data
        let uploaded = true
        for (const [envelope, name] of [['candidature', 'DC1.pdf'], ['offre', 'offre.pdf']]) {
          if (deposit.files.some((f) => f.name === name)) {
            continue
          }
          counts.requests++
          const up = await smallUpload(token, deposit, envelope, name, pdfBytes(32 * 1024)).catch(() => ({ status: 0 }))
          if (up.status !== 201) {
            failed(up.status)
            uploaded = false
          }
        }
        if (!uploaded) {
          await sleep(100)
          continue
        }
        const sealed = await request('POST', `/api/deposits/${deposit.id}/seal`, { token, json: { acceptTerms: true } })
        if (sealed.status === 200) {
          acked.add(deposit.id)
          counts.seals++
          if (restartedAt !== null) {
            counts.sealsAfterRestart++
          }
        }
      }
    }
    const workers = targets.map(worker)
    const until = async (condition, ms) => {
      const end = Date.now() + ms
      while (!condition() && Date.now() < end) {
        await sleep(100)
      }
    }
    // The surge runs (a few seals), then PostgreSQL restarts under it; the workers go on meanwhile.
    await until(() => counts.seals >= 2 * targets.length, 30_000)
    const sealsBefore = counts.seals
    const failedBefore = counts.failed + counts.networkErrors
    note(`${counts.seals} seals; restarting PostgreSQL`)
    await pgCtlAsync('restart')
    restartedAt = Date.now()
    note('PostgreSQL restarted')
    const failedDuring = () => counts.failed + counts.networkErrors - failedBefore
    await until(() => counts.sealsAfterRestart >= 2 * targets.length, 20_000)
    stop = true
    await Promise.all(workers)
    check(server.alive, 'Pli.Web died with PostgreSQL')
    const health = await api('GET', '/health')
    check(health.status === 200, `health after the restart: ${health.status}`)
    check(counts.sealsAfterRestart > 0, 'no deposit sealed after PostgreSQL came back')
    // Every seal answered 200 is sealed in the database, with its receipt.
    const ids = [...acked].map((id) => `'${id}'`).join(',')
    const rows = ids.length === 0 ? [] : execFileSync(pgBin('psql'), ['-h', '127.0.0.1', '-p', String(pgPort), '-U', 'pli', '-d', 'pli_faults', '-tAc',
      `SELECT d."Id" FROM "Deposits" d WHERE d."Id" IN (${ids}) AND d."Status" = 'Sealed' AND EXISTS (SELECT 1 FROM "DepositReceipts" r WHERE r."DepositId" = d."Id")`], { encoding: 'utf8' }).trim().split('\n').filter((l) => l)
    const lost = acked.size - rows.length
    check(lost === 0, `${lost} deposits answered sealed are not sealed in the database`)
    return { ...counts, errorStatuses, sealsBeforeRestart: sealsBefore, failedAfterRestart: failedDuring(), acknowledged: acked.size, sealedInDatabase: rows.length, lost, serverAlive: server.alive }
  } finally {
    await server.stop()
    try {
      pgCtl('stop')
    } catch {
      // run.sh stops it too.
    }
  }
}

// ---------------------------------------------------------------- main

const scenarios = { uploads: uploadsScenario, sealing: sealingScenario, diskfull: diskFullScenario, postgres: postgresScenario }
if (!scenarios[scenario] || !work) {
  console.error('usage: node faults.mjs <uploads|sealing|diskfull|postgres> --work DIR [--port N] [--count N]')
  process.exit(2)
}
fs.mkdirSync(work, { recursive: true })
if (!fs.existsSync(path.join(work, 'master-key'))) {
  fs.writeFileSync(path.join(work, 'master-key'), crypto.randomBytes(32).toString('base64'))
}
const started = Date.now()
let result
try {
  result = await scenarios[scenario]()
} catch (e) {
  failures.push(`crashed: ${e?.stack ?? e}`)
  result = {}
}
const verdict = result.skipped ? 'SKIPPED' : failures.length === 0 ? 'PASS' : 'FAIL'
console.log(JSON.stringify({ scenario, ...result, seconds: Math.round((Date.now() - started) / 100) / 10, result: verdict, failures }))
process.exit(verdict === 'PASS' ? 0 : verdict === 'SKIPPED' ? 3 : 1)
