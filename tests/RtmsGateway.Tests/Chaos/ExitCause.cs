namespace RtmsGateway.Tests.Chaos;

/// <summary>Why a replica process is gone.</summary>
internal enum ExitCause
{
    /// <summary>Still running.</summary>
    None,

    /// <summary>The schedule sent SIGKILL: its calls may die any way.</summary>
    Killed,

    /// <summary>The schedule sent SIGTERM: it must drain (calls end UNAVAILABLE with a resume point).</summary>
    Terminated,

    /// <summary>It exited on its own: a violation.</summary>
    Crashed,
}
