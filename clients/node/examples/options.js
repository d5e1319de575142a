'use strict';
// What every example reads from its command line and environment:
//   --addresses http://gw-0:50051,http://gw-1:50051   (or $RTMS_GATEWAY_ADDRESSES; default http://127.0.0.1:50051)
//   --meeting <uuid> (its newest stream, waiting for it to start) | --stream <rtms_stream_id>
//   --token-file <path> (read on every attempt, so a rotated token is used on reconnect) or $RTMS_GATEWAY_TOKEN
const fs = require('fs');
const { parseArgs } = require('util');
const { GatewayClient } = require('..'); // require('@rtms-gateway/client') once installed

function exampleOptions(extra = {}) {
  const { values } = parseArgs({
    options: {
      addresses: { type: 'string', default: process.env.RTMS_GATEWAY_ADDRESSES || 'http://127.0.0.1:50051' },
      meeting: { type: 'string', default: '' },
      stream: { type: 'string', default: '' },
      'token-file': { type: 'string' },
      ...extra,
    },
  });
  const tokenFile = values['token-file'];
  const client = new GatewayClient({
    addresses: values.addresses.split(','),
    bearerToken: () => (tokenFile ? fs.readFileSync(tokenFile, 'utf8').trim() : process.env.RTMS_GATEWAY_TOKEN),
  });
  const target = { instance_id: values.meeting, rtms_stream_id: values.stream, wait_for_start: true };
  // Ctrl+C and SIGTERM abort the subscription, so the example leaves through its finally blocks.
  const stop = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => stop.abort());
  return { values, client, target, signal: stop.signal };
}

module.exports = { exampleOptions };
