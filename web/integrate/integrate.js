// The integration builder beside the `retro play` game (served by `retro integrate`): RAM search, watch list,
// "add as variable", reward/done rules with a live preview, and start states. It talks to the server with JSON
// POSTs to /api/<command> (lib/play/integrate-api.ts) and polls /api/live for values while the game runs.

const token = new URLSearchParams(location.search).get('token') ?? '';
/** Candidates shown per page. */
const PAGE_SIZE = 20;
/** How often live values are fetched. */
const LIVE_MS = 150;

const OP_LABELS = {
  'equal': '=', 'not-equal': '≠', 'greater-than': '>', 'less-than': '<', 'greater-or-equal': '≥', 'less-or-equal': '≤',
};

const panel = document.createElement('aside');
panel.id = 'integrate';
panel.innerHTML = `
<h2>Integrate <span id="integrate-dir" class="hint"></span></h2>
<section id="search-section">
  <h3>RAM search</h3>
  <form id="search-start" class="row">
    <label>type <select name="type" id="search-type"></select></label>
    <label><input type="checkbox" name="aligned"> aligned</label>
    <button type="submit" id="search-new">New search</button>
  </form>
  <form id="search-filter" class="row">
    <label>value <select name="op" id="search-op"></select></label>
    <input name="value" id="search-value" placeholder="previous" size="8" autocomplete="off">
    <button type="submit" id="search-apply">Filter</button>
    <button type="button" id="search-previous" title="Make the current values the previous ones">Set previous</button>
    <button type="button" id="search-undo">Undo</button>
  </form>
  <p class="error" data-form="search"></p>
  <p><span id="search-count">no search yet</span>
    <button type="button" class="small" id="page-prev">◂</button>
    <span id="page-label"></span>
    <button type="button" class="small" id="page-next">▸</button></p>
  <table id="candidates"><thead><tr><th>address</th><th>value</th><th>previous</th><th></th></tr></thead><tbody></tbody></table>
</section>
<section>
  <h3>Watch</h3>
  <table id="watch"><thead><tr><th>name</th><th>address</th><th>type</th><th>value</th><th></th></tr></thead><tbody></tbody></table>
</section>
<section>
  <h3>Add as variable</h3>
  <form id="variable-form" class="row">
    <input name="name" placeholder="name" size="10" autocomplete="off" spellcheck="false">
    <input name="address" placeholder="address" size="7" autocomplete="off">
    <select name="type" id="variable-type"></select>
    <button type="submit" id="variable-add">Add</button>
  </form>
  <p class="error" data-form="variable"></p>
  <details><summary>data.json variables (<span id="variable-count">0</span>)</summary><ul id="variable-list"></ul></details>
</section>
<section>
  <h3>Reward and done rules</h3>
  <textarea id="rules" name="scenario" rows="7" spellcheck="false"></textarea>
  <div class="row">
    <button type="button" id="preview-start">Preview</button>
    <input id="scenario-name" value="scenario" size="10" autocomplete="off" spellcheck="false">
    <button type="button" id="scenario-write">Write scenario</button>
  </div>
  <p class="error" data-form="rules"></p>
  <dl id="preview"><div><dt>reward</dt><dd id="preview-reward">–</dd></div><div><dt>return</dt><dd id="preview-return">–</dd></div><div><dt>done</dt><dd id="preview-done">–</dd></div></dl>
</section>
<section>
  <h3>Start state</h3>
  <form id="state-form" class="row">
    <input name="name" placeholder="state name" size="12" autocomplete="off" spellcheck="false">
    <label><input type="checkbox" name="setDefault"> default</label>
    <button type="submit" id="state-save">Save start state</button>
  </form>
  <p class="error" data-form="state"></p>
</section>`;
document.querySelector('main').append(panel);
const $ = (id) => document.getElementById(id);

// Keys typed into the builder's fields are text, not game input: keep them from the page's key handlers.
for (const type of ['keydown', 'keyup']) {
  panel.addEventListener(type, (event) => {
    if (event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement || event.target instanceof HTMLSelectElement) event.stopPropagation();
  });
}

let pageStart = 0;
let searchType = '|u1';
let liveBusy = false;
/** Commands of the forms answered so far (tests wait on it: `#integrate[data-answers]`). */
let answers = 0;

/** Posts a command; resolves with its JSON answer, or throws an Error carrying the server's `field`. */
async function command(name, body = {}) {
  const response = await fetch(`/api/${name}?token=${encodeURIComponent(token)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  if (!response.ok) throw Object.assign(new Error(answer.error ?? `HTTP ${response.status}`), { field: answer.field });
  return answer;
}

/** Runs a command for a form: clears its error, shows the new one next to the field it names. */
async function formCommand(formName, name, body, form) {
  const error = panel.querySelector(`.error[data-form="${formName}"]`);
  error.textContent = '';
  error.classList.remove('note');
  form?.querySelectorAll('.invalid').forEach((el) => el.classList.remove('invalid'));
  try {
    return await command(name, body);
  } catch (e) {
    const field = e.field && form?.querySelector(`[name="${CSS.escape(String(e.field))}"]`);
    if (field) field.classList.add('invalid');
    error.textContent = field ? `${e.field}: ${e.message}` : e.message;
    error.dataset.field = e.field ?? '';
    return undefined;
  } finally {
    panel.dataset.answers = String(++answers);
  }
}

function hex(address) {
  return '0x' + address.toString(16).toUpperCase().padStart(4, '0');
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function button(td, text, title, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'small';
  b.textContent = text;
  b.title = title;
  b.addEventListener('click', onClick);
  td.append(b);
}

function fillVariableForm(address, type, name = '') {
  const form = $('variable-form');
  form.elements.address.value = String(address);
  form.elements.type.value = type;
  if (name) form.elements.name.value = name;
  form.elements.name.focus();
}

function renderSearch(search) {
  const body = $('candidates').tBodies[0];
  if (!search) return;
  pageStart = search.start;
  $('search-count').textContent = `${search.count} candidate${search.count === 1 ? '' : 's'} (${search.type})`;
  $('search-count').dataset.count = String(search.count);
  $('page-label').textContent = search.count === 0 ? '' : `${search.start + 1}–${Math.min(search.count, search.start + PAGE_SIZE)}`;
  $('page-prev').disabled = search.start === 0;
  $('page-next').disabled = search.start + PAGE_SIZE >= search.count;
  $('search-undo').disabled = !search.canUndo;
  // Rows are rebuilt only when the addresses change, so buttons stay clickable between updates.
  const key = search.candidates.map((c) => c.address).join(',');
  if (body.dataset.key !== key) {
    body.dataset.key = key;
    body.replaceChildren();
    for (const c of search.candidates) {
      const row = body.insertRow();
      row.dataset.address = String(c.address);
      cell(row, `${hex(c.address)} (${c.address})`);
      cell(row, '', 'value');
      cell(row, '', 'previous');
      const actions = row.insertCell();
      button(actions, 'watch', 'Add to the watch list', () => command('watch-add', { address: c.address, type: search.type }).then(renderLive));
      button(actions, 'variable…', 'Fill in "Add as variable"', () => fillVariableForm(c.address, search.type));
    }
  }
  search.candidates.forEach((c, i) => {
    const row = body.rows[i];
    row.cells[1].textContent = String(c.value);
    row.cells[2].textContent = String(c.previous);
    row.cells[1].classList.toggle('changed', c.value !== c.previous);
  });
}

function renderWatch(watch) {
  const body = $('watch').tBodies[0];
  const key = watch.map((w) => `${w.address}${w.type}${w.name ?? ''}`).join(',');
  if (body.dataset.key !== key) {
    body.dataset.key = key;
    body.replaceChildren();
    for (const w of watch) {
      const row = body.insertRow();
      row.dataset.address = String(w.address);
      cell(row, w.name ?? '');
      cell(row, hex(w.address));
      cell(row, w.type);
      cell(row, '', 'value');
      const actions = row.insertCell();
      button(actions, '×', 'Stop watching', () => command('watch-remove', { address: w.address, type: w.type }).then(renderLive));
      if (!w.name) button(actions, 'variable…', 'Fill in "Add as variable"', () => fillVariableForm(w.address, w.type));
    }
  }
  watch.forEach((w, i) => (body.rows[i].cells[3].textContent = String(w.value)));
}

function renderPreview(preview) {
  $('preview-reward').textContent = preview ? formatNumber(preview.reward) : '–';
  $('preview-return').textContent = preview ? formatNumber(preview.return) : '–';
  $('preview-done').textContent = preview ? String(preview.done) : '–';
  $('preview-done').classList.toggle('done', preview?.done === true);
}

function renderVariables(variables) {
  $('variable-count').textContent = String(variables.length);
  $('variable-list').replaceChildren(...variables.map((v) => {
    const li = document.createElement('li');
    li.dataset.variable = v.name;
    li.textContent = `${v.name}: ${hex(v.address)} ${v.type}`;
    return li;
  }));
}

function formatNumber(n) {
  return Number.isInteger(n) ? String(n) : n.toFixed(4).replace(/0+$/, '');
}

function renderLive(live) {
  if (!live) return;
  renderSearch(live.search);
  renderWatch(live.watch);
  renderPreview(live.preview);
}

async function pollLive() {
  if (!liveBusy && !document.hidden) {
    liveBusy = true;
    try {
      renderLive(await command('live', { start: pageStart, count: PAGE_SIZE }));
    } catch {
      // The server stopped (Ctrl+C); the play page already says it is disconnected.
    } finally {
      liveBusy = false;
    }
  }
  setTimeout(pollLive, LIVE_MS);
}

function paging(start) {
  return { start, count: PAGE_SIZE };
}

async function init() {
  const described = await command('describe');
  $('integrate-dir').textContent = described.dir;
  for (const select of [$('search-type'), $('variable-type')]) {
    select.replaceChildren(...described.types.map((t) => new Option(t, t)));
  }
  $('search-op').replaceChildren(...described.comparisons.map((op) => new Option(`${OP_LABELS[op] ?? op} ${op}`, op)));
  $('search-op').value = 'greater-than';
  $('rules').value = JSON.stringify(described.scenario, null, 2);
  renderVariables(described.variables);

  $('search-start').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    searchType = form.elements.type.value;
    renderLive(await formCommand('search', 'search-start', { type: searchType, aligned: form.elements.aligned.checked, ...paging(0) }, form));
  });
  $('search-filter').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    const value = form.elements.value.value.trim();
    renderLive(await formCommand('search', 'search-filter', { op: form.elements.op.value, value: value === '' ? undefined : value, ...paging(0) }, form));
  });
  $('search-previous').addEventListener('click', async () => renderLive(await formCommand('search', 'search-update-previous', paging(pageStart), $('search-filter'))));
  $('search-undo').addEventListener('click', async () => renderLive(await formCommand('search', 'search-undo', paging(0), $('search-filter'))));
  $('page-prev').addEventListener('click', () => (pageStart = Math.max(0, pageStart - PAGE_SIZE)));
  $('page-next').addEventListener('click', () => (pageStart += PAGE_SIZE));

  $('variable-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    const answer = await formCommand('variable', 'add-variable', { name: form.elements.name.value, address: form.elements.address.value, type: form.elements.type.value }, form);
    if (!answer) return;
    renderVariables(answer.variables);
    renderLive(answer);
    showNote('variable', `added ${form.elements.name.value.trim()} to data.json`);
    form.reset();
  });

  const rules = () => {
    try {
      return JSON.parse($('rules').value);
    } catch (e) {
      throw Object.assign(new Error(`the rules are not JSON: ${e.message}`), { field: 'scenario' });
    }
  };
  const rulesCommand = async (name, extra = {}) => {
    let scenario;
    try {
      scenario = rules();
    } catch (e) {
      panel.querySelector('.error[data-form="rules"]').textContent = e.message;
      $('rules').classList.add('invalid');
      return undefined;
    }
    $('rules').classList.remove('invalid');
    const answer = await formCommand('rules', name, { scenario, ...extra }, panel.querySelector('#rules').parentElement);
    if (!answer) $('rules').classList.add('invalid');
    return answer;
  };
  $('preview-start').addEventListener('click', async () => renderLive(await rulesCommand('preview', paging(pageStart))));
  $('scenario-write').addEventListener('click', async () => {
    const answer = await rulesCommand('write-scenario', { name: $('scenario-name').value });
    if (answer) showNote('rules', `wrote ${answer.written}`);
  });

  $('state-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = event.target;
    const answer = await formCommand('state', 'save-state', { name: form.elements.name.value, setDefault: form.elements.setDefault.checked }, form);
    if (answer) showNote('state', `saved ${form.elements.name.value.trim()}.state (states: ${answer.states.join(', ')})`);
  });

  pollLive();
}

/** A success line where the form's errors go. */
function showNote(formName, text) {
  const line = panel.querySelector(`.error[data-form="${formName}"]`);
  line.textContent = text;
  line.classList.add('note');
  setTimeout(() => {
    if (line.textContent === text) line.textContent = '';
    line.classList.remove('note');
  }, 4000);
}

init().catch((e) => {
  panel.querySelector('.error[data-form="search"]').textContent = `the builder could not start: ${e.message}`;
});
