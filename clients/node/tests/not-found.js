#!/usr/bin/env node
// Run by NodeClientTests: a subscription to a stream that does not exist throws NOT_FOUND at once (no retry).
//   node not-found.js <address>
'use strict';
const { GatewayClient, reasonOf, status } = require('..');

async function main() {
  let retries = 0;
  const client = new GatewayClient({ addresses: process.argv.slice(2), onRetry: () => retries++ });
  const started = Date.now();
  try {
    for await (const item of client.subscribeTranscripts({ rtms_stream_id: 'no-such-stream' })) {
      console.log('UNEXPECTED ' + item.kind);
    }
    console.log('RESULT ' + JSON.stringify({ thrown: false }));
  } catch (error) {
    console.log('RESULT ' + JSON.stringify({ thrown: true, code: status[error.code], reason: reasonOf(error), retries, ms: Date.now() - started }));
  } finally {
    client.close();
  }
}
main();
