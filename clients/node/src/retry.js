'use strict';
// The gateway's error contract (errors.proto) turned into decisions, exactly like the C# client's RetryPolicy.Decide:
// retry what the gateway or the network says is transient, honour RetryInfo, move to another replica when this one
// drains or lost the session, and never retry a request that is wrong or a session that does not exist.
const path = require('path');
const protobuf = require('protobufjs');
const { status: Code } = require('@grpc/grpc-js');

const rpcRoot = new protobuf.Root();
rpcRoot.resolvePath = (origin, target) => {
  if (target.startsWith('google/rpc/')) return path.join(__dirname, '..', 'protos', target);
  return protobuf.util.path.resolve(origin, target);
};
rpcRoot.loadSync(['google/rpc/status.proto', 'google/rpc/error_details.proto'], { keepCase: true });
const StatusType = rpcRoot.lookupType('google.rpc.Status');
const DETAIL_TYPES = {
  'google.rpc.ErrorInfo': rpcRoot.lookupType('google.rpc.ErrorInfo'),
  'google.rpc.RetryInfo': rpcRoot.lookupType('google.rpc.RetryInfo'),
  'google.rpc.BadRequest': rpcRoot.lookupType('google.rpc.BadRequest'),
};
const TO_OBJECT = { longs: String, enums: String, defaults: true };

/** Decodes the google.rpc.Status of an error's grpc-status-details-bin trailer; null when there is none. */
function errorDetails(error) {
  const raw = error && error.metadata && typeof error.metadata.get === 'function' ? error.metadata.get('grpc-status-details-bin') : [];
  if (!raw || raw.length === 0) return null;
  let status;
  try {
    status = StatusType.decode(Buffer.isBuffer(raw[0]) ? raw[0] : Buffer.from(String(raw[0]), 'base64'));
  } catch {
    return null;
  }
  const result = { code: status.code, message: status.message, errorInfo: null, retryInfo: null, badRequest: null, resumePoint: null, details: [] };
  for (const any of status.details) {
    const name = String(any.type_url || any.typeUrl || '').split('/').pop();
    const type = DETAIL_TYPES[name];
    if (name === 'rtms.gateway.v1.ResumePoint') {
      const r = ResumePointType().decode(any.value);
      result.resumePoint = ResumePointType().toObject(r, TO_OBJECT);
      result.details.push({ type: name, value: result.resumePoint });
      continue;
    }
    if (!type) {
      result.details.push({ type: name, value: any.value });
      continue;
    }
    const value = type.toObject(type.decode(any.value), TO_OBJECT);
    result.details.push({ type: name, value });
    if (name === 'google.rpc.ErrorInfo') result.errorInfo = value;
    if (name === 'google.rpc.RetryInfo') result.retryInfo = value;
    if (name === 'google.rpc.BadRequest') result.badRequest = value;
  }
  return result;
}

let resumePointType = null;
function ResumePointType() {
  if (!resumePointType) {
    // errors.proto's ResumePoint, defined inline (two fields) so that decoding details needs no second proto root.
    resumePointType = new protobuf.Type('ResumePoint')
      .add(new protobuf.Field('resume_after_sequence', 1, 'uint64'))
      .add(new protobuf.Field('rtms_stream_id', 2, 'string'));
    new protobuf.Root().define('rtms.gateway.v1').add(resumePointType);
  }
  return resumePointType;
}

/** The reason of an error (google.rpc.ErrorInfo.reason, e.g. "SESSION_NOT_FOUND"), or undefined. */
function reasonOf(error) {
  const d = errorDetails(error);
  return d && d.errorInfo ? d.errorInfo.reason : undefined;
}

function durationMs(duration) {
  if (!duration) return null;
  return Number(duration.seconds || 0) * 1000 + Math.floor(Number(duration.nanos || 0) / 1e6);
}

/**
 * What to do after a call failed.
 * @returns {{retry: boolean, delayMs: number, otherReplica: boolean}}
 */
function decide(error, cancelledByCaller, backoffMs) {
  const no = { retry: false, delayMs: 0, otherReplica: false };
  if (cancelledByCaller || !error) return no;
  const details = errorDetails(error);
  const reason = details && details.errorInfo ? details.errorInfo.reason : undefined;
  const advised = details && details.retryInfo ? durationMs(details.retryInfo.retry_delay) : null;
  const delayMs = advised !== null && advised > backoffMs ? advised : backoffMs;
  switch (error.code) {
    // The replica drains, lost the session, or the connection failed before any status: any replica serves it.
    case Code.UNAVAILABLE:
    // Not cancelled by this caller: the connection or the server ended the call.
    case Code.CANCELLED:
    case Code.UNKNOWN:
    case Code.INTERNAL:
    case Code.DEADLINE_EXCEEDED:
      return { retry: true, delayMs, otherReplica: true };
    case Code.RESOURCE_EXHAUSTED:
      // A limit: resume at once after an overflow, wait as told when the session is full.
      if (reason === 'SUBSCRIBER_TOO_SLOW' || reason === 'WATCHER_TOO_SLOW') return { retry: true, delayMs: advised ?? 0, otherReplica: false };
      if (advised !== null) return { retry: true, delayMs, otherReplica: true };
      return no;
    default:
      return no;
  }
}

/** Jittered exponential backoff: uniform in [nominal/2, nominal], nominal = initial * 2^attempt capped at max. */
function backoff(attempt, initialMs, maxMs, random = Math.random) {
  const nominal = Math.min(maxMs, initialMs * Math.pow(2, Math.min(attempt, 20)));
  return nominal / 2 + random() * nominal / 2;
}

module.exports = { decide, backoff, errorDetails, reasonOf, StatusType, DETAIL_TYPES, rpcRoot };
