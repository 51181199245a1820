// Just enough of a WebSocket client (RFC 6455) to talk to the Node.js inspector: the upgrade handshake, masked text
// frames out, text frames in (fragmented or not, any length), ping answered, close honoured. Node 20 has no global
// WebSocket and the inspector needs nothing more, so no dependency.
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const MAX_MESSAGE = 512 * 1024 * 1024;

const OP_CONTINUATION = 0x0;
const OP_TEXT = 0x1;
const OP_BINARY = 0x2;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;

export interface WebSocketClient {
  send(text: string): void;
  /** Every text message, in order. */
  onMessage(listener: (text: string) => void): void;
  /** Once, when the connection ends (closed by either side, reset, or too large a message). */
  onEnd(listener: (error: Error) => void): void;
  close(): void;
}

/** Connects to `ws://host:port/path`; rejects on a refused connection, a failed handshake or the deadline. */
export function connectWebSocket(url: string, timeoutMs: number): Promise<WebSocketClient> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'ws:') return Promise.reject(new Error(`not a ws: URL: ${url}`));
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const port = Number(parsed.port || 80);
  const key = randomBytes(16).toString('base64');
  const expected = createHash('sha1').update(key + GUID).digest('base64');
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    let head = Buffer.alloc(0);
    const timer = setTimeout(() => fail(new Error(`no WebSocket handshake from ${parsed.host} within ${timeoutMs} ms`)), timeoutMs);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    socket.once('error', fail);
    socket.once('connect', () => {
      socket.write(
        [
          `GET ${parsed.pathname}${parsed.search} HTTP/1.1`,
          `Host: ${parsed.host}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          `Sec-WebSocket-Key: ${key}`,
          'Sec-WebSocket-Version: 13',
          '',
          '',
        ].join('\r\n'),
      );
    });
    const onHandshake = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > 64 * 1024) fail(new Error('the WebSocket handshake response is too long'));
        return;
      }
      socket.off('data', onHandshake);
      const lines = head.subarray(0, end).toString('latin1').split('\r\n');
      const accept = lines.find((l) => /^sec-websocket-accept:/i.test(l))?.split(':')[1]?.trim();
      if (!/^HTTP\/1\.1 101\b/.test(lines[0] ?? '') || accept !== expected) {
        fail(new Error(`the WebSocket handshake was refused: ${lines[0] ?? 'no status line'}`));
        return;
      }
      clearTimeout(timer);
      socket.off('error', fail);
      resolve(new Connection(socket, head.subarray(end + 4)));
    };
    socket.on('data', onHandshake);
  });
}

class Connection implements WebSocketClient {
  /** Bytes received and not yet read as frames; joined only once the next frame is complete (no quadratic copying). */
  private chunks: Buffer[];
  private bytes: number;
  /** Bytes the next frame needs before it can be read. */
  private need = 2;
  private fragments: Buffer[] = [];
  private fragmentBytes = 0;
  private messageListener: (text: string) => void = () => {};
  private endListener: (error: Error) => void = () => {};
  private ended: Error | null = null;

  constructor(
    private readonly socket: net.Socket,
    rest: Buffer,
  ) {
    this.chunks = [rest];
    this.bytes = rest.length;
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.bytes += chunk.length;
      if (this.bytes >= this.need) this.readFrames();
    });
    socket.on('error', (error) => this.end(new Error(`the WebSocket connection was lost (${error.message})`)));
    socket.on('close', () => this.end(new Error('the WebSocket connection closed')));
  }

  send(text: string): void {
    this.writeFrame(OP_TEXT, Buffer.from(text, 'utf8'));
  }

  onMessage(listener: (text: string) => void): void {
    this.messageListener = listener;
    // Frames that arrived with the handshake.
    if (this.bytes >= this.need) this.readFrames();
  }

  onEnd(listener: (error: Error) => void): void {
    this.endListener = listener;
    if (this.ended !== null) listener(this.ended);
  }

  close(): void {
    if (this.ended === null && !this.socket.destroyed) {
      // Status 1000, normal closure; then end our side without waiting for the echo.
      this.writeFrame(OP_CLOSE, Buffer.from([0x03, 0xe8]));
      this.socket.end();
    }
    this.end(new Error('the WebSocket connection was closed'));
  }

  private end(error: Error): void {
    if (this.ended !== null) return;
    this.ended = error;
    this.socket.destroy();
    this.endListener(error);
  }

  private writeFrame(opcode: number, payload: Buffer): void {
    if (this.socket.destroyed) return;
    const length = payload.length;
    const header = length < 126 ? Buffer.alloc(2) : length < 65536 ? Buffer.alloc(4) : Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    if (length < 126) header[1] = 0x80 | length;
    else if (length < 65536) {
      header[1] = 0x80 | 126;
      header.writeUInt16BE(length, 2);
    } else {
      header[1] = 0x80 | 127;
      header.writeBigUInt64BE(BigInt(length), 2);
    }
    // A client masks every frame it sends.
    const mask = randomBytes(4);
    const masked = Buffer.alloc(length);
    for (let i = 0; i < length; i++) masked[i] = payload[i] ^ mask[i & 3];
    this.socket.write(Buffer.concat([header, mask, masked]));
  }

  private readFrames(): void {
    let buffer = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    for (;;) {
      const frame = this.nextFrame(buffer);
      if (frame === null) break;
      buffer = frame.rest;
      const { fin, opcode, payload } = frame;
      if (opcode === OP_PING) this.writeFrame(OP_PONG, payload);
      else if (opcode === OP_CLOSE) {
        this.end(new Error('the inspector closed the WebSocket connection'));
        break;
      } else if (opcode === OP_TEXT || opcode === OP_BINARY || opcode === OP_CONTINUATION) {
        this.fragments.push(payload);
        this.fragmentBytes += payload.length;
        if (this.fragmentBytes > MAX_MESSAGE) {
          this.end(new Error('a WebSocket message larger than 512 MB'));
          break;
        }
        if (fin) {
          const text = Buffer.concat(this.fragments).toString('utf8');
          this.fragments = [];
          this.fragmentBytes = 0;
          this.messageListener(text);
        }
      }
    }
    this.chunks = [buffer];
    this.bytes = buffer.length;
  }

  /** The next whole frame in `b` and the bytes after it, or null (with `need` set) until more bytes arrive. */
  private nextFrame(b: Buffer): { fin: boolean; opcode: number; payload: Buffer; rest: Buffer } | null {
    this.need = 2;
    if (b.length < 2) return null;
    const fin = (b[0] & 0x80) !== 0;
    const opcode = b[0] & 0x0f;
    const masked = (b[1] & 0x80) !== 0;
    let length = b[1] & 0x7f;
    let offset = 2;
    if (length === 126) {
      this.need = 4;
      if (b.length < 4) return null;
      length = b.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      this.need = 10;
      if (b.length < 10) return null;
      const big = b.readBigUInt64BE(2);
      if (big > BigInt(MAX_MESSAGE)) {
        this.end(new Error('a WebSocket frame larger than 512 MB'));
        return null;
      }
      length = Number(big);
      offset = 10;
    }
    const maskOffset = offset;
    if (masked) offset += 4;
    this.need = offset + length;
    if (b.length < this.need) return null;
    let payload = b.subarray(offset, offset + length);
    if (masked) {
      const mask = b.subarray(maskOffset, maskOffset + 4);
      payload = Buffer.from(payload.map((x, i) => x ^ mask[i & 3]));
    }
    return { fin, opcode, payload, rest: b.subarray(offset + length) };
  }
}
