// The scaffolding commands share (lib/cli/command.ts): the same help behind --help, -h and `retro help <command>`,
// option groups under their own headings, usage errors that carry the usage line.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { defineCommand } from '../lib/cli/command.ts';
import { MAIN_HELP, runCli } from '../lib/cli/dispatch.ts';
import { captureIO, tempDir } from './fixtures/helpers.ts';

const tmp = tempDir();
after(() => tmp.cleanup());
const io = () => captureIO({ HOME: tmp.dir }, tmp.dir);

/** Command names as `retro --help` lists them. */
const commands = [...MAIN_HELP.matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1]);

describe('every command', () => {
  test('retro --help lists the commands this test walks', () => {
    for (const command of ['play', 'integrate', 'dataset', 'eval', 'playback', 'import']) assert.ok(commands.includes(command), command);
  });

  test('--help and `retro help <command>` print the same usage text', async () => {
    for (const command of commands) {
      const long = io();
      assert.equal(await runCli([command, '--help'], long), 0, command);
      assert.ok(long.out().startsWith(`Usage: retro ${command}`), long.out());
      assert.equal(long.err(), '');
      const viaHelp = io();
      assert.equal(await runCli(['help', command], viaHelp), 0, command);
      assert.equal(viaHelp.out(), long.out(), command);
    }
  });

  test('declared with defineCommand: -h is --help, and the help ends with it', async () => {
    // train keeps its own flag table (typed values, --no- negations, defaults in the help).
    for (const command of commands.filter((c) => c !== 'train')) {
      const long = io();
      await runCli([command, '--help'], long);
      const short = io();
      assert.equal(await runCli([command, '-h'], short), 0, command);
      assert.equal(short.out(), long.out(), command);
      assert.match(long.out(), /\n {2}-h, --help {16}Show this help\n/, command);
    }
  });

  test('an unknown option is a usage error naming it, with the usage line and where the help is', async () => {
    // cores reads its first argument as a subcommand.
    const before: Record<string, string[]> = { cores: ['list'] };
    for (const command of commands.filter((c) => c !== 'train')) {
      const c = io();
      assert.equal(await runCli([command, ...(before[command] ?? []), '--bogus'], c), 2, command);
      assert.match(c.err(), new RegExp(`^retro ${command}: Unknown option '--bogus'.*\\nUsage: retro ${command}.*\\n(.*\\n)?Run 'retro ${command} --help' for details\\.\\n$`), c.err());
      assert.equal(c.out(), '');
    }
  });
});

describe('defineCommand', () => {
  const probe = defineCommand({
    name: 'probe',
    usage: 'retro probe <x> [options]',
    about: 'Probes x.',
    options: { depth: { type: 'string', value: '<n>', help: 'How deep' } },
    optionGroups: [
      { heading: 'Output options', options: { quiet: { type: 'boolean', short: 'q', help: 'Say less' } } },
      { heading: 'Page options', options: { port: { type: 'string', value: '<n>', help: 'Port to try first\n(default: any)' } } },
    ],
  });

  test('option groups follow the options, each under its heading; -h, --help ends the last', () => {
    assert.equal(
      probe.help,
      'Usage: retro probe <x> [options]\n\nProbes x.\n\nOptions:\n  --depth <n>               How deep\n\n' +
        'Output options:\n  -q, --quiet               Say less\n\n' +
        'Page options:\n  --port <n>                Port to try first\n                            (default: any)\n  -h, --help                Show this help\n',
    );
  });

  test('options of every group are parsed; `only` keeps some of them', () => {
    const c = io();
    const parsed = probe.parse(['x', '--depth', '3', '-q', '--port', '80'], c);
    assert.ok(!('exit' in parsed), c.err());
    assert.deepEqual({ ...parsed.values }, { depth: '3', quiet: true, port: '80' });
    assert.deepEqual(parsed.positionals, ['x']);
    const narrowed = io();
    assert.deepEqual(probe.parse(['--port', '80'], narrowed, ['depth']), { exit: 2 });
    assert.match(narrowed.err(), /^retro probe: Unknown option '--port'/);
  });
});

test("retro integrate's help lists the page's options under their own heading", async () => {
  const c = io();
  assert.equal(await runCli(['integrate', '--help'], c), 0);
  const [general, page] = c.out().split('\nPage options:\n');
  assert.ok(page, c.out());
  for (const option of ['--name', '--dir', '--no-import']) assert.match(general, new RegExp(`^ {2}${option} `, 'm'), option);
  for (const option of ['--state', '--scenario', '--port', '--no-open', '--data-dir', '-h, --help']) assert.match(page, new RegExp(`^ {2}${option} `, 'm'), option);
});
