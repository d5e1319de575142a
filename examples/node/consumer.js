#!/usr/bin/env node
// RtmsGateway consumer in Node.js (@grpc/grpc-js + @grpc/proto-loader, loading protos/ at run time).
// Lists live sessions and prints one stream of a session, one line per message; resumes on UNAVAILABLE or
// RESOURCE_EXHAUSTED with the resume-after-sequence trailer.
//
//   node examples/node/consumer.js --target 127.0.0.1:50051 --list
//   node examples/node/consumer.js --target 127.0.0.1:50051 --stream transcripts --count 5
'use strict';
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const root = path.resolve(__dirname, '..', '..');
const RESUME_TRAILER = 'resume-after-sequence';

function parseArgs(argv) {
  const args = { target: '127.0.0.1:50051', stream: 'transcripts', count: 0, list: false, wait: false, meeting: null };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    if (name === 'list' || name === 'wait') args[name] = true;
    else args[name] = name === 'count' ? Number(argv[++i]) : argv[++i];
  }
  return args;
}

function describe(stream, response) {
  if (response.gap) {
    const g = response.gap;
    return `gap ${g.first_missing_sequence}-${g.last_missing_sequence} missed=${g.missed_count} reason=${g.reason}`;
  }
  if (response.ended) return `ended stop_reason=${response.ended.stop_reason} ${response.ended.description}`;
  if (stream === 'transcripts') {
    const s = response.segment;
    return `${s.header.sequence} transcript ${s.header.user_name || s.header.user_id}: ${s.text}`;
  }
  if (stream === 'audio') {
    const f = response.frame;
    return `${f.header.sequence} audio user=${f.header.user_id} bytes=${f.data.length} ${f.format.sample_rate_hz}Hz ${f.format.channels}ch`;
  }
  const e = response.event;
  return `${e.header.sequence} event ${e.event} user=${e.header.user_id}`;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const definition = protoLoader.loadSync('rtms/gateway/v1/gateway.proto', {
    includeDirs: [path.join(root, 'protos')],
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const api = grpc.loadPackageDefinition(definition).rtms.gateway.v1;
  const client = new api.RtmsGatewayService(args.target, grpc.credentials.createInsecure());

  const sessions = await new Promise((resolve, reject) =>
    client.ListSessions({}, { deadline: Date.now() + 10000 }, (err, res) => (err ? reject(err) : resolve(res.sessions))));
  if (args.list) {
    for (const s of sessions) console.log(`${s.rtms_stream_id} ${s.instance_id} ${s.state} owner=${s.owner.replica_id}`);
    return 0;
  }
  const target = { wait_for_start: args.wait };
  if (args.meeting) {
    if (sessions.some((s) => s.rtms_stream_id === args.meeting)) target.rtms_stream_id = args.meeting;
    else target.instance_id = args.meeting;
  } else {
    const live = sessions.filter((s) => s.state !== 'SESSION_STATE_STOPPED');
    if (live.length === 0) {
      console.error('no live session');
      return 1;
    }
    target.rtms_stream_id = live[0].rtms_stream_id;
  }
  const method = { transcripts: 'SubscribeTranscripts', audio: 'SubscribeAudio', events: 'SubscribeEvents' }[args.stream];

  let received = 0;
  for (let attempt = 0; attempt < 10; attempt++) {
    const outcome = await new Promise((resolve) => {
      const call = client[method]({ target });
      call.on('data', (response) => {
        console.log(describe(args.stream, response));
        if (response.message === 'ended') return resolve({ done: true });
        if (response.message !== 'gap') received++;
        if (args.count && received >= args.count) {
          call.cancel();
          resolve({ done: true });
        }
      });
      call.on('error', (err) => resolve({ err }));
      call.on('end', () => resolve({ done: true }));
    });
    if (outcome.done) return 0;
    const { err } = outcome;
    if (err.code !== grpc.status.UNAVAILABLE && err.code !== grpc.status.RESOURCE_EXHAUSTED) {
      console.error(`error: ${err.code} ${err.details}`);
      return 2;
    }
    const resume = err.metadata && err.metadata.get(RESUME_TRAILER)[0];
    if (resume) target.resume_after_sequence = String(resume);
    console.error(`reconnecting after ${err.code} (resume after ${resume})`);
  }
  return 3;
}

main().then((code) => process.exit(code), (err) => {
  console.error(err);
  process.exit(2);
});
