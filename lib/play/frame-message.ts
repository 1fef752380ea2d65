/**
 * The binary message that carries one frame to the page, with its info as JSON. A frame of at most 256 colours
 * (every NES frame: the PPU shows at most 25 at once) goes palette-indexed, one byte a pixel, a third of raw RGB;
 * others go as raw RGB. Layout, little-endian:
 *
 *   u8 kind (1 indexed, 2 RGB) | u8 0 | u16 0 | u32 info length | info (UTF-8 JSON)
 *   | u16 width | u16 height | indexed: u16 colours, colours × RGB, width × height indices | RGB: width × height × RGB
 *
 * `web/play/play.js` reads it.
 */

export const KIND_INDEXED = 1;
export const KIND_RGB = 2;

/** Four times the most colours a table holds, so probes stay short. */
const HASH_BITS = 10;
const HASH_SIZE = 1 << HASH_BITS;

/** Encodes frames into messages, reusing its buffers between frames. */
export class FrameEncoder {
  private indices = new Uint8Array(0);
  private readonly palette = new Uint8Array(256 * 3);
  /** Open-addressing table colour -> palette index (a Map costs about 3 ms a NES frame; this a fraction). */
  private readonly keys = new Int32Array(HASH_SIZE);
  private readonly values = new Uint8Array(HASH_SIZE);

  /** The message for an RGB24 frame of `width` × `height` and its `info`. */
  encode(rgb: Uint8Array, width: number, height: number, info: unknown): Buffer {
    const json = Buffer.from(JSON.stringify(info), 'utf8');
    const pixels = width * height;
    const colours = this.index(rgb, pixels);
    const head = 8 + json.length + 4;
    if (colours === undefined) {
      const message = Buffer.allocUnsafe(head + pixels * 3);
      this.writeHead(message, KIND_RGB, json, width, height);
      message.set(rgb.subarray(0, pixels * 3), head);
      return message;
    }
    const message = Buffer.allocUnsafe(head + 2 + colours * 3 + pixels);
    this.writeHead(message, KIND_INDEXED, json, width, height);
    message.writeUInt16LE(colours, head);
    message.set(this.palette.subarray(0, colours * 3), head + 2);
    message.set(this.indices.subarray(0, pixels), head + 2 + colours * 3);
    return message;
  }

  private writeHead(message: Buffer, kind: number, json: Buffer, width: number, height: number): void {
    message.writeUInt32LE(kind, 0);
    message.writeUInt32LE(json.length, 4);
    json.copy(message, 8);
    message.writeUInt16LE(width, 8 + json.length);
    message.writeUInt16LE(height, 10 + json.length);
  }

  /** Fills `indices` and `palette`; the number of colours, or undefined past 256. */
  private index(rgb: Uint8Array, pixels: number): number | undefined {
    if (this.indices.length < pixels) this.indices = new Uint8Array(pixels);
    const { indices, palette, keys, values } = this;
    keys.fill(-1);
    let colours = 0;
    let lastColour = -1;
    let lastIndex = 0;
    for (let p = 0, o = 0; p < pixels; p++, o += 3) {
      const colour = (rgb[o] << 16) | (rgb[o + 1] << 8) | rgb[o + 2];
      if (colour !== lastColour) {
        let slot = Math.imul(colour, 0x9e3779b1) >>> (32 - HASH_BITS);
        while (keys[slot] !== colour && keys[slot] !== -1) slot = (slot + 1) & (HASH_SIZE - 1);
        if (keys[slot] === -1) {
          if (colours === 256) return undefined;
          keys[slot] = colour;
          values[slot] = colours;
          palette[colours * 3] = rgb[o];
          palette[colours * 3 + 1] = rgb[o + 1];
          palette[colours * 3 + 2] = rgb[o + 2];
          colours++;
        }
        lastColour = colour;
        lastIndex = values[slot];
      }
      indices[p] = lastIndex;
    }
    return colours;
  }
}

/** Decodes a message back into its info and RGB24 pixels (what the page does; for tests). */
export function decodeFrameMessage(message: Uint8Array): { info: unknown; width: number; height: number; rgb: Uint8Array } {
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  const kind = view.getUint8(0);
  const jsonLength = view.getUint32(4, true);
  const info = JSON.parse(new TextDecoder().decode(message.subarray(8, 8 + jsonLength))) as unknown;
  let offset = 8 + jsonLength;
  const width = view.getUint16(offset, true);
  const height = view.getUint16(offset + 2, true);
  offset += 4;
  const pixels = width * height;
  if (kind === KIND_RGB) return { info, width, height, rgb: Uint8Array.from(message.subarray(offset, offset + pixels * 3)) };
  const colours = view.getUint16(offset, true);
  const palette = message.subarray(offset + 2, offset + 2 + colours * 3);
  const indices = message.subarray(offset + 2 + colours * 3, offset + 2 + colours * 3 + pixels);
  const rgb = new Uint8Array(pixels * 3);
  for (let p = 0; p < pixels; p++) rgb.set(palette.subarray(indices[p] * 3, indices[p] * 3 + 3), p * 3);
  return { info, width, height, rgb };
}
