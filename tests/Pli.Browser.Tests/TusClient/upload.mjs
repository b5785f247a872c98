// Uploads a file to Pli's tus server with the real tus-js-client, as a script or a browser would.
//   node upload.mjs --endpoint http://host/api/uploads/ --token BEARER --file PATH --store urls.json
//                   [--meta key=value ...] [--chunk-size BYTES] [--abort-after BYTES]
// --meta (repeatable) sets Upload-Metadata, e.g. --meta deposit=<id> --meta envelope=candidature --meta filename=DC1.pdf;
// without it the metadata is filename=offre.bin. With --abort-after the upload is aborted once that many bytes
// are sent (a dropped line); run again with the same --store and the upload resumes from the offset the server
// answers (findPreviousUploads).
// Prints one JSON object on stdout:
//   {"outcome":"aborted"|"done"|"error", "url", "resumedFrom", "sent", "message", "status", "body"}
// and exits 0, or 1 for "error" (2 for bad arguments).
import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { Upload, FileUrlStorage } from 'tus-js-client'

const { values } = parseArgs({
  options: {
    endpoint: { type: 'string' },
    token: { type: 'string' },
    file: { type: 'string' },
    store: { type: 'string' },
    meta: { type: 'string', multiple: true, default: [] },
    'abort-after': { type: 'string' },
    'chunk-size': { type: 'string', default: String(1024 * 1024) },
  },
})
for (const name of ['endpoint', 'token', 'file', 'store']) {
  if (!values[name]) {
    console.error(`missing --${name}`)
    process.exit(2)
  }
}
const metadata = {}
for (const pair of values.meta) {
  const at = pair.indexOf('=')
  if (at < 1) {
    console.error(`--meta ${pair}: key=value expected`)
    process.exit(2)
  }
  metadata[pair.slice(0, at)] = pair.slice(at + 1)
}
if (values.meta.length === 0) {
  Object.assign(metadata, { filename: 'offre.bin', filetype: 'application/octet-stream' })
}
const abortAfter = values['abort-after'] ? Number(values['abort-after']) : null
let aborting = false
let resumedFrom = null
let sent = 0

function finish(outcome, extra = {}) {
  console.log(JSON.stringify({ outcome, url: upload.url, resumedFrom, sent, ...extra }))
  process.exit(outcome === 'error' ? 1 : 0)
}

const upload = new Upload(fs.createReadStream(values.file), {
  endpoint: values.endpoint,
  headers: { Authorization: `Bearer ${values.token}` },
  chunkSize: Number(values['chunk-size']),
  uploadSize: fs.statSync(values.file).size,
  metadata,
  urlStorage: new FileUrlStorage(values.store),
  retryDelays: [0, 500, 1000],
  onProgress(bytes) {
    sent = bytes
    if (abortAfter !== null && bytes >= abortAfter && !aborting) {
      aborting = true
      upload.abort().then(() => finish('aborted'))
    }
  },
  onError(error) {
    // The message is what an application shows; status and body are the server's answer, when there was one.
    const response = error.originalResponse ?? null
    finish('error', { message: String(error), status: response?.getStatus() ?? null, body: response?.getBody() ?? null })
  },
  onSuccess() {
    finish('done')
  },
})

const previous = await upload.findPreviousUploads()
if (previous.length > 0) {
  upload.resumeFromPreviousUpload(previous[0])
  resumedFrom = previous[0].uploadUrl
}
upload.start()
