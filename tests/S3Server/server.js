'use strict';
// s3rver 3.7.1, plus the two calls of Pli's S3 store it does not implement (it answers MethodNotAllowed /
// NotImplemented): AbortMultipartUpload (DELETE /bucket/key?uploadId=…) and ListMultipartUploads
// (GET /bucket?uploads), over s3rver's own folder of pending uploads ({directory}/{bucket}/._S3rver_uploads/{id}).
// These two skip s3rver's signature check. Also a part for an upload that is gone is refused (NoSuchUpload), as S3
// does; everything else is s3rver unchanged.
// Usage: node server.js --directory <dir> --address 127.0.0.1 --port <n> [--exit-with-stdin true]
const fs = require('fs');
const path = require('path');
const S3rver = require('s3rver');

const args = {};
for (let i = 2; i < process.argv.length; i += 2) {
  args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
}
const directory = path.resolve(args.directory);
const escape = s => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

async function missingCalls(ctx, next) {
  const [, bucket, ...rest] = ctx.path.split('/');
  const key = decodeURIComponent(rest.join('/'));
  const uploads = path.join(directory, bucket || '', '._S3rver_uploads');
  const id = ctx.query.uploadId;
  const known = typeof id === 'string' && /^[0-9a-f]+$/.test(id) && fs.existsSync(path.join(uploads, id, 'key'));
  const noSuchUpload = () => {
    ctx.status = 404;
    ctx.type = 'application/xml';
    ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist.</Message><UploadId>${escape(String(id))}</UploadId></Error>`;
  };
  // s3rver takes a part for any upload id (it creates the folder); S3 refuses one for an upload that is gone.
  if (ctx.method === 'PUT' && bucket && key && typeof id === 'string' && 'partNumber' in ctx.query && !known) {
    noSuchUpload();
    return;
  }
  if (ctx.method === 'DELETE' && bucket && key && typeof id === 'string') {
    if (!known) {
      noSuchUpload();
      return;
    }
    fs.rmSync(path.join(uploads, id), { recursive: true, force: true });
    ctx.status = 204;
    return;
  }
  if (ctx.method === 'GET' && bucket && !key && 'uploads' in ctx.query) {
    if (!fs.existsSync(path.join(directory, bucket))) {
      return next();
    }
    const prefix = ctx.query.prefix || '';
    const entries = fs.existsSync(uploads) ? fs.readdirSync(uploads) : [];
    // A folder without its key file is no pending upload: a part whose request was cancelled by the client can
    // still be written after the abort removed the folder, and s3rver recreates it. Real S3 forgets such a part.
    const found = entries
      .map(id => {
        try {
          return { id, key: fs.readFileSync(path.join(uploads, id, 'key')).toString() };
        } catch (error) {
          if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
          throw error;
        }
      })
      .filter(u => u !== null && u.key.startsWith(prefix));
    ctx.status = 200;
    ctx.type = 'application/xml';
    ctx.body = '<?xml version="1.0" encoding="UTF-8"?>\n<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
      `<Bucket>${escape(bucket)}</Bucket><Prefix>${escape(prefix)}</Prefix><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>` +
      found.map(u => `<Upload><Key>${escape(u.key)}</Key><UploadId>${u.id}</UploadId><StorageClass>STANDARD</StorageClass><Initiated>${new Date().toISOString()}</Initiated></Upload>`).join('') +
      '</ListMultipartUploadsResult>';
    return;
  }
  return next();
}

// s3rver's file store can reject a promise nobody awaits when a folder is removed while another request writes
// in it (parallel tests do that): logged, never the end of the server all the tests share.
process.on('unhandledRejection', error => process.stderr.write(`unhandled rejection: ${error && error.stack || error}\n`));
process.on('uncaughtException', error => process.stderr.write(`uncaught exception: ${error && error.stack || error}\n`));

const server = new S3rver({ directory, address: args.address || '127.0.0.1', port: Number(args.port || 4568), silent: true });
server.middleware.unshift(missingCalls);
// With --exit-with-stdin (the test fixture): the test process holds our stdin; when it ends, however it ends
// (vstest kills its host), so does this server, and its folder goes with it.
if (args['exit-with-stdin'] === 'true') {
  process.stdin.on('end', () => {
    fs.rmSync(directory, { recursive: true, force: true });
    process.exit(0);
  });
  process.stdin.resume();
}
server.run().then(address => {
  process.stdout.write(`s3rver listening on ${address.address}:${address.port}\n`);
}, error => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
