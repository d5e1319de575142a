namespace RtmsGateway.Simulator;

/// <summary>Which Zoom product the simulated stream belongs to (decides webhook names and id fields).</summary>
public enum SimulatedProduct
{
    Meeting,
    Webinar,
    VideoSdk,
}
