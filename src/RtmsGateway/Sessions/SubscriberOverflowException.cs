namespace RtmsGateway.Sessions;

/// <summary>A reliable (transcript/event) subscriber fell so far behind that its queue filled; its call ends with a resume point.</summary>
internal sealed class SubscriberOverflowException() : Exception("The subscriber's queue is full: it reads slower than the session produces.");
