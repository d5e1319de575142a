#!/usr/bin/env node
// Prints the live transcript of a meeting with its speakers, with a bearer token and resume across restarts:
// the last sequence processed is kept in a file and handed back as resume_after_sequence, so a restarted
// program continues where it stopped (what the replay buffer no longer holds is announced as a gap).
//
//   GATEWAY_TOKEN=... node examples/transcripts.js [--count N] <meeting-uuid> http://gateway-0:50051 http://gateway-1:50051
//   node examples/transcripts.js <meeting-uuid> dns:///gateway-headless:50051
'use strict';
const fs = require('fs');
const { GatewayClient, reasonOf } = require('..'); // require('@rtms-gateway/client') once installed

async function main() {
  const args = process.argv.slice(2);
  const countAt = args.indexOf('--count');
  const count = countAt >= 0 ? Number(args.splice(countAt, 2)[1]) : Infinity; // stop after this many segments
  const [meeting, ...addresses] = args;
  if (!meeting) throw new Error('usage: transcripts.js [--count N] <meeting-uuid> [address ...]');
  const stateFile = `.transcripts-${meeting.replace(/[^A-Za-z0-9_-]/g, '_')}.last`;
  const resume = fs.existsSync(stateFile) ? fs.readFileSync(stateFile, 'utf8').trim() : undefined;
  if (resume) console.error(`resuming after ${resume}`);
  let printed = 0;

  const client = new GatewayClient({
    addresses: addresses.length ? addresses : ['http://127.0.0.1:50051'],
    // Called before every attempt: return a fresh token when yours expires.
    bearerToken: () => process.env.GATEWAY_TOKEN,
    onRetry: ({ error, delayMs }) => console.error(`reconnecting in ${Math.round(delayMs)} ms: ${error.message}`),
  });
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  try {
    const target = { instance_id: meeting, wait_for_start: true, ...(resume ? { resume_after_sequence: resume } : {}) };
    for await (const item of client.subscribeTranscripts(target, { signal: abort.signal })) {
      if (item.kind === 'message') {
        const s = item.message;
        console.log(`${s.header.user_name || s.header.user_id}: ${s.text}`);
      } else if (item.kind === 'gap') {
        console.log(`[missed ${item.gap.first_missing_sequence}..${item.gap.last_missing_sequence}: ${item.gap.reason}]`);
      } else {
        console.log(`[meeting ended: ${item.ended.stop_reason}]`);
        fs.rmSync(stateFile, { force: true });
        return;
      }
      fs.writeFileSync(stateFile, item.sequence.toString());
      if (item.kind === 'message' && ++printed >= count) return;
    }
  } catch (error) {
    if (abort.signal.aborted) return;
    console.error(`stopped: ${reasonOf(error) || error.code} ${error.message}`);
    process.exitCode = 1;
  } finally {
    client.close();
  }
}

main();
