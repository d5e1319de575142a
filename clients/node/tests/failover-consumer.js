#!/usr/bin/env node
// Run by NodeClientTests: subscribes to a session's audio across every replica address using ONLY the library, prints
// "READY" after 25 messages (the test then kills the owner), keeps consuming with no code of its own for the failure,
// checks that every sequence is delivered or inside exactly one gap, stops 50 sequences after the first frame of a new
// owner's epoch and prints a JSON summary line.
//   node failover-consumer.js --stream <rtms_stream_id> http://127.0.0.1:5001 http://127.0.0.1:5002 ...
'use strict';
const { GatewayClient, epochOf, reasonOf } = require('..');

async function main() {
  const argv = process.argv.slice(2);
  const streamId = argv[argv.indexOf('--stream') + 1];
  const addresses = argv.filter((a, i) => a !== '--stream' && argv[i - 1] !== '--stream');
  const client = new GatewayClient({ addresses, initialBackoffMs: 50, maxBackoffMs: 500 });
  const summary = { delivered: 0, gaps: [], ok: true, problems: [], firstEpoch: null, firstAfterFailover: null, last: null };
  let last = null;
  let firstAfter = null;
  try {
    for await (const item of client.subscribeAudio({ rtms_stream_id: streamId })) {
      if (item.kind === 'ended') {
        summary.problems.push('the session ended');
        break;
      }
      if (item.kind === 'gap') {
        const first = BigInt(item.gap.first_missing_sequence);
        if (last !== null && first !== last + 1n) summary.problems.push(`gap ${first}-${item.gap.last_missing_sequence} does not start right after ${last}`);
        summary.gaps.push({ first: String(first), last: item.gap.last_missing_sequence, missed: item.gap.missed_count, reason: item.gap.reason });
      } else {
        if (last !== null && item.sequence !== last + 1n) summary.problems.push(`${item.sequence} after ${last} with no gap between`);
        summary.delivered++;
        if (summary.delivered === 25) console.log('READY'); // the test kills the owner now
      }
      last = item.sequence;
      if (summary.firstEpoch === null) summary.firstEpoch = String(epochOf(last));
      if (firstAfter === null && summary.delivered >= 25 && item.kind === 'message' && epochOf(last) > BigInt(summary.firstEpoch)) firstAfter = last;
      if (firstAfter !== null && last >= firstAfter + 50n) break;
    }
  } catch (error) {
    summary.problems.push(`failed: ${error.code} ${reasonOf(error) || ''} ${error.message}`);
  } finally {
    client.close();
  }
  summary.last = last === null ? null : String(last);
  summary.firstAfterFailover = firstAfter === null ? null : String(firstAfter);
  if (firstAfter === null) summary.problems.push('no frame of the new owner arrived');
  summary.ok = summary.problems.length === 0;
  console.log('SUMMARY ' + JSON.stringify(summary));
  return summary.ok ? 0 : 1;
}

main().then((code) => { process.exitCode = code; }, (error) => { console.error(error); process.exitCode = 2; });
