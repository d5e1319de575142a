'use strict';
// Unit tests of the retry decisions (node --test), the same cases as the C# client's RetryPolicy tests.
const test = require('node:test');
const assert = require('node:assert');
const grpc = require('@grpc/grpc-js');
const { decide, backoff, errorDetails, StatusType, DETAIL_TYPES } = require('../src/retry');
const { status: Code } = grpc;

function error(code, reason, retryDelayMs) {
  const details = [];
  if (reason !== undefined) {
    details.push({ type_url: 'type.googleapis.com/google.rpc.ErrorInfo', value: DETAIL_TYPES['google.rpc.ErrorInfo'].encode({ reason, domain: 'rtms.gateway.v1' }).finish() });
  }
  if (retryDelayMs !== undefined) {
    const retry = { retry_delay: { seconds: Math.floor(retryDelayMs / 1000), nanos: (retryDelayMs % 1000) * 1e6 } };
    details.push({ type_url: 'type.googleapis.com/google.rpc.RetryInfo', value: DETAIL_TYPES['google.rpc.RetryInfo'].encode(DETAIL_TYPES['google.rpc.RetryInfo'].fromObject(retry)).finish() });
  }
  const metadata = new grpc.Metadata();
  metadata.set('grpc-status-details-bin', Buffer.from(StatusType.encode(StatusType.fromObject({ code, message: reason || '', details })).finish()));
  return Object.assign(new Error(reason || 'failed'), { code, details: reason || '', metadata });
}

const cases = [
  [Code.NOT_FOUND, 'SESSION_NOT_FOUND', false],
  [Code.INVALID_ARGUMENT, 'INVALID_TARGET', false],
  [Code.OUT_OF_RANGE, 'FUTURE_RESUME_POINT', false],
  [Code.PERMISSION_DENIED, 'NOT_ALLOWED', false],
  [Code.UNAUTHENTICATED, 'CREDENTIALS_REQUIRED', false],
  [Code.FAILED_PRECONDITION, 'INDIVIDUAL_VIDEO_UNAVAILABLE', false],
  [Code.UNAVAILABLE, 'DRAINING', true],
  [Code.UNAVAILABLE, 'OWNER_LOST', true],
  [Code.RESOURCE_EXHAUSTED, 'SUBSCRIBER_TOO_SLOW', true],
  [Code.RESOURCE_EXHAUSTED, 'WATCHER_TOO_SLOW', true],
  [Code.CANCELLED, undefined, true],
  [Code.UNKNOWN, undefined, true],
  [Code.INTERNAL, undefined, true],
  [Code.DEADLINE_EXCEEDED, undefined, true],
];
for (const [code, reason, retried] of cases) {
  test(`${Code[code]} ${reason || '(no details)'} is ${retried ? '' : 'not '}retried, and never after the caller cancelled`, () => {
    assert.strictEqual(decide(error(code, reason), false, 10).retry, retried);
    assert.strictEqual(decide(error(code, reason), true, 10).retry, false);
  });
}

test('UNAVAILABLE without any details (a dropped connection) moves to the next replica', () => {
  const e = Object.assign(new Error('Connection dropped'), { code: Code.UNAVAILABLE, metadata: new grpc.Metadata() });
  assert.deepStrictEqual(decide(e, false, 10), { retry: true, delayMs: 10, otherReplica: true });
});

test('a full session is retried on the next replica no sooner than RetryInfo says', () => {
  const full = decide(error(Code.RESOURCE_EXHAUSTED, 'SUBSCRIBER_LIMIT', 5000), false, 10);
  assert.strictEqual(full.retry, true);
  assert.strictEqual(full.otherReplica, true);
  assert.ok(full.delayMs >= 5000, `${full.delayMs}`);
  // The backoff wins when it is longer than the advice.
  assert.strictEqual(decide(error(Code.UNAVAILABLE, 'DRAINING', 100), false, 300).delayMs, 300);
  assert.strictEqual(decide(error(Code.UNAVAILABLE, 'DRAINING', 1500), false, 300).delayMs, 1500);
});

test('a limit without RetryInfo (not the gateway\'s) is not retried blindly', () => {
  assert.strictEqual(decide(error(Code.RESOURCE_EXHAUSTED, 'SOMETHING_ELSE'), false, 10).retry, false);
  assert.strictEqual(decide(Object.assign(new Error('x'), { code: Code.RESOURCE_EXHAUSTED, metadata: new grpc.Metadata() }), false, 10).retry, false);
});

test('an overflow resumes on the same replica, at once or after RetryInfo', () => {
  assert.deepStrictEqual(decide(error(Code.RESOURCE_EXHAUSTED, 'SUBSCRIBER_TOO_SLOW'), false, 10), { retry: true, delayMs: 0, otherReplica: false });
  assert.deepStrictEqual(decide(error(Code.RESOURCE_EXHAUSTED, 'SUBSCRIBER_TOO_SLOW', 250), false, 10), { retry: true, delayMs: 250, otherReplica: false });
});

test('the status details are decoded: reason and retry delay', () => {
  const d = errorDetails(error(Code.UNAVAILABLE, 'OWNER_LOST', 1500));
  assert.strictEqual(d.errorInfo.reason, 'OWNER_LOST');
  assert.strictEqual(d.errorInfo.domain, 'rtms.gateway.v1');
  assert.strictEqual(String(d.retryInfo.retry_delay.seconds), '1');
  assert.strictEqual(d.retryInfo.retry_delay.nanos, 500000000);
  assert.strictEqual(errorDetails({ code: 14, metadata: new grpc.Metadata() }), null);
});

test('backoff grows to its cap and is jittered in [nominal/2, nominal]', () => {
  const waits = Array.from({ length: 200 }, () => backoff(10, 100, 2000));
  for (const w of waits) assert.ok(w >= 1000 && w <= 2000, `${w}`);
  assert.ok(new Set(waits).size > 100, 'waits must not be synchronised across clients');
  for (let i = 0; i < 50; i++) {
    const w = backoff(0, 100, 2000);
    assert.ok(w >= 50 && w <= 100, `${w}`);
  }
  assert.strictEqual(backoff(3, 100, 2000, () => 0), 400);
  assert.strictEqual(backoff(3, 100, 2000, () => 1), 800);
});

test('sequences above 2^53 stay exact through the loaded proto', () => {
  const { GatewayClient, epochOf } = require('../src');
  const client = new GatewayClient({ addresses: ['127.0.0.1:1'] });
  try {
    const big = '9007199254740993123';
    const def = client.stubs[0].SubscribeAudio.requestSerialize;
    const bytes = def({ target: { rtms_stream_id: 's', resume_after_sequence: big } });
    assert.ok(bytes.length > 0);
    const protoLoader = require('@grpc/proto-loader');
    const path = require('path');
    const pkg = protoLoader.loadSync('rtms/gateway/v1/gateway.proto', { includeDirs: [path.join(__dirname, '..', '..', '..', 'protos')], keepCase: true, longs: String });
    const decoded = pkg['rtms.gateway.v1.SubscribeAudioRequest'].deserialize(bytes);
    assert.strictEqual(decoded.target.resume_after_sequence, big);
    assert.strictEqual(epochOf('3000000000042'), 3n);
  } finally {
    client.close();
  }
});
