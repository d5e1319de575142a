namespace RtmsGateway.Observability;

/// <summary>
/// The gateway's log event ids, one range per area, so an id names one event everywhere (dashboards, alerts). Ranges:
/// 1xxx webhooks, 2xxx RTMS connections, 3xxx sessions, 4xxx cluster, 5xxx embedded simulation, 6xxx background loops.
/// A test checks that no id is used twice.
/// </summary>
internal static class LogEventIds
{
    public const int WebhookRefused = 1001;
    public const int WebhookMalformed = 1002;
    public const int WebhookUrlValidation = 1003;
    public const int WebhookIgnored = 1004;
    public const int WebhookAccepted = 1005;
    public const int WebhookDuplicate = 1101;
    public const int WebhookOwnedElsewhere = 1103;
    public const int WebhookUnknownStream = 1104;
    public const int WebhookNoSignalingUrl = 1105;
    public const int WebhookZoomWarning = 1106;
    public const int WebhookFailed = 1107;
    public const int WebhookAtLimit = 1108;
    public const int WebhookForwarded = 1109;
    public const int WebhookDeferred = 1110;
    public const int WebhookGaveUp = 1111;
    public const int WebhookRouterFailed = 1112;
    public const int WebhookUrlRefused = 1113;

    public const int SignalingReady = 2001;
    public const int MediaReady = 2002;
    public const int MediaLost = 2003;
    public const int Reconnecting = 2004;
    public const int HandshakeRefused = 2005;
    public const int BadFrame = 2006;
    public const int MessageIgnored = 2007;
    public const int MediaMessageIgnored = 2010;
    public const int SignalingSilent = 2008;
    public const int MediaFailed = 2009;
    public const int LoopFailed = 2013;
    public const int FieldsUnread = 2014;
    public const int StaleInterruptionIgnored = 2015;
    public const int SignalingFailed = 2016;
    public const int MediaUnavailable = 2017;

    public const int SessionStarted = 3001;
    public const int SessionStopped = 3002;
    public const int CommandRepeated = 3003;
    public const int SessionTakenOver = 3004;
    public const int SessionRelinquished = 3005;
    public const int SessionFailed = 3006;
    public const int LeaseLost = 3011;
    public const int LeaseUnavailable = 3012;
    public const int LeaseReasserted = 3013;
    public const int ReleaseFailed = 3014;
    public const int ForgetDeferred = 3015;
    public const int TeardownSlow = 3016;
    public const int Failover = 3017;
    public const int Drained = 3021;
    public const int DrainTimedOut = 3022;
    public const int VideoSubscriptionAnswered = 3031;
    public const int SubscriberStalled = 3032;

    public const int CatalogListFallback = 4001;
    public const int CatalogPublishFailed = 4002;
    public const int CatalogBadMessage = 4003;
    public const int SubscriptionDeferred = 4004;
    public const int CommandBusBadCommand = 4101;
    public const int CommandBusUndelivered = 4102;
    public const int ReplicaWithoutAddress = 4151;
    public const int RelayFollowing = 4201;
    public const int RelayStoreUnavailable = 4202;
    public const int HistoryReadUnavailable = 4251;
    public const int HistoryWriteUnavailable = 4252;
    public const int HistoryWriteRecovered = 4253;
    public const int HistoryWriteRefused = 4254;
    public const int HistoryItemDropped = 4255;

    public const int SimulationNoCredentials = 5001;
    public const int SimulationMeetingStarted = 5002;
    public const int SimulationNotStarted = 5003;

    public const int BackgroundIterationFailed = 6001;
    public const int BackgroundRecovered = 6002;
}
