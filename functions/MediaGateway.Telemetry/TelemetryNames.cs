namespace MediaGateway.Telemetry;

/// <summary>
/// The names MediaGateway's traces and metrics go by. Each component owns an <c>ActivitySource</c> and a <c>Meter</c>
/// named <c>MediaGateway.&lt;component&gt;</c> (the engine declares its own, to stay free of this project); the
/// registration listens to all of them with one wildcard, so a new component needs no change here.
/// </summary>
public static class TelemetryNames
{
    public const string Gateway = "MediaGateway.Gateway";
    public const string Runner = "MediaGateway.Runner";
    /// <summary>Declared by <c>MediaGateway.Engine.Pipeline.EngineTelemetry</c>, which cannot reference this project.</summary>
    public const string Engine = "MediaGateway.Engine";
    public const string All = "MediaGateway.*";
}
