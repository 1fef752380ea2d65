// retro play on a pad with an analog stick: the page's `input` command carries the stick, the session steps the
// env with it, and bad sticks are refused. Our N64 test ROM (TestRom-N64 fixture) stores the stick it reads in RAM
// (stick_x, stick_y; full deflection is ±80). No browser: the commands go through a WebSocketConnection directly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import { PlaySession } from '../lib/play/play-session.ts';
import { WebSocketConnection } from '../lib/play/websocket.ts';
import { packageRoot } from '../lib/package-root.ts';

/** A socket whose output is kept as text messages are not decoded: the session's replies are read from `written`. */
class Wire extends Duplex {
  readonly written: Buffer[] = [];
  override _read(): void {}
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.written.push(chunk);
    done();
  }
}

const fixtures = join(packageRoot(), 'test', 'fixtures', 'integrations');
const dataDir = mkdtempSync(join(tmpdir(), 'rgym-play-stick-'));
process.on('exit', () => rmSync(dataDir, { recursive: true, force: true }));

async function framesLater(session: PlaySession, frames: number): Promise<void> {
  const target = session.frame + frames;
  while (session.frame < target) await new Promise((r) => setTimeout(r, 10));
}

test('the page holds the N64 stick through its input command, and a bad stick is refused', async () => {
  const session = new PlaySession({ game: 'TestRom-N64', integrationPaths: [fixtures], dataDir });
  const wire = new Wire();
  const page = new WebSocketConnection(wire);
  try {
    session.attach(page);
    const hello = Buffer.concat(wire.written).toString('latin1');
    assert.match(hello, /"sticks":1/, 'the hello tells the page the pad has a stick');
    const command = (c: unknown) => page.emit('message', Buffer.from(JSON.stringify(c)), true);
    for (const [x, y] of [[0.5, -0.25], [-1, 1], [0, 0]]) {
      command({ type: 'input', mask: 0, stick: [x, y] });
      await framesLater(session, 3);
      assert.equal(session.variables.stick_x, Math.round(x * 80));
      assert.equal(session.variables.stick_y, Math.round(y * 80));
    }
    const before = wire.written.length;
    command({ type: 'input', mask: 0, stick: [2, 0] });
    command({ type: 'input', mask: 0, stick: [0] });
    const replies = Buffer.concat(wire.written.slice(before)).toString('latin1');
    assert.equal(replies.match(/stick must be 2 numbers in \[-1, 1\]/g)?.length, 2, replies);
  } finally {
    session.close();
  }
});
