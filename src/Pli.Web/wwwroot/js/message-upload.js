// Message and reply forms (data-tus-attachments): each file chosen in #Files is sent at once to the tus
// server (/api/uploads/, purpose "message"), its progress shown; once received, its upload id goes into a
// hidden UploadIds input and the file input is emptied, so the form posts no file bytes. The submit button
// waits while a file is being sent. Needs lib/tus-js-client/tus.min.js loaded first. Without JavaScript the
// form posts its files itself (multipart), and the server judges every file either way.
(function () {
  'use strict';

  const tus = window.tus;
  if (!tus || !tus.isSupported) {
    return;
  }

  const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000];
  const CHUNK_SIZE = 8 * 1024 * 1024;

  function format(text, args) {
    return (text || '').replace(/\{(\d+)\}/g, (m, i) => (args[i] === undefined ? m : String(args[i])));
  }

  // The server's ProblemDetails title is the message meant for the person.
  function refusalOf(error) {
    const response = error && error.originalResponse;
    if (!response) {
      return null;
    }
    const status = response.getStatus();
    if (status < 400 || status >= 500 || status === 409 || status === 423) {
      return null;
    }
    try {
      const problem = JSON.parse(response.getBody() || '');
      if (problem && typeof problem.title === 'string' && problem.title.length > 0) {
        return problem.title;
      }
    } catch (e) {
      // Not JSON: the status says it.
    }
    return String(status);
  }

  function setUp(form) {
    const input = form.querySelector('#Files');
    const list = form.querySelector('[data-upload-list]');
    const waiting = form.querySelector('[data-upload-waiting]');
    const submit = form.querySelector('button[type=submit]');
    if (!input || !list || !submit) {
      return;
    }
    const data = form.dataset;
    const text = function (key) {
      return format(data['text' + key], Array.prototype.slice.call(arguments, 1));
    };
    let pending = 0;

    function update() {
      const busy = pending > 0;
      submit.disabled = busy;
      submit.setAttribute('aria-disabled', busy ? 'true' : 'false');
      if (waiting) {
        waiting.hidden = !busy;
      }
    }

    function send(file) {
      const row = document.createElement('li');
      row.className = 'message-upload';
      row.dataset.fileName = file.name;
      row.dataset.uploadState = 'uploading';
      const name = document.createElement('span');
      name.className = 'upload-name';
      name.textContent = file.name;
      const progress = document.createElement('progress');
      progress.max = 100;
      progress.value = 0;
      progress.setAttribute('aria-label', text('Progress', file.name));
      const status = document.createElement('span');
      status.className = 'upload-status';
      status.setAttribute('role', 'status');
      status.textContent = text('Uploading', file.name);
      row.append(name, ' ', progress, ' ', status);
      list.appendChild(row);
      list.hidden = false;
      pending++;
      update();

      const metadata = { purpose: 'message', filename: file.name, filetype: file.type || 'application/octet-stream' };
      metadata[data.uploadContext] = data.uploadContextId;
      const upload = new tus.Upload(file, {
        endpoint: data.uploadEndpoint,
        chunkSize: CHUNK_SIZE,
        retryDelays: RETRY_DELAYS,
        metadata: metadata,
        // The server checks the name, format and size at creation: no bytes are spent on a refused file.
        uploadDataDuringCreation: false,
        storeFingerprintForResuming: false,
        onShouldRetry: (error) => refusalOf(error) === null,
        onProgress: (sent, total) => {
          progress.value = total > 0 ? Math.floor((sent / total) * 100) : 100;
        },
        onSuccess: () => {
          const hidden = document.createElement('input');
          hidden.type = 'hidden';
          hidden.name = 'UploadIds';
          hidden.value = upload.url.slice(upload.url.lastIndexOf('/') + 1);
          row.appendChild(hidden);
          progress.value = 100;
          row.dataset.uploadState = 'done';
          status.textContent = text('Done', file.name);
          pending--;
          update();
        },
        onError: (error) => {
          const refusal = refusalOf(error);
          row.dataset.uploadState = 'refused';
          row.classList.add('alert-error');
          progress.remove();
          status.setAttribute('role', 'alert');
          status.textContent = refusal !== null ? text('Refused', file.name, refusal) : text('Failed', file.name);
          pending--;
          update();
        },
      });
      upload.start();
    }

    input.addEventListener('change', () => {
      const files = Array.prototype.slice.call(input.files || []);
      files.forEach(send);
      // The files travel through tus: the form itself posts none.
      input.value = '';
    });

    form.addEventListener('submit', (event) => {
      if (pending > 0) {
        event.preventDefault();
        if (waiting) {
          waiting.hidden = false;
        }
      }
    });
  }

  document.querySelectorAll('form[data-tus-attachments]').forEach(setUp);
})();
