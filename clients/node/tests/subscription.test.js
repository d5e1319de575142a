'use strict';
// The resuming iterator against an in-process grpc-js server that plays a failing replica: the next call carries
// resume_after_sequence = the last sequence delivered, replayed messages are skipped, a gap counts as delivered, the
// bearer token is asked for per attempt, and NOT_FOUND ends the iteration at once.
const test = require('node:test');
const assert = require('node:assert');
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const { GatewayClient, reasonOf } = require('../src');
const { StatusType, DETAIL_TYPES } = require('../src/retry');

const E = 3_000_000_000_000n; // epoch 3
const definition = protoLoader.loadSync('rtms/gateway/v1/gateway.proto', {
  includeDirs: [path.join(__dirname, '..', '..', '..', 'protos')], keepCase: true, longs: String, enums: String, defaults: true, oneofs: true,
});
const api = grpc.loadPackageDefinition(definition).rtms.gateway.v1;

function frame(seq) {
  return { frame: { header: { sequence: seq.toString(), user_id: '0' }, data: Buffer.alloc(4) } };
}

function failure(code, reason) {
  const metadata = new grpc.Metadata();
  const info = DETAIL_TYPES['google.rpc.ErrorInfo'].encode({ reason, domain: 'rtms.gateway.v1' }).finish();
  metadata.set('grpc-status-details-bin', Buffer.from(StatusType.encode(StatusType.fromObject({ code, message: reason, details: [{ type_url: 'type.googleapis.com/google.rpc.ErrorInfo', value: info }] })).finish()));
  return { code, details: reason, metadata };
}

async function serve(handler) {
  const server = new grpc.Server();
  server.addService(api.RtmsGatewayService.service, { SubscribeAudio: handler, SubscribeTranscripts: handler });
  const port = await new Promise((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
  return { server, address: `http://127.0.0.1:${port}/` };
}

test('a failed call is resumed after the last sequence, replays are skipped and a gap counts as delivered', async () => {
  const requests = [];
  const tokens = [];
  const { server, address } = await serve((call) => {
    requests.push(call.request.target.resume_after_sequence);
    tokens.push(call.metadata.get('authorization')[0]);
    if (requests.length === 1) {
      for (let n = 1n; n <= 3n; n++) call.write(frame(E + n));
      call.write({ gap: { first_missing_sequence: (E + 4n).toString(), last_missing_sequence: (E + 5n).toString(), missed_count: '2', reason: 'REASON_RETENTION_EXCEEDED' } });
      call.emit('error', failure(grpc.status.UNAVAILABLE, 'OWNER_LOST'));
    } else {
      for (let n = 2n; n <= 7n; n++) call.write(frame(E + n)); // replays 2..5 again: the client skips them
      call.write({ ended: { stop_reason: 'ZOOM_STOP_REASON_MEETING_ENDED', description: 'ended' } });
      call.end();
    }
  });
  let issued = 0;
  const client = new GatewayClient({ addresses: [address], initialBackoffMs: 5, maxBackoffMs: 10, bearerToken: async () => `t${++issued}` });
  try {
    const seen = [];
    for await (const item of client.subscribeAudio({ rtms_stream_id: 's' })) seen.push(`${item.kind}:${item.sequence - (item.kind === 'ended' ? 0n : E)}`);
    assert.deepStrictEqual(seen, ['message:1', 'message:2', 'message:3', 'gap:5', 'message:6', 'message:7', 'ended:0']);
    assert.deepStrictEqual(requests, [undefined, (E + 5n).toString()]); // the first call is live: no resume point
    assert.deepStrictEqual(tokens, ['Bearer t1', 'Bearer t2']);
  } finally {
    client.close();
    server.forceShutdown();
  }
});

test('NOT_FOUND is thrown at once with its reason, never retried', async () => {
  let calls = 0;
  const { server, address } = await serve((call) => {
    calls++;
    call.emit('error', failure(grpc.status.NOT_FOUND, 'SESSION_NOT_FOUND'));
  });
  const client = new GatewayClient({ addresses: [address, address] });
  try {
    await assert.rejects(async () => {
      for await (const _ of client.subscribeTranscripts({ rtms_stream_id: 'missing' })) assert.fail('no item expected');
    }, (error) => error.code === grpc.status.NOT_FOUND && reasonOf(error) === 'SESSION_NOT_FOUND');
    assert.strictEqual(calls, 1);
  } finally {
    client.close();
    server.forceShutdown();
  }
});

test('retrying gives up after giveUpAfterMs without progress and throws the last error', async () => {
  let calls = 0;
  const { server, address } = await serve((call) => {
    calls++;
    call.emit('error', failure(grpc.status.UNAVAILABLE, 'DRAINING'));
  });
  const client = new GatewayClient({ addresses: [address], initialBackoffMs: 5, maxBackoffMs: 20, giveUpAfterMs: 200 });
  try {
    await assert.rejects(async () => {
      for await (const _ of client.subscribeAudio({ rtms_stream_id: 's' })) assert.fail('no item expected');
    }, (error) => error.code === grpc.status.UNAVAILABLE && reasonOf(error) === 'DRAINING');
    assert.ok(calls > 1, `${calls}`);
  } finally {
    client.close();
    server.forceShutdown();
  }
});

test('breaking out of the loop or aborting ends the subscription', async () => {
  const { server, address } = await serve((call) => {
    let n = 0n;
    const timer = setInterval(() => call.write(frame(E + ++n)), 5);
    call.on('cancelled', () => clearInterval(timer));
  });
  const client = new GatewayClient({ addresses: [address] });
  try {
    let count = 0;
    for await (const item of client.subscribeAudio({ rtms_stream_id: 's' })) if (item.kind === 'message' && ++count === 3) break;
    assert.strictEqual(count, 3);
    const abort = new AbortController();
    await assert.rejects(async () => {
      for await (const _ of client.subscribeAudio({ rtms_stream_id: 's' }, { signal: abort.signal })) abort.abort();
    });
  } finally {
    client.close();
    server.forceShutdown();
  }
});

test('the requested audio format is sent on every call, the resumed one included', async () => {
  const formats = [];
  const { server, address } = await serve((call) => {
    formats.push(call.request.format);
    if (formats.length === 1) {
      call.write(frame(E + 1n));
      call.emit('error', failure(grpc.status.UNAVAILABLE, 'DRAINING'));
    } else {
      call.write({ ended: { stop_reason: 'ZOOM_STOP_REASON_MEETING_ENDED', description: 'ended' } });
      call.end();
    }
  });
  const client = new GatewayClient({ addresses: [address], initialBackoffMs: 5, maxBackoffMs: 10 });
  try {
    const format = { codec: 'AUDIO_CODEC_L16', sample_rate_hz: 16000, channels: 1 };
    for await (const item of client.subscribeAudio({ rtms_stream_id: 's' }, { format })) void item;
    const sent = formats.map((f) => f && { codec: f.codec, sample_rate_hz: f.sample_rate_hz, channels: f.channels });
    assert.deepStrictEqual(sent, [format, format]);
  } finally {
    client.close();
    server.forceShutdown();
  }
});
