using MediaGateway.LocalHost;

// The embedded default: `dotnet run --project functions/MediaGateway.LocalHost` (see README and LocalGateway).
WebApplication gateway;
try
{
    gateway = LocalGateway.Build(args);
}
catch (LocalHostUsageException e)
{
    // A wrong --role or --storage: the message says what to pass; a stack trace would only bury it.
    Console.Error.WriteLine($"MediaGateway.LocalHost: {e.Message}");
    return 2;
}
gateway.Run();
return 0;
