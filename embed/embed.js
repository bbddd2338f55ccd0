/* Parley comment embed: plain JS, no framework, no build step. The API it
   talks to is docs/api.md. Everything it draws lives under one .parley
   element. Text from readers is only ever set with textContent or
   attributes; the one innerHTML is the comment html the server sanitised.
   No inline styles, eval or cookies, so it runs under a strict CSP. */
(() => {
  'use strict';
  const tag = document.currentScript || document.querySelector('script[src*="embed.js"]');
  if (!tag) return;
  const D = tag.dataset, site = D.site || '', base = new URL('.', tag.src).href.slice(0, -1);
  const pageURL = D.url || location.origin + location.pathname, enc = encodeURIComponent;
  // English is built in; other languages come from /embed/i18n/{lang}.json.
  const EN = {
    count: {one: '{n} comment', other: '{n} comments'},
    loading: 'Loading comments…', empty: 'No comments yet. Start the conversation!',
    load_fail: 'Comments could not be loaded.', retry: 'Try again',
    body: 'Your comment', reply_to: 'Your reply to {name}', name: 'Name', anon: 'Anonymous',
    email: 'Email', email_hint: '(optional, never shown)', website: 'Website', optional: '(optional)',
    md: 'Markdown: **bold**, _italic_, `code`, [link](https://…)',
    post: 'Post comment', reply: 'Reply', cancel: 'Cancel', edit: 'Edit', delete: 'Delete',
    save: 'Save', sending: 'Sending…', edit_label: 'Edit your comment',
    confirm: 'Delete your comment? This cannot be undone.',
    staff: 'Staff', edited: 'edited', deleted: 'This comment was deleted.',
    hidden: 'This comment was hidden by a moderator.',
    posted: 'Your comment was posted.', saved: 'Your changes were saved.',
    removed: 'Your comment was deleted.', pending: 'Thank you! Your comment will appear once a moderator approves it.',
    held: 'Awaiting approval', fresh: 'New comments. Show them', updated: 'The comments were updated.',
    e_network: 'The comment server could not be reached. Check your connection and try again.',
    e_request: 'Your comment could not be sent. Please reload the page and try again.',
    e_invalid: 'Please check your comment and try again.',
    e_invalid_body: 'Please write your comment (at most 10,000 characters).',
    e_invalid_author: 'Please use a name of at most 64 characters, without < or >.',
    e_invalid_email: 'Please enter a valid email address, or leave it empty.',
    e_invalid_website: 'Please enter a web address starting with http:// or https://, or leave it empty.',
    e_too_large: 'Your comment is too long. Please shorten it.',
    e_unknown_site: 'Comments are not set up for this site ({site}).',
    e_not_found: 'This comment no longer exists.',
    e_unknown_parent: 'The comment you are replying to no longer exists.',
    e_parent_mismatch: 'The comment you are replying to belongs to another page.',
    e_origin_not_allowed: 'Comments cannot be sent from this page’s address.',
    e_forbidden: 'You can only change comments you wrote in this browser.',
    e_edit_expired: 'The time for changing this comment has passed.',
    e_edit_locked: 'Staff have replied to this comment, so it can no longer be changed.',
    e_thread_closed: 'This discussion is closed to new comments.',
    e_rate_limited: 'You are commenting too quickly. Please wait a minute and try again.',
    e_internal: 'Something went wrong on our side. Please try again later.',
    dismiss: 'Dismiss',
    notify: 'Email me when someone replies', feed: 'Feed',
    notify_sent: 'To get reply emails, open the link we just emailed you.'
  };
  const ALIAS = {bad_json: 'request', bad_encoding: 'request', empty_body: 'request', method_not_allowed: 'request', conflict: 'internal'};
  let S = EN, PR, NF, RTF, DTF, lang, data, openReply;

  // h builds an element: function values are event listeners, the rest are
  // attributes; children are nodes or strings (text, never HTML).
  const h = (name, attrs, ...kids) => {
    const e = document.createElement(name);
    for (const k in attrs) {
      const v = attrs[k];
      if (typeof v == 'function') e.addEventListener(k, v);
      else if (v != null && v !== false) e.setAttribute(k, v === true ? '' : v);
    }
    e.append(...kids.filter(k => k != null && k !== false));
    return e;
  };
  const t = (k, o = {}) => {
    let s = S[k] ?? EN[k];
    if (typeof s == 'object') s = s[PR.select(o.n)] ?? s.other;
    return s.replace(/\{(\w+)\}/g, (_, v) => v == 'n' ? NF.format(o.n) : o[v] ?? '');
  };
  const errText = e => {
    const c = ALIAS[e.code] || e.code, k = ['e_' + c + '_' + e.field, 'e_' + c].find(k => S[k]);
    return k ? t(k, {site}) : e.message || t('e_internal');
  };

  // The reader's name, email and website, and the edit tokens (plus the
  // Markdown they typed: the API answers only HTML) of their comments.
  const KEY = 'parley:' + site;
  let store;
  try { store = JSON.parse(localStorage[KEY]) } catch {}
  store = Object.assign({me: {}, own: {}, held: {}}, store);
  for (const id in store.own) if (!mine(id)) delete store.own[id];
  // Comments held for moderation are shown to their author only, from here,
  // for a week or until the thread shows them.
  for (const id in store.held) if (store.held[id].until < Date.now()) delete store.held[id];
  function save() { try { localStorage[KEY] = JSON.stringify(store) } catch {} }
  function mine(id) { const o = store.own[id]; return o && Date.parse(o.until) > Date.now() }

  async function api(method, path, body, token) {
    const u = new URL(base + '/api/v1/' + path), headers = {};
    u.searchParams.set('site', site);
    if (body) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = 'Bearer ' + token;
    let r, j = {};
    try {
      r = await fetch(u, {method, headers, body: body && JSON.stringify(body), credentials: 'omit'});
    } catch { throw {code: 'network'} }
    if (r.status == 204) return j;
    try { j = await r.json() } catch {}
    if (!r.ok) throw j.error || {code: r.status < 500 ? 'request' : 'internal'};
    return j;
  }

  async function i18n() {
    const hl = document.documentElement.lang || 'en', l = hl.toLowerCase().split(/[-_]/)[0];
    let loc = 'en';
    if (l == 'en') loc = hl;
    else if (/^[a-z]{2,3}$/.test(l)) try {
      const r = await fetch(`${base}/embed/i18n/${l}.json`);
      if (r.ok) { S = {...EN, ...await r.json()}; loc = hl }
    } catch {}
    const mk = x => {
      PR = new Intl.PluralRules(x); NF = new Intl.NumberFormat(x);
      RTF = new Intl.RelativeTimeFormat(x, {numeric: 'auto'});
      DTF = new Intl.DateTimeFormat(x, {dateStyle: 'medium', timeStyle: 'short'});
      lang = x;
    };
    try { mk(loc.replace('_', '-')) } catch { mk('en') }
  }

  // counts fills every [data-parley-count="URL"] on the page, asking for at
  // most 100 addresses per request.
  function counts() {
    const els = [...document.querySelectorAll('[data-parley-count]')], url = e => e.dataset.parleyCount || pageURL;
    const urls = [...new Set(els.map(url))];
    for (let i = 0; i < urls.length; i += 100)
      api('GET', 'counts?' + urls.slice(i, i + 100).map(u => 'url=' + enc(u)).join('&')).then(r => els.forEach(e => {
        const n = r.counts[url(e)];
        if (n != null) e.textContent = t('count', {n});
      }), () => {});
  }

  function stamp(iso) {
    const d = new Date(iso), full = DTF.format(d);
    let s = (d - Date.now()) / 6e4, txt = Math.abs(s) < 1 && RTF.format(0, 'second');
    for (const [u, n] of [['minute', 60], ['hour', 24], ['day', 7]]) {
      if (txt) break;
      if (Math.abs(s) < n) txt = RTF.format(Math.round(s), u);
      s /= n;
    }
    return h('time', {datetime: iso, title: full}, txt || full);
  }

  // The root: heading, status note, list, a live region and the form.
  let root, head, note, list, live, feed;
  const say = (el, text, err) => { el.textContent = text; el.classList.toggle('parley-err', !!err) };
  const busy = (f, on) => f.setAttribute('aria-busy', on);

  function render() {
    openReply = null;
    head.textContent = t('count', {n: data.thread.count});
    feed.hidden = !data.thread.count;
    note.hidden = data.comments.length > 0;
    say(note, t('empty'));
    list.replaceChildren(...data.comments.map(c => item(c, 0)));
  }

  function item(c, depth, up) {
    const main = h('div', {class: 'parley-main'}), name = c.author || t('anon'), ok = c.status == 'approved' || c.held;
    const li = h('li', {class: 'parley-c'}, h('article', {class: 'parley-item' + (c.official ? ' parley-official' : ''),
      id: 'parley-c-' + c.id, tabindex: -1}, h('span', {class: 'parley-av', 'aria-hidden': 'true'}, ok ? [...name][0].toUpperCase() : ''), main));
    if (ok) {
      const html = h('div', {class: 'parley-html'}), acts = h('div', {class: 'parley-acts'});
      html.innerHTML = c.html; // sanitised by the server
      const web = /^https?:\/\//i.test(c.website || '');
      main.append(h('header', {class: 'parley-head'},
        h(web ? 'a' : 'b', {class: 'parley-author', href: web && c.website, rel: web && 'nofollow ugc noopener'}, name),
        c.official && h('span', {class: 'parley-staff'}, t('staff')),
        c.held && h('span', {class: 'parley-held'}, t('held')),
        depth > 3 && h('span', {class: 'parley-to'}, '↪ ' + (up.author || t('anon'))),
        h('a', {class: 'parley-time', href: '#parley-c-' + c.id}, stamp(c.created_at)),
        c.edited_at && h('span', {class: 'parley-edited', title: DTF.format(new Date(c.edited_at))}, t('edited'))), html, acts);
      const btn = (k, fn) => h('button', {type: 'button', class: 'parley-link', click: fn}, t(k));
      const rb = btn('reply', () => reply(c, rb, main));
      rb.setAttribute('aria-expanded', 'false');
      acts.append(rb);
      // Once staff have answered, the server refuses changes (edit_locked).
      if (mine(c.id) && !c.replies?.some(r => r.official)) {
        const eb = btn('edit', () => html.isConnected && edit(c, html, eb));
        acts.append(eb, btn('delete', () => del(c, main)));
      }
    } else main.append(h('p', {class: 'parley-gone'}, t(c.status == 'hidden' ? 'hidden' : 'deleted')));
    if (c.replies?.length) li.append(h('ol', {class: 'parley-list parley-l' + Math.min(depth + 1, 6)},
      ...c.replies.map(r => item(r, depth + 1, c))));
    return li;
  }

  const field = (name, label, hint, attrs, val) => {
    const el = h(name == 'body' ? 'textarea' : 'input', {name, ...attrs});
    el.value = val || '';
    return h('label', {class: 'parley-field parley-f-' + name}, h('span', {}, label, hint && h('small', {}, ' ' + hint)), el);
  };
  const bar = (ok, cancel) => h('div', {class: 'parley-bar'}, h('small', {class: 'parley-hint'}, t('md')),
    cancel && h('button', {type: 'button', class: 'parley-btn', click: cancel}, t('cancel')),
    h('button', {class: 'parley-btn parley-primary'}, t(ok)));
  const msg = () => h('p', {class: 'parley-msg', 'aria-live': 'polite'});
  const body = a => field('body', a, '', {rows: 4, maxlength: 10000, required: true});

  function fail(f, e) {
    say(f.querySelector('.parley-msg'), errText(e), 1);
    const el = e.field && f.elements[e.field];
    if (el) { el.setAttribute('aria-invalid', 'true'); el.focus() }
  }

  // form is the top-level form (parent null) or an inline reply form.
  function form(parent, close) {
    const me = store.me, f = h('form', {class: 'parley-form', novalidate: true,
      submit: e => { e.preventDefault(); post(f, parent) },
      keydown: e => e.key == 'Escape' && close && close(),
      input: e => e.target.removeAttribute('aria-invalid')},
    body(parent ? t('reply_to', {name: parent.author || t('anon')}) : t('body')),
    h('div', {class: 'parley-fields'},
      field('author', t('name'), '', {maxlength: 64, autocomplete: 'name', placeholder: t('anon')}, me.author),
      field('email', t('email'), t('email_hint'), {type: 'email', maxlength: 254, autocomplete: 'email'}, me.email),
      field('website', t('website'), t('optional'), {type: 'url', maxlength: 256, autocomplete: 'url', placeholder: 'https://'}, me.website)),
    // A field people never see: bots fill it in.
    h('input', {name: 'hp', class: 'parley-hp', tabindex: -1, autocomplete: 'off', 'aria-hidden': 'true'}),
    notifyBox(), bar(parent ? 'reply' : 'post', close), msg());
    f.opened = Date.now();
    // The reply-email box is offered once there is an address to email.
    const nb = f.querySelector('.parley-check'), show = () => nb && (nb.hidden = !f.elements.email.value.trim());
    f.elements.email.addEventListener('input', show);
    show();
    return f;
  }

  async function post(f, parent) {
    const v = n => f.elements[n].value.trim(), m = f.querySelector('.parley-msg');
    const b = {url: pageURL, title: D.title || document.title, parent_id: parent?.id, author: v('author'),
      email: v('email'), website: v('website'), body: f.elements.body.value, author_hint: D.author || document.querySelector('meta[name=author]')?.content,
      hp: f.elements.hp.value, elapsed_ms: Date.now() - f.opened,
      notify_replies: !!(f.elements.notify?.checked && v('email')), lang, tz: zone()};
    if (f.getAttribute('aria-busy') == 'true') return;
    if (!b.body.trim()) return fail(f, {code: 'invalid', field: 'body'});
    busy(f, true);
    say(m, t('sending'));
    try {
      const r = await api('POST', 'comments', b), c = r.comment;
      store.me = {author: b.author, email: b.email, website: b.website};
      store.own[c.id] = {token: r.edit_token, until: r.edit_until, md: b.body};
      save();
      f.elements.body.value = '';
      c.replies = [];
      if (c.status != 'approved') {
        store.held[c.id] = {c, until: Date.now() + 6048e5};
        save();
        c.held = true;
        (parent ? parent.replies : data.comments).push(c);
        render();
        say(m, r.ack ? '' : t('pending'));
        thank(f, c.id, r.ack);
        return confirmNote(r.notify_replies);
      }
      say(m, '');
      (parent ? parent.replies : data.comments).push(c);
      data.thread.count++;
      done(c.id, 'posted');
      thank(f, c.id, r.ack);
      confirmNote(r.notify_replies);
    } catch (e) { fail(f, e) } finally { busy(f, false) }
  }

  // zone is the reader's IANA time zone, for when to expect a reply.
  function zone() { try { return Intl.DateTimeFormat().resolvedOptions().timeZone || '' } catch { return '' } }

  // thank shows the server's acknowledgement of a new comment (thanks, and
  // when to expect a reply) above the form it came from, or under the
  // comment when that form is gone (a reply's), until the reader closes
  // it. The text goes in after the status region is in the page, so that
  // screen readers announce it.
  function thank(f, id, a) {
    root.querySelector('.parley-ack')?.remove();
    if (!a?.text) return;
    const p = h('p'), box = h('div', {class: 'parley-ack', role: 'status', lang: a.lang || null}, h('div', {class: 'parley-ack-text'}, p),
      h('button', {type: 'button', class: 'parley-ack-x', title: t('dismiss'), 'aria-label': t('dismiss'), click: () => {
        box.remove();
        (f.isConnected ? f.elements.body : document.getElementById('parley-c-' + id))?.focus();
      }}, '×'));
    if (f.isConnected) f.before(box);
    else document.getElementById('parley-c-' + id)?.after(box);
    setTimeout(() => { p.textContent = a.text }, 50);
  }

  // The checkbox for reply emails, when the server sends them (unticked:
  // the reader opts in), and the note that a confirmation link is on its way.
  const notifyBox = () => data?.notify_replies && h('label', {class: 'parley-check'},
    h('input', {type: 'checkbox', name: 'notify'}), t('notify'));
  // The note goes in the acknowledgement, when there is one, so that the
  // reader finds both in one place.
  function confirmNote(res) {
    root.querySelector('.parley-confirm')?.remove();
    if (!/^confirm/.test(res || '')) return;
    const ack = root.querySelector('.parley-ack');
    if (ack) ack.querySelector('.parley-ack-text').append(h('p', {class: 'parley-confirm'}, t('notify_sent')));
    else root.append(h('p', {class: 'parley-msg parley-confirm', role: 'status'}, t('notify_sent')));
  }

  // done re-renders after a change, then shows and announces the comment.
  function done(id, k) {
    render();
    counts();
    const el = document.getElementById('parley-c-' + id);
    if (el) {
      el.classList.add('parley-new');
      el.scrollIntoView({block: 'center'});
      el.focus({preventScroll: true});
    }
    say(live, t(k));
  }

  function reply(c, btn, main) {
    const was = openReply;
    openReply?.();
    if (was?.btn == btn) return;
    const close = () => { f.remove(); btn.setAttribute('aria-expanded', 'false'); openReply = null; btn.focus() };
    const f = form(c, close);
    close.btn = btn;
    main.append(f);
    btn.setAttribute('aria-expanded', 'true');
    openReply = close;
    f.elements.body.focus();
  }

  function edit(c, html, btn) {
    const o = store.own[c.id], cancel = () => { f.replaceWith(html); btn.focus() };
    const f = h('form', {class: 'parley-form parley-editing', novalidate: true,
      keydown: e => e.key == 'Escape' && cancel(),
      submit: async e => {
        e.preventDefault();
        if (f.getAttribute('aria-busy') == 'true') return;
        busy(f, true);
        try {
          const b = f.elements.body.value, r = await api('PATCH', 'comments/' + c.id, {body: b}, o.token);
          Object.assign(c, r.comment, {replies: c.replies});
          o.md = b;
          save();
          done(c.id, 'saved');
        } catch (e) {
          fail(f, e);
          if (/^(edit_|forbidden)/.test(e.code)) { delete store.own[c.id]; save() }
        } finally { busy(f, false) }
      }}, body(t('edit_label')), bar('save', cancel), msg());
    f.elements.body.value = o.md ?? html.textContent.trim();
    html.replaceWith(f);
    f.elements.body.focus();
  }

  async function del(c, main) {
    if (!confirm(t('confirm'))) return;
    try {
      await api('DELETE', 'comments/' + c.id, null, store.own[c.id].token);
      delete store.own[c.id];
      save();
      await load();
      counts();
      say(live, t('removed'));
      // Focus what took the comment's place: its placeholder, its parent or the heading.
      (document.getElementById('parley-c-' + c.id) || document.getElementById('parley-c-' + c.parent_id) || head).focus();
    } catch (e) {
      main.querySelector(':scope>.parley-msg')?.remove();
      main.append(h('p', {class: 'parley-msg parley-err', role: 'alert'}, errText(e)));
    }
  }

  async function load(p = api('GET', 'threads?url=' + enc(pageURL))) {
    try {
      data = await p;
      const seen = new Map(), walk = cs => cs.forEach(c => { seen.set(c.id, c); walk(c.replies) });
      walk(data.comments);
      for (const id in store.held) {
        const c = store.held[id].c;
        if (seen.has(c.id)) { delete store.held[id]; continue }
        (seen.get(c.parent_id)?.replies || data.comments).push({...c, held: true, replies: []});
      }
      save();
      render();
      if (!root.querySelector('form')) root.append(form(null));
    } catch (e) {
      say(note, t('load_fail') + ' ' + errText(e), 1);
      note.append(' ', h('button', {type: 'button', class: 'parley-link', click: () => load()}, t('retry')));
    }
  }

  async function start() {
    const target = document.querySelector(D.target || '#parley'), theme = D.theme || 'auto';
    let p;
    if (target && !target.querySelector('.parley')) {
      if (theme != 'none' && /^[\w-]+$/.test(theme))
        for (const n of ['base', theme]) document.head.append(h('link', {rel: 'stylesheet', href: `${base}/themes/${n}.css`}));
      p = api('GET', 'threads?url=' + enc(pageURL));
      p.catch(() => {});
    }
    await i18n();
    counts();
    if (!p) return;
    root = h('section', {class: 'parley', lang, 'aria-labelledby': 'parley-h'},
      h('div', {class: 'parley-top'}, head = h('h2', {class: 'parley-title', id: 'parley-h', tabindex: -1}),
        feed = h('a', {class: 'parley-feed', type: 'application/atom+xml', hidden: true,
          href: `${base}/api/v1/feed.atom?site=${enc(site)}&url=${enc(pageURL)}`}, t('feed'))),
      note = h('p', {class: 'parley-note'}, t('loading')),
      list = h('ol', {class: 'parley-list'}),
      live = h('p', {class: 'parley-sr', role: 'status'}));
    target.append(root);
    await load(p);
    const hit = location.hash.startsWith('#parley-c-') && document.getElementById(location.hash.slice(1));
    hit && hit.scrollIntoView();
    watch();
  }

  // Live updates: the server says when the thread changes, on any replica.
  // Read it again then, unless the reader is busy in the list (writing a
  // reply, or focused on a comment), where redrawing would lose their
  // place: then offer a button.
  function watch() {
    if (!window.EventSource) return;
    const u = new URL(base + '/api/v1/events');
    u.searchParams.set('site', site);
    u.searchParams.set('url', pageURL);
    let timer;
    new EventSource(u).addEventListener('changed', () => { clearTimeout(timer); timer = setTimeout(refresh, 300) });
  }

  // sig names what a reader sees of a thread: each public comment, its
  // text and its state, in id order (the reader's own new comment is
  // shown where it was written, which is not always the server's order).
  function sig(d) {
    const o = [], walk = cs => (cs || []).forEach(c => { c.held || o.push([c.id, c.html, c.edited_at, c.status]); walk(c.replies) });
    walk(d?.comments);
    return JSON.stringify(o.sort((a, b) => a[0] - b[0]));
  }

  async function refresh(force) {
    let j;
    try { j = await api('GET', 'threads?url=' + enc(pageURL)) } catch { return }
    if (sig(j) == sig(data)) return; // nothing the reader does not see already (their own post, say)
    const engaged = list.querySelector('form') || list.contains(document.activeElement);
    if (engaged && !force) {
      root.querySelector('.parley-fresh') || list.before(h('button', {type: 'button', class: 'parley-link parley-fresh',
        click: e => { e.target.remove(); refresh(true) }}, t('fresh')));
      return;
    }
    root.querySelector('.parley-fresh')?.remove();
    await load(Promise.resolve(j));
    counts();
    say(live, t('updated'));
  }

  document.readyState == 'loading' ? document.addEventListener('DOMContentLoaded', start) : start();
})();
