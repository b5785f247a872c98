// Workstation test (prérequis techniques): checks in this browser what a deposit needs, then measures the
// upload speed with a real test upload that the server reads and throws away, and estimates how long a pli of
// N MB would take. Without JavaScript the page's JavaScript row says so by itself.
(function () {
  'use strict';

  const root = document.getElementById('test-poste');
  const textsElement = document.getElementById('workstation-texts');
  if (!root || !textsElement || !window.fetch) {
    return;
  }
  const config = JSON.parse(textsElement.textContent);
  const texts = config.texts;
  const locale = document.documentElement.lang === 'en' ? 'en-GB' : 'fr-FR';
  const button = document.getElementById('lancer-test');
  const summary = document.getElementById('synthese');
  const sizeInput = document.getElementById('taille-pli');
  const estimate = document.getElementById('estimation');
  const SLOW_BITS_PER_SECOND = 2e6;
  const CLOCK_TOLERANCE_MS = 5000;
  let bitsPerSecond = null;

  function t(key) {
    const args = Array.prototype.slice.call(arguments, 1);
    return (texts[key] || key).replace(/\{(\d+)\}/g, (m, i) => (args[i] === undefined ? m : String(args[i])));
  }

  function number(value, digits) {
    return new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value);
  }

  // As ConsultationLabels.FileSize on the server: binary multiples, one decimal at most.
  function size(bytes) {
    let value = Math.max(0, bytes);
    let unit = 0;
    while (value >= 1024 && unit < config.sizeUnits.length - 1) {
      value /= 1024;
      unit++;
    }
    return config.sizeUnits[unit].replace('{0}', number(unit === 0 ? Math.round(value) : Math.floor(value * 10) / 10, unit === 0 ? 0 : 1));
  }

  function duration(ms) {
    const total = Math.max(1, Math.ceil(ms / 1000));
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    if (h > 0) {
      return t('Workstation_DurationHours', h, m);
    }
    return m > 0 ? t('Workstation_DurationMinutes', m, s) : t('Workstation_DurationSeconds', s);
  }

  const STATUS_TEXT = { pending: 'Workstation_Pending', running: 'Workstation_Running', ok: 'Workstation_Ok', warning: 'Workstation_Warning', failed: 'Workstation_Failed' };

  function report(id, status, detail) {
    const cell = document.querySelector('#verif-' + id + ' td');
    cell.dataset.status = status;
    cell.querySelector('.status').textContent = t(STATUS_TEXT[status]);
    cell.querySelector('.detail').textContent = detail || '';
    return status;
  }

  function checkCookies() {
    const name = 'pli-test-poste';
    let ok = navigator.cookieEnabled;
    if (ok) {
      document.cookie = name + '=1; path=/; SameSite=Strict';
      ok = document.cookie.indexOf(name + '=1') >= 0;
      document.cookie = name + '=; path=/; SameSite=Strict; max-age=0';
    }
    return ok ? report('cookies', 'ok', t('Workstation_CookiesOk')) : report('cookies', 'failed', t('Workstation_CookiesFailed'));
  }

  async function checkProtocol() {
    try {
      const response = await fetch(config.tusUrl, { method: 'OPTIONS', cache: 'no-store' });
      const versions = response.headers.get('Tus-Version') || '';
      if (response.ok && versions.split(',').map((v) => v.trim()).indexOf('1.0.0') >= 0) {
        return report('protocole', 'ok', t('Workstation_ProtocolOk', '1.0.0'));
      }
      return report('protocole', 'failed', t('Workstation_ProtocolFailed', 'HTTP ' + response.status));
    } catch (e) {
      return report('protocole', 'failed', t('Workstation_ProtocolFailed', e.message));
    }
  }

  async function checkClock() {
    try {
      const sent = Date.now();
      const response = await fetch(config.clockUrl, { cache: 'no-store' });
      const received = Date.now();
      const server = Date.parse((await response.json()).utc);
      // The server read its clock somewhere between sending and receiving: the middle is the best guess.
      const offset = (sent + received) / 2 - server;
      if (Math.abs(offset) <= CLOCK_TOLERANCE_MS) {
        return report('horloge', 'ok', t('Workstation_ClockOk', number(Math.abs(offset) / 1000, 1)));
      }
      const text = t(offset > 0 ? 'Workstation_ClockAhead' : 'Workstation_ClockBehind', duration(Math.abs(offset)));
      return report('horloge', 'warning', text + ' ' + t('Workstation_ClockAdvice'));
    } catch (e) {
      return report('horloge', 'warning', t('Workstation_ClockFailed'));
    }
  }

  async function checkStorage() {
    try {
      const key = 'pli-test-poste';
      window.localStorage.setItem(key, '1');
      const kept = window.localStorage.getItem(key) === '1';
      window.localStorage.removeItem(key);
      if (!kept) {
        return report('stockage', 'warning', t('Workstation_StorageFailed'));
      }
    } catch (e) {
      return report('stockage', 'warning', t('Workstation_StorageFailed'));
    }
    if (navigator.storage && navigator.storage.estimate) {
      try {
        const estimate = await navigator.storage.estimate();
        if (estimate.quota) {
          return report('stockage', 'ok', t('Workstation_StorageOk', size(estimate.quota - (estimate.usage || 0))));
        }
      } catch (e) {
        // Some browsers refuse the estimate; localStorage works, which is what resuming needs.
      }
    }
    return report('stockage', 'ok', t('Workstation_StorageOkUnknown'));
  }

  // Random bytes, so that no compressing proxy makes the line look faster than it is.
  function testBody() {
    const body = new Uint8Array(config.testBytes);
    for (let i = 0; i < body.length; i += 65536) {
      window.crypto.getRandomValues(body.subarray(i, Math.min(i + 65536, body.length)));
    }
    return body;
  }

  function checkSpeed() {
    return new Promise((resolve) => {
      const body = testBody();
      const request = new XMLHttpRequest();
      let started = 0;
      request.open('PATCH', config.uploadUrl);
      request.setRequestHeader('Content-Type', 'application/offset+octet-stream');
      request.setRequestHeader('Tus-Resumable', '1.0.0');
      request.upload.onloadstart = () => { started = performance.now(); };
      request.onload = () => {
        const seconds = Math.max(0.001, (performance.now() - started) / 1000);
        if (request.status === 429) {
          resolve(report('debit', 'failed', t('Workstation_SpeedBusy')));
          return;
        }
        if (request.status !== 200) {
          resolve(report('debit', 'failed', t('Workstation_SpeedFailed', 'HTTP ' + request.status)));
          return;
        }
        const received = JSON.parse(request.responseText).bytes;
        bitsPerSecond = received * 8 / seconds;
        const args = [size(received), number(seconds, 1), number(bitsPerSecond / 1e6, 1)];
        showEstimate();
        resolve(bitsPerSecond < SLOW_BITS_PER_SECOND
          ? report('debit', 'warning', t.apply(null, ['Workstation_SpeedSlow'].concat(args)))
          : report('debit', 'ok', t.apply(null, ['Workstation_SpeedOk'].concat(args))));
      };
      request.onerror = () => resolve(report('debit', 'failed', t('Workstation_SpeedFailed', 'network')));
      started = performance.now();
      request.send(body);
    });
  }

  function showEstimate() {
    const megabytes = Number(sizeInput.value);
    if (!bitsPerSecond || !(megabytes > 0)) {
      estimate.textContent = t('Workstation_EstimateWaiting');
      return;
    }
    estimate.textContent = t('Workstation_Estimate', number(megabytes, 0), duration(megabytes * 1024 * 1024 * 8 / bitsPerSecond * 1000));
  }

  async function run() {
    button.disabled = true;
    summary.textContent = '';
    ['cookies', 'protocole', 'horloge', 'stockage', 'debit'].forEach((id) => report(id, 'running'));
    const results = [report('javascript', 'ok', t('Workstation_JavaScriptOk')), checkCookies()];
    results.push(await checkProtocol(), await checkClock(), await checkStorage(), await checkSpeed());
    const worst = results.indexOf('failed') >= 0 ? 'Failed' : results.indexOf('warning') >= 0 ? 'Warning' : 'Ok';
    summary.className = 'alert ' + (worst === 'Failed' ? 'alert-error' : worst === 'Warning' ? 'alert-warning' : 'alert-success');
    summary.textContent = t('Workstation_Summary_' + worst);
    button.textContent = t('Workstation_Again');
    button.disabled = false;
  }

  report('javascript', 'ok', t('Workstation_JavaScriptOk'));
  button.hidden = false;
  button.addEventListener('click', run);
  sizeInput.addEventListener('input', showEstimate);
})();
