namespace RtmsGateway.Sessions;

/// <summary>One published transcript or event on its way to the cluster's history: its sequence, participant (for
/// participant filters) and the encoded response every reader shares.</summary>
internal sealed record HistoryAppend(string StreamId, string Channel, ulong Sequence, string UserId, byte[] Bytes, IHistoryAcknowledgement Ack);
