/**
 * The integration builder behind `retro integrate`'s page: RAM search, watch list, variables, a live preview of
 * draft reward and done rules, and start states, over the game a {@link PlaySession} runs. The page posts JSON
 * commands ({@link IntegrateApi.handle}); every write goes through lib/integrate/, so it is validated and atomic.
 */

import { ArgumentError } from '../errors.ts';
import {
  addVariable,
  ramViewOf,
  RamSearch,
  removeVariable,
  saveStartState,
  ScenarioPreview,
  WatchList,
  writeScenario,
  isSearchType,
  SEARCH_COMPARISONS,
  SEARCH_TYPES,
  type SearchComparison,
  type SearchType,
} from '../integrate/index.ts';
import { readerOf, widthOf } from '../integrate/search-types.ts';
import type { GameData, Scenario } from '../integration/types.ts';
import { join } from 'node:path';
import { packageRoot } from '../package-root.ts';
import type { PageExtension } from './page-extension.ts';
import type { PlaySession } from './play-session.ts';

/** Most candidates one live request returns: the page shows a page of them, not thousands. */
const MAX_PAGE = 100;

/** What the preview of the draft rules has seen since it started or the game was reset. */
interface PreviewState {
  preview: ScenarioPreview;
  scenario: Scenario;
  reward: number;
  return: number;
  done: boolean;
  steps: number;
}

type Body = Record<string, unknown>;

export class IntegrateApi {
  private search: RamSearch | undefined;
  private readonly watch: WatchList;
  private data: GameData;
  private draft: PreviewState | undefined;

  constructor(private readonly session: PlaySession) {
    const { env } = session;
    this.watch = new WatchList(env.emulator);
    this.data = env.integration.data;
    session.onStep = (info) => this.previewStep(info);
    session.onReset = (info) => this.previewReset(info);
  }

  /** The integration folder the builder writes into. */
  get dir(): string {
    return this.session.env.integration.dir;
  }

  /**
   * Runs one command from the page.
   * @throws RetroError for bad input (the server answers 400 with its message and field).
   */
  handle(command: string, body: Body): unknown {
    switch (command) {
      case 'describe':
        return this.describe();
      case 'live':
        return this.live(body);
      case 'search-start':
        return this.startSearch(body);
      case 'search-filter':
        return this.filter(body);
      case 'search-update-previous':
        this.requireSearch().updatePrevious();
        return this.live(body);
      case 'search-undo':
        this.requireSearch().undo();
        return this.live(body);
      case 'watch-add':
        this.watch.add({ address: integer(body.address, 'address'), type: searchType(body.type), name: optionalString(body.name) });
        return this.live(body);
      case 'watch-remove':
        this.watch.remove(integer(body.address, 'address'), searchType(body.type));
        return this.live(body);
      case 'add-variable':
        return this.addVariable(body);
      case 'remove-variable':
        this.data = removeVariable(this.dir, text(body.name, 'name'));
        return { variables: this.variableList() };
      case 'preview':
        return this.startPreview(body);
      case 'write-scenario':
        writeScenario(this.dir, scenarioOf(body.scenario), text(body.name ?? 'scenario', 'scenario-name'));
        return { written: `${String(body.name ?? 'scenario')}.json` };
      case 'save-state': {
        const metadata = saveStartState(this.dir, text(body.name, 'state-name'), this.session.env.saveState(), { setDefault: body.setDefault === true });
        return { states: Object.keys(metadata.states ?? {}), defaultState: metadata.default_state ?? null };
      }
      default:
        throw new ArgumentError('INVALID_ARGUMENT', `unknown integrate command '${command}'`);
    }
  }

  private describe(): unknown {
    return {
      dir: this.dir,
      types: SEARCH_TYPES,
      comparisons: SEARCH_COMPARISONS,
      variables: this.variableList(),
      scenario: this.session.env.integration.scenarios.scenario ?? { reward: { variables: {} } },
    };
  }

  /** Everything that changes while playing: candidates with their values, watched values, the preview. */
  private live(body: Body): unknown {
    const start = body.start === undefined ? 0 : integer(body.start, 'start');
    const count = Math.min(MAX_PAGE, body.count === undefined ? 20 : integer(body.count, 'count'));
    return {
      search: this.search ? { ...this.search.status(), start, candidates: this.search.page(start, count) } : null,
      watch: this.watch.values(),
      preview: this.draft ? { reward: this.draft.reward, return: this.draft.return, done: this.draft.done, steps: this.draft.steps } : null,
    };
  }

  private startSearch(body: Body): unknown {
    this.search = new RamSearch(ramViewOf(this.session.env.emulator), { type: searchType(body.type ?? '|u1'), aligned: body.aligned === true });
    return this.live(body);
  }

  private filter(body: Body): unknown {
    const op = body.op;
    if (typeof op !== 'string' || !(SEARCH_COMPARISONS as readonly string[]).includes(op)) {
      throw new ArgumentError('INVALID_ARGUMENT', `choose a comparison: ${SEARCH_COMPARISONS.join(', ')}`, { field: 'op' });
    }
    // An empty number box means "the previous value".
    const value = body.value === undefined || body.value === null || body.value === '' ? undefined : integer(Number(body.value), 'value');
    this.requireSearch().filter({ op: op as SearchComparison, value });
    return this.live(body);
  }

  private addVariable(body: Body): unknown {
    const name = text(body.name, 'name');
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new ArgumentError('INVALID_ARGUMENT', `'${name}' cannot name a variable: a letter or '_', then letters, digits or '_'`, { field: 'name' });
    }
    const address = integer(body.address, 'address');
    const type = searchType(body.type);
    this.data = addVariable(this.dir, name, { address, type });
    // Watched under its new name, so its value shows at once (the running env reads data.json at start only).
    this.watch.add({ address, type, name });
    return { variables: this.variableList(), ...(this.live(body) as object) };
  }

  private startPreview(body: Body): unknown {
    const scenario = scenarioOf(body.scenario);
    const preview = new ScenarioPreview(this.data, scenario);
    this.draft = { preview, scenario, reward: 0, return: 0, done: false, steps: 0 };
    preview.reset(this.values(this.session.variables));
    return this.live(body);
  }

  private previewStep(info: Readonly<Record<string, number>>): void {
    const draft = this.draft;
    if (!draft) return;
    const { reward, done } = draft.preview.update(this.values(info));
    draft.reward = reward;
    if (!draft.done) draft.return += reward;
    draft.done ||= done;
    draft.steps++;
  }

  private previewReset(info: Readonly<Record<string, number>>): void {
    const draft = this.draft;
    if (!draft) return;
    draft.preview.reset(this.values(info));
    Object.assign(draft, { reward: 0, return: 0, done: false, steps: 0 });
  }

  /**
   * The env's variables plus those data.json gained since the env started, read from RAM here (integer types a
   * search finds; other new types wait for the next `retro integrate`).
   */
  private values(info: Readonly<Record<string, number>>): Record<string, number> {
    const out: Record<string, number> = { ...info };
    const { emulator } = this.session.env;
    for (const [name, spec] of Object.entries(this.data.info ?? {})) {
      if (name in out || !isSearchType(spec.type)) continue;
      out[name] = readerOf(spec.type)(emulator.read(spec.address, widthOf(spec.type)), 0);
    }
    return out;
  }

  private variableList(): { name: string; address: number; type: string }[] {
    return Object.entries(this.data.info ?? {}).map(([name, spec]) => ({ name, address: spec.address, type: spec.type }));
  }

  private requireSearch(): RamSearch {
    if (!this.search) throw new ArgumentError('INVALID_ARGUMENT', 'take a snapshot first (Start search)', { field: 'search' });
    return this.search;
  }
}

/** The builder as a panel of the play page: web/integrate/'s script and style, and the commands above. */
export function integratePanel(session: PlaySession): PageExtension {
  const api = new IntegrateApi(session);
  const dir = join(packageRoot(), 'web', 'integrate');
  return {
    assets: {
      '/integrate.js': { path: join(dir, 'integrate.js'), type: 'text/javascript; charset=utf-8' },
      '/integrate.css': { path: join(dir, 'integrate.css'), type: 'text/css; charset=utf-8' },
    },
    head: '<link rel="stylesheet" href="integrate.css?token={{TOKEN}}">\n<script type="module" src="integrate.js?token={{TOKEN}}"></script>',
    handle: (command, body) => api.handle(command, body),
  };
}

function integer(value: unknown, field: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw new ArgumentError('INVALID_ARGUMENT', `${field} must be an integer, got ${JSON.stringify(value)}`, { field });
  return n;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new ArgumentError('INVALID_ARGUMENT', `give a ${field.replace('-', ' ')}`, { field });
  return value.trim();
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function searchType(value: unknown): SearchType {
  if (!isSearchType(value)) throw new ArgumentError('INVALID_ARGUMENT', `type must be one of ${SEARCH_TYPES.join(', ')}, got ${JSON.stringify(value)}`, { field: 'type' });
  return value;
}

function scenarioOf(value: unknown): Scenario {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ArgumentError('INVALID_ARGUMENT', 'the rules must be a JSON object (a scenario.json)', { field: 'scenario' });
  }
  return value as Scenario;
}
