// The console's shell: hash routes, the signed-in caller in the header, one page at a time.
// Leaving a page aborts what it still runs (its live stream, its pending requests).
import { ApiError, session } from './api.js';
import { errorBox } from './dom.js';
import { showSignIn } from './signin.js';
import { showFleet } from './fleet.js';
import { showClips } from './clips.js';
import { showClip } from './clip.js';
import { showTriggers } from './triggers.js';
import { showEditor } from './editor.js';
import { showModel, showModels } from './models.js';
import { showModelCompare } from './model-compare.js';
import { showPulls } from './pulls.js';

const view = document.getElementById('view');
let current = null;

function parse(hash) {
  const [path, query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { parts, params: new URLSearchParams(query) };
}

function header() {
  const who = session.who();
  const signedIn = Boolean(session.token() && who);
  document.getElementById('nav').hidden = !signedIn;
  document.getElementById('signout').hidden = !signedIn;
  const badge = document.getElementById('who');
  badge.hidden = !signedIn;
  if (signedIn) {
    badge.textContent = `${who.name} · ${who.role}`;
    badge.dataset.role = who.role;
  }
}

/** Sends the browser to the sign-in page with a message (an expired or unknown token, a sign-out). */
export function signInAgain(message) {
  session.clear();
  sessionStorage.setItem('dce.console.message', message);
  location.hash = '#/signin';
}

async function route() {
  current?.abort();
  const controller = new AbortController();
  current = controller;
  const { parts, params } = parse(location.hash);
  header();
  const page = parts[0] ?? 'fleet';
  for (const link of document.querySelectorAll('#nav a')) {
    link.classList.toggle('active', link.dataset.route === ({ clip: 'clips', editor: 'triggers' }[page] ?? page));
  }
  if (page !== 'signin' && !session.token()) {
    location.hash = '#/signin';
    return;
  }
  view.replaceChildren();
  try {
    switch (page) {
      case 'signin':
        await showSignIn(view, controller.signal);
        break;
      case 'fleet':
        await showFleet(view, params, controller.signal);
        break;
      case 'clips':
        await showClips(view, params, controller.signal);
        break;
      case 'clip':
        await showClip(view, parts[1] ?? '', controller.signal);
        break;
      case 'triggers':
        await showTriggers(view, params, controller.signal);
        break;
      case 'editor':
        await showEditor(view, params, controller.signal);
        break;
      case 'models':
        if (parts[2] === 'compare') {
          await showModelCompare(view, parts[1] ?? '', params, controller.signal);
          break;
        }
        await (parts[1] ? showModel(view, parts[1], params, controller.signal) : showModels(view, controller.signal));
        break;
      case 'pulls':
        await showPulls(view, params, controller.signal);
        break;
      default:
        view.replaceChildren(errorBox(`There is no page '${page}'.`));
    }
  } catch (e) {
    if (controller.signal.aborted) return;
    if (e instanceof ApiError && e.status === 401) {
      signInAgain(`Your token is no longer accepted (${e.message}). It may have expired or been removed: sign in again.`);
      return;
    }
    view.append(errorBox(e instanceof ApiError ? e.message : `Something went wrong: ${e.message}`));
  }
}

document.getElementById('signout').addEventListener('click', () => signInAgain('Signed out.'));
window.addEventListener('hashchange', route);
route();
