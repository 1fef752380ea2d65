import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { RetroError } from '../lib/errors.ts';
import { inspectIntegration, loadIntegration } from '../lib/integration/integration.ts';
import { formatProblem, type Problem } from '../lib/integration/problems.ts';
import { parseRomSha } from '../lib/integration/rom-sha.ts';
import { systemOfGame } from '../lib/integration/systems.ts';
import { copyFixture, editJson, FIXTURE_INTEGRATIONS, tempDir } from './fixtures/helpers.ts';

const tmp = tempDir();
after(() => tmp.cleanup());
let counter = 0;

/** A fresh copy of a fixture to break. */
function copy(name = 'TestGame-Nes', as = name): string {
  const root = join(tmp.dir, `case${counter++}`);
  mkdirSync(root);
  return copyFixture(name, root, as);
}

function problemsOf(dir: string): Problem[] {
  return inspectIntegration(dir).problems;
}

function summary(problems: Problem[]): [string, string, string][] {
  return problems.map((p) => [p.code, p.file.split('/').at(-1)!, p.pointer]);
}

describe('loadIntegration', () => {
  test('loads the NES fixture into a typed object', () => {
    const integration = loadIntegration(join(FIXTURE_INTEGRATIONS, 'TestGame-Nes'));
    assert.equal(integration.name, 'TestGame-Nes');
    assert.equal(integration.system, 'nes');
    assert.equal(integration.dir, join(FIXTURE_INTEGRATIONS, 'TestGame-Nes'));
    assert.deepEqual(integration.data.info.lives, { address: 1880, type: '|u1' });
    assert.equal(integration.data.info.level.mask, 15);
    assert.deepEqual(Object.keys(integration.scenarios), ['scenario', 'speedrun']);
    assert.equal(integration.scenarios.scenario.done?.variables?.lives.op, 'zero');
    assert.equal(integration.scenarios.speedrun.reward?.script, 'lua:speed_reward');
    assert.equal(integration.metadata.default_state, 'Level1');
    assert.deepEqual(integration.metadata.states?.Start.recipe?.[1], { frames: 2, buttons: ['START'] });
    assert.deepEqual(integration.romShas, ['0dede0d46ac46f46bbb46e4bb7957bfa81d287e1']);
    assert.deepEqual(integration.states, ['Level1', '_Debug']);
  });

  test('loads the SNES all-types fixture; rom.sha is read leniently (case, blank lines)', () => {
    const integration = loadIntegration(join(FIXTURE_INTEGRATIONS, 'AllTypes-Snes'));
    assert.equal(integration.system, 'snes');
    assert.deepEqual(integration.romShas, ['3611f71958e8d787511bd791292758f47513f5e8']);
    assert.deepEqual(integration.metadata.tags, ['fixture']);
  });

  test('metadata.json and extra scenarios are optional', () => {
    const dir = copy();
    rmSync(join(dir, 'metadata.json'));
    rmSync(join(dir, 'speedrun.json'));
    const integration = loadIntegration(dir);
    assert.deepEqual(integration.metadata, {});
    assert.deepEqual(Object.keys(integration.scenarios), ['scenario']);
  });

  test('throws the first problem code with every problem in details', () => {
    const dir = copy();
    writeFileSync(join(dir, 'data.json'), '{"info": {"lives": {"address": 1880, "type": "|u1"},}}');
    assert.throws(
      () => loadIntegration(dir),
      (error: unknown) => {
        assert.ok(error instanceof RetroError);
        assert.equal(error.code, 'JSON_INVALID');
        assert.equal(error.details.file, join(dir, 'data.json'));
        assert.match(error.message, /data\.json:1:52: invalid JSON: trailing comma/);
        assert.deepEqual([error.details.line, error.details.column], [1, 52]);
        return true;
      },
    );
  });
});

describe('cross checks', () => {
  test('a variable a scenario names must exist in data.json: SCENARIO_INVALID with file and pointer', () => {
    const dir = copy();
    editJson(join(dir, 'scenario.json'), (s) => {
      s.reward.variables.scroe = { reward: 1 };
      s.done.nodes = { inner: { variables: { hp: { op: 'zero' } } } };
    });
    const problems = problemsOf(dir);
    assert.deepEqual(summary(problems), [
      ['SCENARIO_INVALID', 'scenario.json', '/reward/variables/scroe'],
      ['SCENARIO_INVALID', 'scenario.json', '/done/nodes/inner/variables/hp'],
    ]);
    assert.match(problems[0].message, /variable 'scroe' is not defined in data\.json \(did you mean 'score'\?\)/);
    assert.throws(() => loadIntegration(dir), { code: 'SCENARIO_INVALID' });
  });

  test('per-player rewards are checked too', () => {
    const dir = copy();
    editJson(join(dir, 'scenario.json'), (s) => (s.rewards = [{}, { variables: { p2_score: { reward: 1 } } }]));
    assert.deepEqual(summary(problemsOf(dir)), [['SCENARIO_INVALID', 'scenario.json', '/rewards/1/variables/p2_score']]);
  });

  test('scripts must exist and define the functions named', () => {
    const dir = copy();
    editJson(join(dir, 'speedrun.json'), (s) => {
      s.scripts = ['script.lua', 'missing.lua', 'notes.txt'];
      s.reward.script = 'lua:speed_rewardz';
      s.done.script = 'ts:out_of_time';
    });
    writeFileSync(join(dir, 'notes.txt'), 'x');
    const problems = problemsOf(dir);
    assert.deepEqual(summary(problems), [
      ['SCENARIO_INVALID', 'speedrun.json', '/scripts/1'],
      ['SCENARIO_INVALID', 'speedrun.json', '/scripts/2'],
      ['SCENARIO_INVALID', 'speedrun.json', '/reward/script'],
      ['SCENARIO_INVALID', 'speedrun.json', '/done/script'],
    ]);
    assert.match(problems[0].message, /script file 'missing\.lua' not found/);
    assert.match(problems[1].message, /cannot tell the language/);
    assert.match(problems[2].message, /function 'speed_rewardz' is not defined in script\.lua/);
    assert.match(problems[3].message, /'ts:out_of_time' needs a TypeScript file listed in 'scripts'/);
  });

  test('action buttons must be buttons of the system', () => {
    const dir = copy();
    editJson(join(dir, 'scenario.json'), (s) => (s.actions = [[[], ['A'], ['C']], [[], ['START', 'Z']]]));
    const problems = problemsOf(dir);
    assert.deepEqual(summary(problems), [
      ['SCENARIO_INVALID', 'scenario.json', '/actions/0/2/0'],
      ['SCENARIO_INVALID', 'scenario.json', '/actions/1/1/1'],
    ]);
    assert.match(problems[0].message, /unknown button 'C' for system nes \(buttons: B, SELECT, START, UP, DOWN, LEFT, RIGHT, A\)/);
  });

  test('metadata: start states must exist as a file or a recipe; check variables and recipe buttons must exist', () => {
    const dir = copy();
    editJson(join(dir, 'metadata.json'), (m) => {
      m.default_state = 'Levle1';
      m.default_player_state = ['Start', 'Level1.state', 'TwoPlayers'];
      m.states.Start.check.hp = { op: 'zero' };
      m.states.Start.recipe.push({ frames: 1, buttons: ['X'] });
    });
    const problems = problemsOf(dir);
    assert.deepEqual(summary(problems), [
      ['STATE_NOT_FOUND', 'metadata.json', '/default_state'],
      ['STATE_NOT_FOUND', 'metadata.json', '/default_player_state/2'],
      ['METADATA_INVALID', 'metadata.json', '/states/Start/check/hp'],
      ['METADATA_INVALID', 'metadata.json', '/states/Start/recipe/3/buttons/0'],
    ]);
    assert.match(problems[0].message, /state 'Levle1' has neither a Levle1\.state file nor a recipe \(did you mean 'Level1'\?\)/);
  });

  test('names that are Object.prototype members are not mistaken for defined variables', () => {
    const dir = copy();
    editJson(join(dir, 'scenario.json'), (s) => (s.reward.variables = { constructor: { reward: 1 }, toString: { reward: 1 } }));
    assert.equal(problemsOf(dir).length, 2);
  });

  test('cross checks wait for valid files: a schema problem is reported alone', () => {
    const dir = copy();
    editJson(join(dir, 'scenario.json'), (s) => (s.reward.variables.nope = { reward: 'x' }));
    assert.deepEqual(summary(problemsOf(dir)), [['SCHEMA_INVALID', 'scenario.json', '/reward/variables/nope/reward']]);
  });
});

describe('folder-level problems', () => {
  test('missing rom.sha, missing data.json, bad rom.sha lines', () => {
    const dir = copy();
    rmSync(join(dir, 'rom.sha'));
    rmSync(join(dir, 'data.json'));
    assert.deepEqual(summary(problemsOf(dir)), [
      ['FILE_NOT_FOUND', 'rom.sha', ''],
      ['FILE_NOT_FOUND', 'data.json', ''],
    ]);
    const parsed = parseRomSha('0dede0d46ac46f46bbb46e4bb7957bfa81d287e1\n  not-a-sha\n', 'rom.sha');
    assert.deepEqual(parsed.shas, ['0dede0d46ac46f46bbb46e4bb7957bfa81d287e1']);
    assert.equal(formatProblem(parsed.problems[0]), "rom.sha:2:3: 'not-a-sha' is not a SHA-1 (40 hex digits)");
    assert.equal(parseRomSha('\n\n', 'rom.sha').problems.length, 1);
  });

  test('folder names need a system with a descriptor; stable-retro names are mapped', () => {
    assert.deepEqual(summary(problemsOf(copy('TestGame-Nes', 'TestGame-Saturn'))), [['SYSTEM_UNKNOWN', 'TestGame-Saturn', '']]);
    assert.deepEqual(summary(problemsOf(copy('TestGame-Nes', 'TestGame'))), [['SYSTEM_UNKNOWN', 'TestGame', '']]);
    assert.match(problemsOf(copy('TestGame-Nes', 'TestGame'))[0].message, /<Game>-<System>.*nes/);
    assert.equal(systemOfGame('AddamsFamily-GameBoy'), 'gb');
    assert.equal(systemOfGame('Foo-GbAdvance'), 'gba');
    assert.equal(systemOfGame('Super-Mario-Kart-Snes'), 'snes');
    assert.equal(systemOfGame('NoSystem'), undefined);
  });

  test('not a folder', () => {
    assert.deepEqual(summary(problemsOf(join(tmp.dir, 'absent'))), [['FILE_NOT_FOUND', 'absent', '']]);
  });
});
