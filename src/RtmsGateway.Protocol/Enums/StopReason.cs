namespace RtmsGateway.Protocol;

/// <summary>RTMS_STOP_REASON, used by <c>rtms_stopped</c> webhooks, stream and session state updates (§3.8).</summary>
/// <remarks>Open: values Zoom adds later are carried as their number and survive a round trip.</remarks>
[System.Text.Json.Serialization.JsonConverter(typeof(Serialization.StopReasonConverter))]
public enum StopReason
{
    Undefined = 0,
    HostTriggered = 1,
    UserTriggered = 2,
    UserLeft = 3,
    UserEjected = 4,
    HostDisabledApp = 5,
    MeetingEnded = 6,
    StreamCanceled = 7,
    StreamRevoked = 8,
    AllAppsDisabled = 9,
    InternalException = 10,
    ConnectionTimeout = 11,
    InstanceConnectionInterrupted = 12,
    SignalConnectionInterrupted = 13,
    DataConnectionInterrupted = 14,
    SignalConnectionClosedAbnormally = 15,
    DataConnectionClosedAbnormally = 16,
    ExitSignal = 17,
    AuthenticationFailure = 18,
    AwaitReconnectionTimeout = 19,
    ReceiverRequestClose = 20,
    CustomerDisconnected = 21,
    AgentDisconnected = 22,
    AdminDisabledApp = 23,
    KeepAliveTimeout = 24,
    ManualApiTriggered = 25,
    StreamingNotSupported = 26,
}
