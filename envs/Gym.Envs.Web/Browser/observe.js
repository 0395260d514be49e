// Gym's page observer: gives every interactive element a stable id (the data-gym-id attribute, kept for the
// element's life), across same-origin iframes and open shadow roots, and writes the page as an accessibility
// tree in text: one node per line, indented by depth, "[12] button \"Add to cart\"". Run with one argument,
// { marks: bool }: with marks, the boxes of the ids in view are returned too (for set-of-marks screenshots).
(options) => {
  const top = window;
  if (top.__gymNextId === undefined) top.__gymNextId = 1;
  const lines = [];
  const boxes = [];
  let focused = null;
  const INTERACTIVE_ROLES = new Set(['button', 'link', 'textbox', 'searchbox', 'checkbox', 'radio', 'combobox', 'listbox',
    'option', 'menuitem', 'menuitemcheckbox', 'menuitemradio', 'tab', 'switch', 'slider', 'spinbutton', 'treeitem']);
  const LANDMARKS = { nav: 'navigation', main: 'main', header: 'banner', footer: 'contentinfo', aside: 'complementary', form: 'form', dialog: 'dialog' };
  const clean = (s, max = 160) => {
    s = (s || '').replace(/\s+/g, ' ').trim();
    return s.length > max ? s.slice(0, max - 1) + '…' : s;
  };
  const quote = (s) => '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';

  function role(el) {
    const explicit = el.getAttribute('role');
    if (explicit) return explicit.split(' ')[0];
    const tag = el.tagName.toLowerCase();
    switch (tag) {
      case 'a': return el.hasAttribute('href') ? 'link' : null;
      case 'button': return 'button';
      case 'summary': return 'button';
      case 'select': return el.multiple || el.size > 1 ? 'listbox' : 'combobox';
      case 'textarea': return 'textbox';
      case 'img': return 'img';
      case 'h1': case 'h2': case 'h3': case 'h4': case 'h5': case 'h6': return 'heading';
      case 'ul': case 'ol': return 'list';
      case 'li': return 'listitem';
      case 'table': return 'table';
      case 'tr': return 'row';
      case 'td': return 'cell';
      case 'th': return 'columnheader';
      case 'input': {
        const type = (el.getAttribute('type') || 'text').toLowerCase();
        if (type === 'hidden') return null;
        if (type === 'checkbox') return 'checkbox';
        if (type === 'radio') return 'radio';
        if (type === 'range') return 'slider';
        if (type === 'number') return 'spinbutton';
        if (type === 'search') return 'searchbox';
        if (['button', 'submit', 'reset', 'image'].includes(type)) return 'button';
        return 'textbox';
      }
      default: return LANDMARKS[tag] || null;
    }
  }

  function interactive(el, r) {
    if (r && INTERACTIVE_ROLES.has(r)) return true;
    if (el.isContentEditable && !(el.parentElement && el.parentElement.isContentEditable)) return true;
    if (el.getAttribute('draggable') === 'true') return true;
    if (el.hasAttribute('onclick')) return true;
    const tabindex = el.getAttribute('tabindex');
    return tabindex !== null && Number(tabindex) >= 0 && el.tagName.toLowerCase() !== 'dialog';
  }

  function textOf(node) {
    // Text of a subtree as a person reads it (rendered text; alt of images), for names.
    if (node.nodeType === Node.TEXT_NODE) return node.textContent;
    if (node.nodeType !== Node.ELEMENT_NODE) return '';
    const tag = node.tagName.toLowerCase();
    if (tag === 'img') return node.getAttribute('alt') || '';
    if (tag === 'script' || tag === 'style') return '';
    let s = '';
    const kids = node.shadowRoot ? node.shadowRoot.childNodes : node.childNodes;
    for (const k of kids) s += ' ' + textOf(k);
    return s;
  }

  function name(el, r) {
    const doc = el.ownerDocument;
    const label = el.getAttribute('aria-label');
    if (label) return clean(label);
    const by = el.getAttribute('aria-labelledby');
    if (by) {
      const t = by.split(/\s+/).map(id => doc.getElementById(id)).filter(Boolean).map(textOf).join(' ');
      if (clean(t)) return clean(t);
    }
    const tag = el.tagName.toLowerCase();
    if (tag === 'input' || tag === 'select' || tag === 'textarea') {
      const type = (el.getAttribute('type') || '').toLowerCase();
      if (['button', 'submit', 'reset'].includes(type)) return clean(el.value || type);
      if (el.labels && el.labels.length) return clean(Array.from(el.labels).map(textOf).join(' '));
      return clean(el.getAttribute('placeholder') || el.getAttribute('title') || el.getAttribute('name') || '');
    }
    if (tag === 'img') return clean(el.getAttribute('alt') || el.getAttribute('title') || '');
    if (r === 'heading' || interactive(el, r))
      return clean(textOf(el)) || clean(el.getAttribute('title') || '');
    return clean(el.getAttribute('title') || '');
  }

  function visible(el) {
    if (el.hidden || el.getAttribute('aria-hidden') === 'true') return false;
    if (typeof el.checkVisibility === 'function') return el.checkVisibility({ visibilityProperty: true });
    const s = el.ownerDocument.defaultView.getComputedStyle(el);
    return s.display !== 'none' && s.visibility !== 'hidden';
  }

  function idOf(el) {
    let id = el.getAttribute('data-gym-id');
    if (!id) {
      id = String(top.__gymNextId++);
      el.setAttribute('data-gym-id', id);
    }
    return id;
  }

  function props(el, r) {
    const p = [];
    const tag = el.tagName.toLowerCase();
    if (r === 'textbox' || r === 'searchbox' || r === 'spinbutton' || r === 'slider') {
      const v = el.isContentEditable ? el.innerText : el.value;
      if (v) p.push('value=' + quote(clean(v, 200)));
      if ((el.getAttribute('type') || '').toLowerCase() === 'password' && v) p[p.length - 1] = 'value="••••"';
    }
    if (tag === 'input' && (el.getAttribute('type') || '').toLowerCase() === 'date') p.push('type=date');
    if (r === 'checkbox' || r === 'radio' || r === 'switch') p.push(el.checked || el.getAttribute('aria-checked') === 'true' ? 'checked' : 'unchecked');
    if (tag === 'select') {
      const selected = Array.from(el.selectedOptions).map(o => clean(o.textContent));
      if (selected.length) p.push('value=' + quote(selected.join(', ')));
      p.push('options=[' + Array.from(el.options).map(o => quote(clean(o.textContent))).join(', ') + ']');
    }
    if (tag === 'summary' && el.parentElement) p.push(el.parentElement.open ? 'expanded' : 'collapsed');
    const expanded = el.getAttribute('aria-expanded');
    if (expanded !== null && tag !== 'summary') p.push(expanded === 'true' ? 'expanded' : 'collapsed');
    if (el.getAttribute('aria-selected') === 'true') p.push('selected');
    if (el.disabled || el.getAttribute('aria-disabled') === 'true') p.push('disabled');
    if (el.required) p.push('required');
    if (r === 'heading') p.push('level=' + (Number(tag.slice(1)) || el.getAttribute('aria-level') || 2));
    if (r === 'link' && el.getAttribute('href')) p.push('url=' + quote(el.getAttribute('href')));
    if (el.getAttribute('draggable') === 'true') p.push('draggable');
    return p.length ? ' ' + p.join(' ') : '';
  }

  function walk(node, depth, frameOffset, textShown) {
    if (node.nodeType === Node.TEXT_NODE) {
      if (textShown) return;
      const t = clean(node.textContent, 300);
      if (t) lines.push('  '.repeat(depth) + 'StaticText ' + quote(t));
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const el = node;
    const tag = el.tagName.toLowerCase();
    if (tag === 'script' || tag === 'style' || tag === 'noscript' || tag === 'template' || tag === 'head') return;
    if (!visible(el)) return;
    if (tag === 'dialog' && !el.open) return;
    const r = role(el);
    const isInteractive = interactive(el, r);
    let childDepth = depth;
    if (isInteractive || r) {
      const id = isInteractive ? idOf(el) : null;
      const n = name(el, r);
      const doc = el.ownerDocument;
      if (doc.activeElement === el && doc.hasFocus()) focused = id;
      lines.push('  '.repeat(depth) + (id ? '[' + id + '] ' : '') + (r || 'generic') + (n ? ' ' + quote(n) : '') + props(el, r) + (focused === id && id ? ' focused' : ''));
      if (id && options && options.marks) {
        const b = el.getBoundingClientRect();
        if (b.width > 0 && b.height > 0) boxes.push({ id, x: b.x + frameOffset.x, y: b.y + frameOffset.y, w: b.width, h: b.height });
      }
      childDepth = depth + 1;
      // An interactive element's text is its name; only its interactive descendants still need lines.
      if (isInteractive && tag !== 'select') {
        for (const d of el.querySelectorAll('a[href], button, input, select, textarea, [role], [tabindex], [draggable="true"]'))
          if (d !== el && d.parentElement && d.parentElement.closest('[data-gym-id]') === el) walk(d, childDepth, frameOffset, false);
        return;
      }
      if (tag === 'select') return;
    }
    if (tag === 'iframe') {
      let doc = null;
      try { doc = el.contentDocument; } catch (e) { doc = null; }
      lines.push('  '.repeat(depth) + 'Iframe' + (el.title ? ' ' + quote(clean(el.title)) : '') + (doc ? '' : ' (other origin: not shown)'));
      if (doc && doc.body) {
        const b = el.getBoundingClientRect();
        walk(doc.body, depth + 1, { x: frameOffset.x + b.x, y: frameOffset.y + b.y }, false);
      }
      return;
    }
    if (tag === 'slot') {
      for (const k of el.assignedNodes({ flatten: true })) walk(k, childDepth, frameOffset, textShown);
      return;
    }
    const kids = el.shadowRoot ? el.shadowRoot.childNodes : el.childNodes;
    // A heading's text is its name already.
    const shown = textShown || r === 'heading';
    for (const k of kids) walk(k, childDepth, frameOffset, shown);
  }

  walk(document.body, 1, { x: 0, y: 0 }, false);
  return {
    text: 'RootWebArea ' + quote(clean(document.title)) + '\n' + lines.join('\n'),
    focused,
    boxes,
    scroll: { x: window.scrollX, y: window.scrollY, width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight,
      viewportWidth: window.innerWidth, viewportHeight: window.innerHeight },
  };
}
