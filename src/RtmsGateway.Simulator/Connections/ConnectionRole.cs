namespace RtmsGateway.Simulator;

internal enum ConnectionRole
{
    Signaling,
    Media,
}
