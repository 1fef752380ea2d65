// The `retro play` page: draws the frames the server streams, sends the buttons held on the keyboard or a
// gamepad, and drives pause / frame advance / speed / reset / save state. Plain JS, no build step.

const token = new URLSearchParams(location.search).get('token') ?? '';
const $ = (id) => document.getElementById(id);

/** Counters the tests (and the fps display) read. */
const stats = { framesReceived: 0, framesDrawn: 0, gaps: 0, lastFrame: -1, fps: 0, connected: false, frame: 0, variables: {}, latencies: [] };
/** The buttons last sent and when, until a frame played with them arrives (its latency goes to stats.latencies). */
let inputInFlight;
window.playStats = stats;

// Default bindings by button name; KeyboardEvent.code, so they sit in the same place on every layout. STICK_*
// are the analog stick's four directions at full deflection, for systems whose pad has one (the N64).
const DEFAULT_KEYS = {
  UP: 'ArrowUp', DOWN: 'ArrowDown', LEFT: 'ArrowLeft', RIGHT: 'ArrowRight', A: 'KeyX', B: 'KeyZ', X: 'KeyS', Y: 'KeyA',
  L: 'KeyQ', R: 'KeyW', L2: 'Digit1', R2: 'Digit2', L3: 'Digit3', R3: 'Digit4', START: 'Enter', SELECT: 'ShiftRight',
  Z: 'KeyC', C_UP: 'KeyT', C_DOWN: 'KeyG', C_LEFT: 'KeyF', C_RIGHT: 'KeyH',
  STICK_UP: 'KeyI', STICK_DOWN: 'KeyK', STICK_LEFT: 'KeyJ', STICK_RIGHT: 'KeyL',
};
const STICK_KEYS = ['STICK_UP', 'STICK_DOWN', 'STICK_LEFT', 'STICK_RIGHT'];
const STICK_DEADZONE = 0.1;
// The W3C "standard" gamepad layout: 0 bottom face button, 1 right, 2 left, 3 top, 12-15 the d-pad.
const DEFAULT_PAD = { B: 0, A: 1, Y: 2, X: 3, L: 4, R: 5, L2: 6, R2: 7, SELECT: 8, START: 9, L3: 10, R3: 11, UP: 12, DOWN: 13, LEFT: 14, RIGHT: 15 };
const STICK_THRESHOLD = 0.5;

let socket;
let game;               // the server's hello: buttons, states, fps, ...
let keys = {};          // button name -> KeyboardEvent.code
let pad = {};           // button name -> gamepad button index
let waitingFor;         // { kind: 'key' | 'pad', name } while remapping
const keysDown = new Set();
let keyboardMask = 0;
let padMask = 0;
let sentMask = -1;
let keyboardStick = [0, 0];  // from the STICK_* keys
let padStick = [0, 0];       // from the gamepad's left stick
let sentStick = '';
let pendingFrame;       // the newest decoded frame not drawn yet
let image;
const canvas = $('screen');
const context = canvas.getContext('2d', { alpha: false });

function storageKey(kind) {
  return `retro-play.${kind}.${game.system}`;
}

/** What can be bound: the pad's buttons, and the stick's directions when it has a stick. */
function bindable() {
  return [...game.buttons.filter(Boolean), ...(game.sticks > 0 ? STICK_KEYS : [])];
}

function loadBindings() {
  const named = bindable();
  const stored = (kind) => {
    try { return JSON.parse(localStorage.getItem(storageKey(kind)) ?? '{}'); } catch { return {}; }
  };
  const savedKeys = stored('keys');
  const savedPad = stored('pad');
  keys = Object.fromEntries(named.map((n) => [n, savedKeys[n] ?? DEFAULT_KEYS[n] ?? '']));
  pad = Object.fromEntries(named.map((n) => [n, savedPad[n] ?? DEFAULT_PAD[n] ?? -1]));
}

function saveBindings() {
  localStorage.setItem(storageKey('keys'), JSON.stringify(keys));
  localStorage.setItem(storageKey('pad'), JSON.stringify(pad));
}

function send(command) {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(command));
}

function showMessage(text, isError = false) {
  const message = $('message');
  message.textContent = text;
  message.className = isError ? 'error' : '';
  clearTimeout(showMessage.timer);
  showMessage.timer = setTimeout(() => (message.textContent = ''), 5000);
}

// ---- input ----

function maskOf(isDown) {
  let mask = 0;
  game.buttons.forEach((name, bit) => { if (name && isDown(name)) mask |= 1 << bit; });
  return mask;
}

/** The stick to hold: the keyboard's when a STICK_* key is down, else the gamepad's; up is positive. */
function stickNow() {
  return keyboardStick[0] !== 0 || keyboardStick[1] !== 0 ? keyboardStick : padStick;
}

function keyboardStickOf(isDown) {
  return [(isDown('STICK_RIGHT') ? 1 : 0) - (isDown('STICK_LEFT') ? 1 : 0), (isDown('STICK_UP') ? 1 : 0) - (isDown('STICK_DOWN') ? 1 : 0)];
}

function sendInput() {
  const mask = keyboardMask | padMask;
  const stick = game.sticks > 0 ? stickNow() : undefined;
  const stickText = stick ? stick.join(',') : '';
  if (mask === sentMask && stickText === sentStick) return;
  sentMask = mask;
  sentStick = stickText;
  inputInFlight = { mask, sentAt: performance.now() };
  send(stick ? { type: 'input', mask, stick } : { type: 'input', mask });
  game.buttons.forEach((name, bit) => {
    document.querySelector(`#bindings tr[data-button="${name}"]`)?.classList.toggle('pressed', (mask & (1 << bit)) !== 0);
  });
}

function typing(event) {
  return event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement;
}

window.addEventListener('keydown', (event) => {
  if (!game || typing(event)) return;
  if (waitingFor?.kind === 'key') {
    event.preventDefault();
    if (event.code !== 'Escape') {
      for (const name of Object.keys(keys)) if (keys[name] === event.code) keys[name] = '';
      keys[waitingFor.name] = event.code;
      saveBindings();
    }
    waitingFor = undefined;
    return renderBindings();
  }
  if (!Object.values(keys).includes(event.code)) {
    if (event.code === 'KeyP') $('pause').click();
    else if (event.code === 'KeyN') $('advance').click();
    return;
  }
  event.preventDefault();
  keysDown.add(event.code);
  readKeyboard();
});

function readKeyboard() {
  keyboardMask = maskOf((name) => keysDown.has(keys[name]));
  keyboardStick = keyboardStickOf((name) => keysDown.has(keys[name]));
  sendInput();
}

window.addEventListener('keyup', (event) => {
  if (!game) return;
  keysDown.delete(event.code);
  readKeyboard();
});

// A key released while the page had no focus never sends keyup: let go of everything.
window.addEventListener('blur', () => {
  keysDown.clear();
  keyboardMask = 0;
  keyboardStick = [0, 0];
  if (game) sendInput();
});

function pollGamepads() {
  const gamepad = [...(navigator.getGamepads?.() ?? [])].find((g) => g?.connected);
  if (!gamepad) {
    padMask = 0;
    return;
  }
  $('gamepad-status').textContent = `Gamepad: ${gamepad.id}`;
  const pressed = (index) => gamepad.buttons[index]?.pressed ?? false;
  if (waitingFor?.kind === 'pad') {
    const index = gamepad.buttons.findIndex((b) => b.pressed);
    if (index >= 0) {
      for (const name of Object.keys(pad)) if (pad[name] === index) pad[name] = -1;
      pad[waitingFor.name] = index;
      waitingFor = undefined;
      saveBindings();
      renderBindings();
    }
    return;
  }
  const [x = 0, y = 0] = gamepad.axes;
  if (game.sticks > 0) {
    // The pad has a stick of its own: the gamepad's drives it (the W3C layout's y is positive down).
    const axis = (v) => (Math.abs(v) < STICK_DEADZONE ? 0 : Math.max(-1, Math.min(1, Math.round(v * 100) / 100)));
    padStick = [axis(x), -axis(y)];
    padMask = maskOf((name) => pressed(pad[name]));
    return;
  }
  const stick = { LEFT: x < -STICK_THRESHOLD, RIGHT: x > STICK_THRESHOLD, UP: y < -STICK_THRESHOLD, DOWN: y > STICK_THRESHOLD };
  padMask = maskOf((name) => pressed(pad[name]) || stick[name] === true);
}

const ARROWS = { ArrowUp: '↑', ArrowDown: '↓', ArrowLeft: '←', ArrowRight: '→' };

function keyLabel(code) {
  if (!code) return '—';
  return ARROWS[code] ?? code.replace(/^(Key|Digit)/, '');
}

function renderBindings() {
  const body = document.querySelector('#bindings tbody');
  body.replaceChildren();
  for (const name of bindable()) {
    const row = document.createElement('tr');
    row.dataset.button = name;
    const cell = (text, kind) => {
      const td = document.createElement('td');
      td.textContent = text;
      if (kind) {
        td.className = 'bind' + (waitingFor?.kind === kind && waitingFor.name === name ? ' waiting' : '');
        if (td.classList.contains('waiting')) td.textContent = kind === 'key' ? 'press a key… (Esc: cancel)' : 'press a pad button…';
        td.addEventListener('click', () => {
          waitingFor = { kind, name };
          renderBindings();
        });
      }
      return td;
    };
    const padCell = STICK_KEYS.includes(name) ? cell('left stick') : cell(pad[name] >= 0 ? `button ${pad[name]}` : '—', 'pad');
    row.append(cell(name), cell(keyLabel(keys[name]), 'key'), padCell);
    body.append(row);
  }
}

$('reset-bindings').addEventListener('click', () => {
  localStorage.removeItem(storageKey('keys'));
  localStorage.removeItem(storageKey('pad'));
  loadBindings();
  renderBindings();
});

// ---- toolbar ----

function renderStatus(status) {
  game.paused = status.paused;
  $('pause').textContent = status.paused ? 'Resume' : 'Pause';
  $('advance').disabled = !status.paused;
  $('speed').value = String(status.speed);
  $('state').value = status.state;
}

function renderStates(states, current) {
  const select = $('state');
  select.replaceChildren(...[...states, '__none__'].map((s) => new Option(s === '__none__' ? '(power-on)' : s, s)));
  select.value = current;
}

$('pause').addEventListener('click', () => send({ type: 'pause', paused: !game?.paused }));
$('advance').addEventListener('click', () => send({ type: 'step' }));
$('speed').addEventListener('change', (event) => send({ type: 'speed', speed: Number(event.target.value) }));
$('reset').addEventListener('click', () => send({ type: 'reset', state: $('state').value }));
$('save-form').addEventListener('submit', (event) => {
  event.preventDefault();
  send({ type: 'save', name: $('save-name').value.trim() });
});

// ---- frames ----

function decodeFrame(buffer) {
  const view = new DataView(buffer);
  const kind = view.getUint8(0);
  const jsonLength = view.getUint32(4, true);
  const info = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 8, jsonLength)));
  let offset = 8 + jsonLength;
  const width = view.getUint16(offset, true);
  const height = view.getUint16(offset + 2, true);
  offset += 4;
  if (!image || image.width !== width || image.height !== height) {
    image = new ImageData(width, height);
    canvas.width = width;
    canvas.height = height;
    fitCanvas();
  }
  const out = new Uint32Array(image.data.buffer);
  const pixels = width * height;
  // ImageData is RGBA in memory; on little-endian machines a Uint32 pixel is 0xAABBGGRR.
  const rgba = (r, g, b) => 0xff000000 | (b << 16) | (g << 8) | r;
  if (kind === 1) {
    const colours = view.getUint16(offset, true);
    const palette = new Uint8Array(buffer, offset + 2, colours * 3);
    const lookup = new Uint32Array(colours);
    for (let i = 0; i < colours; i++) lookup[i] = rgba(palette[i * 3], palette[i * 3 + 1], palette[i * 3 + 2]);
    const indices = new Uint8Array(buffer, offset + 2 + colours * 3, pixels);
    for (let p = 0; p < pixels; p++) out[p] = lookup[indices[p]];
  } else {
    const rgb = new Uint8Array(buffer, offset, pixels * 3);
    for (let p = 0, o = 0; p < pixels; p++, o += 3) out[p] = rgba(rgb[o], rgb[o + 1], rgb[o + 2]);
  }
  return info;
}

function onFrame(buffer) {
  const info = decodeFrame(buffer);
  stats.framesReceived++;
  if (stats.lastFrame >= 0 && info.frame !== stats.lastFrame + 1 && info.frame !== 0 && info.frame > stats.lastFrame) stats.gaps++;
  stats.lastFrame = info.frame;
  if (inputInFlight && info.mask === inputInFlight.mask) {
    stats.latencies.push(performance.now() - inputInFlight.sentAt);
    inputInFlight = undefined;
  }
  stats.frame = info.frame;
  stats.variables = info.variables;
  pendingFrame = info;
}

const variableCells = new Map();

function renderInfo(info) {
  $('frame').textContent = String(info.frame);
  $('reward').textContent = formatNumber(info.reward);
  $('return').textContent = formatNumber(info.return);
  $('done').textContent = String(info.done);
  $('done').classList.toggle('done', info.done);
  const body = document.querySelector('#variables tbody');
  for (const name of Object.keys(info.variables).sort()) {
    let cell = variableCells.get(name);
    if (!cell) {
      const row = document.createElement('tr');
      row.dataset.variable = name;
      const label = document.createElement('td');
      label.textContent = name;
      cell = document.createElement('td');
      row.append(label, cell);
      body.append(row);
      variableCells.set(name, cell);
    }
    // Touch the DOM only for values that changed: restyling 30 rows 60 times a second costs frames.
    const text = String(info.variables[name]);
    if (cell.textContent === text) {
      if (cell.classList.contains('changed') && info.frame - (cell.changedAt ?? 0) > 30) cell.classList.remove('changed');
      continue;
    }
    if (cell.textContent !== '') cell.classList.add('changed');
    cell.changedAt = info.frame;
    cell.textContent = text;
  }
}

function formatNumber(n) {
  return Number.isInteger(n) ? String(n) : n.toFixed(3);
}

function draw() {
  pollGamepads();
  if (game) sendInput();
  if (pendingFrame) {
    context.putImageData(image, 0, 0);
    renderInfo(pendingFrame);
    stats.framesDrawn++;
    pendingFrame = undefined;
  }
  requestAnimationFrame(draw);
}

let fpsWindowStart = performance.now();
let fpsWindowFrames = 0;
setInterval(() => {
  const now = performance.now();
  stats.fps = ((stats.framesReceived - fpsWindowFrames) * 1000) / (now - fpsWindowStart);
  fpsWindowStart = now;
  fpsWindowFrames = stats.framesReceived;
  $('fps').textContent = stats.fps.toFixed(1);
}, 1000);

/** The largest whole-number scale that fits, so every game pixel is the same size. */
function fitCanvas() {
  const room = Math.min($('screen-panel').clientWidth, window.innerHeight - 260);
  const scale = Math.max(1, Math.floor(room / Math.max(canvas.width, canvas.height)));
  canvas.style.width = `${canvas.width * scale}px`;
  canvas.style.height = `${canvas.height * scale}px`;
}
window.addEventListener('resize', fitCanvas);

// ---- connection ----

function onMessage(message) {
  switch (message.type) {
    case 'hello':
      game = message;
      document.title = `${game.game} — retro play`;
      $('game').textContent = game.game;
      $('speed').replaceChildren(...game.speeds.map((s) => new Option(s === 0 ? 'unthrottled' : `${s}×`, String(s))));
      renderStates(game.states, game.state);
      $('recording').hidden = !game.recording;
      $('recording').title = game.recording ? `recording to ${game.recording}` : '';
      loadBindings();
      renderBindings();
      return renderStatus(message);
    case 'status':
      return renderStatus(message);
    case 'saved':
      renderStates(message.states, $('state').value);
      return showMessage(`saved state "${message.name}"`);
    case 'exists':
      if (confirm(`A state named "${message.name}" exists. Replace it?`)) send({ type: 'save', name: message.name, overwrite: true });
      return;
    case 'error':
      return showMessage(message.message, true);
  }
}

function connect() {
  socket = new WebSocket(`ws://${location.host}/ws?token=${encodeURIComponent(token)}`);
  socket.binaryType = 'arraybuffer';
  socket.addEventListener('open', () => {
    stats.connected = true;
    sentMask = -1;
    $('connection').textContent = 'connected';
    $('connection').className = 'badge ok';
  });
  socket.addEventListener('message', (event) => {
    if (typeof event.data === 'string') onMessage(JSON.parse(event.data));
    else onFrame(event.data);
  });
  socket.addEventListener('close', () => {
    stats.connected = false;
    $('connection').textContent = 'disconnected (is retro play still running?)';
    $('connection').className = 'badge bad';
  });
}

connect();
requestAnimationFrame(draw);
