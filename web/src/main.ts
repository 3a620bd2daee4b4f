// The NasCast web page: log in with the token, browse the library, see the devices
// live, cast, and control what plays. The library comes from /api/library; devices,
// casting and status go over the control channel.
import type { ControlStatus } from '../../src/protocol/index.ts';
import { ControlError, errorMessage } from '../../src/errors.ts';
import { formatSize, formatTime, positionNow } from '../../src/display.ts';
import { Hub } from './hub.ts';

interface Folder {
  name: string;
  path: string;
  count: number;
}
interface Item {
  id: string;
  name: string;
  /** From the file's name, release noise removed: what the list shows (the file name is the tooltip). */
  title?: string;
  kind: string;
  size: number;
}
interface Listing {
  path: string;
  parent: string | null;
  folders: Folder[];
  items: Item[];
}
interface Device {
  id: string;
  name: string;
  kind: string;
  online: boolean;
}
/** What Cast plays: a file (by id) or a folder (by path, as a queue). */
type Selection = { kind: 'item'; id: string; name: string } | { kind: 'folder'; path: string; name: string };

const TOKEN_KEY = 'nascast-token';
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the element type it knows the selector has
const $ = <T extends HTMLElement>(selector: string): T => document.querySelector<T>(selector)!;

let hub: Hub | undefined;
let token = '';
let selection: Selection | undefined;
let chosenDevice: string | undefined;
let devicePoll: number | undefined;
const cards = new Map<string, { root: HTMLElement; status?: ControlStatus; at: number }>();

function show(text: string, kind: 'error' | 'info' = 'error'): void {
  const box = $('#message');
  box.textContent = text;
  box.className = `message ${kind === 'info' ? 'info' : ''}`;
  box.hidden = false;
}

function clearMessage(): void {
  $('#message').hidden = true;
}

/** The hub's codes, said in words a person can act on. */
function explain(error: unknown, device?: string): string {
  if (!(error instanceof ControlError)) return errorMessage(error);
  const name = device ? (cards.get(device)?.root.querySelector('.device-name')?.textContent ?? device) : 'The device';
  switch (error.code) {
    case 'DEVICE_OFFLINE':
      return `${name} is offline: is it switched on and on this network? (${error.message})`;
    case 'LOAD_FAILED':
      return `The media failed to load on ${name}: ${error.message}`;
    case 'UNKNOWN_DEVICE':
      return `${name} is not known any more: ${error.message}`;
    case 'UNKNOWN_MEDIA':
      return `That is no longer in the library: ${error.message}`;
    default:
      return error.message;
  }
}

// --- Log in ---------------------------------------------------------------

async function logIn(candidate: string): Promise<boolean> {
  const response = await fetch('/api/library', { headers: { authorization: `Bearer ${candidate}` } });
  if (response.status === 401) {
    show('That token is not right: `nascast token` on the server shows the right one.');
    return false;
  }
  if (!response.ok) {
    show(`NasCast answered ${response.status}: ${await response.text()}`);
    return false;
  }
  token = candidate;
  localStorage.setItem(TOKEN_KEY, candidate);
  clearMessage();
  $('#login').hidden = true;
  $('#app').hidden = false;
  $('#logout').hidden = false;
  startHub();
  renderListing((await response.json()) as Listing);
  return true;
}

function logOut(message?: string): void {
  localStorage.removeItem(TOKEN_KEY);
  hub?.close();
  hub = undefined;
  window.clearInterval(devicePoll);
  cards.clear();
  $('#device-list').replaceChildren();
  $('#app').hidden = true;
  $('#logout').hidden = true;
  $('#login').hidden = false;
  if (message) show(message);
}

// --- Library --------------------------------------------------------------

async function openFolder(path: string): Promise<void> {
  const response = await fetch(`/api/library${path ? `?path=${encodeURIComponent(path)}` : ''}`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status === 401) return logOut('The token was refused: log in again.');
  if (!response.ok) return show(`Cannot open ${path}: ${(await response.text()) || response.status}`);
  renderListing((await response.json()) as Listing);
}

function button(label: string, onClick: () => void, detail?: string): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.append(label);
  if (detail) {
    const small = document.createElement('small');
    small.textContent = detail;
    element.append(small);
  }
  element.addEventListener('click', onClick);
  return element;
}

function renderListing(listing: Listing): void {
  const crumbs: HTMLElement[] = [button('Library', () => void openFolder(''))];
  const parts = listing.path ? listing.path.split('/') : [];
  parts.forEach((part, index) => crumbs.push(button(part, () => void openFolder(parts.slice(0, index + 1).join('/')))));
  $('#crumbs').replaceChildren(...crumbs);

  const rows: HTMLElement[] = [];
  if (listing.path && listing.items.length > 0) rows.push(entry(button(`▶ Play all of ${parts.at(-1)}`, () => select({ kind: 'folder', path: listing.path, name: parts.at(-1)! }), `${listing.items.length} items`), `folder:${listing.path}`));
  for (const folder of listing.folders) rows.push(entry(button(`${folder.name}/`, () => void openFolder(folder.path), `folder · ${folder.count} items`)));
  for (const item of listing.items) {
    const label = item.title || item.name;
    const row = button(label, () => select({ kind: 'item', id: item.id, name: label }), `${item.kind} · ${formatSize(item.size)}`);
    row.title = item.name;
    rows.push(entry(row, `item:${item.id}`));
  }
  if (rows.length === 0) rows.push(entry(document.createTextNode(listing.path ? 'This folder is empty.' : 'No media folder is configured.')));
  $('#entries').replaceChildren(...rows);
  markSelection();
}

function entry(content: Node, key?: string): HTMLElement {
  const li = document.createElement('li');
  if (key) li.dataset.key = key;
  li.append(content);
  return li;
}

function select(next: Selection): void {
  selection = next;
  markSelection();
  updateCastBar();
}

function markSelection(): void {
  const key = selection ? (selection.kind === 'item' ? `item:${selection.id}` : `folder:${selection.path}`) : '';
  for (const li of document.querySelectorAll<HTMLElement>('#entries li')) li.querySelector('button')?.setAttribute('aria-pressed', String(li.dataset.key === key));
}

function updateCastBar(): void {
  const device = chosenDevice ? cards.get(chosenDevice)?.root.querySelector('.device-name')?.textContent : undefined;
  $('#selection').textContent = selection ? `${selection.name} → ${device ?? 'pick a device'}` : 'Pick a file or a folder, then a device.';
  $<HTMLButtonElement>('#cast').disabled = !selection || !device;
}

async function castSelection(): Promise<void> {
  if (!hub || !selection || !chosenDevice) return;
  const device = chosenDevice;
  const castButton = $<HTMLButtonElement>('#cast');
  castButton.disabled = true;
  show(`Casting ${selection.name}…`, 'info');
  try {
    await hub.request('play', { device, media: selection.kind === 'item' ? selection.id : selection.path }, 60_000);
    clearMessage();
  } catch (error) {
    show(explain(error, device));
  } finally {
    updateCastBar();
  }
}

// --- Devices --------------------------------------------------------------

function startHub(): void {
  hub = new Hub(token, {
    status: (device, status) => renderStatus(device, status),
    state: (state, reason) => {
      const link = $('#link');
      link.textContent = state === 'open' ? 'connected' : state === 'closed' ? 'offline' : `reconnecting${reason ? ` (${reason})` : ''}`;
      link.className = `link ${state === 'open' ? 'open' : ''}`;
      if (state === 'open') void refreshDevices();
    },
    refused: () => logOut('The token was refused: log in again.'),
  });
  // The hub tells about devices on request: the list is read again every few seconds.
  devicePoll = window.setInterval(() => void refreshDevices(), 3000);
  // Positions move between status messages while playing.
  window.setInterval(tick, 500);
}

async function refreshDevices(): Promise<void> {
  if (!hub) return;
  let devices: Device[];
  try {
    devices = ((await hub.request('devices'))?.devices as Device[] | undefined) ?? [];
  } catch {
    return; // offline: the link badge says so
  }
  $('#no-devices').textContent = devices.length ? '' : 'No devices yet: Chromecasts on this network appear here as they are found.';
  for (const device of devices) {
    let card = cards.get(device.id);
    if (!card) {
      card = { root: makeCard(device), at: 0 };
      cards.set(device.id, card);
      $('#device-list').append(card.root);
      hub.follow(device.id);
    }
    card.root.classList.toggle('offline', !device.online);
    card.root.querySelector('.device-kind')!.textContent = `${device.kind}${device.online ? '' : ', offline'}`;
  }
  for (const [id, card] of cards) {
    if (devices.some((device) => device.id === id)) continue;
    card.root.remove();
    cards.delete(id);
  }
  if (!chosenDevice && devices.length === 1) choose(devices[0]!.id);
  updateCastBar();
}

function choose(device: string): void {
  chosenDevice = device;
  const radio = cards.get(device)?.root.querySelector<HTMLInputElement>('input[type=radio]');
  if (radio) radio.checked = true;
  updateCastBar();
}

function makeCard(device: Device): HTMLElement {
  const root = ($<HTMLTemplateElement>('#device-template').content.firstElementChild!.cloneNode(true) as HTMLElement);
  root.dataset.device = device.id;
  root.querySelector('.device-name')!.textContent = device.name;
  root.querySelector('input[type=radio]')!.addEventListener('change', () => choose(device.id));
  const command = (type: string, fields: Record<string, unknown> = {}): void => {
    hub?.request(type, { device: device.id, ...fields }).then(clearMessage, (error: unknown) => show(explain(error, device.id)));
  };
  root.querySelector('.controls')!.addEventListener('click', (event) => {
    const action = (event.target as HTMLElement).closest('button')?.dataset.action;
    const status = cards.get(device.id)?.status;
    if (action === 'toggle') command(status?.state === 'PLAYING' ? 'pause' : 'resume');
    else if (action === 'mute') command('mute', { muted: !status?.muted });
    else if (action) command(action);
  });
  const seek = root.querySelector<HTMLInputElement>('.seek')!;
  seek.addEventListener('change', () => command('seek', { position: Number(seek.value) }));
  const volume = root.querySelector<HTMLInputElement>('.volume')!;
  volume.addEventListener('change', () => command('volume', { level: Number(volume.value) / 100 }));
  return root;
}

function renderStatus(device: string, status: ControlStatus): void {
  const card = cards.get(device);
  if (!card) return;
  card.status = status;
  card.at = Date.now();
  const root = card.root;
  root.querySelector('.now-title')!.textContent = status.media?.title ?? (status.state === 'IDLE' ? 'Nothing playing' : (status.media?.url ?? ''));
  root.querySelector('.now-state')!.textContent = status.error ? `${status.state}: ${status.error}` : status.state;
  root.querySelector<HTMLButtonElement>('[data-action=mute]')!.textContent = status.muted ? 'Unmute' : 'Mute';
  root.querySelector<HTMLButtonElement>('[data-action=toggle]')!.textContent = status.state === 'PLAYING' || status.state === 'BUFFERING' ? 'Pause' : 'Play';
  const volume = root.querySelector<HTMLInputElement>('.volume')!;
  if (document.activeElement !== volume) volume.value = String(Math.round(status.volume * 100));
  if (status.state === 'ERROR' && status.error) show(`${root.querySelector('.device-name')!.textContent}: ${status.error}`);
  renderPosition(card);
}

function renderPosition(card: { root: HTMLElement; status?: ControlStatus; at: number }): void {
  const status = card.status;
  if (!status) return;
  const position = positionNow(status, card.at);
  const seek = card.root.querySelector<HTMLInputElement>('.seek')!;
  seek.max = String(Math.ceil(status.duration ?? Math.max(position, 1)));
  if (document.activeElement !== seek) seek.value = String(Math.floor(position));
  card.root.querySelector('.time')!.textContent = formatTime(position);
  card.root.querySelector('.duration')!.textContent = formatTime(status.duration);
}

function tick(): void {
  for (const card of cards.values()) if (card.status?.state === 'PLAYING') renderPosition(card);
}

// --- Start ----------------------------------------------------------------

$('#login').addEventListener('submit', (event) => {
  event.preventDefault();
  void logIn($<HTMLInputElement>('#token').value.trim());
});
$('#logout').addEventListener('click', () => logOut());
$('#cast').addEventListener('click', () => void castSelection());

// A link may carry the token once (`/?token=…`): it is kept, and taken out of the address bar.
const fromLink = new URLSearchParams(location.search).get('token');
if (fromLink) history.replaceState(null, '', location.pathname);
const saved = fromLink ?? localStorage.getItem(TOKEN_KEY);
if (saved) void logIn(saved).then((ok) => ok || logOut());
else $('#login').hidden = false;
