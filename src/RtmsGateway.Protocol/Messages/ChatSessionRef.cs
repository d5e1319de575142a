namespace RtmsGateway.Protocol;

/// <summary>A chat message's <c>chat_session</c>: its type (1 everyone, 2 individual, 3 chat group, 4 hosts and panelists,
/// 5 individual copied to hosts and panelists) and id (a chat group's).</summary>
public sealed record ChatSessionRef(int? Type, string? Id);
