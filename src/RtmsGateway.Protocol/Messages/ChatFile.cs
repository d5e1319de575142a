namespace RtmsGateway.Protocol;

/// <summary>A file attached to a chat message: the fields read from it and the entry as Zoom sent it.</summary>
public sealed record ChatFile(string? FileId, string? FileName, long? FileSize, string RawJson);
