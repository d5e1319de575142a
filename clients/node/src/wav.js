'use strict';
// WavWriter: records an audio subscription as a 16-bit PCM WAV file whose timing stays true.
const fs = require('fs');

const HEADER_BYTES = 44;

/**
 * Appends each L16 frame's samples, and each gap as silence of the missed frames' duration (missed_count x the frames'
 * frame_duration_ms; a gap that does not say how many were missed adds nothing). Subscribe with { format: wav.format }
 * so the gateway sends what the file holds. The RIFF header gets its final sizes on close(), so close it on every way
 * out (a finally block; turn SIGINT/SIGTERM into an abort, see examples/wav.js).
 */
class WavWriter {
  constructor(path, { sampleRate = 16000, channels = 1 } = {}) {
    if (channels !== 1 && channels !== 2) throw new RangeError('channels: 1 (mono) or 2 (stereo)');
    this.sampleRate = sampleRate;
    this.channels = channels;
    this.dataBytes = 0;
    this._frameMs = 0;
    this._pendingMissed = 0;
    this._fd = fs.openSync(path, 'w');
    fs.writeSync(this._fd, this._header());
  }

  /** The format to subscribe with: L16 at this file's rate and channel count. */
  get format() {
    return { codec: 'AUDIO_CODEC_L16', sample_rate_hz: this.sampleRate, channels: this.channels };
  }

  /** Seconds of audio written so far. */
  get duration() {
    return this.dataBytes / (this.sampleRate * this.channels * 2);
  }

  /** Appends a subscription item: a frame's samples or a gap's silence; the session's end adds nothing. */
  write(item) {
    if (item.kind === 'message') this.writeFrame(item.message);
    else if (item.kind === 'gap') this.writeGap(item.gap);
  }

  writeFrame(frame) {
    const f = frame.format || {};
    if (f.codec !== 'AUDIO_CODEC_L16' || f.sample_rate_hz !== this.sampleRate || f.channels !== this.channels) {
      throw new Error(`frame ${frame.header.sequence} is ${f.codec} ${f.sample_rate_hz} Hz ${f.channels} ch, not L16 ` +
        `${this.sampleRate} Hz ${this.channels} ch: subscribe with { format: wav.format }`);
    }
    if (f.frame_duration_ms) {
      this._frameMs = f.frame_duration_ms;
      this.writeSilence((this._pendingMissed * this._frameMs) / 1000);
      this._pendingMissed = 0;
    }
    this._append(frame.data);
  }

  /** Silence for the frames the gap says were missed (held back until a frame gives their duration). */
  writeGap(gap) {
    const missed = Number(gap.missed_count);
    if (!this._frameMs) this._pendingMissed += missed;
    else this.writeSilence((missed * this._frameMs) / 1000);
  }

  writeSilence(seconds) {
    const bytes = Math.round(seconds * this.sampleRate) * this.channels * 2;
    if (bytes > 0) this._append(Buffer.alloc(bytes));
  }

  /** Patches the header with the final sizes and closes the file (again: no-op). */
  close() {
    if (this._fd === null) return;
    fs.writeSync(this._fd, this._header(), 0, HEADER_BYTES, 0);
    fs.closeSync(this._fd);
    this._fd = null;
  }

  _append(data) {
    fs.writeSync(this._fd, data, 0, data.length, HEADER_BYTES + this.dataBytes);
    this.dataBytes += data.length;
  }

  _header() {
    const size = Math.min(this.dataBytes, 0xffffffff - 36);
    const h = Buffer.alloc(HEADER_BYTES);
    h.write('RIFF', 0, 'ascii');
    h.writeUInt32LE(36 + size, 4);
    h.write('WAVEfmt ', 8, 'ascii');
    h.writeUInt32LE(16, 16); // PCM format chunk
    h.writeUInt16LE(1, 20); // PCM
    h.writeUInt16LE(this.channels, 22);
    h.writeUInt32LE(this.sampleRate, 24);
    h.writeUInt32LE(this.sampleRate * this.channels * 2, 28);
    h.writeUInt16LE(this.channels * 2, 32);
    h.writeUInt16LE(16, 34);
    h.write('data', 36, 'ascii');
    h.writeUInt32LE(size, 40);
    return h;
  }
}

module.exports = { WavWriter };
