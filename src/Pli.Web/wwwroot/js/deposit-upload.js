// Deposit wizard, step "fichiers": sends each chosen file to the tus server (/api/uploads/), resumable and
// retried, and shows its progress, speed, time left and whether it will end before the deadline.
// Needs lib/tus-js-client/tus.min.js loaded first. Without JavaScript the panel says so (noscript) and the
// files already received stay listed by the server, which remains the judge of every file.
(function () {
  'use strict';

  const panel = document.querySelector('[data-upload-panel]');
  const textsElement = document.getElementById('deposit-upload-texts');
  if (!panel || !textsElement || !window.tus || !window.tus.isSupported) {
    return;
  }

  const tus = window.tus;
  const config = JSON.parse(textsElement.textContent);
  const texts = config.texts;
  const sizeUnits = config.sizeUnits;
  const locale = document.documentElement.lang === 'en' ? 'en-GB' : 'fr-FR';
  const endpoint = panel.dataset.uploadEndpoint;
  const depositId = panel.dataset.depositId;
  const deadline = Date.parse(panel.dataset.deadline);
  const maxSize = Number(panel.dataset.maxSize);
  const accepted = panel.dataset.acceptedFormats.split(',').map((f) => f.trim().toLowerCase()).filter((f) => f.length > 0);
  const announcer = panel.querySelector('[data-upload-announcer]');
  const countdown = panel.querySelector('[data-upload-countdown]');

  // The browser's clock may be wrong; the server's is the one the deadline is judged by. timeOrigin is the
  // start of the navigation, before the server wrote server-now: the estimated server clock is then a little
  // ahead of the real one, the safe side for a deadline.
  const loadedAt = (window.performance && performance.timeOrigin) ? performance.timeOrigin : Date.now();
  const skew = Date.parse(panel.dataset.serverNow) - loadedAt;
  const serverNow = () => Date.now() + skew;

  const RETRY_DELAYS = [0, 1000, 3000, 5000, 10000, 20000, 30000, 60000];
  const CHUNK_SIZE = 8 * 1024 * 1024;
  const SPEED_WINDOW_MS = 10000;
  const OFFLINE_RETRY_MS = 30000;
  const BUSY_STATES = ['waiting', 'uploading', 'retrying', 'paused', 'offline'];
  const items = new Set();
  let busy = false;
  let receivedSinceRefresh = false;

  // ---- Formatting --------------------------------------------------------------------------------------

  function t(key) {
    const args = Array.prototype.slice.call(arguments, 1);
    return (texts[key] || key).replace(/\{(\d+)\}/g, (m, i) => (args[i] === undefined ? m : String(args[i])));
  }

  // As ConsultationLabels.FileSize on the server: binary multiples, one decimal at most.
  function size(bytes) {
    let value = Math.max(0, bytes);
    let unit = 0;
    while (value >= 1024 && unit < sizeUnits.length - 1) {
      value /= 1024;
      unit++;
    }
    const amount = new Intl.NumberFormat(locale, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(unit === 0 ? Math.round(value) : Math.floor(value * 10) / 10);
    return sizeUnits[unit].replace('{0}', amount);
  }

  function duration(ms) {
    const total = Math.max(0, Math.ceil(ms / 1000));
    const d = Math.floor(total / 86400);
    const h = Math.floor((total % 86400) / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    if (d > 0) {
      return t('UploadDurationDays', d) + ' ' + t('UploadDurationHours', h);
    }
    if (h > 0) {
      return t('UploadDurationHours', h) + ' ' + t('UploadDurationMinutes', String(m).padStart(2, '0'));
    }
    if (m > 0) {
      return t('UploadDurationMinutes', m) + ' ' + t('UploadDurationSeconds', String(s).padStart(2, '0'));
    }
    return t('UploadDurationSeconds', s);
  }

  const parisFormat = new Intl.DateTimeFormat(locale, {
    timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });

  function parisTime(ms) {
    return t('UploadParisTime', parisFormat.format(new Date(ms)));
  }

  function extensionOf(name) {
    const dot = name.lastIndexOf('.');
    return dot < 0 ? '' : name.slice(dot).toLowerCase();
  }

  function formatLabel(name) {
    const ext = extensionOf(name);
    return ext.length > 1 ? ext.slice(1).toUpperCase() : t('UploadFormatNone');
  }

  function announce(message) {
    // Emptied first so that the same message twice is still read.
    announcer.textContent = '';
    window.setTimeout(() => { announcer.textContent = message; }, 50);
  }

  function element(tag, className, text) {
    const e = document.createElement(tag);
    if (className) {
      e.className = className;
    }
    if (text !== undefined) {
      e.textContent = text;
    }
    return e;
  }

  function button(label, fileName, className) {
    const b = element('button', className || 'button-secondary small', label);
    b.type = 'button';
    b.appendChild(element('span', 'visually-hidden', ' ' + fileName));
    return b;
  }

  // ---- Server answers -----------------------------------------------------------------------------------

  function statusOf(error) {
    return error && error.originalResponse ? error.originalResponse.getStatus() : 0;
  }

  // A 4xx other than 409 (offset mismatch) and 423 (another request is writing): the file is refused.
  function isRefusal(status) {
    return status >= 400 && status < 500 && status !== 409 && status !== 423;
  }

  // The server's ProblemDetails title is the message meant for the person: shown as it is.
  function refusalMessage(error) {
    const status = statusOf(error);
    try {
      const problem = JSON.parse(error.originalResponse.getBody() || '');
      if (problem && typeof problem.title === 'string' && problem.title.length > 0) {
        return problem.title;
      }
    } catch (e) {
      // Not JSON: fall back on the status.
    }
    return status === 413 ? t('UploadErrorTooLarge') : t('UploadErrorStatus', status);
  }

  // ---- One file -------------------------------------------------------------------------------------------

  class Item {
    constructor(envelope, file) {
      this.envelope = envelope;
      this.file = file;
      this.state = 'waiting';
      this.samples = [];
      this.milestone = 0;
      this.late = false;
      this.offlineTimer = null;
      this.bytes = 0;
      this.render();
    }

    render() {
      const file = this.file;
      const row = element('li', 'upload-item');
      row.dataset.fileName = file.name;
      row.dataset.fileSize = String(file.size);
      const title = element('p', 'upload-file');
      title.appendChild(element('span', 'upload-name', file.name));
      title.appendChild(element('span', 'meta', ' ' + size(file.size) + ' · ' + formatLabel(file.name)));
      row.appendChild(title);

      const bar = element('div', 'upload-bar');
      this.progress = element('progress');
      this.progress.max = 100;
      this.progress.value = 0;
      this.progress.setAttribute('aria-label', t('UploadProgressLabel', file.name));
      this.percent = element('span', 'upload-percent', t('UploadPercent', 0));
      this.percent.setAttribute('aria-hidden', 'true');
      bar.appendChild(this.progress);
      bar.appendChild(this.percent);
      row.appendChild(bar);

      this.status = element('p', 'upload-status', t('UploadUploading'));
      this.stats = element('p', 'meta upload-stats');
      // Always in the page, empty until needed: content added to an existing alert region is announced.
      this.alert = element('div', 'upload-alert');
      this.alert.setAttribute('role', 'alert');
      row.appendChild(this.status);
      row.appendChild(this.stats);
      row.appendChild(this.alert);

      const actions = element('div', 'upload-actions');
      this.pauseButton = button(t('UploadPause'), file.name);
      this.resumeButton = button(t('UploadResume'), file.name);
      this.cancelButton = button(t('UploadCancel'), file.name, 'link-button');
      this.dismissButton = button(t('UploadRemove'), file.name);
      this.pauseButton.addEventListener('click', () => this.pause());
      this.resumeButton.addEventListener('click', () => this.resume());
      this.cancelButton.addEventListener('click', () => this.cancel());
      this.dismissButton.addEventListener('click', () => this.dismiss());
      [this.pauseButton, this.resumeButton, this.cancelButton, this.dismissButton].forEach((b) => actions.appendChild(b));
      row.appendChild(actions);

      this.row = row;
      this.envelope.list.appendChild(row);
      this.envelope.list.hidden = false;
    }

    setState(state, message) {
      this.state = state;
      this.row.dataset.uploadState = state;
      const labels = {
        waiting: t('UploadUploading'), uploading: t('UploadUploading'), retrying: t('UploadRetrying'),
        paused: t('UploadPaused'), offline: t('UploadOffline'), done: t('UploadDone'),
      };
      this.status.textContent = message || labels[state] || '';
      const running = state === 'waiting' || state === 'uploading' || state === 'retrying' || state === 'offline';
      this.pauseButton.hidden = !running;
      this.resumeButton.hidden = state !== 'paused';
      this.cancelButton.hidden = !(running || state === 'paused');
      this.dismissButton.hidden = !(state === 'error' || state === 'refused');
      if (state !== 'uploading') {
        this.samples = [];
      }
      if (!running || state === 'offline') {
        this.setLate(false);
      }
      this.updateStats();
      updateBusy();
    }

    showAlert(message, kind) {
      this.alert.replaceChildren(element('p', 'alert ' + kind, message));
    }

    refuse(message) {
      this.setState('refused', '');
      this.showAlert(message, 'alert-error');
    }

    start() {
      const envelope = this.envelope;
      const metadata = { deposit: depositId, envelope: envelope.name, filename: this.file.name, filetype: this.file.type || 'application/octet-stream' };
      if (envelope.lot) {
        metadata.lot = envelope.lot;
      }
      this.upload = new tus.Upload(this.file, {
        endpoint: endpoint,
        chunkSize: CHUNK_SIZE,
        retryDelays: RETRY_DELAYS,
        metadata: metadata,
        // The deposit and the envelope are part of the key: the same file sent to two envelopes (or two
        // deposits) is two uploads, each resumed on its own.
        fingerprint: (file) => Promise.resolve(['pli', depositId, envelope.key, file.name, file.type, file.size, file.lastModified].join('|')),
        storeFingerprintForResuming: true,
        removeFingerprintOnSuccess: true,
        // The server checks the file at creation: no bytes are spent on a file it would refuse.
        uploadDataDuringCreation: false,
        onAfterResponse: (request, response) => this.onResponse(request, response),
        onProgress: (sent, total) => this.onProgress(sent, total),
        onShouldRetry: (error) => this.onShouldRetry(error),
        onError: (error) => this.onError(error),
        onSuccess: () => this.onSuccess(),
      });
      this.setState('waiting');
      this.upload.findPreviousUploads()
        .then((previous) => {
          if (previous.length > 0) {
            this.upload.resumeFromPreviousUpload(previous[0]);
            this.resuming = true;
          }
          this.upload.start();
        })
        .catch(() => this.upload.start());
    }

    onResponse(request, response) {
      if (this.upload.url) {
        this.row.dataset.uploadUrl = this.upload.url;
      }
      if (this.resuming && request.getMethod() === 'HEAD' && response.getStatus() === 200) {
        this.resuming = false;
        const offset = Number(response.getHeader('Upload-Offset')) || 0;
        const percent = Math.floor((offset / Math.max(1, this.file.size)) * 100);
        this.milestone = Math.floor(percent / 25) * 25;
        this.started = true;
        announce(t('UploadResumed', this.file.name, percent));
      }
    }

    onProgress(sent, total) {
      if (this.state === 'paused' || this.state === 'cancelled') {
        return;
      }
      const now = Date.now();
      if (this.state !== 'uploading') {
        if (!this.started) {
          this.started = true;
          announce(t('UploadStarted', this.file.name));
        }
        this.setState('uploading');
      }
      if (sent < this.bytes) {
        // A retried chunk starts again from the server's offset: older samples no longer apply.
        this.samples = [];
      }
      this.bytes = sent;
      this.samples.push({ at: now, bytes: sent });
      while (this.samples.length > 2 && now - this.samples[0].at > SPEED_WINDOW_MS) {
        this.samples.shift();
      }
      const percent = total > 0 ? Math.floor((sent / total) * 100) : 100;
      this.progress.value = percent;
      this.percent.textContent = t('UploadPercent', percent);
      const milestone = Math.floor(percent / 25) * 25;
      if (milestone > this.milestone && milestone < 100) {
        this.milestone = milestone;
        announce(t('UploadMilestone', this.file.name, milestone));
      }
      this.updateStats();
    }

    // Bytes per millisecond over the last seconds (a moving average), or null while too early to tell.
    speed() {
      if (this.samples.length < 2) {
        return null;
      }
      const first = this.samples[0];
      const last = this.samples[this.samples.length - 1];
      const elapsed = last.at - first.at;
      return elapsed < 1500 ? null : (last.bytes - first.bytes) / elapsed;
    }

    updateStats() {
      const parts = [];
      const left = deadline - serverNow();
      if (this.state === 'uploading') {
        const speed = this.speed();
        if (speed === null || speed <= 0) {
          parts.push(t('UploadTimeLeft', t('UploadEstimating')));
        } else {
          const remaining = (this.file.size - this.bytes) / speed;
          parts.push(t('UploadSpeed', size(speed * 1000)));
          parts.push(t('UploadTimeLeft', duration(remaining)));
          this.setLate(serverNow() + remaining > deadline, serverNow() + remaining);
        }
      }
      if (BUSY_STATES.indexOf(this.state) >= 0) {
        parts.push(left > 0 ? t('UploadDeadlineLeft', duration(left)) : t('UploadDeadlinePassed'));
      }
      this.stats.textContent = parts.join(' · ');
    }

    // The alert is written only when the verdict changes, so that it is read once, not every second.
    setLate(late, estimatedEnd) {
      if (late === this.late) {
        return;
      }
      this.late = late;
      this.row.classList.toggle('upload-late', late);
      if (late) {
        this.showAlert(t('UploadLate', this.file.name, parisTime(estimatedEnd), parisTime(deadline)), 'alert-warning');
      } else if (this.state !== 'error' && this.state !== 'refused') {
        this.alert.replaceChildren();
      }
    }

    onShouldRetry(error) {
      if (isRefusal(statusOf(error)) || !navigator.onLine) {
        // Offline: onError waits for the network instead of spending the retries.
        return false;
      }
      this.setState('retrying');
      return true;
    }

    onError(error) {
      if (this.state === 'paused' || this.state === 'cancelled') {
        return;
      }
      const status = statusOf(error);
      if (isRefusal(status)) {
        this.setState('error', '');
        this.showAlert(t('UploadError', refusalMessage(error)), 'alert-error');
        return;
      }
      // Network down or server unreachable: never give up before the person does; resume on "online" or
      // every 30 seconds, from the offset the server kept.
      this.setState('offline');
      announce(t('UploadOffline'));
      window.clearTimeout(this.offlineTimer);
      this.offlineTimer = window.setTimeout(() => this.retryNow(), OFFLINE_RETRY_MS);
    }

    retryNow() {
      window.clearTimeout(this.offlineTimer);
      if (this.state === 'offline') {
        this.setState('retrying');
        this.upload.start();
      }
    }

    onSuccess() {
      this.progress.value = 100;
      this.percent.textContent = t('UploadPercent', 100);
      if (this.upload.url) {
        this.row.dataset.uploadUrl = this.upload.url;
      }
      receivedSinceRefresh = true;
      this.setState('done');
      announce(t('UploadFinished', this.file.name));
    }

    pause() {
      window.clearTimeout(this.offlineTimer);
      this.setState('paused');
      this.upload.abort(false);
      this.resumeButton.focus();
    }

    resume() {
      this.setState('retrying');
      this.upload.start();
      this.pauseButton.focus();
    }

    cancel() {
      window.clearTimeout(this.offlineTimer);
      this.state = 'cancelled';
      // Terminates the upload on the server and forgets it for resuming.
      this.upload.abort(true).catch(() => { /* expires on the server anyway */ });
      announce(t('UploadCancelled', this.file.name));
      this.dismiss();
    }

    dismiss() {
      items.delete(this);
      this.row.remove();
      this.envelope.list.hidden = this.envelope.list.children.length === 0;
      this.envelope.input.focus();
      updateBusy();
    }
  }

  // ---- The page -----------------------------------------------------------------------------------------

  function isBusy() {
    return Array.from(items).some((item) => BUSY_STATES.indexOf(item.state) >= 0);
  }

  function updateBusy() {
    const now = isBusy();
    if (now === busy) {
      return;
    }
    busy = now;
    panel.dataset.uploadsBusy = String(now);
    document.querySelectorAll('[data-disabled-while-uploading]').forEach((b) => { b.disabled = now; });
    document.querySelectorAll('[data-uploads-busy-hint]').forEach((h) => { h.hidden = !now; });
    document.dispatchEvent(new CustomEvent(now ? 'pli:uploads-busy' : 'pli:uploads-idle'));
    if (!now && receivedSinceRefresh) {
      receivedSinceRefresh = false;
      refreshReceived();
    }
  }

  // The received lists come from the server: fetch the page again and swap each envelope's list, then drop
  // the rows of files it now lists. If that fails, the rows stay, marked received.
  function refreshReceived() {
    fetch(window.location.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then((response) => (response.ok ? response.text() : Promise.reject(new Error(String(response.status)))))
      .then((html) => {
        const fresh = new DOMParser().parseFromString(html, 'text/html');
        envelopes.forEach((envelope) => {
          const source = fresh.querySelector('[data-upload-key="' + envelope.key + '"] [data-upload-received]');
          if (!source) {
            return;
          }
          envelope.received.replaceChildren(...Array.from(source.childNodes).map((n) => document.importNode(n, true)));
          const listed = new Set(Array.from(envelope.received.querySelectorAll('[data-received-file]')).map((r) => r.dataset.fileName + '|' + r.dataset.fileSize));
          Array.from(items).filter((i) => i.envelope === envelope && i.state === 'done' && listed.has(i.file.name + '|' + i.file.size)).forEach((i) => {
            items.delete(i);
            i.row.remove();
          });
          envelope.list.hidden = envelope.list.children.length === 0;
        });
        announce(t('UploadAllDone') + ' ' + t('UploadReceivedListUpdated'));
      })
      .catch(() => announce(t('UploadAllDone')));
  }

  function check(file) {
    if (accepted.length > 0 && accepted.indexOf(extensionOf(file.name)) < 0) {
      return t('UploadRefusedFormat', file.name, accepted.join(', '));
    }
    if (file.size === 0) {
      return t('UploadRefusedEmpty', file.name);
    }
    if (file.size > maxSize) {
      return t('UploadRefusedTooLarge', file.name, size(file.size), size(maxSize));
    }
    return null;
  }

  function add(envelope, file) {
    const same = Array.from(items).find((i) => i.envelope === envelope && BUSY_STATES.indexOf(i.state) >= 0
      && i.file.name === file.name && i.file.size === file.size && i.file.lastModified === file.lastModified);
    if (same) {
      // Already on its way: two uploads of one file would fight over the same server upload (423).
      (same.pauseButton.hidden ? same.resumeButton : same.pauseButton).focus();
      return;
    }
    envelope.list.querySelectorAll('.upload-interrupted').forEach((notice) => {
      if (notice.dataset.fileName === file.name && notice.dataset.fileSize === String(file.size)) {
        notice.remove();
      }
    });
    const item = new Item(envelope, file);
    items.add(item);
    const refusal = check(file);
    if (refusal) {
      item.refuse(refusal);
      return;
    }
    item.start();
  }

  // Uploads this browser began for this deposit and did not finish (page closed, reloaded): say which file to
  // choose again. tus-js-client keeps them in localStorage under the fingerprint.
  function listInterrupted() {
    const storage = tus.defaultOptions && tus.defaultOptions.urlStorage;
    if (!storage || typeof storage.findAllUploads !== 'function') {
      return;
    }
    storage.findAllUploads().then((stored) => {
      stored.filter((s) => s.metadata && s.metadata.deposit === depositId).forEach((s) => {
        const key = s.metadata.lot ? s.metadata.envelope + '-lot-' + s.metadata.lot : s.metadata.envelope;
        const envelope = envelopes.find((e) => e.key === key);
        if (!envelope || envelope.list.querySelector('[data-upload-storage-key="' + CSS.escape(s.urlStorageKey) + '"]')) {
          return;
        }
        const notice = element('li', 'upload-item upload-interrupted');
        notice.dataset.uploadStorageKey = s.urlStorageKey;
        notice.dataset.fileName = s.metadata.filename || '';
        notice.dataset.fileSize = String(s.size);
        notice.appendChild(element('p', 'alert alert-warning', t('UploadInterrupted', s.metadata.filename || '', size(s.size))));
        envelope.list.appendChild(notice);
        envelope.list.hidden = false;
      });
    }).catch(() => { /* Nothing to resume. */ });
  }

  function tick() {
    const left = deadline - serverNow();
    countdown.textContent = left > 0 ? t('UploadDeadlineLeft', duration(left)) : t('UploadDeadlinePassed');
    countdown.classList.toggle('upload-deadline-passed', left <= 0);
    items.forEach((item) => item.updateStats());
  }

  const envelopes = Array.from(panel.querySelectorAll('[data-upload-envelope]')).map((section) => ({
    name: section.dataset.uploadEnvelope,
    lot: section.dataset.uploadLot || '',
    key: section.dataset.uploadKey,
    received: section.querySelector('[data-upload-received]'),
    list: section.querySelector('[data-upload-list]'),
    input: section.querySelector('[data-upload-input]'),
    picker: section.querySelector('[data-upload-picker]'),
  }));

  envelopes.forEach((envelope) => {
    envelope.picker.hidden = false;
    envelope.input.addEventListener('change', () => {
      Array.from(envelope.input.files).forEach((file) => add(envelope, file));
      // Emptied so that choosing the same file again (to resume it) fires "change" again.
      envelope.input.value = '';
    });
  });

  window.addEventListener('online', () => items.forEach((item) => item.retryNow()));
  // Leaving the page while a file is on its way loses nothing (it resumes), but it stops the sending.
  window.addEventListener('beforeunload', (event) => {
    if (busy) {
      event.preventDefault();
      event.returnValue = '';
    }
  });

  countdown.hidden = false;
  tick();
  window.setInterval(tick, 1000);
  listInterrupted();
}());
