namespace RtmsGateway.Protocol;

/// <summary>Why an RTMS frame or webhook body could not be read.</summary>
public enum RtmsProtocolError
{
    /// <summary>Not syntactically valid JSON (or not UTF-8).</summary>
    MalformedJson,
    /// <summary>Valid JSON, but not an object.</summary>
    NotAnObject,
    /// <summary>No <c>msg_type</c>, or it is not an integer.</summary>
    MissingMessageType,
    /// <summary>A required field is absent.</summary>
    MissingField,
    /// <summary>A field has the wrong JSON type or an impossible value.</summary>
    InvalidField,
    /// <summary>Binary <c>data</c> is not valid base64.</summary>
    InvalidBase64,
    /// <summary>The frame exceeds the configured maximum size.</summary>
    FrameTooLarge,
}
