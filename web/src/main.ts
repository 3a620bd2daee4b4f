// The NasCast web page: log in with the token, browse the library as cards, search it,
// see an item's details and cast it, and see the devices live and control what plays.
// The library comes from the JSON API (/api/*); devices, casting and status go over
// the control channel.
import type { Listing } from './api.ts';
import { Api } from './api.ts';
import { Details } from './details.ts';
import { Devices } from './devices.ts';
import { $, clearMessage, show } from './dom.ts';
import { Hub } from './hub.ts';
import { LibraryView } from './library.ts';
import { Probing } from './probing.ts';
import { wireSearch } from './search.ts';

const TOKEN_KEY = 'nascast-token';

/** What lives while logged in. */
interface Session {
  hub: Hub;
  probing: Probing;
  timers: number[];
}

const api = new Api(() => logOut('The token was refused: log in again.'));
const devices = new Devices();
const details = new Details(api, devices);
const library = new LibraryView({ api, devices, open: (item) => details.open(item) });
const clearSearch = wireSearch($<HTMLInputElement>('#search'), api, library);
let session: Session | undefined;

/** The folder a link or a reload names (`/#Films%2FCartoons`). */
function pathFromAddress(): string {
  try {
    return decodeURIComponent(location.hash.slice(1));
  } catch {
    return '';
  }
}

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
  localStorage.setItem(TOKEN_KEY, candidate);
  api.use(candidate);
  clearMessage();
  for (const element of ['#app', '#logout', '#search']) $(element).hidden = false;
  $('#login').hidden = true;
  session = start(candidate);
  const path = pathFromAddress();
  if (path) {
    await library.open(path, false);
  } else {
    library.render((await response.json()) as Listing);
  }
  history.replaceState({ path: library.path }, '', library.path ? `#${encodeURIComponent(library.path)}` : location.pathname);
  return true;
}

function start(token: string): Session {
  const hub = new Hub(token, {
    status: (device, status) => devices.status(device, status),
    state: (state, reason) => {
      const link = $('#link');
      link.textContent = state === 'open' ? 'connected' : state === 'closed' ? 'offline' : `reconnecting${reason ? ` (${reason})` : ''}`;
      link.className = `link ${state === 'open' ? 'open' : ''}`;
      if (state === 'open') void devices.refresh();
    },
    refused: () => logOut('The token was refused: log in again.'),
  });
  devices.use(hub);
  // Durations, artwork and problems arrive as probing goes: the view is read again when it ends.
  const probing = new Probing(api, () => void library.refresh());
  void probing.check();
  const timers = [
    // The hub tells about devices on request: the list is read again every few seconds.
    window.setInterval(() => void devices.refresh(), 3000),
    // Positions move between status messages while playing.
    window.setInterval(() => devices.tick(), 500),
  ];
  return { hub, probing, timers };
}

function logOut(message?: string): void {
  localStorage.removeItem(TOKEN_KEY);
  if (session) {
    session.hub.close();
    session.probing.stop();
    for (const timer of session.timers) window.clearInterval(timer);
    session = undefined;
  }
  devices.use(undefined);
  details.close();
  clearSearch();
  for (const element of ['#app', '#logout', '#search']) $(element).hidden = true;
  $('#login').hidden = false;
  if (message) show(message);
}

$('#login').addEventListener('submit', (event) => {
  event.preventDefault();
  void logIn($<HTMLInputElement>('#token').value.trim());
});
$('#logout').addEventListener('click', () => logOut());
// `/` goes to the search box, as on many sites.
document.addEventListener('keydown', (event) => {
  const target = event.target as HTMLElement;
  if (event.key !== '/' || !session || target.closest('input, select, textarea, dialog')) return;
  event.preventDefault();
  $('#search').focus();
});

// A link may carry the token once (`/?token=…`): it is kept, and taken out of the address bar.
const fromLink = new URLSearchParams(location.search).get('token');
if (fromLink) history.replaceState(null, '', location.pathname + location.hash);
const saved = fromLink ?? localStorage.getItem(TOKEN_KEY);
if (saved) void logIn(saved).then((ok) => ok || logOut());
else $('#login').hidden = false;
