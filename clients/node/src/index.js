'use strict';
// RtmsGateway client for Node.js. Each subscribe* is an async iterator that outlives its gRPC calls: it remembers the
// last sequence delivered and, when a call ends while the session lives on, calls again (another replica when this one
// drains or died) with resume_after_sequence, so the caller's loop goes on with no code of its own. What the gateway
// could not replay arrives as a gap item, exactly once per hole; the end of the session as an ended item.
const fs = require('fs');
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const { decide, backoff, errorDetails, reasonOf } = require('./retry');
const { WavWriter } = require('./wav');

/** Where gateway.proto lives: the package's own copy (npm pack), else the repository's protos/. */
function defaultProtoRoot() {
  for (const dir of [path.join(__dirname, '..', 'protos'), path.join(__dirname, '..', '..', '..', 'protos')]) {
    if (fs.existsSync(path.join(dir, 'rtms', 'gateway', 'v1', 'gateway.proto'))) return dir;
  }
  throw new Error('rtms/gateway/v1/gateway.proto not found; pass options.protoRoot');
}

function loadApi(protoRoot) {
  const definition = protoLoader.loadSync(['rtms/gateway/v1/gateway.proto', 'rtms/gateway/v1/errors.proto'], {
    includeDirs: [protoRoot],
    keepCase: true,
    longs: String, // uint64 sequences (epoch * 1e12 + n) exceed 2^53: strings keep them exact
    enums: String,
    defaults: true,
    oneofs: true,
  });
  return grpc.loadPackageDefinition(definition).rtms.gateway.v1;
}

/** Turns "http://host:port/", "https://host:port", "dns:///name:port" or "host:port" into a grpc-js target. */
function parseAddress(address) {
  const text = String(address).trim();
  if (text.startsWith('dns:')) return { target: text, tls: false, roundRobin: true };
  const m = /^(https?):\/\/([^/]+)\/?$/.exec(text);
  if (m) return { target: m[2], tls: m[1] === 'https', roundRobin: false };
  return { target: text.replace(/\/$/, ''), tls: false, roundRobin: false };
}

function toSequence(value) {
  if (value === undefined || value === null || value === '') return null;
  return BigInt(value);
}

const sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal && signal.aborted) return reject(abortError(signal));
    const timer = setTimeout(() => {
      if (signal) signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    if (signal) signal.addEventListener('abort', onAbort, { once: true });
  });

function abortError(signal) {
  return signal && signal.reason !== undefined ? signal.reason : Object.assign(new Error('aborted'), { name: 'AbortError' });
}

class GatewayClient {
  /**
   * @param {object} options see index.d.ts (GatewayClientOptions)
   */
  constructor(options) {
    if (!options || !Array.isArray(options.addresses) || options.addresses.length === 0) {
      throw new Error('GatewayClient: options.addresses needs at least one gateway address');
    }
    this.options = {
      keepAliveIntervalMs: 20000,
      unaryDeadlineMs: 10000,
      initialBackoffMs: 100,
      maxBackoffMs: 5000,
      giveUpAfterMs: 5 * 60 * 1000,
      ...options,
    };
    if (!(this.options.initialBackoffMs > 0) || this.options.maxBackoffMs < this.options.initialBackoffMs) {
      throw new Error('GatewayClient: initialBackoffMs must be positive and maxBackoffMs at least initialBackoffMs');
    }
    this.api = loadApi(this.options.protoRoot || defaultProtoRoot());
    this.stubs = this.options.addresses.map((address) => this._open(parseAddress(address)));
    this._next = Math.floor(Math.random() * this.stubs.length);
  }

  _open({ target, tls, roundRobin }) {
    const o = this.options;
    const channelOptions = {
      'grpc.max_receive_message_length': 16 * 1024 * 1024,
      ...(o.keepAliveIntervalMs > 0
        ? { 'grpc.keepalive_time_ms': o.keepAliveIntervalMs, 'grpc.keepalive_timeout_ms': 10000, 'grpc.keepalive_permit_without_calls': 1 }
        : {}),
      ...(roundRobin ? { 'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }) } : {}),
      ...(o.channelOptions || {}),
    };
    const credentials = o.credentials || (tls ? grpc.credentials.createSsl() : grpc.credentials.createInsecure());
    return new this.api.RtmsGatewayService(target, credentials, channelOptions);
  }

  _firstReplica() {
    this._next = (this._next + 1) % this.stubs.length;
    return this._next;
  }

  async _metadata() {
    const metadata = new grpc.Metadata();
    if (this.options.bearerToken) {
      const token = await this.options.bearerToken();
      if (token) metadata.set('authorization', 'Bearer ' + token);
    }
    return metadata;
  }

  /**
   * Audio frames of one session (and gaps, and its end). options.format (an AudioFormatRequest, e.g.
   * { codec: 'AUDIO_CODEC_L16', sample_rate_hz: 16000, channels: 1 }) is asked for on every (re)connect; unset: as Zoom
   * sends it. Each frame's format says what it is.
   */
  subscribeAudio(target, options = {}) {
    return this._subscribe('SubscribeAudio', 'frame', target, options.format ? { format: { ...options.format } } : {}, options);
  }

  /** Video frames of one session; options.source (e.g. 'VIDEO_SOURCE_CAMERA') unset = camera and screen share. */
  subscribeVideo(target, options = {}) {
    return this._subscribe('SubscribeVideo', 'frame', target, options.source ? { source: options.source } : {}, options);
  }

  /** Transcript segments of one session. */
  subscribeTranscripts(target, options = {}) {
    return this._subscribe('SubscribeTranscripts', 'segment', target, {}, options);
  }

  /** Participant, sharing, state, chat and upstream events of one session. */
  subscribeEvents(target, options = {}) {
    return this._subscribe('SubscribeEvents', 'event', target, {}, options);
  }

  async *_subscribe(method, field, target, extra, { signal } = {}) {
    if (!target || typeof target !== 'object') throw new TypeError('a SubscriptionTarget is required');
    const o = this.options;
    let last = toSequence(target.resume_after_sequence);
    let replica = this._firstReplica();
    let attempt = 0;
    let lastProgress = Date.now();
    while (true) {
      const request = { target: { ...target }, ...extra };
      if (last !== null) request.target.resume_after_sequence = last.toString();
      else delete request.target.resume_after_sequence;
      const call = this.stubs[replica][method](request, await this._metadata());
      const onAbort = () => call.cancel();
      if (signal) {
        if (signal.aborted) call.cancel();
        signal.addEventListener('abort', onAbort, { once: true });
      }
      let failure = null;
      try {
        for await (const response of call) {
          let item;
          if (response[field]) {
            item = { kind: 'message', sequence: BigInt(response[field].header.sequence), message: response[field] };
          } else if (response.gap) {
            item = { kind: 'gap', sequence: BigInt(response.gap.last_missing_sequence), gap: response.gap };
          } else if (response.ended) {
            yield { kind: 'ended', sequence: 0n, ended: response.ended };
            return;
          } else {
            continue;
          }
          if (last !== null && item.sequence <= last) continue; // replayed again after a resume: already delivered
          last = item.sequence;
          attempt = 0;
          lastProgress = Date.now();
          yield item;
        }
        // Completed OK without SessionEnded: the session is over from the gateway's point of view.
        return;
      } catch (error) {
        if (typeof error.code !== 'number') throw error;
        failure = error;
      } finally {
        if (signal) signal.removeEventListener('abort', onAbort);
        call.cancel(); // no-op after the end; frees the call when the caller broke out of the loop
      }
      const decision = decide(failure, Boolean(signal && signal.aborted), backoff(attempt, o.initialBackoffMs, o.maxBackoffMs));
      if (!decision.retry || Date.now() - lastProgress > o.giveUpAfterMs) throw failure;
      if (decision.otherReplica) replica = (replica + 1) % this.stubs.length;
      attempt++;
      if (o.onRetry) o.onRetry({ error: failure, attempt, delayMs: decision.delayMs, resumeAfter: last });
      await sleep(decision.delayMs, signal);
    }
  }

  /** Every session the gateway lists, following next_page_token; each page retried on another replica while one is unavailable. */
  async listSessions({ include_stopped = false, instance_id = '', page_size = 0, signal } = {}) {
    const sessions = [];
    const request = { include_stopped, instance_id, page_size, page_token: '' };
    do {
      const page = await this._unary('ListSessions', request, signal);
      sessions.push(...page.sessions);
      request.page_token = page.next_page_token;
    } while (request.page_token);
    return sessions;
  }

  async _unary(method, request, signal) {
    const o = this.options;
    let replica = this._firstReplica();
    for (let attempt = 0; ; attempt++) {
      try {
        const metadata = await this._metadata();
        return await new Promise((resolve, reject) => {
          const call = this.stubs[replica][method](request, metadata, { deadline: Date.now() + o.unaryDeadlineMs }, (err, res) =>
            err ? reject(err) : resolve(res));
          if (signal) signal.addEventListener('abort', () => call.cancel(), { once: true });
        });
      } catch (error) {
        const decision = decide(error, Boolean(signal && signal.aborted), backoff(attempt, o.initialBackoffMs, o.maxBackoffMs));
        if (!decision.retry || attempt >= 2 * this.stubs.length) throw error;
        replica = (replica + 1) % this.stubs.length;
        await sleep(decision.delayMs, signal);
      }
    }
  }

  /** Closes every channel. */
  close() {
    for (const stub of this.stubs) stub.close();
  }
}

/** The epoch of a sequence (sequence / 1e12): which owner assigned it. */
function epochOf(sequence) {
  return BigInt(sequence) / 1_000_000_000_000n;
}

module.exports = { GatewayClient, WavWriter, errorDetails, reasonOf, epochOf, status: grpc.status, decide, backoff };
