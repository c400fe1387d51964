using MediaGateway.LocalHost;

// The embedded default: `dotnet run --project functions/MediaGateway.LocalHost` (see README and LocalGateway).
LocalGateway.Build(args).Run();
