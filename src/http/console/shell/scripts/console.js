// The console's own small script (served from our origin; the CSP runs nothing else but htmx). Every page
// works without it; with it, the officer's day is quicker:
// - the tab's title carries what waits ("(3) Kotak masuk"), and a new piece of work can ring and show a
//   browser notification, when the officer switched that on (kept in this browser only);
// - Ctrl+Enter (⌘+Enter) sends the reply being typed;
// - a canned response goes into the reply at the cursor, never replacing what was typed; "/" at the start of
//   a line opens the search over them;
// - after a reply or note sent without a reload, the box is emptied (only then: a refused one keeps its text).
(function () {
  'use strict';
  var KEY = 'pintu.notify';
  var baseTitle = document.title.replace(/^\(\d+\)\s*/, '');
  var lastAttention = null;

  function notifyOn() {
    try { return localStorage.getItem(KEY) === 'on'; } catch (e) { return false; }
  }

  function ring() {
    try {
      var Ctx = window.AudioContext || window.webkitAudioContext;
      if (!Ctx) return;
      var ctx = new Ctx();
      var osc = ctx.createOscillator();
      var gain = ctx.createGain();
      osc.frequency.value = 880;
      gain.gain.value = 0.08;
      osc.connect(gain); gain.connect(ctx.destination);
      osc.start(); osc.stop(ctx.currentTime + 0.18);
      osc.onended = function () { ctx.close(); };
    } catch (e) { /* no sound: the badge still shows it */ }
  }

  function announce(count) {
    if (!notifyOn()) return;
    ring();
    if (window.Notification && Notification.permission === 'granted' && document.hidden) {
      var toggle = document.getElementById('notify-toggle');
      var text = toggle ? toggle.getAttribute('data-message') || '' : '';
      try { new Notification(baseTitle, { body: text.replace('{{count}}', String(count)), tag: 'pintu-work' }); } catch (e) { /* ignored */ }
    }
  }

  function readBadge(badge) {
    var n = Number(badge.getAttribute('data-attention') || '0');
    document.title = (n > 0 ? '(' + n + ') ' : '') + baseTitle;
    if (lastAttention !== null && n > lastAttention) announce(n);
    lastAttention = n;
  }

  document.addEventListener('htmx:afterSettle', function (ev) {
    var badge = document.getElementById('work-badge');
    if (badge && badge.hasAttribute('data-attention')) readBadge(badge);
    var el = ev.target;
    // A live part that swapped in keeps the conversation scrolled to its newest message.
    if (el && el.querySelector) {
      var thread = el.querySelector('.thread') || (el.classList && el.classList.contains('thread') ? el : null);
      if (thread) thread.scrollTop = thread.scrollHeight;
    }
  });

  // The server says "sent" (HX-Trigger: pintu-sent) only when the reply or note was accepted.
  document.addEventListener('pintu-sent', function (ev) {
    var form = ev.target && ev.target.closest ? ev.target.closest('form') : null;
    if (form) form.reset();
  });

  function setupToggle() {
    var toggle = document.getElementById('notify-toggle');
    if (!toggle) return;
    toggle.hidden = false;
    function show() {
      var on = notifyOn();
      toggle.setAttribute('aria-pressed', on ? 'true' : 'false');
      toggle.textContent = toggle.getAttribute(on ? 'data-on' : 'data-off');
    }
    show();
    toggle.addEventListener('click', function () {
      var on = !notifyOn();
      try { localStorage.setItem(KEY, on ? 'on' : 'off'); } catch (e) { /* private mode: stays off */ }
      if (on && window.Notification && Notification.permission === 'default') Notification.requestPermission();
      show();
    });
  }

  function insertAtCursor(area, text) {
    var start = area.selectionStart == null ? area.value.length : area.selectionStart;
    var end = area.selectionEnd == null ? start : area.selectionEnd;
    var before = area.value.slice(0, start);
    var after = area.value.slice(end);
    var sep = before && !/\s$/.test(before) ? ' ' : '';
    area.value = before + sep + text + after;
    var at = (before + sep + text).length;
    area.focus();
    area.setSelectionRange(at, at);
  }

  function setupCanned(box) {
    if (box.getAttribute('data-ready') === '1') return;
    box.setAttribute('data-ready', '1');
    var area = document.getElementById(box.getAttribute('data-target'));
    var search = box.querySelector('input[type="search"]');
    var items = Array.prototype.slice.call(box.querySelectorAll('[data-canned-body]'));
    if (!area) return;
    box.hidden = false;
    var fallback = document.getElementById(box.getAttribute('data-fallback'));
    if (fallback) fallback.hidden = true;
    items.forEach(function (b) {
      b.addEventListener('click', function () {
        insertAtCursor(area, b.getAttribute('data-canned-body'));
        if (search) search.value = '';
        filter('');
      });
    });
    function filter(q) {
      var needle = q.trim().toLowerCase();
      items.forEach(function (b) {
        var hay = (b.textContent + ' ' + b.getAttribute('data-canned-body')).toLowerCase();
        b.parentElement.hidden = needle !== '' && hay.indexOf(needle) === -1;
      });
    }
    if (search) {
      search.addEventListener('input', function () { filter(search.value); });
      search.addEventListener('keydown', function (e) {
        if (e.key === 'Enter') {
          e.preventDefault();
          var first = items.filter(function (b) { return !b.parentElement.hidden; })[0];
          if (first) first.click();
        } else if (e.key === 'Escape') { area.focus(); }
      });
    }
    area.addEventListener('keydown', function (e) {
      if (e.key === '/' && search && !e.ctrlKey && !e.metaKey) {
        var pos = area.selectionStart || 0;
        var lineStart = pos === 0 || area.value.charAt(pos - 1) === '\n';
        if (lineStart) { e.preventDefault(); search.focus(); }
      }
    });
  }

  document.addEventListener('keydown', function (e) {
    if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey)) return;
    var area = e.target;
    if (!area || area.tagName !== 'TEXTAREA' || !area.hasAttribute('data-send')) return;
    e.preventDefault();
    var form = area.form;
    if (form && form.requestSubmit) form.requestSubmit(); else if (form) form.submit();
  });

  function setup() {
    setupToggle();
    Array.prototype.forEach.call(document.querySelectorAll('[data-canned]'), setupCanned);
    var thread = document.querySelector('.thread');
    if (thread) thread.scrollTop = thread.scrollHeight;
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', setup); else setup();
  // Parts htmx swaps in (the reply area appears once the complaint is taken) get the same help.
  document.addEventListener('htmx:load', function (ev) {
    var el = ev.detail && ev.detail.elt;
    if (!el || !el.querySelectorAll) return;
    if (el.hasAttribute && el.hasAttribute('data-canned')) setupCanned(el);
    Array.prototype.forEach.call(el.querySelectorAll('[data-canned]'), setupCanned);
  });
})();
