// The field worker's pages, better with a script (served from our origin as /field/field.js; the pages work
// without it as plain forms that post and redirect). What it adds, for a phone on a patchy connection:
// - the visit form shows only the parts of the chosen outcome, and "Ambil lokasi" fills the GPS fields;
// - every change is kept on the phone as a draft of that task (fields in localStorage, photos in IndexedDB),
//   and comes back if the page is closed or reloaded;
// - sending goes by fetch; if the phone is offline or the request never arrives, the visit waits in a queue
//   on the phone (IndexedDB, photos included) under the form's clientKey, and is sent on the `online` event,
//   on every page load of /field and every 30 s while anything waits. The server answers a visit it already
//   has (the same clientKey) as a duplicate: that counts as sent, so a resend never makes a second visit;
// - a refusal (422) is shown and the visit goes back to being a draft: it is never retried blindly.
// Texts come from the page (data-* attributes rendered from the locales), never from here.
(function () {
  'use strict';

  var root = document.getElementById('field');
  if (!root) return;
  var form = document.getElementById('visit-form');
  var status = document.getElementById('field-status');
  var DB_NAME = 'pintu-field';
  var RETRY_MS = 30000;
  var flushing = false;
  var timer = null;

  function text(name) { return root.getAttribute('data-' + name) || ''; }
  function say(message, kind) {
    if (!status) return;
    status.textContent = message;
    status.className = 'status' + (kind ? ' ' + kind : '');
  }

  // ---- storage: IndexedDB for what holds photos (the queue, a draft's photos), localStorage for draft fields

  function openDb() {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) return reject(new Error('no IndexedDB'));
      var req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = function () {
        var db = req.result;
        if (!db.objectStoreNames.contains('queue')) db.createObjectStore('queue', { keyPath: 'clientKey' });
        if (!db.objectStoreNames.contains('photos')) db.createObjectStore('photos', { keyPath: 'taskId' });
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function tx(store, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(store, mode);
        var result;
        var req = work(t.objectStore(store));
        if (req) req.onsuccess = function () { result = req.result; };
        t.oncomplete = function () { db.close(); resolve(result); };
        t.onerror = function () { db.close(); reject(t.error); };
        t.onabort = function () { db.close(); reject(t.error); };
      });
    });
  }

  var queue = {
    all: function () { return tx('queue', 'readonly', function (s) { return s.getAll(); }).then(function (r) { return r || []; }); },
    put: function (entry) { return tx('queue', 'readwrite', function (s) { return s.put(entry); }); },
    remove: function (key) { return tx('queue', 'readwrite', function (s) { return s.delete(key); }); },
  };
  var draftPhotos = {
    get: function (taskId) { return tx('photos', 'readonly', function (s) { return s.get(taskId); }).then(function (r) { return r ? r.files : []; }); },
    put: function (taskId, files) { return tx('photos', 'readwrite', function (s) { return s.put({ taskId: taskId, files: files }); }); },
    remove: function (taskId) { return tx('photos', 'readwrite', function (s) { return s.delete(taskId); }); },
  };
  function draftKey(taskId) { return 'pintu.field.draft.' + taskId; }
  function readDraft(taskId) {
    try { return JSON.parse(localStorage.getItem(draftKey(taskId)) || 'null'); } catch (e) { return null; }
  }
  function writeDraft(taskId, fields) {
    try { localStorage.setItem(draftKey(taskId), JSON.stringify(fields)); } catch (e) { /* full: the form still sends */ }
  }
  function clearDraft(taskId) {
    try { localStorage.removeItem(draftKey(taskId)); } catch (e) { /* nothing kept */ }
    return draftPhotos.remove(taskId).catch(function () {});
  }

  // ---- sending: one visit, by fetch, with the token of the page open now (a queued form keeps its fields)

  function csrfNow() {
    var field = document.querySelector('input[name="_csrf"]');
    return field ? field.value : '';
  }

  function formDataOf(entry) {
    var data = new FormData();
    entry.fields.forEach(function (pair) { data.append(pair[0], pair[1]); });
    (entry.photos || []).forEach(function (file, i) { data.append('photos', file, file.name || 'foto-' + (i + 1) + '.jpg'); });
    return data;
  }

  /** 'sent' | 'refused' (with message) | 'signed_out' | 'network' */
  function send(entry) {
    return fetch('/field/tasks/' + entry.taskId + '/visits', {
      method: 'POST',
      body: formDataOf(entry),
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'X-CSRF-Token': csrfNow() || entry.csrf || '' },
    }).then(function (res) {
      if (res.status === 401) return { outcome: 'signed_out' };
      return res.json().then(
        function (body) {
          if (res.ok && body && body.ok) return { outcome: 'sent', duplicate: body.duplicate };
          if (res.status >= 400 && res.status < 500 && body && body.message) return { outcome: 'refused', message: body.message };
          return { outcome: 'network' }; // a 5xx or a proxy's page: try again later
        },
        function () { return { outcome: res.status === 403 ? 'signed_out' : 'network' }; },
      );
    }, function () { return { outcome: 'network' }; });
  }

  function schedule(on) {
    if (on && !timer) timer = setInterval(flush, RETRY_MS);
    if (!on && timer) { clearInterval(timer); timer = null; }
  }

  /** Sends what waits, one visit at a time, oldest first. */
  function flush() {
    if (flushing) return Promise.resolve();
    flushing = true;
    return queue.all().then(function (entries) {
      entries.sort(function (a, b) { return a.queuedAt < b.queuedAt ? -1 : 1; });
      var left = entries.length;
      var chain = Promise.resolve();
      entries.forEach(function (entry) {
        chain = chain.then(function () {
          if (navigator.onLine === false) return;
          return send(entry).then(function (r) { return settle(entry, r).then(function (gone) { if (gone) left -= 1; }); });
        });
      });
      return chain.then(function () {
        schedule(left > 0);
        if (left > 0 && !form) say(text('waiting'), 'warn');
      });
    }).catch(function () { /* no IndexedDB: nothing can wait here */ }).then(function () { flushing = false; });
  }

  /** What one answer means for a queued visit; resolves true when it left the queue. */
  function settle(entry, r) {
    var here = form && form.getAttribute('data-task') === String(entry.taskId);
    if (r.outcome === 'sent') {
      return queue.remove(entry.clientKey).then(function () { return clearDraft(entry.taskId); }).then(function () {
        say(text('sent'), 'notice');
        if (here) finish();
        return true;
      });
    }
    if (r.outcome === 'refused') {
      // Kept as a draft (it already is one), shown, not sent again by itself.
      return queue.remove(entry.clientKey).then(function () {
        if (here) showError(r.message);
        else say(r.message, 'error');
        return true;
      });
    }
    if (r.outcome === 'signed_out') say(text('signed-out'), 'warn');
    return Promise.resolve(false);
  }

  window.addEventListener('online', function () { flush(); });

  // ---- the visit form

  if (form) {
    var taskId = form.getAttribute('data-task');
    var fileInput = form.querySelector('input[type="file"][name="photos"]');
    var maxPhotos = Number(form.getAttribute('data-max-photos') || '3');
    var locate = document.getElementById('locate');
    var locationStatus = document.getElementById('location-status');

    var fieldsOf = function () {
      var out = [];
      new FormData(form).forEach(function (value, name) {
        if (typeof value === 'string' && name !== '_csrf') out.push([name, value]);
      });
      return out;
    };

    var showParts = function () {
      var chosen = form.querySelector('input[name="outcome"]:checked');
      var value = chosen ? chosen.value : '';
      form.querySelectorAll('fieldset[data-when]').forEach(function (fs) { fs.hidden = fs.getAttribute('data-when') !== value; });
    };

    var showAccuracy = function () {
      var acc = form.elements.accuracyM.value;
      locationStatus.textContent = acc ? form.getAttribute('data-accuracy').replace('{m}', String(Math.round(Number(acc)))) : '';
    };

    var saveDraft = function () {
      writeDraft(taskId, fieldsOf());
    };

    var savePhotos = function () {
      var files = Array.prototype.slice.call(fileInput.files || []);
      if (files.length > maxPhotos) {
        fileInput.value = '';
        showError(form.getAttribute('data-too-many'));
        files = [];
      }
      return draftPhotos.put(taskId, files).catch(function () {});
    };

    var restore = function () {
      var draft = readDraft(taskId);
      if (!draft) return Promise.resolve();
      draft.forEach(function (pair) {
        var name = pair[0], value = pair[1];
        var els = form.querySelectorAll('[name="' + name.replace(/"/g, '') + '"]');
        els.forEach(function (el) {
          if (el.type === 'radio' || el.type === 'checkbox') el.checked = el.value === value;
          else if (el.type !== 'file') el.value = value;
        });
      });
      // A checkbox left unticked is absent from the draft: untick what the draft does not name.
      form.querySelectorAll('input[type="checkbox"]').forEach(function (el) {
        el.checked = draft.some(function (p) { return p[0] === el.name && p[1] === el.value; });
      });
      say(form.getAttribute('data-restored'), 'notice');
      return draftPhotos.get(taskId).then(function (files) {
        if (!files || files.length === 0 || !window.DataTransfer) return;
        var dt = new DataTransfer();
        files.forEach(function (f) { dt.items.add(f); });
        fileInput.files = dt.files;
      }).catch(function () {});
    };

    var showError = function (message) {
      var box = form.querySelector('[data-testid="visit-error"]');
      if (!box) {
        box = document.createElement('p');
        box.className = 'error';
        box.setAttribute('role', 'alert');
        box.setAttribute('data-testid', 'visit-error');
        form.insertBefore(box, form.querySelector('input[type="hidden"]'));
      }
      box.textContent = message;
      say('', '');
    };

    var finish = function () {
      // Sent: the form is done with; a new one (a new clientKey) comes with the next page load.
      form.querySelectorAll('input, select, textarea, button').forEach(function (el) { el.disabled = true; });
    };

    locate.hidden = false;
    locationStatus.textContent = '';
    showAccuracy();
    locate.addEventListener('click', function () {
      if (!navigator.geolocation) { locationStatus.textContent = form.getAttribute('data-location-failed'); return; }
      locationStatus.textContent = form.getAttribute('data-locating');
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.elements.latitude.value = String(pos.coords.latitude);
        form.elements.longitude.value = String(pos.coords.longitude);
        form.elements.accuracyM.value = String(pos.coords.accuracy);
        showAccuracy();
        saveDraft();
      }, function () {
        locationStatus.textContent = form.getAttribute('data-location-failed');
      }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
    });

    form.addEventListener('change', function (e) {
      if (e.target === fileInput) savePhotos();
      showParts();
      saveDraft();
    });
    form.addEventListener('input', saveDraft);

    form.addEventListener('submit', function (e) {
      e.preventDefault();
      // The phone's time of filling, once: a visit that waits in the queue keeps it.
      if (!form.elements.visitedAt.value) form.elements.visitedAt.value = new Date().toISOString();
      saveDraft();
      var entry = {
        clientKey: form.elements.clientKey.value,
        taskId: taskId,
        fields: fieldsOf(),
        photos: Array.prototype.slice.call(fileInput.files || []),
        csrf: csrfNow(),
        queuedAt: new Date().toISOString(),
      };
      var button = form.querySelector('button[type="submit"]');
      var park = function () {
        return queue.put(entry).then(function () { say(text('queued'), 'warn'); schedule(true); }, function () { say(text('queued'), 'warn'); });
      };
      if (navigator.onLine === false) { park(); return; }
      button.disabled = true;
      say(text('sending'), '');
      send(entry).then(function (r) {
        button.disabled = false;
        if (r.outcome === 'network') return park();
        if (r.outcome === 'signed_out') return park().then(function () { say(text('signed-out'), 'warn'); });
        return settle(entry, r);
      });
    });

    restore().then(function () {
      showParts();
      showAccuracy();
      return queue.all().then(function (entries) {
        if (entries.some(function (x) { return x.taskId === taskId; })) say(text('queued'), 'warn');
      }, function () {});
    }).then(flush);
  } else {
    flush();
  }
})();
