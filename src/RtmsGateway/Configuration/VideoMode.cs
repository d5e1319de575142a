namespace RtmsGateway.Configuration;

/// <summary>Which camera video the gateway asks Zoom for (the video <c>data_opt</c>, §4.3).</summary>
public enum VideoMode
{
    /// <summary>The active speaker's video (data_opt 3, Zoom's default): every subscriber gets it.</summary>
    ActiveSpeaker,

    /// <summary>One chosen participant's video (data_opt 4, VIDEO_SINGLE_INDIVIDUAL_STREAM): nothing flows until a
    /// subscriber names a participant in <c>target.user_ids</c>; the owner then asks Zoom for that participant
    /// (VIDEO_SUBSCRIPTION_REQ) and releases them when their last subscriber leaves.</summary>
    Individual,
}
