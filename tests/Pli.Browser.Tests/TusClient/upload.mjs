// Uploads a file to Pli's tus server with the real tus-js-client, as a script or a browser would.
//   node upload.mjs --endpoint http://host/api/uploads/ --token BEARER --file PATH --store urls.json [--abort-after BYTES]
// With --abort-after the upload is aborted once that many bytes are sent (a dropped line); run again with the
// same --store and the upload resumes from the offset the server answers (findPreviousUploads).
// Prints "ABORTED <bytes sent>" or "RESUMED <url>" then "DONE <url>"; exits 1 with the error on stderr.
import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { Upload, FileUrlStorage } from 'tus-js-client'

const { values } = parseArgs({
  options: {
    endpoint: { type: 'string' },
    token: { type: 'string' },
    file: { type: 'string' },
    store: { type: 'string' },
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
const abortAfter = values['abort-after'] ? Number(values['abort-after']) : null
let aborting = false

const upload = new Upload(fs.createReadStream(values.file), {
  endpoint: values.endpoint,
  headers: { Authorization: `Bearer ${values.token}` },
  chunkSize: Number(values['chunk-size']),
  uploadSize: fs.statSync(values.file).size,
  metadata: { filename: 'offre.bin', filetype: 'application/octet-stream' },
  urlStorage: new FileUrlStorage(values.store),
  retryDelays: [0, 500, 1000],
  onProgress(sent) {
    if (abortAfter !== null && sent >= abortAfter && !aborting) {
      aborting = true
      upload.abort().then(() => {
        console.log(`ABORTED ${sent}`)
        process.exit(0)
      })
    }
  },
  onError(error) {
    console.error(String(error))
    process.exit(1)
  },
  onSuccess() {
    console.log(`DONE ${upload.url}`)
    process.exit(0)
  },
})

const previous = await upload.findPreviousUploads()
if (previous.length > 0) {
  upload.resumeFromPreviousUpload(previous[0])
  console.log(`RESUMED ${previous[0].uploadUrl}`)
}
upload.start()
